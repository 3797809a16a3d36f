//! Who is quoted most: counts of matching quote documents per speaker, gathered from the
//! speaker-name fast field by term ordinal so that no stored document is read.

use std::collections::HashMap;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::{query::Target, Engine};
use crate::index::schema::names;
use crate::quotes::canonical::{canonical_key, is_listable};
use crate::quotes::SpeakerKind;

#[derive(Debug, Clone, Serialize)]
pub struct SpeakerCount {
    pub rank: usize,
    pub speaker: String,
    pub quotes: u64,
    pub articles: u64,
}

/// One page of speakers, with how many there are in all.
#[derive(Debug, Clone)]
pub struct SpeakerList {
    pub rows: Vec<SpeakerCount>,
    /// Every named speaker that matches, listed or not.
    pub total: u64,
    pub warnings: Vec<String>,
    /// When no speaker matches: the topic with its unknown words respelt.
    pub suggestion: Option<String>,
}

struct SpeakerCollector;

struct SegmentSpeakers {
    names: Option<StrColumn>,
    paths: Option<StrColumn>,
    kinds: Option<StrColumn>,
    /// Ordinals, in this segment's kind column, of the kinds counted: people and organisations.
    named_kinds: Vec<u64>,
    /// Indexed by speaker ordinal: (quotes, articles, path ordinal of the last article
    /// counted). Dense, since counting every quote of a large archive touches most speakers.
    /// An article's documents are contiguous in a segment (they are added as one batch),
    /// so comparing with the last article is enough to count distinct articles.
    counts: Vec<(u64, u64, u64)>,
}

