//! `/blog/sitemap.xml`: a sitemap below the root.

use arbor::metadata::{Sitemap, SitemapEntry};

pub async fn sitemap() -> Sitemap {
    Sitemap::new().entry(SitemapEntry::new("https://example.com/blog/hello"))
}
