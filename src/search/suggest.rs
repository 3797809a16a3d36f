//! "Did you mean": for a query with no hits, each word the index does not have is replaced
//! by the most frequent indexed word one or two edits away (`blare irak` -> `blair iraq`),
//! found with tantivy's Levenshtein automaton over the term dictionary.
//!
//! A word the index has is kept unless a close word is far more frequent
//! ([`RARE_WORD_FACTOR`]): archives have their own typos (`irak` is in two BBC articles).
//! Candidates must start with the word's first letter (a first letter is rarely the one
//! mistyped, and this keeps `are` from being offered for `blare`); those that sound like the
//! word (the same Soundex code) come first, then the most frequent, a second edit costing a
//! factor of [`SECOND_EDIT_PENALTY`]. The suggestion is offered only when it has hits itself.
//!
//! The prose fields hold stems (`economi`), which are no words to show: a stem is shown as
//! the surface word that most often stems to it in the stored titles and bodies of a few
//! articles that have it ([`surface`]). Names (the speaker field) are indexed unstemmed and
//! shown as they are indexed.
//!
//! This runs only after a search found nothing, so searches with hits pay nothing for it.

use std::ops::Range;

use anyhow::Result;
use rustc_hash::FxHashMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::document::{TantivyDocument, Value};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::query::{aliases, Target};
use super::Engine;
use crate::index::schema::{name_analyzer, text_analyzer};
use crate::index::Fields;

/// Most edits between a word and its suggestion.
const MAX_EDITS: u8 = 2;

/// Shortest word (in characters) given a suggestion one edit away, and two edits away:
/// shorter words are within an edit or two of too many others.
const MIN_CHARS_ONE_EDIT: usize = 3;
const MIN_CHARS_TWO_EDITS: usize = 5;

/// How many times more documents a word two edits away needs than one a single edit away
/// to be preferred.
const SECOND_EDIT_PENALTY: u64 = 4;

/// A word the index has is respelt only when a close word is in this many times more
/// documents. On BBC (2,055 articles) the misspellings `irak` and `goverment` are in two
/// articles each, next to `iraq` in 84 and `government` in about 900; `labor` (5) next to
/// `labour` (220) is respelt too, which a reader of British news would want.
const RARE_WORD_FACTOR: u64 = 20;

/// Articles read to find the surface word of a stem.
const SURFACE_ARTICLES: usize = 10;

/// Longest query given a suggestion, in runs of letters and digits (field names and
/// operators included). Each word costs an automaton and a walk of three term
/// dictionaries; a pasted paragraph with no hits is no misspelling to correct, and a
/// 10,000-word query would keep a request busy for seconds.
const MAX_SUGGEST_WORDS: usize = 16;

/// A word of the query: where it is, and the fields it is searched in.
struct QueryWord {
    range: Range<usize>,
    fields: Vec<Field>,
}

/// How a field's words are indexed: stemmed prose or unstemmed names.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Prose,
    Name,
}

impl Engine {
    /// A spelling of `input` that has hits, with each word the index lacks replaced by a
    /// close indexed word; `None` when no word can be replaced or the result has no hits.
    pub(crate) fn suggest(&self, target: Target, input: &str) -> Result<Option<String>> {
        let runs = input
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        if runs > MAX_SUGGEST_WORDS {
            return Ok(None);
        }
        let f = &self.ni.fields;
        let searcher = &self.searcher;
        let mut out = String::with_capacity(input.len());
        let mut at = 0;
        let mut changed = false;
        for w in words(input, target, f) {
            let typed = &input[w.range.clone()];
            if let Some(better) = self.respell(searcher, typed, &w.fields)? {
                out.push_str(&input[at..w.range.start]);
                out.push_str(&in_case_of(typed, &better));
                at = w.range.end;
                changed = true;
            }
        }
        if !changed {
            return Ok(None);
        }
        out.push_str(&input[at..]);
        let Ok(parsed) = self.parse(target, &out) else {
            return Ok(None);
        };
        let hits = searcher.search(parsed.query.as_ref(), &Count)?;
        Ok((hits > 0).then_some(out))
    }

