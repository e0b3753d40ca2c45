//! What one request carries besides its `http::Request`: what the router matched, the site it
//! was sent to, the client's address, the cookies a middleware set, and the static-render
//! probe. The router hands it to the handler with the request; the extractors
//! ([`Request`](crate::Request), [`RouteContext`](crate::RouteContext),
//! [`Cookies`](crate::cookies::Cookies), [`WaitUntil`](crate::middleware::WaitUntil)) read it.
//!
//! A leaf: it imports the plain data it holds and nothing of the request path.

use std::sync::{Arc, Mutex, OnceLock};

use http::header::{HeaderName, HOST};
use http::{HeaderMap, HeaderValue};
use tokio_util::task::TaskTracker;

use crate::cookie::{ProxyCookies, ResponseCookie, SetCookieLines};
use crate::error::Error;
use crate::headers::{self, HeaderList};
use crate::routing::params::{FromParams, Params};

/// The per-request context a handler is called with. Built by the router; it has no public
/// API: handlers reach it through their arguments.
pub struct Context {
    pub(crate) site: Arc<Site>,
    pub(crate) matched: Option<Matched>,
    pub(crate) client: Client,
    pub(crate) probe: Option<RenderProbe>,
    pub(crate) proxy_cookies: Option<ProxyCookies>,
    /// The headers the middleware's `Next` or `Rewrite` set: copied onto the request when a
    /// handler argument may read it, merged into the response.
    middleware_headers: Option<HeaderList>,
    /// The app config's headers (`HEADERS`), merged into the response before the middleware's.
    config_headers: Option<Box<HeaderList>>,
    /// Cookies set through `Cookies`, created on first use.
    jar: OnceLock<Arc<Mutex<Vec<ResponseCookie>>>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("origin", &self.site.origin)
            .field("matched", &self.matched)
            .finish_non_exhaustive()
    }
}

impl Context {
    /// The context of a request from a client.
    pub(crate) fn new(
        site: Arc<Site>,
        matched: Option<Matched>,
        peer: Option<HeaderValue>,
    ) -> Self {
        Context {
            site,
            matched,
            client: Client::Peer(peer),
            probe: None,
            proxy_cookies: None,
            middleware_headers: None,
            config_headers: None,
            jar: OnceLock::new(),
        }
    }

    /// The context of a static render: no client, and a probe under `DYNAMIC = Error`.
    pub(crate) fn render(site: Arc<Site>, matched: Matched, probe: Option<RenderProbe>) -> Self {
        Context {
            site,
            matched: Some(matched),
            client: Client::Render,
            probe,
            proxy_cookies: None,
            middleware_headers: None,
            config_headers: None,
            jar: OnceLock::new(),
        }
    }

    /// Whether this is a static render, before or outside any client's request.
    pub(crate) fn is_render(&self) -> bool {
        matches!(self.client, Client::Render)
    }

    /// The context of a request from a client, routed: with what the middleware set (its
    /// cookies, for the cookie readers, and its headers) and the app config's headers for the
    /// answer. One constructor, so the context is built in place.
    #[inline]
    pub(crate) fn routed(
        site: Arc<Site>,
        matched: Option<Matched>,
        peer: Option<HeaderValue>,
        outside: Outside,
    ) -> Self {
        let Outside {
            proxy_cookies,
            middleware_headers,
            config_headers,
        } = outside;
        Context {
            site,
            matched,
            client: Client::Peer(peer),
            probe: None,
            proxy_cookies,
            middleware_headers,
            config_headers,
            jar: OnceLock::new(),
        }
    }

    /// Copies the middleware's headers onto the handler's request, before its arguments read
    /// it. Handlers without arguments skip it: nothing of theirs could see them.
    pub(crate) fn prepare(&self, request: &mut HeaderMap) {
        if let Some(middleware) = &self.middleware_headers {
            headers::copy_onto_request(request, middleware);
        }
    }

    /// What the response gets on its way out of the handler: the cookies set through
    /// `Cookies` after its own `Set-Cookie` lines, then the config's headers, then the
    /// middleware's.
    pub(crate) fn finish(&mut self, response: &mut HeaderMap) {
        self.set_cookies_on(response);
        if let Some(config) = self.config_headers.take() {
            headers::merge_into_response(response, *config);
        }
        if let Some(middleware) = self.middleware_headers.take() {
            headers::merge_into_response(response, middleware);
        }
    }

    /// The queue `Cookies::set` writes to.
    pub(crate) fn jar(&self) -> Arc<Mutex<Vec<ResponseCookie>>> {
        self.jar.get_or_init(Arc::default).clone()
    }

