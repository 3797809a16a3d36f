//! Article parsing and quote extraction over a real corpus, files already in memory.
//!
//!     cargo bench --bench ingest
//!     NEWSDEX_BENCH_CORPUS=/work/bench-data/synth-100k cargo bench --bench ingest
//!
//! The corpus folder comes from `NEWSDEX_BENCH_CORPUS` (default `../shared/corpora/bbc`,
//! relative to the crate). Every `.txt`/`.md` file under it is read into memory first, so
//! the figures leave out the disk. `NEWSDEX_BENCH_MAX_FILES` caps the number of files
//! (default 5,000). Throughput is reported in articles per second. When the folder is
//! missing the bench prints a message and exits 0, so CI without `../shared` passes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{black_box, Criterion, Throughput};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("NEWSDEX_BENCH_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc"),
    }
}

/// The article files of the corpus as bytes, in walk order.
fn load(dir: &Path, max_files: usize) -> Vec<Vec<u8>> {
    let walked = newsdex::ingest::walk(dir, None);
    walked
        .files
        .iter()
        .take(max_files)
        .filter_map(|e| {
            newsdex::ingest::read_bytes(&e.abs(dir), 20 << 20)
                .ok()
                .map(|(b, _)| b)
        })
        .collect()
}

fn bench_ingest(c: &mut Criterion, files: &[Vec<u8>]) {
    let texts: Vec<String> = files
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Elements(files.len() as u64));
    // Bytes to article: decoding, line and paragraph splitting, boilerplate, quotes.
    g.bench_function("parse_bytes", |b| {
        b.iter(|| {
            let mut quotes = 0usize;
            for bytes in files {
                if let Ok(p) = newsdex::ingest::parse_bytes(black_box(bytes), false, 20 << 20) {
                    quotes += p.article.quotes.len();
                }
            }
            quotes
        })
    });
    // Decoded text to article (newsdex::ingest::parse): the same without decoding.
    g.bench_function("parse_text", |b| {
        b.iter(|| {
            let mut quotes = 0usize;
            for t in &texts {
                quotes += newsdex::ingest::parse(black_box(t)).quotes.len();
            }
            quotes
        })
    });
    g.finish();
}

fn benches() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        println!(
            "ingest bench: corpus folder {} not found (set NEWSDEX_BENCH_CORPUS); nothing to measure",
            dir.display()
        );
        return;
    }
    let max_files = std::env::var("NEWSDEX_BENCH_MAX_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let files = load(&dir, max_files);
    if files.is_empty() {
        println!(
            "ingest bench: no article files under {}; nothing to measure",
            dir.display()
        );
        return;
    }
    let bytes: usize = files.iter().map(Vec::len).sum();
    println!(
        "ingest bench: {} articles, {:.1} MB from {}",
        files.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    // Defaults that the command line (`--measurement-time`, `--sample-size`) can override.
    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    bench_ingest(&mut c, &files);
    c.final_summary();
}

fn main() {
    benches();
}
