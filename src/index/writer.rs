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

use super::schema::{names, DOC_ARTICLE, DOC_QUOTE};
use super::{Fields, NewsIndex, RunInfo};
use crate::ingest::{self, FileEntry, ParsedFile};

pub struct IndexOptions {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub rebuild: bool,
    /// Memory budget of the tantivy writer, split among its threads.
    pub heap_bytes: usize,
    /// 0: let tantivy decide from the number of cores.
    pub writer_threads: usize,
    pub max_file_bytes: u64,
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
    pub speakers_in_changed: u64,
    pub bytes_read: u64,
    pub seconds: f64,
    pub commits: u64,
    pub interrupted: bool,
    pub articles_in_index: u64,
    pub quotes_in_index: u64,
}

/// What the index holds for a path: the file's mtime and size when it was indexed.
type Known = HashMap<String, (u64, u64)>;

fn known_articles(ni: &NewsIndex) -> Result<Known> {
    let reader = ni.index.reader().context("cannot read the index")?;
    let searcher = reader.searcher();
    let mut known = Known::new();
    let mut buf = String::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (Some(paths), Some(mtime), Some(size)) = (
            ff.str(names::PATH)?,
            ff.column_opt::<u64>(names::MTIME)?,
            ff.column_opt::<u64>(names::SIZE)?,
        ) else {
            continue;
        };
        for doc in seg.doc_ids_alive() {
            let Some(m) = mtime.first(doc) else { continue };
            let s = size.first(doc).unwrap_or(0);
            if let Some(ord) = paths.term_ords(doc).next() {
                buf.clear();
                paths.ord_to_str(ord, &mut buf)?;
                known.insert(buf.clone(), (m, s));
            }
        }
    }
    Ok(known)
}

