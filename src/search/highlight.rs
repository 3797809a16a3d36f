//! Snippets: the passage of a text that best matches the query, with the query's words
//! highlighted and each phrase highlighted whole. tantivy's generator highlights every
//! word of the query on its own, so `"human rights"` marked a lone "right" too, and could
//! pick a passage with the words apart over the one with the phrase.
//!
//! The passage is chosen as tantivy's `SnippetGenerator` chooses it (the same passages,
//! weights, ties and highlights), but for the cost: tantivy analyses every word of every
//! hit's body again, and lower-cases each token into a new string. Here each distinct word
//! is analysed once per thread ([`WordMemo`]): a body is cut into words and each word is
//! one hash lookup.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::schema::document::{TantivyDocument, Value};
use tantivy::schema::{Field, FieldType};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, Term};

use super::query::ParsedQuery;
use super::Snippet;
use crate::index::schema::{text_analyzer, MAX_TOKEN_BYTES, TEXT_ANALYZER};

/// Separates the words of a phrase in its joined token; never inside a single token.
const PHRASE_JOINER: &str = " ";

/// Distinct words and tokens per thread before the memo is emptied (a few MB): bounds
/// memory on corpora whose vocabulary keeps growing (numbers, names).
const MAX_MEMO_WORDS: usize = 200_000;

/// Highlights the query's words and phrases in the text of one field.
pub struct Highlighter {
    /// Weight of each analysed word and of each phrase (words joined by
    /// [`PHRASE_JOINER`]); as in tantivy, a token is looked up by its lower case.
    words: BTreeMap<String, Score>,
    /// The query's phrases over the field, as analysed words, longest first.
    phrases: Vec<Vec<String>>,
    /// A bit per ASCII byte that starts one of the words or phrase words.
    firsts: u128,
    field: Field,
    /// Most bytes from a passage's first word to its last (tantivy calls them chars).
    max_chars: usize,
}

/// The best passage of a text: its byte range in the text, and its highlights as byte
/// ranges from the passage's start.
#[derive(Debug, PartialEq)]
pub struct Passage {
    pub range: Range<usize>,
    pub highlights: Vec<Range<usize>>,
}

/// A highlighter for `field` that highlights the query's phrases whole, with passages of
/// at most `max_chars` bytes. Fails for a field not analysed by the text analyzer, the
/// one whose words are memoised.
pub fn generator(
    searcher: &Searcher,
    parsed: &ParsedQuery,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<Highlighter> {
    let schema = searcher.schema();
    let entry = schema.get_field_entry(field);
    let analyzer = match entry.field_type() {
        FieldType::Str(o) => o.get_indexing_options().map(|i| i.tokenizer()),
        _ => None,
    };
    if analyzer != Some(TEXT_ANALYZER) {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "field {} cannot be highlighted: it is not analysed as text",
            entry.name()
        )));
    }
    let mut phrases: Vec<Vec<String>> = parsed
        .phrases
        .iter()
        .filter(|p| p.first().is_some_and(|t| t.field() == field))
        .map(|p| {
            p.iter()
                .filter_map(|t| t.value().as_str().map(String::from))
                .collect()
        })
        .collect();
    // Longest first, so a phrase inside a longer one does not take its words.
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases.dedup();
    let words = weights(searcher, parsed, field, &phrases)?;
    let firsts = ascii_firsts(
        words
            .keys()
            .chain(phrases.iter().flatten())
            .map(String::as_str),
    );
    Ok(Highlighter {
        words,
        phrases,
        firsts,
        field,
        max_chars,
    })
}

/// As tantivy weighs words: rarer words make a better passage. A phrase weighs the sum of
/// its words; words that are only part of a phrase are not looked for alone.
fn weights(
    searcher: &Searcher,
    parsed: &ParsedQuery,
    field: Field,
    phrases: &[Vec<String>],
) -> tantivy::Result<BTreeMap<String, Score>> {
    let weight = |term: &Term| -> tantivy::Result<Score> {
        let df = searcher.doc_freq(term)?;
        Ok(if df == 0 {
            0.0
        } else {
            1.0 / (1.0 + df as Score)
        })
    };
    let mut alone = Vec::new();
    parsed.query.query_terms(&mut |term, in_phrase| {
        // Without phrases tantivy looks for every term of the field, phrase or not.
        if term.field() == field && (phrases.is_empty() || !in_phrase) {
            alone.push(term.clone());
        }
    });
    let mut words = BTreeMap::new();
    for term in &alone {
        let w = weight(term)?;
        if let (Some(text), true) = (term.value().as_str(), w > 0.0) {
            words.insert(text.to_string(), w);
        }
    }
    for p in phrases {
        let mut total = 0.0;
        for word in p {
            total += weight(&Term::from_field_text(field, word))?;
        }
        words.insert(p.join(PHRASE_JOINER), total);
    }
    Ok(words)
}

