//! Each subcommand: arguments in, library calls, output out. Returns the exit status:
//! 0 ok, 1 no results (search, quotes, speakers), errors become 2 in `main`.

use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use crate::cli::{
    Cli, Command, FacetArg, FilterArgs, HistogramArg, IndexArgs, ParseArgs, PushArgs, QuotesArgs,
    SearchArgs, ServeArgs, ShowArgs, SolrCommand, SolrConn, SolrInitArgs, SortArg, SpeakersArgs,
    StatsArgs,
};
use crate::index::{self, writer, NewsIndex};
use crate::output::escape::{for_terminal, path_for_terminal};
use crate::output::{json as jsonout, text::Style, use_color};
use crate::search::{
    ArticleHit, CountRequest, CountResults, DateRange, Engine, Facet, Period, QuoteHit, Results,
    SearchOptions, Sort, Target,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    NoResults,
    /// `index` stopped by Ctrl-C after committing the work done.
    Interrupted,
}

impl From<Status> for std::process::ExitCode {
    fn from(s: Status) -> Self {
        match s {
            Status::Ok => std::process::ExitCode::SUCCESS,
            Status::NoResults => std::process::ExitCode::from(1),
            Status::Interrupted => std::process::ExitCode::from(130),
        }
    }
}

/// Runs a command; a closed output pipe (`| head`) ends it quietly. A panic is not caught
/// here: it is a bug, and shows as one (Rust's message, exit status 101), so that tests and
/// users see it. Indexing contains a panic per file instead (see `cmd_index`).
pub fn run(cli: Cli) -> Result<Status> {
    match run_command(cli) {
        Err(e) if is_broken_pipe(&e) => Ok(Status::Ok),
        r => r,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run_command(cli: Cli) -> Result<Status> {
    if index::failpoint("command-panic") {
        panic!("failpoint command-panic");
    }
    let style = Style {
        color: use_color(cli.color),
    };
    match cli.command {
        Command::Index(a) => cmd_index(&a.dir.index.clone(), a),
        Command::Search(a) => {
            let dir = a.dir.index.clone();
            cmd_search(&dir, a, &style).map_err(|e| damage_hint(e, &dir))
        }
        Command::Quotes(a) => {
            let dir = a.dir.index.clone();
            cmd_quotes(&dir, a, &style).map_err(|e| damage_hint(e, &dir))
        }
        Command::Speakers(a) => {
            let dir = a.dir.index.clone();
            cmd_speakers(&dir, a, &style).map_err(|e| damage_hint(e, &dir))
        }
        Command::Show(a) => {
            let dir = a.dir.index.clone();
            cmd_show(&dir, a, &style).map_err(|e| damage_hint(e, &dir))
        }
        Command::Export(a) => {
            let dir = a.dir.index.clone();
            cmd_export(&dir, a).map_err(|e| damage_hint(e, &dir))
        }
        Command::Parse(a) => cmd_parse(a, &style),
        Command::Stats(a) => {
            let dir = a.dir.index.clone();
            cmd_stats(&dir, a).map_err(|e| damage_hint(e, &dir))
        }
        Command::Serve(a) => cmd_serve(a),
        Command::Push(a) => cmd_push(a),
        Command::Solr(SolrCommand::Init(a)) => cmd_solr_init(a),
    }
}

/// A read of the index that fails in tantivy or in I/O, after the index opened fine, means
/// a damaged segment file: say so in plain words and how to recover.
fn damage_hint(e: anyhow::Error, index_dir: &Path) -> anyhow::Error {
    let from_index = e.chain().any(|c| {
        c.is::<tantivy::TantivyError>()
            || c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() != std::io::ErrorKind::BrokenPipe)
    });
    if !from_index || format!("{e:#}").contains("--rebuild") {
        return e;
    }
    // Our own context (the query that failed), without tantivy's message below it.
    let what = if e.chain().count() > 1 {
        format!("{e}: ")
    } else {
        String::new()
    };
    anyhow::anyhow!(
        "{what}reading the index at {} failed ({}); if it is damaged, `newsdex index CORPUS --index {} --rebuild` builds it again",
        index_dir.display(),
        index_problem(&e),
        index_dir.display()
    )
}

/// What is wrong with an index that cannot be read, in plain words: which file, and
/// whether it is missing, not readable or damaged. tantivy's own messages name its
/// internals and give advice meant for its programmers ("Please use tantivy 0.15"), so
/// they are not shown.
fn index_problem(e: &anyhow::Error) -> String {
    use std::io::ErrorKind;
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;
    let io_problem = |io: &std::io::Error| match io.kind() {
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::NotFound => "a file is missing",
        _ => "a file is damaged or unreadable",
    };
    for c in e.chain() {
        if let Some(t) = c.downcast_ref::<TantivyError>() {
            return match t {
                TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
                    format!("its file {} is missing", p.display())
                }
                TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
                    match io_error.kind() {
                        ErrorKind::PermissionDenied => {
                            format!("its file {}: permission denied", filepath.display())
                        }
                        _ => format!("its file {} is damaged", filepath.display()),
                    }
                }
                TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_)) => {
                    "it was written in a format this newsdex cannot read".to_string()
                }
                TantivyError::IoError(io) => io_problem(io).to_string(),
                _ => "a file is damaged or unreadable".to_string(),
            };
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return io_problem(io).to_string();
        }
    }
    "it could not be read".to_string()
}

