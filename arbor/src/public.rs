//! The `public/` folder: its files served at `/` as `next start` serves them (Node's `send`),
//! with validators and ranges: a weak `ETag` (`W/"<size>-<mtime>"`, hex) and `Last-Modified`;
//! `304` for `If-None-Match` and `If-Modified-Since`; one `Range` answered `206` (several
//! ranges: the whole file, as `send` does); `Cache-Control: public, max-age=0`.
//!
//! Stricter than Next.js, where it answers 500 (`conformance/DEVIATIONS.md`): an
//! unsatisfiable range is `416`, a failed `If-Match` is `412`, and a method other than GET or
//! HEAD is `405` with `Allow: GET, HEAD`.
//!
//! The folder is listed once, when the app is built: only the files found then are served,
//! found by an exact lookup of the request's decoded path, so no request can reach outside
//! the folder whatever it encodes. Written here rather than with tower-http's `ServeDir`,
//! which has no `ETag` and answers a multi-range request `416`.

use std::collections::HashMap;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use http::header::{
    ACCEPT_RANGES, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG,
    IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, IF_UNMODIFIED_SINCE, LAST_MODIFIED,
    RANGE,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::body::Body;

type Response = http::Response<Body>;

/// A public file: where its bytes are, and its `Content-Type`, known from its name when the
/// folder is listed.
#[derive(Debug, Clone)]
pub(crate) struct PublicFile {
    source: Source,
    content_type: HeaderValue,
}

/// Where a public file's bytes are.
#[derive(Debug, Clone)]
enum Source {
    /// On disk, read for each request.
    Disk(PathBuf),
    /// Built into the binary, with the modification time the file had then.
    Embedded {
        bytes: &'static [u8],
        modified: SystemTime,
    },
}

impl PublicFile {
    fn new(name: &Path, source: Source) -> PublicFile {
        PublicFile {
            content_type: content_type(name),
            source,
        }
    }
}

/// The files of a `public/` folder, by the URL path that serves each.
#[derive(Debug, Default)]
pub(crate) struct PublicFiles {
    files: HashMap<String, PublicFile>,
}

impl PublicFiles {
    /// Lists every file under `root` (dotfiles and dot-folders left out).
    pub(crate) fn index(root: &Path) -> io::Result<PublicFiles> {
        let mut files = HashMap::new();
        let mut folders = vec![(root.to_path_buf(), String::new())];
        while let Some((dir, url)) = folders.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|err| {
                io::Error::new(
                    err.kind(),
                    format!("public folder {}: {err}", dir.display()),
                )
            })?;
            for entry in entries {
                let entry = entry?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue; // not UTF-8: no URL names it
                };
                if name.starts_with('.') {
                    continue;
                }
                let path = entry.path();
                let url = format!("{url}/{name}");
                if entry.file_type()?.is_dir() {
                    folders.push((path, url));
                } else if path.is_file() {
                    files.insert(url, PublicFile::new(&path, Source::Disk(path.clone())));
                }
            }
        }
        Ok(PublicFiles { files })
    }

    /// Files built into the binary: (URL path, bytes, modification time in seconds since
    /// 1970), as `arbor-build` lists them for `Builder::embed_public`.
    pub(crate) fn embedded(files: &[(&'static str, &'static [u8], u64)]) -> PublicFiles {
        let files = files
            .iter()
            .map(|&(url, bytes, modified)| {
                let modified = UNIX_EPOCH + std::time::Duration::from_secs(modified);
                let source = Source::Embedded { bytes, modified };
                (url.to_owned(), PublicFile::new(Path::new(url), source))
            })
            .collect();
        PublicFiles { files }
    }

    /// The file a request path names: its dot segments (`..`, `%2e%2e`...) resolved as a
    /// browser resolves them, then percent-decoded (`%2f` is a `/`), then looked up. A `..`
    /// that only decoding reveals (`..%2f`) names no file, as `send` refuses it.
    pub(crate) fn find(&self, path: &str) -> Option<&PublicFile> {
        if self.files.is_empty() {
            return None;
        }
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/').skip(1) {
            match segment.to_ascii_lowercase().as_str() {
                "." | "%2e" => {}
                ".." | ".%2e" | "%2e." | "%2e%2e" => {
                    segments.pop();
                }
                _ => segments.push(segment),
            }
        }
        let resolved = format!("/{}", segments.join("/"));
        let decoded = crate::escape::decode(&resolved)?;
        if decoded.split(['/', '\\']).any(|s| s == "..") {
            return None;
        }
        self.files.get(decoded.as_ref())
    }
}

/// What validates a file: its size and modification time.
struct Validators {
    size: u64,
    etag: String,
    modified: SystemTime,
    last_modified: String,
}

impl Validators {
    fn of(size: u64, modified: SystemTime) -> Validators {
        let millis = modified
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Validators {
            size,
            etag: format!("W/\"{size:x}-{millis:x}\""),
            modified,
            last_modified: httpdate::fmt_http_date(modified),
        }
    }