    /// The word to show instead of `typed`, when the index has a close word and has
    /// `typed` in none of `fields`, or in [`RARE_WORD_FACTOR`] times fewer documents.
    fn respell(
        &self,
        searcher: &Searcher,
        typed: &str,
        fields: &[Field],
    ) -> Result<Option<String>> {
        let f = &self.ni.fields;
        let mut known = 0u64;
        let mut best: Option<(Candidate, Kind)> = None;
        for &field in fields {
            let kind = kind_of(f, field);
            let Some(token) = one_token(kind, typed) else {
                return Ok(None);
            };
            known = known.max(searcher.doc_freq(&Term::from_field_text(field, &token))?);
            if let Some(c) = closest(searcher, field, &token, typed)? {
                if best.as_ref().is_none_or(|(b, _)| c.rank() > b.rank()) {
                    best = Some((c, kind));
                }
            }
        }
        let Some((c, kind)) = best else {
            return Ok(None);
        };
        if c.docs < known.saturating_mul(RARE_WORD_FACTOR) {
            return Ok(None);
        }
        if kind == Kind::Name {
            return Ok(Some(c.word));
        }
        Ok(Some(
            surface(searcher, f, &c.word, typed)?.unwrap_or(c.word),
        ))
    }
}

/// `word` (lower case, as indexed) in the case of `typed`: `Blare` gives `Blair`, `IRAK`
/// gives `IRAQ`.
fn in_case_of(typed: &str, word: &str) -> String {
    let mut letters = typed.chars().filter(|c| c.is_alphabetic());
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    if first_upper && letters.clone().count() > 0 && letters.all(char::is_uppercase) {
        return word.to_uppercase();
    }
    if first_upper {
        let mut chars = word.chars();
        return chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    word.to_string()
}

fn kind_of(f: &Fields, field: Field) -> Kind {
    if [f.speaker, f.q_speaker].contains(&field) {
        Kind::Name
    } else {
        Kind::Prose
    }
}

fn analyzer(kind: Kind) -> TextAnalyzer {
    match kind {
        Kind::Prose => text_analyzer(),
        Kind::Name => name_analyzer(),
    }
}

/// The indexed form of `word`, when the analyzer makes one token of it.
fn one_token(kind: Kind, word: &str) -> Option<String> {
    let mut a = analyzer(kind);
    let mut stream = a.token_stream(word);
    let first = stream.next()?.text.clone();
    stream.next().is_none().then_some(first)
}

/// An indexed word close to a query word.
struct Candidate {
    word: String,
    /// Documents with it (summed over segments; counted in one field).
    docs: u64,
    edits: usize,
    /// It sounds like what was typed: the same Soundex code.
    sounds_alike: bool,
}

impl Candidate {
    /// Sounding alike first (`blare`: `blair` over the far more frequent stem `base`), then
    /// documents, a second edit dividing them by [`SECOND_EDIT_PENALTY`].
    fn rank(&self) -> (bool, u64) {
        let docs = match self.edits {
            0 | 1 => self.docs.saturating_mul(SECOND_EDIT_PENALTY),
            _ => self.docs,
        };
        (self.sounds_alike, docs)
    }
}

/// The best indexed word of `field` within [`MAX_EDITS`] of `token` (the analysed form of
/// `typed`) that starts with the same letter.
fn closest(
    searcher: &Searcher,
    field: Field,
    token: &str,
    typed: &str,
) -> Result<Option<Candidate>> {
    let chars = token.chars().count();
    let edits = match chars {
        n if n >= MIN_CHARS_TWO_EDITS => MAX_EDITS,
        n if n >= MIN_CHARS_ONE_EDIT => 1,
        _ => return Ok(None),
    };
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, token), edits, true);
    let mut docs: FxHashMap<String, u64> = FxHashMap::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(fuzzy.automaton()?).into_stream()?;
        while let Some((key, info)) = stream.next() {
            let Ok(word) = std::str::from_utf8(key) else {
                continue;
            };
            if word.chars().next() == token.chars().next() && word != token {
                *docs.entry(word.to_string()).or_default() += u64::from(info.doc_freq);
            }
        }
    }
    let sound = soundex(typed);
    let best = docs
        .into_iter()
        .map(|(word, n)| Candidate {
            edits: edit_distance(token, &word),
            sounds_alike: sound.is_some() && soundex(&word) == sound,
            word,
            docs: n,
        })
        // Of equals, the first in dictionary order, so the choice is stable.
        .max_by(|a, b| a.rank().cmp(&b.rank()).then_with(|| b.word.cmp(&a.word)));
    Ok(best)
}

