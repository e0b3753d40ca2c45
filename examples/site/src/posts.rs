//! The blog's posts: the data the pages, the sitemap and the images read.

/// A blog post.
#[derive(Debug, Clone, Copy)]
pub struct Post {
    /// Its URL segment.
    pub slug: &'static str,
    /// Its title.
    pub title: &'static str,
    /// When it was published, as an ISO date.
    pub published: &'static str,
    /// Its text.
    pub body: &'static str,
}

/// Every post, newest first.
pub const POSTS: &[Post] = &[
    Post {
        slug: "layouts",
        title: "Layouts & pages",
        published: "2026-11-20",
        body: "A layout.rs wraps every page below it; the root one writes the document.",
    },
    Post {
        slug: "hello",
        title: "Hello, <world>",
        published: "2026-11-01",
        body: "Everything a page prints is escaped, titles included.",
    },
];

/// The site's address, for absolute URLs in the sitemap and robots.txt.
pub const SITE: &str = "https://example.com";

/// The post at `slug`.
pub fn find(slug: &str) -> Option<&'static Post> {
    POSTS.iter().find(|p| p.slug == slug)
}
