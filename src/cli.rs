//! The command line: the one source of `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::ingest::dates::{parse_period, Period};
use crate::ingest::jsonl::{parse_field_key, FieldKey};
use crate::output::ColorChoice;

#[derive(Parser, Debug)]
#[command(
    name = "newsdex",
    version,
    about = "Full-text search for folders of news articles, with who-said-what quote search"
)]
pub struct Cli {
    /// When to colour terminal output (NO_COLOR is honoured under `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// The index a command builds or reads. Every command but `parse` takes one.
#[derive(Args, Debug, Clone)]
pub struct IndexDir {
    /// Index folder to build or search.
    #[arg(long, short = 'i', default_value = "index", env = "NEWSDEX_INDEX")]
    pub index: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index folders of articles (.txt, .md, saved web pages .html/.htm, and .jsonl/.ndjson
    /// exports with one article per line); later runs only re-read changed files.
    Index(IndexArgs),
    /// Search articles: ranked, with highlighted snippets.
    Search(SearchArgs),
    /// Search quotations: who said what, with the speaker of each quote.
    Quotes(QuotesArgs),
    /// Who is quoted most, overall or on a topic.
    Speakers(SpeakersArgs),
    /// Print one indexed article: its metadata, its body with each quote marked, and who
    /// said each quote (exit status 1 when the index holds no such article).
    Show(ShowArgs),
    /// Write every hit (or quote) of a query with its metadata, as CSV or JSON Lines.
    Export(ExportArgs),
    /// Show how the ingester reads article files: title, body, quotes and speakers.
    Parse(ParseArgs),
    /// Articles, quotes, speakers and size of the index, and its last run.
    Stats(StatsArgs),
    /// Serve the index over HTTP: a JSON API and a web page (read-only, no authentication).
    Serve(ServeArgs),
    /// Send a corpus folder to a SolrCloud collection, read exactly as `index` reads it;
    /// later runs send only changed files and remove deleted ones.
    Push(PushArgs),
    /// Set up a SolrCloud collection for newsdex.
    #[command(subcommand)]
    Solr(SolrCommand),
}

/// Where a SolrCloud collection is: the one place these settings are read.
#[derive(Args, Debug, Clone)]
pub struct SolrConn {
    /// SolrCloud node URLs, comma-separated (`http://host:8983/solr`); a failing node is
    /// retried on the others. With it, `search`, `quotes` and `speakers` ask the collection
    /// instead of a local index.
    #[arg(long = "solr", value_name = "URL[,URL...]", env = "NEWSDEX_SOLR")]
    pub solr: Option<String>,
    /// The SolrCloud collection.
    #[arg(
        long,
        value_name = "NAME",
        env = "NEWSDEX_SOLR_COLLECTION",
        default_value = "newsdex"
    )]
    pub collection: String,
}

#[derive(Args, Debug)]
pub struct PushArgs {
    #[command(flatten)]
    pub conn: SolrConn,
    /// The corpus folder, read as `newsdex index` reads it.
    pub corpus: PathBuf,
    /// Send only part K of N of the corpus (a stable hash of each file's path), so that N
    /// machines can share one corpus without overlap: `--part 2/4`.
    #[arg(long, value_name = "K/N", value_parser = parse_part)]
    pub part: Option<crate::solr::Part>,
    /// Let the run remove however many articles the folder no longer holds (without it, a
    /// run that would remove most of them is refused).
    #[arg(long)]
    pub allow_removals: bool,
    /// Files larger than this are truncated to it, with a warning.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_file_mb: u64,
    /// No progress bar, no per-file warnings; the summary only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as one JSON object (fields in `schema/index.json`).
    #[arg(long)]
    pub json: bool,
    /// Read a metadata field of JSON Lines records from another key, as FIELD=KEY
    /// (`--field date=created_at`), as `index` does. Repeatable.
    #[arg(long = "field", value_name = "FIELD=KEY", value_parser = parse_field_key)]
    pub fields: Vec<FieldKey>,
}

/// `K/N` with 1 <= K <= N.
fn parse_part(s: &str) -> Result<crate::solr::Part, String> {
    let bad = || format!("{s:?} is not a part K/N with 1 <= K <= N (such as 2/4)");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok(crate::solr::Part { k, n })
}

#[derive(Subcommand, Debug)]
pub enum SolrCommand {
    /// Upload newsdex's configset (schema and analyzers) and create the collection; a
    /// collection that exists is left as it is.
    Init(SolrInitArgs),
}

