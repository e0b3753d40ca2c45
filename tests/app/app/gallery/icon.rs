//! `/gallery/icon/{id}`: one icon per entry of `generate_image_metadata`, each at its size
//! (the entry's, else the file's `SIZE`).

use arbor::image::ImageResponse;
use arbor::metadata::{ImageMetadata, MetadataId};
use arbor::prelude::*;

pub const SIZE: (u32, u32) = (48, 48);

pub async fn generate_image_metadata() -> Vec<ImageMetadata> {
    vec![
        ImageMetadata::new("small"),
        ImageMetadata::new("large").size(96, 96),
    ]
}

pub async fn icon(id: MetadataId) -> ImageResponse {
    ImageResponse::new(html! {
        div style="display:flex;width:100%;height:100%;background:#333;color:white" { (id.as_str()) }
    })
}
