//! One word or phrase searched in several fields at once (`oil` over title, lead, body and
//! speaker).
//!
//! tantivy answers a disjunction with a buffered union: it scores every posting of every
//! field in windows of 4,096 documents, which pays off when the union is walked to the end.
//! Inside an AND of words it is not: the union is sought to a few candidates, yet scores
//! whole windows and clears them each time (a quarter of the time of a multi-word query, with
//! the quote documents spreading articles over six times as many document ids). This union
//! holds the few field scorers side by side and scores only the documents asked for.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches documents with the word in any of the fields; the score is the sum of the
/// fields' boosted BM25 scores, as tantivy's union would give.
#[derive(Clone)]
pub struct WordQuery {
    /// One term query per field, each with that field's boost.
    fields: Vec<WordField>,
}

pub struct WordField {
    /// A term or phrase query over one field.
    pub query: Box<dyn Query>,
    pub boost: Score,
    /// Every document with this term has it in another field of the word too (the lead is
    /// the start of the body): it adds to the score but never decides a match, so it is
    /// only looked at for documents that match.
    pub implied: bool,
}

impl Clone for WordField {
    fn clone(&self) -> Self {
        WordField {
            query: self.query.box_clone(),
            boost: self.boost,
            implied: self.implied,
        }
    }
}

impl fmt::Debug for WordQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.fields.iter().map(|w| (&w.query, w.boost, w.implied)))
            .finish()
    }
}

impl WordQuery {
    pub fn new(fields: Vec<WordField>) -> WordQuery {
        WordQuery { fields }
    }
}

impl Query for WordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .fields
            .iter()
            .map(|w| Ok((w.query.weight(enable_scoring)?, w.boost, w.implied)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(WordWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for w in &self.fields {
            w.query.query_terms(visitor);
        }
    }
}

struct WordWeight {
    weights: Vec<(Box<dyn Weight>, Score, bool)>,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let (mut deciding, mut implied) = (Vec::new(), Vec::new());
        for (w, field_boost, is_implied) in &self.weights {
            let s = w.scorer(reader, boost * field_boost)?;
            if s.doc() != TERMINATED {
                if *is_implied {
                    implied.push(s);
                } else {
                    deciding.push(s);
                }
            }
        }
        Ok(Box::new(WordScorer::new(deciding, implied)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut total = 0.0;
        let mut fields = Vec::new();
        for (w, field_boost, _) in &self.weights {
            if let Ok(e) = w.explain(reader, doc) {
                let value = e.value() * field_boost;
                let mut boosted =
                    Explanation::new_with_string(format!("field boost x{field_boost} of"), value);
                boosted.add_detail(e);
                total += value;
                fields.push(boosted);
            }
        }
        if fields.is_empty() {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut out = Explanation::new("sum over fields of", total);
        for e in fields {
            out.add_detail(e);
        }
        Ok(out)
    }
}

struct WordScorer {
    /// The fields that decide a match, and the document each is on (kept here: asking a
    /// boxed scorer costs a virtual call, and `doc` is asked for all the time).
    scorers: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    /// Fields that only add to the score, sought lazily.
    implied: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl WordScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, implied: Vec<Box<dyn Scorer>>) -> WordScorer {
        let docs: Vec<DocId> = scorers.iter().map(|s| s.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        WordScorer {
            scorers,
            docs,
            implied,
            doc,
        }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for WordScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        for (s, d) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *d == doc {
                *d = s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (s, d) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *d < target {
                *d = s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .fold(0u32, |n, s| n.saturating_add(s.size_hint()))
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for WordScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut total = 0.0;
        for (s, d) in self.scorers.iter_mut().zip(&self.docs) {
            if *d == doc {
                total += s.score();
            }
        }
        for s in &mut self.implied {
            // Scores are asked for in document order, so the scorer only moves forward.
            let at = if s.doc() < doc { s.seek(doc) } else { s.doc() };
            if at == doc {
                total += s.score();
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// The same documents and scores as tantivy's union of the boosted fields, alone and
    /// inside an AND, where the union is sought rather than walked.
    #[test]
    fn scores_as_tantivys_union_of_the_fields() {
        let mut sb = Schema::builder();
        let title = sb.add_text_field("title", TEXT);
        let body = sb.add_text_field("body", TEXT);
        let lead = sb.add_text_field("lead", TEXT);
        let index = Index::create_in_ram(sb.build());
        let mut w = index
            .writer::<tantivy::TantivyDocument>(15_000_000)
            .unwrap();
        for i in 0..3000u32 {
            let t = if i % 7 == 0 { "oil price" } else { "markets" };
            let b = match i % 5 {
                0 => "oil oil and gas",
                1 => "gas only",
                2 => "oil",
                _ => "nothing here",
            };
            // the lead is the start of the body
            let first = b.split(' ').next().unwrap();
            w.add_document(doc!(title => t, body => format!("{b} {}", i % 11), lead => first))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term =
            |f, s: &str| TermQuery::new(Term::from_field_text(f, s), IndexRecordOption::WithFreqs);
        let field = |query: TermQuery, boost, implied| WordField {
            query: Box::new(query),
            boost,
            implied,
        };
        let word = |s: &str| {
            WordQuery::new(vec![
                field(term(title, s), 2.0, false),
                field(term(lead, s), 3.0, true),
                field(term(body, s), 1.0, false),
            ])
        };
        let union = |s: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term(title, s)), 2.0)),
                ),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term(lead, s)), 3.0)),
                ),
                (Occur::Should, Box::new(term(body, s))),
            ]))
        };
        let top = |q: &dyn Query| {
            searcher
                .search(q, &TopDocs::with_limit(5000).order_by_score())
                .unwrap()
        };
        let same = |a: Vec<(Score, tantivy::DocAddress)>, b: Vec<(Score, tantivy::DocAddress)>| {
            assert_eq!(a.len(), b.len());
            let mut a = a;
            let mut b = b;
            a.sort_by_key(|x| x.1);
            b.sort_by_key(|x| x.1);
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.1, y.1);
                assert!((x.0 - y.0).abs() < 1e-5, "{x:?} {y:?}");
            }
        };
        let alone = top(&word("oil"));
        assert!(alone.len() > 1000);
        same(alone, top(union("oil").as_ref()));
        let and = |a: Box<dyn Query>, b: Box<dyn Query>| {
            BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)])
        };
        let ours = top(&and(Box::new(word("oil")), Box::new(word("gas"))));
        assert!(!ours.is_empty());
        same(ours, top(&and(union("oil"), union("gas"))));
        let ours = top(&and(Box::new(word("price")), Box::new(word("gas"))));
        same(ours, top(&and(union("price"), union("gas"))));
    }
}
