//! Quote mark pairing: finds the quoted spans of each paragraph in one linear pass.
//!
//! Double marks (curly `“ ”`, straight `"`, and the doubled apostrophe `''` some archives use)
//! are paired in the body and the title; single marks (`‘ ’ '`) only in the title, where
//! headlines use them. Straight marks are classified by their neighbours (an opening mark
//! has space before it and a word after it, a closing mark the reverse) and toggle when the
//! neighbours do not tell. Pairing starts afresh at each paragraph.
//!
//! Marks inside markup are never quote marks: embedded tweets and links arrive as tags such as
//! `<tweet author="@x" datetime="2016-06-29">`, whose attribute values made 218 of the 519
//! false quotes on polnear-train. Tags are found once over the whole text, since an attribute
//! value may run over a line break and so over two paragraphs.

use super::Paragraph;
use std::ops::Range;

/// Longest markup tag looked for, in bytes, from `<` to `>`: a tweet embed's tag with its
/// attributes is under 200.
const MAX_TAG_BYTES: usize = 1024;

/// Byte ranges of the markup tags of `text` (`<tweet a="b">`, `</a>`, `<br/>`), in order:
/// `<`, a letter (after an optional `/` or `!`), then anything but `<` up to the first `>`
/// within `MAX_TAG_BYTES`. Linear: each scan stops at the next `<`.
pub fn markup_tags(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + k;
        i = lt + 1;
        let name_at = match b.get(lt + 1) {
            Some(b'/' | b'!') => lt + 2,
            _ => lt + 1,
        };
        if !b.get(name_at).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let limit = (lt + MAX_TAG_BYTES).min(b.len());
        match b[name_at..limit]
            .iter()
            .position(|&c| c == b'<' || c == b'>')
        {
            Some(e) if b[name_at + e] == b'>' => {
                out.push(lt..name_at + e + 1);
                i = name_at + e + 1;
            }
            // another `<` first: scan on from there
            Some(e) => i = name_at + e,
            None => {}
        }
    }
    out
}

/// True when `text[span]` has no letter or digit outside markup tags (`<tweet/>.`).
fn only_markup(text: &str, tags: &[Range<usize>], span: Range<usize>) -> bool {
    !text[span.clone()]
        .char_indices()
        .any(|(i, c)| c.is_alphanumeric() && !in_tag(tags, span.start + i))
}

fn in_tag(tags: &[Range<usize>], at: usize) -> bool {
    let k = tags.partition_point(|r| r.end <= at);
    tags.get(k).is_some_and(|r| r.start <= at)
}

/// One quoted span: the text between an opening mark and its closing mark (or, when the
/// closing mark is missing, the point where the next piece starts or the paragraph ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Index of the paragraph.
    pub para: usize,
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset just past the closing mark; where no closing mark was found, the start of
    /// whatever follows the piece (the next piece's opening mark or the paragraph end).
    pub mark_end: usize,
    /// Trimmed inner text span.
    pub start: usize,
    pub end: usize,
    /// A closing mark was found.
    pub closed: bool,
    /// This piece continues the previous piece of the same quotation (a new paragraph or a
    /// new sentence of a quote whose closing mark never came).
    pub cont: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Open,
    Close,
    /// A straight mark whose neighbours do not tell: toggles.
    Either,
}

fn is_left_boundary(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '\u{2014}' | '\u{2013}' | '-' | '/' | '\u{2026}'
                )
        }
    }
}

fn is_right_boundary(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '\u{2014}'
                        | '\u{2013}'
                        | '\u{2026}'
                        | '-'
                )
        }
    }
}

/// Last non-space character strictly before byte `i` of `s`.
fn prev_non_space(s: &str, i: usize) -> Option<char> {
    s[..i].chars().rev().find(|c| !c.is_whitespace())
}

/// True when byte `i` (a mark) sits at the start of a sentence: the last non-space character
/// before it ends a sentence.
fn at_sentence_start(s: &str, i: usize) -> bool {
    matches!(
        prev_non_space(s, i),
        None | Some('.' | '?' | '!' | '\u{2026}' | ':')
    )
}

/// `5'9"`, `12"`: a straight double mark after digits that follow a foot mark.
fn is_inch_mark(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    let mut j = i;
    let mut digits = 0;
    while j > 0 && b[j - 1].is_ascii_digit() && digits < 3 {
        j -= 1;
        digits += 1;
    }
    if digits == 0 {
        return false;
    }
    // foot mark before the inches, with digits before it
    if j >= 2 && (b[j - 1] == b'\'') && b[j - 2].is_ascii_digit() {
        return true;
    }
    if j >= 4 && &s.as_bytes()[j - 3..j] == "\u{2032}".as_bytes() {
        return true;
    }
    false
}

