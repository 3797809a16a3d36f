//! Each article hit's best matching quote. The writer adds an article's quotes directly
//! after it and merges keep them together (see [`QuoteColumns::article_of`]), so the
//! documents of an article's path are one run of documents that starts with the article.
//! The quote query's scorer is sought to each hit's run, in document order: no path is
//! looked up in a dictionary and no document outside the hits' runs is scored. (One query
//! per hit opened every segment's postings once per hit; a union of the hits' path terms
//! looked each path up in every segment.)

use anyhow::Result;
use tantivy::query::{EnableScoring, Scorer, Weight};
use tantivy::{DocAddress, Score, Searcher, TERMINATED};

use super::quote_columns::QuoteColumns;
use super::{query::Target, stats, ArticleHit, ArticleText, Engine, SearchOptions};

type Best = Option<(Score, DocAddress)>;

/// Higher score wins; on a tie the earlier document, as `TopDocs` would pick.
fn better(candidate: (Score, DocAddress), current: Best) -> bool {
    match current {
        None => true,
        Some((s, a)) => candidate.0 > s || (candidate.0 == s && candidate.1 < a),
    }
}

impl Engine {
    /// Sets, per article hit, the quote of that article that best matches the query. A
    /// query that only makes sense for articles (`title:x`) gets no quotes. `addrs` are
    /// the hits' articles and `bodies` their bodies, in the order of `hits`.
    pub(super) fn attach_quotes(
        &self,
        searcher: &Searcher,
        input: &str,
        hits: &mut [ArticleHit],
        addrs: &[DocAddress],
        bodies: Vec<String>,
        opts: &SearchOptions,
    ) -> Result<()> {
        let Ok(parsed) = self.parse(Target::Quotes, input) else {
            return Ok(());
        };
        let f = &self.ni.fields;
        let stats = stats::KindStats::quotes(searcher, f);
        let scoring = EnableScoring::enabled_from_statistics_provider(&stats, searcher);
        let weight = parsed.query.weight(scoring)?;
        let best = self.best_quotes(searcher, weight.as_ref(), addrs)?;
        if best.iter().all(Option::is_none) {
            return Ok(());
        }
        let g =
            super::highlight::generator(searcher, &parsed, f.q_text, opts.snippet_chars.max(400))?;
        for ((h, body), found) in hits.iter_mut().zip(bodies).zip(best) {
            if let Some((score, addr)) = found {
                let article = ArticleText {
                    title: h.title.clone(),
                    body,
                    date: h.date.clone(),
                    source: h.source.clone(),
                };
                h.quote = Some(self.quote_hit(addr, score, Some(&g), opts, Some(article))?);
            }
        }
        Ok(())
    }

    /// The best document matching `weight` in each article's run, in the order of `addrs`.
    fn best_quotes(
        &self,
        searcher: &Searcher,
        weight: &dyn Weight,
        addrs: &[DocAddress],
    ) -> Result<Vec<Best>> {
        let mut order: Vec<usize> = (0..addrs.len()).collect();
        order.sort_by_key(|&i| addrs[i]);
        let mut best = vec![None; addrs.len()];
        let mut scorer: Option<(u32, Box<dyn Scorer>)> = None;
        for i in order {
            let addr = addrs[i];
            let segment = searcher.segment_reader(addr.segment_ord);
            if scorer.as_ref().map(|(ord, _)| *ord) != Some(addr.segment_ord) {
                scorer = Some((addr.segment_ord, weight.scorer(segment, 1.0)?));
            }
            let Some((_, s)) = scorer.as_mut() else {
                continue;
            };
            let alive = |doc| segment.alive_bitset().is_none_or(|b| b.is_alive(doc));
            best[i] = run_best(s.as_mut(), self.columns(addr)?, addr, alive);
        }
        Ok(best)
    }
}

/// The best live document of `scorer` in the run of documents that share the path of the
/// article at `article`. The scorer moves only forward: runs are visited in document order.
fn run_best(
    scorer: &mut dyn Scorer,
    columns: &QuoteColumns,
    article: DocAddress,
    alive: impl Fn(u32) -> bool,
) -> Best {
    let path = columns.path_ord(article.doc_id)?;
    let mut doc = scorer.doc();
    if doc < article.doc_id {
        doc = scorer.seek(article.doc_id);
    }
    let mut best = None;
    while doc != TERMINATED && columns.path_ord(doc) == Some(path) {
        let found = (scorer.score(), DocAddress::new(article.segment_ord, doc));
        if alive(doc) && better(found, best) {
            best = Some(found);
        }
        doc = scorer.advance();
    }
    best
}