fn warn(msg: &str) {
    eprintln!("newsdex: warning: {}", for_terminal(msg));
}

fn out() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

fn cmd_index(index_dir: &Path, a: IndexArgs) -> Result<Status> {
    let interrupt = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupt.clone();
        // A second Ctrl-C while the last commit runs falls through to the default action.
        let _ = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                // SAFETY: restoring the default action of a signal and raising it.
                unsafe {
                    libc::signal(libc::SIGINT, libc::SIG_DFL);
                    libc::raise(libc::SIGINT);
                }
            }
        });
    }
    let opts = writer::IndexOptions {
        corpora: a.corpus.clone(),
        index_dir: index_dir.to_path_buf(),
        rebuild: a.rebuild,
        consent: index::roots::Consent {
            add: a.add,
            allow_removals: a.allow_removals,
        },
        heap_bytes: (a.heap_mb as usize) << 20,
        writer_threads: a.threads,
        max_merge_docs: a.max_merge_docs as usize,
        max_file_bytes: a.max_file_mb << 20,
        // 0 commits after every batch of files (tests of interrupted runs use it).
        commit_every: Duration::from_secs(a.commit_secs),
        field_map: crate::ingest::jsonl::FieldMap {
            keys: a.fields.clone(),
        },
    };
    let progress =
        crate::output::progress::Bar::new(!a.quiet && !a.json && std::io::stderr().is_terminal());
    let s = writer::run(&opts, &interrupt, &progress)?;
    // The folders as the user spelled them; the ones the index remembers when none given.
    let corpus = match a.corpus.is_empty() {
        true => s.folders.join(", "),
        false => {
            let given: Vec<String> = a.corpus.iter().map(|p| p.display().to_string()).collect();
            given.join(", ")
        }
    };
    if !a.quiet {
        for i in &s.skipped {
            warn(&format!(
                "{}: skipped: {}",
                path_for_terminal(&i.path),
                i.message
            ));
        }
        for i in &s.warnings {
            warn(&format!("{}: {}", path_for_terminal(&i.path), i.message));
        }
    }
    let mut o = out();
    if a.json {
        let into = index_dir.display().to_string();
        writeln!(o, "{}", index_json(&corpus, &into, &s))?;
    } else {
        write_index_text(&mut o, &corpus, &index_dir.display().to_string(), &s)?;
    }
    o.flush()?;
    report_internal_errors(&s.internal_errors)?;
    if s.interrupted && a.rebuild {
        eprintln!("newsdex: interrupted: the rebuild was abandoned and the index still holds what it held before");
        return Ok(Status::Interrupted);
    }
    if s.interrupted {
        eprintln!("newsdex: interrupted: the work done so far is committed; run `newsdex index` again to finish");
        return Ok(Status::Interrupted);
    }
    Ok(Status::Ok)
}

/// Files found but neither indexed nor skipped: those an interruption left. JSON Lines
/// records left out do not count: their file is added or updated.
fn pending(s: &writer::IndexSummary) -> u64 {
    let done = s.added + s.updated + s.unchanged + s.files_skipped() + s.files_failed();
    s.files_seen.saturating_sub(done)
}

/// Path and message of each file: one name, `message`, for skips, warnings and errors.
fn issues_json(issues: &[writer::FileIssue]) -> serde_json::Value {
    issues
        .iter()
        .map(|i| json!({"path": i.path, "message": i.message}))
        .collect()
}

/// The `index --json` line (`schema/index.json`).
fn index_json(corpus: &str, into: &str, s: &writer::IndexSummary) -> serde_json::Value {
    json!({
        "corpus": corpus,
        "folders": s.folders,
        "index": into,
        "files_seen": s.files_seen,
        "added": s.added,
        "updated": s.updated,
        "unchanged": s.unchanged,
        "skipped": issues_json(&s.skipped),
        "internal_errors": issues_json(&s.internal_errors),
        "records_skipped": s.records_skipped(),
        "pending": pending(s),
        "removed": s.removed,
        "warnings": issues_json(&s.warnings),
        "other_files": s.other_files,
        "articles_read": s.articles_read,
        "quotes_extracted": s.quotes,
        "articles_in_index": s.articles_in_index,
        "quotes_in_index": s.quotes_in_index,
        "bytes_read": s.bytes_read,
        "seconds": s.seconds,
        "commits": s.commits,
        "interrupted": s.interrupted,
    })
}

/// The terminal summary of `index`. The first count is the sum of the ones after the colon.
fn write_index_text(
    o: &mut impl Write,
    corpus: &str,
    into: &str,
    s: &writer::IndexSummary,
) -> Result<()> {
    writeln!(o, "indexed {corpus} into {into}")?;
    let mut files = format!(
        "  files: {} seen: {} added, {} updated, {} unchanged, {} skipped",
        s.files_seen,
        s.added,
        s.updated,
        s.unchanged,
        s.files_skipped()
    );
    if s.files_failed() > 0 {
        files += &format!(", {} internal errors", s.files_failed());
    }
    if pending(s) > 0 {
        files += &format!(", {} not reached", pending(s));
    }
    let with_warnings: std::collections::HashSet<&str> =
        s.warnings.iter().map(|i| i.path.as_str()).collect();
    write!(
        o,
        "{files}; {} removed; {} with warnings",
        s.removed,
        with_warnings.len()
    )?;
    match s.records_skipped() {
        0 => writeln!(o)?,
        n => writeln!(o, "; {n} JSON Lines records skipped")?,
    }
    if s.other_files > 0 {
        writeln!(
            o,
            "  {} other files ignored (not .txt, .md, .html, .htm, .jsonl or .ndjson)",
            s.other_files
        )?;
    }
    writeln!(
        o,
        "  read {} articles, {} quotes",
        s.articles_read, s.quotes
    )?;
    writeln!(
        o,
        "  index now holds {} articles and {} quotes",
        s.articles_in_index, s.quotes_in_index
    )?;
    let mb = s.bytes_read as f64 / 1e6;
    writeln!(
        o,
        "  {:.2} s, {:.1} MB read, {:.1} MB/s",
        s.seconds,
        mb,
        if s.seconds > 0.0 { mb / s.seconds } else { 0.0 }
    )?;
    Ok(())
}

