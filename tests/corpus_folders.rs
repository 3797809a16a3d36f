//! An index remembers its corpus folders: another folder, an empty one or a run that would
//! remove most articles is refused until the user confirms; several folders make one index.

mod common;

use common::{stderr, Fixture};

fn articles(f: &Fixture) -> u64 {
    let out = f.run(&["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["articles"].as_u64().unwrap()
}

fn other_folder(f: &Fixture) -> std::path::PathBuf {
    let other = f.dir.path().join("polnear");
    std::fs::create_dir_all(other.join("cnn")).unwrap();
    std::fs::write(
        other.join("cnn/a.txt"),
        "Quorvex vote delayed\n\nThe quorvex committee delayed the vote on Tuesday.\n",
    )
    .unwrap();
    other
}

#[test]
fn a_folder_the_index_has_never_seen_is_refused() {
    let f = Fixture::indexed();
    let before = articles(&f);
    assert!(before > 20);
    let other = other_folder(&f);
    let out = f.run(&["index", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(
        msg.contains("never seen") && msg.contains("--add") && msg.contains("--rebuild"),
        "{msg}"
    );
    assert_eq!(articles(&f), before, "nothing is removed");
    // --add indexes it beside the first folder, whose keys stay as they were.
    let out = f.run(&["index", other.to_str().unwrap(), "--add", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(articles(&f), before + 1);
    assert_eq!(f.paths("quorvex"), vec!["polnear/cnn/a.txt"]);
    // Without a folder, a run updates every folder the index remembers.
    let out = f.run(&["index", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["files_seen"].as_u64(), Some(before + 1), "{s}");
    assert_eq!(s["unchanged"], s["files_seen"], "{s}");
    assert_eq!(s["folders"].as_array().unwrap().len(), 2, "{s}");
}

#[test]
fn an_empty_or_unmounted_folder_does_not_wipe_the_index() {
    let f = Fixture::indexed();
    let before = articles(&f);
    let corpus = f.corpus_dir();
    std::fs::rename(&corpus, f.dir.path().join("moved")).unwrap();
    std::fs::create_dir_all(&corpus).unwrap();
    let out = f.run(&["index", corpus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let msg = stderr(&out);
    assert!(
        msg.contains(&format!("would remove {before} of the {before} files"))
            && msg.contains("--allow-removals"),
        "{msg}"
    );
    assert_eq!(articles(&f), before);
    // Most of the files gone: also refused.
    std::fs::remove_dir(&corpus).unwrap();
    std::fs::rename(f.dir.path().join("moved"), &corpus).unwrap();
    for d in ["business", "politics", "science", "sport", "world"] {
        std::fs::remove_dir_all(corpus.join(d)).unwrap();
    }
    let out = f.run(&["index", corpus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(articles(&f), before);
    // Confirmed: removed.
    let out = f.run(&["index", corpus.to_str().unwrap(), "--allow-removals"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(articles(&f) < before / 2);
}

#[test]
fn several_folders_make_one_index() {
    let f = Fixture::corpus();
    let other = other_folder(&f);
    let corpus = f.corpus_dir();
    let out = f.run(&[
        "index",
        corpus.to_str().unwrap(),
        other.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["added"], s["files_seen"], "{s}");
    assert_eq!(f.paths("quorvex"), vec!["polnear/cnn/a.txt"]);
    let bank = f.paths("bank");
    assert!(
        !bank.is_empty() && bank.iter().all(|p| p.starts_with("corpus/")),
        "{bank:?}"
    );
    let out = f.run(&["index", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["unchanged"], s["files_seen"], "{again}");
}
