//! Data flows ingest -> index -> search -> output, with serve at the edge: the lower layers
//! import none above them, and file reading (JSON Lines included) stays in ingest.

use std::path::Path;

/// Code lines (comments left out) of the `.rs` files under `src/<dir>`.
fn code_of(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            out.push((p.display().to_string(), line.to_string()));
        }
    }
    assert!(!out.is_empty(), "no sources under {}", root.display());
    out
}

fn assert_none(dir: &str, forbidden: &[&str]) {
    let bad: Vec<String> = code_of(dir)
        .into_iter()
        .filter(|(_, l)| forbidden.iter().any(|f| l.contains(f)))
        .map(|(p, l)| format!("{p}: {}", l.trim()))
        .collect();
    assert!(
        bad.is_empty(),
        "{dir} reaches past its layer:\n{}",
        bad.join("\n")
    );
}

#[test]
fn index_imports_neither_search_nor_output_and_reads_no_lines() {
    assert_none(
        "index",
        &[
            "crate::search",
            "crate::output",
            "crate::commands",
            "indicatif",
            "read_until",
            "BufRead",
        ],
    );
}

#[test]
fn ingest_imports_no_layer_above_it() {
    assert_none(
        "ingest",
        &[
            "crate::index",
            "crate::search",
            "crate::output",
            "crate::commands",
        ],
    );
}

#[test]
fn serve_is_at_the_edge() {
    // It searches and prints through the layers below; it never writes the index.
    assert_none(
        "serve",
        &[
            "crate::commands",
            "crate::cli",
            "crate::ingest",
            "crate::index::writer",
            "IndexWriter",
            "std::fs::",
        ],
    );
    for dir in ["index", "ingest", "search", "output", "quotes"] {
        assert_none(dir, &["crate::serve", "axum", "tokio"]);
    }
}

/// The library is public only where the binaries, benchmarks, fuzz targets and tests reach
/// it: everything else is `pub(crate)`, so the compiler reports code nothing uses.
#[test]
fn public_surface_is_what_the_binaries_and_tests_use() {
    const PUBLIC: &[&str] = &[
        "lib.rs: pub mod cli;",
        "lib.rs: pub mod commands;",
        "lib.rs: pub mod index;",
        "lib.rs: pub mod ingest;",
        "lib.rs: pub mod search;",
        "index/mod.rs: pub mod writer;",
        "ingest/mod.rs: pub use article::{parse, Article};",
        "ingest/mod.rs: pub use walk::{walk, FileEntry, Skipped, Walk};",
        "search/mod.rs: pub use query::{check_nesting, MAX_QUERY_NESTING};",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("lib.rs")];
    for e in std::fs::read_dir(&src).unwrap() {
        let module = e.unwrap().path().join("mod.rs");
        if module.is_file() {
            files.push(module);
        }
    }
    let mut found = Vec::new();
    for file in &files {
        let name = file.strip_prefix(&src).unwrap().display().to_string();
        for line in std::fs::read_to_string(file).unwrap().lines() {
            if line.starts_with("pub mod ") || line.starts_with("pub use ") {
                found.push(format!("{name}: {line}"));
            }
        }
    }
    let extra: Vec<&String> = found
        .iter()
        .filter(|l| !PUBLIC.contains(&l.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "public beyond what the binaries and tests use (make these pub(crate)):\n{extra:#?}"
    );
    assert!(found.len() >= 5, "no public modules found: {found:?}");
}
