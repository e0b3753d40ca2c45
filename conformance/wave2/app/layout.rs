//! The root layout, as `app/layout.tsx` writes it.

use arbor::prelude::*;

pub fn layout(children: Markup) -> Markup {
    html! {
        html lang="en" {
            body { (children) }
        }
    }
}
