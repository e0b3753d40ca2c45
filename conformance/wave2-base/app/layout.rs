//! The root layout.

use arbor::prelude::*;

pub fn layout(children: Markup) -> Markup {
    html! {
        html lang="en" {
            body { (children) }
        }
    }
}
