//! Special route handlers for the metadata files every site serves, written as in Next.js:
//! `app/robots.rs` answers `/robots.txt`, `app/sitemap.rs` answers `/sitemap.xml` and
//! `app/manifest.rs` answers `/manifest.webmanifest`. Each exports an async function named
//! for its file that returns the typed value, serialised exactly as Next.js writes it.
//!
//! ```
//! // app/robots.rs
//! use arbor::metadata::{Robots, RobotsRule};
//!
//! pub async fn robots() -> Robots {
//!     Robots::new()
//!         .rule(RobotsRule::for_agent("*").allow("/").disallow("/private/"))
//!         .sitemap("https://example.com/sitemap.xml")
//! }
//! # let text = futures_util::FutureExt::now_or_never(robots()).unwrap().to_text();
//! # assert_eq!(text, "User-Agent: *\nAllow: /\nDisallow: /private/\n\nSitemap: https://example.com/sitemap.xml\n");
//! ```
//!
//! The files, and where they may be:
//!
//! | file | answers | returns |
//! | --- | --- | --- |
//! | `app/robots.rs` | `/robots.txt` | [`Robots`] |
//! | `app/manifest.rs` | `/manifest.webmanifest` | [`Manifest`] |
//! | `**/sitemap.rs` | `sitemap.xml` in its folder | [`Sitemap`] |
//! | `**/icon.rs`, `apple-icon.rs` | `icon`, `apple-icon` in its folder | `arbor::image::ImageResponse` |
//! | `**/opengraph-image.rs`, `twitter-image.rs` | `opengraph-image`, `twitter-image` | `arbor::image::ImageResponse` |
//!
//! The function takes the arguments of a route handler: `RouteContext<Params>` for a file
//! under a dynamic folder, and [`MetadataId`] when the file also exports `generate_sitemaps`
//! (then it answers `sitemap/{id}.xml` for each id, and no `sitemap.xml`) or
//! `generate_image_metadata` (`icon/{id}`...); an id they do not return is 404. An image file
//! may export `pub const SIZE: (u32, u32)` and `pub const ALT: &str`, which pages link with.
//! The same names as static files (`favicon.ico`, `icon.png`, `opengraph-image.jpg` and its
//! `.alt.txt`, `robots.txt`, `sitemap.xml`, `manifest.json`...) are served as they are.
//!
//! A file is static unless its URL has a dynamic segment, its function reads the request, or
//! it sets `DYNAMIC` / `REVALIDATE`: rendered once before the server takes traffic and served
//! from the cache (`x-nextjs-cache: HIT`, `Cache-Control: public, max-age=0,
//! must-revalidate`). GET and HEAD only; a form POST to a static one gets the file, as Next.js
//! answers what may be a server action.

use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::HeaderValue;
use serde::Serialize;

use crate::body::Body;

/// `robots.txt`: rules for crawlers (Next.js's `MetadataRoute.Robots`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    rules: Vec<RobotsRule>,
    host: Option<String>,
    sitemaps: Vec<String>,
}

/// One group of `robots.txt` rules: the user agents it is for, what they may and may not
/// crawl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RobotsRule {
    user_agents: Vec<String>,
    allow: Vec<String>,
    disallow: Vec<String>,
    crawl_delay: Option<u32>,
}

impl Robots {
    /// No rules yet.
    pub fn new() -> Self {
        Robots::default()
    }

    /// Adds a group of rules.
    pub fn rule(mut self, rule: RobotsRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// The preferred host (`Host:`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// A sitemap's URL (`Sitemap:`); may be given several times.
    pub fn sitemap(mut self, url: impl Into<String>) -> Self {
        self.sitemaps.push(url.into());
        self
    }

    /// The file's text, as Next.js writes it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for rule in &self.rules {
            for agent in &rule.user_agents {
                out.push_str(&format!("User-Agent: {agent}\n"));
            }
            for path in &rule.allow {
                out.push_str(&format!("Allow: {path}\n"));
            }
            for path in &rule.disallow {
                out.push_str(&format!("Disallow: {path}\n"));
            }
            if let Some(delay) = rule.crawl_delay {
                out.push_str(&format!("Crawl-delay: {delay}\n"));
            }
            out.push('\n');
        }
        if let Some(host) = &self.host {
            out.push_str(&format!("Host: {host}\n"));
        }
        for sitemap in &self.sitemaps {
            out.push_str(&format!("Sitemap: {sitemap}\n"));
        }
        out
    }
}