impl Highlighter {
    /// The snippet of the field's text in `doc` (its values joined by a space and trimmed,
    /// as tantivy does), or `None` when nothing of the query is in it.
    pub fn snippet_of_doc(&self, doc: &TantivyDocument) -> Option<Snippet> {
        let mut values = doc.get_all(self.field).filter_map(|v| v.as_str());
        let first = values.next()?;
        let joined;
        let text = match values.next() {
            None => first.trim(),
            Some(second) => {
                let mut all = format!(" {first} {second}");
                for v in values {
                    all.push(' ');
                    all.push_str(v);
                }
                joined = all;
                joined.trim()
            }
        };
        let p = self.passage(text)?;
        Some(Snippet {
            text: text[p.range].to_string(),
            highlights: p.highlights.iter().map(|r| [r.start, r.end]).collect(),
        })
    }

    /// The best passage of `text`, or `None` when nothing of the query is in it.
    pub fn passage(&self, text: &str) -> Option<Passage> {
        let mut best = Best::new(self.max_chars);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            m.bound();
            let q = self.resolve(&mut m);
            if q.phrases.is_empty() {
                m.each_word(text, self.firsts, |ids, range| {
                    best.add(q.weight(ids.key), range)
                });
            } else {
                let mut joiner = Joiner::new(&q);
                m.each_word(text, self.firsts, |ids, range| {
                    joiner.push(ids, range, &mut best)
                });
                joiner.finish(&mut best);
            }
        });
        best.finish()
    }

    /// The query's words and phrases as ids of the thread's memo.
    fn resolve(&self, m: &mut WordMemo) -> Resolved {
        let words = self
            .words
            .iter()
            .map(|(w, &score)| (m.intern(w), score))
            .collect();
        let phrases = self
            .phrases
            .iter()
            .map(|p| {
                let key = p.join(PHRASE_JOINER).to_lowercase();
                let ids = p.iter().map(|w| m.intern(w)).collect();
                (ids, self.words.get(&key).copied())
            })
            .collect();
        Resolved { words, phrases }
    }
}

/// A [`Highlighter`]'s query in ids of the thread's [`WordMemo`].
struct Resolved {
    /// Weight of each lookup key.
    words: Vec<(u32, Score)>,
    /// Each phrase's tokens, longest first, and the weight of the phrase.
    phrases: Vec<(Vec<u32>, Option<Score>)>,
}

impl Resolved {
    fn weight(&self, key: u32) -> Option<Score> {
        self.words.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
    }
}

/// A word of a text as ids of strings of the memo.
#[derive(Clone, Copy)]
struct Ids {
    /// The analysed token; [`DROPPED`] when the analyzer drops the word (too long).
    token: u32,
    /// What tantivy looks the token up by: its lower case, the token itself but where
    /// folding gave capitals (`ᴀ` becomes `A`).
    key: u32,
}

const DROPPED: u32 = u32::MAX;

/// A word none of whose tokens the query has; no interned string has this id.
const OTHER: Ids = Ids {
    token: u32::MAX - 1,
    key: u32::MAX - 1,
};

/// Each distinct word met, analysed once per thread: the analysis is per word (lower case,
/// folding, stemming, length), so a word's token is the same wherever it stands. Words of
/// up to [`SHORT_WORD_BYTES`] are looked up by an inline key: with boxed keys, reading each
/// key to compare it (a cache miss per word) cost more than the hashing.
struct WordMemo {
    /// Words of at most [`SHORT_WORD_BYTES`], as their bytes padded with zeros (no word
    /// holds a zero byte, so the key is unique).
    short: FxHashMap<u128, Ids>,
    long: FxHashMap<Box<str>, Ids>,
    /// Each analysed token and lookup key met, and its id.
    strings: FxHashMap<Box<str>, u32>,
    analyzer: TextAnalyzer,
}

