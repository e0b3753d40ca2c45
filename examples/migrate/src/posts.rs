//! The posts the API serves: a fixed list, standing in for the app's database.

use serde::Serialize;

/// One post.
#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: u32,
    pub title: &'static str,
}

/// Every post.
pub const POSTS: &[Post] = &[
    Post {
        id: 1,
        title: "Moving a Next.js API to Rust",
    },
    Post {
        id: 2,
        title: "Redirects, rewrites and headers at build time",
    },
];
