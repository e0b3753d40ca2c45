use arbor::middleware::{Config, Matcher, Next, Outcome};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/old-hello")],
};

/// `/old-hello` moved: a redirect the app's layers see like any other answer.
pub async fn proxy(req: Request) -> Outcome {
    if req.pathname() == "/old-hello" {
        return Response::redirect("/hello").into();
    }
    Next::new().into()
}
