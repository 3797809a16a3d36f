//! `newsdex push`: reads a corpus folder exactly as `newsdex index` does (the same walk,
//! metadata files, decoding, parsing and quote extraction) and sends each article, its quotes
//! nested in it as child documents, to a SolrCloud collection.
//!
//! Incremental and safe to kill: each article carries its file's stamp (`mtime:size:meta`),
//! the run asks Solr for the stamps it holds and sends only files whose stamp differs; ids
//! are the article's path (its quotes `PATH##qN`), so a file sent twice overwrites itself,
//! and a changed file's documents are deleted by `file` before the new ones are added, in
//! the same request.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::{json, Value};

use super::client::{Body, Solr};
use crate::index::roots::{self, Consent, Plan, Root};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::writer::{self, FileIssue, FileStamp, IndexSummary, Progress};
use crate::ingest::{self, Article, FileEntry};

/// Files per update request. 100 BBC articles with their quotes make about 0.5 MB of JSON:
/// large enough that the round trip is a small part of the time, small enough that a
/// retried request redoes little.
const BATCH_FILES: usize = 100;
/// Stamps read per request when the run asks what the collection holds.
const STAMP_PAGE: usize = 10_000;
/// A long run commits at least this often, so a killed run loses little.
const COMMIT_EVERY: Duration = Duration::from_secs(60);

/// One of N machines' share of a corpus: files whose path hashes to `k - 1` modulo `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub k: u32,
    pub n: u32,
}

impl Part {
    /// FNV-1a over the path's bytes: the same on every machine and every Rust version,
    /// which std's hasher does not promise.
    pub(crate) fn holds(&self, key: &str) -> bool {
        const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const FNV_PRIME: u64 = 0x0100_0000_01b3;
        let h = key
            .bytes()
            .fold(FNV_OFFSET, |h, b| (h ^ b as u64).wrapping_mul(FNV_PRIME));
        h % self.n as u64 == (self.k - 1) as u64
    }
}

pub(crate) struct PushOptions {
    pub corpus: PathBuf,
    pub part: Option<Part>,
    pub consent: Consent,
    pub max_file_bytes: u64,
    /// Extra key names for the metadata fields of JSON Lines records.
    pub field_map: ingest::jsonl::FieldMap,
}

/// A file to send: new, or changed since it was sent.
struct Work {
    entry: FileEntry,
    update: bool,
    stamp: String,
    row: Option<Arc<ingest::metafile::Row>>,
}

