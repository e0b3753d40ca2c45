//! `/parity/isr/{id}`: ISR on a dynamic segment, one id listed by `generate_static_params`.

use std::sync::atomic::{AtomicUsize, Ordering};

use arbor::cache::Revalidate;
use arbor::prelude::*;

use super::Params;

pub const REVALIDATE: Revalidate = Revalidate::Seconds(1);

static RENDERS: AtomicUsize = AtomicUsize::new(0);

pub async fn generate_static_params() -> Vec<Params> {
    vec![Params { id: "listed".into() }]
}

pub async fn GET(ctx: RouteContext<Params>) -> Response {
    let render = RENDERS.fetch_add(1, Ordering::SeqCst);
    Response::json(&serde_json::json!({ "id": ctx.params.id, "render": render }))
}
