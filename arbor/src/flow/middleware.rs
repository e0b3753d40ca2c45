//! The middleware stage: runs the root middleware for the requests its matcher selects, then
//! does what its [`Outcome`] asks: go on to the route with its changes, serve another URL
//! (another route, or another origin through the reverse proxy), or answer.
//!
//! The whole stage for one request is one boxed future ([`Runner::run`]), made for the app's
//! own middleware function: the middleware's future, then the step the route decided.

use std::future::Future;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context as TaskContext, Poll};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use http::request::Parts;
use http::HeaderValue;
use pin_project_lite::pin_project;

use super::finalise;
use super::proxy::{Proxy, Target};

use super::step::{Router, Step, Via};
use crate::answers;
use crate::body::{self, Body};
use crate::cache::{Cache, Entered};
use crate::context::{Context, Site};
use crate::cookie::ProxyCookies;
use crate::handler_scope::{Finish, Held};
use crate::headers::{self, HeaderList};
use crate::instrumentation::Failure;
use crate::middleware::{Changes, Matchers, Middleware, Outcome};

type Response = http::Response<Body>;

/// The app's middleware, given its state: runs the stage for a request routed by `R`.
pub(crate) trait Runner<R>: Send + Sync {
    fn run(
        &self,
        router: R,
        stage: Arc<Shared>,
        req: http::Request<Body>,
        entry: Entry,
    ) -> BoxFuture<'static, Response>;
}

/// What a request brings to the middleware: the client's address and the config's headers;
/// for a second run (on the path the first rewrote to), the first run's headers.
pub(crate) struct Entry {
    pub(crate) peer: Option<HeaderValue>,
    pub(crate) config: Option<Box<HeaderList>>,
    /// Set for a second run: the first run's headers, if it set any.
    pub(crate) earlier: Option<Option<Box<HeaderList>>>,
}

/// A middleware function with its state.
struct Bound<H, T, S> {
    handler: H,
    state: S,
    _args: PhantomData<fn() -> T>,
}

impl<H, T, S, R> Runner<R> for Bound<H, T, S>
where
    H: Middleware<T, S>,
    S: Clone + Send + Sync + 'static,
    T: 'static,
    R: Router,
{
    fn run(
        &self,
        router: R,
        stage: Arc<Shared>,
        req: http::Request<Body>,
        entry: Entry,
    ) -> BoxFuture<'static, Response> {
        let peer = entry.peer.clone();
        let (handler, state) = (self.handler.clone(), self.state.clone());
        let (parts, body) = req.into_parts();
        let site = stage.site.clone();
        let cache = stage.cache.clone();
        if H::READS_BODY && !body::is_empty(&body) {
            // The body is read first, within the limit; the middleware reads a copy, the route
            // the body again.
            return Box::pin(async move {
                let read = match body::read_all(body).await {
                    Ok(read) => read,
                    Err(err) => return axum::response::IntoResponse::into_response(err),
                };
                let copy = Some(body::of_bytes(&read));
                let way = Way {
                    router,
                    shared: stage,
                    body: None,
                    read: Some(read),
                    entry,
                };
                let then = move |parts, outcome| way.follow(parts, outcome);
                Stage::new(handler.call(parts, copy, site, peer, state, then), cache).await
            });
        }
        let way = Way {
            router,
            shared: stage,
            body: Some(body),
            read: None,
            entry,
        };
        let then = move |parts, outcome| way.follow(parts, outcome);
        Box::pin(Stage::new(
            handler.call(parts, None, site, peer, state, then),
            cache,
        ))
    }
}

pin_project! {
    /// The middleware's future, which ends with the step the route decided, then that step:
    /// a small hand-written future, with the middleware's panics caught. What the middleware
    /// gives `after()` runs once the whole response (the route's included) is sent.
    struct Stage<F> {
        #[pin]
        state: StageState<F>,
        held: Held,
        // The app's cache: its presence marks the scope `after()` and the signal register
        // in (and lets the middleware revalidate, which Next.js's proxy cannot).
        cache: Option<Arc<Cache>>,
    }
}

