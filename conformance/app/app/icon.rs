//! `/icon`, as `app/icon.tsx` writes it: a 32×32 PNG rendered from HTML and CSS.

use arbor::image::ImageResponse;
use arbor::prelude::*;

pub const SIZE: (u32, u32) = (32, 32);

pub async fn icon() -> ImageResponse {
    ImageResponse::new(html! {
        div style="width:100%;height:100%;background:black;color:white;display:flex;align-items:center;justify-content:center;font-size:24px" {
            "O"
        }
    })
}
