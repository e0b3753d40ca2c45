//! `/gallery/icon/{id}`: one icon per id `generate_image_metadata` returns, each its size.

use arbor::image::ImageResponse;
use arbor::metadata::MetadataId;
use arbor::prelude::*;

pub const SIZE: (u32, u32) = (48, 48);

pub async fn generate_image_metadata() -> Vec<&'static str> {
    vec!["small", "large"]
}

pub async fn icon(id: MetadataId) -> ImageResponse {
    let image = ImageResponse::new(html! {
        div style="display:flex;width:100%;height:100%;background:#333;color:white" { (id.as_str()) }
    });
    if id.as_str() == "large" {
        image.size(96, 96)
    } else {
        image
    }
}
