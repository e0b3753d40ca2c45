use arbor::prelude::*;

use crate::SESSION;

/// `POST /logout`: deletes the session cookie (`cookies().delete`) and redirects to `/login`;
/// the deletion rides on the redirect.
pub async fn POST(cookies: Cookies) -> Result<Response> {
    cookies.delete(SESSION);
    Err(redirect("/login"))
}
