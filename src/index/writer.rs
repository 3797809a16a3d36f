//! Incremental indexing: compare the corpus with what the index holds, parse what changed in
//! parallel, and replace each changed article (and its quote documents) atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::schema::document::TantivyDocument;
use tantivy::{IndexWriter, Term};

use super::roots::{self, Consent, Plan, Root};
use super::schema::{names, DOC_ARTICLE, DOC_QUOTE, DOC_SOURCE};
use super::{Fields, NewsIndex, RunInfo};
use crate::ingest::meta::Metadata;
use crate::ingest::{self, Article, FileEntry};

pub struct IndexOptions {
    /// Corpus folders given to the run; none: every folder the index remembers.
    pub corpora: Vec<PathBuf>,
    pub index_dir: PathBuf,
    /// Build a new index aside and switch to it when complete.
    pub rebuild: bool,
    /// What the user confirmed: new folders, many removals.
    pub consent: Consent,
    /// Memory budget of the tantivy writer, split among its threads.
    pub heap_bytes: usize,
    /// 0: let tantivy decide from the number of cores.
    pub writer_threads: usize,
    pub max_file_bytes: u64,
    /// Largest segment (documents) a merge may produce; see `index::merge`.
    pub max_merge_docs: usize,
    /// Commit at least this often, so an interrupted run loses little.
    pub commit_every: Duration,
    /// Extra key names for the metadata fields of JSON Lines records.
    pub field_map: ingest::jsonl::FieldMap,
}

/// The command line's defaults: the folders the index remembers (`corpus` for a new index)
/// into `index`, no new folders or mass removals confirmed, 128 MB, 20 MB files, commits
/// every minute.
impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            corpora: Vec::new(),
            index_dir: PathBuf::from("index"),
            rebuild: false,
            consent: Consent::default(),
            heap_bytes: 128 << 20,
            writer_threads: 0,
            max_file_bytes: 20 << 20,
            max_merge_docs: 250_000,
            commit_every: Duration::from_secs(60),
            field_map: Default::default(),
        }
    }
}

/// A file that was indexed with a remark, or not indexed, with the reason.
#[derive(Debug, Clone)]
pub struct FileIssue {
    /// The file, or `FILE#line-N` for a record of a JSON Lines file.
    pub path: String,
    pub message: String,
    /// A JSON Lines record rather than a file: its file is counted as added or updated.
    pub record: bool,
}

impl FileIssue {
    pub(crate) fn file(path: String, message: String) -> FileIssue {
        FileIssue {
            path,
            message,
            record: false,
        }
    }
    pub(crate) fn record(at: String, message: String) -> FileIssue {
        FileIssue {
            path: at,
            message,
            record: true,
        }
    }
}

#[derive(Debug, Default)]
pub struct IndexSummary {
    /// The folders walked by the run.
    pub folders: Vec<String>,
    pub files_seen: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: Vec<FileIssue>,
    /// Files not indexed because reading them hit a bug (a panic, contained to the file or,
    /// in a JSON Lines file, to the record).
    pub internal_errors: Vec<FileIssue>,
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

impl IndexSummary {
    /// Files (not JSON Lines records) skipped for what they hold.
    pub fn files_skipped(&self) -> u64 {
        self.skipped.iter().filter(|i| !i.record).count() as u64
    }
    /// Files (not JSON Lines records) not indexed because reading them hit a bug.
    pub fn files_failed(&self) -> u64 {
        self.internal_errors.iter().filter(|i| !i.record).count() as u64
    }
    /// JSON Lines records left out, skipped or failed; their files are indexed.
    pub fn records_skipped(&self) -> u64 {
        self.skipped
            .iter()
            .chain(&self.internal_errors)
            .filter(|i| i.record)
            .count() as u64
    }
}

/// What decides whether a file changed since it was indexed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    pub size: u64,
    /// The fingerprint of the metadata file row the file was indexed with; 0: none.
    pub meta: u64,
}

