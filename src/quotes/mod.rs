//! Direct quotations and who said them.
//!
//! Input is an article as paragraphs (byte spans into the decoded file text); output is every
//! quotation with its speaker resolved to the fullest name the article uses.

use serde::Serialize;

/// A paragraph of the article: `text[start..end]`. The title is the first paragraph, flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub is_title: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Person,
    Org,
    Unnamed,
    Unknown,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Org => "org",
            SpeakerKind::Unnamed => "unnamed",
            SpeakerKind::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quote {
    /// The characters between the marks, trimmed, exactly as in the file.
    pub text: String,
    /// Fullest name of the source, courtesy titles dropped; `None` when no source can be told.
    pub speaker: Option<String>,
    pub kind: SpeakerKind,
    /// The speech verb or phrase linking quote and speaker ("said", "according to", ":", "").
    pub cue: String,
    /// How the article describes the speaker ("a senior fellow at Chatham House").
    pub description: Option<String>,
    /// Byte offsets of `text` in the file.
    pub start: usize,
    pub end: usize,
    pub in_title: bool,
}

/// Finds and attributes every direct quotation in an article.
pub fn extract(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let mut out = Vec::new();
    for p in paragraphs {
        let para = &text[p.start..p.end];
        let mut open: Option<usize> = None;
        for (i, c) in para.char_indices() {
            match (c, open) {
                ('\u{201c}', _) => open = Some(i + c.len_utf8()),
                ('"', None) => open = Some(i + 1),
                ('"' | '\u{201d}', Some(s)) => {
                    let raw = &para[s..i];
                    let trimmed = raw.trim();
                    if !trimmed.is_empty() {
                        let lead = raw.len() - raw.trim_start().len();
                        let start = p.start + s + lead;
                        out.push(Quote {
                            text: trimmed.to_string(),
                            speaker: None,
                            kind: SpeakerKind::Unknown,
                            cue: String::new(),
                            description: None,
                            start,
                            end: start + trimmed.len(),
                            in_title: p.is_title,
                        });
                    }
                    open = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Canonical form of a speaker name for counting across the corpus: courtesy titles and
/// surrounding punctuation dropped, white space collapsed.
pub fn canonical_name(name: &str) -> String {
    const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "professor"];
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 1 {
        let w = words[0].trim_end_matches('.').to_ascii_lowercase();
        if TITLES.contains(&w.as_str()) {
            words.remove(0);
        } else {
            break;
        }
    }
    words.join(" ")
}
