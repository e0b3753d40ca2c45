//! The benchmark workload, written as an Arbor user would.

use std::sync::{Arc, Mutex};

use serde::Serialize;

arbor::app!(pub, state = Store);

/// A comment.
#[derive(Clone, Serialize)]
pub struct Comment {
    /// From 1.
    pub id: u64,
    /// The text.
    pub text: String,
}

/// The comments, in memory; back to the three seeds at 1,000.
#[derive(Clone)]
pub struct Store(pub Arc<Mutex<Vec<Comment>>>);

impl Default for Store {
    fn default() -> Self {
        Store(Arc::new(Mutex::new(seeds())))
    }
}

/// The three seed comments.
pub fn seeds() -> Vec<Comment> {
    [
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
    .collect()
}

impl Store {
    /// The comments, locked.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Comment>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
