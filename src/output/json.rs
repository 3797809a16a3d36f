//! JSON Lines records. Field names here are the documented, stable interface for scripts.

use serde::Serialize;
use serde_json::json;

use crate::search::meta::{FacetCounts, Histogram};
use crate::search::speakers::SpeakerList;
use crate::search::{Article, ArticleHit, CountResults, Overview, QuoteHit, Results, SpeakerCount};

/// A record with its `"type"` first.
#[derive(Serialize)]
pub struct Typed<'a, T: Serialize> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(flatten)]
    pub inner: &'a T,
}

pub fn typed<T: Serialize>(kind: &'static str, inner: &T) -> String {
    serde_json::to_string(&Typed { kind, inner }).expect("record serializes")
}

/// One line per hit, `"type": "hit"`, then one `"type": "summary"` line.
pub fn search_lines<H: Serialize>(r: &Results<H>) -> Vec<String> {
    let mut out = Vec::with_capacity(r.hits.len() + 1);
    for h in &r.hits {
        out.push(typed("hit", h));
    }
    let total = r.total.unwrap_or(r.hits.len());
    let s = Summary {
        query: &r.query,
        returned: r.hits.len(),
        total: total as u64,
        warnings: &r.warnings,
        took_ms: r.took_ms,
        suggestion: r.suggestion.as_deref(),
    };
    out.push(summary(&s).to_string());
    out
}

/// What the summary line says.
pub struct Summary<'a> {
    pub query: &'a str,
    pub returned: usize,
    pub total: u64,
    pub warnings: &'a [String],
    pub took_ms: f64,
    pub suggestion: Option<&'a str>,
}

/// The `"type": "summary"` line that ends `search`, `quotes` and `speakers` output
/// (`schema/summary.json`).
pub fn summary(s: &Summary) -> serde_json::Value {
    json!({
        "type": "summary",
        "query": s.query,
        "returned": s.returned,
        "total": s.total,
        "warnings": s.warnings,
        "took_ms": (s.took_ms * 1000.0).round() / 1000.0,
        "suggestion": s.suggestion,
    })
}

/// One `search --batch` line (`schema/batch.json`): the query's hits, each as `search
/// --json` prints it, and the counts of its summary line.
pub fn batch_line(r: &Results<ArticleHit>) -> String {
    let flat = flat_articles(r);
    page("hit", &flat, flat.total.unwrap_or(flat.hits.len()) as u64)
}

/// One page of results as one object: the records of the JSON Lines output (`"type":
/// kind`) under `hits`, beside the counts of their summary line. A `search --batch` line,
/// and the body of the HTTP API's answers.
pub fn page<H: Serialize>(kind: &'static str, r: &Results<H>, total: u64) -> String {
    page_of(kind, r, total, None)
}

/// A [`page`] with the counts the CLI prints as `"type": "facet"` and `"type":
/// "histogram"` lines: `facets` (a list of those records) and `histogram` (one, or null).
pub fn counted_page<H: Serialize>(
    kind: &'static str,
    r: &Results<H>,
    total: u64,
    counts: &CountResults,
) -> String {
    page_of(kind, r, total, Some(counts))
}

fn page_of<H: Serialize>(
    kind: &'static str,
    r: &Results<H>,
    total: u64,
    counts: Option<&CountResults>,
) -> String {
    #[derive(Serialize)]
    struct Counts<'a> {
        facets: Vec<Typed<'a, FacetCounts>>,
        histogram: Option<Typed<'a, Histogram>>,
    }
    #[derive(Serialize)]
    struct Page<'a, H: Serialize> {
        query: &'a str,
        hits: Vec<Typed<'a, H>>,
        returned: usize,
        total: u64,
        warnings: &'a [String],
        took_ms: f64,
        suggestion: Option<&'a str>,
        #[serde(flatten)]
        counts: Option<Counts<'a>>,
    }
    let counts = counts.map(|c| Counts {
        facets: c
            .facets
            .iter()
            .map(|f| Typed {
                kind: "facet",
                inner: f,
            })
            .collect(),
        histogram: c.histogram.as_ref().map(|h| Typed {
            kind: "histogram",
            inner: h,
        }),
    });
    let line = Page {
        query: &r.query,
        hits: r.hits.iter().map(|h| Typed { kind, inner: h }).collect(),
        returned: r.hits.len(),
        total,
        warnings: &r.warnings,
        took_ms: (r.took_ms * 1000.0).round() / 1000.0,
        suggestion: r.suggestion.as_deref(),
        counts,
    };
    serde_json::to_string(&line).expect("record serializes")
}

/// A list of speakers as [`page`] gives it.
pub fn speakers_page(query: &str, list: &SpeakerList, took_ms: f64) -> String {
    let r = Results {
        query: query.to_string(),
        hits: list.rows.iter().collect::<Vec<&SpeakerCount>>(),
        total: None,
        warnings: list.warnings.clone(),
        took_ms,
        suggestion: list.suggestion.clone(),
    };
    page("speaker", &r, list.total)
}

