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
//! A page is **static** by default, as in Next.js: rendered once, before traffic for a page
//! without dynamic segments, and served from the cache (`x-nextjs-cache: HIT`). A page whose
//! function reads the request (takes `Request`, `Query<T>`, `Cookies`, `HeaderMap`...) is
//! rendered for every request, and so is one that sets `DYNAMIC` or `REVALIDATE` as a route
//! file does.
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
        not_found: None,
        _args: PhantomData,
    }
}

impl<P, T> Page<P, T> {
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
        Box::pin(async move {
            let (rendered, mut cx) = self.page.render(req, cx, state).await;
            let mut response = match rendered {
                Ok(markup) => document((self.layouts)(markup).await),
                // `not_found()`: the not-found page, as a page's `notFound()` renders it.
                Err(answer) if is_not_found(&answer) => {
                    let mut page = match &self.not_found {
                        Some(not_found) => not_found().await,
                        None => crate::answers::not_found_page(),
                    };
                    *page.status_mut() = http::StatusCode::NOT_FOUND;
                    page
                }
                Err(answer) => answer,
            };
            cx.finish(response.headers_mut());
            response
        })
    }
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
    fn doctype_written_once() {
        let plain = document(html! { p { "x" } });
        let shell = document(html! { (DOCTYPE) html { "x" } });
        for response in [plain, shell] {
            assert_eq!(response.headers()[CONTENT_TYPE], HTML);
        }
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
