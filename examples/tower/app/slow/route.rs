use std::time::Duration;

use arbor::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Wait {
    ms: Option<u64>,
}

/// Answers after `?ms=` milliseconds (2 s by default): what a timeout layer cuts.
pub async fn GET(Query(wait): Query<Wait>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(wait.ms.unwrap_or(2000))).await;
    "done"
}