/// Builds the article document and one document per quote.
pub fn documents(f: &Fields, entry: &FileEntry, parsed: &ParsedFile) -> Vec<TantivyDocument> {
    let a = &parsed.article;
    let category = entry.category();
    let mut docs = Vec::with_capacity(1 + a.quotes.len());
    let mut d = TantivyDocument::new();
    d.add_text(f.doc_type, DOC_ARTICLE);
    d.add_text(f.path, &entry.key);
    d.add_text(f.category, category);
    d.add_text(f.title, &a.title);
    d.add_text(f.lead, a.lead());
    d.add_text(f.body, &a.body);
    for q in &a.quotes {
        d.add_text(f.quotes, &q.text);
    }
    for s in &a.speakers {
        d.add_text(f.speaker, s);
        d.add_text(f.speaker_name, s);
    }
    d.add_u64(f.mtime, entry.mtime);
    d.add_u64(f.size, entry.size);
    docs.push(d);
    for q in &a.quotes {
        let mut d = TantivyDocument::new();
        d.add_text(f.doc_type, DOC_QUOTE);
        d.add_text(f.path, &entry.key);
        d.add_text(f.q_category, category);
        d.add_text(f.q_text, &q.text);
        if let Some(s) = &q.speaker {
            let name = crate::quotes::canonical_name(s);
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
        d.add_text(f.q_title, &a.title);
        docs.push(d);
    }
    docs
}

enum Work {
    Add(FileEntry),
    Update(FileEntry),
}

impl Work {
    fn entry(&self) -> &FileEntry {
        match self {
            Work::Add(e) | Work::Update(e) => e,
        }
    }
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
    let mut writer: IndexWriter = if opts.writer_threads > 0 {
        ni.index
            .writer_with_num_threads(opts.writer_threads, opts.heap_bytes)
    } else {
        ni.index.writer(opts.heap_bytes)
    }
    .map_err(|e| writer_error(e, &opts.index_dir))?;

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
        known_articles(&ni).with_context(|| {
            format!(
                "the index at {} cannot be read; {}",
                opts.index_dir.display(),
                super::rebuild_hint(&opts.index_dir)
            )
        })?
    };
    let mut work = Vec::new();
    for e in walked.files {
        match known.remove(&e.key) {
            Some((m, s)) if m == e.mtime && s == e.size => summary.unchanged += 1,
            Some(_) => work.push(Work::Update(e)),
            None => work.push(Work::Add(e)),
        }
    }
    // Whatever is left in `known` is no longer in the corpus.
    for path in known.keys() {
        writer.delete_term(Term::from_field_text(f.path, path));
        summary.removed += 1;
    }

    let total_bytes: u64 = work.iter().map(|w| w.entry().size).sum();
    let progress = crate::output::progress::bar(opts.progress, total_bytes);
    let added = AtomicU64::new(0);
    let updated = AtomicU64::new(0);
    let quotes = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let issues: Mutex<(Vec<FileIssue>, Vec<FileIssue>)> = Mutex::new((Vec::new(), Vec::new()));
    // The first error of the writer: the run stops and commits nothing more.
    let writer_failure: Mutex<Option<String>> = Mutex::new(None);
    let failed = AtomicBool::new(false);

    // Batches bound the work lost to an interruption; each ends with a commit when the
    // commit interval has passed.
    let mut last_commit = Instant::now();
    let mut i = 0;
    while i < work.len() {
        let mut j = i;
        let mut acc = 0u64;
        while j < work.len() && ((acc < BATCH_BYTES && j - i < BATCH_FILES) || j == i) {
            acc += work[j].entry().size;
            j += 1;
        }
        let writer_ref = &writer;
        work[i..j].par_iter().for_each(|w| {
            if interrupt.load(Ordering::Relaxed) || failed.load(Ordering::Relaxed) {
                return;
            }
            let e = w.entry();
            // A bug met by one file (a panic in the parser) skips that file, not the run.
            let result = std::panic::catch_unwind(|| {
                if super::failpoint("read-panic") && e.key.contains("panic-here") {
                    panic!("failpoint read-panic");
                }
                ingest::read_article(&e.abs, opts.max_file_bytes)
            })
            .unwrap_or_else(|p| {
                Err(ingest::ReadError(format!(
                    "internal error while reading this file ({}); please report it",
                    super::panic_message(&*p)
                )))
            });
            let is_update = matches!(w, Work::Update(_));
            // One batch per file: the delete and the adds get consecutive opstamps and land
            // in one segment, so an article's documents stay together. Deleting first means
            // a file that became unreadable leaves no stale copy.
            let mut ops = Vec::new();
            if is_update {
                ops.push(UserOperation::Delete(Term::from_field_text(f.path, &e.key)));
            }
            match result {
                Ok(parsed) => {
                    if !parsed.warnings.is_empty() {
                        let mut g = issues.lock().unwrap();
                        for w in &parsed.warnings {
                            g.1.push(FileIssue {
                                path: e.key.clone(),
                                message: w.clone(),
                            });
                        }
                    }
                    quotes.fetch_add(parsed.article.quotes.len() as u64, Ordering::Relaxed);
                    ops.extend(
                        documents(&f, e, &parsed)
                            .into_iter()
                            .map(UserOperation::Add),
                    );
                    if is_update { &updated } else { &added }.fetch_add(1, Ordering::Relaxed);
                }
                Err(err) => {
                    issues.lock().unwrap().0.push(FileIssue {
                        path: e.key.clone(),
                        message: err.0,
                    });
                }
            }
            if !ops.is_empty() {
                // An error here means the writer's threads died (a full disk, say).
                if let Err(err) = writer_ref.run(ops) {
                    failed.store(true, Ordering::Relaxed);
                    writer_failure
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_or_insert_with(|| err.to_string());
                }
            }
            bytes.fetch_add(e.size.min(opts.max_file_bytes), Ordering::Relaxed);
            progress.inc(e.size);
        });
        i = j;
        if let Some(err) = writer_failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            progress.finish_and_clear();
            return Err(failed_run(&opts.index_dir, err));
        }
        if interrupt.load(Ordering::Relaxed) {
            summary.interrupted = true;
            break;
        }
        if i < work.len() && last_commit.elapsed() >= opts.commit_every {
            commit(&mut writer, corpus, &opts.index_dir, false)?;
            summary.commits += 1;
            last_commit = Instant::now();
        }
    }
    progress.finish_and_clear();
    commit(&mut writer, corpus, &opts.index_dir, !summary.interrupted)?;
    summary.commits += 1;
    writer
        .wait_merging_threads()
        .map_err(|e| anyhow::anyhow!("merging index segments failed: {e}; the index is committed and searchable, and the next run merges again"))?;

    let (skipped, warnings) = issues.into_inner().unwrap_or_else(|p| p.into_inner());
    summary.skipped.extend(skipped);
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings = warnings;
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    summary.added = added.into_inner();
    summary.updated = updated.into_inner();
    summary.quotes = quotes.into_inner();
    summary.bytes_read = bytes.into_inner();
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
