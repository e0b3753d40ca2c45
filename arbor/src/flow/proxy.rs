//! Rewrites: where a middleware's `Rewrite` goes, and the reverse proxy that serves a rewrite
//! to another origin (the same method, headers and body; the upstream's answer streamed back;
//! 502 when it cannot be reached, 504 past the proxy timeout).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use bytes::Bytes;
use http::header::HOST;
use http::{HeaderMap, HeaderName, HeaderValue, Uri};
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::answers;
use crate::body::Body;
use crate::headers::is_hop_by_hop;

type Response = http::Response<Body>;

/// Proxied rewrites carry their hop count, so a rewrite that proxies back to this server is
/// cut off instead of looping. The count is signed with a key of this process (`3.<key>`):
/// a client that sends the header itself neither ends its own request early nor resets the
/// count of a loop.
const HOPS: HeaderName = HeaderName::from_static("x-arbor-rewrite-hops");

/// How many times a rewrite may proxy back to this server.
const MAX_HOPS: u32 = 8;

/// Where a rewrite goes.
pub(crate) enum Target {
    /// A path of this app (with its query).
    Internal(Uri),
    /// Another origin: proxied.
    External(Uri),
}

/// The reverse proxy, and what it knows of this server to tell its own URLs.
pub(crate) struct Proxy {
    client: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
    /// The origin as URLs serialise it, to tell same-origin rewrites and redirects.
    pub(crate) origin_key: String,
    /// The port this server listens on, when it is Arbor's server.
    port: Option<u16>,
    /// Signs the hop count this server sends itself; random per app built.
    hop_key: u64,
}

impl Proxy {
    pub(crate) fn new(origin: &str, port: Option<u16>, timeout: Duration) -> Self {
        let origin_key = url::Url::parse(origin)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| origin.to_owned());
        Proxy {
            client: Client::builder(TokioExecutor::new()).build_http(),
            timeout,
            origin_key,
            port,
            hop_key: RandomState::new().build_hasher().finish(),
        }
    }

    /// Takes the hop count off a request about to be proxied: how many times it has come
    /// back through this server's own rewrites; `None` (logged) when that is too many, a loop
    /// to cut. A count this server did not sign is not one of its hops: 0.
    pub(crate) fn take_hops(&self, headers: &mut HeaderMap) -> Option<u32> {
        let hops = headers
            .remove(HOPS)
            .and_then(|value| {
                let (hops, key) = value.to_str().ok()?.split_once('.')?;
                if u64::from_str_radix(key, 16).ok() == Some(self.hop_key) {
                    hops.parse().ok()
                } else {
                    None
                }
            })
            .unwrap_or(0);
        if hops >= MAX_HOPS {
            tracing::error!(
                "a middleware rewrite looped back to this server {hops} times; answered 500"
            );
            return None;
        }
        Some(hops)
    }

    /// A rewrite target: a path or a same-origin URL is internal, anything else is proxied;
    /// `None` when it is not a URL.
    pub(crate) fn target(&self, url: &str) -> Option<Target> {
        if url.starts_with('/') {
            return url.parse().ok().map(Target::Internal);
        }
        let parsed = url::Url::parse(url).ok()?;
        if parsed.origin().ascii_serialization() == self.origin_key {
            let mut target = parsed.path().to_owned();
            if let Some(query) = parsed.query() {
                target.push('?');
                target.push_str(query);
            }
            return target.parse().ok().map(Target::Internal);
        }
        url.parse().ok().map(Target::External)
    }

    /// Proxies the request to another origin and streams its answer back.
    pub(crate) async fn forward(
        &self,
        method: http::Method,
        request_headers: &HeaderMap,
        uri: Uri,
        body: Bytes,
        hops: u32,
    ) -> Response {
        let mut upstream = http::Request::new(Full::new(body));
        *upstream.method_mut() = method;
        let headers = upstream.headers_mut();
        for (name, value) in request_headers {
            if !is_hop_by_hop(name) && name != HOST {
                headers.append(name, value.clone());
            }
        }
        if let Some(authority) = uri.authority() {
            if let Ok(host) = HeaderValue::try_from(authority.as_str()) {
                headers.insert(HOST, host);
            }
        }
        if self.is_this_server(&uri) {
            // Only a target on this server can bring the request back here: count the hops.
            let signed = format!("{}.{:x}", hops + 1, self.hop_key);
            if let Ok(value) = HeaderValue::try_from(signed) {
                headers.insert(HOPS, value);
            }
        }
        *upstream.uri_mut() = uri.clone();
        match tokio::time::timeout(self.timeout, self.client.request(upstream)).await {
            Err(_) => {
                tracing::warn!(%uri, timeout = ?self.timeout, "rewrite upstream timed out; answered 504");
                answers::gateway_timeout()
            }
            Ok(Err(err)) => {
                tracing::warn!(%uri, error = %err, "rewrite upstream failed; answered 502");
                answers::bad_gateway()
            }
            Ok(Ok(answer)) => {
                let (mut parts, body) = answer.into_parts();
                let hop_by_hop: Vec<HeaderName> = parts
                    .headers
                    .keys()
                    .filter(|name| is_hop_by_hop(name))
                    .cloned()
                    .collect();
                for name in hop_by_hop {
                    parts.headers.remove(name);
                }
                http::Response::from_parts(parts, Body::new(body))
            }
        }
    }

    /// Whether `uri` points at the port this server listens on, on a loopback or local name.
    fn is_this_server(&self, uri: &Uri) -> bool {
        let Some(own) = self.port else { return false };
        let port = uri.port_u16().unwrap_or(80);
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        let local = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
            || self.origin_key.contains(&format!("//{host}:"));
        port == own && local
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hops(proxy: &Proxy, value: &str) -> Option<u32> {
        let mut headers = HeaderMap::new();
        headers.insert(HOPS, HeaderValue::try_from(value).expect("a header value"));
        let hops = proxy.take_hops(&mut headers);
        assert!(headers.is_empty(), "the count is taken off the request");
        hops
    }

    #[test]
    fn only_this_servers_signed_count_is_a_hop() {
        let proxy = Proxy::new("http://127.0.0.1:3000", Some(3000), Duration::from_secs(1));
        let key = format!("{:x}", proxy.hop_key);
        assert_eq!(proxy.take_hops(&mut HeaderMap::new()), Some(0));
        assert_eq!(hops(&proxy, &format!("3.{key}")), Some(3));
        assert_eq!(hops(&proxy, &format!("{MAX_HOPS}.{key}")), None);
        // What a client sends is not a count of this server's.
        assert_eq!(hops(&proxy, "8"), Some(0));
        assert_eq!(hops(&proxy, "8.0"), Some(0));
        assert_eq!(hops(&proxy, &format!("8.{:x}", proxy.hop_key ^ 1)), Some(0));
    }
}