/// Files (or JSON Lines records) whose reading hit a bug (a panic, contained to the file or
/// record): each is named on its own line whatever `--quiet` says, and the run, committed for
/// everything else, fails.
fn report_internal_errors(errors: &[writer::FileIssue]) -> Result<()> {
    for i in errors {
        let what = if i.record { "record" } else { "file" };
        eprintln!(
            "newsdex: error: internal error (a bug in newsdex) while reading {}: {}; this {what} is not indexed, the others are; please report it",
            path_for_terminal(&i.path),
            for_terminal(&i.message)
        );
    }
    if !errors.is_empty() {
        anyhow::bail!(
            "{} file(s) or record(s) not indexed because of an internal error (named above)",
            errors.len()
        );
    }
    Ok(())
}

/// More threads than this gain nothing on the segment counts an index keeps (tens).
const MAX_SEARCH_THREADS: usize = 8;

/// Opens the index for searching. `NewsIndex::open` checks the marker and the schema; the
/// segment files are opened here, and damage found in them gets the way to recover.
///
/// A command runs one query, so its segments are searched on every core the machine has
/// (at one million articles a search took 25 ms instead of 33, benches/RESULTS.md); the
/// server keeps one thread per request instead, since its requests already fill the cores.
fn open_engine(index_dir: &Path) -> Result<Engine> {
    let mut ni = NewsIndex::open(index_dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        ni.index
            .set_multithread_executor(cores.min(MAX_SEARCH_THREADS))
            .context("cannot start the search threads")?;
    }
    Engine::open(ni).map_err(|e| {
        anyhow::anyhow!(
            "the index at {} is damaged ({}); run `newsdex index CORPUS --index {} --rebuild` to build it again",
            index_dir.display(),
            index_problem(&e),
            index_dir.display()
        )
    })
}

/// Opens the index for searching, with the date filter of the command line.
fn open_filtered(index_dir: &Path, filter: &FilterArgs) -> Result<Engine> {
    let dates = DateRange::of_periods(filter.since, filter.until)?;
    let mut engine = open_engine(index_dir)?;
    engine.set_dates(dates);
    Ok(engine)
}

fn sort_of(s: SortArg) -> Sort {
    match s {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Date => Sort::Oldest,
        SortArg::NewestFirst => Sort::Newest,
    }
}

fn period_of(h: HistogramArg) -> Period {
    match h {
        HistogramArg::Week => Period::Week,
        HistogramArg::Month => Period::Month,
        HistogramArg::Year => Period::Year,
    }
}

fn count_request(
    target: Target,
    facets: &[FacetArg],
    histogram: Option<HistogramArg>,
) -> CountRequest {
    let mut out = CountRequest {
        target,
        histogram: histogram.map(period_of),
        ..Default::default()
    };
    for f in facets {
        let facet = match f {
            FacetArg::Source => Facet::Source,
            FacetArg::Category => Facet::Category,
            FacetArg::Author => Facet::Author,
            FacetArg::Speaker => Facet::Speaker,
            FacetArg::Year => Facet::Year,
            FacetArg::Month => Facet::Month,
        };
        if !out.facets.contains(&facet) {
            out.facets.push(facet);
        }
    }
    out
}

fn page_opts(limit: usize, offset: usize, snippets: bool, count: bool) -> SearchOptions {
    SearchOptions {
        limit,
        offset,
        snippets,
        count_total: count,
        ..Default::default()
    }
}

/// What is searched for, in the singular and the plural.
type Noun = (&'static str, &'static str);
const ARTICLES: Noun = ("article", "articles");
const QUOTES: Noun = ("quote", "quotes");

/// One page of hits: which ranks it shows, of how many matches.
struct Page {
    first_rank: usize,
    limit: usize,
    shown: usize,
    total: usize,
    noun: Noun,
}

impl Page {
    fn of(opts: &SearchOptions, shown: usize, total: usize, noun: Noun) -> Page {
        Page {
            first_rank: opts.offset.saturating_add(1),
            limit: opts.limit,
            shown,
            total,
            noun,
        }
    }

