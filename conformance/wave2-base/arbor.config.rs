//! `next.config.ts` of the reference app: `basePath`, `trailingSlash`, and rules whose
//! sources and path destinations are under the base path unless `.base_path(false)`.

use arbor::config::{Redirect, Rewrite, Rewrites};

pub const BASE_PATH: &str = "/base";

pub const TRAILING_SLASH: bool = true;

pub const REDIRECTS: &[Redirect] = &[
    Redirect::temporary("/old", "/new"),
    Redirect::temporary("/old-file.txt", "/file.txt"),
    Redirect::temporary("/no-base", "/base/api/hello").base_path(false),
];

pub const REWRITES: Rewrites = Rewrites {
    before_files: &[],
    after_files: &[Rewrite::new("/rw/:id", "/items/:id")],
    fallback: &[],
};