    /// Appends the cookies set through `Cookies` after the response's own `Set-Cookie` lines.
    pub(crate) fn set_cookies_on(&self, lines: &mut dyn SetCookieLines) {
        let Some(jar) = self.jar.get() else { return };
        let pending = std::mem::take(&mut *jar.lock().unwrap_or_else(|p| p.into_inner()));
        for cookie in pending {
            lines.push(cookie.header_value());
        }
    }
}

/// What a routed request brings from outside its route: the cookies and headers the
/// middleware set, and the app config's headers for its answer.
pub(crate) struct Outside {
    pub(crate) proxy_cookies: Option<ProxyCookies>,
    pub(crate) middleware_headers: Option<HeaderList>,
    pub(crate) config_headers: Option<Box<HeaderList>>,
}

/// What every request an app answers shares. It has no public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct Site {
    /// The origin (`http://localhost:3000`) request URLs are built from: the server's
    /// configured host and port, never the client's `Host` header.
    pub(crate) origin: Box<str>,
    /// Where the site is published (`App::metadata_base`), for page heads.
    pub(crate) metadata_base: Option<Box<str>>,
    /// The port the server listens on, for `x-forwarded-port`.
    pub(crate) port: HeaderValue,
    /// Whether a proxy in front sets `x-forwarded-*` (`Server::behind_proxy`): when not, a
    /// client's own values are replaced.
    pub(crate) behind_proxy: bool,
    /// Work handlers left running with `WaitUntil`; graceful shutdown waits for it.
    pub(crate) background: TaskTracker,
    /// The value of the draft-mode cookie for this build.
    pub(crate) draft_secret: Arc<str>,
    /// Where the app is served (`BASE_PATH`), `""` at the root: page heads link under it.
    pub(crate) base_path: &'static str,
}

/// Who sent the request.
#[derive(Debug, Clone)]
pub(crate) enum Client {
    /// A client, at this address when known.
    Peer(Option<HeaderValue>),
    /// Nobody: a static render, which gets no forwarded headers.
    Render,
}

const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const FORWARDED_PORT: HeaderName = HeaderName::from_static("x-forwarded-port");
const FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

impl Context {
    /// `x-forwarded-for/-host/-port/-proto`, as Next.js adds them. Behind a proxy
    /// (`Server::behind_proxy`), values the proxy set are kept; otherwise a client's own are
    /// replaced, since any client could forge them. Added where they are read: the
    /// handler's `Request`, and proxied rewrites.
    pub(crate) fn add_forwarded(&self, headers: &mut HeaderMap) {
        let Client::Peer(peer) = &self.client else {
            return;
        };
        let keep = self.site.behind_proxy;
        if !(keep && headers.contains_key(FORWARDED_FOR)) {
            match peer {
                Some(peer) => headers.insert(FORWARDED_FOR, peer.clone()),
                None => headers.remove(FORWARDED_FOR),
            };
        }
        if !(keep && headers.contains_key(FORWARDED_HOST)) {
            match headers.get(HOST).cloned() {
                Some(host) => headers.insert(FORWARDED_HOST, host),
                None => headers.remove(FORWARDED_HOST),
            };
        }
        if !(keep && headers.contains_key(FORWARDED_PORT)) {
            headers.insert(FORWARDED_PORT, self.site.port.clone());
        }
        if !(keep && headers.contains_key(FORWARDED_PROTO)) {
            headers.insert(FORWARDED_PROTO, HeaderValue::from_static("http"));
        }
    }
}

/// What the router found for this request.
#[derive(Debug, Clone)]
pub(crate) struct Matched {
    /// The route's pattern (`/comments/[id]`).
    pub(crate) pattern: &'static str,
    pub(crate) params: Params,
}

impl Matched {
    /// The typed parameters, checked against the route that matched.
    pub(crate) fn to_params<P: FromParams>(&self) -> Result<P, Error> {
        // A metadata file (`opengraph-image.rs`) takes its folder's `Params`, whose pattern
        // the route's starts with.
        let own = self.pattern == P::PATTERN
            || self
                .pattern
                .strip_prefix(P::PATTERN)
                .is_some_and(|rest| rest.starts_with('/'));
        if !P::PATTERN.is_empty() && !own {
            return Err(Error::internal_message(format!(
                "the handler for `{}` asks for the parameters of `{}`; use the `Params` generated beside its own route.rs (`use super::Params;`)",
                self.pattern,
                P::PATTERN
            )));
        }
        Ok(P::from_params(&self.params))
    }
}

/// Records what a static render under `DYNAMIC = Dynamic::Error` read of its request.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderProbe(Arc<Mutex<Option<&'static str>>>);

impl RenderProbe {
    pub(crate) fn touch(&self, what: &'static str) {
        let mut used = self.0.lock().unwrap_or_else(|p| p.into_inner());
        used.get_or_insert(what);
    }

    pub(crate) fn used(&self) -> Option<&'static str> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