#[derive(Args, Debug)]
pub struct SolrInitArgs {
    #[command(flatten)]
    pub conn: SolrConn,
    /// Shards the collection is split into.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub shards: u32,
    /// Copies of each shard, on different nodes where there are enough: with 2, a node can
    /// be lost without losing a shard.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub replicas: u32,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// Folders of articles: .txt, .md and .html/.htm files (one article each) and
    /// .jsonl/.ndjson files (one article per line), indexed into one index. Left out: the
    /// folders the index was built from, or `corpus` for a new index.
    pub corpus: Vec<PathBuf>,
    /// Build the index from scratch, aside: searches use the old index until the new one
    /// is complete.
    #[arg(long)]
    pub rebuild: bool,
    /// Index folders the index has never seen beside the ones it holds.
    #[arg(long)]
    pub add: bool,
    /// Let the run remove however many articles the folders no longer hold (without it, a
    /// run that would remove most of a folder's articles is refused).
    #[arg(long)]
    pub allow_removals: bool,
    /// Memory budget of the index writer in MB. Peak memory of a run is about this plus
    /// the list of files and the parsing buffers.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u64).range(16..=8192))]
    pub heap_mb: u64,
    /// Indexing threads of the writer (0: chosen from the number of cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Largest index segment, in documents (articles and quotes), that merging builds.
    /// Lower keeps the memory of merges down; higher makes fewer, larger segments.
    #[arg(long, default_value_t = 250_000, value_parser = clap::value_parser!(u64).range(1000..))]
    pub max_merge_docs: u64,
    /// Files larger than this are truncated to it, with a warning.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_file_mb: u64,
    /// Commit at least this often on long runs, so an interruption loses little.
    #[arg(long, default_value_t = 60)]
    pub commit_secs: u64,
    /// No progress bar, no per-file warnings; the summary only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as one JSON object (fields in `schema/index.json`).
    #[arg(long)]
    pub json: bool,
    /// Read a metadata field of JSON Lines records from another key, as FIELD=KEY
    /// (`--field date=created_at`); fields: date, source, author, url, language.
    /// Repeatable. Files indexed before are re-read only with --rebuild.
    #[arg(long = "field", value_name = "FIELD=KEY", value_parser = parse_field_key)]
    pub fields: Vec<FieldKey>,
}

/// A count of results: `-n 0` would ask for nothing, so it is refused rather than answered.
/// Large counts are fine; a search never collects more hits than the index holds.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

#[derive(Args, Debug, Clone)]
pub struct PageArgs {
    /// Number of results (at least 1).
    #[arg(long, short = 'n', default_value_t = 10, value_parser = at_least_one)]
    pub limit: usize,
    /// Skip this many results first (paging): `--offset 10` shows ranks 11 on.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// JSON Lines: one object per result, then a summary line (`schema/` in the source).
    #[arg(long)]
    pub json: bool,
}

/// Metadata filters, shared by `search`, `quotes` and `speakers`.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only articles published on or after this date: YYYY, YYYY-MM or YYYY-MM-DD (the
    /// first day of the period). Articles without a date are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_period)]
    pub since: Option<Period>,
    /// Only articles published on or before this date: YYYY, YYYY-MM or YYYY-MM-DD (the
    /// whole period: `--until 2016-07` includes 31 July). Articles without a date are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_period)]
    pub until: Option<Period>,
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first.
    #[default]
    Relevance,
    /// Oldest first; articles without a date last.
    Date,
    /// Newest first; articles without a date last.
    #[value(name = "-date")]
    NewestFirst,
}

/// What `--facet` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FacetArg {
    Source,
    Category,
    Author,
    Speaker,
    Year,
    Month,
}

/// The period of each bar of `--histogram`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HistogramArg {
    Week,
    Month,
    Year,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    #[command(flatten)]
    pub solr: SolrConn,
    /// Words (all must match), "a phrase", -exclude, OR, field:word (title, lead, body,
    /// quote, speaker, category, source, author; lead is the first paragraph).
    #[arg(required_unless_present = "batch", allow_hyphen_values = true)]
    pub query: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
    /// Run one query per line of FILE ('-' for stdin); one JSON object per query
    /// (`schema/batch.json`).
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Leave snippets out (faster).
    #[arg(long)]
    pub no_snippets: bool,
    /// List every matching article; by default the copies of a story (same or nearly the
    /// same text) are folded into its best ranked copy, shown as "also in N files".
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Order of the hits: relevance, date (oldest first) or -date (newest first); articles
    /// without a date come last either way.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance, allow_hyphen_values = true)]
    pub sort: SortArg,
    /// Count the matching articles (all of them, not only the page shown) per source,
    /// category, author, speaker, year or month. Repeatable.
    #[arg(long, value_enum, value_name = "FACET", conflicts_with = "batch")]
    pub facet: Vec<FacetArg>,
    /// Count the matching articles per week, month or year, as a bar chart (JSON with --json).
    #[arg(long, value_enum, value_name = "PERIOD", conflicts_with = "batch")]
    pub histogram: Option<HistogramArg>,
}

