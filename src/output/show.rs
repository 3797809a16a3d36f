//! `show`: one article as a reader opens it, with its quotes marked in the body.
//!
//! Quotes are marked `«…»` followed by `[N Speaker]`, with colour on top on a terminal, so
//! that piped output keeps the marks and a quote can be found again with `--quote N`.

use std::fmt::Write;

use serde::Serialize;

use super::escape::{for_terminal, path_for_terminal};
use super::text::Style;
use crate::search::article::{Article, ArticleQuote};

const OPEN_MARK: &str = "\u{ab}";
const CLOSE_MARK: &str = "\u{bb}";
const QUOTE_COLOR: &str = "\x1b[1m";
const LABEL_COLOR: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// A paragraph ends at a blank line: the ingester joins paragraphs so.
const PARAGRAPH_BREAK: &str = "\n\n";

fn paint(style: &Style, code: &str, s: &str) -> String {
    if style.color {
        format!("{code}{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// Body text made safe for a terminal, its line breaks kept (`for_terminal` flattens them).
fn lines_for_terminal(s: &str) -> String {
    let lines: Vec<_> = s.split('\n').map(for_terminal).collect();
    lines.join("\n")
}

fn speaker_of(q: &ArticleQuote) -> String {
    q.speaker.as_deref().map_or_else(
        || "unknown speaker".to_string(),
        |s| for_terminal(s).into_owned(),
    )
}

/// The body span of a quote, when it is a valid range of `body`.
fn span_in(body: &str, q: &ArticleQuote) -> Option<(usize, usize)> {
    let (s, e) = (q.body_start?, q.body_end?);
    body.get(s..e).map(|_| (s, e))
}

/// Title, then one line per metadata value known, then the location.
fn header(style: &Style, a: &Article) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(style, QUOTE_COLOR, &for_terminal(&a.title))
    );
    let fields = [
        ("date", &a.date),
        ("source", &a.source),
        ("author", &a.author),
        ("url", &a.url),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            let _ = writeln!(out, "  {name}: {}", for_terminal(v));
        }
    }
    if !a.category.is_empty() {
        let _ = writeln!(out, "  category: {}", for_terminal(&a.category));
    }
    let _ = writeln!(out, "  path: {}", path_for_terminal(&a.path));
    if let Some(l) = &a.location {
        let _ = writeln!(out, "  location: {}", path_for_terminal(l));
    }
    out
}

/// `text` with the quotes of `marks` (number, quote) marked; spans are byte ranges of
/// `text` shifted by `base`. Overlapping spans (a quote inside another) are left unmarked.
fn marked(style: &Style, text: &str, base: usize, marks: &[(usize, &ArticleQuote)]) -> String {
    let mut out = String::with_capacity(text.len() + 64 * marks.len());
    let mut pos = 0;
    for &(n, q) in marks {
        let Some((s, e)) = span_in(text, &shifted(q, base)) else {
            continue;
        };
        if s < pos {
            continue;
        }
        out.push_str(&lines_for_terminal(&text[pos..s]));
        let quote = format!("{OPEN_MARK}{}{CLOSE_MARK}", lines_for_terminal(&text[s..e]));
        let label = format!("[{n} {}]", speaker_of(q));
        let _ = write!(
            out,
            "{}{}",
            paint(style, QUOTE_COLOR, &quote),
            paint(style, LABEL_COLOR, &label)
        );
        pos = e;
    }
    out.push_str(&lines_for_terminal(&text[pos..]));
    out
}

/// The quote with its body span moved back by `base` bytes.
fn shifted(q: &ArticleQuote, base: usize) -> ArticleQuote {
    let mut q = q.clone();
    q.body_start = q.body_start.and_then(|s| s.checked_sub(base));
    q.body_end = q.body_end.and_then(|e| e.checked_sub(base));
    q
}

/// One line per quote: its number, speaker, kind and the sentence attributing it.
fn quote_list(style: &Style, quotes: &[(usize, &ArticleQuote)]) -> String {
    let mut out = String::new();
    for &(n, q) in quotes {
        let _ = writeln!(
            out,
            "  [{n}] {} ({}{}): \u{201c}{}\u{201d}",
            paint(style, QUOTE_COLOR, &speaker_of(q)),
            q.kind,
            if q.cue.is_empty() {
                String::new()
            } else {
                format!(", {}", for_terminal(&q.cue))
            },
            for_terminal(&q.quote)
        );
        if let Some(c) = &q.context {
            let _ = writeln!(
                out,
                "      {} {}",
                paint(style, LABEL_COLOR, "said:"),
                for_terminal(c)
            );
        }
    }
    out
}

/// The whole article: header, marked body, then the list of quotes.
pub(crate) fn article(style: &Style, a: &Article) -> String {
    let numbered: Vec<(usize, &ArticleQuote)> = a
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| (i + 1, q))
        .collect();
    let mut out = header(style, a);
    let _ = writeln!(out, "\n{}\n", marked(style, &a.body, 0, &numbered));
    let _ = writeln!(out, "quotes: {}", a.quotes.len());
    out.push_str(&quote_list(style, &numbered));
    out
}

/// Byte range of the paragraph of `body` that holds bytes `start..end`.
pub(crate) fn paragraph(body: &str, start: usize, end: usize) -> (usize, usize) {
    let s = body[..start]
        .rfind(PARAGRAPH_BREAK)
        .map_or(0, |i| i + PARAGRAPH_BREAK.len());
    let e = body[end..]
        .find(PARAGRAPH_BREAK)
        .map_or(body.len(), |i| end + i);
    (s, e)
}

/// The text of the paragraph holding quote `q`, when the quote is in the body.
pub(crate) fn paragraph_of<'a>(a: &'a Article, q: &ArticleQuote) -> Option<(usize, &'a str)> {
    let (s, e) = span_in(&a.body, q)?;
    let (ps, pe) = paragraph(&a.body, s, e);
    Some((ps, &a.body[ps..pe]))
}

/// Quote `n` (from 1) of the article in its paragraph, after the header.
pub(crate) fn one_quote(style: &Style, a: &Article, n: usize) -> String {
    let q = &a.quotes[n - 1];
    let mut out = header(style, a);
    let text = match paragraph_of(a, q) {
        Some((base, para)) => marked(style, para, base, &[(n, q)]),
        // A quote outside the body (in the title, say) is shown on its own.
        None => format!("{OPEN_MARK}{}{CLOSE_MARK}", for_terminal(&q.quote)),
    };
    let _ = writeln!(out, "\n{text}\n");
    out.push_str(&quote_list(style, &[(n, q)]));
    out
}

/// `show --json`: the article, and with `--quote N` only that quote and its paragraph
/// (`schema/show.json`).
#[derive(Serialize)]
pub(crate) struct Shown<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(flatten)]
    pub article: &'a Article,
    /// With `--quote N`: N, and the paragraph holding the quote (null when it is not in
    /// the body).
    pub quote_number: Option<usize>,
    pub paragraph: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_around_a_span() {
        let body = "One.\n\nTwo \"quoted\" here.\n\nThree.";
        let s = body.find("quoted").unwrap();
        let (a, b) = paragraph(body, s, s + 6);
        assert_eq!(&body[a..b], "Two \"quoted\" here.");
        assert_eq!(paragraph("only", 0, 4), (0, 4));
    }
}
