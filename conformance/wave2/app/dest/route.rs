//! `app/dest/route.ts` of the reference app: what the handler saw.

use arbor::prelude::*;

use crate::echo::echo;

pub async fn GET(req: Request) -> Response {
    echo("dest", &req)
}