/// What the index holds for each source file.
type Known = HashMap<String, FileStamp>;

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
        let meta = ff.column_opt::<u64>(names::META_STAMP)?;
        // Documents that carry a file's stamp, by path ordinal, so the path dictionary is
        // read once in order rather than looked up per document.
        let mut stamped: Vec<(u64, FileStamp)> = seg
            .doc_ids_alive()
            .filter_map(|doc| {
                let stamp = FileStamp {
                    mtime: mtime.first(doc)?,
                    size: size.first(doc).unwrap_or(0),
                    meta: meta.as_ref().and_then(|m| m.first(doc)).unwrap_or(0),
                };
                Some((paths.term_ords(doc).next()?, stamp))
            })
            .collect();
        stamped.sort_unstable_by_key(|s| s.0);
        stamped.dedup_by_key(|s| s.0);
        let ords: Vec<u64> = stamped.iter().map(|s| s.0).collect();
        let mut it = stamped.iter();
        paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&(_, stamp)) = it.next() {
                known.insert(String::from_utf8_lossy(bytes).into_owned(), stamp);
            }
        })?;
    }
    Ok(known)
}

/// Where an article came from and how it is identified.
pub(crate) struct ArticleMeta<'a> {
    /// The article's id: the file's path, or `file#ident` for a JSON Lines record.
    pub key: &'a str,
    /// The file it came from: the unit that is deleted and re-added on change.
    pub source: &'a str,
    pub category: &'a str,
    /// The file's stamp, kept on the article document when the article is the whole
    /// file; JSON Lines files keep theirs on a source document instead.
    pub stamp: Option<FileStamp>,
}

/// Builds the article document and one document per quote. They go to the writer as one
/// batch, in this order: the quotes directly after their article is what lets
/// `search::in_quotes` find a quote's article without a stored link.
pub(crate) fn documents(f: &Fields, m: &ArticleMeta, a: &Article) -> Vec<TantivyDocument> {
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
    add_article_metadata(&mut d, f, &a.meta);
    if let Some(k) = ingest::dedup::keys(&a.body) {
        d.add_u64(f.dup_exact, k.exact);
        d.add_u64(f.dup_near, k.near);
    }
    if let Some(stamp) = m.stamp {
        d.add_u64(f.mtime, stamp.mtime);
        d.add_u64(f.size, stamp.size);
        d.add_u64(f.meta_stamp, stamp.meta);
    }
    docs.push(d);
    for (q, key) in a.quotes.iter().zip(&a.speaker_keys) {
        let mut d = TantivyDocument::new();
        d.add_text(f.doc_type, DOC_QUOTE);
        d.add_text(f.path, m.key);
        d.add_text(f.source, m.source);
        d.add_text(f.q_category, m.category);
        add_quote_metadata(&mut d, f, &a.meta);
        d.add_text(f.q_text, &q.text);
        match a.body.find(q.text.as_str()).filter(|_| !q.text.is_empty()) {
            Some(at) => {
                d.add_u64(f.q_body_start, at as u64);
                d.add_u64(f.q_body_end, (at + q.text.len()) as u64);
            }
            None => d.add_text(f.q_own_text, &q.text),
        }
        if let Some(name) = key {
            d.add_text(f.q_speaker, name);
            d.add_text(f.q_speaker_name, name);
        }
        d.add_text(f.q_kind, q.kind.as_str());
        d.add_text(f.q_cue, &q.cue);
        if let Some(desc) = &q.description {
            d.add_text(f.q_description, desc);
        }
        d.add_u64(f.q_start, q.start as u64);
        d.add_u64(f.q_end, q.end as u64);
        d.add_u64(f.q_key, ingest::dedup::exact_key(&q.text));
        docs.push(d);
    }
    docs
}

/// The article's date, source, authors, URL and language on its document.
fn add_article_metadata(d: &mut TantivyDocument, f: &Fields, meta: &Metadata) {
    if let Some(day) = meta.day() {
        d.add_text(f.date, day.to_string());
        d.add_i64(f.day, day.0);
    }
    if let Some(source) = meta.source() {
        d.add_text(f.outlet, source);
    }
    for author in meta.authors() {
        d.add_text(f.author, author);
    }
    if let Some(url) = &meta.url {
        d.add_text(f.url, &url.value);
    }
    if let Some(lang) = &meta.language {
        d.add_text(f.language, &lang.value);
    }
}