pub(crate) fn push(
    solr: &Solr,
    opts: &PushOptions,
    progress: &dyn Progress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let root = opts
        .corpus
        .canonicalize()
        .with_context(|| format!("cannot read the corpus folder {}", opts.corpus.display()))?;
    let plan = Plan {
        roots: vec![Root {
            path: root.clone(),
            prefix: String::new(),
        }],
        walked: vec![0],
    };
    let in_part = |key: &str| opts.part.is_none_or(|p| p.holds(key));
    let mut walked = ingest::walk(&root, None);
    walked.files.retain(|e| in_part(&e.key));
    walked.skipped.retain(|s| in_part(&s.path));
    let mut summary = IndexSummary {
        folders: vec![root.display().to_string()],
        files_seen: (walked.files.len() + walked.skipped.len()) as u64,
        other_files: walked.other_files,
        ..Default::default()
    };
    summary.skipped.extend(
        walked
            .skipped
            .iter()
            .map(|s| FileIssue::file(s.path.clone(), s.reason.clone())),
    );
    let rows = writer::metadata_rows(&plan, &walked.metadata, &walked.files, &mut summary);
    let mut known = known_stamps(solr)?;
    known.retain(|k, _| in_part(k));
    let had = known.len() as u64;
    let (work, jsonl) = split_work(walked.files, &rows, &mut known, &mut summary);
    let gone: Vec<String> = known.into_keys().collect();
    roots::check_removals(
        &plan.roots,
        &HashMap::from([(0, had)]),
        &HashMap::from([(0, gone.len() as u64)]),
        opts.consent,
    )?;
    remove(solr, &gone)?;
    summary.removed = gone.len() as u64;
    send_all(solr, &root, &work, opts, progress, &mut summary)?;
    for w in &jsonl {
        send_jsonl(solr, &root, w, opts, &mut summary)?;
    }
    commit(solr)?;
    let (articles, quotes) = counts(solr)?;
    summary.articles_in_index = articles;
    summary.quotes_in_index = quotes;
    summary.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    summary.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Sorts the walked files into text files and JSON Lines files to send, leaving out the
/// unchanged ones and taking each walked file from `known`.
fn split_work(
    files: Vec<FileEntry>,
    rows: &HashMap<String, Arc<ingest::metafile::Row>>,
    known: &mut HashMap<String, String>,
    summary: &mut IndexSummary,
) -> (Vec<Work>, Vec<Work>) {
    let (mut work, mut jsonl) = (Vec::new(), Vec::new());
    for e in files {
        let row = rows.get(&*e.key).cloned();
        let stamp = stamp_text(FileStamp {
            mtime: e.mtime,
            size: e.size,
            meta: row.as_ref().map_or(0, |r| r.stamp),
        });
        let update = match known.remove(&*e.key) {
            Some(then) if then == stamp => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => true,
            None => false,
        };
        let is_jsonl = ingest::jsonl::is_jsonl(Path::new(&*e.key));
        let w = Work {
            entry: e,
            update,
            stamp,
            row,
        };
        match is_jsonl {
            true => jsonl.push(w),
            false => work.push(w),
        }
    }
    (work, jsonl)
}

fn stamp_text(s: FileStamp) -> String {
    format!("{}:{}:{}", s.mtime, s.size, s.meta)
}

/// Every file the collection holds, with its stamp, read page by page with a cursor.
fn known_stamps(solr: &Solr) -> Result<HashMap<String, String>> {
    let mut known = HashMap::new();
    let mut cursor = "*".to_string();
    let rows = STAMP_PAGE.to_string();
    loop {
        let params = [
            ("q", "stamp:*"),
            ("fq", "doc_type:(article OR source)"),
            ("fl", "file,stamp"),
            ("sort", "id asc"),
            ("rows", rows.as_str()),
            ("cursorMark", cursor.as_str()),
        ];
        let v = solr.collection_request("/select", Body::Form(&params))?;
        for d in v["response"]["docs"].as_array().into_iter().flatten() {
            if let (Some(f), Some(s)) = (d["file"].as_str(), d["stamp"].as_str()) {
                known.insert(f.to_string(), s.to_string());
            }
        }
        let next = v["nextCursorMark"].as_str().unwrap_or("*").to_string();
        if next == cursor {
            return Ok(known);
        }
        cursor = next;
    }
}

/// Deletes every document of each file: its article and its quotes.
fn remove(solr: &Solr, gone: &[String]) -> Result<()> {
    for chunk in gone.chunks(BATCH_FILES) {
        let parts: Vec<String> = chunk.iter().map(|k| delete_file(k)).collect();
        update(solr, &format!("{{{}}}", parts.join(",")))?;
    }
    Ok(())
}

fn delete_file(key: &str) -> String {
    format!(
        "\"delete\":{}",
        json!({ "query": format!("{{!term f=file}}{key}") })
    )
}

fn update(solr: &Solr, body: &str) -> Result<()> {
    solr.collection_request("/update", Body::Json(body))
        .with_context(|| format!("sending to collection {} failed", solr.collection))?;
    Ok(())
}

fn commit(solr: &Solr) -> Result<()> {
    solr.request(
        &format!("/{}/update", solr.collection),
        &[("commit", "true")],
        Body::Json("{}"),
    )?;
    Ok(())
}

/// Articles and quotes in the collection.
fn counts(solr: &Solr) -> Result<(u64, u64)> {
    let n = |kind: &str| -> Result<u64> {
        let q = format!("doc_type:{kind}");
        let v = solr.collection_request("/select", Body::Form(&[("q", &q), ("rows", "0")]))?;
        Ok(v["response"]["numFound"].as_u64().unwrap_or(0))
    };
    Ok((n("article")?, n("quote")?))
}

/// Reads and sends the files in batches, [`SENDERS`] batches in flight at a time: each batch
/// parsed in parallel and sent as one request, the summary kept in the files' order.
fn send_all(
    solr: &Solr,
    root: &Path,
    work: &[Work],
    opts: &PushOptions,
    progress: &dyn Progress,
    summary: &mut IndexSummary,
) -> Result<()> {
    progress.start(work.iter().map(|w| w.entry.size).sum());
    let mut last_commit = Instant::now();
    for group in work.chunks(BATCH_FILES * SENDERS) {
        let sent: Vec<Result<Vec<Outcome>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = group
                .chunks(BATCH_FILES)
                .map(|batch| scope.spawn(move || send_batch(solr, root, batch, opts)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a push thread panicked"))
                .collect()
        });
        for (batch, outcomes) in group.chunks(BATCH_FILES).zip(sent) {
            for (w, o) in batch.iter().zip(outcomes?) {
                tally(summary, w, o, opts.max_file_bytes);
            }
            progress.advance(batch.iter().map(|w| w.entry.size).sum());
        }
        if last_commit.elapsed() >= COMMIT_EVERY {
            commit(solr)?;
            summary.commits += 1;
            last_commit = Instant::now();
        }
    }
    progress.finish();
    summary.commits += 1;
    Ok(())
}

/// Update requests in flight at once, so that the cluster indexes one batch while the next
/// is parsed and sent. Pushing BBC (2,055 articles) to the two-node test cluster with a debug
/// build on the loaded 2-core machine: 54.3 s with one in flight, 48.7 s with four.
const SENDERS: usize = 4;

/// What became of one file of a batch sent.
enum Outcome {
    Sent { quotes: u64, warnings: Vec<String> },
    Skipped(String),
}

/// Parses one batch and sends it as one update request.
fn send_batch(
    solr: &Solr,
    root: &Path,
    batch: &[Work],
    opts: &PushOptions,
) -> Result<Vec<Outcome>> {
    let read: Vec<Read> = batch
        .par_iter()
        .map(|w| read_one(w, root, opts.max_file_bytes))
        .collect();
    let mut parts = Vec::with_capacity(batch.len() * 2);
    let mut outcomes = Vec::with_capacity(batch.len());
    for (w, r) in batch.iter().zip(read) {
        if w.update {
            parts.push(delete_file(&w.entry.key));
        }
        outcomes.push(match r {
            Read::Article {
                doc,
                quotes,
                warnings,
            } => {
                parts.push(format!("\"add\":{}", json!({ "doc": doc })));
                Outcome::Sent { quotes, warnings }
            }
            Read::Skipped(msg) => Outcome::Skipped(msg),
        });
    }
    if !parts.is_empty() {
        update(solr, &format!("{{{}}}", parts.join(",")))?;
    }
    Ok(outcomes)
}

fn tally(summary: &mut IndexSummary, w: &Work, o: Outcome, max_file_bytes: u64) {
    summary.bytes_read += w.entry.size.min(max_file_bytes);
    match o {
        Outcome::Sent { quotes, warnings } => {
            summary.articles_read += 1;
            summary.quotes += quotes;
            *if w.update {
                &mut summary.updated
            } else {
                &mut summary.added
            } += 1;
            let key = w.entry.key.to_string();
            summary.warnings.extend(
                warnings
                    .into_iter()
                    .map(|m| FileIssue::file(key.clone(), m)),
            );
        }
        Outcome::Skipped(msg) => summary
            .skipped
            .push(FileIssue::file(w.entry.key.to_string(), msg)),
    }
}

enum Read {
    Article {
        doc: Value,
        quotes: u64,
        warnings: Vec<String>,
    },
    Skipped(String),
}

fn read_one(w: &Work, root: &Path, max_file_bytes: u64) -> Read {
    let e = &w.entry;
    match ingest::read_article(&e.abs(root), max_file_bytes) {
        Ok(mut parsed) => {
            if let Some(row) = &w.row {
                parsed.article.meta.overlay(&row.meta);
            }
            let doc = article_doc(
                &e.key,
                &e.key,
                e.category(),
                Some(&w.stamp),
                &parsed.article,
            );
            Read::Article {
                doc,
                quotes: parsed.article.quotes.len() as u64,
                warnings: parsed.warnings,
            }
        }
        Err(err) => Read::Skipped(err.0),
    }
}

/// The article's Solr document, its quotes nested under `quotes`; field for field what
/// `index::writer::documents` writes to the local index.
fn article_doc(key: &str, file: &str, category: &str, stamp: Option<&str>, a: &Article) -> Value {
    let meta = shared_meta(key, file, category, a);
    let quotes: Vec<Value> = a
        .quotes
        .iter()
        .zip(&a.speaker_keys)
        .enumerate()
        .map(|(n, (q, speaker))| {
            let mut d = meta.clone();
            d.extend([
                ("id".into(), json!(format!("{key}##q{n}"))),
                ("doc_type".into(), json!("quote")),
                ("q_text".into(), json!(q.text)),
                ("q_speaker".into(), json!(speaker)),
                ("q_speaker_name".into(), json!(speaker)),
                ("q_kind".into(), json!(q.kind.as_str())),
                ("q_cue".into(), json!(q.cue)),
                ("q_description".into(), json!(q.description)),
                ("q_start".into(), json!(q.start)),
                ("q_end".into(), json!(q.end)),
                ("q_title".into(), json!(a.title)),
            ]);
            Value::Object(d)
        })
        .collect();
    let mut d = meta;
    d.extend([
        ("id".into(), json!(key)),
        ("doc_type".into(), json!("article")),
        ("title".into(), json!(a.title)),
        ("lead".into(), json!(a.lead())),
        ("body".into(), json!(a.body)),
        ("speaker".into(), json!(a.speakers)),
        ("speaker_name".into(), json!(a.speakers)),
        ("url".into(), json!(a.meta.url.as_ref().map(|u| &u.value))),
        (
            "language".into(),
            json!(a.meta.language.as_ref().map(|l| &l.value)),
        ),
        ("stamp".into(), json!(stamp)),
        ("schema_version".into(), json!(SCHEMA_VERSION)),
        ("quotes".into(), Value::Array(quotes)),
    ]);
    d.retain(|_, v| !v.is_null());
    Value::Object(d)
}

/// Lines of a JSON Lines file read and parsed at a time, then sent as one request.
const JSONL_CHUNK_BYTES: usize = 4 << 20;

/// Sends a JSON Lines file as `index` reads it, one article per record (`FILE#id`): its
/// documents deleted first (a killed run may have sent some records), the records in chunks,
/// then a `source` document with the file's stamp, last, so that a file is taken as sent only
/// when all of it is.
fn send_jsonl(
    solr: &Solr,
    root: &Path,
    w: &Work,
    opts: &PushOptions,
    summary: &mut IndexSummary,
) -> Result<()> {
    let e = &w.entry;
    update(solr, &format!("{{{}}}", delete_file(&e.key)))?;
    let file = match ingest::open_regular(&e.abs(root)) {
        Ok(f) => f,
        Err(err) => {
            summary
                .skipped
                .push(FileIssue::file(e.key.to_string(), err.0));
            return Ok(());
        }
    };
    let mut reader = ingest::jsonl::LineReader::new(file, opts.max_file_bytes);
    loop {
        let (lines, taken) = reader
            .chunk(JSONL_CHUNK_BYTES)
            .with_context(|| format!("cannot read {}", e.key))?;
        if taken == 0 {
            break;
        }
        let read: Vec<_> = lines
            .par_iter()
            .map(|l| {
                (
                    l.no,
                    ingest::jsonl::read_record(l, opts.max_file_bytes, &opts.field_map),
                )
            })
            .collect();
        let mut parts = Vec::new();
        for (no, r) in read {
            let at = format!("{}#line-{no}", e.key);
            match r {
                Ok(rec) => {
                    summary.articles_read += 1;
                    summary.quotes += rec.article.quotes.len() as u64;
                    summary.warnings.extend(
                        rec.warnings
                            .iter()
                            .map(|m| FileIssue::file(at.clone(), m.clone())),
                    );
                    let key = format!("{}#{}", e.key, rec.ident);
                    let category = rec.category.as_deref().unwrap_or(e.category());
                    let doc = article_doc(&key, &e.key, category, None, &rec.article);
                    parts.push(format!("\"add\":{}", json!({ "doc": doc })));
                }
                Err(msg) => summary.skipped.push(FileIssue::record(at, msg)),
            }
        }
        if !parts.is_empty() {
            update(solr, &format!("{{{}}}", parts.join(",")))?;
        }
        summary.bytes_read += taken;
    }
    let marker = json!({"id": format!("{}##source", e.key), "doc_type": "source",
        "path": e.key.to_string(), "file": e.key.to_string(), "stamp": w.stamp});
    update(solr, &format!("{{\"add\":{}}}", json!({ "doc": marker })))?;
    *if w.update {
        &mut summary.updated
    } else {
        &mut summary.added
    } += 1;
    Ok(())
}

/// What articles and their quotes both carry: where they come from, their category,
/// outlet, authors and date, so that quote searches filter and count without a join.
fn shared_meta(
    key: &str,
    file: &str,
    category: &str,
    a: &Article,
) -> serde_json::Map<String, Value> {
    let m = &a.meta;
    let mut d = serde_json::Map::new();
    d.insert("path".into(), json!(key));
    d.insert("file".into(), json!(file));
    d.insert("category".into(), json!(category));
    d.insert("category_s".into(), json!(category));
    if let Some(day) = m.day() {
        d.insert("date".into(), json!(format!("{day}T00:00:00Z")));
        d.insert("year_s".into(), json!(day.year().to_string()));
        d.insert("month_s".into(), json!(day.month_label()));
    }
    if let Some(source) = m.source() {
        d.insert("outlet".into(), json!(source));
        d.insert("outlet_s".into(), json!(source));
    }
    if !m.authors().is_empty() {
        d.insert("author".into(), json!(m.authors()));
        d.insert("author_s".into(), json!(m.authors()));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_without_overlap() {
        let keys: Vec<String> = (0..1000).map(|i| format!("world/a-{i}.txt")).collect();
        let parts: Vec<Part> = (1..=3).map(|k| Part { k, n: 3 }).collect();
        for key in &keys {
            assert_eq!(parts.iter().filter(|p| p.holds(key)).count(), 1, "{key}");
        }
        let first = keys.iter().filter(|k| parts[0].holds(k)).count();
        assert!(
            (250..420).contains(&first),
            "{first} of 1000 in part 1 of 3"
        );
    }
}
