//! `/posts/{slug}/twitter-image`, as `twitter-image.tsx` writes it.

use arbor::image::ImageResponse;
use arbor::prelude::*;

use super::Params;

pub const SIZE: (u32, u32) = (100, 50);

pub async fn twitter_image(ctx: RouteContext<Params>) -> ImageResponse {
    let background = if ctx.params.slug.as_str() == "hello" {
        "purple"
    } else {
        "black"
    };
    ImageResponse::new(html! {
        div style={ "width:100%;height:100%;display:flex;background:" (background) } {}
    })
}
