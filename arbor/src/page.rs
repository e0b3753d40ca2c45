//! Pages: a `page.rs` answers `GET` and `HEAD` with HTML, wrapped in every `layout.rs` above
//! it, from its own folder's up to the root layout that writes the document shell.
//!
//! HTML is written with [`maud`](https://maud.lambda.xyz)'s `html!`, which escapes every
//! value it prints: user data never reaches the page as markup unless wrapped in
//! [`PreEscaped`] on purpose.
//!
//! ```ignore
//! // app/layout.rs: the root layout, the document shell of every page.
//! use arbor::prelude::*;
//!
//! pub fn layout(children: Markup) -> Markup {
//!     html! {
//!         html lang="en" {
//!             head { meta charset="utf-8"; title { "My site" } }
//!             body { (children) }
//!         }
//!     }
//! }
//!
//! // app/blog/[slug]/page.rs: /blog/{slug}
//! use arbor::prelude::*;
//! use super::Params;
//!
//! pub async fn page(ctx: RouteContext<Params>) -> Result<Markup> {
//!     let post = posts::find(&ctx.params.slug).await.ok_or_else(not_found)?;
//!     Ok(html! { h1 { (post.title) } p { (post.body) } })
//! }
//! ```
//!
//! A page function takes the same arguments as a route handler and returns [`Markup`] or
//! `Result<Markup>`; an `Err` is answered as a route handler's error is. `<!DOCTYPE html>`
//! is written before the root layout's output unless it starts with one.
//!
//! A page is **static** by default, as in Next.js: rendered once, before traffic, and served
//! from the cache (`x-nextjs-cache: HIT`). It is rendered for every request instead (with
//! `Cache-Control: private, no-cache, no-store, max-age=0, must-revalidate`) when its function
//! reads the request (takes `Request`, `Query<T>`, `Cookies`, `HeaderMap`...), when its URL has
//! parameters that no `generate_static_params` lists, or when it sets `DYNAMIC` or
//! `REVALIDATE` as a route file does.
//!
//! The metadata images of the page's folder and of those above it (`favicon.ico`, `icon.png`,
//! `apple-icon.png`, `opengraph-image.png` or `.rs`, `twitter-image`...) are linked from the
//! end of its `<head>` as Next.js links them, Open Graph and Twitter images at absolute URLs
//! under [`App::metadata_base`](crate::App::metadata_base) (Next.js's `metadataBase`), or by
//! default the app's origin (`http://localhost:3000` for a page rendered before traffic, as
//! `next build` writes it).
//!
//! A layout is `fn layout(children: Markup) -> Markup`, or `async fn`: it wraps the pages of
//! its folder and of every folder below it. `app/layout.rs` is required once there is a
//! page; `not-found.rs` returning `Markup` renders through it too.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use http::header::CONTENT_TYPE;
use http::HeaderValue;

use crate::body::Body;
use crate::handler::{Context, Handler};
use crate::instrumentation::{Failure, RouteType};
use crate::render::Render;

pub use maud::{html, Markup, PreEscaped, DOCTYPE};

type Response = http::Response<Body>;

/// `text/html; charset=utf-8`, the content type of every page.
pub const HTML: &str = "text/html; charset=utf-8";

/// The layouts above a page, innermost first, folded into one function.
pub type Layouts = Arc<dyn Fn(Markup) -> BoxFuture<'static, Markup> + Send + Sync>;

/// A page with its layouts: the `GET` handler the generated router registers.
#[doc(hidden)]
pub struct Page<P, T> {
    page: P,
    layouts: Layouts,
    head: &'static [HeadTag],
    not_found: Option<NotFoundPage>,
    _args: PhantomData<fn() -> T>,
}

/// The not-found page a page's `not_found()` answers with.
type NotFoundPage = Arc<dyn Fn() -> BoxFuture<'static, Response> + Send + Sync>;

impl<P: Clone, T> Clone for Page<P, T> {
    fn clone(&self) -> Self {
        Page {
            page: self.page.clone(),
            layouts: self.layouts.clone(),
            head: self.head,
            not_found: self.not_found.clone(),
            _args: PhantomData,
        }
    }
}

