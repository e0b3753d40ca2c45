//! The matcher compiler on any source: it refuses, or gives a regex the server runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        if let Ok(regex) = arbor_build::matcher::compile(source) {
            assert!(
                fancy_regex::Regex::new(&regex).is_ok(),
                "{source:?} gave {regex:?}"
            );
        }
        let _ = arbor_build::matcher::literal_prefix(source);
        let _ = arbor_build::matcher::shortcut(source);
    }
});