/// The `stats --json` line (`schema/stats.json`).
pub fn stats(o: &Overview) -> String {
    serde_json::to_string(o).expect("record serializes")
}

/// One whole article with its quotes (`schema/article.json`).
pub fn article(a: &Article) -> String {
    typed("article", a)
}

/// Flattened article hit: `snippet` is the text, `highlights` its byte ranges.
#[derive(Serialize)]
pub struct FlatArticleHit<'a> {
    pub rank: usize,
    pub score: f32,
    pub path: &'a str,
    /// The article's file on disk; null when the index does not know its folder.
    pub location: Option<&'a str>,
    pub title: &'a str,
    pub category: &'a str,
    /// Publication date, `YYYY-MM-DD`; null when unknown.
    pub date: Option<&'a str>,
    /// The outlet; null when unknown.
    pub source: Option<&'a str>,
    pub author: Option<&'a str>,
    /// The article's address on the web; null when unknown.
    pub url: Option<&'a str>,
    pub snippet: &'a str,
    pub highlights: &'a [[usize; 2]],
    pub speakers: &'a [String],
    /// The article's best matching quote; null when none matches or snippets are off.
    pub quote: Option<FlatQuoteHit<'a>>,
    /// Matching articles folded into this hit as copies of it (0 with `--all`).
    pub duplicates: usize,
    /// The paths of the first 20 of them, sorted.
    pub also_in: &'a [String],
}

impl<'a> From<&'a ArticleHit> for FlatArticleHit<'a> {
    fn from(h: &'a ArticleHit) -> Self {
        FlatArticleHit {
            rank: h.rank,
            score: h.score,
            path: &h.path,
            location: h.location.as_deref(),
            title: &h.title,
            category: &h.category,
            date: h.date.as_deref(),
            source: h.source.as_deref(),
            author: h.author.as_deref(),
            url: h.url.as_deref(),
            snippet: &h.snippet.text,
            highlights: &h.snippet.highlights,
            speakers: &h.speakers,
            quote: h.quote.as_ref().map(Into::into),
            duplicates: h.duplicates,
            also_in: &h.also_in,
        }
    }
}

#[derive(Serialize)]
pub struct FlatQuoteHit<'a> {
    pub rank: usize,
    pub score: f32,
    pub speaker: Option<&'a str>,
    pub kind: &'a str,
    pub cue: &'a str,
    pub description: Option<&'a str>,
    pub quote: &'a str,
    pub highlights: &'a [[usize; 2]],
    pub path: &'a str,
    /// The article's file on disk; null when the index does not know its folder.
    pub location: Option<&'a str>,
    pub title: &'a str,
    /// The article's publication date and outlet; null when unknown.
    pub date: Option<&'a str>,
    pub source: Option<&'a str>,
    pub start: u64,
    pub end: u64,
    /// "quote": the quote's text matched; "article": only its article is about the topic.
    pub matched: &'a str,
    /// The sentence that attributes the quote (`quotes --context`); null without it, like
    /// every field that does not apply.
    pub context: Option<&'a str>,
}

impl<'a> From<&'a QuoteHit> for FlatQuoteHit<'a> {
    fn from(h: &'a QuoteHit) -> Self {
        FlatQuoteHit {
            rank: h.rank,
            score: h.score,
            speaker: h.speaker.as_deref(),
            kind: &h.kind,
            cue: &h.cue,
            description: h.description.as_deref(),
            quote: &h.quote.text,
            highlights: &h.quote.highlights,
            path: &h.path,
            location: h.location.as_deref(),
            title: &h.title,
            date: h.date.as_deref(),
            source: h.source.as_deref(),
            start: h.start,
            end: h.end,
            matched: h.matched,
            context: h.context.as_deref(),
        }
    }
}

pub fn flat_articles(r: &Results<ArticleHit>) -> Results<FlatArticleHit<'_>> {
    Results {
        query: r.query.clone(),
        hits: r.hits.iter().map(Into::into).collect(),
        total: r.total,
        warnings: r.warnings.clone(),
        took_ms: r.took_ms,
        suggestion: r.suggestion.clone(),
    }
}

pub fn flat_quotes(r: &Results<QuoteHit>) -> Results<FlatQuoteHit<'_>> {
    Results {
        query: r.query.clone(),
        hits: r.hits.iter().map(Into::into).collect(),
        total: r.total,
        warnings: r.warnings.clone(),
        took_ms: r.took_ms,
        suggestion: r.suggestion.clone(),
    }
}

/// One `"type": "facet"` line per facet (`schema/facet.json`) and a `"type": "histogram"`
/// line (`schema/histogram.json`), printed before the summary line.
pub fn count_lines(c: &CountResults) -> Vec<String> {
    let mut out: Vec<String> = c.facets.iter().map(|f| typed("facet", f)).collect();
    out.extend(c.histogram.iter().map(|h| typed("histogram", h)));
    out
}