    fn noun(&self, n: usize) -> &'static str {
        if n == 1 {
            self.noun.0
        } else {
            self.noun.1
        }
    }

    /// "rank 1" or "ranks 11-20".
    fn ranks(&self, count: usize) -> String {
        let last = self.first_rank.saturating_add(count.saturating_sub(1));
        if count == 1 {
            format!("rank {}", self.first_rank)
        } else {
            format!("ranks {}-{last}", self.first_rank)
        }
    }

    /// Below the hits: "ranks 1-7 of 167 matching articles".
    fn summary_line(&self) -> String {
        format!(
            "{} of {} matching {}",
            self.ranks(self.shown),
            self.total,
            self.noun(self.total)
        )
    }

    /// No hits: nothing matches the query, or the page is past the last match.
    fn empty_line(&self, query: &str) -> String {
        if self.total == 0 {
            return format!(
                "no {} match {}",
                self.noun.1,
                for_terminal(&format!("{query:?}"))
            );
        }
        format!(
            "no hits at {}; {} {} match{}",
            self.ranks(self.limit),
            self.total,
            self.noun(self.total),
            if self.total == 1 { "es" } else { "" }
        )
    }
}

fn cmd_search(index_dir: &Path, a: SearchArgs, style: &Style) -> Result<Status> {
    if let Some(url) = &a.solr.solr {
        return solr_search(&crate::solr::Solr::new(url, &a.solr.collection)?, &a, style);
    }
    let engine = open_filtered(index_dir, &a.filter)?;
    if let Some(batch) = &a.batch {
        return run_batch(&engine, batch, &a);
    }
    let q = a.query.as_deref().unwrap_or("");
    let mut opts = page_opts(a.page.limit, a.page.offset, !a.no_snippets, true);
    opts.with_quotes = !a.no_snippets;
    opts.sort = sort_of(a.sort);
    opts.collapse = !a.all;
    let r = engine.search(q, &opts)?;
    let request = count_request(Target::Articles, &a.facet, a.histogram);
    let counts = engine.count(q, &request)?;
    print_articles(&r, &counts, &opts, a.page.json, style)
}

/// The hits of an article search, its counts and the line below them (text or JSON Lines),
/// from a local index or a SolrCloud collection alike.
fn print_articles(
    r: &Results<ArticleHit>,
    counts: &CountResults,
    opts: &SearchOptions,
    json: bool,
    style: &Style,
) -> Result<Status> {
    let q = r.query.as_str();
    for w in &r.warnings {
        warn(w);
    }
    let mut o = out();
    if json {
        let mut lines = jsonout::search_lines(&jsonout::flat_articles(r));
        let summary = lines.pop();
        lines.extend(jsonout::count_lines(counts));
        lines.extend(summary);
        for line in lines {
            writeln!(o, "{line}")?;
        }
    } else {
        for h in &r.hits {
            write!(o, "{}", style.article_hit(h))?;
        }
        let page = Page::of(opts, r.hits.len(), r.total.unwrap_or(0), ARTICLES);
        if r.hits.is_empty() {
            writeln!(o, "{}", page.empty_line(q))?;
            write!(o, "{}", did_you_mean(r.suggestion.as_deref()))?;
        } else {
            writeln!(
                o,
                "\n{}{} ({:.1} ms)",
                page.summary_line(),
                folded_note(&r.hits),
                r.took_ms
            )?;
        }
        if r.total.unwrap_or(0) > 0 {
            write!(o, "{}", style.counts(counts, ARTICLES.1))?;
        }
    }
    o.flush()?;
    Ok(if r.hits.is_empty() {
        Status::NoResults
    } else {
        Status::Ok
    })
}

/// The line under "no articles match" that offers a spelling with hits, if there is one.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(String::new, |s| {
        format!("did you mean: {}\n", for_terminal(s))
    })
}

/// What the summary line adds when copies were folded into the page's hits: the total
/// counts every matching article, copies included, so the ranks of hits run short of it.
fn folded_note(hits: &[ArticleHit]) -> String {
    let folded: usize = hits.iter().map(|h| h.duplicates).sum();
    match folded {
        0 => String::new(),
        1 => "; 1 copy folded into these hits (--all lists every article)".into(),
        n => format!("; {n} copies folded into these hits (--all lists every article)"),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One JSON line per query; the index is opened once. Per-query errors are reported in that
/// query's line and the batch goes on.
fn run_batch(engine: &Engine, path: &Path, a: &SearchArgs) -> Result<Status> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path)
                .with_context(|| format!("cannot open query file {}", path.display()))?,
        ))
    };
    // The same search as `search --json` runs: totals, and quotes with snippets.
    let mut opts = page_opts(a.page.limit, a.page.offset, !a.no_snippets, true);
    opts.with_quotes = !a.no_snippets;
    opts.sort = sort_of(a.sort);
    opts.collapse = !a.all;
    let mut o = out();
    let mut times = Vec::new();
    let started = Instant::now();
    for (n, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("cannot read line {} of {}", n + 1, path.display()))?;
        let q = line.trim();
        if q.is_empty() || q.starts_with('#') {
            continue;
        }
        let t = Instant::now();
        let v = match engine.search(q, &opts) {
            Ok(r) => jsonout::batch_line(&r),
            Err(e) => json!({"query": q, "hits": [], "error": format!("{e:#}")}).to_string(),
        };
        writeln!(o, "{v}")?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    o.flush()?;
    let total = started.elapsed().as_secs_f64();
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    eprintln!(
        "batch: {} queries in {:.3} s ({:.0} queries/s), latency p50 {:.3} ms, p99 {:.3} ms",
        times.len(),
        total,
        times.len() as f64 / total.max(1e-9),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    Ok(Status::Ok)
}