impl RobotsRule {
    /// Rules for one user agent (`*` for every crawler).
    pub fn for_agent(user_agent: impl Into<String>) -> Self {
        RobotsRule {
            user_agents: vec![user_agent.into()],
            ..RobotsRule::default()
        }
    }

    /// Another user agent the same rules are for.
    pub fn and_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agents.push(user_agent.into());
        self
    }

    /// A path they may crawl.
    pub fn allow(mut self, path: impl Into<String>) -> Self {
        self.allow.push(path.into());
        self
    }

    /// A path they may not crawl.
    pub fn disallow(mut self, path: impl Into<String>) -> Self {
        self.disallow.push(path.into());
        self
    }

    /// Seconds between two requests (`Crawl-delay:`).
    pub fn crawl_delay(mut self, seconds: u32) -> Self {
        self.crawl_delay = Some(seconds);
        self
    }
}

/// `sitemap.xml`: the site's URLs (Next.js's `MetadataRoute.Sitemap`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sitemap {
    entries: Vec<SitemapEntry>,
}

/// One URL of a sitemap.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapEntry {
    url: String,
    last_modified: Option<String>,
    change_frequency: Option<ChangeFrequency>,
    priority: Option<f64>,
}

/// How often a URL's content changes (`<changefreq>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ChangeFrequency {
    Always,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
    Never,
}

impl ChangeFrequency {
    fn as_str(self) -> &'static str {
        match self {
            ChangeFrequency::Always => "always",
            ChangeFrequency::Hourly => "hourly",
            ChangeFrequency::Daily => "daily",
            ChangeFrequency::Weekly => "weekly",
            ChangeFrequency::Monthly => "monthly",
            ChangeFrequency::Yearly => "yearly",
            ChangeFrequency::Never => "never",
        }
    }
}

impl Sitemap {
    /// No URLs yet.
    pub fn new() -> Self {
        Sitemap::default()
    }

    /// Adds a URL.
    pub fn entry(mut self, entry: SitemapEntry) -> Self {
        self.entries.push(entry);
        self
    }

    /// The file's XML, as Next.js writes it (with the text of each element escaped, where
    /// Next.js writes it as given).
    pub fn to_xml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for entry in &self.entries {
            out.push_str("<url>\n");
            out.push_str(&format!("<loc>{}</loc>\n", escape(&entry.url)));
            if let Some(date) = &entry.last_modified {
                out.push_str(&format!("<lastmod>{}</lastmod>\n", escape(date)));
            }
            if let Some(frequency) = entry.change_frequency {
                out.push_str(&format!(
                    "<changefreq>{}</changefreq>\n",
                    frequency.as_str()
                ));
            }
            if let Some(priority) = entry.priority {
                out.push_str(&format!("<priority>{priority}</priority>\n"));
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }
}

impl FromIterator<SitemapEntry> for Sitemap {
    fn from_iter<I: IntoIterator<Item = SitemapEntry>>(iter: I) -> Self {
        Sitemap {
            entries: iter.into_iter().collect(),
        }
    }
}

impl SitemapEntry {
    /// A URL of the site.
    pub fn new(url: impl Into<String>) -> Self {
        SitemapEntry {
            url: url.into(),
            last_modified: None,
            change_frequency: None,
            priority: None,
        }
    }

    /// When it last changed, as an ISO 8601 date (`2024-01-01T00:00:00.000Z`).
    pub fn last_modified(mut self, date: impl Into<String>) -> Self {
        self.last_modified = Some(date.into());
        self
    }

    /// How often it changes.
    pub fn change_frequency(mut self, frequency: ChangeFrequency) -> Self {
        self.change_frequency = Some(frequency);
        self
    }

