//! Issue 5: property tests. No query string panics the search engine (an error is fine), and
//! no bytes panic the article parser. Run in process against a small index built once.

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;
use std::time::Duration;

use newsdex::index::writer::{self, IndexOptions};
use newsdex::index::NewsIndex;
use newsdex::search::{Engine, SearchOptions};
use proptest::prelude::*;

struct Shared {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn engine() -> &'static Engine {
    static E: OnceLock<Shared> = OnceLock::new();
    &E.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let texts = [
            ("world/oil.txt", "Valdoria courts oil investors\n\nThe minister said the Orinoco fields were open. \u{201c}We welcome investment,\u{201d} said Maria Lopez, the oil minister.\n"),
            ("business/bank.txt", "Bank cuts rates\n\nThe central bank cut interest rates. \u{201c}Inflation is falling,\u{201d} the governor, John Smith, said.\n"),
            ("sport/cup.txt", "Cup final tonight\n\n'It will be hard,' said coach Ana Silva. The 12\" trophy waits.\n"),
            ("tech/chip.txt", "Chip shortage eases\n\nApple said supply improved.\n"),
        ];
        for (p, t) in texts {
            let p = corpus.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        }
        let index_dir = dir.path().join("idx");
        let opts = IndexOptions {
            corpora: vec![corpus.clone()],
            index_dir: index_dir.clone(),
            rebuild: false,
            consent: Default::default(),
            heap_bytes: 32 << 20,
            writer_threads: 1,
            max_file_bytes: 1 << 20,
            max_merge_docs: 100_000,
            commit_every: Duration::from_secs(60),
            field_map: Default::default(),
        };
        let s = writer::run(&opts, &AtomicBool::new(false), &()).unwrap();
        assert_eq!(s.articles_in_index, 4);
        let engine = Engine::open(NewsIndex::open(&index_dir).unwrap()).unwrap();
        Shared { _dir: dir, engine }
    })
    .engine
}

/// Runs a query through every search entry point; errors are fine, panics are not.
fn exercise(q: &str) {
    let e = engine();
    let opts = SearchOptions {
        limit: 3,
        ..Default::default()
    };
    if let Ok(r) = e.search(q, &opts) {
        for h in &r.hits {
            // Highlights must point into the snippet.
            for &[a, b] in &h.snippet.highlights {
                assert!(a <= b && b <= h.snippet.text.len(), "{q:?}: {a}..{b}");
            }
        }
        serde_json::to_string(&r).unwrap();
    }
    if let Ok(r) = e.search_quotes(q, &opts) {
        serde_json::to_string(&r).unwrap();
    }
    let _ = e.count_speakers(q, 5);
}

const PIECES: &[&str] = &[
    "oil",
    "bank",
    "\"",
    "\"oil",
    "bank\"",
    "(",
    ")",
    "((",
    "))",
    "title:",
    "body:",
    "quote:",
    "speaker:",
    "category:",
    "nosuchfield:",
    "title:\"",
    ":",
    "::",
    "AND",
    "OR",
    "NOT",
    "and",
    "-",
    "+",
    "-oil",
    "+bank",
    "*",
    "oil*",
    "?",
    "~",
    "~2",
    "oil~2",
    "^",
    "oil^3",
    "^-1",
    "[",
    "]",
    "{",
    "}",
    "[a TO z]",
    "{* TO 5]",
    "TO",
    "\\",
    "\\\"",
    "'",
    "\u{201c}",
    "\u{201d}",
    "\u{1b}[31m",
    "\0",
    "\u{202e}",
    "\t",
    "\n",
    "é",
    "Nicolás",
    "ﬁ",
    "𝔘",
    " ",
    "  ",
    "!",
    "&&",
    "||",
    "/",
    "/re.*/",
    "IN [",
    "speaker:\"Maria",
    "category:world",
    "title:(oil OR",
    "0",
    "-1",
    "1e99",
    "NaN",
];

fn near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PIECES),
            prop::sample::select(&["", " ", ""][..]),
        ),
        0..24,
    )
    .prop_map(|v| v.into_iter().map(|(a, b)| format!("{a}{b}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_queries_never_panic(q in any::<String>()) {
        exercise(&q);
    }

    #[test]
    fn near_valid_queries_never_panic(q in near_valid()) {
        exercise(&q);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        truncated in any::<bool>(),
    ) {
        if let Ok(p) = newsdex::ingest::parse_bytes(&bytes, truncated, bytes.len() as u64) {
            for para in &p.article.paragraphs {
                prop_assert!(para.start <= para.end && para.end <= p.text.len());
                prop_assert!(p.text.is_char_boundary(para.start) && p.text.is_char_boundary(para.end));
            }
            for q in &p.article.quotes {
                prop_assert!(q.start <= q.end && q.end <= p.text.len());
            }
        }
    }

    #[test]
    fn quote_heavy_text_never_panics_the_parser(
        v in prop::collection::vec(prop::sample::select(&[
            "\"", "'", "\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}", "\u{201e}", "«", "»",
            " said ", "said", " Mr Smith", ",", ".", "\n", "\n\n", "\r", "\r\n", " ", "word",
            "12\"", "it's", "é", "\u{1b}", "\0", "\u{feff}", "According to Jane Doe",
        ][..]), 0..200),
    ) {
        let text: String = v.concat();
        let a = newsdex::ingest::parse(&text);
        for q in &a.quotes {
            prop_assert!(q.start <= q.end && q.end <= text.len());
        }
        let _ = newsdex::ingest::parse_bytes(text.as_bytes(), false, 1 << 20);
    }
}

#[test]
fn a_ten_thousand_term_query_does_not_panic() {
    let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
    exercise(&words.join(" "));
    exercise(&words.join(" OR "));
    exercise(&words.join(" AND NOT "));
    exercise(&format!("\"{}\"", words.join(" ")));
    exercise(&"\"".repeat(10_001));
    exercise(&"-".repeat(10_000));
    exercise(&"title:".repeat(10_000));
    exercise(&"((a) OR (b)) ".repeat(2_000));
}

/// Deep nesting recurses in the query grammar and would overflow the stack (an abort, not
/// a panic): the CLI refuses it before parsing, with a clear error.
#[test]
fn deeply_nested_queries_are_refused_not_crashed() {
    use newsdex::search::{check_nesting, MAX_QUERY_NESTING};
    for q in [
        "(".repeat(10_000),
        format!("{}oil{}", "(".repeat(5_000), ")".repeat(5_000)),
        "NOT ".repeat(10_000) + "oil",
        "-(NOT ".repeat(3_000),
    ] {
        assert!(check_nesting(&q).is_err());
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
            .args(["search", &q, "--index"])
            .arg(&engine().ni.dir)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("levels deep"));
    }
    // Up to the limit the engine itself copes.
    let depth = MAX_QUERY_NESTING;
    let q = format!("{}oil{}", "(".repeat(depth), ")".repeat(depth));
    check_nesting(&q).unwrap();
    exercise(&q);
    let q = "NOT ".repeat(depth - 1) + "oil bank";
    check_nesting(&q).unwrap();
    exercise(&q);
}

#[test]
fn the_engine_answers_after_hostile_queries() {
    exercise("\u{0}\u{1b}[2J");
    let r = engine()
        .search("oil", &SearchOptions::default())
        .expect("a plain query works");
    assert_eq!(r.hits[0].path, "world/oil.txt");
}