/// Longest word, in bytes, kept as an inline key.
const SHORT_WORD_BYTES: usize = 16;

thread_local! {
    static MEMO: RefCell<WordMemo> = RefCell::new(WordMemo {
        short: FxHashMap::default(),
        long: FxHashMap::default(),
        strings: FxHashMap::default(),
        analyzer: text_analyzer(),
    });
}

impl WordMemo {
    /// Empties the memo when it is full; ids from before are then void.
    fn bound(&mut self) {
        if self.short.len() + self.long.len() + self.strings.len() > MAX_MEMO_WORDS {
            self.short.clear();
            self.long.clear();
            self.strings.clear();
        }
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).expect("the memo is emptied long before");
        self.strings.insert(s.into(), id);
        id
    }

    fn analyse(&mut self, word: &str) -> Ids {
        let token = self
            .analyzer
            .token_stream(word)
            .next()
            .map(|t| t.text.clone());
        let Some(token) = token else {
            return Ids {
                token: DROPPED,
                key: DROPPED,
            };
        };
        let id = self.intern(&token);
        let lower = token.to_lowercase();
        let key = if lower == token {
            id
        } else {
            self.intern(&lower)
        };
        Ids { token: id, key }
    }

    fn ids(&mut self, word: &str) -> Ids {
        let Some(key) = short_key(word.as_bytes()) else {
            if let Some(&ids) = self.long.get(word) {
                return ids;
            }
            let ids = self.analyse(word);
            self.long.insert(word.into(), ids);
            return ids;
        };
        if let Some(&ids) = self.short.get(&key) {
            return ids;
        }
        let ids = self.analyse(word);
        self.short.insert(key, ids);
        ids
    }

    /// Calls `f` with the ids and byte range of each word of `text` that the analyzer
    /// keeps, in order; words are cut as tantivy's `SimpleTokenizer` cuts them. A short
    /// ASCII word whose first letter starts none of the query's tokens (`firsts`, a bit per
    /// ASCII byte) is passed as [`OTHER`] without a lookup: the analyzer keeps it, and its
    /// token starts with that letter in lower case (the stemmer changes only endings).
    fn each_word(&mut self, text: &str, firsts: u128, mut f: impl FnMut(Ids, Range<usize>)) {
        let mut at = 0;
        while let Some((range, ascii)) = next_word(text, at) {
            at = range.end;
            let word = &text[range.clone()];
            let first = word.as_bytes()[0].to_ascii_lowercase();
            let ids = if ascii && word.len() < MAX_TOKEN_BYTES && firsts & (1 << first) == 0 {
                OTHER
            } else {
                self.ids(word)
            };
            if ids.token != DROPPED {
                f(ids, range);
            }
        }
    }
}

fn short_key(word: &[u8]) -> Option<u128> {
    let mut bytes = [0u8; SHORT_WORD_BYTES];
    bytes.get_mut(..word.len())?.copy_from_slice(word);
    Some(u128::from_le_bytes(bytes))
}

/// The bits of the first bytes of `words` that are ASCII, for [`WordMemo::each_word`].
fn ascii_firsts<'a>(words: impl Iterator<Item = &'a str>) -> u128 {
    words
        .filter_map(|w| w.as_bytes().first())
        .filter(|b| b.is_ascii())
        .fold(0, |bits, &b| bits | 1 << b)
}

/// The next run of alphanumeric characters at or after byte `from`, and whether it is
/// all ASCII.
fn next_word(text: &str, from: usize) -> Option<(Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut start = from;
    loop {
        let b = *bytes.get(start)?;
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                break;
            }
            start += 1;
        } else {
            let c = text[start..].chars().next()?;
            if c.is_alphanumeric() {
                break;
            }
            start += c.len_utf8();
        }
    }
    let mut end = start;
    let mut ascii = true;
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            end += 1;
        } else {
            let Some(c) = text[end..].chars().next().filter(|c| c.is_alphanumeric()) else {
                break;
            };
            ascii = false;
            end += c.len_utf8();
        }
    }
    Some((start..end, ascii))
}