pin_project! {
    #[project = StageProjected]
    enum StageState<F> {
        Running { #[pin] future: F },
        Routed { step: Step },
    }
}

impl<F> Stage<F> {
    fn new(future: F, cache: Arc<Cache>) -> Self {
        Stage {
            state: StageState::Running { future },
            held: Held::default(),
            cache: Some(cache),
        }
    }
}

impl<F: Future<Output = Step>> Future for Stage<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Response> {
        let this = self.project();
        let mut state = this.state;
        loop {
            let step = match state.as_mut().project() {
                StageProjected::Running { future } => {
                    // A panic in the middleware is its own 500; the route's handler catches
                    // its own in its run. Its scope holds its `after()` work and signal.
                    let polled = {
                        let _entered = Entered::new(this.cache, this.held);
                        catch_unwind(AssertUnwindSafe(|| future.poll(cx)))
                    };
                    match polled {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(step)) => step,
                        Err(panic) => {
                            let message = crate::error::panic_message(&*panic);
                            tracing::error!(panic = message, "middleware panicked; answered 500");
                            let failure = Failure::proxy(message, true);
                            Step::Done(failure.on(answers::internal_error()))
                        }
                    }
                }
                StageProjected::Routed { step } => {
                    let response = ready!(Pin::new(step).poll(cx));
                    let finish = this
                        .cache
                        .as_ref()
                        .and_then(|cache| Finish::new(this.held, &cache.background));
                    return Poll::Ready(match finish {
                        Some(finish) => finish.attach(response),
                        None => response,
                    });
                }
            };
            state.set(StageState::Routed { step });
        }
    }
}

/// Gives a middleware its state.
type WithState<S, R> = Arc<dyn Fn(&S) -> Arc<dyn Runner<R>> + Send + Sync>;

/// The middleware of an app, waiting for the app state.
pub(crate) struct MiddlewareSlot<S, R> {
    ready: WithState<S, R>,
}