    /// Its priority among the site's URLs, from 0 to 1.
    pub fn priority(mut self, priority: f64) -> Self {
        self.priority = Some(priority);
        self
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `manifest.webmanifest`: the web app manifest (Next.js's `MetadataRoute.Manifest`).
/// Fields left unset are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Manifest {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theme_color: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    icons: Vec<ManifestIcon>,
}

/// An icon of a web app manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestIcon {
    src: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sizes: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

impl ManifestIcon {
    /// An icon at `src`, of `sizes` (`"192x192"`) and `content_type` (`"image/png"`).
    pub fn new(src: impl Into<String>, sizes: &str, content_type: &str) -> Self {
        ManifestIcon {
            src: src.into(),
            sizes: Some(sizes.to_owned()),
            content_type: Some(content_type.to_owned()),
        }
    }
}

macro_rules! setters {
    ($($field:ident: $doc:literal),* $(,)?) => {
        $(
            #[doc = $doc]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}

impl Manifest {
    /// Nothing set yet.
    pub fn new() -> Self {
        Manifest::default()
    }

    setters! {
        name: "The app's name.",
        short_name: "Its short name, where space is tight.",
        description: "What it does.",
        start_url: "The URL it opens at.",
        display: "How it is shown: `standalone`, `fullscreen`, `minimal-ui` or `browser`.",
        background_color: "The splash screen's colour.",
        theme_color: "The browser UI's colour.",
    }

    /// Adds an icon.
    pub fn icon(mut self, icon: ManifestIcon) -> Self {
        self.icons.push(icon);
        self
    }

    /// The file's JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// A value a metadata file's function returns, and how it is served.
pub trait MetadataFile: Send + 'static {
    /// Its `Content-Type`.
    const CONTENT_TYPE: &'static str;
    /// Its text.
    fn to_body(&self) -> String;
}

impl MetadataFile for Robots {
    const CONTENT_TYPE: &'static str = "text/plain";
    fn to_body(&self) -> String {
        self.to_text()
    }
}

impl MetadataFile for Sitemap {
    const CONTENT_TYPE: &'static str = "application/xml";
    fn to_body(&self) -> String {
        self.to_xml()
    }
}

impl MetadataFile for Manifest {
    const CONTENT_TYPE: &'static str = "application/manifest+json";
    fn to_body(&self) -> String {
        self.to_json()
    }
}

/// A metadata file's answer, with Next's headers.
pub(crate) fn served(body: Body, content_type: &'static str) -> http::Response<Body> {
    let mut response = http::Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, must-revalidate"),
    );
    response
}

/// The route handler of a static metadata file (`icon.png`), its bytes built into the binary,
/// as the generated router registers it.
#[doc(hidden)]
pub fn static_file(
    bytes: &'static [u8],
    content_type: &'static str,
) -> impl Fn() -> std::future::Ready<http::Response<Body>> + Clone + Send + Sync + 'static {
    move || std::future::ready(served(Body::from(bytes), content_type))
}

/// What a metadata file's value answers: its bytes with its content type and Next's headers.
pub trait Answer: Send + 'static {
    /// The response.
    fn answer(self) -> futures_util::future::BoxFuture<'static, http::Response<Body>>;

    /// The value at its file's `SIZE`, for an image that does not set its own.
    fn sized(self, _size: (u32, u32)) -> Self
    where
        Self: Sized,
    {
        self
    }
}

macro_rules! text_answer {
    ($($ty:ty),*) => {$(
        impl Answer for $ty {
            fn answer(self) -> futures_util::future::BoxFuture<'static, http::Response<Body>> {
                Box::pin(std::future::ready(served(
                    Body::from(self.to_body()),
                    <$ty as MetadataFile>::CONTENT_TYPE,
                )))
            }
        }
    )*};
}

text_answer!(Robots, Sitemap, Manifest);
crate::render::outcome!(Robots, Sitemap, Manifest);

/// The id a generated metadata file answers under: one of those its `generate_sitemaps` or
/// `generate_image_metadata` returned (`0` in `/products/sitemap/0.xml`, `small` in
/// `/gallery/icon/small`). Take it as an argument of the file's function:
///
/// ```ignore
/// // app/products/sitemap.rs
/// pub async fn generate_sitemaps() -> Vec<u32> { vec![0, 1] }
///
/// pub async fn sitemap(id: MetadataId) -> Sitemap {
///     Sitemap::new().entry(SitemapEntry::new(format!("https://example.com/products/{id}")))
/// }
/// ```
///
/// An id the generator did not return is answered 404 before the function runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataId(String);

impl MetadataId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MetadataId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id in the matched URL: the last parameter, without a sitemap's `.xml`.
fn matched_id(cx: &crate::handler::Context) -> Option<&str> {
    let id = cx.matched.as_ref()?.params.last()?;
    Some(id.strip_suffix(".xml").unwrap_or(id))
}

impl<S: Send + Sync> crate::handler::Argument<S, crate::handler::ViaArbor> for MetadataId {
    type Body = crate::handler::Leaves;

