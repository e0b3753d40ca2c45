//! `/sitemap.xml`, as `app/sitemap.ts` writes it.

use arbor::metadata::{ChangeFrequency, Sitemap, SitemapEntry};

pub async fn sitemap() -> Sitemap {
    Sitemap::new()
        .entry(
            SitemapEntry::new("https://example.com")
                .last_modified("2024-01-01T00:00:00.000Z")
                .change_frequency(ChangeFrequency::Yearly)
                .priority(1.0),
        )
        .entry(
            SitemapEntry::new("https://example.com/comments")
                .last_modified("2024-01-02T00:00:00.000Z"),
        )
}
