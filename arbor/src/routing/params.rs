//! Route parameters: decoded from the matched path, handed to handlers as typed `Params`.

use axum::extract::FromRequestParts;
use http::request::Parts;
use percent_encoding::percent_decode_str;
use serde::{Serialize, Serializer};

use super::tree::Raw;
use crate::error::Error;

/// One decoded parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    One(String),
    Many(Vec<String>),
    Absent,
}

/// The decoded parameters of a matched route, by position in its pattern.
///
/// Generated `Params` structs read from it; handlers use [`RouteContext`] instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: Vec<Value>,
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
        let mut values = Vec::with_capacity(raw.len());
        for r in raw {
            values.push(match r {
                Raw::One(s) => Value::One(decode(s)?),
                Raw::Many(s) => Value::Many(s.split('/').map(decode).collect::<Result<_, _>>()?),
                Raw::Absent => Value::Absent,
            });
        }
        Ok(Params { values })
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

/// A URL path from its parts, each parameter segment percent-encoded.
pub fn build_path(parts: &[PathPart<'_>]) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const SEGMENT: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let mut path = String::new();
    let mut push = |segment: &str, encode: bool| {
        path.push('/');
        if encode {
            path.extend(utf8_percent_encode(segment, SEGMENT));
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

/// What the router found for this request, in the handler's scope.
#[derive(Debug, Clone)]
pub(crate) struct Matched {
    pub(crate) pattern: &'static str,
    pub(crate) params: Params,
}

/// The second argument of a Next.js route handler: `context.params`, typed.
///
/// `P` is the `Params` struct `arbor-build` generates beside each route from its folder
/// names: `[id]` is a `String`, `[...slug]` a `Vec<String>`, `[[...slug]]` an
/// `Option<Vec<String>>` (`None` when the URL stops before it). Values are percent-decoded.
///
/// ```ignore
/// // app/comments/[id]/route.rs
/// use arbor::prelude::*;
/// use super::Params;
///
/// pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Result<Response> {
///     let id: i64 = ctx.params.id.parse().map_err(|_| Error::bad_request("id must be a number"))?;
///     Ok(Response::json(&serde_json::json!({ "id": id })))
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteContext<P = NoParams> {
    /// The route's parameters.
    pub params: P,
}

impl Matched {
    /// The typed parameters, checked against the route that matched.
    pub(crate) fn to_params<P: FromParams>(&self) -> Result<P, Error> {
        if !P::PATTERN.is_empty() && P::PATTERN != self.pattern {
            return Err(Error::internal_message(format!(
                "the handler for `{}` asks for the parameters of `{}`; use the `Params` generated beside its own route.rs (`use super::Params;`)",
                self.pattern,
                P::PATTERN
            )));
        }
        Ok(P::from_params(&self.params))
    }
}

impl<P, S> FromRequestParts<S> for RouteContext<P>
where
    P: FromParams + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let params = crate::scope::with(|scope| {
            scope
                .routed
                .matched
                .as_ref()
                .map(|matched| matched.to_params())
        });
        let Some(params) = params.flatten() else {
            return Err(Error::internal_message(
                "RouteContext used outside a route matched by the arbor router",
            ));
        };
        Ok(RouteContext { params: params? })
    }
}
