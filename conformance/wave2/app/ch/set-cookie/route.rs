//! `/ch/set-cookie`: two cookies of the handler's beside the config's `set-cookie`.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::text("cookies")
        .append_header("set-cookie", "handler=1; Path=/")
        .append_header("set-cookie", "handler2=2; Path=/; HttpOnly")
}
