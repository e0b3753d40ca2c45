//! `/robots.txt`.

use arbor::metadata::{Robots, RobotsRule};

pub async fn robots() -> Robots {
    Robots::new()
        .rule(RobotsRule::for_agent("*").allow("/").disallow("/private/"))
        .sitemap("https://example.com/sitemap.xml")
}
