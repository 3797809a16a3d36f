//! Incremental indexing: compare the corpus with what the index holds, parse what changed in
//! parallel, and replace each changed article (and its quote documents) atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::schema::document::TantivyDocument;
use tantivy::{IndexWriter, Term};

use super::schema::{names, DOC_ARTICLE, DOC_QUOTE, DOC_SOURCE};
use super::{Fields, NewsIndex, RunInfo};
use crate::ingest::{self, Article, FileEntry};

pub struct IndexOptions {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub rebuild: bool,
    /// Memory budget of the tantivy writer, split among its threads.
    pub heap_bytes: usize,
    /// 0: let tantivy decide from the number of cores.
    pub writer_threads: usize,
    pub max_file_bytes: u64,
    /// Largest segment (documents) a merge may produce; see `index::merge`.
    pub max_merge_docs: usize,
    /// Commit at least this often, so an interrupted run loses little.
    pub commit_every: Duration,
    pub progress: bool,
}

/// A file that was indexed with a remark, or not indexed, with the reason.
#[derive(Debug, Clone)]
pub struct FileIssue {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct IndexSummary {
    pub files_seen: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: Vec<FileIssue>,
    pub warnings: Vec<FileIssue>,
    pub other_files: u64,
    pub quotes: u64,
    /// Articles parsed: one per text file, one per JSON Lines record.
    pub articles_read: u64,
    pub bytes_read: u64,
    pub seconds: f64,
    pub commits: u64,
    pub interrupted: bool,
    pub articles_in_index: u64,
    pub quotes_in_index: u64,
}

/// What the index holds for a source file: its mtime and size when it was indexed.
type Known = HashMap<String, (u64, u64)>;

fn known_sources(ni: &NewsIndex) -> Result<Known> {
    let reader = ni.index.reader().context("cannot read the index")?;
    let searcher = reader.searcher();
    let mut known = Known::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (Some(paths), Some(mtime), Some(size)) = (
            ff.str(names::PATH)?,
            ff.column_opt::<u64>(names::MTIME)?,
            ff.column_opt::<u64>(names::SIZE)?,
        ) else {
            continue;
        };
        // Documents that carry a file's stamp, by path ordinal, so the path dictionary is
        // read once in order rather than looked up per document.
        let mut stamped: Vec<(u64, u64, u64)> = seg
            .doc_ids_alive()
            .filter_map(|doc| {
                let m = mtime.first(doc)?;
                let ord = paths.term_ords(doc).next()?;
                Some((ord, m, size.first(doc).unwrap_or(0)))
            })
            .collect();
        stamped.sort_unstable();
        stamped.dedup_by_key(|s| s.0);
        let ords: Vec<u64> = stamped.iter().map(|s| s.0).collect();
        let mut it = stamped.iter();
        paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&(_, m, s)) = it.next() {
                known.insert(String::from_utf8_lossy(bytes).into_owned(), (m, s));
            }
        })?;
    }
    Ok(known)
}

/// Where an article came from and how it is identified.
pub struct ArticleMeta<'a> {
    /// The article's id: the file's path, or `file#ident` for a JSON Lines record.
    pub key: &'a str,
    /// The file it came from: the unit that is deleted and re-added on change.
    pub source: &'a str,
    pub category: &'a str,
    pub date: Option<&'a str>,
    /// The file's mtime and size, kept on the article document when the article is the
    /// whole file; JSON Lines files keep them on a source document instead.
    pub stamp: Option<(u64, u64)>,
}

