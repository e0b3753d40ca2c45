//! The request path: how one request becomes one response, a module per stage. (Before it,
//! the app's tower layers: the request log, compression, the body limit, and the user's; see
//! `layers` and `app`.)
//!
//! ```text
//! normalise         `//` and a wrong trailing slash → 308, a bad escape → 400; BASE_PATH off
//!   → rules         arbor.config.rs: the headers for the answer, then a redirect
//!   → middleware    for the requests its matcher selects: Next | Rewrite | a response
//!       → proxy     a rewrite to another origin, its loop cut off
//!   → route         before_files → public/ and static routes → after_files → dynamic routes
//!                   → fallback (the tree: static beats [param] beats catch-alls)
//!       → static_cache   GET of a cached route: HIT | STALE | MISS (draft mode: rendered)
//!       → dispatch       the method's handler, or 405 / OPTIONS / 501
//!       → run            the handler, its scope (cache, after(), signal) set, panics caught
//!   → unmatched     the fallback service, `app/not-found.rs`, or the 404 page
//!   → finalise      HEAD drops the body, outside headers join, a failure is reported
//! ```
//!
//! [`Core::answer`] is that flow; each stage is a module of its own, and none of them imports
//! this one: the stages that pass a request on (the middleware, the static cache) call back
//! through [`Router`].

mod dispatch;
mod finalise;
mod limits;
mod middleware;
mod normalise;
mod proxy;
mod rules;
mod run;
mod static_cache;
mod step;

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context as TaskContext, Poll};
use std::time::Duration;

use axum::response::IntoResponse;
use futures_util::future::BoxFuture;
use http::HeaderValue;
use tokio_util::task::TaskTracker;
use tower::util::BoxCloneSyncService;

use crate::answers;
use crate::body::Body;
use crate::cache::{Cache, CacheStore, SegmentConfig};
use crate::context::{Context, Matched, Site};
use crate::draft::{self, Bypass};
use crate::handler::BoxHandler;
use crate::headers;
use crate::instrumentation::{ErrorRequest, Failure, Register, Reporter};
use crate::middleware::Matchers;
use crate::public::{self, PublicFiles};
use crate::routing::params::Params;
use crate::routing::tree::{Captures, PatternError, Tree};
use crate::routing::{Method, RouteLimits, StaticPaths};

use dispatch::{allow_header, Dispatch, ReadyRoute};
pub(crate) use middleware::MiddlewareSlot;
use middleware::Runner;
use normalise::Normalised;
pub(crate) use normalise::Slash;
#[cfg(fuzzing)]
pub(crate) use normalise::{check as check_path, PathCheck};
pub(crate) use rules::Rules;
pub use rules::{CompiledConfig, CompiledHeaders, CompiledRedirect, CompiledRewrite, CompiledRule};
use rules::{Phase, Rewritten};
use run::Run;
use static_cache::Cached;
use step::{Router, Step, Via};

type Response = http::Response<Body>;

/// A service requests go to when no route matches (`App::fallback_service`).
pub(crate) type Fallback = BoxCloneSyncService<http::Request<Body>, Response, Infallible>;

/// The origin a static render's request carries, as Next.js's build-time render has it.
const STATIC_ORIGIN: &str = "http://localhost:3000";

/// Everything the request path needs, built once from an app: nothing is discovered later.
#[derive(Clone)]
pub(crate) struct Core {
    shared: Arc<Shared>,
}

struct Shared {
    tree: Tree,
    routes: Vec<ReadyRoute>,
    not_found: Option<BoxHandler>,
    fallback: Option<Fallback>,
    middleware: Option<(Arc<middleware::Shared>, Arc<dyn Runner<Core>>)>,
    /// `arbor.config.rs`: redirects, rewrites and headers.
    rules: Option<Rules>,
    /// `instrumentation.rs`: `register()`, and `on_request_error()`.
    register: Option<Register>,
    reporter: Option<Reporter>,
    /// Serves rewrites to another origin (the middleware's and the config's).
    proxy: Arc<proxy::Proxy>,
    site: Arc<Site>,
    cache: Arc<Cache>,
    statics: Arc<static_cache::Shared>,
    /// The body limit the app's layer applies: the largest of the app's and the routes'.
    layer_body_limit: Option<usize>,
    public: Option<PublicFiles>,
}

