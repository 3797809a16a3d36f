//! `quotes TOPIC --speaker NAME`: what a person said about a topic. A quote on the budget
//! need not say "budget": on BBC, none of Gordon Brown's 73 quotes holds the word, though
//! many are in budget articles. So the speaker's quotes that match the topic come first,
//! ranked by their own score, then the speaker's other quotes in the articles most about the
//! topic, ranked by their article's score.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::{query::Target, stats::KindStats, Engine, QuoteHit, Results, SearchOptions};
use crate::index::schema::names;
use crate::quotes::canonical::is_courtesy_title;

/// How many of the most relevant articles on a topic are "about it": the articles whose
/// quotes `speakers TOPIC` counts and `quotes TOPIC --speaker` adds. Bounded so that a broad
/// topic on a large archive stays fast and means "the articles most about it", not "every
/// article that mentions a word of it".
pub(crate) const TOPIC_ARTICLES: usize = 1000;

/// Highest score of a quote found only through its article: its article's score relative to
/// the best article's, times this. Below the scores of most quote-text matches, which come
/// first anyway.
const ARTICLE_HIT_MAX_SCORE: f32 = 1.0;

/// What a quote hit matched: its own text, or only its article's topic.
pub const MATCHED_QUOTE: &str = "quote";
pub const MATCHED_ARTICLE: &str = "article";

