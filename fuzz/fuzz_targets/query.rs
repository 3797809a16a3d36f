//! Any query string through the search engine (on a small index built once): results or an
//! error, never a panic. Queries the CLI refuses as too deeply nested are skipped, as there.
#![no_main]

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsdex::index::writer::{self, IndexOptions};
use newsdex::index::NewsIndex;
use newsdex::search::{Engine, SearchOptions};

fn engine() -> &'static Engine {
    static E: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &E.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus/world");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(
            corpus.join("oil.txt"),
            "Valdoria courts oil investors\n\n\u{201c}We welcome investment,\u{201d} said Maria Lopez.\n",
        )
        .unwrap();
        std::fs::write(corpus.join("bank.txt"), "Bank cuts rates\n\nThe bank cut rates.\n").unwrap();
        let index_dir = dir.path().join("idx");
        let opts = IndexOptions {
            corpora: vec![dir.path().join("corpus")],
            index_dir: index_dir.clone(),
            heap_bytes: 32 << 20,
            writer_threads: 1,
            max_file_bytes: 1 << 20,
            ..Default::default()
        };
        writer::run(&opts, &AtomicBool::new(false), &()).unwrap();
        let engine = Engine::open(NewsIndex::open(&index_dir).unwrap()).unwrap();
        (dir, engine)
    })
    .1
}

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    if newsdex::search::check_nesting(q).is_err() {
        return;
    }
    let e = engine();
    let opts = SearchOptions {
        limit: 3,
        ..Default::default()
    };
    let _ = e.search(q, &opts);
    let _ = e.search_quotes(q, &opts);
    let _ = e.count_speakers(q, 5);
});
