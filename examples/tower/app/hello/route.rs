pub async fn GET() -> &'static str {
    "hello from arbor"
}
