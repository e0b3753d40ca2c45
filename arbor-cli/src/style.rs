//! Colour, only when stderr or stdout is a terminal (and `NO_COLOR` is not set).

use std::io::IsTerminal;

fn paint(code: &str, text: &str, terminal: bool) -> String {
    if terminal && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Red and bold, for stderr.
pub fn error(text: &str) -> String {
    paint("1;31", text, std::io::stderr().is_terminal())
}

/// Green, for stderr.
pub fn ok(text: &str) -> String {
    paint("32", text, std::io::stderr().is_terminal())
}

/// Bold, for stdout.
pub fn heading(text: &str) -> String {
    paint("1", text, std::io::stdout().is_terminal())
}
