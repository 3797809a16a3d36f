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
        tantivy::TantivyError::LockFailure(..) => anyhow::anyhow!(
            "the index at {} is in use by another process (another `newsdex index` is running); try again when it has finished",
            dir.display()
        ),
        other => anyhow::Error::new(other).context(format!("cannot write to the index at {}", dir.display())),
    }
}

fn commit(writer: &mut IndexWriter, corpus: &Path, complete: bool) -> Result<()> {
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
        .context("cannot commit to the index")?;
    prepared.set_payload(&serde_json::to_string(&info)?);
    prepared.commit().context("cannot commit to the index")?;
    Ok(())
}

/// Runs one incremental indexing pass. `interrupt` is polled: when set, what was parsed so
/// far is committed and the run ends early.
pub fn run(opts: &IndexOptions, interrupt: &AtomicBool) -> Result<IndexSummary> {
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
    if opts.rebuild {
        writer.delete_all_documents()?;
    }

    let walked = ingest::walk(corpus, Some(&opts.index_dir));
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
        known_articles(&ni)?
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

    // Batches bound the work lost to an interruption; each ends with a commit when the
    // commit interval has passed.
    let batch_bytes: u64 = 64 << 20;
    let mut last_commit = Instant::now();
    let mut i = 0;
    while i < work.len() {
        let mut j = i;
        let mut acc = 0u64;
        while j < work.len() && (acc < batch_bytes || j == i) {
            acc += work[j].entry().size;
            j += 1;
        }
        let writer_ref = &writer;
        work[i..j].par_iter().for_each(|w| {
            if interrupt.load(Ordering::Relaxed) {
                return;
            }
            let e = w.entry();
            let result = ingest::read_article(&e.abs, opts.max_file_bytes);
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
                // An error here means the writer died; the commit below reports it.
                let _ = writer_ref.run(ops);
            }
            bytes.fetch_add(e.size, Ordering::Relaxed);
            progress.inc(e.size);
        });
        i = j;
        if interrupt.load(Ordering::Relaxed) {
            summary.interrupted = true;
            break;
        }
        if i < work.len() && last_commit.elapsed() >= opts.commit_every {
            commit(&mut writer, corpus, false)?;
            summary.commits += 1;
            last_commit = Instant::now();
        }
    }
    progress.finish_and_clear();
    commit(&mut writer, corpus, !summary.interrupted)?;
    summary.commits += 1;
    writer
        .wait_merging_threads()
        .context("index merge failed")?;

    let (skipped, warnings) = issues.into_inner().unwrap();
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

fn open_for_writing(dir: &Path, rebuild: bool) -> Result<NewsIndex> {
    if !rebuild {
        return NewsIndex::open_or_create(dir, false);
    }
    // An index of this version is emptied through its writer, which honours the lock of a
    // concurrent run; anything else is removed from disk.
    match NewsIndex::open(dir) {
        Ok(ni) => Ok(ni),
        Err(_) => NewsIndex::open_or_create(dir, true),
    }
}