/// What quote searches filter and count by, copied from the article onto each quote: a
/// quote document holds no link to its article's fields.
fn add_quote_metadata(d: &mut TantivyDocument, f: &Fields, meta: &Metadata) {
    if let Some(day) = meta.day() {
        d.add_i64(f.day, day.0);
    }
    if let Some(source) = meta.source() {
        d.add_text(f.q_outlet, source);
    }
    for author in meta.authors() {
        d.add_text(f.q_author, author);
    }
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
    /// The metadata file row that names the file.
    row: Option<Arc<ingest::metafile::Row>>,
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
    internal_errors: Mutex<Vec<FileIssue>>,
    warnings: Mutex<Vec<FileIssue>>,
    /// The first error of the writer (its threads died: a full disk, say); the run stops
    /// and commits nothing more.
    failure: Mutex<Option<String>>,
    failed: AtomicBool,
}

impl Tally {
    fn skip(&self, path: String, message: String) {
        lock(&self.skipped).push(FileIssue::file(path, message));
    }
    /// A JSON Lines record left out; its file is indexed.
    fn skip_record(&self, at: String, message: String) {
        lock(&self.skipped).push(FileIssue::record(at, message));
    }
    /// A bug (a panic) met while reading a file.
    fn internal_error(&self, path: String, message: String) {
        lock(&self.internal_errors).push(FileIssue::file(path, message));
    }
    fn warn(&self, path: &str, messages: &[String]) {
        if !messages.is_empty() {
            let mut g = self.warnings.lock().unwrap_or_else(|p| p.into_inner());
            g.extend(
                messages
                    .iter()
                    .map(|m| FileIssue::file(path.to_string(), m.clone())),
            );
        }
    }
}

