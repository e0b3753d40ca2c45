//! The root layout: the document around every page.

use arbor::prelude::*;

pub fn layout(children: Markup) -> Markup {
    html! {
        html lang="en" {
            head { meta charset="utf-8"; title { "Arbor test app" } }
            body { (children) }
        }
    }
}
