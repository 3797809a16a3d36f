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
    // A bad line is a warning about the file, which is indexed.
    assert_eq!(s["skipped"].as_array().unwrap().len(), 0, "{s}");
    let warnings = s["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{s}");
    assert_eq!(warnings[0]["path"], "export/feed.jsonl");
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("line 2 skipped") && message.contains("not valid JSON"),
        "{message}"
    );

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