/// Builds the article document and one document per quote. They go to the writer as one
/// batch, in this order: the quotes directly after their article is what lets
/// `search::in_quotes` find a quote's article without a stored link.
pub fn documents(f: &Fields, m: &ArticleMeta, a: &Article) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(1 + a.quotes.len());
    let mut d = TantivyDocument::new();
    d.add_text(f.doc_type, DOC_ARTICLE);
    d.add_text(f.path, m.key);
    d.add_text(f.source, m.source);
    d.add_text(f.category, m.category);
    d.add_text(f.title, &a.title);
    d.add_text(f.lead, a.lead());
    d.add_text(f.body, &a.body);
    for s in &a.speakers {
        d.add_text(f.speaker, s);
        d.add_text(f.speaker_name, s);
    }
    if let Some(date) = m.date {
        d.add_text(f.date, date);
    }
    if let Some((mtime, size)) = m.stamp {
        d.add_u64(f.mtime, mtime);
        d.add_u64(f.size, size);
    }
    docs.push(d);
    let keys = crate::quotes::canonical::quote_keys(&a.quotes);
    for (q, key) in a.quotes.iter().zip(keys) {
        let mut d = TantivyDocument::new();
        d.add_text(f.doc_type, DOC_QUOTE);
        d.add_text(f.path, m.key);
        d.add_text(f.source, m.source);
        d.add_text(f.q_category, m.category);
        d.add_text(f.q_text, &q.text);
        match a.body.find(q.text.as_str()).filter(|_| !q.text.is_empty()) {
            Some(at) => {
                d.add_u64(f.q_body_start, at as u64);
                d.add_u64(f.q_body_end, (at + q.text.len()) as u64);
            }
            None => d.add_text(f.q_own_text, &q.text),
        }
        if let Some(name) = key {
            d.add_text(f.q_speaker, &name);
            d.add_text(f.q_speaker_name, &name);
        }
        d.add_text(f.q_kind, q.kind.as_str());
        d.add_text(f.q_cue, &q.cue);
        if let Some(desc) = &q.description {
            d.add_text(f.q_description, desc);
        }
        d.add_u64(f.q_start, q.start as u64);
        d.add_u64(f.q_end, q.end as u64);
        docs.push(d);
    }
    docs
}

fn source_document(f: &Fields, e: &FileEntry) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.doc_type, DOC_SOURCE);
    d.add_text(f.path, &e.key);
    d.add_text(f.source, &e.key);
    d.add_u64(f.mtime, e.mtime);
    d.add_u64(f.size, e.size);
    d
}

struct Work {
    entry: FileEntry,
    update: bool,
}

/// Tallies shared by the parsing threads.
#[derive(Default)]
struct Tally {
    added: AtomicU64,
    updated: AtomicU64,
    articles: AtomicU64,
    quotes: AtomicU64,
    bytes: AtomicU64,
    skipped: Mutex<Vec<FileIssue>>,
    warnings: Mutex<Vec<FileIssue>>,
    /// The first error of the writer (its threads died: a full disk, say); the run stops
    /// and commits nothing more.
    failure: Mutex<Option<String>>,
    failed: AtomicBool,
}

impl Tally {
    fn skip(&self, path: String, message: String) {
        self.skipped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(FileIssue { path, message });
    }
    fn warn(&self, path: &str, messages: &[String]) {
        if !messages.is_empty() {
            let mut g = self.warnings.lock().unwrap_or_else(|p| p.into_inner());
            g.extend(messages.iter().map(|m| FileIssue {
                path: path.to_string(),
                message: m.clone(),
            }));
        }
    }
}

impl Tally {
    fn take_failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// Runs one file's operations as a batch, recording the writer's first failure.
    fn run(&self, writer: &IndexWriter, ops: Vec<UserOperation>) {
        if ops.is_empty() {
            return;
        }
        if let Err(err) = writer.run(ops) {
            self.failed.store(true, Ordering::Relaxed);
            self.failure
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(|| err.to_string());
        }
    }
}

/// Indexes one text file: one article. Returns the operations to run as one batch.
fn text_file_ops(f: &Fields, w: &Work, opts: &IndexOptions, tally: &Tally) -> Vec<UserOperation> {
    let e = &w.entry;
    // The delete and the adds go in one batch: consecutive opstamps, one segment, so an
    // article's documents stay together. Deleting first means a file that became
    // unreadable leaves no stale copy.
    let mut ops = Vec::new();
    if w.update {
        ops.push(UserOperation::Delete(Term::from_field_text(
            f.source, &e.key,
        )));
    }
    // A bug met by one file (a panic in the parser) skips that file, not the run.
    let result = std::panic::catch_unwind(|| {
        if super::failpoint("read-panic") && e.key.contains("panic-here") {
            panic!("failpoint read-panic");
        }
        ingest::read_article(&e.abs(&opts.corpus), opts.max_file_bytes)
    })
    .unwrap_or_else(|p| {
        Err(ingest::ReadError(format!(
            "internal error while reading this file ({}); please report it",
            super::panic_message(&*p)
        )))
    });
    match result {
        Ok(parsed) => {
            tally.warn(&e.key, &parsed.warnings);
            tally
                .quotes
                .fetch_add(parsed.article.quotes.len() as u64, Ordering::Relaxed);
            tally.articles.fetch_add(1, Ordering::Relaxed);
            let meta = ArticleMeta {
                key: &e.key,
                source: &e.key,
                category: e.category(),
                date: None,
                stamp: Some((e.mtime, e.size)),
            };
            ops.extend(
                documents(f, &meta, &parsed.article)
                    .into_iter()
                    .map(UserOperation::Add),
            );
            if w.update {
                &tally.updated
            } else {
                &tally.added
            }
            .fetch_add(1, Ordering::Relaxed);
        }
        Err(err) => tally.skip(e.key.to_string(), err.0),
    }
    bytes_done(tally, e.size.min(opts.max_file_bytes));
    ops
}

