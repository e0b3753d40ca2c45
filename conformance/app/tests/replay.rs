//! Replays the exchanges recorded from real Next.js (`shared/conformance/cases.json`) against
//! this mirror app: `conformance/DEVIATIONS.md` lists the deliberate deviations,
//! `conformance/PENDING.md` the cases waiting for a capability.
//!
//! `cargo test -p conformance-app --test replay -- --nocapture` prints every line.
//! `ARBOR_CONFORMANCE_CASES=path/to/cases.json` replays another recording.

use std::path::PathBuf;

use conformance_replay::{replay, shared_file, Recording};

#[tokio::test]
async fn replay_recorded_exchanges() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    replay(Recording {
        cases: shared_file(&dir, "cases.json", "ARBOR_CONFORMANCE_CASES"),
        notes: dir.join(".."),
        app: PathBuf::from(env!("CARGO_BIN_EXE_conformance-app")),
        recorded_app_port: "4010",
        recorded_upstream_port: "4011",
        wave2: false,
    })
    .await;
}
