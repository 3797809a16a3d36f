//! What tantivy's query parser builds, reshaped for this index before it runs:
//! * each leaf gets its field's ranking weight ([`super::query::BOOSTS`]);
//! * a word that must match, searched in several fields, becomes one [`WordQuery`];
//! * in an article search, the parts over quote text ask for articles with such a quote
//!   ([`InQuotesQuery`]);
//! * the marker of a word prefix becomes the field's words that start with it
//!   ([`super::prefix`]).

use anyhow::{bail, Result};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, FieldType, IndexRecordOption};
use tantivy::Term;

use super::in_quotes::InQuotesQuery;
use super::prefix;
use super::query::{field_boost, Expand, Target};
use super::word::{WordField, WordQuery};
use crate::index::schema::TEXT_ANALYZER;
use crate::index::schema::{DOC_ARTICLE, DOC_QUOTE};
use crate::index::Fields;

/// Most fields one word is searched in as a [`WordQuery`]; a longer disjunction is left to
/// tantivy's union, which is made for many clauses.
const MAX_WORD_FIELDS: usize = 8;

/// A query as it runs, and its phrases, each as its terms in order.
pub type Rewritten = (Box<dyn Query>, Vec<Vec<Term>>);

/// The reshaped query, and the phrases met in it (each as its terms in order), which
/// highlighting shows as phrases. A warning is added for each prefix whose words were cut
/// to [`prefix::MAX_PREFIX_TERMS`].
pub fn rewrite(
    query: Box<dyn Query>,
    target: Target,
    f: &Fields,
    expand: &Expand,
    warnings: &mut Vec<String>,
) -> Result<Rewritten> {
    let mut cx = Cx {
        target,
        f,
        opaque: false,
        phrases: Vec::new(),
        expand,
        expanded: vec![(0, 0); expand.prefixes.len()],
    };
    let q = cx.walk(query, false)?;
    for (p, &(found, used)) in expand.prefixes.iter().zip(&cx.expanded) {
        if found > used {
            warnings.push(prefix::capped_warning(p, found, used));
        }
    }
    if !cx.opaque {
        return Ok((q, cx.phrases));
    }
    // A part whose terms cannot be listed (`*`) matches documents of every kind.
    let kind = match target {
        Target::Articles => DOC_ARTICLE,
        Target::Quotes => DOC_QUOTE,
    };
    let of_kind = TermQuery::new(
        Term::from_field_text(f.doc_type, kind),
        IndexRecordOption::Basic,
    );
    let q = Box::new(BooleanQuery::new(vec![
        (Occur::Must, q),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(of_kind), 0.0)),
        ),
    ]));
    Ok((q, cx.phrases))
}

struct Cx<'a> {
    target: Target,
    f: &'a Fields,
    /// A leaf whose terms cannot be listed was met.
    opaque: bool,
    phrases: Vec<Vec<Term>>,
    expand: &'a Expand<'a>,
    /// Per prefix: the most words it starts in one field, and how many of them are searched.
    expanded: Vec<(usize, usize)>,
}

