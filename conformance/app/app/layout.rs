//! The root layout, as `app/layout.tsx` writes it: the document around every page.

use arbor::prelude::*;

pub fn layout(children: Markup) -> Markup {
    html! {
        html lang="en" {
            body { (children) }
        }
    }
}
