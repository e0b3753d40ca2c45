//! `proxy.ts` of the reference app: the order of config rules and the proxy, the proxy's
//! headers against the config's, CORS preflights, and a proxy that fails.

use arbor::middleware::{Config, Matcher, Next, Outcome, Rewrite};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[
        Matcher::new("/order/:path*"),
        Matcher::new("/ch/proxy/:path*"),
        Matcher::new("/cors/:path*"),
        Matcher::new("/after-proxy/:path*"),
        Matcher::new("/instr-proxy/:path*"),
    ],
};

const ALLOWED_ORIGIN: &str = "https://allowed.example";

/// `new URL(path, request.url)`.
fn url(req: &Request, path_and_query: &str) -> String {
    let mut url = req.next_url().clone();
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    url.set_pathname(path);
    url.set_search(query);
    url.href()
}

pub async fn proxy(req: Request) -> Result<Outcome> {
    let pathname = req.next_url().pathname().to_owned();
    let saw = format!("{pathname}{}", req.next_url().search());
    crate::store::proxy_called(format!("{} {saw}", req.method()));

    // The order of config rules and the proxy
    if pathname.starts_with("/order") {
        match pathname.as_str() {
            "/order/redirected" => {
                // Never reached: the config redirect runs first.
                return Ok(Response::json(&serde_json::json!({ "proxy": "should not run" }))
                    .with_status(StatusCode::IM_A_TEAPOT)
                    .into());
            }
            "/order/proxy-direct" => {
                return Ok(Response::text("direct from proxy")
                    .with_header("x-proxy-saw", &saw)
                    .with_header("x-order-conflict", "proxy")
                    .into());
            }
            "/order/proxy-rewrite" => {
                return Ok(Rewrite::to(url(&req, "/order/after-only?from=proxy"))
                    .with_header("x-proxy-saw", &saw)
                    .into());
            }
            "/order/proxy-rewrite-fs" => {
                return Ok(Rewrite::to(url(&req, "/order/fs-route?from=proxy"))
                    .with_header("x-proxy-saw", &saw)
                    .into());
            }
            "/order/proxy-redirect" => {
                return Ok(
                    Response::redirect(&url(&req, "/order/fs-route?from=proxy-redirect"))
                        .with_header("x-proxy-saw", &saw)
                        .into(),
                );
            }
            _ => {}
        }
        let mut headers = req.headers().clone();
        headers.insert("x-proxy-req", saw.parse()?);
        return Ok(Next::with_request_headers(headers)
            .with_header("x-proxy-saw", &saw)
            .with_header("x-order-conflict", "proxy")
            .into());
    }

    // Config headers against the proxy's
    if pathname.starts_with("/ch/proxy") {
        if pathname == "/ch/proxy/direct" {
            return Ok(Response::text("direct")
                .with_header("x-ch-proxy", "proxy-direct")
                .into());
        }
        return Ok(Next::new().with_header("x-ch-proxy", "proxy").into());
    }

    // CORS in the proxy
    if pathname.starts_with("/cors") {
        let allowed = req.header("origin") == Some(ALLOWED_ORIGIN);
        let preflight = req.method() == arbor::http::Method::OPTIONS
            && req.headers().contains_key("access-control-request-method");
        if preflight {
            let mut answer = Response::empty().with_status(StatusCode::NO_CONTENT);
            if allowed {
                answer = answer
                    .with_header("access-control-allow-origin", ALLOWED_ORIGIN)
                    .with_header("access-control-allow-credentials", "true")
                    .with_header("vary", "Origin")
                    .with_header("access-control-allow-methods", "GET, POST, OPTIONS")
                    .with_header("access-control-allow-headers", "content-type, authorization")
                    .with_header("access-control-max-age", "86400");
            } else {
                answer = answer.with_header("vary", "Origin");
            }
            return Ok(answer.into());
        }
        let mut next = Next::new();
        if allowed {
            next = next
                .with_header("access-control-allow-origin", ALLOWED_ORIGIN)
                .with_header("access-control-allow-credentials", "true");
        }
        return Ok(next.with_header("vary", "Origin").into());
    }

    // after() in the proxy
    if pathname.starts_with("/after-proxy") {
        crate::store::after_event(serde_json::json!({ "event": "proxy-body", "path": pathname }));
        let path = pathname.clone();
        arbor::after(async move {
            let event = serde_json::json!({ "event": "proxy-after-callback", "path": path });
            crate::store::after_event(event);
        });
        match pathname.as_str() {
            "/after-proxy/direct" => return Ok(Response::text("direct from proxy").into()),
            "/after-proxy/throw" => {
                return Err(Error::internal_message(
                    "proxy threw after registering after()",
                ))
            }
            _ => return Ok(Next::new().into()),
        }
    }

    // An error thrown in the proxy
    if pathname == "/instr-proxy/boom" {
        return Err(Error::internal_message("instr: proxy threw"));
    }

    Ok(Next::new().into())
}