/// `speaker:"w"` for each word of `name`, courtesy titles left out ("Mr Blair" finds Tony
/// Blair, whose name is indexed without the title) unless the name is nothing else.
pub fn speaker_filter(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .collect();
    let named = words.iter().any(|w| !is_courtesy_title(w));
    words
        .iter()
        .filter(|w| !named || !is_courtesy_title(w))
        .map(|w| format!("speaker:\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query whose matching quotes facets and histograms count for `quotes TOPIC
/// --speaker NAME`: the quotes whose own text matches the topic, by the speaker when one is
/// given. (The topic articles' other quotes are listed, not counted.)
pub(crate) fn counted_quotes_query(topic: Option<&str>, speaker: Option<&str>) -> String {
    let topic = topic.map(str::trim).filter(|t| !t.is_empty());
    match (speaker.map(str::trim).filter(|s| !s.is_empty()), topic) {
        (Some(s), Some(t)) => format!("({t}) {}", speaker_filter(s)),
        (Some(s), None) => speaker_filter(s),
        (None, Some(t)) => t.to_string(),
        (None, None) => String::new(),
    }
}

impl Engine {
    /// The ids and scores of the [`TOPIC_ARTICLES`] articles most about `input`, best first,
    /// read from the path fast field: reading 1,000 stored documents would cost more than a
    /// whole speaker count.
    pub(super) fn topic_articles(
        &self,
        searcher: &Searcher,
        input: &str,
    ) -> Result<Vec<(String, f32)>> {
        let Ok(articles) = self.parse(Target::Articles, input) else {
            return Ok(Vec::new());
        };
        let stats = KindStats::articles(searcher, &self.ni.fields);
        let top = searcher.search_with_statistics_provider(
            articles.query.as_ref(),
            &TopDocs::with_limit(TOPIC_ARTICLES).order_by_score(),
            &stats,
        )?;
        let mut out = Vec::with_capacity(top.len());
        let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
        for (score, addr) in top {
            let paths = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .str(names::PATH)?,
                ),
            };
            let Some(paths) = paths else { continue };
            if let Some(ord) = paths.term_ords(addr.doc_id).next() {
                let mut path = String::new();
                if paths.ord_to_str(ord, &mut path)? {
                    out.push((path, score));
                }
            }
        }
        Ok(out)
    }

    /// What `quotes` finds: the quotes by `speaker` (on `topic` when one is given), or else
    /// the quotes matching `topic`.
    pub fn find_quotes(
        &self,
        topic: Option<&str>,
        speaker: Option<&str>,
        opts: &SearchOptions,
    ) -> Result<Results<QuoteHit>> {
        let topic = topic.map(str::trim).filter(|q| !q.is_empty());
        match (speaker.filter(|s| !s.trim().is_empty()), topic) {
            (Some(s), _) => self.search_speaker_quotes(topic, s, opts),
            (None, Some(q)) => {
                let mut r = self.search_quotes(q, opts)?;
                if super::matched_nothing(&r.hits, r.total, opts) {
                    r.suggestion = self.suggest(Target::Quotes, q)?;
                }
                Ok(r)
            }
            (None, None) => anyhow::bail!("give a query, a speaker (--speaker NAME), or both"),
        }
    }

    /// Quotes by `speaker`, on `topic` when one is given: those matching the topic first,
    /// then those in the articles most about it (see the module comment).
    pub fn search_speaker_quotes(
        &self,
        topic: Option<&str>,
        speaker: &str,
        opts: &SearchOptions,
    ) -> Result<Results<QuoteHit>> {
        let filter = speaker_filter(speaker);
        let topic = topic.map(str::trim).filter(|t| !t.is_empty());
        let Some(topic) = topic else {
            return self.search_quotes(&filter, opts);
        };
        // The topic in parentheses: `wall OR mexico` stays one clause beside the speaker's.
        let mut r = self.search_quotes(&format!("({topic}) {filter}"), opts)?;
        r.query = format!("{topic} {filter}");
        let matched = r.total.unwrap_or(r.hits.len());
        if r.hits.len() >= opts.limit {
            // The rest are counted, for the total, only when asked.
            if opts.count_total {
                let (_, more) = self.in_topic_articles(topic, &filter, 0, 0)?;
                r.total = Some(matched + more);
            }
            return Ok(r);
        }
        let offset = opts.offset.saturating_sub(matched);
        let limit = opts.limit - r.hits.len();
        let (hits, more) = self.in_topic_articles(topic, &filter, offset, limit)?;
        let first_rank = opts.offset.max(matched) + 1;
        for (i, (score, addr)) in hits.into_iter().enumerate() {
            let mut hit = self.quote_hit(addr, score, None, opts, None)?;
            hit.rank = first_rank + i;
            hit.matched = MATCHED_ARTICLE;
            r.hits.push(hit);
        }
        r.total = Some(matched + more);
        Ok(r)
    }

    /// The speaker's quotes that do not match the topic themselves but are in one of the
    /// articles most about it, scored as their article; and how many there are.
    fn in_topic_articles(
        &self,
        topic: &str,
        filter: &str,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<(f32, tantivy::DocAddress)>, usize)> {
        let searcher = self.searcher();
        let f = &self.ni.fields;
        let articles = self.topic_articles(&searcher, topic)?;
        if articles.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let best = articles
            .first()
            .map_or(1.0, |(_, s)| s.max(f32::MIN_POSITIVE));
        let in_articles: Vec<(Occur, Box<dyn Query>)> = articles
            .into_iter()
            .map(|(path, score)| {
                let score = ARTICLE_HIT_MAX_SCORE * score / best;
                let t = TermQuery::new(
                    Term::from_field_text(f.path, &path),
                    IndexRecordOption::Basic,
                );
                let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(t), score));
                (Occur::Should, q)
            })
            .collect();
        let by_speaker = self.without_copies(self.parse(Target::Quotes, filter)?.query)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(BooleanQuery::new(in_articles))),
            (Occur::Must, Box::new(ConstScoreQuery::new(by_speaker, 0.0))),
        ];
        if let Ok(on_topic) = self.parse(Target::Quotes, &format!("({topic})")) {
            clauses.push((Occur::MustNot, on_topic.query));
        }
        let q = BooleanQuery::new(clauses);
        let stats = KindStats::quotes(&searcher, f);
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .order_by_score();
        let (top, n) = searcher
            .search_with_statistics_provider(&q, &(top, Count), &stats)
            .with_context(|| format!("quote search in the articles about {topic:?} failed"))?;
        Ok((if limit == 0 { Vec::new() } else { top }, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honorifics_are_left_out_of_the_speaker_filter() {
        assert_eq!(speaker_filter("Mr Blair"), "speaker:\"Blair\"");
        assert_eq!(
            speaker_filter("Dr. Liam Fox"),
            "speaker:\"Liam\" speaker:\"Fox\""
        );
        assert_eq!(
            speaker_filter("gordon \"brown\""),
            "speaker:\"gordon\" speaker:\"brown\""
        );
        assert_eq!(speaker_filter("Mr"), "speaker:\"Mr\"");
    }
}
