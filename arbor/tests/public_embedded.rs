//! `public/` built into the binary (`App::public_files`, what `Builder::embed_public`
//! generates): the same answers as from the folder.

use arbor::App;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// One file, with the modification time Next.js's recording pinned: 2024-01-02T03:04:05Z.
static FILES: &[(&str, &[u8], u64)] = &[
    ("/hello.txt", b"hello world\n", 1_704_164_645),
    ("/css/site.css", b"body{}", 1_704_164_645),
];

async fn get(path: &str, headers: &[(&str, &str)]) -> (http::StatusCode, http::HeaderMap, String) {
    let app: App = App::new().public_files(FILES);
    let mut request = http::Request::get(path).header("host", "localhost");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn an_embedded_file_has_the_validators_send_writes() {
    let (status, headers, body) = get("/hello.txt", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, "hello world\n");
    assert_eq!(headers["etag"], "W/\"c-18cc820d888\"");
    assert_eq!(headers["last-modified"], "Tue, 02 Jan 2024 03:04:05 GMT");
    assert_eq!(headers["content-type"], "text/plain; charset=UTF-8");
    let (_, headers, _) = get("/css/site.css", &[]).await;
    assert_eq!(headers["content-type"], "text/css; charset=UTF-8");
}

#[tokio::test]
async fn an_embedded_file_answers_conditions_and_ranges() {
    let (status, _, body) = get("/hello.txt", &[("if-none-match", "W/\"c-18cc820d888\"")]).await;
    assert_eq!((status.as_u16(), body.as_str()), (304, ""));
    let (status, headers, body) = get("/hello.txt", &[("range", "bytes=6-")]).await;
    assert_eq!((status.as_u16(), body.as_str()), (206, "world\n"));
    assert_eq!(headers["content-range"], "bytes 6-11/12");
    let (status, _, _) = get("/hello.txt", &[("range", "bytes=12-")]).await;
    assert_eq!(status, 416);
    let (status, _, _) = get("/nothing.txt", &[]).await;
    assert_eq!(status, 404);
}
