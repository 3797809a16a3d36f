//! What tantivy's query parser builds, reshaped for this index before it runs:
//! * each leaf gets its field's ranking weight ([`super::query::BOOSTS`]);
//! * a word that must match, searched in several fields, becomes one [`WordQuery`];
//! * in an article search, the parts over quote text ask for articles with such a quote
//!   ([`InQuotesQuery`]).

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::in_quotes::InQuotesQuery;
use super::query::{field_boost, Target};
use super::word::{WordField, WordQuery};
use crate::index::schema::DOC_ARTICLE;
use crate::index::Fields;

/// Most fields one word is searched in as a [`WordQuery`]; a longer disjunction is left to
/// tantivy's union, which is made for many clauses.
const MAX_WORD_FIELDS: usize = 8;

pub fn rewrite(query: Box<dyn Query>, target: Target, f: &Fields) -> Box<dyn Query> {
    let mut cx = Cx {
        target,
        f,
        opaque: false,
    };
    let q = cx.walk(query, false);
    if !(cx.opaque && target == Target::Articles) {
        return q;
    }
    // A part whose terms cannot be listed (`quote:*`) might match quote documents directly.
    let articles = TermQuery::new(
        Term::from_field_text(f.doc_type, DOC_ARTICLE),
        IndexRecordOption::Basic,
    );
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, q),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(articles), 0.0)),
        ),
    ]))
}

struct Cx<'a> {
    target: Target,
    f: &'a Fields,
    /// A leaf whose terms cannot be listed was met.
    opaque: bool,
}

impl Cx<'_> {
    /// `required`: the query is a MUST or MUST NOT clause, so it will be sought to the
    /// candidates of the other clauses rather than walked through.
    fn walk(&mut self, query: Box<dyn Query>, required: bool) -> Box<dyn Query> {
        let Some(b) = query.downcast_ref::<BooleanQuery>() else {
            return self.leaf(query);
        };
        if required {
            if let Some(word) = self.word(b) {
                return Box::new(word);
            }
        }
        let clauses = b
            .clauses()
            .iter()
            .map(|(occur, q)| (*occur, self.walk(q.box_clone(), *occur != Occur::Should)))
            .collect();
        let mut rebuilt = BooleanQuery::new(clauses);
        rebuilt.set_minimum_number_should_match(b.get_minimum_number_should_match());
        Box::new(rebuilt)
    }

    /// A disjunction of single terms in distinct fields: one word searched in several fields.
    fn word(&self, b: &BooleanQuery) -> Option<WordQuery> {
        let clauses = b.clauses();
        if !(2..=MAX_WORD_FIELDS).contains(&clauses.len())
            || b.get_minimum_number_should_match() > 1
        {
            return None;
        }
        let mut fields: Vec<Field> = Vec::with_capacity(clauses.len());
        let mut terms = Vec::with_capacity(clauses.len());
        for (occur, q) in clauses {
            let t = q.downcast_ref::<TermQuery>()?;
            let field = t.term().field();
            if *occur != Occur::Should || fields.contains(&field) || self.joined(field) {
                return None;
            }
            fields.push(field);
            terms.push(WordField {
                query: t.clone(),
                boost: field_boost(self.f, field),
                implied: false,
            });
        }
        // The lead is the body's first paragraph, analysed alike: a lead match is a body
        // match, so the lead only adds to the score.
        let body_has = |text: &[u8]| {
            terms.iter().any(|w| {
                w.query.term().field() == self.f.body
                    && w.query.term().serialized_value_bytes() == text
            })
        };
        let implied: Vec<bool> = terms
            .iter()
            .map(|w| {
                w.query.term().field() == self.f.lead
                    && body_has(w.query.term().serialized_value_bytes())
            })
            .collect();
        for (w, implied) in terms.iter_mut().zip(implied) {
            w.implied = implied;
        }
        Some(WordQuery::new(terms))
    }

    fn joined(&self, field: Field) -> bool {
        self.target == Target::Articles && field == self.f.q_text
    }

    fn leaf(&mut self, query: Box<dyn Query>) -> Box<dyn Query> {
        let mut fields: Vec<Field> = Vec::new();
        query.query_terms(&mut |term, _| {
            if !fields.contains(&term.field()) {
                fields.push(term.field());
            }
        });
        let &[field] = fields.as_slice() else {
            self.opaque |= fields.is_empty();
            return query;
        };
        if self.joined(field) {
            return Box::new(InQuotesQuery::new(query, *self.f));
        }
        let boost = field_boost(self.f, field);
        if boost == 1.0 {
            query
        } else {
            Box::new(BoostQuery::new(query, boost))
        }
    }
}