/// A route as the app hands it over: its handlers given their state.
pub(crate) struct RouteParts {
    pub(crate) pattern: &'static str,
    pub(crate) file: &'static str,
    pub(crate) handlers: [Option<BoxHandler>; Method::COUNT],
    pub(crate) config: Option<SegmentConfig>,
    pub(crate) static_paths: Option<StaticPaths>,
    pub(crate) limits: RouteLimits,
    pub(crate) prerendered: bool,
}

/// What the app hands over to build its request path.
pub(crate) struct Parts {
    pub(crate) routes: Vec<RouteParts>,
    pub(crate) not_found: Option<BoxHandler>,
    pub(crate) fallback: Option<Fallback>,
    pub(crate) middleware: Option<(Arc<dyn Runner<Core>>, Matchers)>,
    /// `arbor.config.rs`, ready.
    pub(crate) rules: Option<Rules>,
    /// `instrumentation.rs`'s `register()`.
    pub(crate) register: Option<Register>,
    /// `instrumentation.rs`'s `on_request_error()`.
    pub(crate) reporter: Option<Reporter>,
    /// The draft-mode cookie's value.
    pub(crate) draft_secret: String,
    /// The origin request URLs are built from (`http://localhost:3000`).
    pub(crate) origin: String,
    /// Where the site is published, for page heads (`App::metadata_base`).
    pub(crate) metadata_base: Option<String>,
    /// The port Arbor's server listens on, when it is the one serving.
    pub(crate) port: Option<u16>,
    /// Whether the client's `x-forwarded-*` headers come from a trusted proxy.
    pub(crate) behind_proxy: bool,
    /// How long any handler may take, unless its route says.
    pub(crate) handler_timeout: Option<Duration>,
    /// The app's body limit, unless a route says.
    pub(crate) body_limit: Option<usize>,
    /// The files of `public/`, served before the routes.
    pub(crate) public: Option<PublicFiles>,
    pub(crate) proxy_timeout: Duration,
    pub(crate) cache_store: Arc<dyn CacheStore>,
    pub(crate) background: TaskTracker,
}

