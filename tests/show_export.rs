//! `show` (one article with its quotes marked), hit locations, and `export` (CSV and JSON
//! Lines), on folders the tests write.

mod common;

use common::Fixture;
use serde_json::Value;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A text article with two quotes in two paragraphs, a dated JSON Lines feed whose first
/// record has a title with a comma and quotation marks, an undated file and one whose name
/// holds a line break, a comma and quotation marks.
fn corpus() -> Fixture {
    let f = Fixture::empty();
    f.write(
        "city/bridge.txt",
        "Date: 2016-06-21\nSource: Daily Ledger\nBy: Mia Chen\n\n\
         Harbour bridge reopens\n\n\
         The harbour bridge reopened on Monday after repairs.\n\n\
         \u{201c}The bridge is safe,\u{201d} said Ann Reyes, the city engineer.\n\n\
         Traffic was light. \u{201c}We expect queues tomorrow,\u{201d} said Tom Okafor, a police officer.\n",
    );
    f.write(
        "feed.jsonl",
        concat!(
            r#"{"id": "j1", "title": "Harbour, \"cranes\"\nsold", "text": "The harbour cranes were sold. \"It was a fair price, all told,\" said Ann Reyes.", "date": "2016-07-05", "source": "wire.example"}"#,
            "\n",
            r#"{"id": "j2", "title": "Harbour pilots strike", "text": "The harbour pilots went on strike.", "date": "2017-01-02", "source": "other.example"}"#,
            "\n"
        ),
    );
    f.write(
        "undated.txt",
        "Harbour history\n\nThe harbour was built long ago.\n",
    );
    // Titles lose their line breaks, file names keep them: the path column carries one.
    f.write(ODD_NAME, "Harbour oddity\n\nThe harbour is odd.\n");
    f
}

const ODD_NAME: &str = "odd\nname, \"q\".txt";

