//! `lib/store.ts`: the in-memory comments "database", shared by both comment routes.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

/// One comment.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// From 1.
    pub id: u64,
    /// The text.
    pub text: String,
}

/// The comments and the next id, seeded with three comments.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Mutex<Comments>>,
}

/// The data behind the store's lock.
pub struct Comments {
    /// Every comment, in creation order.
    pub all: Vec<Comment>,
    next_id: u64,
}

impl Comments {
    /// Takes the next id.
    pub fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The index of the comment whose id prints as `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.all.iter().position(|c| c.id.to_string() == id)
    }
}

impl Default for Store {
    fn default() -> Self {
        let all = [
            "This is the first comment",
            "This is the second comment",
            "This is the third comment",
        ]
        .iter()
        .zip(1..)
        .map(|(text, id)| Comment {
            id,
            text: (*text).to_owned(),
        })
        .collect();
        Store {
            inner: Arc::new(Mutex::new(Comments { all, next_id: 4 })),
        }
    }
}

impl Store {
    /// The comments, locked.
    pub fn lock(&self) -> MutexGuard<'_, Comments> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}
