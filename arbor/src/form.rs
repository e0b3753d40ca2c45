//! Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` with files.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::body::{invalid, is_length_limit, read_all, too_large, Body};
use crate::error::Error;

/// A file sent in a multipart form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormFile {
    /// The file name the client gave.
    pub filename: Option<String>,
    /// The content type the client gave.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

/// One value of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// A text field.
    Text(String),
    /// A file.
    File(FormFile),
}

/// A form's entries in the order sent (`request.formData()`).
///
/// ```
/// # async fn demo(mut req: arbor::Request) -> arbor::Result<()> {
/// let form = req.form_data().await?;
/// let title = form.text("title").unwrap_or("untitled");
/// if let Some(file) = form.file("upload") {
///     println!("{title}: {} bytes", file.bytes.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormData {
    entries: Vec<(String, FormValue)>,
}

impl FormData {
    pub(crate) async fn read(content_type: &str, body: Body) -> Result<FormData, Error> {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "application/x-www-form-urlencoded" => {
                let bytes = read_all(body).await?;
                let entries = form_urlencoded::parse(&bytes)
                    .map(|(k, v)| (k.into_owned(), FormValue::Text(v.into_owned())))
                    .collect();
                Ok(FormData { entries })
            }
            "multipart/form-data" => Self::read_multipart(content_type, body).await,
            _ => Err(Error::unsupported_media_type(
                "expected a form body (content-type: application/x-www-form-urlencoded or multipart/form-data)",
            )),
        }
    }

    async fn read_multipart(content_type: &str, body: Body) -> Result<FormData, Error> {
        let boundary = multer::parse_boundary(content_type).map_err(|_| {
            Error::bad_request("multipart/form-data without a boundary in its content-type")
        })?;
        let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
        let mut entries = Vec::new();
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(err) => return Err(multipart_error(err)),
            };
            let name = field.name().unwrap_or_default().to_owned();
            let filename = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let bytes = field.bytes().await.map_err(multipart_error)?;
            let value = match filename {
                Some(filename) => FormValue::File(FormFile {
                    filename: Some(filename),
                    content_type,
                    bytes,
                }),
                None => FormValue::Text(String::from_utf8_lossy(&bytes).into_owned()),
            };
            entries.push((name, value));
        }
        Ok(FormData { entries })
    }

    /// Every entry, in order.
    pub fn entries(&self) -> &[(String, FormValue)] {
        &self.entries
    }

    /// The first value named `name`.
    pub fn get(&self, name: &str) -> Option<&FormValue> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The first text field named `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.entries.iter().find_map(|(k, v)| match v {
            FormValue::Text(t) if k == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The first file named `name`.
    pub fn file(&self, name: &str) -> Option<&FormFile> {
        self.entries.iter().find_map(|(k, v)| match v {
            FormValue::File(f) if k == name => Some(f),
            _ => None,
        })
    }

    /// The text fields into `T`; a field missing or of the wrong type is a 400 naming it.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.entries {
            if let FormValue::Text(text) = value {
                serializer.append_pair(name, text);
            }
        }
        parse_urlencoded(serializer.finish().as_bytes(), "form")
    }
}

/// `a=1&b=2` into `T`, naming the field that failed (`what` is "form" or "query string").
pub(crate) fn parse_urlencoded<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Error> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(deserializer)
        .map_err(|err| invalid(what, err.path(), err.inner()))
}

fn multipart_error(err: multer::Error) -> Error {
    if is_length_limit(&err) {
        return too_large();
    }
    Error::bad_request(format!("invalid multipart body: {err}"))
}
