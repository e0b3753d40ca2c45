//! `/sitemap.xml`, from data.

use arbor::metadata::{ChangeFrequency, Sitemap, SitemapEntry};

pub async fn sitemap() -> Sitemap {
    ["", "/comments", "/docs?page=1&lang=en"]
        .into_iter()
        .map(|path| {
            SitemapEntry::new(format!("https://example.com{path}"))
                .change_frequency(ChangeFrequency::Weekly)
        })
        .collect()
}