fn cmd_quotes(index_dir: &Path, a: QuotesArgs, style: &Style) -> Result<Status> {
    if let Some(url) = &a.solr.solr {
        return solr_quotes(&crate::solr::Solr::new(url, &a.solr.collection)?, &a, style);
    }
    let engine = open_filtered(index_dir, &a.filter)?;
    let topic = a.query.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let mut opts = page_opts(a.page.limit, a.page.offset, true, true);
    opts.context = a.context;
    opts.sort = sort_of(a.sort);
    let r = engine.find_quotes(topic, a.speaker.as_deref(), &opts)?;
    // Counts are over the quotes whose own text matches (and, with --speaker, the speaker's).
    let counted = crate::search::counted_quotes_query(topic, a.speaker.as_deref());
    let request = count_request(Target::Quotes, &a.facet, a.histogram);
    let counts = engine.count(&counted, &request)?;
    print_quotes(&r, &counts, &opts, a.page.json, style)
}

/// The hits of a quote search, its counts and the line below them (text or JSON Lines),
/// from a local index or a SolrCloud collection alike.
fn print_quotes(
    r: &Results<QuoteHit>,
    counts: &CountResults,
    opts: &SearchOptions,
    json: bool,
    style: &Style,
) -> Result<Status> {
    let q = r.query.clone();
    for w in &r.warnings {
        warn(w);
    }
    let mut o = out();
    if json {
        let mut lines = jsonout::search_lines(&jsonout::flat_quotes(r));
        let summary = lines.pop();
        lines.extend(jsonout::count_lines(counts));
        lines.extend(summary);
        for line in lines {
            writeln!(o, "{line}")?;
        }
    } else {
        for h in &r.hits {
            write!(o, "{}", style.quote_hit(h))?;
        }
        let page = Page::of(opts, r.hits.len(), r.total.unwrap_or(0), QUOTES);
        if r.hits.is_empty() {
            writeln!(o, "{}", page.empty_line(q.trim()))?;
            write!(o, "{}", did_you_mean(r.suggestion.as_deref()))?;
        } else {
            writeln!(o, "\n{} ({:.1} ms)", page.summary_line(), r.took_ms)?;
        }
        if r.total.unwrap_or(0) > 0 {
            write!(o, "{}", style.counts(counts, QUOTES.1))?;
        }
    }
    o.flush()?;
    Ok(if r.hits.is_empty() {
        Status::NoResults
    } else {
        Status::Ok
    })
}

fn cmd_speakers(index_dir: &Path, a: SpeakersArgs, style: &Style) -> Result<Status> {
    let started = Instant::now();
    let q = a.query.as_deref().unwrap_or("");
    if let Some(url) = &a.solr.solr {
        if a.histogram.is_some() {
            anyhow::bail!("speakers --histogram is not available with --solr yet");
        }
        let solr = crate::solr::Solr::new(url, &a.solr.collection)?;
        let dates = DateRange::of_periods(a.filter.since, a.filter.until)?;
        let list = crate::solr::speakers(&solr, q, a.limit, dates)?;
        return print_speakers(&list, &[], a.json, style, q, started);
    }
    let engine = open_filtered(index_dir, &a.filter)?;
    let dated = a.filter.since.is_some() || a.filter.until.is_some();
    // Without a topic the counts come from the term dictionary, which knows no dates: a
    // date filter needs the quotes themselves.
    let topic = if dated && q.trim().is_empty() { "*" } else { q };
    let list = engine.count_speakers(topic, a.limit)?;
    let timeline = match a.histogram {
        Some(h) => {
            let names: Vec<String> = list.rows.iter().map(|r| r.speaker.clone()).collect();
            let topic = Some(q.trim()).filter(|t| !t.is_empty());
            engine.speaker_histograms(topic, &names, period_of(h))?
        }
        None => Vec::new(),
    };
    print_speakers(&list, &timeline, a.json, style, q, started)
}

/// A page of speakers (text or JSON Lines), from a local index or a SolrCloud collection.
fn print_speakers(
    list: &crate::search::speakers::SpeakerList,
    timeline: &[crate::search::speaker_dates::SpeakerHistogram],
    json: bool,
    style: &Style,
    q: &str,
    started: Instant,
) -> Result<Status> {
    let rows = &list.rows;
    for w in &list.warnings {
        warn(w);
    }
    let mut o = out();
    if json {
        for r in rows {
            writeln!(o, "{}", jsonout::typed("speaker", r))?;
        }
        for h in timeline {
            writeln!(o, "{}", jsonout::typed("speaker-histogram", h))?;
        }
        let took_ms = started.elapsed().as_secs_f64() * 1e3;
        let summary = jsonout::summary(&jsonout::Summary {
            query: q,
            returned: rows.len(),
            total: list.total,
            warnings: &list.warnings,
            took_ms,
            suggestion: list.suggestion.as_deref(),
        });
        writeln!(o, "{summary}")?;
    } else {
        for r in rows {
            write!(o, "{}", style.speaker_row(r))?;
        }
        if !timeline.is_empty() {
            write!(o, "\n{}", crate::output::timeline::table(timeline))?;
        }
        if rows.is_empty() {
            writeln!(
                o,
                "no quoted speakers match {}",
                for_terminal(&format!("{q:?}"))
            )?;
            write!(o, "{}", did_you_mean(list.suggestion.as_deref()))?;
        }
    }
    o.flush()?;
    Ok(if rows.is_empty() {
        Status::NoResults
    } else {
        Status::Ok
    })
}

