//! `/clash.txt`, as `app/clash.txt/route.ts` writes it: `public/clash.txt` answers first.

use arbor::prelude::*;

use crate::echo::echo;

pub async fn GET(req: Request) -> Response {
    echo("clash.txt (route handler)", &req)
}
