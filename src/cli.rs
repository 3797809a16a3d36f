//! The command line: the one source of `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::ColorChoice;

#[derive(Parser, Debug)]
#[command(
    name = "newsdex",
    version,
    about = "Full-text search for folders of news articles, with who-said-what quote search"
)]
pub struct Cli {
    /// Index folder to build or search.
    #[arg(
        long,
        short = 'i',
        global = true,
        default_value = "index",
        env = "NEWSDEX_INDEX"
    )]
    pub index: PathBuf,

    /// When to colour terminal output (NO_COLOR is honoured under `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index a folder of articles (.txt, .md); later runs only re-read changed files.
    Index(IndexArgs),
    /// Search articles: ranked, with highlighted snippets.
    Search(SearchArgs),
    /// Search quotations: who said what, with the speaker of each quote.
    Quotes(QuotesArgs),
    /// Who is quoted most, overall or on a topic.
    Speakers(SpeakersArgs),
    /// Show how the ingester reads article files: title, body, quotes and speakers.
    Parse(ParseArgs),
    /// Articles, quotes, speakers and size of the index, and its last run.
    Stats(StatsArgs),
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    /// Folder of articles.
    #[arg(default_value = "corpus")]
    pub corpus: PathBuf,
    /// Delete the index and build it from scratch.
    #[arg(long)]
    pub rebuild: bool,
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
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct PageArgs {
    /// Number of results.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many results first (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// JSON Lines: one object per result, then a summary line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words (all must match), "a phrase", -exclude, OR, field:word (title, body, quote, speaker, category).
    #[arg(required_unless_present = "batch", allow_hyphen_values = true)]
    pub query: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
    /// Run one query per line of FILE ('-' for stdin); one JSON object per query.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Leave snippets out (faster).
    #[arg(long)]
    pub no_snippets: bool,
}

#[derive(Args, Debug)]
pub struct QuotesArgs {
    /// Words to find in quotations (same syntax as `search`; fields: quote, speaker, category).
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only quotes by this speaker (any part of the name).
    #[arg(long, short)]
    pub speaker: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Args, Debug)]
pub struct SpeakersArgs {
    /// Topic: count the speakers of quotes matching it (all quotes when left out).
    pub query: Option<String>,
    /// Number of speakers to list.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// Article files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON object per file, per line.
    #[arg(long)]
    pub json: bool,
    /// For each quote, every candidate speaker with the patterns that proposed it, its
    /// features and its score (a `candidates` list in JSON).
    #[arg(long)]
    pub explain: bool,
    /// Files larger than this are truncated to it, with a warning.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    #[arg(long)]
    pub json: bool,
}