impl<S, R> Clone for MiddlewareSlot<S, R> {
    fn clone(&self) -> Self {
        MiddlewareSlot {
            ready: self.ready.clone(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static, R: Router> MiddlewareSlot<S, R> {
    pub(crate) fn new<H, T>(handler: H) -> Self
    where
        H: Middleware<T, S>,
        T: 'static,
    {
        MiddlewareSlot {
            ready: Arc::new(move |state: &S| {
                Arc::new(Bound {
                    handler: handler.clone(),
                    state: state.clone(),
                    _args: PhantomData,
                }) as Arc<dyn Runner<R>>
            }),
        }
    }

    /// The middleware, given its state.
    pub(crate) fn ready(&self, state: &S) -> Arc<dyn Runner<R>> {
        (self.ready)(state)
    }

    /// The middleware, given its state, for an app of another state type.
    pub(crate) fn with_state<S2>(&self, state: &S) -> MiddlewareSlot<S2, R> {
        let ready = self.ready(state);
        MiddlewareSlot {
            ready: Arc::new(move |_: &S2| ready.clone()),
        }
    }
}

/// The root middleware, ready to run, and what the stage needs of the app.
pub(crate) struct Shared {
    pub(crate) matchers: Matchers,
    pub(crate) proxy: Arc<Proxy>,
    pub(crate) site: Arc<Site>,
    /// The app's cache, the middleware's scope.
    pub(crate) cache: Arc<Cache>,
}

impl Shared {
    /// Whether the middleware runs for this request.
    pub(crate) fn selects(&self, req: &http::Request<Body>) -> bool {
        let uri = req.uri();
        self.matchers
            .matches(uri.path(), uri.query(), req.headers())
    }
}

/// What the stage keeps while the middleware runs.
struct Way<R> {
    router: R,
    shared: Arc<Shared>,
    /// The body, when the middleware does not read it.
    body: Option<Body>,
    /// The body read whole, when it does.
    read: Option<Bytes>,
    /// What the request came with: the client's address, the config's headers.
    entry: Entry,
}

impl<R: Router> Way<R> {
    /// What the outcome asks for, decided without waiting.
    fn follow(self, parts: Parts, outcome: Outcome) -> Step {
        let body = match (&self.read, self.body) {
            (Some(read), _) => body::of_bytes(read),
            (None, body) => body.unwrap_or_default(),
        };
        let mut req = http::Request::from_parts(parts, body);
        let Entry {
            peer,
            config,
            earlier,
        } = self.entry;
        let reran = earlier.is_some();
        let earlier = earlier.flatten();
        match outcome {
            Outcome::Respond(response) => {
                let mut response = finalise::middleware_redirect(
                    response.into_inner(),
                    &self.shared.proxy.origin_key,
                );
                // The config's headers join the middleware's own answer, which wins a name.
                if let Some(config) = config {
                    headers::add_missing(response.headers_mut(), *config);
                }
                Step::Done(response)
            }
            Outcome::Next(next) => {
                let mut via = via(&mut req, peer, next.changes, config, reran);
                if let Some(earlier) = earlier {
                    via.headers = Some(joined(*earlier, via.headers));
                }
                self.router.route(req, via)
            }
            Outcome::Rewrite(rewrite) => match self.shared.proxy.target(&rewrite.url) {
                Some(Target::Internal(uri)) => {
                    let mut via = via(&mut req, peer, rewrite.changes, config, reran);
                    if let Some(earlier) = earlier {
                        via.headers = Some(joined(*earlier, via.headers));
                    }
                    *req.uri_mut() = uri;
                    self.router.rewritten(req, via)
                }
                Some(Target::External(uri)) => {
                    // Only a request proxied again can loop: its hops are counted here.
                    let Some(hops) = self.shared.proxy.take_hops(req.headers_mut()) else {
                        return Step::Done(answers::internal_error());
                    };
                    let changes = rewrite.changes;
                    if let Some(replaced) = changes.request_headers {
                        *req.headers_mut() = *replaced;
                    }
                    headers::copy_onto_request(req.headers_mut(), &changes.headers);
                    let (shared, read) = (self.shared, self.read);
                    let via = Via {
                        headers: Some(changes.headers),
                        ..Via::client(peer.clone(), config)
                    };
                    Step::boxed(async move {
                        let cx = Context::new(shared.site.clone(), None, peer);
                        let mut proxied = proxied(&shared.proxy, &cx, req, read, uri, hops).await;
                        via.finish(proxied.headers_mut());
                        proxied
                    })
                }
                None => {
                    tracing::error!(
                        url = rewrite.url,
                        "the middleware rewrote to an invalid URL; answered 500"
                    );
                    let mut failed = answers::internal_error();
                    headers::merge_into_response(failed.headers_mut(), rewrite.changes.headers);
                    Step::Done(failed)
                }
            },
        }
    }
}

/// The headers of the middleware's second run (for the path it rewrote to) over those of its
/// first: a name the second sets wins.
fn joined(mut earlier: HeaderList, later: Option<HeaderList>) -> HeaderList {
    if let Some(later) = later {
        earlier.overlay(later);
    }
    earlier
}

/// What the route gets of a `Next` or `Rewrite`: the replaced request headers at once; its
/// headers and cookies, for the route to copy onto its request and join to its response.
fn via(
    req: &mut http::Request<Body>,
    peer: Option<HeaderValue>,
    changes: Changes,
    config: Option<Box<HeaderList>>,
    reran: bool,
) -> Via {
    if let Some(replaced) = changes.request_headers {
        *req.headers_mut() = *replaced;
    }
    Via {
        peer,
        proxy_cookies: ProxyCookies::from_set_cookie(&changes.headers),
        headers: Some(changes.headers),
        config,
        reran,
    }
}

/// A rewrite to another origin: the request, its forwarded headers and its whole body.
async fn proxied(
    proxy: &Proxy,
    cx: &Context,
    req: http::Request<Body>,
    read: Option<Bytes>,
    uri: http::Uri,
    hops: u32,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = match read {
        Some(read) => read,
        None => match body::read_all(body).await {
            Ok(read) => read,
            Err(err) => return axum::response::IntoResponse::into_response(err),
        },
    };
    let mut headers = parts.headers;
    cx.add_forwarded(&mut headers);
    proxy.forward(parts.method, &headers, uri, body, hops).await
}