/// One passage of a text, as tantivy cuts them.
struct Candidate {
    score: Score,
    start: usize,
    stop: usize,
    highlights: Vec<Range<usize>>,
}

impl Candidate {
    fn new(start: usize) -> Candidate {
        Candidate {
            score: 0.0,
            start,
            stop: start,
            highlights: Vec::new(),
        }
    }
}

/// Cuts a text's tokens into passages as tantivy does (a passage ends before the token
/// that would take it past `max_chars` bytes) and keeps the best one.
struct Best {
    max_chars: usize,
    current: Candidate,
    best: Option<Candidate>,
}

impl Best {
    fn new(max_chars: usize) -> Best {
        Best {
            max_chars,
            current: Candidate::new(0),
            best: None,
        }
    }

    /// The next token: its weight when it is one of the query's, and its byte range.
    fn add(&mut self, weight: Option<Score>, range: Range<usize>) {
        if range.end - self.current.start > self.max_chars {
            let done = std::mem::replace(&mut self.current, Candidate::new(range.start));
            self.offer(done);
        }
        self.current.stop = range.end;
        if let Some(w) = weight {
            self.current.score += w;
            self.current.highlights.push(range);
        }
    }

    /// tantivy keeps the passages that score above 0 and takes the highest, the earliest
    /// of equals.
    fn offer(&mut self, c: Candidate) {
        if c.score > 0.0 && self.best.as_ref().is_none_or(|b| c.score > b.score) {
            self.best = Some(c);
        }
    }

    fn finish(mut self) -> Option<Passage> {
        let last = std::mem::replace(&mut self.current, Candidate::new(0));
        self.offer(last);
        let b = self.best?;
        Some(Passage {
            range: b.start..b.stop,
            highlights: b
                .highlights
                .iter()
                .map(|r| r.start - b.start..r.end - b.start)
                .collect(),
        })
    }
}

/// Joins each run of tokens that spells one of the query's phrases into one token, so the
/// phrase is weighed and highlighted whole; tokens outside a phrase pass on alone.
struct Joiner<'q> {
    query: &'q Resolved,
    longest: usize,
    /// Tokens read ahead from one that starts a phrase, fewer than `longest`.
    ahead: VecDeque<(Ids, Range<usize>)>,
}