fn bytes_done(tally: &Tally, n: u64) {
    tally.bytes.fetch_add(n, Ordering::Relaxed);
}

/// Indexes a JSON Lines file in chunks of lines parsed in parallel. The source document
/// that marks the file as indexed is added last; without it, the next run redoes the file.
/// Returns false when interrupted.
fn index_jsonl(
    writer: &IndexWriter,
    f: &Fields,
    w: &Work,
    root: &Path,
    tally: &Tally,
    progress: &indicatif::ProgressBar,
    interrupt: &AtomicBool,
) -> Result<bool> {
    use std::io::BufRead;
    let e = &w.entry;
    // Always delete: an interrupted earlier run may have left records without the marker.
    writer.delete_term(Term::from_field_text(f.source, &e.key));
    let file = match std::fs::File::open(e.abs(root)) {
        Ok(file) => file,
        Err(err) => {
            tally.skip(e.key.to_string(), format!("cannot open: {err}"));
            return Ok(true);
        }
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let category = e.category();
    let chunk_bytes = 8 << 20;
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        let mut lines: Vec<(usize, String)> = Vec::new();
        let mut acc = 0;
        while acc < chunk_bytes {
            buf.clear();
            let n = reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("cannot read {}", e.key))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            acc += n;
            let line = String::from_utf8_lossy(&buf).trim().to_string();
            if !line.is_empty() {
                lines.push((line_no, line));
            }
        }
        if lines.is_empty() && acc == 0 {
            break;
        }
        lines
            .par_iter()
            .for_each(|(no, line)| match ingest::jsonl::parse_record(line, *no) {
                Ok(rec) => {
                    let article = ingest::parse(&rec.text);
                    tally
                        .quotes
                        .fetch_add(article.quotes.len() as u64, Ordering::Relaxed);
                    tally.articles.fetch_add(1, Ordering::Relaxed);
                    let key = format!("{}#{}", e.key, rec.ident);
                    let meta = ArticleMeta {
                        key: &key,
                        source: &e.key,
                        category: rec.category.as_deref().unwrap_or(category),
                        date: rec.date.as_deref(),
                        stamp: None,
                    };
                    let ops = documents(f, &meta, &article)
                        .into_iter()
                        .map(UserOperation::Add)
                        .collect();
                    tally.run(writer, ops);
                }
                Err(msg) => tally.skip(format!("{}#line-{no}", e.key), msg),
            });
        bytes_done(tally, acc as u64);
        progress.inc(acc as u64);
        if interrupt.load(Ordering::Relaxed) || tally.failed.load(Ordering::Relaxed) {
            return Ok(false);
        }
    }
    writer.add_document(source_document(f, e))?;
    if w.update {
        &tally.updated
    } else {
        &tally.added
    }
    .fetch_add(1, Ordering::Relaxed);
    Ok(true)
}

fn writer_error(e: tantivy::TantivyError, dir: &Path) -> anyhow::Error {
    match e {
        tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _) => {
            anyhow::anyhow!(super::in_use_message(dir))
        }
        other => anyhow::Error::new(other).context(format!(
            "cannot write to the index at {}; {}",
            dir.display(),
            super::rebuild_hint(dir)
        )),
    }
}

/// The error of a run whose writer failed: nothing of this run is committed.
fn failed_run(dir: &Path, cause: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "indexing failed: {cause}; nothing of this run was committed and the index at {} still holds its last commit (is the disk full?)",
        dir.display()
    )
}

/// Bounds the work of one batch: an interruption loses at most one batch, and commits
/// happen between batches, so a batch is small in bytes and in files.
const BATCH_BYTES: u64 = 16 << 20;
const BATCH_FILES: usize = 256;

fn commit(writer: &mut IndexWriter, corpus: &Path, dir: &Path, complete: bool) -> Result<()> {
    let info = RunInfo {
        committed_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        corpus: corpus.display().to_string(),
        complete,
    };
    let mut prepared = writer
        .prepare_commit()
        .map_err(|e| failed_run(dir, format!("cannot commit to the index: {e}")))?;
    prepared.set_payload(&serde_json::to_string(&info)?);
    prepared
        .commit()
        .map_err(|e| failed_run(dir, format!("cannot commit to the index: {e}")))?;
    Ok(())
}

/// How often freed heap memory is handed back to the system during a run.
const TRIM_EVERY: Duration = Duration::from_secs(2);

