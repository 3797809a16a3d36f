//! Article text is untrusted: a file can hold ANSI escape sequences or bidi overrides that
//! would repaint or reorder the user's terminal. Terminal output goes through [`for_terminal`].

use std::borrow::Cow;
use std::fmt::Write;

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Control characters and bidi controls written as `\x1b` / `\u{202e}`; newlines and tabs
/// become spaces so one record stays on its lines.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_dangerous(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            // A paragraph break inside a snippet reads as one space.
            '\n' if out.ends_with(' ') => {}
            '\n' | '\t' => out.push(' '),
            c if is_dangerous(c) => {
                if (c as u32) < 0x100 {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                } else {
                    let _ = write!(out, "\\u{{{:04x}}}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A file path for the terminal: like [`for_terminal`], but a newline, tab or CR in a file
/// name is written `\n`, `\t`, `\r`, so the path shown is unambiguous and on one line.
pub fn path_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_dangerous(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push_str(&for_terminal(c.encode_utf8(&mut [0; 4]))),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_ansi_and_bidi() {
        assert_eq!(for_terminal("a\x1b[31mred"), "a\\x1b[31mred");
        assert_eq!(for_terminal("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(for_terminal("two\nlines"), "two lines");
        assert_eq!(for_terminal("one.\n\nTwo."), "one. Two.");
        assert!(matches!(for_terminal("plain café"), Cow::Borrowed(_)));
    }

    #[test]
    fn paths_keep_their_line_breaks_visible() {
        assert_eq!(path_for_terminal("a\nb\tc.txt"), "a\\nb\\tc.txt");
        assert_eq!(
            path_for_terminal("x\x1b[2J\u{202e}.txt"),
            "x\\x1b[2J\\u{202e}.txt"
        );
        assert_eq!(path_for_terminal("with space.txt"), "with space.txt");
    }
}