/// The American Soundex code of a word (`blair` and `blare`: B460), for ASCII letters;
/// `None` for a word that starts otherwise.
fn soundex(word: &str) -> Option<[u8; 4]> {
    fn digit(c: u8) -> u8 {
        match c {
            b'b' | b'f' | b'p' | b'v' => b'1',
            b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
            b'd' | b't' => b'3',
            b'l' => b'4',
            b'm' | b'n' => b'5',
            b'r' => b'6',
            // vowels, and h, w, y
            _ => b'0',
        }
    }
    let lower = word.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let first = *bytes.first().filter(|b| b.is_ascii_lowercase())?;
    let mut code = [first.to_ascii_uppercase(), b'0', b'0', b'0'];
    let (mut n, mut last) = (1, digit(first));
    for &c in &bytes[1..] {
        if !c.is_ascii_lowercase() {
            break;
        }
        let d = digit(c);
        if d != b'0' && d != last && n < code.len() {
            code[n] = d;
            n += 1;
        }
        // h and w do not separate two letters of the same code; vowels do.
        if !matches!(c, b'h' | b'w') {
            last = d;
        }
    }
    Some(code)
}

/// Edits between two words: insertions, deletions, substitutions and swaps of neighbours,
/// as tantivy's automaton counts them (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

/// Of the words that have `stem` as their stem in the stored titles and bodies of a few
/// articles with it, the one closest to what was typed (`musik`: music, not musical); of
/// equals, the most frequent.
fn surface(searcher: &Searcher, f: &Fields, stem: &str, typed: &str) -> Result<Option<String>> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = [f.title, f.body]
        .into_iter()
        .map(|field| {
            let t = Term::from_field_text(field, stem);
            let q: Box<dyn Query> = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    let top = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(SURFACE_ARTICLES).order_by_score(),
    )?;
    let (mut prose, mut fold) = (text_analyzer(), name_analyzer());
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        for field in [f.title, f.body] {
            for text in doc.get_all(field).filter_map(|v| v.as_str()) {
                let mut words = fold.token_stream(text);
                while let Some(w) = words.next() {
                    let stemmed = prose.token_stream(&w.text).next().map(|t| t.text == stem);
                    if stemmed == Some(true) {
                        *seen.entry(w.text.clone()).or_default() += 1;
                    }
                }
            }
        }
    }
    let typed = typed.to_lowercase();
    Ok(seen
        .into_iter()
        .max_by(|a, b| {
            edit_distance(&typed, &b.0)
                .cmp(&edit_distance(&typed, &a.0))
                .then_with(|| a.1.cmp(&b.1))
                .then_with(|| b.0.cmp(&a.0))
        })
        .map(|(w, _)| w))
}