/// Segment flushes and merges free large buffers on several threads; glibc keeps such
/// memory in per-thread arenas, and over a long run the resident size creeps up with
/// memory that is free but not returned. Trimming every few seconds keeps the peak near
/// what is in use.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory and has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs one incremental indexing pass. `interrupt` is polled: when set, what was parsed so
/// far is committed and the run ends early.
pub fn run(opts: &IndexOptions, interrupt: &AtomicBool) -> Result<IndexSummary> {
    run_with(opts, interrupt, |corpus, exclude| {
        ingest::walk(corpus, Some(exclude))
    })
}

/// [`run`] with the walk supplied by the caller: tests use it to change the corpus between
/// the walk and the reads without a race.
pub fn run_with(
    opts: &IndexOptions,
    interrupt: &AtomicBool,
    walk: impl FnOnce(&Path, &Path) -> ingest::Walk,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let corpus = &opts.corpus;
    let meta = std::fs::metadata(corpus)
        .with_context(|| format!("cannot read corpus folder {}", corpus.display()))?;
    if !meta.is_dir() {
        anyhow::bail!("{} is not a folder", corpus.display());
    }
    let ni = open_for_writing(&opts.index_dir, opts.rebuild)?;
    let f = ni.fields;
    let threads = if opts.writer_threads > 0 {
        opts.writer_threads
    } else {
        // as tantivy chooses: one per core, at most eight, each with 15 MB or more
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        cores.min(8).min(opts.heap_bytes / (15 << 20)).max(1)
    };
    let mut writer: IndexWriter = ni
        .index
        .writer_with_options(
            tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(threads)
                .memory_budget_per_thread(opts.heap_bytes / threads)
                // one merge at a time: see index::merge
                .num_merge_threads(1)
                .build(),
        )
        .map_err(|e| writer_error(e, &opts.index_dir))?;
    writer.set_merge_policy(Box::new(super::merge::BoundedMergePolicy {
        max_docs: opts.max_merge_docs,
    }));

    let walked = walk(corpus, &opts.index_dir);
    let mut summary = IndexSummary {
        files_seen: walked.files.len() as u64,
        other_files: walked.other_files,
        ..Default::default()
    };
    for s in walked.skipped {
        summary.skipped.push(FileIssue {
            path: s.path,
            message: s.reason,
        });
    }

    let mut known = if opts.rebuild {
        Known::new()
    } else {
        known_sources(&ni).with_context(|| {
            format!(
                "the index at {} cannot be read; {}",
                opts.index_dir.display(),
                super::rebuild_hint(&opts.index_dir)
            )
        })?
    };
    let mut work = Vec::new();
    let mut jsonl = Vec::new();
    for e in walked.files {
        let update = match known.remove(&*e.key) {
            Some((m, s)) if m == e.mtime && s == e.size => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => true,
            None => false,
        };
        if ingest::jsonl::is_jsonl(Path::new(&*e.key)) {
            jsonl.push(Work { entry: e, update });
        } else {
            work.push(Work { entry: e, update });
        }
    }
    // Whatever is left in `known` is no longer in the corpus.
    for source in known.keys() {
        writer.delete_term(Term::from_field_text(f.source, source));
        summary.removed += 1;
    }

    let total_bytes: u64 = work.iter().chain(&jsonl).map(|w| w.entry.size).sum();
    let progress = crate::output::progress::bar(opts.progress, total_bytes);
    let tally = Tally::default();

    // Batches bound the work lost to an interruption; each ends with a commit when the
    // commit interval has passed.
    let mut last_commit = Instant::now();
    let mut last_trim = Instant::now();
    let mut maybe_commit = |writer: &mut IndexWriter, summary: &mut IndexSummary| -> Result<()> {
        if last_trim.elapsed() >= TRIM_EVERY {
            release_free_memory();
            last_trim = Instant::now();
        }
        if last_commit.elapsed() >= opts.commit_every {
            commit(writer, corpus, &opts.index_dir, false)?;
            summary.commits += 1;
            last_commit = Instant::now();
        }
        Ok(())
    };
    let mut i = 0;
    while i < work.len() {
        let mut j = i;
        let mut acc = 0u64;
        while j < work.len() && ((acc < BATCH_BYTES && j - i < BATCH_FILES) || j == i) {
            acc += work[j].entry.size;
            j += 1;
        }
        let writer_ref = &writer;
        work[i..j].par_iter().for_each(|w| {
            if interrupt.load(Ordering::Relaxed) || tally.failed.load(Ordering::Relaxed) {
                return;
            }
            let ops = text_file_ops(&f, w, opts, &tally);
            tally.run(writer_ref, ops);
            progress.inc(w.entry.size);
        });
        i = j;
        if let Some(err) = tally.take_failure() {
            progress.finish_and_clear();
            return Err(failed_run(&opts.index_dir, err));
        }
        if interrupt.load(Ordering::Relaxed) {
            summary.interrupted = true;
            break;
        }
        if i < work.len() || !jsonl.is_empty() {
            maybe_commit(&mut writer, &mut summary)?;
        }
    }
    for w in &jsonl {
        if summary.interrupted {
            break;
        }
        let complete = index_jsonl(&writer, &f, w, corpus, &tally, &progress, interrupt)?;
        if let Some(err) = tally.take_failure() {
            progress.finish_and_clear();
            return Err(failed_run(&opts.index_dir, err));
        }
        if !complete {
            summary.interrupted = true;
            break;
        }
        maybe_commit(&mut writer, &mut summary)?;
    }
    progress.finish_and_clear();
    commit(&mut writer, corpus, &opts.index_dir, !summary.interrupted)?;
    summary.commits += 1;
    writer
        .wait_merging_threads()
        .map_err(|e| anyhow::anyhow!("merging index segments failed: {e}; the index is committed and searchable, and the next run merges again"))?;

    summary.skipped.extend(
        tally
            .skipped
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
    );
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings = tally
        .warnings
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    summary.added = tally.added.into_inner();
    summary.updated = tally.updated.into_inner();
    summary.articles_read = tally.articles.into_inner();
    summary.quotes = tally.quotes.into_inner();
    summary.bytes_read = tally.bytes.into_inner();
    let counts = crate::search::stats::doc_counts(&ni.index, &f)?;
    summary.articles_in_index = counts.articles;
    summary.quotes_in_index = counts.quotes;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// `rebuild` removes the index files (under the writer lock, so never those of a concurrent
/// run) and creates the index again: that recovers from any damage.
fn open_for_writing(dir: &Path, rebuild: bool) -> Result<NewsIndex> {
    NewsIndex::open_or_create(dir, rebuild)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(corpus: &Path, index_dir: &Path) -> IndexOptions {
        IndexOptions {
            corpus: corpus.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
            rebuild: false,
            heap_bytes: 32 << 20,
            writer_threads: 1,
            max_merge_docs: 100_000,
            max_file_bytes: 1 << 20,
            commit_every: Duration::from_secs(60),
            progress: false,
        }
    }

    /// Files deleted, truncated or replaced by a FIFO after the walk saw them: each is
    /// reported or indexed as it now is, and the run goes on.
    #[test]
    fn files_changed_between_walk_and_read() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        for (name, text) in [
            (
                "deleted.txt",
                "Gone\n\nThis file is deleted after the walk.\n",
            ),
            (
                "truncated.txt",
                "Cut short\n\nFirst paragraph stays. Second goes.\n",
            ),
            ("emptied.txt", "Emptied\n\nAll of this goes.\n"),
            ("fifo.txt", "Was a file\n\nThen a FIFO.\n"),
            ("kept.txt", "Kept\n\nThis one is untouched.\n"),
        ] {
            std::fs::write(corpus.join(name), text).unwrap();
        }
        let o = opts(&corpus, &tmp.path().join("idx"));
        let never = AtomicBool::new(false);
        let s = run_with(&o, &never, |root, exclude| {
            let w = ingest::walk(root, Some(exclude));
            std::fs::remove_file(root.join("deleted.txt")).unwrap();
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(root.join("truncated.txt"))
                .unwrap();
            f.set_len(10).unwrap();
            std::fs::File::create(root.join("emptied.txt")).unwrap();
            std::fs::remove_file(root.join("fifo.txt")).unwrap();
            let c = std::ffi::CString::new(root.join("fifo.txt").to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            w
        })
        .unwrap();
        assert_eq!(s.files_seen, 5);
        let skipped: Vec<(&str, &str)> = s
            .skipped
            .iter()
            .map(|i| (i.path.as_str(), i.message.as_str()))
            .collect();
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(skipped[0].0 == "deleted.txt" && skipped[0].1.contains("cannot open"));
        assert!(skipped[1].0 == "emptied.txt" && skipped[1].1.contains("empty"));
        assert!(skipped[2].0 == "fifo.txt" && skipped[2].1.contains("not a regular file"));
        // The truncated file is indexed with what is left of it ("Cut short\n").
        assert_eq!(s.added, 2);
        assert_eq!(s.articles_in_index, 2);
    }
}
