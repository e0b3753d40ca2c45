//! `/posts/{slug}`, as `app/posts/[slug]/page.tsx` writes it: rendered per request, its head
//! linking the images beside it.

use arbor::prelude::*;

use super::Params;

pub async fn page(ctx: RouteContext<Params>) -> Markup {
    html! { main { "post " (ctx.params.slug.as_str()) } }
}
