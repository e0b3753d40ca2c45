//! `proxy.ts` of the reference app: redirects, rewrites (internal and to the loopback
//! upstream), direct answers, request-header injection, and response headers and cookies.

use arbor::middleware::{Config, Has, Matcher, Next, Outcome, Rewrite};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[
        Matcher::new("/comments/:path*"),
        Matcher::new("/old-comments"),
        Matcher::new("/mw/:path*"),
        Matcher::new("/headers"),
        Matcher::new("/api-secure/:path*"),
        Matcher::new("/exact"),
        Matcher::new("/num/(\\d+)"),
        Matcher::new("/flag").has(&[Has::query("mw").value("on")]),
        Matcher::new("/flag-missing").missing(&[Has::header("x-skip")]),
        Matcher::new("/flag-cookie").has(&[Has::cookie("role").value("admin")]),
    ],
};

/// `new URL(path, request.url)`.
fn url(req: &Request, path_and_query: &str) -> String {
    let mut url = req.next_url().clone();
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    url.set_pathname(path);
    url.set_search(query);
    url.href()
}

pub async fn proxy(req: Request) -> Result<Outcome> {
    let pathname = req.next_url().pathname().to_owned();

    // 1. Redirects
    if pathname == "/old-comments" {
        return Ok(Response::redirect(&url(&req, "/comments")).into());
    }
    if pathname == "/mw/moved" {
        return Ok(Response::redirect_with(
            &url(&req, "/comments?from=mw"),
            RedirectStatus::Permanent,
        )
        .into());
    }

    // 2. Rewrites (the URL in the browser stays the same)
    if pathname == "/mw/rewrite" {
        return Ok(Rewrite::to(url(&req, "/mw-target?rewritten=1")).into());
    }
    if pathname == "/mw/rewrite-missing" {
        return Ok(Rewrite::to(url(&req, "/does-not-exist")).into());
    }
    if pathname == "/mw/rewrite-external" {
        let upstream = crate::upstream_url();
        return Ok(Rewrite::to(format!("{upstream}/upstream-path?via=proxy")).into());
    }
    if pathname == "/mw/rewrite-with-header" {
        let mut headers = req.headers().clone();
        headers.insert("x-from-mw", "rewrite".parse()?);
        return Ok(Rewrite::to(url(&req, "/mw-target"))
            .with_request_headers(headers)
            .with_header("x-mw-response", "rewrite")
            .into());
    }

    // 3. Direct responses
    if pathname.starts_with("/api-secure") {
        if req.header("authorization") != Some("Bearer good") {
            return Ok(Response::json(&serde_json::json!({
                "success": false,
                "message": "authentication failed",
            }))
            .with_status(StatusCode::UNAUTHORIZED)
            .into());
        }
        let mut headers = req.headers().clone();
        headers.insert("x-from-mw", "authenticated".parse()?);
        return Ok(Next::with_request_headers(headers).into());
    }
    if pathname == "/mw/direct-text" {
        return Ok(Response::text("hello from proxy")
            .with_header("x-direct", "1")
            .into());
    }
    if pathname == "/mw/throw" {
        return Err(Error::internal_message("boom from proxy"));
    }

    // 4. Request-header injection seen by a handler, and a response header
    if pathname == "/headers" {
        let mut headers = req.headers().clone();
        headers.insert("x-from-mw", "injected".parse()?);
        headers.remove("x-remove-me");
        let mut next = Next::with_request_headers(headers)
            .with_header("x-mw-response", "headers")
            // The handler sets it too: the proxy's value wins.
            .with_header("x-conflict", "from-proxy");
        next.cookies_mut().set("from-proxy", "p1");
        return Ok(next.into());
    }

    // 5. A response header and a cookie on /comments/*
    if pathname.starts_with("/comments") {
        let mut next = Next::new().with_header("x-mw", "comments");
        next.cookies_mut().set("mw-cookie", "1");
        return Ok(next.into());
    }

    // Everything else that matched: mark that the proxy ran.
    Ok(Next::new().with_header("x-mw-ran", &pathname).into())
}