    /// Whether an `If-None-Match` / `If-Match` list names this file (weakly, as `send` does).
    fn listed_in(&self, list: &str) -> bool {
        let strong = self.etag.trim_start_matches("W/");
        list.split(',').map(str::trim).any(|tag| {
            tag == "*"
                || tag == self.etag
                || tag == strong
                || tag.trim_start_matches("W/") == strong
        })
    }

    /// Whether the file changed after `date` (an HTTP date, whole seconds).
    fn modified_after(&self, date: &str) -> Option<bool> {
        let since = httpdate::parse_http_date(date).ok()?;
        let seconds = |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Some(seconds(self.modified) > seconds(since))
    }
}

/// A byte range of the file, inclusive.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    Part(u64, u64),
    Unsatisfiable,
}

/// One `Range: bytes=...` against a file of `size` bytes. Several ranges, or a header that is
/// not a byte range, give the whole file.
fn wanted(range: &str, size: u64) -> Wanted {
    let Some(spec) = range.trim().strip_prefix("bytes=") else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (start, end) = (start.trim(), end.trim());
    let parse = |n: &str| n.parse::<u64>().ok();
    match (start.is_empty(), end.is_empty()) {
        // `-n`: the last n bytes.
        (true, false) => match parse(end) {
            Some(0) => Wanted::Unsatisfiable,
            Some(n) if size > 0 => Wanted::Part(size.saturating_sub(n), size - 1),
            Some(_) => Wanted::Unsatisfiable,
            None => Wanted::Whole,
        },
        // `a-`: from a to the end.
        (false, true) => match parse(start) {
            Some(a) if a < size => Wanted::Part(a, size - 1),
            Some(_) => Wanted::Unsatisfiable,
            None => Wanted::Whole,
        },
        (false, false) => match (parse(start), parse(end)) {
            (Some(a), Some(b)) if a <= b && a < size => Wanted::Part(a, b.min(size - 1)),
            (Some(a), Some(b)) if a <= b => Wanted::Unsatisfiable,
            _ => Wanted::Whole,
        },
        (true, true) => Wanted::Whole,
    }
}

