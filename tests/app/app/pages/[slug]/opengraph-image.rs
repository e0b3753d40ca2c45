//! `/pages/{slug}/opengraph-image`: an Open Graph image of the slug, rendered per request.

use arbor::image::ImageResponse;
use arbor::prelude::*;

use super::Params;

pub async fn opengraph_image(ctx: RouteContext<Params>) -> ImageResponse {
    ImageResponse::new(html! {
        div style="display:flex;width:100%;height:100%;align-items:center;justify-content:center;background:#0b1020;color:white;font-size:64px" {
            (ctx.params.slug.as_str())
        }
    })
}