/// The marker of [`Page`]'s handler impl.
#[doc(hidden)]
pub struct PageArgs<T>(PhantomData<fn() -> T>);

/// A page function and the layouts around it, as the generated router registers it.
#[doc(hidden)]
pub fn page<P, T>(page: P, layouts: Layouts) -> Page<P, T> {
    Page {
        page,
        layouts,
        head: &[],
        not_found: None,
        _args: PhantomData,
    }
}

impl<P, T> Page<P, T> {
    /// The tags of the metadata files that apply to the page, written into its `<head>`.
    pub fn head(mut self, tags: &'static [HeadTag]) -> Self {
        self.head = tags;
        self
    }

    /// The app's `not-found.rs` page, which the page's `not_found()` answers with (Next.js's
    /// `notFound()` in a page), instead of the default 404 page.
    pub fn not_found<F>(mut self, page: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, Response> + Send + Sync + 'static,
    {
        self.not_found = Some(Arc::new(page));
        self
    }
}

impl<P, T, S> Handler<PageArgs<T>, S> for Page<P, T>
where
    P: Render<T, S, Markup>,
    T: 'static,
    S: Send + Sync + 'static,
{
    fn call(self, req: http::Request<Body>, cx: Context, state: S) -> BoxFuture<'static, Response> {
        let head = match (self.head, &cx.matched) {
            ([], _) | (_, None) => String::new(),
            (tags, Some(matched)) => {
                let base = cx.site.metadata_base.as_deref().unwrap_or(&cx.site.origin);
                head_html(tags, base, cx.site.base_path, &matched.params)
            }
        };
        let dynamic = !cx.is_render();
        Box::pin(async move {
            let (rendered, mut cx) = self.page.render(req, cx, state).await;
            let mut response = match rendered {
                Ok(markup) => {
                    let mut page = document_with_head((self.layouts)(markup).await, &head);
                    if dynamic {
                        // Rendered for this request: no cache may keep it, as Next.js says.
                        page.headers_mut().insert(
                            http::header::CACHE_CONTROL,
                            HeaderValue::from_static(crate::answers::NO_STORE),
                        );
                    }
                    page
                }
                // `not_found()`: the not-found page, as a page's `notFound()` renders it.
                Err(answer) if is_not_found(&answer) => {
                    let mut page = match &self.not_found {
                        Some(not_found) => not_found().await,
                        None => crate::answers::not_found_page(),
                    };
                    *page.status_mut() = http::StatusCode::NOT_FOUND;
                    page
                }
                // A failure while rendering: the error document, and a report of a render.
                Err(mut answer) if answer.extensions().get::<Failure>().is_some() => {
                    let mut failure = answer.extensions_mut().remove::<Failure>();
                    let digest = failure
                        .as_ref()
                        .map_or_else(String::new, |f| digest(&f.error.message));
                    let page = crate::answers::error_page(&digest);
                    match failure.take() {
                        Some(mut failure) => {
                            failure.route_type = RouteType::Render;
                            failure.error.digest = Some(digest);
                            failure.on(page)
                        }
                        None => page,
                    }
                }
                Err(answer) => answer,
            };
            cx.finish(response.headers_mut());
            response
        })
    }
}

/// The digest of a render's error, as Next.js gives one: a hash of the message, in decimal
/// (FNV-1a), that ties the report to the page the client saw without showing the message.
fn digest(message: &str) -> String {
    let hash = message.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash.to_string()
}

/// Whether an answer is `not_found()`'s: 404 with an empty body.
fn is_not_found(answer: &Response) -> bool {
    use http_body::Body as _;
    answer.status() == http::StatusCode::NOT_FOUND && answer.body().size_hint().exact() == Some(0)
}

/// The layouts of a page: each an `fn(Markup) -> Markup`, sync or async, innermost first.
#[doc(hidden)]
pub fn layouts<F>(wrap: F) -> Layouts
where
    F: Fn(Markup) -> BoxFuture<'static, Markup> + Send + Sync + 'static,
{
    Arc::new(wrap)
}

