//! `/manifest.webmanifest`, as `app/manifest.ts` writes it.

use arbor::metadata::Manifest;

pub async fn manifest() -> Manifest {
    Manifest::new()
        .name("Oracle")
        .short_name("Oracle")
        .start_url("/")
        .display("standalone")
}