fn indexed() -> Fixture {
    let f = corpus();
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

#[test]
fn show_prints_metadata_location_marked_quotes_and_attribution() {
    let f = indexed();
    let out = f.run(&["show", "city/bridge.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let location = f
        .corpus_dir()
        .canonicalize()
        .unwrap()
        .join("city/bridge.txt");
    for want in [
        "Harbour bridge reopens",
        "date: 2016-06-21",
        "source: Daily Ledger",
        "author: Mia Chen",
        &format!("location: {}", location.display()),
        "\u{ab}The bridge is safe,\u{bb}[1 Ann Reyes]",
        "\u{ab}We expect queues tomorrow,\u{bb}[2 Tom Okafor]",
        "said: \u{201c}The bridge is safe,\u{201d} said Ann Reyes, the city engineer.",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // Paragraphs stay apart, and no colour codes go down a pipe.
    assert!(text.contains("repairs.\n\n"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");
}

#[test]
fn show_accepts_every_spelling_of_a_path() {
    let f = indexed();
    let root = f.corpus_dir().canonicalize().unwrap();
    let absolute = root.join("city/bridge.txt");
    let record = format!("{}#j1", root.join("feed.jsonl").display());
    for given in [
        "city/bridge.txt",
        "corpus/city/bridge.txt",
        absolute.to_str().unwrap(),
        "feed.jsonl#j1",
        "corpus/feed.jsonl#j1",
        record.as_str(),
    ] {
        let out = f.run(&["show", given, "--json"]);
        assert!(out.status.success(), "{given}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            v["path"] == "city/bridge.txt" || v["path"] == "feed.jsonl#j1",
            "{given}: {v}"
        );
    }
}

#[test]
fn an_unknown_path_or_record_exits_1_naming_it_and_suggesting_search() {
    let f = indexed();
    for given in ["city/nothing.txt", "feed.jsonl#j9", "/elsewhere/bridge.txt"] {
        let out = f.run(&["show", given]);
        assert_eq!(out.status.code(), Some(1), "{given}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(given) && err.contains("search"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn one_quote_in_its_paragraph_and_a_number_out_of_range() {
    let f = indexed();
    let out = f.run(&["show", "city/bridge.txt", "--quote", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "Traffic was light. \u{201c}\u{ab}We expect queues tomorrow,\u{bb}[2 Tom Okafor]"
        ),
        "{text}"
    );
    assert!(!text.contains("The bridge is safe"), "{text}");
    let out = f.run(&["show", "city/bridge.txt", "--quote", "2", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["quotes"].as_array().unwrap().len(), 1);
    assert_eq!(v["quote_number"], 2);
    assert!(v["paragraph"]
        .as_str()
        .unwrap()
        .starts_with("Traffic was light."));
    let out = f.run(&["show", "city/bridge.txt", "--quote", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has 2 quote"), "{}", stderr(&out));
}

#[test]
fn hits_print_the_location_of_their_file() {
    let f = indexed();
    let root = f.corpus_dir().canonicalize().unwrap();
    let out = f.run(&["search", "bridge"]);
    let text = stdout(&out);
    let want = root.join("city/bridge.txt");
    assert!(text.contains(&want.display().to_string()), "{text}");
    let out = f.run(&["quotes", "queues"]);
    assert!(
        stdout(&out).contains(&want.display().to_string()),
        "{}",
        stdout(&out)
    );
    let (hits, _, _) = f.search_json("cranes", &[]);
    let record = format!("{}#j1", root.join("feed.jsonl").display());
    assert_eq!(hits[0]["location"], record.as_str());
    assert_eq!(hits[0]["path"], "feed.jsonl#j1");
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn export_csv_quotes_fields_with_commas_quotation_marks_and_line_breaks() {
    let f = indexed();
    let out = f.run(&["export", "harbour", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(rows.len(), 5, "{}", stdout(&out));
    let path = column(&header, "path");
    assert!(rows.iter().any(|r| r[path] == ODD_NAME), "{rows:?}");
    let title = column(&header, "title");
    let (hits, _, _) = f.search_json("cranes", &[]);
    let stored = hits[0]["title"].as_str().unwrap();
    assert!(stored.contains(',') && stored.contains('"'), "{stored}");
    assert!(rows.iter().any(|r| r[title] == stored), "{rows:?}");
    let loc = column(&header, "location");
    assert!(rows.iter().all(|r| r[loc].starts_with('/')), "{rows:?}");
}

#[test]
fn export_quotes_with_speaker_context_and_filters() {
    let f = indexed();
    let out = f.run(&[
        "export", "ann", "--quotes", "--format", "csv", "--until", "2016-06",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = csv_rows(&out.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][column(&header, "speaker")], "Ann Reyes");
    assert_eq!(rows[0][column(&header, "quote")], "The bridge is safe,");
    assert!(rows[0][column(&header, "context")].contains("city engineer"));
    let out = f.run(&[
        "export",
        "harbour source:other.example",
        "--format",
        "ndjson",
    ]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["path"], "feed.jsonl#j2");
    let out = f.run(&["export", "zebra", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
}

/// More hits than one page of the export, so the pages must join without a gap or a repeat.
#[test]
fn export_writes_every_hit_across_pages_to_a_file() {
    const RECORDS: usize = 2_345;
    let f = Fixture::empty();
    let mut feed = String::new();
    for i in 0..RECORDS {
        feed += &format!(
            "{{\"id\": \"r{i}\", \"title\": \"Tide {i}\", \"text\": \"The tide came in.\"}}\n"
        );
    }
    f.write("feed.jsonl", feed);
    assert!(f.index().status.success());
    let file = f.dir.path().join("out.csv");
    let out = f.run(&[
        "export",
        "tide",
        "--format",
        "csv",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let (header, rows) = csv_rows(&std::fs::read(&file).unwrap());
    let path = column(&header, "path");
    let mut paths: Vec<&str> = rows.iter().map(|r| r[path].as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), RECORDS);
}

/// Two speakers quoted in January, February and April 2016, one of them also undated.
fn dated_speakers() -> Fixture {
    let f = Fixture::empty();
    for month in ["01", "02", "04"] {
        f.write(
            &format!("a{month}.txt"),
            format!(
                "Date: 2016-{month}-05\nSource: Ledger\n\nHarbour news {month}\n\n\
                 \u{201c}The harbour is busy,\u{201d} said Ann Reyes, the engineer.\n\n\
                 \u{201c}The harbour is calm,\u{201d} said Tom Okafor, a pilot.\n"
            ),
        );
    }
    f.write(
        "old.txt",
        "Harbour old\n\n\u{201c}The harbour is old,\u{201d} said Ann Reyes, the engineer.\n",
    );
    assert!(f.index().status.success());
    f
}

#[test]
fn speakers_histogram_shows_who_was_quoted_when() {
    let f = dated_speakers();
    let out = f.run(&["speakers", "harbour", "--histogram", "month"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let table: Vec<&str> = text.lines().skip_while(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(
        table,
        [
            "            2016-01  2016-02  2016-04  no date",
            "Ann Reyes         1        1        1        1",
            "Tom Okafor        1        1        1",
        ],
        "{text}"
    );
    let out = f.run(&[
        "speakers",
        "harbour",
        "--histogram",
        "month",
        "--json",
        "--since",
        "2016-02",
    ]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ann = lines
        .iter()
        .find(|l| l["type"] == "speaker-histogram" && l["speaker"] == "Ann Reyes")
        .unwrap();
    let bins: Vec<(&str, u64)> = ann["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["value"].as_str().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(bins, [("2016-02", 1), ("2016-03", 0), ("2016-04", 1)]);
    assert_eq!(lines.last().unwrap()["type"], "summary");
}

#[test]
fn quotes_show_when_and_where_each_appeared() {
    let f = dated_speakers();
    let out = f.run(&["quotes", "busy", "--sort", "date"]);
    let text = stdout(&out);
    assert!(text.contains("a01.txt, 2016-01-05, Ledger)"), "{text}");
}

/// With a second corpus folder, its articles' keys start with its name; `show` still takes
/// a path relative to that folder, or its absolute path.
#[test]
fn show_finds_articles_of_a_second_corpus_folder() {
    let f = indexed();
    let other = f.dir.path().join("wire");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("story.txt"),
        "Wire story\n\n\u{201c}All quiet,\u{201d} said Lee Park, a guard.\n",
    )
    .unwrap();
    let out = f.run(&["index", other.to_str().unwrap(), "--add"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let absolute = other.canonicalize().unwrap().join("story.txt");
    for given in ["story.txt", "wire/story.txt", absolute.to_str().unwrap()] {
        let out = f.run(&["show", given, "--json"]);
        assert!(out.status.success(), "{given}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["path"], "wire/story.txt", "{given}");
        assert_eq!(v["location"], absolute.to_str().unwrap(), "{given}");
    }
}
