//! `/apple-icon`: a static generated icon, rendered once before traffic.

use arbor::image::ImageResponse;
use arbor::prelude::*;

pub const SIZE: (u32, u32) = (180, 180);

pub async fn apple_icon() -> ImageResponse {
    ImageResponse::new(html! {
        div style="display:flex;width:100%;height:100%;background:black;color:white;font-size:120px" { "A" }
    })
}
