use std::sync::atomic::Ordering;
use std::time::Duration;

use arbor::middleware::{Config, Has, Matcher, Next, Outcome, Rewrite, WaitUntil};
use arbor::cookies::ResponseCookie;
use arbor::prelude::*;
use arbor::DraftMode;

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
        Matcher::new("/parity/:path*"),
        Matcher::new("/missing-query").missing(&[Has::query("skip")]),
        Matcher::new("/header-value").has(&[Has::header("x-role").value("admin|owner")]),
        Matcher::new("/logged-in").has(&[Has::cookie("loggedIn").value("true")]),
    ],
};

pub async fn proxy(req: Request, event: WaitUntil, draft: DraftMode) -> Result<Outcome> {
    let path = req.pathname().to_owned();
    if let Some(rest) = path.strip_prefix("/parity/") {
        return parity(rest, req, draft);
    }
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

/// What Next.js's own proxy tests assert (`shared/reference/nextjs-tests-gap.md`).
fn parity(rest: &str, req: Request, mut draft: DraftMode) -> Result<Outcome> {
    let to = |path: &str| {
        let mut url = req.next_url().clone();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        url.set_pathname(path);
        url.set_search(query);
        url.href()
    };
    Ok(match rest {
        // S3: a redirect keeps its fragment.
        "fragment" => Response::redirect(&format!("{}#section", to("/target"))).into(),
        // S2: a hand-made 307 with a relative Location goes out as it is.
        "relative-location" => Response::empty()
            .with_status(StatusCode::TEMPORARY_REDIRECT)
            .with_header("location", "/new-home")
            .into(),
        // M11: a 200 with a Location header is no redirect.
        "location-200" => Response::json(&serde_json::json!({ "ok": true }))
            .with_header("location", "/elsewhere")
            .into(),
        // N1: a direct answer with two cookies.
        "two-cookies" => Response::empty()
            .append_header("set-cookie", "a=1; Path=/")
            .append_header("set-cookie", "b=2; Path=/")
            .into(),
        // N2 and E2: a streamed direct answer; the stream's end is recorded when dropped.
        "stream" => {
            let guard = crate::StreamGuard;
            let ticks = futures_util::stream::unfold(0u64, move |n| {
                let _alive = &guard;
                async move {
                    if n > 0 {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Some((Ok::<_, std::io::Error>(format!("tick {n}\n")), n + 1))
                }
            });
            Response::stream(ticks).into()
        }
        // L2: the middleware sees the forwarded headers too.
        "forwarded" => Response::json(&serde_json::json!({
            "host": req.header("x-forwarded-host"),
            "port": req.header("x-forwarded-port"),
            "proto": req.header("x-forwarded-proto"),
        }))
        .into(),
        // M5: draft mode switched on in the proxy.
        "draft" => {
            draft.enable();
            Next::new().with_header("x-draft", "on").into()
        }
        // M8: a cookie's attributes survive the merge into the route's answer.
        "cookie-options" => {
            let mut next = Next::new();
            next.cookies_mut()
                .set_cookie(ResponseCookie::new("sid", "1").secure(true).http_only(true));
            next.into()
        }
        // R3: a rewrite that sets a cookie with a max-age sends one Set-Cookie line.
        "rewrite-max-age" => {
            let mut rewrite = Rewrite::to(to("/target"));
            rewrite
                .cookies_mut()
                .set_cookie(ResponseCookie::new("ab", "b").max_age(60));
            rewrite.into()
        }
        // R4: a rewrite to a path with a colon.
        "colon" => Rewrite::to(to("/colon/a:b")).into(),
        // Q4: a relative rewrite (Next.js throws; Arbor takes a path as this app's).
        "relative-rewrite" => Rewrite::to("/target?relative=1").into(),
        _ => Next::new().into(),
    })
}
