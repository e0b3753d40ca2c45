//! `/instr/page-throw`: a page rendered per request that fails.

use arbor::prelude::*;

pub async fn page(req: Request) -> Result<Markup> {
    let _ = req.headers();
    Err(Error::internal_message("instr: page threw"))
}
