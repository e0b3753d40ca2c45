//! `/instr/dyn/{id}`: a dynamic route that fails.

use arbor::prelude::*;

use super::Params;

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    Err(Error::internal_message(format!(
        "instr: dynamic handler threw for {}",
        ctx.params.id
    )))
}
