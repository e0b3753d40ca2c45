use std::sync::atomic::Ordering;
use std::time::Duration;

use arbor::middleware::{Config, Has, Matcher, Next, Outcome, Rewrite, WaitUntil};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[
        Matcher::new("/admin/:path*"),
        Matcher::new("/api/:path*"),
        Matcher::new("/rewrite/:path*"),
        Matcher::new("/external/:path*"),
        Matcher::new("/conflict"),
        Matcher::new("/body"),
        Matcher::new("/loop"),
        Matcher::new("/fail"),
        Matcher::new("/panic"),
        Matcher::new("/wait"),
        Matcher::new("/after"),
        Matcher::new("/num/(\\d+)"),
        Matcher::new("/lookahead/((?!skip).*)"),
        Matcher::new("/flag").has(&[Has::query("mw").value("on|yes")]),
        Matcher::new("/header").has(&[Has::header("X-Key")]),
        Matcher::new("/host").has(&[Has::host("localhost")]),
        Matcher::new("/anon").missing(&[Has::cookie("session")]),
        Matcher::new("/café"),
    ],
};

pub async fn proxy(req: Request, event: WaitUntil) -> Result<Outcome> {
    let path = req.pathname().to_owned();
    if path.starts_with("/admin") {
        if !req.cookies().has("session") {
            let mut login = req.next_url().clone();
            login.set_pathname("/login");
            login.set_search(&format!("next={path}"));
            return Ok(Response::redirect(&login.href()).into());
        }
        return Ok(Next::new().with_header("x-admin", "yes").into());
    }
    if path.starts_with("/api/") {
        let Some(user) = req.header("authorization").and_then(|a| a.strip_prefix("Bearer ")) else {
            return Ok(
                Response::json(&serde_json::json!({ "error": "authentication required" }))
                    .with_status(StatusCode::UNAUTHORIZED)
                    .into(),
            );
        };
        let mut headers = req.headers().clone();
        headers.insert("x-user", user.parse()?);
        headers.remove("authorization");
        return Ok(Next::with_request_headers(headers).into());
    }
    if let Some(rest) = path.strip_prefix("/rewrite/") {
        let mut target = req.next_url().clone();
        target.set_pathname("/target");
        target.set_search(&format!("from={rest}"));
        let mut rewrite = Rewrite::to(target.href()).with_header("x-rewritten", "1");
        rewrite.cookies_mut().set("rewrite-cookie", "r");
        return Ok(rewrite.into());
    }
    if let Some(rest) = path.strip_prefix("/external/") {
        let upstream = req.header("x-test-upstream").unwrap_or("127.0.0.1:9").to_owned();
        return Ok(Rewrite::to(format!("http://{upstream}/{rest}?via=proxy")).into());
    }
    if path == "/loop" {
        let host = req.header("host").unwrap_or("127.0.0.1").to_owned();
        let port = host.rsplit(':').next().unwrap_or("80");
        return Ok(Rewrite::to(format!("http://127.0.0.1:{port}/loop")).into());
    }
    if path == "/conflict" {
        let mut next = Next::new()
            .with_header("x-conflict", "from-middleware")
            .with_header("vary", "x-mw");
        next.cookies_mut().set("mw", "1");
        return Ok(next.into());
    }
    if path == "/body" {
        let mut req = req;
        let body = req.text().await?;
        return Ok(Next::new().with_header("x-mw-saw-body", &body).into());
    }
    if path == "/fail" {
        return Err(Error::internal_message("the middleware failed"));
    }
    if path == "/panic" {
        panic!("the middleware panicked");
    }
    if path == "/wait" {
        event.wait_until(async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            crate::BACKGROUND_DONE.fetch_add(1, Ordering::SeqCst);
        });
        return Ok(Response::text("answered before the work finished").into());
    }
    if path == "/after" {
        arbor::after(async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            crate::AFTER_DONE.fetch_add(1, Ordering::SeqCst);
        });
        return Ok(Response::text("answered before the after() work").into());
    }
    Ok(Next::new().with_header("x-mw-ran", &path).into())
}
