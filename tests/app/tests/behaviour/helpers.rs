//! NextRequest / NextResponse: cookies, URLs, bodies, redirects, errors
//! (`nextjs-semantics.md` §4, §9, §10).

use arbor_test_app::{start, start_with};
use serde_json::json;

#[tokio::test]
async fn request_cookies_are_read_and_response_cookies_written_in_next_order() {
    let server = start().await;
    let reply = server
        .send(
            "GET",
            "/cookies",
            &[(
                "cookie",
                "theme=dark; session=abc; old=1; bad=%E0%A4%A; enc=a%20b",
            )],
            "",
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({
            "all": [
                { "name": "theme", "value": "dark" },
                { "name": "session", "value": "abc" },
                { "name": "old", "value": "1" },
                { "name": "enc", "value": "a b" },
            ],
            "theme": "dark",
            "hasSession": true,
            "count": 4,
        })
    );
    let cookies = reply.header_all("set-cookie");
    assert_eq!(cookies.len(), 3);
    assert_eq!(cookies[0], "visited=yes; Path=/");
    let prefs = &cookies[1];
    assert!(
        prefs.starts_with("prefs=a%20b%3Bc; Path=/cookies; Expires="),
        "{prefs}"
    );
    assert!(
        prefs.ends_with("GMT; Max-Age=60; Domain=localhost; Secure; HttpOnly; SameSite=lax; Partitioned; Priority=high"),
        "{prefs}"
    );
    assert_eq!(
        cookies[2],
        "old=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    );
}

#[tokio::test]
async fn next_headers_cookies_are_merged_after_the_handlers_own() {
    let server = start().await;
    let reply = server.send("POST", "/cookies", &[], "").await;
    assert_eq!(reply.text(), "ok");
    assert_eq!(
        reply.header_all("set-cookie"),
        ["viaHeaders=1; Path=/", "another=two; Path=/; HttpOnly"]
    );
    let reply = server.send("DELETE", "/cookies", &[], "").await;
    assert_eq!(reply.status, 204);
    assert_eq!(
        reply.header_all("set-cookie"),
        [
            "manual=1; Path=/",
            "theme=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        ]
    );
}

#[tokio::test]
async fn changing_request_cookies_rewrites_the_cookie_header() {
    let server = start().await;
    let reply = server
        .send("PUT", "/cookies", &[("cookie", "theme=dark; keep=1")], "")
        .await;
    assert_eq!(
        reply.json(),
        json!({ "header": "keep=1; added=x%20y", "count": 2 })
    );
}

#[tokio::test]
async fn next_url_reads_and_builds_urls() {
    let server = start().await;
    let port = server.addr.port();
    let reply = server
        .send(
            "GET",
            "/next-url/a%20b/c?a=1&a=2&b=x%20y&drop=1",
            &[("x-request-id", "req-42")],
            "",
        )
        .await;
    assert_eq!(
        reply.json(),
        json!({
            "href": format!("http://localhost:{port}/next-url/a%20b/c?a=1&a=2&b=x+y&drop=1"),
            "origin": format!("http://localhost:{port}"),
            "host": format!("localhost:{port}"),
            "hostname": "localhost",
            "port": port.to_string(),
            "protocol": "http:",
            "pathname": "/next-url/a%20b/c",
            "search": "?a=1&a=2&b=x+y&drop=1",
            "entries": [["a", "1"], ["a", "2"], ["b", "x y"], ["drop", "1"]],
            "all_a": ["1", "2"],
            "target": format!("http://localhost:{port}/elsewhere?a=1&a=2&b=x+y&from=mw"),
            "url": format!("http://localhost:{port}/next-url/a%20b/c?a=1&a=2&b=x+y&drop=1"),
            "params_agree": true,
            "requestId": "req-42",
        })
    );
}

#[tokio::test]
async fn forms_urlencoded_multipart_and_extractor() {
    let server = start().await;
    let urlencoded = [("content-type", "application/x-www-form-urlencoded")];
    let reply = server
        .send("POST", "/forms", &urlencoded, "name=Ada+L&age=36")
        .await;
    assert_eq!(reply.json(), json!({ "name": "Ada L", "age": 36 }));
    let reply = server
        .send("POST", "/forms", &urlencoded, "name=Ada&age=old")
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error"],
        "invalid form at \"age\": invalid digit found in string"
    );
    let reply = server.send("POST", "/forms", &urlencoded, "age=3").await;
    assert_eq!(reply.json()["error"], "invalid form: missing field `name`");
    let reply = server
        .send("POST", "/forms", &[("content-type", "text/plain")], "x")
        .await;
    assert_eq!(reply.status, 415);

    let multipart = [("content-type", "multipart/form-data; boundary=XyZ")];
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n\
                --XyZ\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n36\r\n\
                --XyZ\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.txt\"\r\nContent-Type: text/plain\r\n\r\nhello file\r\n\
                --XyZ--\r\n";
    let reply = server.send("POST", "/forms", &multipart, body).await;
    assert_eq!(reply.json(), json!({ "name": "Ada", "age": 36 }));
    let reply = server.send("PUT", "/forms", &multipart, body).await;
    assert_eq!(
        reply.json(),
        json!([
            { "name": "name", "text": "Ada" },
            { "name": "age", "text": "36" },
            { "name": "cv", "filename": "cv.txt", "contentType": "text/plain", "size": 10 },
        ])
    );
    let reply = server
        .send("PATCH", "/forms", &urlencoded, "name=Ada&age=36")
        .await;
    assert_eq!(reply.text(), "Ada is 36");
}

#[tokio::test]
async fn body_stream_reads_chunks_and_stops_at_the_limit() {
    let server = start_with(|s| s.body_limit(64 * 1024)).await;
    let body = "x".repeat(40 * 1024);
    let reply = server.send("POST", "/stream-upload", &[], &body).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["bytes"], 40 * 1024);
    let too_big = "x".repeat(65 * 1024);
    let reply = server.send("POST", "/stream-upload", &[], &too_big).await;
    assert_eq!(reply.status, 413);
}

