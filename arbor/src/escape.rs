//! Percent-decoding as JavaScript's `decodeURIComponent` does it, which is what Next.js
//! applies to paths and cookies: every `%` must start an escape of two hex digits, and the
//! bytes must be UTF-8, or the text cannot be decoded at all. (`percent-encoding` alone
//! leaves a bad escape in place, as browsers do for URLs.)

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// `text` decoded, or `None` when an escape is malformed (`%`, `%4`, `%ZZ`) or the decoded
/// bytes are not UTF-8 (`%FF`).
pub(crate) fn decode(text: &str) -> Option<Cow<'_, str>> {
    if !escapes_are_well_formed(text) {
        return None;
    }
    percent_decode_str(text).decode_utf8().ok()
}

/// Whether every `%` starts two hex digits.
fn escapes_are_well_formed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + offset;
        let hex = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
        if !hex(bytes.get(at + 1)) || !hex(bytes.get(at + 2)) {
            return false;
        }
        i = at + 3;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_decode_uri_component() {
        assert_eq!(decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(decode("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(decode("plain").as_deref(), Some("plain"));
        assert_eq!(decode("").as_deref(), Some(""));
        assert_eq!(decode("%ZZ"), None);
        assert_eq!(decode("%"), None);
        assert_eq!(decode("a%4"), None);
        assert_eq!(decode("%FF"), None);
        assert_eq!(decode("%E0%A4%A"), None);
    }

    mod properties {
        use super::*;
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        use proptest::prelude::*;

        /// `decodeURIComponent` written plainly, byte by byte: the reference.
        fn reference(text: &str) -> Option<String> {
            let bytes = text.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                    out.push(u8::from_str_radix(hex, 16).ok()?);
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).ok()
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 4096,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn encoded_text_decodes_to_itself(text in any::<String>()) {
                let encoded = utf8_percent_encode(&text, NON_ALPHANUMERIC).to_string();
                let decoded = decode(&encoded).map(|d| d.into_owned());
                prop_assert_eq!(decoded, Some(text));
            }

            #[test]
            fn decodes_as_the_reference_does(text in "([a-zA-Z0-9/ ]|%[0-9a-fA-FzZ]{0,2}|%[89A-Fa-f][0-9A-Fa-f]){0,12}") {
                prop_assert_eq!(decode(&text).map(|d| d.into_owned()), reference(&text));
            }

            #[test]
            fn text_without_escapes_is_itself(text in "[^%]*") {
                let decoded = decode(&text).map(|d| d.into_owned());
                prop_assert_eq!(decoded, Some(text));
            }
        }
    }
}
