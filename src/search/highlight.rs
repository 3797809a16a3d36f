//! Snippet generators that highlight a phrase as a phrase. tantivy's generator highlights
//! every word of the query on its own, so `"human rights"` marked a lone "right" too, and
//! could pick a passage with the words apart over the one with the phrase.
//!
//! For a query with phrases, the generator's tokenizer joins each run of words that forms
//! a phrase into one token, and the generator looks for that token; words that are only
//! part of a phrase are not looked for alone. A query without phrases gets tantivy's own
//! generator, so a search without a phrase does no extra work.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{Score, Searcher, Term};

use super::query::ParsedQuery;

/// Separates the words of a phrase in its joined token; never inside a single token.
const PHRASE_JOINER: &str = " ";

/// A snippet generator for `field` that highlights the query's phrases whole, with
/// passages of at most `max_chars` characters.
pub fn generator(
    searcher: &Searcher,
    parsed: &ParsedQuery,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
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
    if phrases.is_empty() {
        let mut g = SnippetGenerator::create(searcher, parsed.query.as_ref(), field)?;
        g.set_max_num_chars(max_chars);
        return Ok(g);
    }
    // Longest first, so a phrase inside a longer one does not take its words.
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases.dedup();
    // As tantivy weighs words: rarer words make a better passage.
    let weight = |term: &Term| -> tantivy::Result<Score> {
        let df = searcher.doc_freq(term)?;
        Ok(if df == 0 {
            0.0
        } else {
            1.0 / (1.0 + df as Score)
        })
    };
    let mut words: BTreeMap<String, Score> = BTreeMap::new();
    let mut alone = Vec::new();
    parsed.query.query_terms(&mut |term, in_phrase| {
        if term.field() == field && !in_phrase {
            alone.push(term.clone());
        }
    });
    for term in &alone {
        let w = weight(term)?;
        if let (Some(text), true) = (term.value().as_str(), w > 0.0) {
            words.insert(text.to_string(), w);
        }
    }
    for p in &phrases {
        let mut total = 0.0;
        for word in p {
            total += weight(&Term::from_field_text(field, word))?;
        }
        words.insert(p.join(PHRASE_JOINER), total);
    }
    let tokenizer = PhraseTokenizer {
        inner: searcher.index().tokenizer_for_field(field)?,
        phrases: Arc::new(phrases),
    };
    Ok(SnippetGenerator::new(
        words,
        TextAnalyzer::builder(tokenizer).build(),
        field,
        max_chars,
    ))
}

/// The field's own tokens, with each run that spells a phrase joined into one token.
#[derive(Clone)]
struct PhraseTokenizer {
    inner: TextAnalyzer,
    /// Longest first.
    phrases: Arc<Vec<Vec<String>>>,
}

struct PhraseStream<'a> {
    inner: BoxTokenStream<'a>,
    phrases: Arc<Vec<Vec<String>>>,
    /// Tokens read ahead, at most as many as the longest phrase has words.
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
            let t = self.inner.token();
            // Most words start no phrase: passed on without reading ahead or allocating.
            if !self.phrases.iter().any(|p| p.first() == Some(&t.text)) {
                copy_token(t, &mut self.token);
                return true;
            }
            self.ahead.push_back(t.clone());
        }
        let longest = self.phrases.first().map_or(1, Vec::len);
        while self.ahead.len() < longest && self.inner.advance() {
            self.ahead.push_back(self.inner.token().clone());
        }
        let Some(first) = self.ahead.front() else {
            return false;
        };
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
            None => first.clone(),
        };
        let used = spelled.map_or(1, Vec::len);
        self.ahead.drain(..used);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// `from` into `to`, reusing the allocation of `to`'s text.
fn copy_token(from: &Token, to: &mut Token) {
    to.text.clear();
    to.text.push_str(&from.text);
    to.offset_from = from.offset_from;
    to.offset_to = from.offset_to;
    to.position = from.position;
    to.position_length = from.position_length;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(phrases: &[&[&str]], text: &str) -> Vec<(String, usize, usize)> {
        let mut t = PhraseTokenizer {
            inner: crate::index::schema::text_analyzer(),
            phrases: Arc::new(
                phrases
                    .iter()
                    .map(|p| p.iter().map(|w| w.to_string()).collect())
                    .collect(),
            ),
        };
        let mut out = Vec::new();
        let mut s = t.token_stream(text);
        while s.advance() {
            let tok = s.token();
            out.push((tok.text.clone(), tok.offset_from, tok.offset_to));
        }
        out
    }

    #[test]
    fn a_phrase_becomes_one_token_spanning_its_words() {
        let got = tokens(
            &[&["human", "right"]],
            "Human rights, the right one: human rights",
        );
        let texts: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["human right", "the", "right", "one", "human right"]);
        assert_eq!((got[0].1, got[0].2), (0, 12));
        assert_eq!((got[4].1, got[4].2), (29, 41));
        // Words apart are not the phrase; a three-word phrase wins over its first two.
        let got = tokens(
            &[&["human", "right", "act"], &["human", "right"]],
            "human and rights; human rights act",
        );
        let texts: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(texts, ["human", "and", "right", "human right act"]);
    }
}
