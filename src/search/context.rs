//! `quotes --context`: the sentence that attributes a quote, cut from its article's body at
//! query time from the quote's offsets there, so that a reader can check who said it.
//! Nothing is stored for it: the body is read for the hit anyway.

/// Longest context shown, in characters; a longer one is cut at a word boundary with "…".
pub const MAX_CONTEXT_CHARS: usize = 600;

/// Fewest characters of attribution ("she said") beside the quote for its own sentence to
/// count as attributing it; with fewer, the neighbouring sentence of the paragraph is added.
const MIN_ATTRIBUTION_CHARS: usize = 6;

/// Where the sentence holding byte `at` of `text` starts: after the last sentence end
/// (`.`, `?` or `!`, then white space) or line break before it.
fn sentence_start(text: &str, at: usize) -> usize {
    let head = &text[..at];
    let mut start = head.rfind('\n').map_or(0, |i| i + 1);
    let bytes = head.as_bytes();
    for i in (start..head.len()).rev() {
        if bytes[i].is_ascii_whitespace() && i > start && ends_sentence(&head[start..i]) {
            start = i + 1;
            break;
        }
    }
    start
}

/// Whether `s` ends with a sentence end, allowing closing quotation marks after it.
fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    s.ends_with(['.', '?', '!'])
}

/// Where the sentence holding byte `at` of `text` ends (exclusive): at the first white
/// space after a sentence end, or the end of the line.
fn sentence_end(text: &str, at: usize) -> usize {
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    for (i, c) in text[at..line_end].char_indices() {
        let here = at + i;
        if c.is_whitespace() && ends_sentence(&text[..here]) && here > at {
            return here;
        }
    }
    line_end
}

/// The sentence or sentences of `body` around the quote at `body[start..end]`, with the
/// neighbouring sentence of the paragraph when the quote's own holds no attribution.
pub fn context(body: &str, start: usize, end: usize) -> Option<String> {
    if start > end
        || end > body.len()
        || !body.is_char_boundary(start)
        || !body.is_char_boundary(end)
    {
        return None;
    }
    let mut s = sentence_start(body, start);
    let mut e = sentence_end(body, end);
    let outside = body[s..start].trim().len() + body[end..e].trim().len();
    if outside < MIN_ATTRIBUTION_CHARS {
        // Said before ("Mr Brown was blunt.") or after ("That was Mr Brown's view.").
        let before = body[..s].chars().next_back();
        let after = body[e..].chars().next();
        if let Some(c) = before.filter(|&c| c != '\n') {
            s = sentence_start(body, s - c.len_utf8());
        } else if let Some(c) = after.filter(|&c| c != '\n') {
            e = sentence_end(body, e + c.len_utf8());
        }
    }
    Some(shorten(body[s..e].trim()))
}

/// At most [`MAX_CONTEXT_CHARS`] characters, cut at a word boundary.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(MAX_CONTEXT_CHARS) {
        None => s.to_string(),
        Some((i, _)) => {
            let cut = s[..i].rfind(char::is_whitespace).unwrap_or(i);
            format!("{}\u{2026}", s[..cut].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(body: &str, quote: &str) -> String {
        let start = body.find(quote).unwrap();
        context(body, start, start + quote.len()).unwrap()
    }

    #[test]
    fn the_sentence_that_holds_the_quote_and_its_speaker() {
        let body = "Taxes rose. \"We had no choice,\" said Gordon Brown. Markets fell.";
        assert_eq!(
            around(body, "We had no choice,"),
            "\"We had no choice,\" said Gordon Brown."
        );
        let body = "Mr Brown said: \"The budget is fair.\" He left.\n\nNext paragraph.";
        assert_eq!(
            around(body, "The budget is fair."),
            "Mr Brown said: \"The budget is fair.\""
        );
    }

    #[test]
    fn a_quote_alone_in_its_sentence_takes_its_neighbour() {
        let body = "Gordon Brown was blunt. \"It is fair.\" Markets fell.";
        assert_eq!(
            around(body, "It is fair."),
            "Gordon Brown was blunt. \"It is fair.\""
        );
        let body = "\"It is fair.\" That was Gordon Brown's view.\n\nOther.";
        assert_eq!(
            around(body, "It is fair."),
            "\"It is fair.\" That was Gordon Brown's view."
        );
    }

    #[test]
    fn bad_offsets_give_nothing_and_long_contexts_are_cut() {
        assert_eq!(context("abc", 2, 9), None);
        assert_eq!(context("é", 1, 2), None);
        let long = format!("He said \"{}\" today.", "word ".repeat(300));
        let c = around(&long, "word");
        assert!(c.chars().count() <= MAX_CONTEXT_CHARS + 1, "{c}");
        assert!(c.ends_with('\u{2026}'));
    }
}
