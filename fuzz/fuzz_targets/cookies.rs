//! The `Cookie` header parser on any header value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = std::str::from_utf8(data) {
        let cookies = arbor::cookies::RequestCookies::parse(header);
        for cookie in cookies.get_all() {
            assert!(cookies.has(&cookie.name));
        }
    }
});