impl<'q> Joiner<'q> {
    fn new(query: &'q Resolved) -> Joiner<'q> {
        Joiner {
            query,
            longest: query.phrases.first().map_or(1, |p| p.0.len()).max(1),
            ahead: VecDeque::new(),
        }
    }

    fn push(&mut self, ids: Ids, range: Range<usize>, best: &mut Best) {
        // Most words start no phrase: passed on without reading ahead.
        let starts = |p: &(Vec<u32>, _)| p.0.first() == Some(&ids.token);
        if self.ahead.is_empty() && !self.query.phrases.iter().any(starts) {
            best.add(self.query.weight(ids.key), range);
            return;
        }
        self.ahead.push_back((ids, range));
        while self.ahead.len() >= self.longest {
            self.pass_first(best);
        }
    }

    fn finish(&mut self, best: &mut Best) {
        while !self.ahead.is_empty() {
            self.pass_first(best);
        }
    }

    /// Passes on the first token read ahead, joined with those after it when they spell
    /// a phrase (the longest phrase that does).
    fn pass_first(&mut self, best: &mut Best) {
        let spelled = self.query.phrases.iter().find(|(words, _)| {
            !words.is_empty()
                && words.len() <= self.ahead.len()
                && self
                    .ahead
                    .iter()
                    .zip(words)
                    .all(|((ids, _), w)| ids.token == *w)
        });
        if let Some((words, weight)) = spelled {
            let range = self.ahead[0].1.start..self.ahead[words.len() - 1].1.end;
            best.add(*weight, range);
            self.ahead.drain(..words.len());
        } else if let Some((ids, range)) = self.ahead.pop_front() {
            best.add(self.query.weight(ids.key), range);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::{BoxTokenStream, Token, TokenStream, Tokenizer};

    /// The phrase tokenizer highlighting used before passages were chosen here: tantivy's
    /// generator over the field's tokens, each run that spells a phrase joined into one.
    #[derive(Clone)]
    struct PhraseTokenizer {
        inner: TextAnalyzer,
        phrases: Arc<Vec<Vec<String>>>,
    }

    struct PhraseStream<'a> {
        inner: BoxTokenStream<'a>,
        phrases: Arc<Vec<Vec<String>>>,
        ahead: VecDeque<Token>,
        token: Token,
    }

    impl Tokenizer for PhraseTokenizer {
        type TokenStream<'a> = PhraseStream<'a>;

        fn token_stream<'a>(&'a mut self, text: &'a str) -> PhraseStream<'a> {
            PhraseStream {
                inner: self.inner.token_stream(text),
                phrases: self.phrases.clone(),
                ahead: VecDeque::new(),
                token: Token::default(),
            }
        }
    }

    impl TokenStream for PhraseStream<'_> {
        fn advance(&mut self) -> bool {
            if self.ahead.is_empty() {
                if !self.inner.advance() {
                    return false;
                }
                self.ahead.push_back(self.inner.token().clone());
            }
            let longest = self.phrases.first().map_or(1, Vec::len);
            while self.ahead.len() < longest && self.inner.advance() {
                self.ahead.push_back(self.inner.token().clone());
            }
            let first = self.ahead.front().cloned().unwrap_or_default();
            let spelled = self.phrases.iter().find(|p| {
                p.len() <= self.ahead.len()
                    && self.ahead.iter().zip(p.iter()).all(|(t, w)| t.text == *w)
            });
            self.token = match spelled {
                Some(p) => Token {
                    offset_from: first.offset_from,
                    offset_to: self.ahead[p.len() - 1].offset_to,
                    position: first.position,
                    text: p.join(PHRASE_JOINER),
                    position_length: p.len(),
                },
                None => first,
            };
            self.ahead.drain(..spelled.map_or(1, Vec::len));
            true
        }

        fn token(&self) -> &Token {
            &self.token
        }

        fn token_mut(&mut self) -> &mut Token {
            &mut self.token
        }
    }

    fn highlighter(words: &[(&str, Score)], phrases: &[&[&str]], max_chars: usize) -> Highlighter {
        let phrases: Vec<Vec<String>> = phrases
            .iter()
            .map(|p| p.iter().map(|w| w.to_string()).collect())
            .collect();
        Highlighter {
            firsts: ascii_firsts(
                words
                    .iter()
                    .map(|w| w.0)
                    .chain(phrases.iter().flatten().map(String::as_str)),
            ),
            words: words.iter().map(|(w, s)| (w.to_string(), *s)).collect(),
            phrases,
            field: Field::from_field_id(0),
            max_chars,
        }
    }

    /// What tantivy's generator picks for the same weights and phrases.
    fn reference(h: &Highlighter, text: &str) -> Option<Passage> {
        let analyzer = if h.phrases.is_empty() {
            text_analyzer()
        } else {
            TextAnalyzer::builder(PhraseTokenizer {
                inner: text_analyzer(),
                phrases: Arc::new(h.phrases.clone()),
            })
            .build()
        };
        let g = SnippetGenerator::new(h.words.clone(), analyzer, h.field, h.max_chars);
        let s = g.snippet(text);
        (!s.is_empty()).then(|| Passage {
            range: s.fragment_range(),
            highlights: s.highlighted().to_vec(),
        })
    }

    #[test]
    fn a_phrase_is_highlighted_whole_and_its_words_apart_are_not() {
        let h = highlighter(
            &[("human right", 0.5), ("act", 0.2)],
            &[&["human", "right"]],
            200,
        );
        let text = "Human and rights; the right one. Human rights act";
        let p = h.passage(text).unwrap();
        assert_eq!(p.range, 0..text.len());
        assert_eq!(p.highlights, [33..45, 46..49]);
        // A three-word phrase wins over the two-word phrase it starts with.
        let h = highlighter(
            &[("human right act", 1.0), ("human right", 0.5)],
            &[&["human", "right", "act"], &["human", "right"]],
            200,
        );
        let p = h.passage("human rights act").unwrap();
        assert_eq!(
            (p.range, p.highlights.len(), &p.highlights[0]),
            (0..16, 1, &(0..16))
        );
    }

    #[test]
    fn nothing_of_the_query_gives_no_passage() {
        let h = highlighter(&[("oil", 0.5)], &[], 200);
        assert_eq!(h.passage("Gas prices rose."), None);
        assert_eq!(h.passage(""), None);
    }

    /// Words that analysis changes: case, accents, stems, capitals from folding, a word
    /// too long to index, digits, and separators of every kind.
    const WORDS: &[&str] = &[
        "oil",
        "Oil",
        "OILS",
        "oiled",
        "sanctions",
        "Sanction",
        "human",
        "Human",
        "rights",
        "right",
        "act",
        "acts",
        "Guaidó",
        "guaido",
        "GUAIDÓ",
        "ᴀct",
        "ᴀᴄᴛ",
        "the",
        "a",
        "of",
        "1999",
        "x1",
        "naïve",
        "Straße",
        "İstanbul",
        "ΣΑΣ",
        "日本",
        "e-mail",
        "pneumonoultramicroscopicsilicovolcanoconiosisandmore",
    ];
    const GAPS: &[&str] = &[" ", ", ", ". ", "\n", " – ", "’", "'", "\u{a0}", "  ", "/"];

    /// A text of `n` words drawn from [`WORDS`] by a fixed linear congruential sequence.
    fn text(seed: u64, n: usize) -> String {
        let mut x = seed;
        let mut next = |m: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % m
        };
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(WORDS[next(WORDS.len())]);
            s.push_str(GAPS[next(GAPS.len())]);
        }
        s
    }

    #[test]
    fn passages_are_those_tantivy_picks() {
        let words = [
            ("oil", 0.3),
            ("sanction", 0.1),
            ("act", 0.2),
            ("guaido", 0.4),
        ];
        let phrase_words = [("human right", 0.5), ("oil", 0.3), ("guaido", 0.4)];
        type Case<'a> = (&'a [(&'a str, Score)], &'a [&'a [&'a str]]);
        let cases: [Case; 3] = [
            (&words, &[]),
            (&phrase_words, &[&["human", "right"]]),
            (
                &phrase_words,
                &[
                    &["human", "right", "act"],
                    &["oil", "sanction"],
                    &["human", "right"],
                ],
            ),
        ];
        let mut compared = 0;
        for (words, phrases) in cases {
            for max_chars in [1, 20, 60, 200] {
                let h = highlighter(words, phrases, max_chars);
                for seed in 0..60 {
                    let t = text(seed, 5 + seed as usize * 3);
                    assert_eq!(h.passage(&t), reference(&h, &t), "text {t:?}");
                    compared += usize::from(h.passage(&t).is_some());
                }
            }
        }
        // Most texts have a passage: the comparison is not between two empty answers.
        assert!(compared > 500, "{compared}");
    }

    /// What [`WordMemo::each_word`] assumes of the analyzer to skip a word: an ASCII word
    /// shorter than `MAX_TOKEN_BYTES` is kept, and its token starts with its first letter
    /// in lower case. Checked on every word of the bundled corpus and on words the
    /// stemmer treats apart.
    #[test]
    fn ascii_words_keep_their_first_letter() {
        fn words_of(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    words_of(&path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    out.extend(text.split(|c: char| !c.is_alphanumeric()).map(String::from));
                }
            }
        }
        let mut words: Vec<String> = "skies skis dying lying tying idly gently ugly early only \
            singly news howe atlas cosmos bias andes aed ied ies sses y Yes YELLING you 0x1F 1990s"
            .split_whitespace()
            .map(String::from)
            .collect();
        words_of(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .as_path(),
            &mut words,
        );
        words.push("a".repeat(MAX_TOKEN_BYTES - 1));
        let mut analyzer = text_analyzer();
        let mut checked = 0;
        for w in words.iter().filter(|w| w.is_ascii() && !w.is_empty()) {
            let token = analyzer.token_stream(w).next().map(|t| t.text.clone());
            let token = token.unwrap_or_else(|| panic!("{w:?} dropped"));
            assert_eq!(
                token.as_bytes()[0],
                w.as_bytes()[0].to_ascii_lowercase(),
                "{w:?}"
            );
            checked += 1;
        }
        assert!(checked > 10_000, "{checked}");
        let long = "a".repeat(MAX_TOKEN_BYTES);
        assert!(analyzer.token_stream(&long).next().is_none());
    }
}
