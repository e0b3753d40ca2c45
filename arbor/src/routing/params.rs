//! Route parameters: decoded from the matched path, handed to handlers as typed `Params`.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use percent_encoding::{percent_decode_str, utf8_percent_encode};
use serde::{Serialize, Serializer};
use smallvec::SmallVec;

use super::tree::Raw;
use crate::error::Error;
use crate::url::PATH_SEGMENT;

/// One decoded parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    One(String),
    Many(Vec<String>),
    Absent,
}

/// The decoded parameters of a matched route, by position in its pattern.
///
/// Generated `Params` structs read from it; handlers use
/// [`RouteContext`](crate::RouteContext) instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: SmallVec<[Value; 2]>,
}

impl Params {
    /// Decodes raw captures: each segment is percent-decoded after matching, a catch-all is
    /// split on `/` first (so `a%2Fb` stays one element), and `+` stays a `+`.
    pub(crate) fn decode(raw: &[Raw<'_>]) -> Result<Params, Error> {
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| Error::bad_request("the URL holds a malformed percent-escape"))
        };
        let mut values = SmallVec::with_capacity(raw.len());
        for r in raw {
            values.push(match r {
                Raw::One(s) => Value::One(decode(s)?),
                Raw::Many(s) => Value::Many(s.split('/').map(decode).collect::<Result<_, _>>()?),
                Raw::Absent => Value::Absent,
            });
        }
        Ok(Params { values })
    }

    /// The last value, when it is one segment.
    pub(crate) fn last(&self) -> Option<&str> {
        match self.values.last() {
            Some(Value::One(s)) => Some(s),
            _ => None,
        }
    }

    /// The `[param]` at `index`.
    pub fn one(&self, index: usize) -> String {
        match self.values.get(index) {
            Some(Value::One(s)) => s.clone(),
            Some(Value::Many(v)) => v.join("/"),
            _ => String::new(),
        }
    }

    /// The `[...catch-all]` at `index`.
    pub fn many(&self, index: usize) -> Vec<String> {
        match self.values.get(index) {
            Some(Value::Many(v)) => v.clone(),
            Some(Value::One(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// The `[[...optional]]` catch-all at `index`: `None` when the URL stops before it.
    pub fn optional(&self, index: usize) -> Option<Vec<String>> {
        match self.values.get(index) {
            Some(Value::Many(v)) => Some(v.clone()),
            Some(Value::One(s)) => Some(vec![s.clone()]),
            _ => None,
        }
    }
}

/// Builds a route's typed parameters. `arbor-build` implements it for every generated
/// `Params`; there is no need to implement it by hand.
pub trait FromParams: Sized {
    /// The pattern these parameters belong to (`/comments/[id]`).
    const PATTERN: &'static str;

    /// Reads the values, by position.
    fn from_params(params: &Params) -> Self;

    /// The URL path these parameters fill the pattern into (`/gsp/a`), for
    /// `generate_static_params`.
    fn to_path(&self) -> String;
}

/// One part of a route path, for [`build_path`].
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// A static segment.
    Static(&'a str),
    /// `[param]`
    One(&'a str),
    /// `[...all]`
    Many(&'a [String]),
    /// `[[...all]]`
    Optional(Option<&'a [String]>),
}

impl Params {
    /// `pattern` (`/posts/[slug]/opengraph-image`) with its parameters taken from these, by
    /// position: the pattern of a folder above the route that matched.
    pub(crate) fn fill(&self, pattern: &str) -> String {
        let mut values = self.values.iter();
        let parts: Vec<PathPart<'_>> = pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(|segment| {
                if !(segment.starts_with('[') && segment.ends_with(']')) {
                    return Some(PathPart::Static(segment));
                }
                match values.next() {
                    Some(Value::One(s)) => Some(PathPart::One(s)),
                    Some(Value::Many(v)) => Some(PathPart::Many(v)),
                    _ => None,
                }
            })
            .collect();
        build_path(&parts)
    }
}

/// A URL path from its parts, each parameter segment percent-encoded.
pub fn build_path(parts: &[PathPart<'_>]) -> String {
    let mut path = String::new();
    let mut push = |segment: &str, encode: bool| {
        path.push('/');
        if encode {
            path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        } else {
            path.push_str(segment);
        }
    };
    for part in parts {
        match part {
            PathPart::Static(s) => push(s, false),
            PathPart::One(s) => push(s, true),
            PathPart::Many(all) | PathPart::Optional(Some(all)) => {
                all.iter().for_each(|s| push(s, true))
            }
            PathPart::Optional(None) => {}
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

/// The parameters of a route without dynamic segments. Serialises as `null`, like the
/// `params: undefined` Next.js gives such routes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoParams;

impl FromParams for NoParams {
    const PATTERN: &'static str = "";

    fn from_params(_: &Params) -> Self {
        NoParams
    }

    fn to_path(&self) -> String {
        "/".to_owned()
    }
}

impl Serialize for NoParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// A borrowed parameter value, for [`serialize_params`].
#[derive(Debug, Clone, Copy)]
pub enum ParamRef<'a> {
    /// `[param]`
    One(&'a str),
    /// `[...catch-all]`
    Many(&'a [String]),
    /// `[[...optional]]`: left out of the map when `None`, as Next.js leaves the key out.
    Optional(Option<&'a [String]>),
}

impl<'a> From<&'a String> for ParamRef<'a> {
    fn from(value: &'a String) -> Self {
        ParamRef::One(value)
    }
}

impl<'a> From<&'a Vec<String>> for ParamRef<'a> {
    fn from(value: &'a Vec<String>) -> Self {
        ParamRef::Many(value)
    }
}

impl<'a> From<&'a Option<Vec<String>>> for ParamRef<'a> {
    fn from(value: &'a Option<Vec<String>>) -> Self {
        ParamRef::Optional(value.as_deref())
    }
}

/// Serialises a generated `Params` as the map Next.js gives handlers (`{"id": "1"}`), under
/// the folder names. Generated code calls it; there is no need to call it by hand.
pub fn serialize_params<S: Serializer>(
    serializer: S,
    entries: &[(&str, ParamRef<'_>)],
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    for (name, value) in entries {
        match value {
            ParamRef::One(v) => map.serialize_entry(name, v)?,
            ParamRef::Many(v) => map.serialize_entry(name, v)?,
            ParamRef::Optional(Some(v)) => map.serialize_entry(name, v)?,
            ParamRef::Optional(None) => {}
        }
    }
    map.end()
}

/// One `[param]` segment of the URL, percent-decoded, which knows its name: [`Param::parse`]
/// reads it as any type and answers 400 naming the parameter when it does not parse, so a
/// route needs no `map_err` for a bad id.
///
/// It reads like the `String` it holds: `&param` is a `&str`, it compares with strings,
/// prints and serialises as its value.
///
/// ```
/// use arbor::routing::Param;
///
/// let id = Param::new("id", "42".to_owned());
/// let number: i64 = id.parse()?;
/// assert_eq!(number, 42);
/// assert_eq!(id, "42");
///
/// let err = Param::new("id", "abc".to_owned()).parse::<i64>().unwrap_err();
/// assert_eq!(err.status(), 400);
/// assert_eq!(
///     err.message(),
///     Some("invalid `id` in the URL (\"abc\"): invalid digit found in string")
/// );
/// # Ok::<(), arbor::Error>(())
/// ```
#[derive(Clone)]
pub struct Param {
    name: &'static str,
    value: String,
}

impl Param {
    /// The segment of the folder `[name]`, decoded. The router makes these.
    pub fn new(name: &'static str, value: String) -> Self {
        Param { name, value }
    }

    /// The folder's name (`id` for `[id]`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The decoded value.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The decoded value, owned.
    pub fn into_string(self) -> String {
        self.value
    }

    /// The value read as `T` (`i64`, a `Uuid`, an enum with `FromStr`...). When it does not
    /// parse: 400 `{"error": "invalid `id` in the URL ("abc"): <why>"}`.
    pub fn parse<T>(&self) -> Result<T, Error>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        self.value.parse().map_err(|err: T::Err| {
            let what = match self.name {
                "" => "URL parameter".to_owned(),
                name => format!("`{name}` in the URL"),
            };
            Error::bad_request(format!("invalid {what} ({:?}): {err}", self.value))
        })
    }
}

impl Deref for Param {
    type Target = str;

    fn deref(&self) -> &str {
        &self.value
    }
}

impl AsRef<str> for Param {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Debug for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

/// Two parameters are equal when their values are.
impl PartialEq for Param {
    fn eq(&self, other: &Param) -> bool {
        self.value == other.value
    }
}

impl Eq for Param {}

impl std::hash::Hash for Param {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialEq<str> for Param {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl PartialEq<&str> for Param {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

impl PartialEq<String> for Param {
    fn eq(&self, other: &String) -> bool {
        &self.value == other
    }
}

/// A value of your own, such as a parameter set `generate_static_params` returns
/// (`Params { id: "a".into() }`).
impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::new("", value.to_owned())
    }
}

/// A value of your own, such as a parameter set `generate_static_params` returns.
impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::new("", value)
    }
}

impl From<Param> for String {
    fn from(param: Param) -> String {
        param.value
    }
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'a> From<&'a Param> for ParamRef<'a> {
    fn from(value: &'a Param) -> Self {
        ParamRef::One(&value.value)
    }
}