fn cmd_show(index_dir: &Path, a: ShowArgs, style: &Style) -> Result<Status> {
    use crate::output::show;
    let engine = open_engine(index_dir)?;
    let found = match engine.resolve(&a.article)? {
        Some(key) => engine.article(&key)?,
        None => None,
    };
    let Some(mut article) = found else {
        eprintln!(
            "newsdex: no article {} in the index at {}; `newsdex search WORDS` finds articles and prints their paths",
            path_for_terminal(&a.article),
            index_dir.display()
        );
        return Ok(Status::NoResults);
    };
    if let Some(n) = a.quote {
        if n > article.quotes.len() {
            anyhow::bail!(
                "--quote {n}: {} has {} quote(s)",
                article.path,
                article.quotes.len()
            );
        }
    }
    let mut o = out();
    if a.json {
        let paragraph = a.quote.and_then(|n| {
            let q = &article.quotes[n - 1];
            show::paragraph_of(&article, q).map(|(_, p)| p.to_string())
        });
        if let Some(n) = a.quote {
            article.quotes = vec![article.quotes.swap_remove(n - 1)];
        }
        let shown = show::Shown {
            kind: "article",
            article: &article,
            quote_number: a.quote,
            paragraph: paragraph.as_deref(),
        };
        writeln!(o, "{}", serde_json::to_string(&shown)?)?;
    } else {
        match a.quote {
            Some(n) => write!(o, "{}", show::one_quote(style, &article, n))?,
            None => write!(o, "{}", show::article(style, &article))?,
        }
    }
    o.flush()?;
    Ok(Status::Ok)
}

/// Hits `export` asks the engine for at a time: memory stays that of one page whatever
/// the number of matches.
const EXPORT_PAGE_HITS: usize = 1000;

fn cmd_export(index_dir: &Path, a: crate::cli::ExportArgs) -> Result<Status> {
    use crate::output::export::Exporter;
    let engine = open_filtered(index_dir, &a.filter)?;
    let sink: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(out()),
    };
    let mut ex = Exporter::new(sink, a.format, a.quotes)?;
    let mut opts = page_opts(EXPORT_PAGE_HITS, 0, false, false);
    opts.context = a.quotes;
    // A row per article, copies included: which outlets ran a story is what a spreadsheet
    // of hits is often for.
    opts.collapse = false;
    let mut written = 0;
    loop {
        let got = if a.quotes {
            let r = engine.search_quotes(&a.query, &opts)?;
            r.hits.iter().try_for_each(|h| ex.quote(h))?;
            r.hits.len()
        } else {
            let r = engine.search(&a.query, &opts)?;
            r.hits.iter().try_for_each(|h| ex.article(h))?;
            r.hits.len()
        };
        written += got;
        if got < EXPORT_PAGE_HITS {
            break;
        }
        opts.offset += got;
    }
    ex.finish()?;
    if let Some(p) = &a.out {
        eprintln!("newsdex: wrote {written} rows to {}", p.display());
    }
    Ok(if written == 0 {
        Status::NoResults
    } else {
        Status::Ok
    })
}

fn cmd_parse(a: ParseArgs, style: &Style) -> Result<Status> {
    let mut o = out();
    let mut failed = 0;
    for path in &a.files {
        let shown = path.display().to_string();
        match parse_file(path, &a) {
            Ok(articles) => {
                for (shown, p) in &articles {
                    for w in &p.warnings {
                        warn(&format!("{}: {w}", path_for_terminal(shown)));
                    }
                    write_parsed(&mut o, style, &a, shown, p)?;
                }
            }
            Err(e) => {
                failed += 1;
                if a.json {
                    writeln!(o, "{}", json!({"path": shown, "error": e.0, "quotes": []}))?;
                }
                eprintln!(
                    "newsdex: error: {}: {}",
                    path_for_terminal(&shown),
                    for_terminal(&e.0)
                );
            }
        }
    }
    o.flush()?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be parsed", a.files.len());
    }
    Ok(Status::Ok)
}

/// The articles of one file as `index` reads them, each with the path it is shown by: a
/// text file with the row a metadata file above it gives it, or each record of a JSON
/// Lines file (`FILE#id`; a record that cannot be read is a warning).
fn parse_file(
    path: &Path,
    a: &ParseArgs,
) -> Result<Vec<(String, crate::ingest::ParsedFile)>, crate::ingest::ReadError> {
    use crate::ingest::{jsonl, metafile, ParsedFile, ReadError};
    let shown = path.display().to_string();
    let max_bytes = a.max_file_mb << 20;
    if !jsonl::is_jsonl(path) {
        let mut p = crate::ingest::read_article(path, max_bytes)?;
        if let Some((row, warnings)) = metafile::row_for(path) {
            p.article.meta.overlay(&row.meta);
            p.warnings.extend(warnings);
        }
        return Ok(vec![(shown, p)]);
    }
    let map = jsonl::FieldMap {
        keys: a.fields.clone(),
    };
    let file = crate::ingest::open_regular(path)?;
    let mut reader = jsonl::LineReader::new(file, max_bytes);
    let mut out = Vec::new();
    loop {
        let (lines, taken) = reader
            .chunk(JSONL_PARSE_CHUNK_BYTES)
            .map_err(|e| ReadError(format!("cannot read: {e}")))?;
        if taken == 0 {
            return Ok(out);
        }
        for line in &lines {
            match jsonl::read_record(line, max_bytes, &map) {
                Ok(r) => out.push((
                    format!("{shown}#{}", r.ident),
                    ParsedFile {
                        article: r.article,
                        text: r.text,
                        warnings: r.warnings,
                    },
                )),
                Err(e) => warn(&format!(
                    "{}#line-{}: skipped: {e}",
                    path_for_terminal(&shown),
                    line.no
                )),
            }
        }
    }
}