impl Cx<'_> {
    /// `required`: the query is a MUST or MUST NOT clause, so it will be sought to the
    /// candidates of the other clauses rather than walked through.
    fn walk(&mut self, query: Box<dyn Query>, required: bool) -> Result<Box<dyn Query>> {
        if let Some((n, term)) = self.marker_of(query.as_ref()) {
            return self.expand_prefix(n, &term);
        }
        let Some(b) = query.downcast_ref::<BooleanQuery>() else {
            return self.leaf(query);
        };
        // A prefix over several fields is a disjunction of the fields' words, not one word.
        let prefixed = b
            .clauses()
            .iter()
            .any(|(_, q)| self.marker_of(q.as_ref()).is_some());
        if !prefixed {
            if let Some(word) = self.word(b, required) {
                return Ok(Box::new(word));
            }
        }
        let clauses = b
            .clauses()
            .iter()
            .map(|(occur, q)| Ok((*occur, self.walk(q.box_clone(), *occur != Occur::Should)?)))
            .collect::<Result<_>>()?;
        let mut rebuilt = BooleanQuery::new(clauses);
        rebuilt.set_minimum_number_should_match(b.get_minimum_number_should_match());
        Ok(Box::new(rebuilt))
    }

    /// The prefix number and term of a term query over a prefix's marker.
    fn marker_of(&self, query: &dyn Query) -> Option<(usize, Term)> {
        if self.expand.prefixes.is_empty() {
            return None;
        }
        let term = query.downcast_ref::<TermQuery>()?.term();
        let n = prefix::marker_index(term.value().as_str()?)?;
        (n < self.expand.prefixes.len()).then(|| (n, term.clone()))
    }

    /// The words of the marker's field that start with prefix `n`, as a leaf.
    fn expand_prefix(&mut self, n: usize, marker: &Term) -> Result<Box<dyn Query>> {
        let field = marker.field();
        let schema = self.expand.searcher.schema();
        let stemmed = match schema.get_field_entry(field).field_type() {
            FieldType::Str(o) => o
                .get_indexing_options()
                .is_some_and(|i| i.tokenizer() == TEXT_ANALYZER),
            _ => false,
        };
        let p = &self.expand.prefixes[n];
        let e = prefix::expand(self.expand.searcher, field, p, stemmed)?;
        let seen = &mut self.expanded[n];
        *seen = (seen.0.max(e.found), seen.1.max(e.used));
        match e.query {
            Some(q) => self.leaf(q),
            None => Ok(Box::new(EmptyQuery)),
        }
    }

    /// A disjunction of single terms or phrases in distinct fields: one word or phrase
    /// searched in several fields. Left to tantivy where it does better: a disjunction of
    /// single terms that is walked through (not `required`) gets its block-max pruning.
    fn word(&mut self, b: &BooleanQuery, required: bool) -> Option<WordQuery> {
        let clauses = b.clauses();
        if !(2..=MAX_WORD_FIELDS).contains(&clauses.len())
            || b.get_minimum_number_should_match() > 1
        {
            return None;
        }
        let mut parts = Vec::with_capacity(clauses.len());
        let mut all_terms = true;
        for (occur, q) in clauses {
            let is_term = q.downcast_ref::<TermQuery>().is_some();
            if *occur != Occur::Should || !(is_term || q.downcast_ref::<PhraseQuery>().is_some()) {
                return None;
            }
            all_terms &= is_term;
            let mut terms: Vec<Term> = Vec::new();
            q.query_terms(&mut |t, _| terms.push(t.clone()));
            let field = terms.first()?.field();
            if parts.iter().any(|(f, _, _)| *f == field) || self.joined(field) {
                return None;
            }
            parts.push((field, terms, q.box_clone()));
        }
        if all_terms && !required {
            return None;
        }
        for (_, _, q) in &parts {
            self.note_phrase(q.as_ref());
        }
        // The lead is the body's first paragraph, analysed alike: a lead match is a body
        // match, so the lead only adds to the score.
        let text = |terms: &[Term]| -> Vec<Vec<u8>> {
            terms
                .iter()
                .map(|t| t.serialized_value_bytes().to_vec())
                .collect()
        };
        let body = parts
            .iter()
            .find(|(f, _, _)| *f == self.f.body)
            .map(|(_, t, _)| text(t));
        let fields = parts
            .into_iter()
            .map(|(field, terms, query)| WordField {
                implied: field == self.f.lead && body.as_ref() == Some(&text(&terms)),
                boost: field_boost(self.f, field),
                query,
            })
            .collect();
        Some(WordQuery::new(fields))
    }

    /// Whether a leaf over `field` is about quote documents in an article search. The
    /// `doc_type` field is not open to users: a leaf over it is `quote:*`, "has a quote".
    fn joined(&self, field: Field) -> bool {
        self.target == Target::Articles && (field == self.f.q_text || field == self.f.doc_type)
    }

    fn note_phrase(&mut self, query: &dyn Query) {
        if let Some(p) = query.downcast_ref::<PhraseQuery>() {
            self.phrases.push(p.phrase_terms());
        }
    }

    fn leaf(&mut self, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
        self.note_phrase(query.as_ref());
        let mut fields: Vec<Field> = Vec::new();
        let mut marked = false;
        let prefixed = !self.expand.prefixes.is_empty();
        query.query_terms(&mut |term, _| {
            if !fields.contains(&term.field()) {
                fields.push(term.field());
            }
            marked |= prefixed
                && term
                    .value()
                    .as_str()
                    .and_then(prefix::marker_index)
                    .is_some();
        });
        if marked {
            // The rewriter writes a prefix only where it makes a term of its own.
            bail!("a word prefix could not be searched as part of a longer word or phrase");
        }
        let &[field] = fields.as_slice() else {
            self.opaque |= fields.is_empty();
            return Ok(query);
        };
        if self.joined(field) {
            return Ok(Box::new(InQuotesQuery::new(query, *self.f)));
        }
        let boost = field_boost(self.f, field);
        Ok(if boost == 1.0 {
            query
        } else {
            Box::new(BoostQuery::new(query, boost))
        })
    }
}