/// The words of a query that name something to search in a text field, and those fields:
/// not operators, field names, prefixes, numbers, or values of name filters (`source:`).
fn words(input: &str, target: Target, f: &Fields) -> Vec<QueryWord> {
    let defaults = match target {
        Target::Articles => vec![f.title, f.body, f.speaker],
        Target::Quotes => vec![f.q_text, f.q_speaker],
    };
    let table = aliases(target, f);
    let mut out = Vec::new();
    // The field of the words until `until` (a byte offset), after `name:`.
    let mut scoped: Option<(Option<Field>, usize)> = None;
    let mut at = 0;
    while let Some(start) = input[at..].find(char::is_alphanumeric).map(|p| p + at) {
        let end = input[start..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(input.len(), |p| p + start);
        at = end;
        let word = &input[start..end];
        let next = input[end..].chars().next();
        if scoped.is_some_and(|(_, until)| start >= until) {
            scoped = None;
        }
        let field = table
            .iter()
            .find(|(n, _)| next == Some(':') && n.eq_ignore_ascii_case(word));
        if let Some(&(_, field)) = field {
            scoped = Some((
                is_text(f, field).then_some(field),
                scope_end(input, end + 1),
            ));
            continue;
        }
        let is_operator = matches!(word, "AND" | "OR" | "NOT");
        if is_operator || next == Some('*') || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let fields = match scoped {
            Some((Some(field), _)) => vec![field],
            Some((None, _)) => continue,
            None => defaults.clone(),
        };
        out.push(QueryWord {
            range: start..end,
            fields,
        });
    }
    out
}

/// Where the value of a field that starts at byte `from` ends: after its phrase, its group,
/// or its word.
fn scope_end(input: &str, from: usize) -> usize {
    let rest = &input[from..];
    let len = match rest.chars().next() {
        Some('"') => rest[1..].find('"').map_or(rest.len(), |p| p + 2),
        Some('(') => {
            let chars: Vec<char> = rest.chars().collect();
            let (_, used, _) = super::query::group(&chars);
            chars[..used].iter().map(|c| c.len_utf8()).sum()
        }
        _ => rest
            .find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(rest.len()),
    };
    from + len
}

/// Fields whose words are suggested: prose and speaker names, not the name filters.
fn is_text(f: &Fields, field: Field) -> bool {
    [f.title, f.lead, f.body, f.speaker, f.q_text, f.q_speaker].contains(&field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_codes() {
        assert_eq!(soundex("Blair"), Some(*b"B460"));
        assert_eq!(soundex("blare"), soundex("blair"));
        assert_eq!(soundex("Robert"), Some(*b"R163"));
        assert_eq!(soundex("Rupert"), Some(*b"R163"));
        assert_eq!(soundex("Ashcraft"), Some(*b"A261"));
        assert_eq!(soundex("Tymczak"), Some(*b"T522"));
        assert_eq!(soundex("Pfister"), Some(*b"P236"));
        assert_eq!(soundex("irak"), soundex("iraq"));
        assert_ne!(soundex("irak"), soundex("iran"));
        assert_eq!(soundex("1999"), None);
    }

    #[test]
    fn a_suggested_word_takes_the_case_typed() {
        assert_eq!(in_case_of("Blare", "blair"), "Blair");
        assert_eq!(in_case_of("IRAK", "iraq"), "IRAQ");
        assert_eq!(in_case_of("blare", "blair"), "blair");
        assert_eq!(in_case_of("I", "a"), "A");
        assert_eq!(in_case_of("Économie", "economy"), "Economy");
    }

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edit_distance("irak", "iraq"), 1);
        assert_eq!(edit_distance("blare", "blair"), 2);
        assert_eq!(edit_distance("teh", "the"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("économie", "economie"), 1);
    }

    #[test]
    fn the_words_of_a_query_and_their_fields() {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        let q = "blare AND title:irak -\"tony blare\" source:(nyt OR guardain) econ* 2004 \
                 Profile: quote:(oil gas) x:y";
        let found: Vec<(&str, Vec<Field>)> = words(q, Target::Articles, &f)
            .into_iter()
            .map(|w| (&q[w.range], w.fields))
            .collect();
        let all = vec![f.title, f.body, f.speaker];
        assert_eq!(
            found,
            vec![
                ("blare", all.clone()),
                ("irak", vec![f.title]),
                ("tony", all.clone()),
                ("blare", all.clone()),
                ("Profile", all.clone()),
                ("oil", vec![f.q_text]),
                ("gas", vec![f.q_text]),
                ("x", all.clone()),
                ("y", all.clone()),
            ]
        );
    }
}
