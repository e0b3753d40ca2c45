//! Replays the second recording's basePath exchanges (`shared/conformance/wave2/cases-base.json`)
//! against this mirror app; `DEVIATIONS.md` and `PENDING.md` beside this package list the
//! deliberate deviations and the cases waiting for a capability.
//!
//! `cargo test -p conformance-wave2-base --test replay -- --nocapture` prints every line.

use std::path::PathBuf;

use conformance_replay::{replay, shared_file, Recording};

#[tokio::test]
async fn replay_the_base_path_recording() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    replay(Recording {
        cases: shared_file(
            &dir,
            "wave2/cases-base.json",
            "ARBOR_CONFORMANCE_WAVE2_BASE_CASES",
        ),
        notes: dir.clone(),
        app: PathBuf::from(env!("CARGO_BIN_EXE_conformance-wave2-base")),
        recorded_app_port: "4022",
        recorded_upstream_port: "4021",
        wave2: true,
    })
    .await;
}
