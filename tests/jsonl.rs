//! JSON Lines exports: one article per line, indexed beside text files.

mod common;

use common::{stderr, Fixture};

#[test]
fn records_are_articles_and_bad_lines_are_reported() {
    let f = Fixture::empty();
    f.write(
        "plain.txt",
        "Harbour reopens\n\nThe harbour reopened after the storm.\n",
    );
    f.write(
        "export/feed.jsonl",
        concat!(
            r#"{"id": "a1", "title": "Quarry plan rejected", "text": "Councillors rejected the quarry plan.\n\n\"It is the wrong site,\" said Ann Lowe.", "category": "local", "date": "2021-05-04"}"#,
            "\n",
            "{this is not json\n",
            "\n",
            r#"{"id": "a2", "headline": "Ferry fares rise", "body": "Ferry fares will rise by 5% in spring."}"#,
            "\n",
        ),
    );
    let s = f.index_json();
    assert_eq!(s["files_seen"], 2);
    assert_eq!(s["articles_in_index"], 3, "{s}");
    // A bad line is a skipped record, named by file and line; the file is indexed.
    assert_eq!(s["added"], 2, "{s}");
    assert_eq!(s["records_skipped"], 1, "{s}");
    let skipped = s["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{s}");
    assert_eq!(skipped[0]["path"], "export/feed.jsonl#line-2");
    assert!(skipped[0]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));

    let (hits, _, _) = f.search_json("quarry", &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "export/feed.jsonl#a1");
    assert_eq!(hits[0]["category"], "local");
    assert_eq!(hits[0]["date"], "2021-05-04");
    assert_eq!(f.paths("ferry"), vec!["export/feed.jsonl#a2"]);
    assert_eq!(f.paths("harbour"), vec!["plain.txt"]);
}

#[test]
fn a_changed_export_replaces_all_its_records() {
    let f = Fixture::empty();
    f.write("feed.jsonl", "{\"id\": 1, \"title\": \"Old story\", \"text\": \"About turnips.\"}\n{\"id\": 2, \"title\": \"Other\", \"text\": \"About leeks.\"}\n");
    f.index_json();
    assert_eq!(f.paths("turnips").len(), 1);
    f.write(
        "feed.jsonl",
        "{\"id\": 1, \"title\": \"New story\", \"text\": \"About parsnips.\"}\n",
    );
    let s = f.index_json();
    assert_eq!(s["updated"], 1, "{s}");
    assert_eq!(s["articles_in_index"], 1, "{s}");
    assert!(f.paths("turnips").is_empty());
    assert!(f.paths("leeks").is_empty());
    assert_eq!(f.paths("parsnips"), vec!["feed.jsonl#1"]);
    let again = f.index_json();
    assert_eq!(again["unchanged"], 1);
    assert_eq!(again["articles_in_index"], 1);
    std::fs::remove_file(f.corpus_dir().join("feed.jsonl")).unwrap();
    let gone = f.index_json();
    assert_eq!(gone["removed"], 1);
    assert_eq!(
        gone["articles_in_index"],
        0,
        "{}",
        stderr(&f.run(&["stats"]))
    );
}

/// Runs `index --json`; `ok` is whether the run should succeed (a bug met by a record
/// makes it fail, after indexing the rest).
fn index_with(f: &Fixture, extra: &[&str], failpoint: Option<&str>, ok: bool) -> serde_json::Value {
    let mut c = f.cmd();
    c.arg("index")
        .arg(f.corpus_dir())
        .arg("--index")
        .arg(f.index_dir())
        .arg("--json")
        .args(extra);
    if let Some(fp) = failpoint {
        c.env("NEWSDEX_FAILPOINT", fp);
    }
    let out = c.output().unwrap();
    let code = if ok { 0 } else { 2 };
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn issues(s: &serde_json::Value, kind: &str) -> Vec<(String, String)> {
    s[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let text = i.get("reason").or_else(|| i.get("message")).unwrap();
            (
                i["path"].as_str().unwrap().to_string(),
                text.as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Records follow the rules of text files: the size limit, the decoding of bytes that are
/// not UTF-8, and a bug in one record costs that record only (reported as a bug, as a
/// bug in one text file is).
#[test]
fn records_follow_the_rules_of_text_files() {
    let f = Fixture::empty();
    let huge = format!(
        "{{\"id\": \"big\", \"title\": \"Huge\", \"text\": \"{}\"}}\n",
        "turnip ".repeat(200_000)
    );
    let mut feed = huge.into_bytes();
    feed.extend_from_slice(b"{\"id\": \"cafe\", \"title\": \"Caf\xe9 reopens\", \"text\": \"The caf\xe9 reopened.\"}\n");
    feed.extend_from_slice(
        b"{\"id\": \"boom\", \"title\": \"panic-here\", \"text\": \"A record that meets a bug.\"}\n",
    );
    feed.extend_from_slice(b"{\"id\": \"ok\", \"title\": \"Ferry fares rise\", \"text\": \"Ferry fares rise.\", \"author\": \"Ann Lowe\"}\n");
    f.write("feed.jsonl", feed);
    let s = index_with(&f, &["--max-file-mb", "1"], Some("read-panic"), false);
    assert_eq!(s["articles_in_index"], 2, "{s}");
    let skipped = issues(&s, "skipped");
    assert_eq!(skipped.len(), 1, "{s}");
    assert_eq!(skipped[0].0, "feed.jsonl#line-1");
    assert!(skipped[0].1.contains("size limit"), "{s}");
    let bugs = issues(&s, "internal_errors");
    assert_eq!(bugs.len(), 1, "{s}");
    assert_eq!(bugs[0].0, "feed.jsonl#line-3");
    assert!(bugs[0].1.contains("failpoint read-panic"), "{s}");
    assert_eq!(s["records_skipped"], 2, "{s}");
    assert_eq!(s["added"], 1, "{s}");
    let warnings = issues(&s, "warnings");
    assert!(
        warnings
            .iter()
            .any(|(p, m)| p == "feed.jsonl#line-2" && m.contains("Windows-1252")),
        "{s}"
    );
    assert_eq!(f.paths("café"), vec!["feed.jsonl#cafe"]);
    assert!(f.paths("turnip").is_empty());
}
