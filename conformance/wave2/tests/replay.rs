//! Replays the second recording (`shared/conformance/wave2/cases.json`) against this mirror
//! app, with the additions of `wave2/REPLAY.md`: `DEVIATIONS.md` beside this package lists
//! the deliberate deviations, `PENDING.md` the cases waiting for a capability.
//!
//! `cargo test -p conformance-wave2 --test replay -- --nocapture` prints every line.

use std::path::PathBuf;

use conformance_replay::{replay, shared_file, Recording};

#[tokio::test]
async fn replay_the_second_recording() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    replay(Recording {
        cases: shared_file(&dir, "wave2/cases.json", "ARBOR_CONFORMANCE_WAVE2_CASES"),
        notes: dir.clone(),
        app: PathBuf::from(env!("CARGO_BIN_EXE_conformance-wave2")),
        recorded_app_port: "4020",
        recorded_upstream_port: "4021",
        wave2: true,
    })
    .await;
}
