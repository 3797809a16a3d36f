//! Issue 12: field filters that filter, pasted text that searches, numbers at the edges,
//! phrase highlights and plain-language messages, checked on the real binary.

mod common;

use common::{stderr, stdout, Fixture};

const ZEBRA: &str = "world/americas/zebra.txt";
const GIRAFFE: &str = "world/giraffe.txt";
const ROVERS: &str = "sport/rovers.txt";
const PROFILE: &str = "politics/profile.txt";
const HUFF: &str = "feeds.jsonl#line-1";
const POST: &str = "feeds.jsonl#line-2";

/// Each article holds "zebra" in one place only, so each field filter has one answer.
fn corpus() -> Fixture {
    let f = Fixture::empty();
    f.write(
        ZEBRA,
        "Zebra crossing reopens\n\nThe mayor opened the crossing on Monday.\n\n\
         \"The giraffe exhibit stays shut,\" said Ana Quill, the zoo director.\n",
    );
    f.write(
        GIRAFFE,
        "Giraffe born at city zoo\n\nA zebra keeper reported the birth.\n\n\
         Keepers said the calf was healthy and would meet visitors in spring.\n",
    );
    f.write(
        ROVERS,
        "Rovers win at home\n\nThe club won three-nil on Saturday.\n\n\
         Later a zebra mascot danced. \"We played well,\" said coach Tom Reed.\n",
    );
    f.write(
        "feeds.jsonl",
        "{\"title\": \"Zebra stripes explained\", \"text\": \"Scientists explain the stripes.\", \"category\": \"huff-post\"}\n\
         {\"title\": \"Zebra herd counted\", \"text\": \"Rangers counted the herd.\", \"category\": \"post\"}\n",
    );
    f.write(
        PROFILE,
        "Profile: Gordon Brown\n\nGordon Brown spoke at 10:30 on Monday; the transcript is at \
         http://bbc.co.uk/news today. Mr O'Neill agreed.\n\n\
         Campaigners for human rights said the right to appeal was at stake.\n",
    );
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Sorted article paths of `search QUERY`, which must succeed without a warning.
fn found(f: &Fixture, query: &str) -> Vec<String> {
    let (hits, _, out) = f.search_json(query, &["-n", "50"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{query}: {}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("warning"),
        "{query}: {}",
        stderr(&out)
    );
    sorted(
        hits.iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect(),
    )
}

/// Sorted article paths of the hits of `quotes QUERY`.
fn quoted_in(f: &Fixture, query: &str) -> Vec<String> {
    let out = f.run(&["quotes", query, "--json"]);
    assert!(
        !stderr(&out).contains("warning"),
        "{query}: {}",
        stderr(&out)
    );
    sorted(
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["type"] == "hit")
            .map(|v| v["path"].as_str().unwrap().to_string())
            .collect(),
    )
}

fn paths(list: &[&str]) -> Vec<String> {
    sorted(list.iter().map(|s| s.to_string()).collect())
}

/// Every field of the README's query syntax table narrows the search to its own part.
#[test]
fn every_field_filters() {
    let f = corpus();
    assert_eq!(
        found(&f, "zebra"),
        paths(&[ZEBRA, GIRAFFE, ROVERS, HUFF, POST])
    );
    assert_eq!(found(&f, "title:zebra"), paths(&[ZEBRA, HUFF, POST]));
    assert_eq!(found(&f, "body:zebra"), paths(&[GIRAFFE, ROVERS]));
    assert_eq!(found(&f, "lead:zebra"), paths(&[GIRAFFE]));
    assert_eq!(found(&f, "quote:giraffe"), paths(&[ZEBRA]));
    assert_eq!(found(&f, "speaker:quill"), paths(&[ZEBRA]));
    assert_eq!(
        found(&f, "zebra -speaker:reed"),
        paths(&[ZEBRA, GIRAFFE, HUFF, POST])
    );
    assert_eq!(quoted_in(&f, "quote:giraffe"), paths(&[ZEBRA]));
    assert_eq!(quoted_in(&f, "speaker:reed"), paths(&[ROVERS]));
}

/// The table's prefix row: the start of a word with `*` finds what the word finds, in each
/// field (no other word of these articles starts the same way).
#[test]
fn a_prefix_finds_what_its_word_finds_in_each_field() {
    let f = corpus();
    for (word, prefix) in [
        ("zebra", "zebr*"),
        ("title:zebra", "title:zeb*"),
        ("body:zebra", "body:zeb*"),
        ("quote:giraffe", "quote:gira*"),
        ("zebra category:world", "zebra category:wor*"),
    ] {
        let expected = found(&f, word);
        assert!(!expected.is_empty(), "{word}");
        assert_eq!(found(&f, prefix), expected, "{prefix}");
    }
}

/// `category:` filters, a category matches its sub-folders, and a name with a dash or a
/// slash is one category, not a phrase the index cannot search.
#[test]
fn category_filters_and_matches_sub_folders() {
    let f = corpus();
    assert_eq!(found(&f, "zebra category:world"), paths(&[ZEBRA, GIRAFFE]));
    assert_eq!(found(&f, "zebra category:world/americas"), paths(&[ZEBRA]));
    assert_eq!(
        found(&f, "zebra category:\"World/Americas\""),
        paths(&[ZEBRA])
    );
    assert_eq!(
        found(&f, "zebra -category:world"),
        paths(&[ROVERS, HUFF, POST])
    );
    assert_eq!(found(&f, "zebra category:huff-post"), paths(&[HUFF]));
    assert_eq!(
        found(&f, "zebra category:(sport OR world/americas)"),
        paths(&[ZEBRA, ROVERS])
    );
    assert_eq!(quoted_in(&f, "category:world/americas"), paths(&[ZEBRA]));
    assert_eq!(quoted_in(&f, "category:sport"), paths(&[ROVERS]));
    let out = f.run(&["speakers", "category:world/americas", "--json"]);
    let text = stdout(&out);
    assert!(
        text.contains("Ana Quill") && !text.contains("Tom Reed"),
        "{text}"
    );
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

/// Text pasted from a page searches as text: a colon after a word that is not a field and
/// an apostrophe are not syntax.
#[test]
fn pasted_text_is_searched_as_text() {
    let f = corpus();
    for q in [
        "Profile: Gordon Brown",
        "http://bbc.co.uk",
        "10:30",
        "O'Neill",
        "Mr O'Neill agreed",
    ] {
        assert_eq!(found(&f, q), paths(&[PROFILE]), "{q}");
    }
    // An unknown `word:` is text: no error, just no match.
    let out = f.run(&["search", "colour:red"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // A field of article searches in a quote search is an error, not text.
    let out = f.run(&["quotes", "title:giraffe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'title:'"), "{}", stderr(&out));
}

/// Huge counts are clamped, `-n 0` is refused, and a page past the end says so.
#[test]
fn numbers_at_the_edges() {
    let f = corpus();
    let out = f.run(&["search", "zebra", "-n", "1000000000000"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ranks 1-5 of 5 matching articles"),
        "{}",
        stdout(&out)
    );
    let out = f.run(&["search", "zebra", "-n", "2", "--offset", "1"]);
    assert!(
        stdout(&out).contains("ranks 2-3 of 5 matching articles"),
        "{}",
        stdout(&out)
    );
    for offset in ["10", "1000000000000000"] {
        let out = f.run(&["search", "zebra", "--offset", offset, "-n", "1000000000000"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("no hits at ranks") && text.contains("5 articles match"),
            "{text}"
        );
    }
    let out = f.run(&["search", "zebra", "--offset", "10"]);
    assert!(stdout(&out).contains("no hits at ranks 11-20; 5 articles match"));
    let out = f.run(&["quotes", "*", "--offset", "50", "-n", "1000000000000"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no hits at ranks 51-") && stdout(&out).contains("2 quotes match"),
        "{}",
        stdout(&out)
    );
    let out = f.run(&["quotes", "*", "-n", "1"]);
    assert!(
        stdout(&out).contains("rank 1 of 2 matching quotes"),
        "{}",
        stdout(&out)
    );
    let (hits, summary, out) = f.search_json("zebra", &["-n", "1000000000000"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!((hits.len(), summary["total"].as_u64()), (5, Some(5)));
    for cmd in [
        vec!["search", "zebra", "-n", "0"],
        vec!["quotes", "*", "-n", "0"],
        vec!["speakers", "-n", "0"],
    ] {
        let out = f.run(&cmd);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("at least 1"),
            "{cmd:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "{cmd:?}: {}", stdout(&out));
    }
}

/// The highlighted ranges of each hit's snippet (and of its quote, when it has one).
fn highlighted(hit: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut take = |text: &serde_json::Value, ranges: &serde_json::Value| {
        let text = text.as_str().unwrap_or("");
        for r in ranges.as_array().into_iter().flatten() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            out.push(text[a..b].to_lowercase());
        }
    };
    if hit["quote"].is_string() {
        take(&hit["quote"], &hit["highlights"]);
    } else {
        take(&hit["snippet"], &hit["highlights"]);
    }
    if hit["quote"].is_object() {
        take(&hit["quote"]["quote"], &hit["quote"]["highlights"]);
    }
    out
}

/// A phrase is highlighted as the phrase, never as its words alone.
#[test]
fn phrases_are_highlighted_whole() {
    let f = corpus();
    let (hits, _, _) = f.search_json("\"human rights\"", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(highlighted(&hits[0]), ["human rights"], "{}", hits[0]);
    // The word searched alone is highlighted alone as well.
    let (hits, _, _) = f.search_json("\"human rights\" appeal", &[]);
    assert_eq!(
        highlighted(&hits[0]),
        ["human rights", "appeal"],
        "{}",
        hits[0]
    );
    let out = f.run(&["quotes", "\"giraffe exhibit\"", "--json"]);
    let hit: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(highlighted(&hit), ["giraffe exhibit"], "{hit}");
}

/// Warnings and errors speak the user's language: the fields they typed, never the index's
/// internal names, and nothing of tantivy's advice to its own programmers.
#[test]
fn messages_are_plain() {
    let f = corpus();
    let internal = [
        "q_",
        "tantivy",
        "Syntax Error",
        "leniently",
        "IoError",
        "Footer",
    ];
    let plain = |args: &[&str]| {
        let out = f.run(args);
        let err = stderr(&out);
        for word in internal {
            assert!(!err.contains(word), "{args:?}: {err}");
        }
        err
    };
    assert!(plain(&["search", "zebra title:"]).contains("warning"));
    assert!(plain(&["quotes", "giraffe [a TO"]).contains("warning"));
    plain(&["quotes", "category:\"world americas\""]);
    plain(&["speakers", "category:world/americas"]);
    // A damaged index file: which file, and how to recover.
    let store = std::fs::read_dir(f.index_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "term"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&store)
        .unwrap()
        .set_len(100)
        .unwrap();
    for cmd in ["search", "quotes", "speakers"] {
        let err = plain(&[cmd, "zebra"]);
        assert!(
            err.contains("damaged") && err.contains("--rebuild"),
            "{cmd}: {err}"
        );
    }
}
