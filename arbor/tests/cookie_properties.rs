//! The `Cookie` header parser on generated headers: it never fails a request, and what a
//! browser sends (names and percent-encoded values) reads back as it was set.

use arbor::cookies::RequestCookies;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4096,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_header_parses_without_panicking(header in any::<String>()) {
        let cookies = RequestCookies::parse(&header);
        for cookie in cookies.get_all() {
            prop_assert!(!cookie.name.is_empty() || header.contains('='));
        }
    }

    #[test]
    fn encoded_values_read_back_and_the_last_of_a_name_wins(
        pairs in prop::collection::vec(("[A-Za-z][A-Za-z0-9_-]{0,8}", any::<String>()), 0..6),
    ) {
        let header = pairs
            .iter()
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("; ");
        let cookies = RequestCookies::parse(&header);
        for (name, _) in &pairs {
            let last = pairs.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
            prop_assert_eq!(cookies.get(name).map(|c| c.value.as_str()), last);
        }
        let mut names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        names.dedup();
        let mut unique = Vec::new();
        for name in names {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        let parsed: Vec<&str> = cookies.get_all().iter().map(|c| c.name.as_str()).collect();
        prop_assert_eq!(parsed, unique);
    }

    #[test]
    fn a_bad_escape_drops_only_its_cookie(value in "[a-z]{0,4}%[g-zG-Z]{1,2}[a-z]{0,4}") {
        let header = format!("before=1; broken={value}; after=2");
        let cookies = RequestCookies::parse(&header);
        prop_assert!(!cookies.has("broken"));
        prop_assert_eq!(cookies.get("before").map(|c| c.value.as_str()), Some("1"));
        prop_assert_eq!(cookies.get("after").map(|c| c.value.as_str()), Some("2"));
    }
}