impl Tally {
    /// Moves the counts and the files reported into the summary, sorted by path.
    fn into_summary(self, summary: &mut IndexSummary) {
        let issues = |m: Mutex<Vec<FileIssue>>| {
            let mut v = m.into_inner().unwrap_or_else(|p| p.into_inner());
            v.sort_by(|a, b| a.path.cmp(&b.path));
            v
        };
        summary.skipped.extend(issues(self.skipped));
        summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        summary.internal_errors = issues(self.internal_errors);
        // Warnings on metadata files are already there.
        summary.warnings.extend(issues(self.warnings));
        summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
        summary.added = self.added.into_inner();
        summary.updated = self.updated.into_inner();
        summary.articles_read = self.articles.into_inner();
        summary.quotes = self.quotes.into_inner();
        summary.bytes_read = self.bytes.into_inner();
    }

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
fn text_file_ops(
    f: &Fields,
    w: &Work,
    root: &Path,
    max_file_bytes: u64,
    tally: &Tally,
) -> Vec<UserOperation> {
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
    // A bug met by one file (a panic in the parser) costs that file, not the run; it is
    // reported as a bug, apart from the files skipped for what they hold.
    let result = std::panic::catch_unwind(|| {
        if super::failpoint("read-panic") && e.key.contains("panic-here") {
            panic!("failpoint read-panic");
        }
        ingest::read_article(&e.abs(root), max_file_bytes)
    });
    let result = match result {
        Ok(r) => r,
        Err(p) => {
            tally.internal_error(e.key.to_string(), super::panic_message(&*p));
            bytes_done(tally, e.size.min(max_file_bytes));
            return ops;
        }
    };
    match result {
        Ok(mut parsed) => {
            if let Some(row) = &w.row {
                parsed.article.meta.overlay(&row.meta);
            }
            tally.warn(&e.key, &parsed.warnings);
            tally
                .quotes
                .fetch_add(parsed.article.quotes.len() as u64, Ordering::Relaxed);
            tally.articles.fetch_add(1, Ordering::Relaxed);
            let meta = ArticleMeta {
                key: &e.key,
                source: &e.key,
                category: e.category(),
                stamp: Some(FileStamp {
                    mtime: e.mtime,
                    size: e.size,
                    meta: w.row.as_ref().map_or(0, |r| r.stamp),
                }),
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
    bytes_done(tally, e.size.min(max_file_bytes));
    ops
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn bytes_done(tally: &Tally, n: u64) {
    tally.bytes.fetch_add(n, Ordering::Relaxed);
}

/// Lines of a JSON Lines file read and parsed in parallel at a time.
const JSONL_CHUNK_BYTES: usize = 8 << 20;

/// Indexes a JSON Lines file in chunks of lines parsed in parallel. The source document
/// that marks the file as indexed is added last; without it, the next run redoes the file.
/// Returns false when interrupted.
#[allow(clippy::too_many_arguments)]
fn index_jsonl(
    writer: &IndexWriter,
    f: &Fields,
    w: &Work,
    root: &Path,
    max_file_bytes: u64,
    tally: &Tally,
    progress: &dyn Progress,
    interrupt: &AtomicBool,
    field_map: &ingest::jsonl::FieldMap,
) -> Result<bool> {
    let e = &w.entry;
    // Always delete: an interrupted earlier run may have left records without the marker.
    writer.delete_term(Term::from_field_text(f.source, &e.key));
    let file = match ingest::open_regular(&e.abs(root)) {
        Ok(file) => file,
        Err(err) => {
            tally.skip(e.key.to_string(), err.0);
            return Ok(true);
        }
    };
    let mut reader = ingest::jsonl::LineReader::new(file, max_file_bytes);
    loop {
        let (lines, taken) = reader
            .chunk(JSONL_CHUNK_BYTES)
            .with_context(|| format!("cannot read {}", e.key))?;
        if taken == 0 {
            break;
        }
        lines.par_iter().for_each(|line| {
            let ops = record_ops(f, e, line, max_file_bytes, field_map, tally);
            tally.run(writer, ops);
        });
        bytes_done(tally, taken);
        progress.advance(taken);
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

/// The documents of one JSON Lines record. A record that cannot be read is skipped and
/// reported by file and line; a bug met by one record (a panic in the parser) costs that
/// record, reported as a bug by file and line, not the file or the run.
fn record_ops(
    f: &Fields,
    e: &FileEntry,
    line: &ingest::jsonl::RawLine,
    max_file_bytes: u64,
    field_map: &ingest::jsonl::FieldMap,
    tally: &Tally,
) -> Vec<UserOperation> {
    let at = format!("{}#line-{}", e.key, line.no);
    let parsed = std::panic::catch_unwind(|| {
        if super::failpoint("read-panic") && line.bytes.windows(10).any(|w| w == b"panic-here") {
            panic!("failpoint read-panic");
        }
        ingest::jsonl::read_record(line, max_file_bytes, field_map)
    });
    let rec = match parsed {
        Ok(Ok(rec)) => rec,
        Ok(Err(msg)) => {
            tally.skip_record(at, msg);
            return Vec::new();
        }
        Err(p) => {
            lock(&tally.internal_errors).push(FileIssue::record(at, super::panic_message(&*p)));
            return Vec::new();
        }
    };
    tally.warn(&at, &rec.warnings);
    tally
        .quotes
        .fetch_add(rec.article.quotes.len() as u64, Ordering::Relaxed);
    tally.articles.fetch_add(1, Ordering::Relaxed);
    let key = format!("{}#{}", e.key, rec.ident);
    let meta = ArticleMeta {
        key: &key,
        source: &e.key,
        category: rec.category.as_deref().unwrap_or(e.category()),
        stamp: None,
    };
    documents(f, &meta, &rec.article)
        .into_iter()
        .map(UserOperation::Add)
        .collect()
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

/// The least memory budget of one writer thread, as tantivy chooses its thread count.
const MIN_WRITER_THREAD_HEAP_BYTES: usize = 15 << 20;

fn commit(writer: &mut IndexWriter, roots: &[Root], dir: &Path, complete: bool) -> Result<()> {
    let shown: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
    let info = RunInfo {
        committed_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        corpus: shown.join(", "),
        roots: roots.to_vec(),
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

/// Told how far a run has got, in bytes of article files: the binary draws a progress bar.
pub trait Progress: Sync {
    fn start(&self, _total_bytes: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

/// No progress report.
impl Progress for () {}

/// Runs one indexing pass: an incremental update, or a rebuild built aside. `interrupt` is
/// polled: when set, what was parsed so far is committed and the run ends early.
pub fn run(
    opts: &IndexOptions,
    interrupt: &AtomicBool,
    progress: &dyn Progress,
) -> Result<IndexSummary> {
    run_with(opts, interrupt, progress, |root, exclude| {
        ingest::walk(root, Some(exclude))
    })
}

/// [`run`] with the walk of each folder supplied by the caller: tests use it to change the
/// corpus between the walk and the reads without a race.
pub(crate) fn run_with(
    opts: &IndexOptions,
    interrupt: &AtomicBool,
    progress: &dyn Progress,
    walk: impl FnMut(&Path, &Path) -> ingest::Walk,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let pass = Pass {
        opts,
        interrupt,
        progress,
    };
    let mut summary = if opts.rebuild {
        pass.rebuild(walk)?
    } else {
        pass.update(walk)?
    };
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// What every step of a run needs.
struct Pass<'a> {
    opts: &'a IndexOptions,
    interrupt: &'a AtomicBool,
    progress: &'a dyn Progress,
}

impl Pass<'_> {
    /// Brings the index up to date with its folders.
    fn update(&self, walk: impl FnMut(&Path, &Path) -> ingest::Walk) -> Result<IndexSummary> {
        let dir = &self.opts.index_dir;
        let ni = NewsIndex::open_or_create(dir)?;
        let writer = self.writer(&ni)?;
        // The writer lock is held: no rebuild is running, so its folder is a leftover.
        super::rebuild::remove_leftover(dir)?;
        let known = known_sources(&ni).with_context(|| {
            format!(
                "the index at {} cannot be read; {}",
                dir.display(),
                super::rebuild_hint(dir)
            )
        })?;
        let remembered = ni.last_run().map(|r| r.roots).unwrap_or_default();
        let plan = roots::plan(
            &self.opts.corpora,
            &remembered,
            !known.is_empty(),
            self.opts.consent,
        )?;
        let mut summary = self.index(&ni, writer, &plan, known, walk)?;
        set_counts(&mut summary, &ni.index, &ni.fields)?;
        keep_clusters(&summary, &ni.index, dir)?;
        Ok(summary)
    }

    /// Builds a new index aside and switches to it when complete; an interrupted or failed
    /// rebuild leaves the old index as it was.
    fn rebuild(&self, walk: impl FnMut(&Path, &Path) -> ingest::Walk) -> Result<IndexSummary> {
        let dir = &self.opts.index_dir;
        let aside = super::rebuild::Aside::begin(dir)?;
        let remembered = match self.opts.corpora.is_empty() {
            true => super::last_run_in(dir).map(|r| r.roots).unwrap_or_default(),
            false => Vec::new(),
        };
        let plan = roots::plan(&self.opts.corpora, &remembered, false, self.opts.consent)?;
        let mut summary = {
            let ni = NewsIndex::open_or_create(&aside.build)?;
            let writer = self.writer(&ni)?;
            self.index(&ni, writer, &plan, Known::new(), walk)?
        };
        if summary.interrupted {
            drop(aside);
        } else {
            aside.switch()?;
        }
        // The index now searched: the new one, or the old one after an interruption.
        if let Ok(ni) = NewsIndex::open(dir) {
            set_counts(&mut summary, &ni.index, &ni.fields)?;
            keep_clusters(&summary, &ni.index, dir)?;
        }
        Ok(summary)
    }

    fn writer(&self, ni: &NewsIndex) -> Result<IndexWriter> {
        let opts = self.opts;
        let threads = if opts.writer_threads > 0 {
            opts.writer_threads
        } else {
            // as tantivy chooses: one per core, at most eight, each with 15 MB or more
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            cores
                .min(8)
                .min(opts.heap_bytes / MIN_WRITER_THREAD_HEAP_BYTES)
                .max(1)
        };
        let writer: IndexWriter = ni
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
        Ok(writer)
    }

    /// Walks the run's folders, removes what they no longer hold, indexes what changed and
    /// commits. The writer is closed when this returns.
    fn index(
        &self,
        ni: &NewsIndex,
        mut writer: IndexWriter,
        plan: &Plan,
        mut known: Known,
        walk: impl FnMut(&Path, &Path) -> ingest::Walk,
    ) -> Result<IndexSummary> {
        let f = ni.fields;
        let walked = walk_folders(plan, &self.opts.index_dir, walk);
        let mut summary = IndexSummary {
            folders: plan
                .walked
                .iter()
                .map(|&i| plan.roots[i].path.display().to_string())
                .collect(),
            // Every article file found, indexed or not: the sum of added, updated, unchanged
            // and skipped (and internal errors, and files an interruption left).
            files_seen: (walked.files.len() + walked.skipped.len()) as u64,
            other_files: walked.other_files,
            ..Default::default()
        };
        summary.skipped.extend(
            walked
                .skipped
                .into_iter()
                .map(|s| FileIssue::file(s.path, s.reason)),
        );
        let indexed = per_folder(known.keys(), plan);
        let rows = metadata_rows(plan, &walked.metadata, &walked.files, &mut summary);
        let (text, jsonl) = split_work(walked.files, &rows, &mut known, &mut summary);
        // Whatever of the run's folders is left in `known` is no longer in the corpus.
        let gone: Vec<String> = known
            .into_keys()
            .filter(|k| roots::owner(k, &plan.roots).is_some_and(|i| plan.walked.contains(&i)))
            .collect();
        roots::check_removals(
            &plan.roots,
            &indexed,
            &per_folder(gone.iter(), plan),
            self.opts.consent,
        )?;
        for source in &gone {
            writer.delete_term(Term::from_field_text(f.source, source));
        }
        summary.removed = gone.len() as u64;
        let tally = Tally::default();
        let added = self.add_files(&mut writer, &f, plan, &text, &jsonl, &tally, &mut summary);
        self.progress.finish();
        added?;
        commit(
            &mut writer,
            &plan.roots,
            &self.opts.index_dir,
            !summary.interrupted,
        )?;
        summary.commits += 1;
        writer
            .wait_merging_threads()
            .map_err(|e| anyhow::anyhow!("merging index segments failed: {e}; the index is committed and searchable, and the next run merges again"))?;
        tally.into_summary(&mut summary);
        Ok(summary)
    }

    /// Parses and adds the changed files in batches, committing between batches when the
    /// commit interval has passed.
    #[allow(clippy::too_many_arguments)]
    fn add_files(
        &self,
        writer: &mut IndexWriter,
        f: &Fields,
        plan: &Plan,
        text: &[Work],
        jsonl: &[Work],
        tally: &Tally,
        summary: &mut IndexSummary,
    ) -> Result<()> {
        let opts = self.opts;
        self.progress
            .start(text.iter().chain(jsonl).map(|w| w.entry.size).sum());
        let mut clock = CommitClock::new();
        let failed = |tally: &Tally| tally.take_failure().map(|e| failed_run(&opts.index_dir, e));
        let mut batches = batches(text).peekable();
        while let Some(batch) = batches.next() {
            let writer_ref = &*writer;
            batch.par_iter().for_each(|w| {
                if self.interrupt.load(Ordering::Relaxed) || tally.failed.load(Ordering::Relaxed) {
                    return;
                }
                let root = &plan.roots[w.entry.root as usize].path;
                tally.run(
                    writer_ref,
                    text_file_ops(f, w, root, opts.max_file_bytes, tally),
                );
                self.progress.advance(w.entry.size);
            });
            if let Some(err) = failed(tally) {
                return Err(err);
            }
            if self.interrupt.load(Ordering::Relaxed) {
                summary.interrupted = true;
                return Ok(());
            }
            if batches.peek().is_some() || !jsonl.is_empty() {
                clock.tick(writer, &plan.roots, opts, summary)?;
            }
        }
        for w in jsonl {
            let root = &plan.roots[w.entry.root as usize].path;
            let complete = index_jsonl(
                writer,
                f,
                w,
                root,
                opts.max_file_bytes,
                tally,
                self.progress,
                self.interrupt,
                &opts.field_map,
            )?;
            if let Some(err) = failed(tally) {
                return Err(err);
            }
            if !complete {
                summary.interrupted = true;
                return Ok(());
            }
            clock.tick(writer, &plan.roots, opts, summary)?;
        }
        Ok(())
    }
}

/// Consecutive runs of files, bounded in bytes and in files: an interruption loses at most
/// one batch, and commits happen between batches.
fn batches(work: &[Work]) -> impl Iterator<Item = &[Work]> {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= work.len() {
            return None;
        }
        let mut j = i;
        let mut acc = 0u64;
        while j < work.len() && ((acc < BATCH_BYTES && j - i < BATCH_FILES) || j == i) {
            acc += work[j].entry.size;
            j += 1;
        }
        let batch = &work[i..j];
        i = j;
        Some(batch)
    })
}

/// Periodic commits and memory trims of a long run.
struct CommitClock {
    last_commit: Instant,
    last_trim: Instant,
}

impl CommitClock {
    fn new() -> CommitClock {
        CommitClock {
            last_commit: Instant::now(),
            last_trim: Instant::now(),
        }
    }

    fn tick(
        &mut self,
        writer: &mut IndexWriter,
        roots: &[Root],
        opts: &IndexOptions,
        summary: &mut IndexSummary,
    ) -> Result<()> {
        if self.last_trim.elapsed() >= TRIM_EVERY {
            release_free_memory();
            self.last_trim = Instant::now();
        }
        if self.last_commit.elapsed() >= opts.commit_every {
            commit(writer, roots, &opts.index_dir, false)?;
            summary.commits += 1;
            self.last_commit = Instant::now();
        }
        Ok(())
    }
}

/// The article files of the run's folders, their keys prefixed by their folder's prefix.
fn walk_folders(
    plan: &Plan,
    index_dir: &Path,
    mut walk: impl FnMut(&Path, &Path) -> ingest::Walk,
) -> ingest::Walk {
    let mut all = ingest::Walk::default();
    for &i in &plan.walked {
        let root = &plan.roots[i];
        let w = walk(&root.path, index_dir);
        all.files.extend(
            w.files
                .into_iter()
                .map(|e| e.in_folder(i as u16, &root.prefix)),
        );
        all.skipped.extend(w.skipped.into_iter().map(|mut s| {
            s.path = format!("{}{}", root.prefix, s.path);
            s
        }));
        all.other_files += w.other_files;
        all.metadata.extend(
            w.metadata
                .into_iter()
                .map(|e| e.in_folder(i as u16, &root.prefix)),
        );
    }
    all
}

/// The metadata file row of each article file that one names, by file key. What cannot be
/// read in a metadata file, and rows that name no file, are warnings on the metadata file.
pub(crate) fn metadata_rows(
    plan: &Plan,
    metadata: &[FileEntry],
    files: &[FileEntry],
    summary: &mut IndexSummary,
) -> HashMap<String, Arc<ingest::metafile::Row>> {
    let mut out = HashMap::new();
    for m in metadata {
        let warn = |summary: &mut IndexSummary, msg: String| {
            summary
                .warnings
                .push(FileIssue::file(m.key.to_string(), msg));
        };
        let table = match ingest::metafile::read(&m.abs(&plan.roots[m.root as usize].path)) {
            Ok(t) => t,
            Err(e) => {
                warn(summary, format!("metadata file not used: {e}"));
                continue;
            }
        };
        // The folder the metadata file describes, as a key prefix (`nyt/`, or "").
        let dir = m
            .key
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let text_files = files
            .iter()
            .filter(|e| !ingest::jsonl::is_jsonl(Path::new(&*e.key)))
            .map(|e| &*e.key);
        let (found, unmatched) = ingest::metafile::resolve(&table, &dir, text_files);
        for msg in table.warnings.iter().chain(&unmatched) {
            warn(summary, msg.clone());
        }
        for (key, row) in found {
            // A file named by metadata files at two levels takes the deeper one's row.
            out.insert(key.to_string(), Arc::new(row.clone()));
        }
    }
    out
}

/// Files per folder (index into the plan's folders).
fn per_folder<'a>(keys: impl Iterator<Item = &'a String>, plan: &Plan) -> HashMap<usize, u64> {
    let mut out = HashMap::new();
    for k in keys {
        if let Some(i) = roots::owner(k, &plan.roots) {
            *out.entry(i).or_insert(0) += 1;
        }
    }
    out
}

/// Splits the walked files into text files and JSON Lines files to read, leaving out the
/// unchanged ones and taking every walked file out of `known`.
fn split_work(
    files: Vec<FileEntry>,
    rows: &HashMap<String, Arc<ingest::metafile::Row>>,
    known: &mut Known,
    summary: &mut IndexSummary,
) -> (Vec<Work>, Vec<Work>) {
    let mut text = Vec::new();
    let mut jsonl = Vec::new();
    for e in files {
        let row = rows.get(&*e.key).cloned();
        let now = FileStamp {
            mtime: e.mtime,
            size: e.size,
            meta: row.as_ref().map_or(0, |r| r.stamp),
        };
        let update = match known.remove(&*e.key) {
            Some(then) if then == now => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => true,
            None => false,
        };
        let work = Work {
            entry: e,
            update,
            row,
        };
        if ingest::jsonl::is_jsonl(Path::new(&*work.entry.key)) {
            jsonl.push(work);
        } else {
            text.push(work);
        }
    }
    (text, jsonl)
}

/// Keeps the duplicate clusters of a complete run's index beside it (`index::dups`); an
/// interrupted run leaves the searches to find them.
fn keep_clusters(summary: &IndexSummary, index: &tantivy::Index, dir: &Path) -> Result<()> {
    if summary.interrupted {
        return Ok(());
    }
    super::dups::write(index, dir)
}

fn set_counts(summary: &mut IndexSummary, index: &tantivy::Index, f: &Fields) -> Result<()> {
    let counts = super::counts::doc_counts(index, f)?;
    summary.articles_in_index = counts.articles;
    summary.quotes_in_index = counts.quotes;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(corpus: &Path, index_dir: &Path) -> IndexOptions {
        IndexOptions {
            corpora: vec![corpus.to_path_buf()],
            index_dir: index_dir.to_path_buf(),
            rebuild: false,
            consent: Consent::default(),
            heap_bytes: 32 << 20,
            writer_threads: 1,
            max_merge_docs: 100_000,
            max_file_bytes: 1 << 20,
            commit_every: Duration::from_secs(60),
            field_map: Default::default(),
        }
    }

    /// The progress report hears of every byte read, from the start it was told of.
    #[test]
    fn progress_is_a_callback() {
        #[derive(Default)]
        struct Count(AtomicU64, AtomicU64);
        impl Progress for Count {
            fn start(&self, total: u64) {
                self.0.store(total, Ordering::Relaxed);
            }
            fn advance(&self, n: u64) {
                self.1.fetch_add(n, Ordering::Relaxed);
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), "A\n\nFirst article.\n").unwrap();
        std::fs::write(
            corpus.join("b.jsonl"),
            "{\"title\": \"B\", \"text\": \"x\"}\n",
        )
        .unwrap();
        let count = Count::default();
        let o = opts(&corpus, &tmp.path().join("idx"));
        let s = run(&o, &AtomicBool::new(false), &count).unwrap();
        assert_eq!(s.articles_in_index, 2);
        let total = count.0.load(Ordering::Relaxed);
        assert!(total > 0);
        assert_eq!(count.1.load(Ordering::Relaxed), total);
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
        let s = run_with(&o, &never, &(), |root, exclude| {
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
