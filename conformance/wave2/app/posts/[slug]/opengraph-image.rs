//! `/posts/{slug}/opengraph-image`, as `opengraph-image.tsx` writes it.

use arbor::image::ImageResponse;
use arbor::prelude::*;

use super::Params;

pub const ALT: &str = "post preview";
pub const SIZE: (u32, u32) = (120, 63);

pub async fn opengraph_image(ctx: RouteContext<Params>) -> ImageResponse {
    let background = if ctx.params.slug.as_str() == "hello" {
        "green"
    } else {
        "gray"
    };
    ImageResponse::new(html! {
        div style={ "width:100%;height:100%;display:flex;background:" (background) } {}
    })
}
