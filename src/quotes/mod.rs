//! Direct quotations and who said them.
//!
//! Input is an article as paragraphs (byte spans into the decoded file text); output is every
//! quotation with its speaker resolved to the fullest name the article uses.

use serde::Serialize;

mod attribution;
pub(crate) mod canonical;
mod cues;
mod lexicon;
mod marks;
mod name_lists;
mod names;
pub(crate) mod scorer;
mod spans;
mod tokens;
mod wordset;

#[cfg(test)]
mod tests;

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
    /// The pattern that proposed the speaker (`parse --explain` lists them all).
    pub pattern: Option<&'static str>,
    /// The scorer's probability that the speaker is right.
    pub confidence: Option<f32>,
    /// Every candidate source with its features and score; filled for `--explain` only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<scorer::ScoredCandidate>,
}

/// Finds and attributes every direct quotation in an article.
pub fn extract(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let pieces = marks::find(text, paragraphs);
    attribution::extract(text, paragraphs, &pieces, false)
}

/// What the attribution pattern of that name matches, for `parse --explain`.
pub fn pattern_doc(name: &str) -> Option<&'static str> {
    attribution::patterns::Pattern::ALL
        .iter()
        .find(|p| p.name() == name)
        .map(|p| p.doc())
}

/// As [`extract`], with every candidate source and its score kept on each quote.
pub fn extract_explained(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let pieces = marks::find(text, paragraphs);
    attribution::extract(text, paragraphs, &pieces, true)
}
