//! Search: parse the query, rank with BM25 and field boosts, build highlighted snippets;
//! the same for quote documents, and speaker counts over matching quotes.

pub(crate) mod article;
mod article_quotes;
pub(crate) mod collapse;
mod context;
pub(crate) mod copies;
mod day_filter;
mod highlight;
pub(crate) mod locate;
mod quote_columns;
use quote_columns::QuoteColumns;
pub(crate) mod in_quotes;
pub(crate) mod meta;
pub(crate) mod overview;
pub(crate) mod prefix;
pub(crate) mod query;
pub use query::{check_nesting, MAX_QUERY_NESTING};
mod rewrite;
pub(crate) mod speaker_dates;
pub(crate) mod speakers;
pub(crate) mod stats;
mod suggest;
mod topic_quotes;
mod word;

use std::sync::OnceLock;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::document::{TantivyDocument, Value};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, ReloadPolicy, Searcher};

use crate::index::NewsIndex;
pub(crate) use crate::ingest::dates::{parse_period, Period as DatePeriod};
pub(crate) use article::Article;
pub(crate) use meta::{CountRequest, CountResults, DateRange, Facet, Period, Sort};
pub(crate) use overview::Overview;
pub(crate) use query::Target;
pub(crate) use speakers::SpeakerCount;
pub(crate) use topic_quotes::{counted_quotes_query, TOPIC_ARTICLES};

/// A highlighted passage: `highlights` are byte ranges into `text`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleHit {
    pub rank: usize,
    pub score: f32,
    pub path: String,
    pub title: String,
    pub category: String,
    /// Publication date (`2016-06-21`), where known.
    pub date: Option<String>,
    /// The outlet, where known.
    pub source: Option<String>,
    /// The article's file on disk, where the index knows its corpus folder.
    pub location: Option<String>,
    /// The authors, where known.
    pub author: Option<String>,
    /// The article's address on the web, where known.
    pub url: Option<String>,
    pub snippet: Snippet,
    pub speakers: Vec<String>,
    /// The article's quote that best matches the query, if any (when asked for).
    pub quote: Option<QuoteHit>,
    /// Matching articles folded into this hit as its duplicates (`search::collapse`); 0
    /// with `--all`.
    pub duplicates: usize,
    /// The paths of the first [`collapse::ALSO_IN_PATHS`] of them, sorted.
    pub also_in: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteHit {
    pub rank: usize,
    pub score: f32,
    pub speaker: Option<String>,
    pub kind: String,
    pub cue: String,
    pub description: Option<String>,
    pub quote: Snippet,
    pub path: String,
    /// Its article's file on disk, where the index knows its corpus folder.
    pub location: Option<String>,
    pub title: String,
    /// Its article's publication date and outlet, where known.
    pub date: Option<String>,
    pub source: Option<String>,
    pub start: u64,
    pub end: u64,
    /// What the hit matched: its own text ("quote") or its article's topic ("article").
    pub matched: &'static str,
    /// The sentence of the article that attributes the quote (when asked for).
    pub context: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results<H> {
    pub query: String,
    pub hits: Vec<H>,
    /// All matching documents; `None` when not counted (batch mode).
    pub total: Option<usize>,
    pub warnings: Vec<String>,
    pub took_ms: f64,
    /// When nothing matches: the query with its unknown words respelt, which has hits.
    pub suggestion: Option<String>,
}

pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub snippets: bool,
    pub count_total: bool,
    pub snippet_chars: usize,
    /// Look up, for each article hit, its best matching quote and who said it.
    pub with_quotes: bool,
    /// Give each quote hit the sentence that attributes it.
    pub context: bool,
    pub sort: Sort,
    /// One hit per duplicate cluster (`search::collapse`); false: every matching article.
    pub collapse: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            snippets: true,
            count_total: true,
            snippet_chars: 200,
            with_quotes: false,
            context: false,
            sort: Sort::Relevance,
            collapse: true,
        }
    }
}

type ScoredDoc = (f32, DocAddress);

