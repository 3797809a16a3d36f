//! What the command line promises: help that tells what is accepted, counts that add up,
//! and internal errors (panics) that are loud, name the file, and reach the tests.

mod common;

use std::path::Path;

use common::{stderr, stdout, Fixture};

fn help(f: &Fixture, cmd: &str) -> String {
    let out = f.cmd().args([cmd, "--help"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// The help text of the option `--name`: its line and the indented lines under it.
fn option_help(text: &str, name: &str) -> String {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(name));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"));
    let rest: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with('-') && !l.trim().is_empty())
        .collect();
    format!(
        "{} {}",
        first.trim_start().trim_start_matches(name),
        rest.join(" ")
    )
}

#[test]
fn help_names_what_each_command_accepts() {
    let f = Fixture::empty();
    assert!(
        help(&f, "index").contains(".jsonl"),
        "{}",
        help(&f, "index")
    );
    assert!(
        help(&f, "search").contains("lead"),
        "{}",
        help(&f, "search")
    );
    for cmd in ["speakers", "stats", "search", "quotes", "index"] {
        let text = help(&f, cmd);
        let json = option_help(&text, "--json");
        assert!(
            json.split_whitespace().count() >= 3,
            "{cmd} --json: {json:?}"
        );
    }
    // `parse` reads files, not an index: it offers no --index.
    assert!(
        !help(&f, "parse").contains("--index"),
        "{}",
        help(&f, "parse")
    );
    let file = f.write("a.txt", "Title\n\nBody.\n");
    let out = f
        .cmd()
        .arg("parse")
        .arg(&file)
        .args(["--index", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn index_counts_add_up() {
    let f = Fixture::corpus();
    f.write("empty.txt", "");
    f.write("binary.txt", b"\x00\x01\x02PNG\x00");
    f.write(
        "feed.jsonl",
        concat!(
            r#"{"title": "Quarry plan rejected", "text": "Councillors said no."}"#,
            "\n{bad\n"
        ),
    );
    let s = f.index_json();
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("{k}: {s}"));
    let len = |k: &str| s[k].as_array().unwrap().len() as u64;
    assert_eq!(n("files_seen"), 44, "{s}");
    assert_eq!(
        n("files_seen"),
        n("added") + n("updated") + n("unchanged") + len("skipped") + len("internal_errors")
            - n("records_skipped")
            + n("pending"),
        "{s}"
    );
    // The bad line of feed.jsonl is a skipped record of an indexed file, not a skipped file.
    assert_eq!(len("skipped"), 3, "{s}");
    assert_eq!(n("records_skipped"), 1, "{s}");
    assert_eq!(s["skipped"][2]["path"], "feed.jsonl#line-2", "{s}");
    let gone = "business/bank-cuts-interest-rates-for-second-month.txt";
    std::fs::remove_file(f.corpus_dir().join(gone)).unwrap();
    f.write("business/new.txt", "New\n\nA new article.\n");
    let out = f.index();
    let text = stdout(&out);
    assert!(
        text.contains("files: 44 seen: 1 added, 0 updated, 41 unchanged, 2 skipped; 1 removed"),
        "{text}"
    );
}

#[test]
fn stats_counts_the_speakers_that_speakers_lists() {
    let f = Fixture::indexed();
    let out = f.run(&["stats", "--json"]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = f.run(&["speakers", "--json", "-n", "100000"]);
    let listed = stdout(&out).lines().count() as u64 - 1;
    assert_eq!(s["speakers"].as_u64().unwrap(), listed, "{s}");
}

/// A panic outside the per-file net is not dressed up as an ordinary error: it shows as a
/// panic (exit 101), so the tests that look for one can fail.
#[test]
fn a_panic_in_a_command_is_visible_to_tests() {
    let f = Fixture::empty();
    let out = f
        .cmd()
        .args(["stats", "--index"])
        .arg(f.index_dir())
        .env("NEWSDEX_FAILPOINT", "command-panic")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101), "{}", stderr(&out));
    assert!(stderr(&out).contains("panicked"), "{}", stderr(&out));
}

/// A bug met while reading one file is reported loudly, naming the file, as a bug; the
/// other files are indexed and the run ends with an error status.
#[test]
fn a_panic_while_indexing_one_file_is_reported_as_a_bug_naming_it() {
    let f = Fixture::empty();
    f.write("ok.txt", "Fine\n\nA fine okaytoken article.\n");
    f.write(
        "sub/panic-here.txt",
        "Boom\n\nThis file trips the injected fault.\n",
    );
    let corpus = f.corpus_dir();
    let run = |json: bool| {
        let mut c = f.cmd();
        c.args(["index", corpus.to_str().unwrap(), "--rebuild", "--index"])
            .arg(f.index_dir())
            .env("NEWSDEX_FAILPOINT", "read-panic");
        if json {
            c.arg("--json");
        }
        c.output().unwrap()
    };
    let out = run(false);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "newsdex: error: internal error (a bug in newsdex) while reading sub/panic-here.txt"
        ),
        "{err}"
    );
    assert!(err.contains("failpoint read-panic"), "{err}");
    let out = run(true);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["articles_in_index"], 1, "{s}");
    assert_eq!(s["internal_errors"][0]["path"], "sub/panic-here.txt", "{s}");
    assert_eq!(s["skipped"].as_array().unwrap().len(), 0, "{s}");
    let (hits, _, _) = f.search_json("okaytoken", &[]);
    assert_eq!(hits.len(), 1);
}

/// Only `main.rs` decides the exit status: the library returns it.
#[test]
fn the_library_never_calls_process_exit() {
    fn visit(dir: &Path, found: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                visit(&p, found);
            } else if p.file_name().unwrap() != "main.rs" && p.extension().unwrap() == "rs" {
                let text = std::fs::read_to_string(&p).unwrap();
                if text.contains("process::exit") || text.contains("exit(130)") {
                    found.push(p.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found.retain(|p| !p.contains("/bin/"));
    assert!(found.is_empty(), "{found:?}");
}
