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

#[derive(Debug, Clone, Serialize)]
pub struct SpeakerCount {
    pub rank: usize,
    pub speaker: String,
    pub quotes: u64,
    pub articles: u64,
}

struct SpeakerCollector;

struct SegmentSpeakers {
    names: Option<StrColumn>,
    paths: Option<StrColumn>,
    /// speaker ordinal -> (quotes, articles, path ordinal of the last article counted).
    /// An article's documents are contiguous in a segment (they are added as one batch),
    /// so comparing with the last article is enough to count distinct articles.
    counts: HashMap<u64, (u64, u64, u64)>,
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
        Ok(SegmentSpeakers {
            names: ff.str(names::Q_SPEAKER_NAME)?,
            paths: ff.str(names::PATH)?,
            counts: HashMap::new(),
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
        let path = self
            .paths
            .as_ref()
            .and_then(|p| p.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let e = self.counts.entry(ord).or_insert((0, 0, u64::MAX - 1));
        e.0 += 1;
        if e.2 != path {
            e.1 += 1;
            e.2 = path;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::with_capacity(self.counts.len());
        let Some(names) = self.names else { return out };
        let mut buf = String::new();
        for (ord, (q, articles, _)) in self.counts {
            buf.clear();
            if names.ord_to_str(ord, &mut buf).unwrap_or(false) {
                out.insert(buf.clone(), (q, articles));
            }
        }
        out
    }
}

impl Engine {
    /// Speakers of the quotes matching `input`, most quotes first. An empty query counts
    /// every quote in the index.
    pub fn count_speakers(
        &self,
        input: &str,
        limit: usize,
    ) -> Result<(Vec<SpeakerCount>, Vec<String>)> {
        let searcher = self.searcher();
        let (query, warnings): (Box<dyn tantivy::query::Query>, Vec<String>) =
            if input.trim().is_empty() {
                let t = tantivy::Term::from_field_text(
                    self.ni.fields.doc_type,
                    crate::index::schema::DOC_QUOTE,
                );
                (
                    Box::new(tantivy::query::TermQuery::new(
                        t,
                        tantivy::schema::IndexRecordOption::Basic,
                    )),
                    Vec::new(),
                )
            } else {
                let p = self.parse(Target::Quotes, input)?;
                (p.query, p.warnings)
            };
        let counts = searcher
            .search(query.as_ref(), &SpeakerCollector)
            .with_context(|| format!("speaker count failed for query {input:?}"))?;
        let mut v: Vec<(String, (u64, u64))> = counts.into_iter().collect();
        v.sort_by(|a, b| {
            b.1 .0
                .cmp(&a.1 .0)
                .then(b.1 .1.cmp(&a.1 .1))
                .then(a.0.cmp(&b.0))
        });
        let out = v
            .into_iter()
            .take(limit)
            .enumerate()
            .map(|(i, (speaker, (quotes, articles)))| SpeakerCount {
                rank: i + 1,
                speaker,
                quotes,
                articles,
            })
            .collect();
        Ok((out, warnings))
    }
}
