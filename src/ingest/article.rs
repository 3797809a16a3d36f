//! One article file as fields: title, paragraphs, body, the boilerplate that was dropped,
//! and the quotations with their speakers.

use serde::Serialize;

use super::boilerplate::is_boilerplate;
use super::meta::{self, Metadata};
use crate::quotes::{self, Paragraph, Quote, SpeakerKind};

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub title: String,
    /// Paragraphs joined by blank lines; boilerplate left out.
    pub body: String,
    /// Byte spans of the title and body paragraphs in the decoded file text.
    #[serde(skip)]
    pub paragraphs: Vec<Paragraph>,
    /// Lines dropped as web boilerplate, as they were in the file.
    pub boilerplate: Vec<String>,
    pub quotes: Vec<Quote>,
    /// Distinct speakers (named people and organisations), in order of first quote.
    pub speakers: Vec<String>,
    /// Each quote's speaker key (`quotes::canonical::quote_keys`), computed once for the
    /// speakers list and the index.
    #[serde(skip)]
    pub speaker_keys: Vec<Option<String>>,
    /// Date, source, author, URL and language, each with where it came from.
    pub meta: Metadata,
    /// What could not be read in the metadata the text carries (a header block, front
    /// matter), for the file's warnings.
    #[serde(skip)]
    pub meta_warnings: Vec<String>,
}

impl Article {
    /// The first body paragraph: news puts the gist of the story there.
    pub fn lead(&self) -> &str {
        self.body.split("\n\n").next().unwrap_or("")
    }
}

/// Line spans of `text`, any of `\n`, `\r\n` or a lone `\r` ending a line.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Hard-wrapped files (lines cut at a fixed width, paragraphs separated by blank lines) need
/// their lines joined back into paragraphs; files with one paragraph per line must not be.
fn is_hard_wrapped(text: &str, lines: &[(usize, usize)]) -> bool {
    let lens: Vec<usize> = lines
        .iter()
        .map(|&(s, e)| text[s..e].trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if lens.len() < 8 {
        return false;
    }
    let longest = *lens.iter().max().unwrap_or(&0);
    let mut sorted = lens.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    longest <= 100 && (55..=90).contains(&median)
}

fn trim_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trail = seg.len() - seg.trim_end().len();
    (s + lead, e - trail)
}

/// Lines of a front matter block (`---` ... `---` or `...`, or `+++` ... `+++`) at the top of
/// a Markdown file: metadata for a site generator, not the article's title. 0 when there
/// is none, or when the block is never closed.
fn front_matter_lines(text: &str, lines: &[(usize, usize)]) -> usize {
    let line = |i: usize| lines.get(i).map(|&(s, e)| text[s..e].trim_end());
    let close: &[&str] = match line(0) {
        Some("---") => &["---", "..."],
        Some("+++") => &["+++"],
        _ => return 0,
    };
    (1..lines.len())
        .find(|&i| line(i).is_some_and(|l| close.contains(&l)))
        .map_or(0, |i| i + 1)
}

/// The title's span without the `#` marks of a Markdown heading (`# Title`, `## Title ##`).
fn title_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let line = &text[s..e];
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[hashes..];
    if hashes == 0 || hashes > 6 || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return (s, e);
    }
    let inner = rest.trim_end().trim_end_matches('#');
    // A closing run of `#` counts only after a space: `# C#` keeps its `#`.
    let inner = if inner.len() < rest.trim_end().len() && inner.ends_with([' ', '\t']) {
        inner
    } else {
        rest.trim_end()
    };
    let start = s + hashes + (rest.len() - rest.trim_start().len());
    (start, (s + hashes + inner.trim_end().len()).max(start))
}

