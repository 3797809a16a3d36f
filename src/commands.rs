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
    Cli, Command, IndexArgs, ParseArgs, QuotesArgs, SearchArgs, SpeakersArgs, StatsArgs,
};
use crate::index::{self, writer, NewsIndex};
use crate::output::escape::{for_terminal, path_for_terminal};
use crate::output::{json as jsonout, text::Style, use_color};
use crate::search::{Engine, SearchOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    NoResults,
}

impl From<Status> for std::process::ExitCode {
    fn from(s: Status) -> Self {
        match s {
            Status::Ok => std::process::ExitCode::SUCCESS,
            Status::NoResults => std::process::ExitCode::from(1),
        }
    }
}

/// Runs a command. A panic anywhere in it becomes an error (exit status 2 in `main`) with
/// a one-line message instead of a Rust backtrace; a closed output pipe (`| head`) ends the
/// command quietly.
pub fn run(cli: Cli) -> Result<Status> {
    install_panic_hook();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_command(cli))) {
        Ok(Err(e)) if is_broken_pipe(&e) => Ok(Status::Ok),
        Ok(r) => r,
        Err(p) => Err(anyhow::anyhow!(
            "internal error: {}. This is a bug in newsdex; please report it. If it happened while reading an index, the index may be damaged: `newsdex index CORPUS --index DIR --rebuild` builds it again",
            index::panic_message(&*p)
        )),
    }
}

/// Panics are reported as errors where they are caught; the default hook's message and
/// backtrace are shown only when RUST_BACKTRACE asks for them.
fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        return;
    }
    std::panic::set_hook(Box::new(|_| {}));
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
        Command::Index(a) => cmd_index(&cli.index, a),
        Command::Search(a) => {
            cmd_search(&cli.index, a, &style).map_err(|e| damage_hint(e, &cli.index))
        }
        Command::Quotes(a) => {
            cmd_quotes(&cli.index, a, &style).map_err(|e| damage_hint(e, &cli.index))
        }
        Command::Speakers(a) => {
            cmd_speakers(&cli.index, a, &style).map_err(|e| damage_hint(e, &cli.index))
        }
        Command::Parse(a) => cmd_parse(a, &style),
        Command::Stats(a) => cmd_stats(&cli.index, a).map_err(|e| damage_hint(e, &cli.index)),
    }
}

