//! `/manifest.webmanifest`.

use arbor::metadata::{Manifest, ManifestIcon};

pub async fn manifest() -> Manifest {
    Manifest::new()
        .name("Arbor test app")
        .short_name("Arbor")
        .start_url("/")
        .display("standalone")
        .icon(ManifestIcon::new("/icon.png", "192x192", "image/png"))
}