/// A tag Next.js writes into a page's `<head>` for a metadata file of its folder or above
/// (`<link rel="icon" ...>`, `<meta property="og:image" ...>`), as the generated router lists
/// them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum HeadTag {
    /// `<link rel="manifest" href=... crossorigin="use-credentials">`: the web app manifest.
    Manifest {
        /// Its path (`/manifest.webmanifest`).
        href: &'static str,
    },
    /// `<link rel=... href=... sizes=... type=...>`: an icon, at a path of this site.
    Link {
        /// `icon` or `apple-touch-icon`.
        rel: &'static str,
        /// The URL pattern of the file (`/icon.png`, `/posts/[slug]/icon`).
        pattern: &'static str,
        /// What follows it: a version of the file (`?icon.1a2b3c4d.png`).
        query: &'static str,
        /// Its content type.
        content_type: &'static str,
        /// Its width and height, when known.
        size: Option<(u32, u32)>,
    },
    /// `<meta property="og:image" ...>` or `<meta name="twitter:image" ...>` and their
    /// `:alt`, `:type`, `:width`, `:height`, at an absolute URL.
    Image {
        /// `og` or `twitter`.
        prefix: &'static str,
        /// The URL pattern of the file.
        pattern: &'static str,
        /// What follows it.
        query: &'static str,
        /// Its content type.
        content_type: &'static str,
        /// Its width and height, when known.
        size: Option<(u32, u32)>,
        /// Its alternative text, when it has one.
        alt: Option<&'static str>,
    },
}

/// The tags, with the URL of each file filled from the page's own parameters.
/// The tags of a page head; their URLs under `base_path` (`BASE_PATH`, `""` without one).
fn head_html(
    tags: &[HeadTag],
    origin: &str,
    base_path: &str,
    params: &crate::routing::params::Params,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for tag in tags {
        match *tag {
            HeadTag::Manifest { href } => {
                let _ = write!(
                    out,
                    "<link rel=\"manifest\" href=\"{}\" crossorigin=\"use-credentials\"/>",
                    escape(&format!("{base_path}{href}"))
                );
            }
            HeadTag::Link {
                rel,
                pattern,
                query,
                content_type,
                size,
            } => {
                let href = escape(&format!("{base_path}{}{query}", params.fill(pattern)));
                let _ = write!(out, "<link rel=\"{rel}\" href=\"{href}\"");
                if let Some((w, h)) = size {
                    let _ = write!(out, " sizes=\"{w}x{h}\"");
                }
                let _ = write!(out, " type=\"{content_type}\"/>");
            }
            HeadTag::Image {
                prefix,
                pattern,
                query,
                content_type,
                size,
                alt,
            } => {
                let (attribute, card) = if prefix == "og" {
                    ("property", None)
                } else {
                    ("name", Some("summary_large_image"))
                };
                let meta = |out: &mut String, name: &str, value: &str| {
                    let _ = write!(
                        out,
                        "<meta {attribute}=\"{prefix}:{name}\" content=\"{}\"/>",
                        escape(value)
                    );
                };
                if let Some(card) = card {
                    let _ = write!(out, "<meta name=\"twitter:card\" content=\"{card}\"/>");
                }
                let url = format!("{origin}{base_path}{}{query}", params.fill(pattern));
                meta(&mut out, "image", &url);
                if let Some(alt) = alt {
                    meta(&mut out, "image:alt", alt);
                }
                meta(&mut out, "image:type", content_type);
                if let Some((w, h)) = size {
                    meta(&mut out, "image:width", &w.to_string());
                    meta(&mut out, "image:height", &h.to_string());
                }
            }
        }
    }
    out
}

/// Text as an HTML attribute value, escaped as `html!` escapes it.
fn escape(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    let _ = maud::Escaper::new(&mut out).write_str(text);
    out
}

