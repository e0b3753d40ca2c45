//! Images without a browser: [`ImageResponse`] renders HTML and CSS (written with `html!`,
//! escaped like a page) to a PNG, as Next.js's `ImageResponse` does, for generated Open Graph
//! images and icons (`opengraph-image.rs`, `twitter-image.rs`, `icon.rs`, `apple-icon.rs`).
//!
//! ```ignore
//! // app/blog/[slug]/opengraph-image.rs: /blog/{slug}/opengraph-image
//! use arbor::image::ImageResponse;
//! use arbor::prelude::*;
//! use super::Params;
//!
//! pub const ALT: &str = "The post's title on a dark background";
//!
//! pub async fn opengraph_image(ctx: RouteContext<Params>) -> ImageResponse {
//!     ImageResponse::new(html! {
//!         div style="display:flex;width:100%;height:100%;align-items:center;justify-content:center;background:#111;color:white;font-size:64px" {
//!             (ctx.params.slug.as_str())
//!         }
//!     })
//! }
//! ```
//!
//! The layout is CSS's flexbox and text layout, rendered by [takumi](https://takumi.kane.tw)
//! with no headless browser; the text is set in DejaVu Sans (regular and bold) unless
//! [`ImageResponse::font`] adds others. 1200×630 by default, or the file's
//! `pub const SIZE: (u32, u32)`, or [`ImageResponse::size`]. A render runs on Tokio's
//! blocking threads, so it never stalls other requests.
//!
//! Needs the `image` feature of `arbor`.

use std::sync::{Arc, OnceLock};

use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::HeaderValue;
use maud::Markup;
use takumi::prelude::{FontResource, Fonts, RenderOptions, Viewport};

use crate::body::Body;
use crate::Error;

/// Next.js's default size of an `ImageResponse`, the Open Graph size.
pub const DEFAULT_SIZE: (u32, u32) = (1200, 630);

/// A PNG rendered from HTML and CSS; what an image metadata file's function returns.
#[derive(Debug, Clone)]
pub struct ImageResponse {
    html: String,
    size: Option<(u32, u32)>,
    fonts: Vec<&'static [u8]>,
}

impl ImageResponse {
    /// An image of `markup`, the size of its file's `SIZE` or 1200×630.
    pub fn new(markup: Markup) -> Self {
        ImageResponse {
            html: markup.into_string(),
            size: None,
            fonts: Vec::new(),
        }
    }

    /// Its size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width, height));
        self
    }

    /// Adds a font (TrueType, OpenType, WOFF or WOFF2 bytes), found by its family name in
    /// `font-family`.
    pub fn font(mut self, data: &'static [u8]) -> Self {
        self.fonts.push(data);
        self
    }

    /// The size it is rendered at when its file exports `SIZE`.
    #[doc(hidden)]
    pub fn default_size(mut self, size: (u32, u32)) -> Self {
        self.size.get_or_insert(size);
        self
    }

    /// Renders it to PNG bytes, on this thread.
    pub fn to_png(&self) -> Result<Vec<u8>, Error> {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            Error::internal_message(format!("ImageResponse: {what}: {e}"))
        };
        let node = takumi::from_html(&self.html, Default::default())
            .map_err(|e| failed("the HTML does not parse", &e))?;
        let custom;
        let fonts = if self.fonts.is_empty() {
            default_fonts()
        } else {
            custom = with_defaults(&self.fonts).map_err(|e| failed("a font", &e))?;
            &custom
        };
        let (width, height) = self.size.unwrap_or(DEFAULT_SIZE);
        let options = RenderOptions::builder()
            .viewport(Viewport::new((width, height)))
            .node(node)
            .fonts(fonts)
            .build();
        let image = takumi::render(options).map_err(|e| failed("rendering", &e))?;
        let mut png = Vec::new();
        takumi::write_image(&image, &mut png, takumi::prelude::OutputFormat::Png)
            .map_err(|e| failed("encoding", &e))?;
        Ok(png)
    }

    /// Renders it on Tokio's blocking threads.
    pub async fn render(self) -> Result<Vec<u8>, Error> {
        let this = Arc::new(self);
        tokio::task::spawn_blocking(move || this.to_png())
            .await
            .map_err(Error::internal)?
    }
}

impl crate::metadata::Answer for ImageResponse {
    fn sized(self, size: (u32, u32)) -> Self {
        self.default_size(size)
    }

    fn answer(self) -> futures_util::future::BoxFuture<'static, http::Response<Body>> {
        Box::pin(async move {
            match self.render().await {
                Ok(png) => {
                    let mut response = crate::metadata::served(Body::from(png), "image/png");
                    response
                        .headers_mut()
                        .insert(CACHE_CONTROL, HeaderValue::from_static(IMAGE_CACHE));
                    response
                        .headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
                    response
                }
                Err(error) => axum::response::IntoResponse::into_response(error),
            }
        })
    }
}

crate::render::outcome!(ImageResponse);

const IMAGE_CACHE: &str = "public, max-age=0, must-revalidate";

/// DejaVu Sans, regular and bold, loaded once.
fn default_fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| with_defaults(&[]).unwrap_or_default())
}

fn with_defaults(extra: &[&'static [u8]]) -> Result<Fonts, String> {
    let mut fonts = Fonts::default();
    for data in [dejavu::sans::regular(), dejavu::sans::bold()]
        .into_iter()
        .chain(extra.iter().copied())
    {
        fonts
            .register(FontResource::new(data))
            .map_err(|e| e.to_string())?;
    }
    Ok(fonts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_of_the_size_asked() {
        let image = ImageResponse::new(maud::html! {
            div style="display:flex;width:100%;height:100%;background:#123456;color:white" { "Arbor & <co>" }
        })
        .size(64, 32);
        let png = image.to_png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the signature and the chunk header.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 64);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 32);
    }
}
