//! `/sitemap.xml`: the home page and every post, from the same data the pages read.

use arbor::metadata::{ChangeFrequency, Sitemap, SitemapEntry};

use crate::posts::{POSTS, SITE};

pub async fn sitemap() -> Sitemap {
    let home = SitemapEntry::new(SITE).change_frequency(ChangeFrequency::Weekly);
    POSTS.iter().fold(Sitemap::new().entry(home), |map, post| {
        map.entry(
            SitemapEntry::new(format!("{SITE}/blog/{}", post.slug))
                .last_modified(post.published),
        )
    })
}
