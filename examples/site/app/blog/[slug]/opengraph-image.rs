//! `/blog/{slug}/opengraph-image`: the post's title on a card, 1200×630, rendered from HTML.

use arbor::image::ImageResponse;
use arbor::prelude::*;

use super::Params;
use crate::posts;

pub const ALT: &str = "The post's title on a dark card";

pub async fn opengraph_image(ctx: RouteContext<Params>) -> Result<ImageResponse> {
    let post = posts::find(ctx.params.slug.as_str()).ok_or_else(not_found)?;
    Ok(ImageResponse::new(html! {
        div style="display:flex;flex-direction:column;justify-content:center;width:100%;height:100%;padding:80px;background:#0b1020;color:white" {
            div style="font-size:72px;font-weight:bold" { (post.title) }
            div style="margin-top:24px;font-size:36px;color:#9aa4c0" { "Arbor site · " (post.published) }
        }
    }))
}
