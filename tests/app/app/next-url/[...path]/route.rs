use arbor::prelude::*;

use super::Params;

/// `request.nextUrl`, its parts, a rewrite target built from it, and the params read two ways.
pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    let url = req.next_url();
    let mut target = url.clone();
    target.set_pathname("/elsewhere");
    target.search_params_mut().set("from", "mw");
    target.search_params_mut().delete("drop");
    let same: Params = req.params()?;
    Ok(Response::json(&serde_json::json!({
        "href": url.href(),
        "origin": url.origin(),
        "host": url.host(),
        "hostname": url.hostname(),
        "port": url.port(),
        "protocol": url.protocol(),
        "pathname": url.pathname(),
        "search": url.search(),
        "entries": url.search_params().entries(),
        "all_a": url.search_params().get_all("a"),
        "target": target.href(),
        "url": req.url(),
        "params_agree": same == ctx.params,
        "requestId": req.request_id(),
    })))
}