impl Core {
    /// Builds the request path. A route that cannot join the tree (two at one URL, a
    /// catch-all that is not last) is refused, naming its file.
    pub(crate) fn new(parts: Parts) -> io::Result<Core> {
        let mut tree = Tree::default();
        let mut routes = Vec::with_capacity(parts.routes.len());
        // The layer lets through the largest body any route accepts; a route that accepts
        // less checks its own limit.
        let layer_body_limit = parts.routes.iter().fold(parts.body_limit, |most, route| {
            match (most, route.limits.body_limit) {
                (Some(most), Some(own)) => Some(most.max(own)),
                _ => None,
            }
        });
        for (id, route) in parts.routes.into_iter().enumerate() {
            tree.insert(route.pattern, id).map_err(|err| {
                let why = match err {
                    PatternError::Duplicate => "another route already answers this URL",
                    PatternError::CatchAllNotLast => "a catch-all must be the last segment",
                };
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("route `{}` ({}): {why}", route.pattern, route.file),
                )
            })?;
            let methods: Vec<Method> = Method::ALL
                .into_iter()
                .filter(|m| route.handlers[m.index()].is_some())
                .collect();
            let cached = route
                .config
                .filter(SegmentConfig::is_static)
                .map(|config| Arc::new(Cached::new(config, route.static_paths)));
            let body_limit = route.limits.body_limit.or(parts.body_limit);
            routes.push(ReadyRoute {
                pattern: route.pattern,
                allow: allow_header(&methods),
                handlers: route.handlers,
                cached,
                max_duration: route.limits.max_duration.or(parts.handler_timeout),
                own_body_limit: body_limit.filter(|_| body_limit != layer_body_limit),
                prerendered: route.prerendered,
                dynamic: route.pattern.contains('['),
            });
        }
        let port = parts
            .port
            .map_or(HeaderValue::from_static("3000"), HeaderValue::from);
        let metadata_base: Option<Box<str>> = parts.metadata_base.as_deref().map(Into::into);
        let draft_secret: Arc<str> = parts.draft_secret.into();
        let base_path = parts.rules.as_ref().and_then(|r| r.base_path).unwrap_or("");
        let site = Arc::new(Site {
            origin: parts.origin.as_str().into(),
            metadata_base: metadata_base.clone(),
            port: port.clone(),
            behind_proxy: parts.behind_proxy,
            background: parts.background.clone(),
            draft_secret: draft_secret.clone(),
            base_path,
        });
        let cache = Arc::new(Cache::new(parts.cache_store, parts.background.clone()));
        let statics = Arc::new(static_cache::Shared {
            cache: cache.clone(),
            reporter: parts.reporter.clone(),
            site: Arc::new(Site {
                origin: STATIC_ORIGIN.into(),
                metadata_base,
                port,
                behind_proxy: false,
                background: parts.background,
                draft_secret,
                base_path,
            }),
        });
        let proxy = Arc::new(proxy::Proxy::new(
            &parts.origin,
            parts.port,
            parts.proxy_timeout,
        ));
        let middleware = parts.middleware.map(|(runner, matchers)| {
            let stage = Arc::new(middleware::Shared {
                matchers,
                proxy: proxy.clone(),
                site: site.clone(),
                cache: cache.clone(),
            });
            (stage, runner)
        });
        Ok(Core {
            shared: Arc::new(Shared {
                tree,
                routes,
                not_found: parts.not_found,
                fallback: parts.fallback,
                middleware,
                rules: parts.rules,
                register: parts.register,
                reporter: parts.reporter,
                proxy,
                site,
                cache,
                statics,
                layer_body_limit,
                public: parts.public,
            }),
        })
    }

    /// The body limit of the app's layer: the app's, or a route's when it is larger.
    pub(crate) fn layer_body_limit(&self) -> Option<usize> {
        self.shared.layer_body_limit
    }

    /// Work handlers left running with `WaitUntil`; graceful shutdown waits for it.
    pub(crate) fn background(&self) -> &TaskTracker {
        &self.shared.site.background
    }

    /// Answers one request: the whole request path.
    pub(crate) fn answer(&self, req: http::Request<Body>, peer: Option<HeaderValue>) -> Answer {
        let head = req.method() == http::Method::HEAD;
        // What `on_request_error` would be told, kept only when the app listens.
        let report = self.shared.reporter.as_ref().map(|reporter| {
            Box::new(Reporting::Ready(Report {
                request: ErrorRequest {
                    path: req
                        .uri()
                        .path_and_query()
                        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()),
                    method: req.method().clone(),
                    headers: req.headers().clone(),
                },
                reporter: reporter.clone(),
            }))
        });
        let mut answer = self.answer_step(req, peer, head);
        answer.report = report;
        answer
    }

    fn answer_step(
        &self,
        mut req: http::Request<Body>,
        peer: Option<HeaderValue>,
        head: bool,
    ) -> Answer {
        let rules = self.shared.rules.as_ref();
        // 1. Normalise: 308 to the clean path, 400 for a bad escape.
        let slash = rules.map_or(Slash::Never, |r| r.slash);
        if let Normalised::Answer(answer) = normalise::request(&req, slash) {
            return Answer::new(Step::Done(answer), head);
        }
        // 2. `BASE_PATH` comes off the path: the app sees its own paths.
        let inside = match rules.and_then(|r| r.base_path) {
            Some(base) => normalise::strip_base(&mut req, base),
            None => true,
        };
        // 3. The config's headers for the request as it came, then its redirects (which
        // get none of those headers, as in Next.js).
        let config = match rules {
            Some(rules) => {
                if let Some(redirect) = rules.redirect(&req, inside) {
                    return Answer::new(Step::Done(redirect), head);
                }
                rules.headers(&req, inside)
            }
            None => None,
        };
        if !inside {
            // Nothing of the app is outside its base path.
            return Answer::new(self.unmatched(req, Via::client(peer, config)), head);
        }
        // 4. The middleware, for the requests its matcher selects; it routes on itself.
        if let Some((stage, runner)) = &self.shared.middleware {
            if stage.selects(&req) {
                let entry = middleware::Entry {
                    peer,
                    config,
                    earlier: None,
                };
                let run = runner.run(self.clone(), stage.clone(), req, entry);
                return Answer::new(Step::Boxed(run), head);
            }
        }
        let via = Via::client(peer, config);
        // 5. The route (or the fallback, or not-found); 6. finalised by `Answer`.
        Answer::new(self.route(req, via), head)
    }

    /// What answers `path`: a file of `public/` (which beats a route at the same URL, as in
    /// Next.js), or a route and its captures.
    #[inline(always)]
    fn find(&self, path: &str) -> Found {
        let shared = &self.shared;
        if let Some(file) = shared.public.as_ref().and_then(|p| p.find(path)) {
            return Found::Public(file.to_owned());
        }
        let mut captures = Captures::new();
        match shared.tree.find(path, &mut captures) {
            Some(id) => Found::Route(id, Params::decode(&captures)),
            None => Found::Nothing,
        }
    }

    /// Where the config's rewrites send a request and what answers there: `before_files`
    /// first; `after_files` when no file of `public/` or route without parameters answers;
    /// `fallback` when nothing does. With the path it was routed on, when a rewrite moved it.
    #[inline]
    fn resolve(&self, req: &http::Request<Body>) -> Resolved {
        let Some(rules) = &self.shared.rules else {
            return Resolved::At(self.find(req.uri().path()), None);
        };
        // With `TRAILING_SLASH`, `/items/7/` is the route `/items/[id]`.
        let own = match rules.slash {
            Slash::Always if req.uri().path().len() > 1 => req
                .uri()
                .path()
                .strip_suffix('/')
                .unwrap_or(req.uri().path()),
            _ => req.uri().path(),
        };
        let (query, headers) = (req.uri().query(), req.headers());
        let mut target = match rules.rewrite(Phase::BeforeFiles, own, query, headers) {
            Some(Rewritten::External(uri)) => return Resolved::External(uri),
            Some(Rewritten::Path(to)) => Some(to),
            None => None,
        };
        let found = self.find(target.as_deref().unwrap_or(own));
        let file = match &found {
            Found::Public(_) => true,
            Found::Route(id, _) => !self.shared.routes[*id].dynamic,
            Found::Nothing => false,
        };
        if file {
            return Resolved::At(found, target);
        }
        let path = target.as_deref().unwrap_or(own);
        let found = match rules.rewrite(Phase::AfterFiles, path, query, headers) {
            Some(Rewritten::External(uri)) => return Resolved::External(uri),
            Some(Rewritten::Path(to)) => {
                let found = self.find(&to);
                target = Some(to);
                found
            }
            None => found,
        };
        if !matches!(found, Found::Nothing) {
            return Resolved::At(found, target);
        }
        let path = target.as_deref().unwrap_or(own);
        match rules.rewrite(Phase::Fallback, path, query, headers) {
            Some(Rewritten::External(uri)) => Resolved::External(uri),
            Some(Rewritten::Path(to)) => Resolved::At(self.find(&to), Some(to)),
            None => Resolved::At(Found::Nothing, target),
        }
    }

    /// A config rewrite to another origin: proxied with `x-forwarded-host`, as Next.js does.
    fn proxy_rewrite(&self, mut req: http::Request<Body>, uri: http::Uri, via: Via) -> Step {
        let Some(hops) = self.shared.proxy.take_hops(req.headers_mut()) else {
            return Step::Done(answers::internal_error());
        };
        let (proxy, behind_proxy) = (self.shared.proxy.clone(), self.shared.site.behind_proxy);
        Step::boxed(async move {
            let (parts, body) = req.into_parts();
            let body = match crate::body::read_all(body).await {
                Ok(read) => read,
                Err(err) => return err.into_response(),
            };
            let mut headers = parts.headers;
            headers::forwarded_host(&mut headers, behind_proxy);
            let mut proxied = proxy.forward(parts.method, &headers, uri, body, hops).await;
            via.finish(proxied.headers_mut());
            proxied
        })
    }

    /// Starts the app before the server takes traffic: `instrumentation.rs`'s `register()`
    /// (whose error stops start-up), then every cached route (and each path
    /// `generate_static_params` names) rendered. A `DYNAMIC = Dynamic::Error` handler that
    /// reads its request fails here, naming what it read.
    pub(crate) async fn prerender(&self) -> io::Result<()> {
        let shared = &self.shared;
        if let Some(register) = &shared.register {
            register().await.map_err(|err| {
                io::Error::other(format!(
                    "instrumentation.rs: register() failed, so the server does not start: {err}"
                ))
            })?;
        }
        for (id, route) in shared.routes.iter().enumerate() {
            let (Some(cached), Some(get)) = (&route.cached, &route.handlers[Method::Get.index()])
            else {
                continue;
            };
            for path in cached.prerender_paths(route.pattern).await {
                let mut captures = Captures::new();
                if shared.tree.find(&path, &mut captures) != Some(id) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "`{}`: generate_static_params returned {path:?}, which is not a URL of this route",
                            route.pattern
                        ),
                    ));
                }
                let params = Params::decode(&captures)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
                let matched = Matched {
                    pattern: route.pattern,
                    params,
                };
                let started = std::time::Instant::now();
                static_cache::prerender(&shared.statics, get, cached, &path, matched).await?;
                // `arbor build` reads these lines for its table.
                tracing::debug!(
                    target: "arbor::prerender",
                    route = route.pattern,
                    path = %path,
                    micros = started.elapsed().as_micros() as u64,
                    "prerendered"
                );
            }
        }
        Ok(())
    }

    fn run(
        &self,
        handler: &BoxHandler,
        req: http::Request<Body>,
        cx: Context,
        what: &'static str,
    ) -> Run<futures_util::future::BoxFuture<'static, Response>> {
        Run::new(handler(req, cx), self.shared.cache.clone(), what)
    }
}

