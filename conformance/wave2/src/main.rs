//! `PORT=4020 cargo run -p conformance-wave2`: the mirror app on the recording's port.
//! `UPSTREAM_URL` is where the config's external redirect and rewrite go (the recording's
//! loopback upstream, `http://127.0.0.1:4021`, when unset).

fn main() -> std::io::Result<()> {
    if std::env::var_os("UPSTREAM_URL").is_none() {
        // Read by `arbor.config.rs`'s `${UPSTREAM_URL}` destinations; no thread runs yet.
        std::env::set_var("UPSTREAM_URL", "http://127.0.0.1:4021");
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(arbor::serve(conformance_wave2::app::router()))
}