impl Collector for SpeakerCollector {
    type Fruit = HashMap<String, (u64, u64)>;
    type Child = SegmentSpeakers;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<SegmentSpeakers> {
        let ff = seg.fast_fields();
        let names = ff.str(names::Q_SPEAKER_NAME)?;
        let n = names.as_ref().map(|c| c.num_terms()).unwrap_or(0);
        let kinds = ff.str(names::Q_KIND)?;
        let mut named_kinds = Vec::new();
        if let Some(k) = &kinds {
            for kind in [SpeakerKind::Person, SpeakerKind::Org] {
                named_kinds.extend(k.dictionary().term_ord(kind.as_str())?);
            }
        }
        Ok(SegmentSpeakers {
            names,
            paths: ff.str(names::PATH)?,
            kinds,
            named_kinds,
            counts: vec![(0, 0, u64::MAX - 1); n],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<String, (u64, u64)>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut out: HashMap<String, (u64, u64)> = HashMap::new();
        for fr in fruits {
            for (k, (q, a)) in fr {
                let e = out.entry(k).or_default();
                e.0 += q;
                e.1 += a;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentSpeakers {
    type Fruit = HashMap<String, (u64, u64)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(names) = &self.names else { return };
        let Some(ord) = names.term_ords(doc).next() else {
            return;
        };
        // Unnamed sources ("analysts") are not speakers to list.
        let kind = self.kinds.as_ref().and_then(|k| k.term_ords(doc).next());
        if !kind.is_some_and(|k| self.named_kinds.contains(&k)) {
            return;
        }
        let path = self
            .paths
            .as_ref()
            .and_then(|p| p.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let Some(e) = self.counts.get_mut(ord as usize) else {
            return;
        };
        e.0 += 1;
        if e.2 != path {
            e.1 += 1;
            e.2 = path;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        let Some(names) = self.names else { return out };
        let ords: Vec<u64> = (0..self.counts.len() as u64)
            .filter(|&o| self.counts[o as usize].0 > 0)
            .collect();
        let mut it = ords.iter();
        let _ = names.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&o) = it.next() {
                let (q, articles, _) = self.counts[o as usize];
                out.insert(String::from_utf8_lossy(bytes).into_owned(), (q, articles));
            }
        });
        out
    }
}

impl Engine {
    /// Who is quoted most: with an empty query, over every quote; on a topic, over the quotes
    /// that match it and every quote of the [`super::TOPIC_ARTICLES`] articles most about it (a
    /// quote on Venezuela's oil need not say "Venezuela").
    pub fn count_speakers(&self, input: &str, limit: usize) -> Result<SpeakerList> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
        let searcher = self.searcher();
        let f = &self.ni.fields;
        if input.trim().is_empty() {
            let mut counts = all_speaker_counts(&searcher, f)?;
            // The dictionary counts every copy of a syndicated quote; one is kept.
            for (name, (quotes, articles)) in &self.quote_copies()?.copies_by_speaker {
                if let Some(c) = counts.get_mut(name) {
                    c.0 = c.0.saturating_sub(*quotes);
                    c.1 = c.1.saturating_sub(*articles);
                }
            }
            return Ok(list(group(counts), limit, Vec::new()));
        }
        let p = self.parse(Target::Quotes, input)?;
        // The article parse of the same input repeats these warnings.
        let warnings = p.warnings;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, p.query)];
        let terms: Vec<tantivy::Term> = self
            .topic_articles(&searcher, input)?
            .into_iter()
            .map(|(path, _)| tantivy::Term::from_field_text(f.path, &path))
            .collect();
        if !terms.is_empty() {
            let quote_kind =
                tantivy::Term::from_field_text(f.doc_type, crate::index::schema::DOC_QUOTE);
            let in_articles = BooleanQuery::intersection(vec![
                Box::new(TermSetQuery::new(terms)),
                Box::new(TermQuery::new(
                    quote_kind,
                    tantivy::schema::IndexRecordOption::Basic,
                )),
            ]);
            clauses.push((Occur::Should, Box::new(in_articles)));
        }
        let query = self.without_copies(Box::new(BooleanQuery::new(clauses)))?;
        let counts = searcher
            .search(query.as_ref(), &SpeakerCollector)
            .with_context(|| format!("speaker count failed for query {input:?}"))?;
        let mut page = list(group(counts), limit, warnings);
        if page.rows.is_empty() {
            // The topic is searched in articles as much as in quotes.
            page.suggestion = self.suggest(Target::Articles, input)?;
        }
        Ok(page)
    }
}

type Counts = HashMap<String, (u64, u64)>;

/// A bare surname goes to the full name ending in it that has at least this many times the
/// quotes of all the other full names ending in it together: "Obama" to "Barack Obama"
/// (76 quotes on PolNeAR) over "Michelle Obama" (1).
const SURNAME_DOMINANCE: u64 = 4;

/// One row per person: counts re-keyed by [`canonical_key`] (an index built before the key
/// had its rules holds variants), a name with middle names added to the same name without
/// them, a bare surname to the full name that clearly owns it ([`SURNAME_DOMINANCE`]); only
/// names that pass [`is_listable`] take part in a merge. Article
/// counts of merged names are summed: the extractor already gives one name per person
/// within an article, so few articles are counted twice.
fn group(counts: Counts) -> Counts {
    let mut by_key: Counts = HashMap::with_capacity(counts.len());
    for (name, c) in counts {
        add(&mut by_key, canonical_key(&name), c);
    }
    let middle: Vec<(String, String)> = by_key
        .keys()
        .filter_map(|name| {
            let words: Vec<&str> = name.split(' ').collect();
            let short = format!("{} {}", words.first()?, words.last()?);
            let merge = words.len() > 2 && by_key.contains_key(&short) && is_listable(&short);
            merge.then(|| (name.clone(), short))
        })
        .collect();
    for (name, short) in middle {
        move_counts(&mut by_key, &name, short);
    }
    for (single, owner) in surname_owners(&by_key) {
        move_counts(&mut by_key, &single, owner);
    }
    by_key
}

fn add(counts: &mut Counts, name: String, (q, a): (u64, u64)) {
    let e = counts.entry(name).or_default();
    e.0 += q;
    e.1 += a;
}

fn move_counts(counts: &mut Counts, from: &str, to: String) {
    if let Some(c) = counts.remove(from) {
        add(counts, to, c);
    }
}

/// (bare surname, the full name it is merged into), per [`SURNAME_DOMINANCE`].
fn surname_owners(counts: &Counts) -> Vec<(String, String)> {
    // Lower-case surname -> (best full name, its quotes, the others' quotes).
    let mut best: HashMap<String, (&str, u64, u64)> = HashMap::new();
    for (name, &(q, _)) in counts {
        let Some((_, last)) = name.rsplit_once(' ') else {
            continue;
        };
        let e = best.entry(last.to_lowercase()).or_insert((name, 0, 0));
        if q > e.1 || (q == e.1 && name.as_str() < e.0) {
            *e = (name, q, e.2 + e.1);
        } else {
            e.2 += q;
        }
    }
    counts
        .keys()
        .filter(|k| !k.contains(' '))
        .filter_map(|single| {
            let &(owner, q, others) = best.get(&single.to_lowercase())?;
            let merge =
                q >= SURNAME_DOMINANCE * others && is_listable(single) && is_listable(owner);
            merge.then(|| (single.clone(), owner.to_string()))
        })
        .collect()
}

/// The page of `limit` speakers and how many there are: names that are not of a person or
/// an organisation ([`is_listable`]) left out of both, so that `total` (and `stats`) count
/// exactly the speakers `speakers` can list.
fn list(counts: Counts, limit: usize, warnings: Vec<String>) -> SpeakerList {
    let listable: Counts = counts
        .into_iter()
        .filter(|(name, _)| is_listable(name))
        .collect();
    SpeakerList {
        total: listable.len() as u64,
        rows: rank(listable, limit),
        warnings,
        suggestion: None,
    }
}

/// Most quotes first, then most articles, then by name.
fn rank(counts: Counts, limit: usize) -> Vec<SpeakerCount> {
    let mut v: Vec<(String, (u64, u64))> = counts.into_iter().collect();
    v.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .1.cmp(&a.1 .1))
            .then(a.0.cmp(&b.0))
    });
    v.into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, (speaker, (quotes, articles)))| SpeakerCount {
            rank: i + 1,
            speaker,
            quotes,
            articles,
        })
        .collect()
}