impl Router for Core {
    fn route(&self, req: http::Request<Body>, via: Via) -> Step {
        let shared = &self.shared;
        let (found, target) = match self.resolve(&req) {
            Resolved::At(found, target) => (found, target),
            Resolved::External(uri) => return self.proxy_rewrite(req, uri, via),
        };
        let (id, params) = match found {
            Found::Public(file) => {
                let (method, headers) = (req.method().clone(), req.headers().clone());
                return Step::boxed(async move {
                    let mut response = public::serve(file, method, headers).await;
                    via.finish(response.headers_mut());
                    response
                });
            }
            Found::Nothing => return self.unmatched(req, via),
            Found::Route(id, params) => (id, params),
        };
        let route = &shared.routes[id];
        crate::layers::record_route(route.pattern);
        let params = match params {
            Ok(params) => params,
            Err(err) => return answered(err.into_response(), via),
        };
        let matched = Matched {
            pattern: route.pattern,
            params,
        };
        // A form POST to a prerendered page or metadata file: Next.js takes it for a server
        // action, and, having none, answers with the cached GET.
        let method = if route.prerendered && route.cached.is_some() && dispatch::is_form_post(&req)
        {
            &http::Method::GET
        } else {
            req.method()
        };
        match route.dispatch(method) {
            Dispatch::Answer(answer) => answered(answer, via),
            Dispatch::Handler(handler) => {
                let mut req = req;
                if let Some(limit) = route.own_body_limit {
                    if let Some(answer) = limits::body(&mut req, limit) {
                        return answered(answer, via);
                    }
                }
                let (peer, outside) = via.split();
                let cx = Context::routed(shared.site.clone(), Some(matched), peer, outside);
                let run = self.run(handler, req, cx, route.pattern);
                match route.max_duration {
                    None => Step::Handler(run),
                    Some(max) => Step::boxed(limits::within(run, max, route.pattern)),
                }
            }
            Dispatch::Cached(get, cached) => {
                match draft::bypass(req.headers(), &shared.site.draft_secret) {
                    // Draft mode: rendered for this request, and the cache left as it was.
                    Bypass::Valid => {
                        let (peer, outside) = via.split();
                        let cx = Context::routed(shared.site.clone(), Some(matched), peer, outside);
                        let run = self.run(get, req, cx, route.pattern);
                        Step::boxed(async move {
                            let mut response = finalise::handler_output(run.await);
                            static_cache::as_draft(&mut response);
                            response
                        })
                    }
                    bypass => {
                        let serve = static_cache::serve(
                            self.clone(),
                            shared.statics.clone(),
                            req,
                            target,
                            (get.clone(), cached.clone()),
                            matched,
                            via,
                        );
                        if bypass == Bypass::Absent {
                            return Step::boxed(serve);
                        }
                        Step::boxed(async move {
                            let mut response = serve.await;
                            for line in draft::clearing() {
                                response
                                    .headers_mut()
                                    .append(http::header::SET_COOKIE, line);
                            }
                            response
                        })
                    }
                }
            }
        }
    }

