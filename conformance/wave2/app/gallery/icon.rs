//! `/gallery/icon/small` and `/gallery/icon/large`, as `app/gallery/icon.tsx` writes them.

use arbor::image::ImageResponse;
use arbor::metadata::{ImageMetadata, MetadataId};
use arbor::prelude::*;

pub async fn generate_image_metadata() -> Vec<ImageMetadata> {
    vec![
        ImageMetadata::new("small").size(16, 16),
        ImageMetadata::new("large").size(48, 48),
    ]
}

pub async fn icon(id: MetadataId) -> ImageResponse {
    let background = if id.as_str() == "small" { "red" } else { "blue" };
    ImageResponse::new(html! {
        div style={ "width:100%;height:100%;display:flex;background:" (background) } {}
    })
}
