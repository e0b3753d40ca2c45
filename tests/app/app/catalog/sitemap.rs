//! `/catalog/sitemap/{id}.xml`: one sitemap per id `generate_sitemaps` returns.

use arbor::metadata::{MetadataId, Sitemap, SitemapEntry};

pub async fn generate_sitemaps() -> Vec<u32> {
    vec![0, 1]
}

pub async fn sitemap(id: MetadataId) -> Sitemap {
    Sitemap::new().entry(SitemapEntry::new(format!(
        "https://example.com/catalog/{id}/item"
    )))
}