#[tokio::test]
async fn response_kinds_reach_the_wire() {
    let server = start().await;
    let reply = server.get("/responses?kind=teapot").await;
    assert_eq!(reply.status, 418);
    assert_eq!(reply.text(), "teapot");
    let reply = server.get("/responses?kind=bytes").await;
    assert_eq!(&reply.body[..], &[0u8, 1, 2, 255]);
    assert!(!reply.headers.contains_key("content-type"));
    let reply = server.get("/responses?kind=stream").await;
    assert_eq!(reply.text(), "one\ntwo\nthree\n");
    assert_eq!(reply.header("transfer-encoding"), "chunked");
    let reply = server.get("/responses?kind=empty").await;
    assert_eq!(reply.status, 204);
    assert!(!reply.headers.contains_key("content-type"));
    let reply = server.get("/responses?kind=cookies").await;
    assert_eq!(
        reply.header_all("set-cookie"),
        ["a=1; Path=/", "b=2; Path=/"]
    );
}

#[tokio::test]
async fn custom_reason_phrase_is_on_the_status_line() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /responses?kind=teapot HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 418 I am a teapot\r\n"),
        "{response}"
    );
}

#[tokio::test]
async fn redirects_with_the_allowed_statuses() {
    let server = start().await;
    let reply = server.get("/responses?kind=redirect").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/comments");
    assert!(reply.body.is_empty());
    let reply = server.get("/responses?kind=redirect-303").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), "/comments?x=1");
    let reply = server.get("/responses?kind=redirect-absolute").await;
    assert_eq!(reply.status, 301);
    assert_eq!(reply.header("location"), "http://localhost:3000/comments");
}

#[tokio::test]
async fn control_flow_helpers_keep_cookies_already_set() {
    let server = start().await;
    let reply = server.get("/flow").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/login?next=/flow");
    assert_eq!(reply.header_all("set-cookie"), ["seen=1; Path=/"]);
    let user = [("cookie", "user=ada")];
    let reply = server.send("GET", "/flow?id=1", &user, "").await;
    assert_eq!(reply.text(), "ada: the first");
    let reply = server.send("GET", "/flow?id=2", &user, "").await;
    assert_eq!(reply.status, 404);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header_all("set-cookie"), ["seen=1; Path=/"]);
    let reply = server.send("GET", "/flow?id=moved", &user, "").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/flow?id=1");
}

#[tokio::test]
async fn each_client_error_has_its_status_and_json_message() {
    let server = start().await;
    for (kind, message) in [
        ("400", "bad"),
        ("401", "who are you"),
        ("403", "not you"),
        ("404", "no such thing"),
        ("409", "taken"),
        ("413", "too big"),
        ("415", "not that type"),
        ("422", "cannot process"),
    ] {
        let reply = server.get(&format!("/errors?kind={kind}")).await;
        assert_eq!(reply.status.as_str(), kind);
        assert_eq!(reply.header("content-type"), "application/json");
        assert_eq!(reply.json(), json!({ "error": message }));
    }
    let reply = server.get("/errors?kind=500").await;
    assert_eq!(reply.status, 500);
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn json_errors_say_what_and_where() {
    let server = start().await;
    let json = [("content-type", "application/json")];
    let reply = server
        .send("POST", "/errors", &json, r#"{"text": 1, "count": 2}"#)
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error"],
        "invalid JSON body at \"text\": invalid type: integer `1`, expected a string at line 1 column 10"
    );
    let reply = server
        .send("POST", "/errors", &json, r#"{"text": "a"}"#)
        .await;
    assert_eq!(
        reply.json()["error"],
        "invalid JSON body: missing field `count` at line 1 column 13"
    );
    let reply = server
        .send("POST", "/errors", &json, r#"{"text": "a", "count": 1} x"#)
        .await;
    assert_eq!(
        reply.json()["error"],
        "invalid JSON body: trailing characters at line 1 column 27"
    );
}

#[tokio::test]
async fn extractor_rejections_are_precise_errors() {
    let server = start().await;
    let reply = server
        .send("PUT", "/errors", &[("content-type", "text/plain")], "{}")
        .await;
    assert_eq!(reply.status, 415);
    assert_eq!(
        reply.json(),
        json!({ "error": "expected a JSON body (content-type: application/json)" })
    );
    let reply = server
        .send(
            "PUT",
            "/errors",
            &[("content-type", "application/json")],
            r#"{"text":"a","count":-1}"#,
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["error"],
        "invalid JSON body at \"count\": invalid value: integer `-1`, expected u32 at line 1 column 22"
    );
    let reply = server
        .send(
            "PUT",
            "/errors",
            &[("content-type", "application/merge-patch+json")],
            r#"{"text":"a","count":1}"#,
        )
        .await;
    assert_eq!(reply.json(), json!({ "text": "a", "count": 1 }));
    let reply = server.get("/errors").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        json!({ "error": "invalid query string: missing field `kind`" })
    );
}
