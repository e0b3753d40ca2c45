//! `/isr-fail/{key}`: cached with a one-second revalidate time; the first render of a key
//! works, its regenerations fail.

use std::collections::HashSet;
use std::sync::Mutex;

use arbor::cache::Revalidate;
use arbor::prelude::*;

use super::Params;

pub const REVALIDATE: Revalidate = Revalidate::Seconds(1);

static RENDERED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// No key is rendered before traffic: each is rendered on its first request.
pub async fn generate_static_params() -> Vec<Params> {
    Vec::new()
}

pub async fn GET(ctx: RouteContext<Params>) -> Result<Response> {
    let first = RENDERED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashSet::new)
        .insert(ctx.params.key.to_string());
    if first {
        return Ok(Response::text("first render"));
    }
    Err(Error::internal_message("the regeneration failed"))
}
