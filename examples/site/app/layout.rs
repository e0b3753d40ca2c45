//! The root layout: the document around every page, and the 404 page.

use arbor::prelude::*;

pub fn layout(children: Markup) -> Markup {
    html! {
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Arbor site" }
                link rel="stylesheet" href="/css/site.css";
            }
            body {
                header { a href="/" { "Arbor site" } }
                main { (children) }
            }
        }
    }
}