/// Lines of a JSON Lines file `parse` reads at a time.
const JSONL_PARSE_CHUNK_BYTES: usize = 1 << 20;

/// One parsed article: a JSON line (`schema/parse.json`) or a few lines of text.
fn write_parsed(
    o: &mut impl Write,
    style: &Style,
    a: &ParseArgs,
    shown: &str,
    p: &crate::ingest::ParsedFile,
) -> Result<()> {
    let art = &p.article;
    let explained;
    let quotes = if a.explain {
        explained = crate::quotes::extract_explained(&p.text, &art.paragraphs);
        &explained
    } else {
        &art.quotes
    };
    if a.json {
        let v = json!({
            "path": shown,
            "title": art.title,
            "body": art.body,
            "metadata": art.meta,
            "quotes": quotes,
            "speakers": art.speakers,
            "boilerplate": art.boilerplate,
            "warnings": p.warnings,
        });
        writeln!(o, "{v}")?;
        return Ok(());
    }
    writeln!(o, "{}", style_path(style, shown))?;
    writeln!(o, "  title: {}", for_terminal(&art.title))?;
    write_metadata(o, &art.meta)?;
    writeln!(
        o,
        "  body: {} paragraphs, {} bytes",
        art.paragraphs.len().saturating_sub(1),
        art.body.len()
    )?;
    if !art.boilerplate.is_empty() {
        writeln!(o, "  boilerplate dropped: {}", art.boilerplate.len())?;
    }
    writeln!(o, "  quotes: {}", quotes.len())?;
    for q in quotes {
        let who = q.speaker.as_deref().unwrap_or("(unknown)");
        writeln!(
            o,
            "    {} [{}{}]: \u{201c}{}\u{201d}",
            for_terminal(who),
            q.kind.as_str(),
            if q.cue.is_empty() {
                String::new()
            } else {
                format!(", {}", for_terminal(&q.cue))
            },
            for_terminal(&q.text)
        )?;
        for c in &q.candidates {
            writeln!(
                o,
                "      candidate {:.3} {} ({})",
                c.probability,
                for_terminal(&c.speaker),
                c.patterns.join(", ")
            )?;
        }
    }
    if a.explain {
        write_pattern_legend(o, quotes)?;
    }
    Ok(())
}

/// `  date: 2016-06-21 (from header)`, one line per metadata value the article has.
fn write_metadata(o: &mut impl Write, m: &crate::ingest::meta::Metadata) -> Result<()> {
    let origin = |o: crate::ingest::meta::Origin| {
        serde_json::to_value(o)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    };
    let mut line = |name: &str, value: String, from: crate::ingest::meta::Origin| {
        writeln!(
            o,
            "  {name}: {} (from {})",
            for_terminal(&value),
            origin(from)
        )
    };
    if let Some(d) = &m.date {
        line("date", d.value.to_string(), d.origin)?;
    }
    if let Some(s) = &m.source {
        line("source", s.value.clone(), s.origin)?;
    }
    if let Some(a) = &m.authors {
        line("author", a.value.join("; "), a.origin)?;
    }
    if let Some(u) = &m.url {
        line("url", u.value.clone(), u.origin)?;
    }
    if let Some(l) = &m.language {
        line("language", l.value.clone(), l.origin)?;
    }
    Ok(())
}

/// What each attribution pattern named in `quotes` matches.
fn write_pattern_legend(o: &mut impl Write, quotes: &[crate::quotes::Quote]) -> Result<()> {
    let mut seen: Vec<&str> = quotes
        .iter()
        .flat_map(|q| q.candidates.iter().flat_map(|c| c.patterns.iter().copied()))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    for name in seen {
        if let Some(doc) = crate::quotes::pattern_doc(name) {
            writeln!(o, "  pattern {name}: {doc}")?;
        }
    }
    Ok(())
}

fn style_path(_style: &Style, p: &str) -> String {
    path_for_terminal(p).into_owned()
}

fn cmd_stats(index_dir: &Path, a: StatsArgs) -> Result<Status> {
    let engine = open_engine(index_dir)?;
    let v = engine.overview()?;
    let mut o = out();
    if a.json {
        writeln!(o, "{}", jsonout::stats(&v))?;
    } else {
        writeln!(o, "index     {}", v.index)?;
        writeln!(o, "articles  {}", v.articles)?;
        writeln!(o, "quotes    {}", v.quotes)?;
        writeln!(o, "speakers  {}", v.speakers)?;
        let d = v.duplicates;
        writeln!(
            o,
            "clusters  {} ({} exact, {} near) of {} duplicate articles, {} of them copies",
            d.clusters,
            d.exact_clusters,
            d.near_clusters,
            d.articles,
            d.articles - d.clusters
        )?;
        writeln!(
            o,
            "size      {:.1} MB in {} segments",
            v.size_bytes as f64 / 1e6,
            v.segments
        )?;
        if let Some(l) = v.last_run {
            writeln!(
                o,
                "last run  {} from {}{}",
                fmt_time(l.committed_at),
                l.corpus,
                if l.complete {
                    ""
                } else {
                    " (not finished: run `newsdex index` again)"
                }
            )?;
        }
    }
    o.flush()?;
    Ok(Status::Ok)
}

