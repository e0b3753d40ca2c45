//! Draft mode (Next.js's `draftMode()`): a secret cookie that makes static and ISR routes
//! render afresh for the one browser that has it, to preview unpublished content.
//!
//! The cookie's value is the app's draft secret: made when the app is built (`arbor-build`
//! writes a new one each build, as Next.js makes its `previewModeId`), or at start-up for
//! an app assembled by hand. A request whose cookie holds another value (an old build's, a
//! forged one) is served from the cache and told to drop the cookie.

use std::sync::{Arc, Mutex};

use http::header::COOKIE;
use http::request::Parts;
use http::{HeaderMap, HeaderValue};

use crate::body::Body;
use crate::context::Context;
use crate::cookie::{RequestCookies, ResponseCookie, SameSite};
use crate::handler::{Argument, Leaves, ViaArbor};
use crate::handler_scope::with_current;

/// The cookie's name, as Next.js names it.
pub(crate) const COOKIE_NAME: &str = "__prerender_bypass";

/// Draft mode for this request: whether it is on, and switching it on or off for the
/// browser (`enable`, `disable`), as Next.js's `draftMode()` from `next/headers`.
///
/// ```
/// use arbor::prelude::*;
/// use arbor::DraftMode;
///
/// // app/draft/route.rs: `/draft?secret=...` turns previews on for this browser
/// pub async fn GET(req: Request, mut draft: DraftMode) -> Result<Response> {
///     if req.next_url().search_params().get("secret") != Some("preview-token") {
///         return Err(Error::unauthorized("invalid token"));
///     }
///     draft.enable();
///     Ok(Response::redirect("/"))
/// }
/// ```
///
/// While it is on, a static or ISR route runs its handler for every request of that browser
/// (with `Cache-Control: private, no-cache, no-store, ...`) and leaves the cache as it was.
#[derive(Debug)]
pub struct DraftMode {
    enabled: bool,
    secret: Arc<str>,
    jar: Arc<Mutex<Vec<ResponseCookie>>>,
}

impl DraftMode {
    /// Whether draft mode is on: the request carries the cookie with this build's secret, or
    /// [`enable`](DraftMode::enable) was called.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Turns draft mode on for this browser: sets the cookie (`Secure; HttpOnly;
    /// SameSite=none`, for the session). Only while the answer is being made: called once it
    /// has gone (in an `after()` future), it changes nothing and logs an error, as Next.js
    /// refuses it there.
    pub fn enable(&mut self) {
        if !answering("enable") {
            return;
        }
        self.enabled = true;
        self.push(
            ResponseCookie::new(COOKIE_NAME, &*self.secret)
                .secure(true)
                .http_only(true)
                .same_site(SameSite::None),
        );
    }

    /// Turns draft mode off for this browser: expires the cookie. Like
    /// [`enable`](DraftMode::enable), only while the answer is being made.
    pub fn disable(&mut self) {
        if !answering("disable") {
            return;
        }
        self.enabled = false;
        self.push(
            ResponseCookie::expired(COOKIE_NAME)
                .secure(true)
                .http_only(true)
                .same_site(SameSite::None),
        );
    }

    fn push(&self, cookie: ResponseCookie) {
        let mut jar = self.jar.lock().unwrap_or_else(|p| p.into_inner());
        jar.retain(|c| c.name() != COOKIE_NAME);
        jar.push(cookie);
    }
}

impl<S: Send + Sync> Argument<S, ViaArbor> for DraftMode {
    type Body = Leaves;

    async fn from_request(
        parts: &mut Parts,
        _body: &mut Option<Body>,
        cx: &Context,
        _state: &S,
    ) -> Result<Self, http::Response<Body>> {
        let secret = cx.site.draft_secret.clone();
        let enabled = !cx.is_render() && bypass(&parts.headers, &secret) == Bypass::Valid;
        Ok(DraftMode {
            enabled,
            secret,
            jar: cx.jar(),
        })
    }
}

/// Whether a handler or the middleware is making its answer now, so a cookie can still join
/// it; logged when not.
fn answering(what: &str) -> bool {
    let inside = with_current(|_| ()).is_some();
    if !inside {
        tracing::error!(
            "draft_mode.{what}() was called after the answer was sent (in after()?); it changes nothing"
        );
    }
    inside
}

/// What a request's draft cookie says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bypass {
    /// No draft cookie.
    Absent,
    /// This build's secret: render afresh.
    Valid,
    /// Another value: serve the cache, and clear the cookie.
    Invalid,
}

/// Reads the draft cookie; a request without one costs a scan of its `Cookie` headers.
pub(crate) fn bypass(headers: &HeaderMap, secret: &str) -> Bypass {
    let mentioned = headers.get_all(COOKIE).iter().any(|v| {
        v.as_bytes()
            .windows(COOKIE_NAME.len())
            .any(|w| w == COOKIE_NAME.as_bytes())
    });
    if !mentioned {
        return Bypass::Absent;
    }
    match RequestCookies::from_headers(headers).get(COOKIE_NAME) {
        None => Bypass::Absent,
        Some(cookie) if same_secret(cookie.value.as_bytes(), secret.as_bytes()) => Bypass::Valid,
        Some(_) => Bypass::Invalid,
    }
}

/// Compares a cookie's value with the secret in a time that does not depend on where they
/// differ, so a client cannot guess the secret byte by byte from the answers' timing.
fn same_secret(value: &[u8], secret: &[u8]) -> bool {
    value.len() == secret.len()
        && value
            .iter()
            .zip(secret)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The two `Set-Cookie` lines Next.js answers a stale draft cookie with.
pub(crate) fn clearing() -> [HeaderValue; 2] {
    [
        HeaderValue::from_static(
            "__prerender_bypass=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None",
        ),
        HeaderValue::from_static(
            "__next_preview_data=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None",
        ),
    ]
}

/// A secret for an app built without one: random, for this process.
pub(crate) fn random_secret() -> String {
    use std::hash::BuildHasher;
    // `RandomState` keys come from randomness the operating system gave this thread.
    let state = std::collections::hash_map::RandomState::new();
    format!("{:016x}{:016x}", state.hash_one(1u8), state.hash_one(2u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_builds_secret_bypasses_the_cache() {
        let secret = "0123456789abcdef0123456789abcdef";
        let with = |cookie: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                COOKIE,
                HeaderValue::try_from(cookie).expect("a header value"),
            );
            bypass(&headers, secret)
        };
        assert_eq!(bypass(&HeaderMap::new(), secret), Bypass::Absent);
        assert_eq!(with("theme=dark"), Bypass::Absent);
        assert_eq!(with(&format!("__prerender_bypass={secret}")), Bypass::Valid);
        assert_eq!(
            with("__prerender_bypass=0123456789abcdef0123456789abcdee"),
            Bypass::Invalid
        );
        assert_eq!(with("__prerender_bypass="), Bypass::Invalid);
        assert_eq!(
            with(&format!("a=1; __prerender_bypass={secret}x")),
            Bypass::Invalid
        );
    }
}