    fn unmatched(&self, mut req: http::Request<Body>, via: Via) -> Step {
        let shared = &self.shared;
        if let Some(fallback) = &shared.fallback {
            if let Some(middleware) = &via.headers {
                headers::copy_onto_request(req.headers_mut(), middleware);
            }
            let mut fallback = fallback.clone();
            return Step::boxed(async move {
                let Ok(mut response) = tower::ServiceExt::oneshot(&mut fallback, req).await;
                via.finish(response.headers_mut());
                response
            });
        }
        let via = via.for_not_found();
        if let Some(handler) = &shared.not_found {
            let (peer, outside) = via.split();
            let cx = Context::routed(shared.site.clone(), None, peer, outside);
            return Step::NotFound(self.run(handler, req, cx, "not-found"));
        }
        answered(answers::not_found(req.uri().path(), req.headers()), via)
    }

    fn rewritten(&self, req: http::Request<Body>, via: Via) -> Step {
        if let Some((stage, runner)) = &self.shared.middleware {
            if !via.reran && stage.selects(&req) {
                // The first run's headers stay under the second's.
                let entry = middleware::Entry {
                    peer: via.peer,
                    config: via.config,
                    earlier: Some(via.headers.map(Box::new)),
                };
                return Step::Boxed(runner.run(self.clone(), stage.clone(), req, entry));
            }
        }
        self.route(req, via)
    }
}