/// Classifies the double mark at byte `i` (of length `len`) in paragraph text `s`.
fn double_role(s: &str, i: usize, len: usize, c: char) -> Option<Role> {
    if c == '"' && is_inch_mark(s, i) {
        return None;
    }
    let prev = s[..i].chars().next_back();
    let next = s[i + len..].chars().next();
    let lb = is_left_boundary(prev) || matches!(prev, Some('\u{201c}' | '\u{2018}'));
    let rb = is_right_boundary(next) || matches!(next, Some('\u{201d}' | '\u{2019}'));
    // A curly mark says its role, unless it is typed the wrong way round and its neighbours
    // say so plainly: `a fascist?“ he asked` closes, ` ”Hello` opens.
    match c {
        '\u{201c}' | '\u{201e}' => {
            return Some(if !lb && rb && prev.is_some() {
                Role::Close
            } else {
                Role::Open
            })
        }
        '\u{201d}' => {
            return Some(if lb && !rb && prev.is_some_and(char::is_whitespace) {
                Role::Open
            } else {
                Role::Close
            })
        }
        _ => {}
    }
    Some(match (lb, rb) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => Role::Either,
    })
}

/// Classifies a single mark in a title; `None` for an apostrophe.
fn single_role(s: &str, i: usize, c: char) -> Option<Role> {
    let prev = s[..i].chars().next_back();
    let mut after = s[i + c.len_utf8()..].chars();
    let next = after.next();
    let next2 = after.next();
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    if letter(prev) && letter(next) {
        return None; // don't, Blair's
    }
    // '90s
    if next.is_some_and(|c| c.is_ascii_digit()) && next2.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let lb = is_left_boundary(prev);
    let rb = is_right_boundary(next);
    match (lb, rb) {
        (true, false) if c != '\u{2019}' => Some(Role::Open),
        (false, true) if c != '\u{2018}' => Some(Role::Close),
        _ => None,
    }
}

struct Pairer<'a> {
    text: &'a str,
    para: usize,
    base: usize,
    /// Byte offset (in the paragraph) of the open mark and of the text after it.
    open: Option<(usize, usize)>,
    cont_next: bool,
    /// The text's markup tags, from `markup_tags`.
    tags: &'a [Range<usize>],
    out: &'a mut Vec<Piece>,
}

impl Pairer<'_> {
    /// Emits the open piece, ending its text at `end` and its marks at `mark_end`.
    fn emit(&mut self, end: usize, mark_end: usize, closed: bool) {
        if let Some((om, cs)) = self.open.take() {
            let raw = &self.text[self.base + cs..self.base + end.max(cs)];
            let lead = raw.len() - raw.trim_start().len();
            let t = raw.trim();
            let cont = std::mem::take(&mut self.cont_next);
            let start = self.base + cs + lead;
            if t.is_empty() || only_markup(self.text, self.tags, start..start + t.len()) {
                return;
            }
            self.out.push(Piece {
                para: self.para,
                open: self.base + om,
                mark_end: self.base + mark_end,
                start,
                end: start + t.len(),
                closed,
                cont,
            });
        }
    }
}

