//! Re-indexing follows the corpus: unchanged files are not read again, changed ones replaced,
//! deleted ones removed, new ones added.

mod common;

use common::{stderr, Fixture};

const ORINOCO: &str = "world/americas/valdoria-courts-investors-for-orinoco-oil.txt";
const BANK: &str = "business/bank-cuts-interest-rates-for-second-month.txt";

#[test]
fn second_run_changes_nothing() {
    let f = Fixture::indexed();
    let before = f.run(&["stats", "--json"]);
    let s = f.index_json();
    assert_eq!(s["added"], 0);
    assert_eq!(s["updated"], 0);
    assert_eq!(s["removed"], 0);
    assert_eq!(s["unchanged"], s["files_seen"]);
    assert_eq!(
        s["bytes_read"], 0,
        "an unchanged corpus must not be read again"
    );
    let after = f.run(&["stats", "--json"]);
    let (b, a): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&before.stdout).unwrap(),
        serde_json::from_slice(&after.stdout).unwrap(),
    );
    assert_eq!(b["articles"], a["articles"]);
    assert_eq!(b["quotes"], a["quotes"]);
}

#[test]
fn modify_delete_add() {
    let f = Fixture::indexed();
    assert!(f.paths("zanzibarite").is_empty());
    // Modify: a new word appears, the article is still there once.
    let p = f.corpus_dir().join(BANK);
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\nAnalysts also cited zanzibarite exports.\n");
    std::fs::write(&p, text).unwrap();
    // Delete.
    std::fs::remove_file(f.corpus_dir().join(ORINOCO)).unwrap();
    // Add.
    f.write(
        "world/new-port.txt",
        "Port opens on the coast\n\nThe new zanzibarite terminal opened on Monday.\n",
    );
    let s = f.index_json();
    assert_eq!(s["updated"], 1, "{s}");
    assert_eq!(s["removed"], 1, "{s}");
    assert_eq!(s["added"], 1, "{s}");
    let mut hits = f.paths("zanzibarite");
    hits.sort();
    assert_eq!(
        hits,
        vec![BANK.to_string(), "world/new-port.txt".to_string()]
    );
    assert!(f.paths("orinoco").iter().all(|p| p != ORINOCO));
    // Each article is in the index once.
    let all = f.paths("bank");
    let mut dedup = all.clone();
    dedup.dedup();
    assert_eq!(all, dedup);
}

#[test]
fn rebuild_starts_over() {
    let f = Fixture::indexed();
    let corpus = f.corpus_dir();
    let out = f.run(&["index", corpus.to_str().unwrap(), "--rebuild", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["added"], s["files_seen"]);
    assert_eq!(s["articles_in_index"], s["files_seen"]);
}

#[test]
fn an_index_of_another_schema_version_is_refused_with_a_hint() {
    let f = Fixture::indexed();
    let marker = f.index_dir().join("newsdex.json");
    std::fs::write(&marker, r#"{"format":"newsdex","schema_version":0}"#).unwrap();
    let out = f.run(&["search", "oil"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(
        msg.contains("schema version 0") && msg.contains("--rebuild"),
        "{msg}"
    );
    let corpus = f.corpus_dir();
    let out = f.run(&["index", corpus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let out = f.run(&["index", corpus.to_str().unwrap(), "--rebuild"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(f.run(&["search", "oil"]).status.code(), Some(0));
}
