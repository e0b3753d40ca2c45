//! `/gallery/icon/small` and `/gallery/icon/large`, as `app/gallery/icon.tsx` writes them.

use arbor::image::ImageResponse;
use arbor::metadata::MetadataId;
use arbor::prelude::*;

pub async fn generate_image_metadata() -> Vec<&'static str> {
    vec!["small", "large"]
}

pub async fn icon(id: MetadataId) -> ImageResponse {
    let (px, background) = if id.as_str() == "small" {
        (16, "red")
    } else {
        (48, "blue")
    };
    ImageResponse::new(html! {
        div style={ "width:100%;height:100%;display:flex;background:" (background) } {}
    })
    .size(px, px)
}