    async fn from_request(
        _parts: &mut http::request::Parts,
        _body: &mut Option<Body>,
        cx: &crate::handler::Context,
        _state: &S,
    ) -> Result<Self, http::Response<Body>> {
        matched_id(cx)
            .map(|id| MetadataId(id.to_owned()))
            .ok_or_else(|| {
                axum::response::IntoResponse::into_response(crate::Error::internal_message(
                    "MetadataId is the argument of a metadata file that exports generate_sitemaps or generate_image_metadata",
                ))
            })
    }
}

/// What `generate_sitemaps` and `generate_image_metadata` may return a list of: anything
/// with an id.
pub trait GeneratedId {
    /// The id, as it appears in the URL.
    fn id(&self) -> String;

    /// The size of the image it names, when it says.
    fn size(&self) -> Option<(u32, u32)> {
        None
    }
}

macro_rules! display_id {
    ($($ty:ty),*) => {$(
        impl GeneratedId for $ty {
            fn id(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_id!(String, &'static str, u8, u16, u32, u64, usize, i32, i64);

/// One image a `generate_image_metadata` lists, as Next.js's `generateImageMetadata` returns
/// it: its id, and the size its `ImageResponse` is rendered at unless it sets its own.
///
/// ```
/// use arbor::metadata::ImageMetadata;
///
/// pub async fn generate_image_metadata() -> Vec<ImageMetadata> {
///     vec![
///         ImageMetadata::new("small").size(16, 16),
///         ImageMetadata::new("large").size(48, 48),
///     ]
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageMetadata {
    id: String,
    size: Option<(u32, u32)>,
}

impl ImageMetadata {
    /// The image with this id (`/icon/{id}`).
    pub fn new(id: impl Into<String>) -> Self {
        ImageMetadata {
            id: id.into(),
            size: None,
        }
    }

    /// Its width and height.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width, height));
        self
    }
}

impl GeneratedId for ImageMetadata {
    fn id(&self) -> String {
        self.id.clone()
    }

    fn size(&self) -> Option<(u32, u32)> {
        self.size
    }
}

/// The size a generated id's entry gives its image, carried from [`Generated`] to the
/// [`Rendered`] it wraps.
#[derive(Debug, Clone, Copy)]
struct IdSize((u32, u32));

/// A metadata file's function and the answer it gives, as the generated router registers it.
#[doc(hidden)]
pub struct Rendered<F, T, O> {
    file_fn: F,
    size: Option<(u32, u32)>,
    _args: std::marker::PhantomData<fn() -> (T, O)>,
}

impl<F: Clone, T, O> Clone for Rendered<F, T, O> {
    fn clone(&self) -> Self {
        Rendered {
            file_fn: self.file_fn.clone(),
            size: self.size,
            _args: std::marker::PhantomData,
        }
    }
}

/// The marker of [`Rendered`]'s handler impl.
#[doc(hidden)]
pub struct RenderedArgs<T, O>(std::marker::PhantomData<fn() -> (T, O)>);

/// The route handler of a metadata file's function (`robots`, `sitemap`, `icon`...), as the
/// generated router registers it.
#[doc(hidden)]
pub fn handler<F, T, O>(file_fn: F, size: Option<(u32, u32)>) -> Rendered<F, T, O> {
    Rendered {
        file_fn,
        size,
        _args: std::marker::PhantomData,
    }
}

impl<F, T, O, S> crate::handler::Handler<RenderedArgs<T, O>, S> for Rendered<F, T, O>
where
    F: crate::render::Render<T, S, O>,
    T: 'static,
    O: Answer,
    S: Send + Sync + 'static,
{
    fn call(
        self,
        req: http::Request<Body>,
        cx: crate::handler::Context,
        state: S,
    ) -> futures_util::future::BoxFuture<'static, http::Response<Body>> {
        let size = req.extensions().get::<IdSize>().map(|s| s.0).or(self.size);
        Box::pin(async move {
            let (value, mut cx) = self.file_fn.render(req, cx, state).await;
            let mut response = match value {
                Ok(value) => match size {
                    Some(size) => value.sized(size).answer().await,
                    None => value.answer().await,
                },
                Err(answer) => answer,
            };
            cx.finish(response.headers_mut());
            response
        })
    }
}

/// A generated file's handler, answering only the ids its generator returns: any other is
/// 404, as Next.js answers it.
#[doc(hidden)]
#[derive(Clone)]
pub struct Generated<H, G> {
    handler: H,
    generate: G,
    suffix: &'static str,
}

/// The marker of [`Generated`]'s handler impl.
#[doc(hidden)]
pub struct GeneratedArgs<T>(std::marker::PhantomData<fn() -> T>);

/// `handler`, for the ids `generate` returns only, each followed by `suffix` in the URL
/// (`.xml` for a sitemap).
#[doc(hidden)]
pub fn generated<H, G>(handler: H, generate: G, suffix: &'static str) -> Generated<H, G> {
    Generated {
        handler,
        generate,
        suffix,
    }
}

impl<H, T, S, G, Fut, I> crate::handler::Handler<GeneratedArgs<T>, S> for Generated<H, G>
where
    H: crate::handler::Handler<T, S>,
    G: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Vec<I>> + Send + 'static,
    I: GeneratedId + Send,
    T: 'static,
    S: Send + Sync + 'static,
{
    fn call(
        self,
        req: http::Request<Body>,
        cx: crate::handler::Context,
        state: S,
    ) -> futures_util::future::BoxFuture<'static, http::Response<Body>> {
        let id = cx
            .matched
            .as_ref()
            .and_then(|m| m.params.last())
            .and_then(|raw| raw.strip_suffix(self.suffix))
            .map(str::to_owned);
        let mut req = req;
        Box::pin(async move {
            let found = match id {
                Some(id) => (self.generate)()
                    .await
                    .into_iter()
                    .find(|i| i.id() == id)
                    .map(|i| i.size()),
                None => None,
            };
            let Some(size) = found else {
                return crate::answers::not_found_text();
            };
            if let Some(size) = size {
                req.extensions_mut().insert(IdSize(size));
            }
            self.handler.call(req, cx, state).await
        })
    }
}

/// The paths of a generated file's ids (`{prefix}{id}{suffix}`), rendered before traffic.
#[doc(hidden)]
pub fn generated_paths<G, Fut, I>(
    prefix: &'static str,
    suffix: &'static str,
    generate: G,
) -> impl Fn() -> futures_util::future::BoxFuture<'static, Vec<String>> + Send + Sync + 'static
where
    G: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Vec<I>> + Send + 'static,
    I: GeneratedId,
{
    move || {
        let future = generate();
        Box::pin(async move {
            future
                .await
                .iter()
                .map(|i| format!("{prefix}{}{suffix}", i.id()))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_as_next_writes_it() {
        let sitemap = Sitemap::new()
            .entry(
                SitemapEntry::new("https://example.com")
                    .last_modified("2024-01-01T00:00:00.000Z")
                    .change_frequency(ChangeFrequency::Yearly)
                    .priority(1.0),
            )
            .entry(
                SitemapEntry::new("https://example.com/comments")
                    .last_modified("2024-01-02T00:00:00.000Z"),
            );
        assert_eq!(
            sitemap.to_xml(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<url>\n<loc>https://example.com</loc>\n<lastmod>2024-01-01T00:00:00.000Z</lastmod>\n<changefreq>yearly</changefreq>\n<priority>1</priority>\n</url>\n<url>\n<loc>https://example.com/comments</loc>\n<lastmod>2024-01-02T00:00:00.000Z</lastmod>\n</url>\n</urlset>\n"
        );
        let escaped =
            Sitemap::new().entry(SitemapEntry::new("https://e.com/?a=1&b=<2>").priority(0.8));
        assert!(escaped
            .to_xml()
            .contains("<loc>https://e.com/?a=1&amp;b=&lt;2&gt;</loc>\n<priority>0.8</priority>"));
    }

    #[test]
    fn robots_with_several_rules() {
        let robots = Robots::new()
            .rule(
                RobotsRule::for_agent("Googlebot")
                    .and_agent("Bingbot")
                    .allow("/")
                    .crawl_delay(2),
            )
            .rule(RobotsRule::for_agent("*").disallow("/admin"))
            .host("example.com");
        assert_eq!(
            robots.to_text(),
            "User-Agent: Googlebot\nUser-Agent: Bingbot\nAllow: /\nCrawl-delay: 2\n\nUser-Agent: *\nDisallow: /admin\n\nHost: example.com\n"
        );
    }

    #[test]
    fn manifest_leaves_unset_fields_out() {
        let manifest = Manifest::new()
            .name("Oracle")
            .start_url("/")
            .display("standalone");
        assert_eq!(
            manifest.to_json(),
            r#"{"name":"Oracle","start_url":"/","display":"standalone"}"#
        );
    }
}
