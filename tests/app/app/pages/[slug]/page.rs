//! `/pages/{slug}`: a page with a parameter, escaped when printed; `missing` is not found.

use arbor::prelude::*;

use super::Params;

pub async fn page(ctx: RouteContext<Params>) -> Result<Markup> {
    if ctx.params.slug.as_str() == "missing" {
        return Err(not_found());
    }
    Ok(html! { h1 { "page " (ctx.params.slug.as_str()) } })
}
