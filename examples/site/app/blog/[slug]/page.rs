//! `/blog/{slug}`: one post, with its Open Graph image in the head's links.

use arbor::prelude::*;

use super::Params;
use crate::posts;

pub async fn generate_static_params() -> Vec<Params> {
    posts::POSTS
        .iter()
        .map(|p| Params {
            slug: arbor::routing::Param::new("slug", p.slug.to_owned()),
        })
        .collect()
}

pub async fn page(ctx: RouteContext<Params>) -> Result<Markup> {
    let post = posts::find(ctx.params.slug.as_str()).ok_or_else(not_found)?;
    Ok(html! {
        article {
            h1 { (post.title) }
            p { time { (post.published) } }
            p { (post.body) }
            img src={ "/blog/" (post.slug) "/opengraph-image" } alt="" width="600" height="315";
        }
    })
}