/// `Content-Type` by extension, with the charset `send` adds to text.
fn content_type(path: &Path) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.essence_str() == "application/json"
        || mime.essence_str() == "application/javascript";
    let value = if text && mime.get_param("charset").is_none() {
        format!("{}; charset=UTF-8", mime.essence_str())
    } else {
        mime.to_string()
    };
    HeaderValue::try_from(value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn header<'a>(headers: &'a HeaderMap, name: &http::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn empty(status: StatusCode) -> Response {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// Answers a request for `file`.
pub(crate) async fn serve(file: PublicFile, method: Method, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = empty(StatusCode::METHOD_NOT_ALLOWED);
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let file_validators = match &file.source {
        Source::Disk(path) => match tokio::fs::metadata(path).await {
            Ok(meta) if meta.is_file() => {
                Validators::of(meta.len(), meta.modified().unwrap_or(UNIX_EPOCH))
            }
            _ => {
                tracing::warn!(file = %path.display(), "a public file listed at start-up is gone");
                return empty(StatusCode::NOT_FOUND);
            }
        },
        Source::Embedded { bytes, modified } => Validators::of(bytes.len() as u64, *modified),
    };
    let v = &file_validators;
    let mut response = respond(v, &headers, &file.content_type);
    let status = response.status();
    let common = response.headers_mut();
    common.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    common.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=0"));
    response
        .extensions_mut()
        .insert(crate::layers::ServesRanges);
    let common = response.headers_mut();
    if let Ok(value) = HeaderValue::try_from(v.last_modified.as_str()) {
        common.insert(LAST_MODIFIED, value);
    }
    if let Ok(value) = HeaderValue::try_from(v.etag.as_str()) {
        common.insert(ETAG, value);
    }
    if status != StatusCode::OK && status != StatusCode::PARTIAL_CONTENT {
        return response; // 304, 412, 416: no content
    }
    let (start, length) = match wanted_of(v, &headers) {
        Wanted::Part(a, b) => (a, b - a + 1),
        _ => (0, v.size),
    };
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(length));
    if method == Method::HEAD {
        return response;
    }
    let body = match &file.source {
        Source::Disk(path) => read(path, start, length).await,
        Source::Embedded { bytes, .. } => {
            let start = usize::try_from(start)
                .unwrap_or(bytes.len())
                .min(bytes.len());
            let end = usize::try_from(length)
                .map_or(bytes.len(), |length| start.saturating_add(length))
                .min(bytes.len());
            Ok(Body::from(bytes::Bytes::from_static(&bytes[start..end])))
        }
    };
    match body {
        Ok(body) => {
            *response.body_mut() = body;
            response
        }
        Err(err) => {
            tracing::error!(file = ?file.source, error = %err, "a public file could not be read");
            empty(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// The status and the headers that depend on the request's conditions and range.
fn respond(v: &Validators, headers: &HeaderMap, content_type: &HeaderValue) -> Response {
    let failed_if_match = header(headers, &IF_MATCH).is_some_and(|list| !v.listed_in(list));
    let failed_unmodified = header(headers, &IF_UNMODIFIED_SINCE)
        .and_then(|date| v.modified_after(date))
        .unwrap_or(false);
    if failed_if_match || failed_unmodified {
        return empty(StatusCode::PRECONDITION_FAILED);
    }
    let not_modified = match header(headers, &IF_NONE_MATCH) {
        Some(list) => v.listed_in(list),
        None => header(headers, &IF_MODIFIED_SINCE)
            .and_then(|date| v.modified_after(date))
            .is_some_and(|after| !after),
    };
    if not_modified {
        return empty(StatusCode::NOT_MODIFIED);
    }
    let mut response = match wanted_of(v, headers) {
        Wanted::Whole => empty(StatusCode::OK),
        Wanted::Part(a, b) => {
            let mut response = empty(StatusCode::PARTIAL_CONTENT);
            if let Ok(value) = HeaderValue::try_from(format!("bytes {a}-{b}/{}", v.size)) {
                response.headers_mut().insert(CONTENT_RANGE, value);
            }
            response
        }
        Wanted::Unsatisfiable => {
            let mut response = empty(StatusCode::RANGE_NOT_SATISFIABLE);
            if let Ok(value) = HeaderValue::try_from(format!("bytes */{}", v.size)) {
                response.headers_mut().insert(CONTENT_RANGE, value);
            }
            return response;
        }
    };
    response
        .headers_mut()
        .insert(CONTENT_TYPE, content_type.clone());
    response
}

/// The range to send: none unless `If-Range` (when given) still names this file.
fn wanted_of(v: &Validators, headers: &HeaderMap) -> Wanted {
    let Some(range) = header(headers, &RANGE) else {
        return Wanted::Whole;
    };
    if let Some(if_range) = header(headers, &IF_RANGE) {
        let current = if if_range.starts_with('"') || if_range.starts_with("W/") {
            v.listed_in(if_range)
        } else {
            v.modified_after(if_range) == Some(false)
        };
        if !current {
            return Wanted::Whole;
        }
    }
    wanted(range, v.size)
}

/// Files up to this size are read whole; larger ones are streamed in pieces, so a large
/// file costs no more memory than a small one.
const READ_WHOLE: u64 = 64 * 1024;

/// The body for `length` bytes of `file` from `start`.
async fn read(file: &Path, start: u64, length: u64) -> io::Result<Body> {
    let mut f = tokio::fs::File::open(file).await?;
    if start > 0 {
        f.seek(SeekFrom::Start(start)).await?;
    }
    if length <= READ_WHOLE {
        let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        f.take(length).read_to_end(&mut bytes).await?;
        return Ok(Body::from(bytes));
    }
    Ok(Body::from_stream(tokio_util::io::ReaderStream::new(
        f.take(length),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_send_reads_them() {
        assert_eq!(wanted("bytes=0-4", 12), Wanted::Part(0, 4));
        assert_eq!(wanted("bytes=-5", 12), Wanted::Part(7, 11));
        assert_eq!(wanted("bytes=5-", 12), Wanted::Part(5, 11));
        assert_eq!(wanted("bytes=5-100", 12), Wanted::Part(5, 11));
        assert_eq!(wanted("bytes=0-1,3-4", 12), Wanted::Whole);
        assert_eq!(wanted("bytes=20-30", 12), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=-0", 12), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=5-2", 12), Wanted::Whole);
        assert_eq!(wanted("items=0-4", 12), Wanted::Whole);
        assert_eq!(wanted("bytes=x-4", 12), Wanted::Whole);
    }

    #[test]
    fn paths_are_decoded_and_resolved_inside_the_folder() {
        let mut files = HashMap::new();
        let file = |path: &str| PublicFile::new(Path::new(path), Source::Disk(path.into()));
        files.insert("/hello.txt".to_owned(), file("p/hello.txt"));
        files.insert("/sub/nested.txt".to_owned(), file("p/sub/nested.txt"));
        let public = PublicFiles { files };
        assert!(public.find("/hello.txt").is_some());
        assert!(public.find("/sub%2fnested.txt").is_some());
        assert!(public.find("/sub/%2e%2e/hello.txt").is_some());
        assert!(public.find("/../hello.txt").is_some());
        assert!(public.find("/sub").is_none());
        assert!(public.find("/%2e%2e/package.json").is_none());
        assert!(public.find("/sub/..%2fhello.txt").is_none());
        assert!(public.find("/sub/.%2E/hello.txt").is_some());
        assert!(public.find("/hello.txt%ZZ").is_none());
    }
}
