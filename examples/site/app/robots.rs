//! `/robots.txt`.

use arbor::metadata::{Robots, RobotsRule};

use crate::posts::SITE;

pub async fn robots() -> Robots {
    Robots::new()
        .rule(RobotsRule::for_agent("*").allow("/"))
        .sitemap(format!("{SITE}/sitemap.xml"))
}