/// A read of the index that fails in tantivy or in I/O, after the index opened fine, means
/// a damaged segment file: say how to recover.
fn damage_hint(e: anyhow::Error, index_dir: &Path) -> anyhow::Error {
    let from_index = e.chain().any(|c| {
        c.is::<tantivy::TantivyError>()
            || c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() != std::io::ErrorKind::BrokenPipe)
    });
    if !from_index || format!("{e:#}").contains("--rebuild") {
        return e;
    }
    e.context(format!(
        "reading the index at {} failed; if it is damaged, `newsdex index CORPUS --index {} --rebuild` builds it again",
        index_dir.display(),
        index_dir.display()
    ))
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
                std::process::exit(130);
            }
        });
    }
    let opts = writer::IndexOptions {
        corpus: a.corpus.clone(),
        index_dir: index_dir.to_path_buf(),
        rebuild: a.rebuild,
        heap_bytes: (a.heap_mb as usize) << 20,
        writer_threads: a.threads,
        max_merge_docs: a.max_merge_docs as usize,
        max_file_bytes: a.max_file_mb << 20,
        // 0 commits after every batch of files (tests of interrupted runs use it).
        commit_every: Duration::from_secs(a.commit_secs),
        progress: !a.quiet && !a.json && std::io::stderr().is_terminal(),
    };
    let s = writer::run(&opts, &interrupt)?;
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
    let mb = s.bytes_read as f64 / 1e6;
    let mut o = out();
    if a.json {
        let v = json!({
            "corpus": a.corpus.display().to_string(),
            "index": index_dir.display().to_string(),
            "files_seen": s.files_seen,
            "added": s.added,
            "updated": s.updated,
            "removed": s.removed,
            "unchanged": s.unchanged,
            "skipped": s.skipped.iter().map(|i| json!({"path": i.path, "reason": i.message})).collect::<Vec<_>>(),
            "warnings": s.warnings.iter().map(|i| json!({"path": i.path, "message": i.message})).collect::<Vec<_>>(),
            "other_files": s.other_files,
            "articles_read": s.articles_read,
            "quotes_extracted": s.quotes,
            "articles_in_index": s.articles_in_index,
            "quotes_in_index": s.quotes_in_index,
            "bytes_read": s.bytes_read,
            "seconds": s.seconds,
            "commits": s.commits,
            "interrupted": s.interrupted,
        });
        writeln!(o, "{v}")?;
    } else {
        writeln!(
            o,
            "indexed {} into {}",
            a.corpus.display(),
            index_dir.display()
        )?;
        writeln!(
            o,
            "  files: {} seen, {} added, {} updated, {} removed, {} unchanged, {} skipped, {} with warnings",
            s.files_seen, s.added, s.updated, s.removed, s.unchanged, s.skipped.len(), s.warnings.len()
        )?;
        if s.other_files > 0 {
            writeln!(
                o,
                "  {} other files ignored (not .txt, .md or .jsonl)",
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
        writeln!(
            o,
            "  {:.2} s, {:.1} MB read, {:.1} MB/s",
            s.seconds,
            mb,
            if s.seconds > 0.0 { mb / s.seconds } else { 0.0 }
        )?;
    }
    o.flush()?;
    if s.interrupted {
        eprintln!("newsdex: interrupted: the work done so far is committed; run `newsdex index` again to finish");
        std::process::exit(130);
    }
    Ok(Status::Ok)
}

/// Opens the index for searching. `NewsIndex::open` checks the marker and the schema; the
/// segment files are opened here, and damage found in them gets the way to recover.
fn open_engine(index_dir: &Path) -> Result<Engine> {
    Engine::open(NewsIndex::open(index_dir)?).map_err(|e| {
        anyhow::anyhow!(
            "the index at {} is damaged ({e:#}); run `newsdex index CORPUS --index {} --rebuild` to build it again",
            index_dir.display(),
            index_dir.display()
        )
    })
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

fn cmd_search(index_dir: &Path, a: SearchArgs, style: &Style) -> Result<Status> {
    let engine = open_engine(index_dir)?;
    if let Some(batch) = &a.batch {
        return run_batch(&engine, batch, &a);
    }
    let q = a.query.as_deref().unwrap_or("");
    let mut opts = page_opts(a.page.limit, a.page.offset, !a.no_snippets, true);
    opts.with_quotes = !a.no_snippets;
    let r = engine.search(q, &opts)?;
    for w in &r.warnings {
        warn(w);
    }
    let mut o = out();
    if a.page.json {
        for line in jsonout::search_lines(&jsonout::flat_articles(&r)) {
            writeln!(o, "{line}")?;
        }
    } else {
        for h in &r.hits {
            write!(o, "{}", style.article_hit(h))?;
        }
        if r.hits.is_empty() {
            writeln!(o, "no articles match {}", for_terminal(&format!("{q:?}")))?;
        } else {
            writeln!(
                o,
                "\n{} of {} matching articles ({:.1} ms)",
                r.hits.len(),
                r.total.unwrap_or(0),
                r.took_ms
            )?;
        }
    }
    o.flush()?;
    Ok(if r.hits.is_empty() {
        Status::NoResults
    } else {
        Status::Ok
    })
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
    let opts = page_opts(a.page.limit, a.page.offset, !a.no_snippets, false);
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
            Ok(r) => {
                let flat = jsonout::flat_articles(&r);
                json!({"query": q, "hits": flat.hits, "warnings": r.warnings, "took_ms": r.took_ms})
            }
            Err(e) => json!({"query": q, "hits": [], "error": format!("{e:#}")}),
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
    let engine = open_engine(index_dir)?;
    let mut q = a.query.clone().unwrap_or_default();
    if let Some(s) = &a.speaker {
        // Every word of the name must be in the speaker's name.
        for w in s.split_whitespace() {
            let w = w.replace('"', "");
            if !w.is_empty() {
                q.push_str(&format!(" speaker:\"{w}\""));
            }
        }
    }
    if q.trim().is_empty() {
        anyhow::bail!("give a query, --speaker NAME, or both");
    }
    let r = engine.search_quotes(
        q.trim(),
        &page_opts(a.page.limit, a.page.offset, true, true),
    )?;
    for w in &r.warnings {
        warn(w);
    }
    let mut o = out();
    if a.page.json {
        for line in jsonout::search_lines(&jsonout::flat_quotes(&r)) {
            writeln!(o, "{line}")?;
        }
    } else {
        for h in &r.hits {
            write!(o, "{}", style.quote_hit(h))?;
        }
        if r.hits.is_empty() {
            writeln!(
                o,
                "no quotes match {}",
                for_terminal(&format!("{:?}", q.trim()))
            )?;
        } else {
            writeln!(
                o,
                "\n{} of {} matching quotes ({:.1} ms)",
                r.hits.len(),
                r.total.unwrap_or(0),
                r.took_ms
            )?;
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
    let engine = open_engine(index_dir)?;
    let started = Instant::now();
    let q = a.query.as_deref().unwrap_or("");
    let (rows, warnings) = engine.count_speakers(q, a.limit)?;
    for w in &warnings {
        warn(w);
    }
    let mut o = out();
    if a.json {
        for r in &rows {
            writeln!(o, "{}", jsonout::typed("speaker", r))?;
        }
        writeln!(
            o,
            "{}",
            json!({"type": "summary", "query": q, "returned": rows.len(), "took_ms": started.elapsed().as_secs_f64() * 1e3})
        )?;
    } else {
        for r in &rows {
            write!(o, "{}", style.speaker_row(r))?;
        }
        if rows.is_empty() {
            writeln!(
                o,
                "no quoted speakers match {}",
                for_terminal(&format!("{q:?}"))
            )?;
        }
    }
    o.flush()?;
    Ok(if rows.is_empty() {
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
        match crate::ingest::read_article(path, a.max_file_mb << 20) {
            Ok(p) => {
                for w in &p.warnings {
                    warn(&format!("{}: {w}", path_for_terminal(&shown)));
                }
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
                        "quotes": quotes,
                        "speakers": art.speakers,
                        "boilerplate": art.boilerplate,
                        "warnings": p.warnings,
                    });
                    writeln!(o, "{v}")?;
                } else {
                    writeln!(o, "{}", style_path(style, &shown))?;
                    writeln!(o, "  title: {}", for_terminal(&art.title))?;
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
                        write_pattern_legend(&mut o, quotes)?;
                    }
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
    let searcher = engine.searcher();
    let f = &engine.ni.fields;
    let counts = crate::search::stats::count_kinds(&searcher, f);
    let speakers = distinct_terms(&searcher, f.q_speaker_name)?;
    let size = index::size_on_disk(index_dir);
    let last = engine.ni.last_run();
    let segments = searcher.segment_readers().len();
    let mut o = out();
    if a.json {
        writeln!(
            o,
            "{}",
            json!({
                "index": index_dir.display().to_string(),
                "articles": counts.articles,
                "quotes": counts.quotes,
                "speakers": speakers,
                "size_bytes": size,
                "segments": segments,
                "schema_version": index::SCHEMA_VERSION,
                "last_run": last,
            })
        )?;
    } else {
        writeln!(o, "index     {}", index_dir.display())?;
        writeln!(o, "articles  {}", counts.articles)?;
        writeln!(o, "quotes    {}", counts.quotes)?;
        writeln!(o, "speakers  {}", speakers)?;
        writeln!(
            o,
            "size      {:.1} MB in {} segments",
            size as f64 / 1e6,
            segments
        )?;
        if let Some(l) = last {
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

/// Distinct values of a raw string field over all segments.
fn distinct_terms(searcher: &tantivy::Searcher, field: tantivy::schema::Field) -> Result<u64> {
    let mut set = std::collections::HashSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            set.insert(stream.key().to_vec());
        }
    }
    Ok(set.len() as u64)
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
