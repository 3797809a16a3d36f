//! One hit per duplicate cluster: `search` folds the copies of a story into the best
//! ranked of them, which says where else it appears.
//!
//! The clusters are those of the whole index (`index::dups`: articles linked by SimHashes
//! at most 6 bits apart, exact copies included). Among the matches of a query, the first
//! member of a cluster in rank order is the hit and the other matching members are its
//! copies; an article in no cluster is a hit of its own. Hit `n` depends only on the
//! matches ranked above it, so the pages of a query agree, and `total` still counts every
//! matching article.
//!
//! Cost: nothing per match. The ranking is read as before, and again with more room only
//! when copies on it left the page short; the copies of the page's hits are found by one
//! query for the other members of their clusters, run only when a hit has a cluster.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::{Engine, ScoredDoc, SearchOptions, Target};

/// Most paths of copies a hit lists; `duplicates` counts them all.
pub const ALSO_IN_PATHS: usize = 20;

/// A hit's copies among the matches: how many, and the first [`ALSO_IN_PATHS`] paths,
/// sorted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Copies {
    pub count: usize,
    pub paths: Vec<String>,
}

/// The hits of a page, each with the cluster it heads (if any), and the count of every
/// match when asked for.
struct Page {
    hits: Vec<(ScoredDoc, Option<u32>)>,
    total: Option<usize>,
}

impl Engine {
    /// The page `opts` asks for, one hit per cluster, with each hit's copies and the count
    /// of every match (copies included) when `opts.count_total`.
    pub(crate) fn top_collapsed(
        &self,
        searcher: &tantivy::Searcher,
        q: &dyn Query,
        opts: &SearchOptions,
    ) -> anyhow::Result<(Vec<ScoredDoc>, Option<usize>, Vec<Copies>)> {
        let dups = self.clusters()?;
        let docs = super::stats::KindStats::articles(searcher, &self.ni.fields).num_docs();
        // A page past every article is empty however the clusters fall.
        if dups.clusters.is_empty() || opts.offset as u64 >= docs {
            let (top, total) = self.top(searcher, Target::Articles, q, opts)?;
            let copies = vec![Copies::default(); top.len()];
            return Ok((top, total, copies));
        }
        let page = self.page_of_leaders(searcher, q, opts, &dups.cluster_of)?;
        let copies = self.copies_of(searcher, q, &page.hits)?;
        let top = page.hits.into_iter().map(|(d, _)| d).collect();
        Ok((top, page.total, copies))
    }

    /// The hits at ranks `offset + 1 ..= offset + limit` once each cluster's members after
    /// its first are left out.
    fn page_of_leaders(
        &self,
        searcher: &tantivy::Searcher,
        q: &dyn Query,
        opts: &SearchOptions,
        cluster_of: &HashMap<u64, u32>,
    ) -> anyhow::Result<Page> {
        let want = opts.offset.saturating_add(opts.limit);
        let docs = super::stats::KindStats::articles(searcher, &self.ni.fields).num_docs();
        let docs = usize::try_from(docs).unwrap_or(usize::MAX);
        // Room for the page and the copies above it, doubled while copies leave it short.
        let mut room = want.min(docs);
        let mut count_total = opts.count_total;
        let mut total = None;
        loop {
            let window = SearchOptions {
                limit: room,
                offset: 0,
                count_total,
                ..*opts
            };
            let (ranked, n) = self.top(searcher, Target::Articles, q, &window)?;
            // Counted once, with the first window.
            if count_total {
                total = n;
                count_total = false;
            }
            let mut seen: Vec<u32> = Vec::new();
            let mut heads: Vec<(ScoredDoc, Option<u32>)> = Vec::new();
            for &(score, addr) in &ranked {
                let cluster = self.cluster_of(addr, cluster_of);
                match cluster {
                    Some(c) if seen.contains(&c) => continue,
                    Some(c) => seen.push(c),
                    None => {}
                }
                heads.push(((score, addr), cluster));
                if heads.len() == want {
                    break;
                }
            }
            // Short of hits only because copies took places: look further down.
            if heads.len() >= want || ranked.len() < room || room >= docs {
                let hits = heads.into_iter().skip(opts.offset).collect();
                return Ok(Page { hits, total });
            }
            room = room.saturating_mul(2).min(docs);
        }
    }

    /// The cluster of the article at `addr`, by its SimHash: a column read, where its path
    /// would be a dictionary block to decode.
    fn cluster_of(&self, addr: DocAddress, cluster_of: &HashMap<u64, u32>) -> Option<u32> {
        let near = self.columns(addr).ok()?.dup_near(addr.doc_id)?;
        cluster_of.get(&near).copied()
    }

    /// The copies of each hit: the other members of its cluster that match `q`.
    fn copies_of(
        &self,
        searcher: &tantivy::Searcher,
        q: &dyn Query,
        hits: &[(ScoredDoc, Option<u32>)],
    ) -> anyhow::Result<Vec<Copies>> {
        let mut out = vec![Copies::default(); hits.len()];
        let dups = self.clusters()?;
        let f = &self.ni.fields;
        let mut hit_of: HashMap<u32, usize> = HashMap::new();
        // One term query per member: a term set query would build an automaton and walk
        // the path dictionary with it, which cost more than the rest of the search.
        let mut members: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, &(_, cluster)) in hits.iter().enumerate() {
            let Some(c) = cluster else { continue };
            hit_of.insert(c, i);
            for p in &dups.clusters[c as usize].paths {
                let t = Term::from_field_text(f.path, p);
                members.push((
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                ));
            }
        }
        if members.is_empty() {
            return Ok(out);
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, q.box_clone()),
            (Occur::Must, Box::new(BooleanQuery::new(members))),
        ]);
        for addr in searcher.search(&query, &DocSetCollector)? {
            let cluster = self.cluster_of(addr, &dups.cluster_of);
            let Some(&i) = cluster.and_then(|c| hit_of.get(&c)) else {
                continue;
            };
            // The hit itself matches its own path.
            if hits[i].0 .1 == addr {
                continue;
            }
            out[i].count += 1;
            out[i].paths.push(self.columns(addr)?.path(addr.doc_id));
        }
        for c in &mut out {
            c.paths.sort();
            c.paths.truncate(ALSO_IN_PATHS);
        }
        Ok(out)
    }
}
