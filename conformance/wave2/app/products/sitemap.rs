//! `/products/sitemap/0.xml` and `/products/sitemap/1.xml`, as `app/products/sitemap.ts`
//! writes them.

use arbor::metadata::{MetadataId, Sitemap, SitemapEntry};

pub async fn generate_sitemaps() -> Vec<u32> {
    vec![0, 1]
}

pub async fn sitemap(id: MetadataId) -> Sitemap {
    Sitemap::new()
        .entry(
            SitemapEntry::new(format!("https://example.com/products/{id}-a"))
                .last_modified("2024-01-01T00:00:00.000Z"),
        )
        .entry(SitemapEntry::new(format!("https://example.com/products/{id}-b")))
}
