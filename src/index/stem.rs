//! English stemming with a memo of the words already stemmed.
//!
//! Snowball stemming is the largest single cost of both indexing (about a third of the CPU
//! time on the BBC corpus) and snippets (over half of `search --batch`, which re-tokenizes
//! the body of every hit). News vocabulary is Zipfian, so almost every word has been stemmed
//! before: a per-thread map from word to stem replaces nearly all of that work with one hash
//! lookup. The output is exactly tantivy's `Stemmer::new(Language::English)`, which does the
//! stemming on a miss, so the index format does not change.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// tantivy's stemmer over a one-word tokenizer: stems one word per `token_stream` call.
type OneWordStemmer = <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>;

/// Entries per thread before the memo is emptied (a few MB): bounds memory on corpora
/// whose vocabulary keeps growing (numbers, names).
const MAX_ENTRIES: usize = 200_000;

struct Memo {
    stems: FxHashMap<Box<str>, Box<str>>,
    stemmer: OneWordStemmer,
}

impl Memo {
    fn new() -> Memo {
        Memo {
            stems: FxHashMap::with_capacity_and_hasher(4096, Default::default()),
            stemmer: Stemmer::new(Language::English).transform(RawTokenizer::default()),
        }
    }

    /// Replaces `word` by its stem.
    fn stem(&mut self, word: &mut String) {
        if let Some(s) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(s);
            return;
        }
        let stem = {
            let mut ts = self.stemmer.token_stream(word);
            if !ts.advance() {
                return;
            }
            std::mem::take(&mut ts.token_mut().text)
        };
        if self.stems.len() >= MAX_ENTRIES {
            self.stems.clear();
        }
        self.stems
            .insert(word.as_str().into(), stem.as_str().into());
        *word = stem;
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::new());
}

/// Drop-in for `Stemmer::new(Language::English)` that remembers stems per thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoEnglishStemmer;

impl TokenFilter for MemoEnglishStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemFilter<T> {
        MemoStemFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct MemoStemFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemFilter<T> {
    type TokenStream<'a> = MemoStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct MemoStemStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for MemoStemStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        MEMO.with(|m| m.borrow_mut().stem(&mut token.text));
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn tokens(mut a: TextAnalyzer, s: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut ts = a.token_stream(s);
        while let Some(t) = ts.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_stemmer() {
        let text = "Dogs are the bests! Generously, the skies were dying, lying and tying; \
                    news atlas cosmos bias andes early only gently ugly idly singly skis \
                    happy happiness ran running runs runner 1999s e-mails Ω généralement \
                    the the dogs dogs";
        let memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoEnglishStemmer)
            .build();
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        // twice: the second pass is served from the memo
        for _ in 0..2 {
            assert_eq!(tokens(memo.clone(), text), tokens(plain.clone(), text));
        }
    }
}
