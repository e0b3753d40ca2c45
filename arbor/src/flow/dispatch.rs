//! Method dispatch: which of a route's handlers answers a method, or which answer Arbor gives
//! itself (HEAD runs GET, OPTIONS is automatic, 405 with `Allow`, 501 for unknown methods, and
//! only GET and HEAD on a route served from the cache).

use std::sync::Arc;

use http::HeaderValue;

use super::static_cache::Cached;
use crate::answers;
use crate::body::Body;
use crate::handler::BoxHandler;
use crate::routing::Method;

/// A route, ready to answer.
pub(crate) struct ReadyRoute {
    pub(crate) pattern: &'static str,
    pub(crate) handlers: [Option<BoxHandler>; Method::COUNT],
    /// Present when GET is served from the cache (segment config, `generate_static_params`).
    pub(crate) cached: Option<Arc<Cached>>,
    /// `Allow` for OPTIONS and 405: the exported methods, HEAD with GET, OPTIONS; sorted.
    pub(crate) allow: HeaderValue,
    /// How long a handler may take (`MAX_DURATION`, or the server's handler timeout).
    pub(crate) max_duration: Option<std::time::Duration>,
    /// The body limit to apply here, when it differs from the one the app's layer applied.
    pub(crate) own_body_limit: Option<usize>,
    /// A page or metadata file rendered before traffic (see `Route::prerendered`).
    pub(crate) prerendered: bool,
    /// Whether its pattern has parameters: the config's `after_files` rewrites come first.
    pub(crate) dynamic: bool,
}

/// Whether a request is what Next.js takes for a server action: a POST of a form.
pub(crate) fn is_form_post(req: &http::Request<Body>) -> bool {
    req.method() == http::Method::POST
        && req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|t| t == "application/x-www-form-urlencoded" || t == "multipart/form-data")
}

/// Who answers a request to a route.
pub(crate) enum Dispatch<'a> {
    /// This handler.
    Handler(&'a BoxHandler),
    /// GET (or HEAD) of a cached route: the static cache, with the route's GET.
    Cached(&'a BoxHandler, &'a Arc<Cached>),
    /// Arbor, with this answer.
    Answer(http::Response<Body>),
}

impl ReadyRoute {
    /// Who answers `method` on this route.
    pub(crate) fn dispatch(&self, method: &http::Method) -> Dispatch<'_> {
        let known = Method::from_http(method);
        let handler = match known {
            Some(Method::Head) => self.handlers[Method::Head.index()]
                .as_ref()
                .or(self.handlers[Method::Get.index()].as_ref()),
            Some(m) => self.handlers[m.index()].as_ref(),
            None => None,
        };
        if let Some(cached) = &self.cached {
            let get = self.handlers[Method::Get.index()].as_ref();
            match (known, get, handler) {
                (Some(Method::Get | Method::Head), Some(get), Some(handler))
                    if Arc::ptr_eq(handler, get) =>
                {
                    return Dispatch::Cached(get, cached);
                }
                // Served from the cache: only GET and HEAD, as Next.js answers.
                (_, _, None) => return Dispatch::Answer(answers::static_method_not_allowed()),
                _ => {}
            }
        }
        match (known, handler) {
            (Some(_), Some(handler)) => Dispatch::Handler(handler),
            (Some(Method::Options), None) => Dispatch::Answer(answers::options(&self.allow)),
            (None, _) if !is_known_unroutable(method) => {
                Dispatch::Answer(answers::empty(http::StatusCode::NOT_IMPLEMENTED))
            }
            _ => Dispatch::Answer(answers::method_not_allowed(&self.allow)),
        }
    }
}

/// `Allow`: the exported methods, HEAD with GET, and OPTIONS, sorted as Next.js sorts them.
pub(crate) fn allow_header(methods: &[Method]) -> HeaderValue {
    let mut names: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
    if methods.contains(&Method::Get) && !methods.contains(&Method::Head) {
        names.push("HEAD");
    }
    if !methods.contains(&Method::Options) {
        names.push("OPTIONS");
    }
    names.sort_unstable();
    HeaderValue::try_from(names.join(", ")).unwrap_or_else(|_| HeaderValue::from_static("OPTIONS"))
}

/// Methods that exist but no route can export: answered 405 with `Allow`.
fn is_known_unroutable(method: &http::Method) -> bool {
    *method == http::Method::TRACE || *method == http::Method::CONNECT || method.as_str() == "TRACK"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(methods: &[Method]) -> ReadyRoute {
        let handler: BoxHandler =
            Arc::new(|_, _| Box::pin(async { http::Response::new(Body::empty()) }));
        let mut handlers: [Option<BoxHandler>; Method::COUNT] = Default::default();
        for m in methods {
            handlers[m.index()] = Some(handler.clone());
        }
        ReadyRoute {
            pattern: "/r",
            handlers,
            cached: None,
            allow: allow_header(methods),
            max_duration: None,
            own_body_limit: None,
            prerendered: false,
            dynamic: false,
        }
    }

    fn status(d: Dispatch<'_>) -> Option<(u16, String)> {
        match d {
            Dispatch::Answer(r) => Some((
                r.status().as_u16(),
                r.headers()
                    .get("allow")
                    .map(|v| v.to_str().unwrap().to_owned())
                    .unwrap_or_default(),
            )),
            _ => None,
        }
    }

    #[test]
    fn allow_lists_what_next_lists() {
        assert_eq!(allow_header(&[Method::Get]), "GET, HEAD, OPTIONS");
        assert_eq!(
            allow_header(&[Method::Get, Method::Patch, Method::Delete]),
            "DELETE, GET, HEAD, OPTIONS, PATCH"
        );
    }

    #[test]
    fn methods_find_their_handler_or_arbor_answers() {
        let r = route(&[Method::Get, Method::Post]);
        assert!(matches!(
            r.dispatch(&http::Method::GET),
            Dispatch::Handler(_)
        ));
        assert!(matches!(
            r.dispatch(&http::Method::HEAD),
            Dispatch::Handler(_)
        ));
        assert!(matches!(
            r.dispatch(&http::Method::POST),
            Dispatch::Handler(_)
        ));
        assert_eq!(
            status(r.dispatch(&http::Method::OPTIONS)),
            Some((204, "GET, HEAD, OPTIONS, POST".into()))
        );
        assert_eq!(
            status(r.dispatch(&http::Method::PUT)),
            Some((405, "GET, HEAD, OPTIONS, POST".into()))
        );
        assert_eq!(
            status(r.dispatch(&http::Method::TRACE)),
            Some((405, "GET, HEAD, OPTIONS, POST".into()))
        );
        let propfind = http::Method::from_bytes(b"PROPFIND").unwrap();
        assert_eq!(status(r.dispatch(&propfind)), Some((501, String::new())));
        assert_eq!(
            status(route(&[Method::Post]).dispatch(&http::Method::HEAD)),
            Some((405, "OPTIONS, POST".into()))
        );
    }
}
