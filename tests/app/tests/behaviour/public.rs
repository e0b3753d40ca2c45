//! `public/`: files served at `/` with validators, conditional requests and ranges, never
//! outside the folder, before the routes.

use arbor_test_app::start;

#[tokio::test]
async fn a_file_is_served_with_its_validators() {
    let server = start().await;
    let reply = server.get("/hello.txt").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "hello world\n");
    assert_eq!(reply.header("content-type"), "text/plain; charset=UTF-8");
    assert_eq!(reply.header("content-length"), "12");
    assert_eq!(reply.header("accept-ranges"), "bytes");
    assert_eq!(reply.header("cache-control"), "public, max-age=0");
    let etag = reply.header("etag");
    assert!(etag.starts_with("W/\"c-") && etag.ends_with('"'), "{etag}");
    assert!(reply.header("last-modified").ends_with(" GMT"));
    assert_eq!(
        server.get("/data.json").await.header("content-type"),
        "application/json; charset=UTF-8"
    );
    assert_eq!(
        server.get("/logo.svg").await.header("content-type"),
        "image/svg+xml"
    );
    assert_eq!(server.get("/sub/nested.txt").await.text(), "nested\n");
    // HEAD: the headers alone.
    let head = server.send("HEAD", "/hello.txt", &[], "").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), "12");
    assert_eq!(head.text(), "");
}

#[tokio::test]
async fn conditional_requests_answer_304_or_412() {
    let server = start().await;
    let first = server.get("/hello.txt").await;
    let etag = first.header("etag").to_owned();
    let modified = first.header("last-modified").to_owned();
    for headers in [
        [("if-none-match", etag.as_str())],
        [("if-none-match", "*")],
        [("if-modified-since", modified.as_str())],
    ] {
        let reply = server.send("GET", "/hello.txt", &headers, "").await;
        assert_eq!(reply.status, 304, "{headers:?}");
        assert_eq!(reply.text(), "");
        assert_eq!(reply.header("etag"), etag);
        assert!(reply.headers.get("content-type").is_none());
    }
    let changed = server
        .send("GET", "/hello.txt", &[("if-none-match", "W/\"other\"")], "")
        .await;
    assert_eq!(changed.status, 200);
    let old = server
        .send(
            "GET",
            "/hello.txt",
            &[("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")],
            "",
        )
        .await;
    assert_eq!(old.status, 200);
    // Stricter than Next.js (500): a failed precondition is 412.
    let failed = server
        .send("GET", "/hello.txt", &[("if-match", "\"nope\"")], "")
        .await;
    assert_eq!(failed.status, 412);
    let matched = server
        .send("GET", "/hello.txt", &[("if-match", etag.as_str())], "")
        .await;
    assert_eq!(matched.status, 200);
}

#[tokio::test]
async fn ranges_answer_206_or_416() {
    let server = start().await;
    let part = server
        .send("GET", "/hello.txt", &[("range", "bytes=0-4")], "")
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.text(), "hello");
    assert_eq!(part.header("content-range"), "bytes 0-4/12");
    assert_eq!(part.header("content-length"), "5");
    let suffix = server
        .send("GET", "/hello.txt", &[("range", "bytes=-6")], "")
        .await;
    assert_eq!(suffix.text(), "world\n");
    // Several ranges: the whole file, as `send` answers.
    let several = server
        .send("GET", "/hello.txt", &[("range", "bytes=0-1,3-4")], "")
        .await;
    assert_eq!(several.status, 200);
    assert_eq!(several.text(), "hello world\n");
    // Stricter than Next.js (500): unsatisfiable is 416.
    let beyond = server
        .send("GET", "/hello.txt", &[("range", "bytes=50-60")], "")
        .await;
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), "bytes */12");
    // A stale If-Range: the whole file.
    let stale = server
        .send(
            "GET",
            "/hello.txt",
            &[("range", "bytes=0-4"), ("if-range", "W/\"old\"")],
            "",
        )
        .await;
    assert_eq!(stale.status, 200);
}

#[tokio::test]
async fn only_get_and_head() {
    let server = start().await;
    let reply = server.send("POST", "/hello.txt", &[], "x").await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), "GET, HEAD");
}

#[tokio::test]
async fn nothing_outside_the_folder_and_no_listing() {
    let server = start().await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/sub/..%2fCargo.toml",
        "/sub/..%2fhello.txt",
        "/sub/%2e%2e/%2e%2e/Cargo.toml",
        "/.hidden",
        "/sub",
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
    }
    // Encoded as Next.js resolves them: `%2f` is a slash, dot segments are resolved inside.
    assert_eq!(server.get("/sub%2fnested.txt").await.text(), "nested\n");
    assert_eq!(
        server.get("/sub/%2e%2e/hello.txt").await.text(),
        "hello world\n"
    );
    // A folder with a trailing slash redirects like any path.
    assert_eq!(server.get("/hello.txt/").await.status, 308);
}

#[tokio::test]
async fn a_public_file_beats_a_route_at_its_url() {
    let server = start().await;
    assert_eq!(server.get("/hello.txt").await.text(), "hello world\n");
    // Routes elsewhere are untouched.
    assert_eq!(server.get("/only-get").await.status, 200);
}

#[tokio::test]
async fn a_large_file_is_streamed_whole_or_in_part() {
    let server = start().await;
    let on_disk = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/large.txt")).unwrap();
    let whole = server.get("/large.txt").await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("content-type"), "text/plain; charset=UTF-8");
    assert_eq!(whole.header("content-length"), on_disk.len().to_string());
    assert_eq!(whole.body.as_ref(), on_disk.as_slice());
    let part = server
        .send("GET", "/large.txt", &[("range", "bytes=1000-99999")], "")
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body.as_ref(), &on_disk[1_000..100_000]);
    // Compressed, it still says ranges are served (of the file as it is), as Next.js does;
    // a range is never compressed.
    let gzip = server
        .send("GET", "/large.txt", &[("accept-encoding", "gzip")], "")
        .await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    assert_eq!(gzip.header("accept-ranges"), "bytes");
    let gzip_part = server
        .send(
            "GET",
            "/large.txt",
            &[("accept-encoding", "gzip"), ("range", "bytes=0-49999")],
            "",
        )
        .await;
    assert_eq!(gzip_part.status, 206);
    assert_eq!(gzip_part.header("content-encoding"), "");
    assert_eq!(gzip_part.body.as_ref(), &on_disk[..50_000]);
}