/// A Markdown setext underline (`=====` or `-----`) under the title.
fn is_underline(line: &str) -> bool {
    line.len() >= 3 && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

/// Splits decoded file text into an article. Never fails: an empty file gives an empty title.
pub fn parse(text: &str) -> Article {
    let mut all = lines(text);
    let mut meta = Metadata::default();
    let mut meta_warnings = Vec::new();
    let fm = front_matter_lines(text, &all);
    if fm >= 2 {
        let inner: Vec<&str> = all[1..fm - 1].iter().map(|&(s, e)| &text[s..e]).collect();
        meta::front_matter(&inner, &mut meta, &mut meta_warnings);
    }
    all.drain(..fm);
    let top: Vec<&str> = all
        .iter()
        .take(HEADER_SCAN_LINES)
        .map(|&(s, e)| &text[s..e])
        .collect();
    // The header block's lines are metadata, not the title or the body.
    all.drain(..meta::header_block(&top, &mut meta, &mut meta_warnings));
    let wrapped = is_hard_wrapped(text, &all);
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut boilerplate = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let flush = |open: &mut Option<(usize, usize)>, paragraphs: &mut Vec<Paragraph>| {
        if let Some((s, e)) = open.take() {
            let is_title = paragraphs.is_empty();
            paragraphs.push(Paragraph {
                start: s,
                end: e,
                is_title,
            });
        }
    };
    for &(s, e) in &all {
        let (s, e) = trim_span(text, s, e);
        if s >= e {
            flush(&mut open, &mut paragraphs);
            continue;
        }
        let line = &text[s..e];
        if paragraphs.len() == 1 && open.is_none() && is_underline(line) {
            continue;
        }
        if !paragraphs.is_empty() && is_boilerplate(line) {
            flush(&mut open, &mut paragraphs);
            boilerplate.push(line.to_string());
            continue;
        }
        // The title is always one line; after it, a wrapped file continues a paragraph.
        match open {
            Some((os, _)) if wrapped && !paragraphs.is_empty() => open = Some((os, e)),
            Some(_) => {
                flush(&mut open, &mut paragraphs);
                open = Some((s, e));
            }
            None if paragraphs.is_empty() => open = Some(title_span(text, s, e)),
            None => open = Some((s, e)),
        }
        if paragraphs.is_empty() {
            flush(&mut open, &mut paragraphs);
        }
    }
    flush(&mut open, &mut paragraphs);

    let title = paragraphs
        .first()
        .map(|p| text[p.start..p.end].to_string())
        .unwrap_or_default();
    let mut body = String::with_capacity(text.len());
    for p in paragraphs.iter().skip(1) {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let para = &text[p.start..p.end];
        if wrapped {
            // Rejoin the wrapped lines of the paragraph with single spaces.
            let mut first = true;
            for l in para.lines() {
                if !first {
                    body.push(' ');
                }
                body.push_str(l.trim());
                first = false;
            }
        } else {
            body.push_str(para);
        }
    }
    let quotes = quotes::extract(text, &paragraphs);
    let speaker_keys = quotes::canonical::quote_keys(&quotes);
    let speakers = distinct_speakers(&quotes, &speaker_keys);
    Article {
        title,
        body,
        paragraphs,
        boilerplate,
        quotes,
        speakers,
        speaker_keys,
        meta,
        meta_warnings,
    }
}

/// Lines at the top of a file looked at for a header block: the blank lines before it and
/// the block itself.
const HEADER_SCAN_LINES: usize = 16;

fn distinct_speakers(quotes: &[Quote], keys: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (q, key) in quotes.iter().zip(keys) {
        if let (Some(name), SpeakerKind::Person | SpeakerKind::Org) = (key, q.kind) {
            if !name.is_empty() && !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_non_empty_line() {
        let a = parse("\n\n  Rates cut again \n\nThe bank cut rates.\n\nMarkets rose.\n");
        assert_eq!(a.title, "Rates cut again");
        assert_eq!(a.body, "The bank cut rates.\n\nMarkets rose.");
        assert_eq!(a.lead(), "The bank cut rates.");
    }

    #[test]
    fn crlf_and_lone_cr() {
        let a = parse("Title\r\n\r\nOne.\rTwo.\r\n");
        assert_eq!(a.title, "Title");
        assert_eq!(a.body, "One.\n\nTwo.");
    }

    #[test]
    fn boilerplate_is_dropped_and_reported() {
        let a = parse("T\n\nReal text.\n\nRead More:\n\nMore text.\n\n\nPlease enter your comment!\nPlease enter your name here\n");
        assert_eq!(a.body, "Real text.\n\nMore text.");
        assert_eq!(
            a.boilerplate,
            vec![
                "Read More:",
                "Please enter your comment!",
                "Please enter your name here"
            ]
        );
    }

    #[test]
    fn a_title_that_looks_like_boilerplate_is_still_the_title() {
        let a = parse("Advertisement\n\nAd spending rose.\n");
        assert_eq!(a.title, "Advertisement");
    }

    #[test]
    fn paragraph_spans_point_into_the_text() {
        let text = "Title\n\n  First para.  \nSecond para.\n";
        let a = parse(text);
        let spans: Vec<&str> = a.paragraphs.iter().map(|p| &text[p.start..p.end]).collect();
        assert_eq!(spans, vec!["Title", "First para.", "Second para."]);
        assert!(a.paragraphs[0].is_title);
        assert!(!a.paragraphs[1].is_title);
    }

    #[test]
    fn hard_wrapped_paragraphs_are_rejoined() {
        let line = "word ".repeat(14);
        let para = format!("{l}\n{l}\n{l}\n", l = line.trim());
        let text = format!("Title\n\n{para}\n{para}\n{para}");
        let a = parse(&text);
        assert_eq!(a.paragraphs.len(), 4);
        assert!(!a.body.contains('\n') || a.body.matches("\n\n").count() == 2);
    }

    #[test]
    fn markdown_front_matter_and_heading_marks_are_not_the_title() {
        let a = parse(
            "---\ntitle: x\nlayout: post\n---\n\n# Rates cut again #\n\nThe bank cut rates.\n",
        );
        assert_eq!(a.title, "Rates cut again");
        assert_eq!(a.body, "The bank cut rates.");
        let a = parse("+++\ndate = 2020\n+++\n## C#\n\nBody.\n");
        assert_eq!(a.title, "C#");
        let a = parse("Rates cut\n=========\n\nBody.\n");
        assert_eq!((a.title.as_str(), a.body.as_str()), ("Rates cut", "Body."));
        // Not front matter: never closed.
        let a = parse("---\nText after a rule.\n");
        assert_eq!(a.title, "---");
        // Not a heading: no space after the marks.
        assert_eq!(parse("#hashtag news\n\nBody.\n").title, "#hashtag news");
    }

    #[test]
    fn empty_input() {
        let a = parse("");
        assert_eq!(a.title, "");
        assert_eq!(a.body, "");
    }
}