/// A whole HTML document: `<!DOCTYPE html>` unless the markup starts with one, and `head`
/// written at the end of its `<head>` (one is made after `<html>` when the layout wrote none).
fn document_with_head(markup: Markup, head: &str) -> Response {
    if head.is_empty() {
        return document(markup);
    }
    let mut html = markup.into_string();
    let lower = html.to_ascii_lowercase();
    let after = |tag: &str| {
        let mut from = 0;
        while let Some(at) = lower[from..].find(tag) {
            let start = from + at;
            let next = lower.as_bytes().get(start + tag.len()).copied();
            if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
                return lower[start..].find('>').map(|end| start + end + 1);
            }
            from = start + tag.len();
        }
        None
    };
    if let Some(at) =
        after("<head").and_then(|open| lower[open..].find("</head>").map(|end| open + end))
    {
        html.insert_str(at, head);
    } else if let Some(at) = after("<html") {
        html.insert_str(at, &format!("<head>{head}</head>"));
    } else {
        html.insert_str(0, &format!("<head>{head}</head>"));
    }
    document(PreEscaped(html))
}

/// A whole HTML document: `<!DOCTYPE html>` unless the markup starts with one.
pub(crate) fn document(markup: Markup) -> Response {
    let html = markup.into_string();
    let starts_with_doctype = html
        .get(..9)
        .is_some_and(|head| head.eq_ignore_ascii_case("<!doctype"));
    let body = if starts_with_doctype {
        html
    } else {
        format!("<!DOCTYPE html>{html}")
    };
    let mut response = http::Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(HTML));
    response
}

/// `not-found.rs` returning [`Markup`]: its page, through the root layout, answered 404 by
/// the not-found stage.
#[doc(hidden)]
pub fn not_found_page<F, Fut>(
    page: F,
    layouts: Layouts,
) -> impl Fn() -> BoxFuture<'static, Response> + Clone + Send + Sync + 'static
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Markup> + Send + 'static,
{
    move || {
        let future = page();
        let layouts = layouts.clone();
        Box::pin(async move { document(layouts(future.await).await) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_links_are_under_the_base_path() {
        let tags = [
            HeadTag::Manifest {
                href: "/manifest.webmanifest",
            },
            HeadTag::Link {
                rel: "icon",
                pattern: "/icon.png",
                query: "?1",
                content_type: "image/png",
                size: None,
            },
            HeadTag::Image {
                prefix: "og",
                pattern: "/opengraph-image",
                query: "?2",
                content_type: "image/png",
                size: None,
                alt: None,
            },
        ];
        let params = crate::routing::params::Params::default();
        let head = head_html(&tags, "https://example.com", "/docs", &params);
        assert!(
            head.contains(r#"href="/docs/manifest.webmanifest""#),
            "{head}"
        );
        assert!(head.contains(r#"href="/docs/icon.png?1""#), "{head}");
        assert!(
            head.contains(r#"content="https://example.com/docs/opengraph-image?2""#),
            "{head}"
        );
        let root = head_html(&tags, "https://example.com", "", &params);
        assert!(root.contains(r#"href="/icon.png?1""#), "{root}");
    }

    #[test]
    fn doctype_written_once() {
        let plain = document(html! { p { "x" } });
        let shell = document(html! { (DOCTYPE) html { "x" } });
        for response in [plain, shell] {
            assert_eq!(response.headers()[CONTENT_TYPE], HTML);
        }
    }

    #[test]
    fn head_tags_go_into_the_head() {
        let doc = |markup: Markup| {
            let response = document_with_head(markup, "<meta x/>");
            let body = response.into_body();
            futures_util::FutureExt::now_or_never(crate::body::read_all(body))
                .and_then(Result::ok)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        assert_eq!(
            doc(html! { html { head { title { "t" } } body { "<head>" } } }),
            "<!DOCTYPE html><html><head><title>t</title><meta x/></head><body>&lt;head&gt;</body></html>"
        );
        assert_eq!(
            doc(html! { html lang="en" { body { "x" } } }),
            "<!DOCTYPE html><html lang=\"en\"><head><meta x/></head><body>x</body></html>"
        );
        assert_eq!(
            doc(html! { header { "x" } }),
            "<!DOCTYPE html><head><meta x/></head><header>x</header>"
        );
    }

    #[test]
    fn values_are_escaped() {
        let name = "<script>alert(1)</script>";
        let markup = html! { p { (name) } };
        assert_eq!(
            markup.into_string(),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        );
    }
}