/// What a quote hit shows of its article.
#[derive(Default)]
struct ArticleText {
    title: String,
    body: String,
    date: Option<String>,
    source: Option<String>,
}

impl ArticleText {
    fn of(doc: &TantivyDocument, f: &crate::index::Fields) -> ArticleText {
        ArticleText {
            title: first_str(doc, f.title),
            body: first_str(doc, f.body),
            date: non_empty(first_str(doc, f.date)),
            source: non_empty(first_str(doc, f.outlet)),
        }
    }
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// An open index ready for many queries. It searches one snapshot of the index, the one
/// it opened, so each segment's columns are opened once and serve every query.
pub struct Engine {
    pub ni: NewsIndex,
    searcher: Searcher,
    columns: Vec<OnceLock<QuoteColumns>>,
    article_parser: tantivy::query::QueryParser,
    quote_parser: tantivy::query::QueryParser,
    /// Every query is limited to these publication days.
    dates: DateRange,
    /// The corpus folders of the index, where hits' files are.
    roots: Vec<crate::index::roots::Root>,
    /// The index's duplicate clusters and copied quotes, found when first asked for.
    clusters: std::sync::Arc<OnceLock<std::sync::Arc<copies::Clusters>>>,
    quote_copies: std::sync::Arc<OnceLock<std::sync::Arc<copies::QuoteCopies>>>,
}

fn first_str(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

impl highlight::Passage {
    /// The passage of `text` as a snippet.
    fn snippet(&self, text: &str) -> Snippet {
        Snippet {
            text: text[self.range.clone()].to_string(),
            highlights: self.highlights.iter().map(|r| [r.start, r.end]).collect(),
        }
    }
}

/// The start of a text, cut at a word boundary: the snippet of a hit whose body has no match.
fn head(text: &str, max_chars: usize) -> Snippet {
    let mut end = text.len();
    if let Some((i, _)) = text.char_indices().nth(max_chars) {
        end = text[..i].rfind(char::is_whitespace).unwrap_or(i);
    }
    Snippet {
        text: text[..end].trim_end().to_string(),
        highlights: Vec::new(),
    }
}

impl Engine {
    pub fn open(ni: NewsIndex) -> Result<Engine> {
        let reader = ni
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", ni.dir.display()))?;
        let article_parser = query::parser(&ni.index, &ni.fields, Target::Articles);
        let quote_parser = query::parser(&ni.index, &ni.fields, Target::Quotes);
        let searcher = reader.searcher();
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|_| OnceLock::new())
            .collect();
        Ok(Engine {
            roots: ni.last_run().map(|r| r.roots).unwrap_or_default(),
            ni,
            searcher,
            columns,
            article_parser,
            quote_parser,
            dates: DateRange::default(),
            clusters: Default::default(),
            quote_copies: Default::default(),
        })
    }

    /// Limits every later query to articles (and their quotes) published in `dates`.
    pub(crate) fn set_dates(&mut self, dates: DateRange) {
        self.dates = dates;
    }

    /// This engine limited to `dates`, for one request of a server that shares the engine
    /// between requests. The snapshot, parsers and segment columns are shared handles, so
    /// this costs a few reference counts, not a reopening.
    pub(crate) fn with_dates(&self, dates: DateRange) -> Engine {
        Engine {
            ni: NewsIndex {
                index: self.ni.index.clone(),
                fields: self.ni.fields,
                dir: self.ni.dir.clone(),
            },
            searcher: self.searcher.clone(),
            columns: self.columns.clone(),
            article_parser: self.article_parser.clone(),
            quote_parser: self.quote_parser.clone(),
            roots: self.roots.clone(),
            dates,
            clusters: self.clusters.clone(),
            quote_copies: self.quote_copies.clone(),
        }
    }

    /// Facet counts and a histogram over every document of the request's kind that matches
    /// `input`.
    pub(crate) fn count(&self, input: &str, request: &CountRequest) -> Result<CountResults> {
        if request.is_empty() {
            return Ok(CountResults::default());
        }
        let mut parsed = self.parse(request.target, input)?;
        if request.target == Target::Quotes {
            parsed.query = self.without_copies(parsed.query)?;
        }
        meta::count(&self.searcher, parsed.query.as_ref(), request)
            .with_context(|| format!("counting the matches of query {input:?} failed"))
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.searcher.clone()
    }

    /// The columns of the segment that holds `addr`, in [`Engine::searcher`].
    fn columns(&self, addr: DocAddress) -> Result<&QuoteColumns> {
        let cell = &self.columns[addr.segment_ord as usize];
        if let Some(c) = cell.get() {
            return Ok(c);
        }
        let c = QuoteColumns::open(self.searcher.segment_reader(addr.segment_ord))?;
        Ok(cell.get_or_init(|| c))
    }

    pub(crate) fn parse(&self, target: Target, q: &str) -> Result<query::ParsedQuery> {
        let p = match target {
            Target::Articles => &self.article_parser,
            Target::Quotes => &self.quote_parser,
        };
        let mut parsed = query::parse(p, &self.searcher, &self.ni.fields, target, q)?;
        parsed.query = self.dates.apply(parsed.query);
        Ok(parsed)
    }

    /// The hits at ranks `offset + 1 ..= offset + limit`, and the number of matches when
    /// asked for. `limit` and `offset` are clamped to the documents of the kind: the
    /// collector reserves room for `limit + offset` hits up front, so `-n 1000000000000`
    /// would otherwise ask for terabytes. A limit of 0 gives no hits.
    fn top(
        &self,
        searcher: &Searcher,
        target: Target,
        q: &dyn tantivy::query::Query,
        opts: &SearchOptions,
    ) -> Result<(Vec<ScoredDoc>, Option<usize>)> {
        let f = &self.ni.fields;
        let stats = match target {
            Target::Articles => stats::KindStats::articles(searcher, f),
            Target::Quotes => stats::KindStats::quotes(searcher, f),
        };
        let docs = usize::try_from(stats.num_docs()).unwrap_or(usize::MAX);
        if opts.limit == 0 || opts.offset >= docs {
            let n = if opts.count_total {
                Some(searcher.search_with_statistics_provider(q, &Count, &stats)?)
            } else {
                None
            };
            return Ok((Vec::new(), n));
        }
        let top = TopDocs::with_limit(opts.limit.min(docs)).and_offset(opts.offset);
        if opts.count_total && opts.sort == Sort::Relevance && !self.dates.is_open() {
            // A date range keeps few of the matches, and the top collector's pruning skips
            // little when the matches it is offered are few: one pass that scores every
            // match and keeps those in range cost less than counting and ranking apart
            // (benches/RESULTS.md, 2026-12-04).
            let (total, hits) = searcher.search_with_statistics_provider(
                q,
                &(Count, top.order_by_score()),
                &stats,
            )?;
            return Ok((hits, Some(total)));
        }
        // Counted apart, without scores: collected together with the top hits, every
        // match would be scored and the top collector could skip none.
        let total = if opts.count_total {
            Some(searcher.search(q, &Count)?)
        } else {
            None
        };
        if opts.sort != Sort::Relevance {
            let by_date = top.tweak_score(meta::date_key(opts.sort == Sort::Newest));
            let hits = searcher.search_with_statistics_provider(q, &by_date, &stats)?;
            let hits = hits
                .into_iter()
                .map(|((_, score), addr)| (score, addr))
                .collect();
            return Ok((hits, total));
        }
        let hits = searcher.search_with_statistics_provider(q, &top.order_by_score(), &stats)?;
        Ok((hits, total))
    }

    /// The article page `opts` asks for, one hit per duplicate cluster unless
    /// `opts.collapse` is off, with each hit's copies, and the number of matching articles.
    fn ranked_articles(
        &self,
        searcher: &Searcher,
        q: &dyn tantivy::query::Query,
        opts: &SearchOptions,
    ) -> Result<(Vec<ScoredDoc>, Option<usize>, Vec<collapse::Copies>)> {
        if !opts.collapse || opts.limit == 0 {
            let (top, total) = self.top(searcher, Target::Articles, q, opts)?;
            let copies = vec![collapse::Copies::default(); top.len()];
            return Ok((top, total, copies));
        }
        self.top_collapsed(searcher, q, opts)
    }

    pub fn search(&self, input: &str, opts: &SearchOptions) -> Result<Results<ArticleHit>> {
        self.search_snippets_for(input, opts, usize::MAX)
    }

    /// [`Engine::search`], but with snippets (when `opts.snippets`) for the first
    /// `snippet_hits` hits only; the others get an empty snippet. For callers that show one
    /// snippet, such as a benchmark harness that wants the top hit's.
    pub fn search_snippets_for(
        &self,
        input: &str,
        opts: &SearchOptions,
        snippet_hits: usize,
    ) -> Result<Results<ArticleHit>> {
        let started = Instant::now();
        let parsed = self.parse(Target::Articles, input)?;
        let searcher = self.searcher();
        let f = &self.ni.fields;
        let (top, total, copies) = self
            .ranked_articles(&searcher, parsed.query.as_ref(), opts)
            .with_context(|| format!("search failed for query {input:?}"))?;
        let snippets = if opts.snippets && snippet_hits > 0 && !top.is_empty() {
            Some(highlight::generator(
                &searcher,
                &parsed,
                f.body,
                opts.snippet_chars,
            )?)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        // The hits' bodies and addresses, kept when their quotes are wanted: a quote's text
        // is read from its article's body, and its document follows its article's.
        let mut bodies = Vec::new();
        let mut addrs = Vec::new();
        for (i, ((score, addr), copies)) in top.into_iter().zip(copies).enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let snippet = match &snippets {
                Some(g) if i < snippet_hits => g
                    .snippet_of_doc(&doc)
                    .unwrap_or_else(|| head(&first_str(&doc, f.body), opts.snippet_chars)),
                _ => Snippet::default(),
            };
            let path = first_str(&doc, f.path);
            hits.push(ArticleHit {
                rank: opts.offset + i + 1,
                score,
                location: self.location(&path),
                path,
                title: first_str(&doc, f.title),
                category: first_str(&doc, f.category),
                date: non_empty(first_str(&doc, f.date)),
                source: non_empty(first_str(&doc, f.outlet)),
                author: non_empty(first_str(&doc, f.author)),
                url: non_empty(first_str(&doc, f.url)),
                snippet,
                speakers: doc
                    .get_all(f.speaker_name)
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
                quote: None,
                duplicates: copies.count,
                also_in: copies.paths,
            });
            if opts.with_quotes {
                bodies.push(first_str(&doc, f.body));
                addrs.push(addr);
            }
        }
        if opts.with_quotes && !hits.is_empty() {
            self.attach_quotes(&searcher, input, &mut hits, &addrs, bodies, opts)?;
        }
        let suggestion = if matched_nothing(&hits, total, opts) {
            self.suggest(Target::Articles, input)?
        } else {
            None
        };
        Ok(Results {
            query: input.to_string(),
            hits,
            total,
            warnings: parsed.warnings,
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            suggestion,
        })
    }

    /// The quote document at `addr` (in [`Engine::searcher`]) as a hit ranked first;
    /// callers renumber. Its article is looked up unless the caller has it already.
    fn quote_hit(
        &self,
        addr: DocAddress,
        score: f32,
        generator: Option<&highlight::Highlighter>,
        opts: &SearchOptions,
        article: Option<ArticleText>,
    ) -> Result<QuoteHit> {
        let f = &self.ni.fields;
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let doc = &doc;
        let columns = self.columns(addr)?;
        let id = addr.doc_id;
        let path = columns.path(id);
        let article = match article {
            Some(a) => a,
            None => self.article_of_quote(columns, addr)?,
        };
        let text = self.quote_text(doc, id, columns, &article.body);
        let max = opts.snippet_chars.max(400);
        let quote = match generator {
            Some(g) if text.chars().count() > max => g
                .passage(&text)
                .map_or_else(Snippet::default, |p| p.snippet(&text)),
            Some(g) => {
                // Whole quote, with the highlights of its best passage, placed where the
                // passage's text first occurs (as before passages were chosen here).
                let (offset, highlights) = match g.passage(&text) {
                    Some(p) => (text.find(&text[p.range]).unwrap_or(0), p.highlights),
                    None => (0, Vec::new()),
                };
                Snippet {
                    highlights: highlights
                        .iter()
                        .map(|r| [r.start + offset, r.end + offset])
                        .collect(),
                    text,
                }
            }
            None => Snippet {
                text,
                highlights: Vec::new(),
            },
        };
        let (start, end) = columns.span(id);
        let context = opts
            .context
            .then(|| columns.body_span(id))
            .flatten()
            .and_then(|(s, e)| context::context(&article.body, s, e));
        Ok(QuoteHit {
            rank: 1,
            score,
            speaker: columns.speaker(id),
            kind: columns.kind(id),
            cue: columns.cue(id),
            description: Some(first_str(doc, f.q_description)).filter(|s| !s.is_empty()),
            quote,
            location: self.location(&path),
            path,
            title: article.title,
            date: article.date,
            source: article.source,
            start,
            end,
            matched: topic_quotes::MATCHED_QUOTE,
            context,
        })
    }

    /// A quote document's text: its own, or the part of the article body it points to.
    fn quote_text(
        &self,
        doc: &TantivyDocument,
        doc_id: DocId,
        columns: &QuoteColumns,
        body: &str,
    ) -> String {
        if let Some(own) = doc
            .get_first(self.ni.fields.q_own_text)
            .and_then(|v| v.as_str())
        {
            return own.to_string();
        }
        columns
            .body_span(doc_id)
            .and_then(|(s, e)| body.get(s..e))
            .unwrap_or("")
            .to_string()
    }

    /// The title and body of the article of the quote document at `addr`. Quote documents
    /// do not repeat them, to keep the index small; a quote hit looks them up.
    fn article_of_quote(&self, columns: &QuoteColumns, addr: DocAddress) -> Result<ArticleText> {
        let Some(id) = columns.article_of(addr.doc_id) else {
            return Ok(ArticleText::default());
        };
        let doc: TantivyDocument = self.searcher.doc(DocAddress::new(addr.segment_ord, id))?;
        Ok(ArticleText::of(&doc, &self.ni.fields))
    }

    pub fn search_quotes(&self, input: &str, opts: &SearchOptions) -> Result<Results<QuoteHit>> {
        let started = Instant::now();
        let mut parsed = self.parse(Target::Quotes, input)?;
        // A quote repeated by copies of its article is listed and counted once.
        parsed.query = self.without_copies(parsed.query)?;
        let searcher = self.searcher();
        let f = &self.ni.fields;
        let (top, total) = self
            .top(&searcher, Target::Quotes, parsed.query.as_ref(), opts)
            .with_context(|| format!("quote search failed for query {input:?}"))?;
        let generator = if opts.snippets && !top.is_empty() {
            // A quote is shown whole unless it is very long.
            let max = opts.snippet_chars.max(400);
            Some(highlight::generator(&searcher, &parsed, f.q_text, max)?)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        for (i, (score, addr)) in top.into_iter().enumerate() {
            let mut hit = self.quote_hit(addr, score, generator.as_ref(), opts, None)?;
            hit.rank = opts.offset + i + 1;
            hits.push(hit);
        }
        Ok(Results {
            query: input.to_string(),
            hits,
            total,
            warnings: parsed.warnings,
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            suggestion: None,
        })
    }
}

/// Whether a search matched nothing at all (not: its page is past the last match).
fn matched_nothing<H>(hits: &[H], total: Option<usize>, opts: &SearchOptions) -> bool {
    total.map_or(hits.is_empty() && opts.offset == 0, |n| n == 0)
}