#[derive(Args, Debug)]
pub struct QuotesArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    #[command(flatten)]
    pub solr: SolrConn,
    /// Words to find in quotations (same syntax as `search`; fields: quote, speaker,
    /// category, source, author).
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only quotes by this speaker (every word in the name; Mr, Dr and other courtesy
    /// titles ignored). With a query, the speaker's quotes in the articles most about it
    /// follow those whose own text matches.
    #[arg(long, short)]
    pub speaker: Option<String>,
    /// Show the sentence that attributes each quote (`context` in JSON).
    #[arg(long)]
    pub context: bool,
    #[command(flatten)]
    pub page: PageArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Order of the quotes: relevance, date (oldest first) or -date (newest first); quotes
    /// from articles without a date come last either way.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance, allow_hyphen_values = true)]
    pub sort: SortArg,
    /// Count the matching quotes (all of them; with --speaker and a query, those whose own
    /// text matches) per source, category, author, speaker, year or month. Repeatable.
    #[arg(long, value_enum, value_name = "FACET")]
    pub facet: Vec<FacetArg>,
    /// Count the matching quotes per week, month or year, as a bar chart (JSON with --json).
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub histogram: Option<HistogramArg>,
}

#[derive(Args, Debug)]
pub struct SpeakersArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    #[command(flatten)]
    pub solr: SolrConn,
    /// Topic: count the speakers of quotes matching it (all quotes when left out).
    pub query: Option<String>,
    /// Number of speakers to list (at least 1).
    #[arg(long, short = 'n', default_value_t = 20, value_parser = at_least_one)]
    pub limit: usize,
    /// JSON Lines: one object per speaker, then a summary line with the total.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Who was quoted when: each listed speaker's quotes on the topic (those whose own text
    /// matches, as `quotes TOPIC --speaker NAME` counts them) per week, month or year, as a
    /// table (`speaker-histogram` lines with --json).
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub histogram: Option<HistogramArg>,
}

/// An unknown path exits with status 1, "no results", as a search that finds nothing does:
/// the index was read and holds no such article; status 2 stays for a bad command line or an
/// index that cannot be read.
#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// The article: a path as `search` and `quotes` print it (`file.jsonl#id` for a JSON
    /// Lines record), relative to its corpus folder, or on disk inside a corpus folder of
    /// the index. Exits with status 1 when the index holds no such article.
    #[arg(value_name = "PATH|ID")]
    pub article: String,
    /// Show only the article's Nth quote (from 1, in the order of the body), in its
    /// paragraph.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub quote: Option<usize>,
    /// Print the article as one JSON object (`schema/show.json`).
    #[arg(long)]
    pub json: bool,
}

/// The file format of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row, for a spreadsheet.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// Words to find (same syntax as `search`; with --quotes, as `quotes`).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// File format: csv or ndjson.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// One row per quote of the matching quotes instead of one per article.
    #[arg(long)]
    pub quotes: bool,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Article files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON object per file, per line (`schema/parse.json`).
    #[arg(long)]
    pub json: bool,
    /// For each quote, every candidate speaker with the patterns that proposed it, its
    /// features and its score (a `candidates` list in JSON).
    #[arg(long)]
    pub explain: bool,
    /// Files larger than this are truncated to it, with a warning.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
    /// Read a metadata field of JSON Lines records from another key, as FIELD=KEY
    /// (`--field date=created_at`). Repeatable.
    #[arg(long = "field", value_name = "FIELD=KEY", value_parser = parse_field_key)]
    pub fields: Vec<FieldKey>,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// Print the figures as one JSON object (`schema/stats.json`).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// Address to listen on. Loopback by default: the server has no authentication, so any
    /// other address (0.0.0.0 included) lets everyone who can reach it read the index.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Requests accepted at once, searching or waiting their turn; more are answered 503 at
    /// once instead of queueing.
    #[arg(long, default_value_t = crate::serve::limits::DEFAULT_MAX_IN_FLIGHT,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_in_flight: u32,
    /// Time limit of one request in milliseconds; a request that takes longer gets a 503.
    #[arg(long, default_value_t = crate::serve::limits::DEFAULT_TIMEOUT_MS,
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub timeout_ms: u64,
    /// Searches run at once (0: one per core); other requests in flight wait their turn.
    #[arg(long, default_value_t = 0)]
    pub searches: usize,
}
