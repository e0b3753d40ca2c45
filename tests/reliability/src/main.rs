//! The test app on `PORT` with the server's default limits, for the reliability tests that
//! need a process of its own (a lowered open-file limit).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(arbor_test_app::app()).await
}
