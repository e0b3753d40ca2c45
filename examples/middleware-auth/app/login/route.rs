use arbor::cookies::{ResponseCookie, SameSite};
use arbor::prelude::*;
use serde::Deserialize;

/// The login form.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct Login {
    name: String,
}

/// The query of `GET /login?next=...`.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct Next {
    next: Option<String>,
}

/// `GET /login`
pub async fn GET() -> Response {
    Response::text("POST a form with a `name` to log in")
}

/// `POST /login?next=/dashboard` with `name=...`: sets the session, back to where the user was going.
pub async fn POST(Query(next): Query<Next>, Form(login): Form<Login>) -> Result<Response> {
    let name = login.name.trim();
    if name.is_empty() {
        return Err(Error::unprocessable("name must not be empty"));
    }
    let target = next
        .next
        .as_deref()
        .and_then(same_site_path)
        .unwrap_or_else(|| "/dashboard".to_owned());
    Ok(Response::redirect_with(&target, RedirectStatus::SeeOther).with_cookie(
        ResponseCookie::new("session", name)
            .http_only(true)
            .same_site(SameSite::Lax),
    ))
}

/// `next` as a path of this site, or `None` when a browser would leave the site for it.
///
/// The URL is resolved the way a browser resolves a `Location` (the WHATWG URL parser), so
/// `//evil.com`, `/\evil.com` (a browser reads `\` as `/`), `https:evil.com` and a
/// tab or newline hidden between two slashes are all caught, and only the path, query and fragment are kept.
fn same_site_path(next: &str) -> Option<String> {
    let base = url::Url::parse("http://this.site/").ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() || !next.starts_with('/') {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(query) = resolved.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Some(fragment) = resolved.fragment() {
        path.push('#');
        path.push_str(fragment);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_pass() {
        assert_eq!(same_site_path("/dashboard").as_deref(), Some("/dashboard"));
        assert_eq!(same_site_path("/a/b?c=1#d").as_deref(), Some("/a/b?c=1#d"));
        assert_eq!(same_site_path("/a/../b").as_deref(), Some("/b"));
        for bad in [
            "//evil.com",
            "/\\evil.com",
            "\\/evil.com",
            "/\\/evil.com",
            "https://evil.com",
            "https:evil.com",
            "javascript:alert(1)",
            "evil.com",
            "/\t/evil.com",
            "/\n/evil.com",
            "//evil.com/%2e%2e",
            "",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
        }
    }
}