impl Engine {
    /// Named speakers in the index: what `count_speakers` lists with no topic.
    pub fn speaker_total(&self) -> Result<u64> {
        let counts = all_speaker_counts(&self.searcher(), &self.ni.fields)?;
        Ok(list(group(counts), 0, Vec::new()).total)
    }
}

/// Counts over every quote without visiting documents: a speaker's quote count is the
/// document frequency of their name in the quote documents' name field, their article count
/// the same in the articles' name field. Segments with deleted documents have stale
/// frequencies, so there the postings are walked and checked against the live documents.
fn all_speaker_counts(
    searcher: &tantivy::Searcher,
    f: &crate::index::Fields,
) -> Result<HashMap<String, (u64, u64)>> {
    use tantivy::schema::IndexRecordOption;
    use tantivy::DocSet;
    let mut out: HashMap<String, (u64, u64)> = HashMap::new();
    for seg in searcher.segment_readers() {
        for (field, is_quote) in [(f.q_speaker_name, true), (f.speaker_name, false)] {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                let n = match seg.alive_bitset() {
                    None => u64::from(stream.value().doc_freq),
                    Some(alive) => {
                        let mut postings = inv.read_postings_from_terminfo(
                            stream.value(),
                            IndexRecordOption::Basic,
                        )?;
                        let mut n = 0;
                        while postings.doc() != tantivy::TERMINATED {
                            n += u64::from(alive.is_alive(postings.doc()));
                            postings.advance();
                        }
                        n
                    }
                };
                if n == 0 {
                    continue;
                }
                let e = out
                    .entry(String::from_utf8_lossy(stream.key()).into_owned())
                    .or_default();
                if is_quote {
                    e.0 += n;
                } else {
                    e.1 += n;
                }
            }
        }
    }
    // Named people and organisations only: unnamed sources ("analysts") are not on the
    // articles' speaker lists.
    out.retain(|_, (q, a)| *q > 0 && *a > 0);
    Ok(out)
}

/// A page of speakers from counts gathered elsewhere (a SolrCloud collection): the same
/// grouping, listing rules and order as [`Engine::count_speakers`].
pub(crate) fn speaker_list(
    counts: HashMap<String, (u64, u64)>,
    limit: usize,
    warnings: Vec<String>,
) -> SpeakerList {
    list(group(counts), limit, warnings)
}