/// What answers a path.
enum Found {
    /// A file of `public/`.
    Public(public::PublicFile),
    /// A route, with its parameters decoded (or why they could not be).
    Route(usize, Result<Params, crate::error::Error>),
    Nothing,
}

/// Where the config's rewrites sent a request.
enum Resolved {
    /// What answers there, and the path it was routed on when a rewrite moved it.
    At(Found, Option<String>),
    /// Another origin.
    External(http::Uri),
}

/// An answer Arbor made itself, with the headers from outside the route joined.
fn answered(mut response: Response, via: Via) -> Step {
    via.finish(response.headers_mut());
    Step::Done(response)
}

/// A request's whole answer: its step, finalised (a HEAD answer drops its body, a failure is
/// reported before the answer goes out, as Next.js awaits `onRequestError`).
pub struct Answer {
    step: Step,
    head: bool,
    /// With `on_request_error`: what a failure would report, then the report being made
    /// while the answer waits (boxed: rare, and large).
    report: Option<Box<Reporting>>,
}

/// The report of a request, before and while it is made.
enum Reporting {
    Ready(Report),
    Sending(BoxFuture<'static, ()>, Response),
}

impl Answer {
    fn new(step: Step, head: bool) -> Self {
        Answer {
            step,
            head,
            report: None,
        }
    }
}

/// What a failed request reports to `on_request_error`.
struct Report {
    request: ErrorRequest,
    reporter: Reporter,
}

impl Report {
    /// The report of the failure an answer carries.
    fn failed(self, failure: Failure) -> BoxFuture<'static, ()> {
        let Report { request, reporter } = self;
        let context = failure.context(&request.path);
        reporter(failure.error, request, context)
    }
}

impl Future for Answer {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(Reporting::Sending(report, _)) = this.report.as_deref_mut() {
            ready!(report.as_mut().poll(cx));
            if let Some(Reporting::Sending(_, response)) = this.report.take().map(|r| *r) {
                return Poll::Ready(Ok(response));
            }
        }
        let mut response = ready!(Pin::new(&mut this.step).poll(cx));
        if this.head {
            finalise::strip_body(&mut response);
        }
        if let Some(Reporting::Ready(report)) = this.report.take().map(|r| *r) {
            if let Some(failure) = response.extensions_mut().remove::<Failure>() {
                let sending = Reporting::Sending(report.failed(failure), response);
                this.report = Some(Box::new(sending));
                return Pin::new(this).poll(cx);
            }
        }
        Poll::Ready(Ok(response))
    }
}