/// Finds the quoted pieces of every paragraph, in text order.
pub fn find(text: &str, paragraphs: &[Paragraph]) -> Vec<Piece> {
    let tags = markup_tags(text);
    let mut out = Vec::new();
    let mut prev_open_at_end = false;
    for (pi, p) in paragraphs.iter().enumerate() {
        if p.start > p.end || p.end > text.len() {
            continue;
        }
        if !text.is_char_boundary(p.start) || !text.is_char_boundary(p.end) {
            continue;
        }
        let s = &text[p.start..p.end];
        let mut pr = Pairer {
            text,
            para: pi,
            base: p.start,
            open: None,
            cont_next: false,
            tags: &tags,
            out: &mut out,
        };
        let mut single_open: Option<(usize, usize)> = None;
        let mut iter = s.char_indices().peekable();
        let mut first_mark = true;
        while let Some((i, c)) = iter.next() {
            if !tags.is_empty()
                && matches!(c, '"' | '\'' | '\u{2018}'..='\u{201e}')
                && in_tag(&tags, p.start + i)
            {
                continue;
            }
            let (len, role) = match c {
                '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' => {
                    (c.len_utf8(), double_role(s, i, c.len_utf8(), c))
                }
                '\'' if iter.peek().map(|&(_, n)| n) == Some('\'') => {
                    iter.next();
                    (2, double_role(s, i, 2, '"'))
                }
                '\'' | '\u{2018}' | '\u{2019}' if p.is_title => {
                    if let Some(r) = single_role(s, i, c) {
                        let l = c.len_utf8();
                        match (r, single_open) {
                            (Role::Open, None) => single_open = Some((i, i + l)),
                            (Role::Close, Some((om, cs))) if pr.open.is_none() => {
                                let saved = pr.open.replace((om, cs));
                                debug_assert!(saved.is_none());
                                pr.emit(i, i + l, true);
                                single_open = None;
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(role) = role else { continue };
            let is_first = std::mem::take(&mut first_mark);
            match (role, pr.open) {
                (Role::Open | Role::Either, None) => {
                    pr.open = Some((i, i + len));
                    if is_first && prev_open_at_end && s[..i].trim().is_empty() {
                        pr.cont_next = true;
                    }
                }
                (Role::Open, Some(_)) => {
                    let curly = c == '\u{201c}';
                    if at_sentence_start(s, i) {
                        // the closing mark was lost: a new piece of the same quotation
                        pr.emit(i, i, false);
                        pr.open = Some((i, i + len));
                        pr.cont_next = true;
                    } else if !curly {
                        pr.emit(i, i + len, true);
                    }
                }
                (Role::Close | Role::Either, Some(_)) => pr.emit(i, i + len, true),
                (Role::Close, None) => {}
            }
        }
        prev_open_at_end = pr.open.is_some();
        let end = s.len();
        pr.emit(end, end, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let end = start + line.trim_end_matches('\n').len();
            out.push(Paragraph {
                start,
                end,
                is_title: false,
            });
            start += line.len();
        }
        out
    }

    fn quoted(text: &str) -> Vec<&str> {
        find(text, &body(text))
            .iter()
            .map(|p| &text[p.start..p.end])
            .collect()
    }

    #[test]
    fn tag_attributes_are_not_quotes() {
        let t = "He tweeted: <tweet id=\"74798\" author=\"@realDonaldTrump\" \
                 datetime=\"2016-06-29\">Iron Mike was not asked</tweet>.";
        assert!(quoted(t).is_empty());
        let t = "See <a href=\u{201d}https://x.org\u{201d} target=\u{201d}_blank\u{201d}>A \
                 rally \u{201c}Anger is palpable\u{201d}</a>.";
        assert_eq!(quoted(t), ["Anger is palpable"]);
    }

    #[test]
    fn a_tag_over_a_line_break_hides_its_marks_in_both_paragraphs() {
        let t = "<tweet author=\"@tedcruz\" date=\"January 19, 2016\n\">I love it.<tweet/>. \
                 He said \"we won\" then.";
        assert_eq!(quoted(t), ["we won"]);
    }

    #[test]
    fn a_piece_of_nothing_but_markup_is_not_a_quote() {
        let t = "A lion, not a sheep. #MakeAmericaGreatAgain\u{201c}<tweet/>.\n\
                 He said \"<b>yes</b>\" twice.";
        assert_eq!(quoted(t), ["<b>yes</b>"]);
    }

    #[test]
    fn a_curly_mark_typed_the_wrong_way_round_takes_the_role_its_neighbours_give() {
        let t = "\u{201c}Do you want that?\u{201c} he asked. \u{201c}No,\u{201d} she said.";
        assert_eq!(quoted(t), ["Do you want that?", "No,"]);
        let t = "He said \u{201d}we won\u{201d} twice.";
        assert_eq!(quoted(t), ["we won"]);
        // the right way round, a left mark after a word still opens
        let t = "#Trump2016\u{201c}Make it great\u{201d}";
        assert_eq!(quoted(t), ["Make it great"]);
    }

    #[test]
    fn less_than_in_prose_is_not_a_tag() {
        assert!(markup_tags("if a < b and c > d").is_empty());
        assert!(markup_tags("<3 \"x\" >").is_empty());
        assert_eq!(markup_tags("a <b>c</b>"), vec![2..5, 6..10]);
        // an unclosed `<` stops at the next one
        assert_eq!(markup_tags("<a <i>"), vec![3..6]);
        let long = format!("<a {}>", "x".repeat(MAX_TAG_BYTES));
        assert!(markup_tags(&long).is_empty());
    }
}
