use arbor::prelude::*;

fn require_user(req: &Request) -> Result<String> {
    match req.cookies().get("user") {
        Some(user) => Ok(user.value.clone()),
        None => Err(redirect("/login?next=/flow")),
    }
}

fn find(id: &str) -> Result<&'static str> {
    (id == "1").then_some("the first").ok_or_else(not_found)
}

/// Control flow from helpers through `?`, keeping the cookies already set.
pub async fn GET(req: Request, cookies: Cookies) -> Result<Response> {
    cookies.set("seen", "1");
    let user = require_user(&req)?;
    let id = req.next_url().search_params().get("id").unwrap_or("1").to_owned();
    if id == "moved" {
        return Err(permanent_redirect("/flow?id=1"));
    }
    let item = find(&id)?;
    Ok(Response::text(format!("{user}: {item}")))
}