fn cmd_serve(a: ServeArgs) -> Result<Status> {
    crate::serve::run(crate::serve::ServeOptions {
        index: a.dir.index,
        addr: a.addr,
        limits: crate::serve::limits::Limits {
            max_in_flight: a.max_in_flight as usize,
            timeout: Duration::from_millis(a.timeout_ms),
            searches: match a.searches {
                0 => crate::serve::limits::default_searches(),
                n => n,
            },
        },
    })?;
    Ok(Status::Ok)
}

/// UTC date and time from seconds since the epoch (civil-from-days, no time zone data needed).
fn fmt_time(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The collection named by `--solr` and `--collection` (or their environment variables).
fn solr_of(conn: &SolrConn, command: &str) -> Result<crate::solr::Solr> {
    let Some(url) = &conn.solr else {
        anyhow::bail!("{command} needs --solr URL (or NEWSDEX_SOLR): the SolrCloud node(s) to use");
    };
    crate::solr::Solr::new(url, &conn.collection)
}

fn cmd_solr_init(a: SolrInitArgs) -> Result<Status> {
    let solr = solr_of(&a.conn, "solr init")?;
    let done = crate::solr::init(&solr, a.shards, a.replicas)?;
    match done.created {
        true => println!(
            "created collection {} ({} shards x {} replicas) with configset {} at {}",
            solr.collection, a.shards, a.replicas, done.configset, solr.nodes()
        ),
        false => println!(
            "collection {} already exists at {}; configset {} uploaded (a collection reload applies it)",
            solr.collection, solr.nodes(), done.configset
        ),
    }
    Ok(Status::Ok)
}

fn cmd_push(a: PushArgs) -> Result<Status> {
    let solr = solr_of(&a.conn, "push")?;
    let opts = crate::solr::PushOptions {
        corpus: a.corpus.clone(),
        part: a.part,
        consent: index::roots::Consent {
            add: true,
            allow_removals: a.allow_removals,
        },
        max_file_bytes: a.max_file_mb << 20,
        field_map: crate::ingest::jsonl::FieldMap {
            keys: a.fields.clone(),
        },
    };
    let progress =
        crate::output::progress::Bar::new(!a.quiet && !a.json && std::io::stderr().is_terminal());
    let s = crate::solr::push(&solr, &opts, &progress)?;
    if !a.quiet {
        for i in &s.skipped {
            warn(&format!(
                "{}: skipped: {}",
                path_for_terminal(&i.path),
                i.message
            ));
        }
        for i in &s.warnings {
            warn(&format!("{}: {}", path_for_terminal(&i.path), i.message));
        }
    }
    let corpus = a.corpus.display().to_string();
    let into = format!("{} (collection {})", solr.nodes(), solr.collection);
    let mut o = out();
    if a.json {
        writeln!(o, "{}", index_json(&corpus, &into, &s))?;
    } else {
        write_index_text(&mut o, &corpus, &into, &s)?;
    }
    o.flush()?;
    Ok(Status::Ok)
}

/// Refuses, in so many words, what a SolrCloud search cannot do yet.
fn solr_unsupported(what: &[(bool, &str)]) -> Result<()> {
    if let Some((_, name)) = what.iter().find(|(asked, _)| *asked) {
        anyhow::bail!("{name} is not available with --solr yet; run it on a local index");
    }
    Ok(())
}

fn facets_of(args: &[FacetArg]) -> Vec<Facet> {
    count_request(Target::Articles, args, None).facets
}

fn solr_search(solr: &crate::solr::Solr, a: &SearchArgs, style: &Style) -> Result<Status> {
    solr_unsupported(&[
        (a.batch.is_some(), "search --batch"),
        (a.histogram.is_some(), "search --histogram"),
    ])?;
    let facets = facets_of(&a.facet);
    let ask = crate::solr::Ask {
        limit: a.page.limit,
        offset: a.page.offset,
        snippets: !a.no_snippets,
        sort: sort_of(a.sort),
        dates: DateRange::of_periods(a.filter.since, a.filter.until)?,
        facets: &facets,
    };
    let q = a.query.as_deref().unwrap_or("");
    let (r, counts) = crate::solr::search(solr, q, &ask)?;
    let opts = page_opts(a.page.limit, a.page.offset, true, true);
    print_articles(&r, &counts, &opts, a.page.json, style)
}

fn solr_quotes(solr: &crate::solr::Solr, a: &QuotesArgs, style: &Style) -> Result<Status> {
    solr_unsupported(&[
        (a.histogram.is_some(), "quotes --histogram"),
        (a.context, "quotes --context"),
    ])?;
    let facets = facets_of(&a.facet);
    let ask = crate::solr::Ask {
        limit: a.page.limit,
        offset: a.page.offset,
        snippets: true,
        sort: sort_of(a.sort),
        dates: DateRange::of_periods(a.filter.since, a.filter.until)?,
        facets: &facets,
    };
    let topic = a.query.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let (r, counts) = crate::solr::quotes(solr, topic, a.speaker.as_deref(), &ask)?;
    let opts = page_opts(a.page.limit, a.page.offset, true, true);
    print_quotes(&r, &counts, &opts, a.page.json, style)
}
