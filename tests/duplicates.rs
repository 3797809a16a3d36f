//! Duplicates: copies of one story in several files are one `search` hit ("also in N
//! files") unless `--all`, their quotes count once in `quotes` and `speakers`, and `stats`
//! counts the clusters. On corpora the tests write.

mod common;

use common::{stderr, stdout, story, Fixture, OTHER};
use serde_json::Value;

fn indexed(files: &[(&str, String)]) -> Fixture {
    let f = Fixture::empty();
    for (name, text) in files {
        f.write(name, text);
    }
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

/// Two outlets ran the same story under their own headlines; one unrelated story.
fn exact_pair() -> Fixture {
    indexed(&[
        (
            "gazette.txt",
            format!("Harbour to reopen in spring\n\n{}", story("Friday")),
        ),
        (
            "courier.txt",
            format!("Town harbour reopens\n\n{}", story("Friday")),
        ),
        ("ferry.txt", OTHER.to_string()),
    ])
}

fn hits(f: &Fixture, query: &str, extra: &[&str]) -> (Vec<Value>, Value) {
    let (hits, summary, out) = f.search_json(query, extra);
    // 1: no hits (a page past the last).
    assert!(out.status.code().unwrap() < 2, "{}", stderr(&out));
    (hits, summary)
}

fn path(h: &Value) -> &str {
    h["path"].as_str().unwrap()
}

#[test]
fn two_files_with_the_same_body_are_one_hit_also_in_one_file() {
    let f = exact_pair();
    let (found, summary) = hits(&f, "harbour", &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    let copied = found
        .iter()
        .find(|h| path(h) != "ferry.txt")
        .expect("the story is a hit");
    let copy = if path(copied) == "gazette.txt" {
        "courier.txt"
    } else {
        "gazette.txt"
    };
    assert_eq!(copied["duplicates"], 1);
    assert_eq!(copied["also_in"], serde_json::json!([copy]));
    let ferry = found.iter().find(|h| path(h) == "ferry.txt").unwrap();
    assert_eq!(ferry["duplicates"], 0);
    // `total` counts every matching article, the copy included.
    assert_eq!(summary["total"], 3);

    let text = stdout(&f.run(&["search", "harbour", "--no-snippets"]));
    assert!(text.contains(&format!("also in 1 file: {copy}")), "{text}");
    assert!(text.contains("1 copy folded into these hits"), "{text}");
}

#[test]
fn all_lists_every_copy() {
    let f = exact_pair();
    let (found, summary) = hits(&f, "harbour", &["--all"]);
    let mut paths: Vec<&str> = found.iter().map(path).collect();
    paths.sort();
    assert_eq!(paths, ["courier.txt", "ferry.txt", "gazette.txt"]);
    assert!(found.iter().all(|h| h["duplicates"] == 0));
    assert_eq!(summary["total"], 3);
    // An export is a row per article, copies included.
    let rows = stdout(&f.run(&["export", "harbour", "--format", "ndjson"]));
    assert_eq!(rows.lines().count(), 3, "{rows}");
}

#[test]
fn pages_count_clusters_not_copies() {
    let f = exact_pair();
    let (first, _) = hits(&f, "harbour", &["-n", "1"]);
    let (second, _) = hits(&f, "harbour", &["-n", "1", "--offset", "1"]);
    let (third, _) = hits(&f, "harbour", &["-n", "1", "--offset", "2"]);
    assert_eq!(first.len(), 1);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["rank"], 2);
    assert_ne!(path(&first[0]), path(&second[0]));
    // Two stories: the third page is past the last hit.
    assert!(third.is_empty(), "{third:?}");
}

#[test]
fn a_copy_with_one_word_changed_is_folded_and_different_stories_are_not() {
    let f = indexed(&[
        (
            "gazette.txt",
            format!("Harbour to reopen\n\n{}", story("Friday")),
        ),
        (
            "ledger.txt",
            format!("Harbour reopening\n\n{}", story("Thursday")),
        ),
        ("ferry.txt", OTHER.to_string()),
    ]);
    let (found, _) = hits(&f, "harbour", &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    let folded: Vec<u64> = found
        .iter()
        .map(|h| h["duplicates"].as_u64().unwrap())
        .collect();
    assert_eq!(folded.iter().sum::<u64>(), 1, "{found:?}");
    // The ferry story shares words with the harbour story but is another text.
    let ferry = found.iter().find(|h| path(h) == "ferry.txt").unwrap();
    assert_eq!(ferry["duplicates"], 0);
}

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    assert!(out.status.code().unwrap() < 2, "{}", stderr(out));
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

/// Mary Doyle's rows of `speakers --json` (with a topic or without).
fn doyle(f: &Fixture, topic: &[&str]) -> Value {
    let mut args = vec!["speakers"];
    args.extend_from_slice(topic);
    args.push("--json");
    let lines = json_lines(&f.run(&args));
    lines
        .into_iter()
        .find(|l| l["speaker"] == "Mary Doyle")
        .expect("Mary Doyle is listed")
}

#[test]
fn a_quote_in_two_copies_counts_once() {
    let f = exact_pair();
    // The copied quote once, and her quote in the ferry story.
    let lines = json_lines(&f.run(&["quotes", "--speaker", "Mary Doyle", "--json"]));
    let (quotes, summary) = lines.split_at(lines.len() - 1);
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(summary[0]["total"], 2);
    let lines = json_lines(&f.run(&["quotes", "heart", "--json"]));
    assert_eq!(lines.last().unwrap()["total"], 1, "{lines:?}");
    for topic in [&[][..], &["harbour"][..]] {
        let row = doyle(&f, topic);
        assert_eq!(row["quotes"], 2, "{topic:?}: {row}");
        assert_eq!(row["articles"], 2, "{topic:?}: {row}");
    }
    let facet = json_lines(&f.run(&["quotes", "heart", "--facet", "speaker", "--json"]));
    let counts = facet.iter().find(|l| l["type"] == "facet").unwrap();
    assert_eq!(counts["values"][0]["count"], 1, "{counts}");
}

#[test]
fn stats_count_the_clusters() {
    let f = indexed(&[
        ("a/gazette.txt", format!("Harbour\n\n{}", story("Friday"))),
        ("b/courier.txt", format!("Harbour\n\n{}", story("Friday"))),
        ("c/wire.txt", format!("Harbour\n\n{}", story("Friday"))),
        ("ledger.txt", format!("Harbour\n\n{}", story("Thursday"))),
        ("ferry.txt", OTHER.to_string()),
        ("ferry-copy.txt", OTHER.to_string()),
        (
            "short.txt",
            "Harbour\n\nToo short to compare.\n".to_string(),
        ),
        (
            "short-copy.txt",
            "Harbour\n\nToo short to compare.\n".to_string(),
        ),
    ]);
    let out = f.run(&["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Four copies of the harbour story, one edited (near); two of the ferry story (exact);
    // the short texts are nobody's duplicates.
    assert_eq!(
        v["duplicates"],
        serde_json::json!({"clusters": 2, "exact_clusters": 1, "near_clusters": 1, "articles": 6})
    );
    let text = stdout(&f.run(&["stats"]));
    assert!(
        text.contains("clusters  2 (1 exact, 1 near) of 6 duplicate articles, 4 of them copies"),
        "{text}"
    );
}

#[test]
fn clusters_follow_new_copies_and_are_found_without_their_file() {
    let f = exact_pair();
    let kept = |f: &Fixture| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(f.index_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("duplicates-")
            })
            .collect()
    };
    let files = kept(&f);
    assert_eq!(files.len(), 1, "{files:?}");
    // As after an interrupted run: the search finds the clusters itself.
    std::fs::remove_file(&files[0]).unwrap();
    let (found, _) = hits(&f, "harbour", &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    // A third copy, indexed later, joins the cluster.
    f.write("wire.txt", format!("Harbour\n\n{}", story("Friday")));
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(kept(&f).len(), 1);
    let (found, summary) = hits(&f, "harbour", &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(summary["total"], 4);
    let copied = found.iter().find(|h| path(h) != "ferry.txt").unwrap();
    assert_eq!(copied["duplicates"], 2, "{copied}");
}
