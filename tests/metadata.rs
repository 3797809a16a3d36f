//! Metadata in (JSON Lines fields, a metadata file, header blocks, front matter, file
//! names) and out (date filters, sorting, `source:`/`author:`, facets, histograms), on a
//! corpus the tests write, malformed parts included.

mod common;

use common::{stderr, stdout, Fixture};
use serde_json::Value;

/// Eight articles that all say "harbour", dated in every way newsdex reads, two without a
/// date, and a metadata file with a quoted comma, a row for a missing file and a bad date.
fn corpus() -> Fixture {
    let f = Fixture::empty();
    f.write(
        "metadata.csv",
        "file,publisher,author,date\n\
         csv1.txt,\"Gazette, The\",\"Lowe, Ann\",2016-03-05\n\
         gone.txt,Gazette,Tom Reyes,2016-03-06\n\
         badd.txt,Gazette,Tom Reyes,someday\n",
    );
    f.write(
        "csv1.txt",
        "Harbour bridge reopens\n\nThe harbour bridge reopened on Monday.\n\n\u{201c}The bridge is safe,\u{201d} said Ann Reyes, the city engineer.\n",
    );
    f.write(
        "badd.txt",
        "Harbour ferry strike\n\nThe harbour ferry workers walked out.\n",
    );
    f.write(
        "hdr.txt",
        "Date: 21 June 2016\nBy: Mia Chen\nSource: Daily Ledger\nURL: https://ledger.example/h\n\n\
         Harbour tolls rise\n\n\u{201c}We had no choice,\u{201d} said Sam Okafor, the port director, about the harbour tolls.\n",
    );
    f.write(
        "fm.md",
        "---\ndate: 2016-07-02\nauthor: Ann Lowe\npublisher: Daily Ledger\n---\n# Harbour dredging begins\n\nDredging of the harbour began.\n",
    );
    f.write(
        "news_2016-08-09_fish.txt",
        "Harbour fish return\n\nFish returned to the harbour.\n",
    );
    f.write(
        "undated.txt",
        "Harbour history\n\nThe harbour was built long ago.\n",
    );
    f.write(
        "feed.jsonl",
        concat!(
            r#"{"id": "j1", "title": "Harbour cranes sold", "text": "The harbour cranes were sold.", "published_at": "Tue, 05 Jul 2016 10:00:00 GMT", "source_domain": "wire.example", "authors": ["Tom Reyes"]}"#,
            "\n",
            r#"{"id": "j2", "title": "Harbour pilots strike", "text": "The harbour pilots went on strike.", "created_at": "2016-09-01"}"#,
            "\n"
        ),
    );
    f
}

fn indexed() -> Fixture {
    let f = corpus();
    let out = index(&f);
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

fn index(f: &Fixture) -> std::process::Output {
    let corpus = f.corpus_dir();
    f.run(&[
        "index",
        corpus.to_str().unwrap(),
        "--field",
        "date=created_at",
    ])
}

fn paths(f: &Fixture, query: &str, extra: &[&str]) -> Vec<String> {
    let (hits, _, out) = f.search_json(query, extra);
    assert!(out.status.code().unwrap() < 2, "{}", stderr(&out));
    hits.iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_source_of_metadata_is_read_and_bad_parts_are_warnings() {
    let f = corpus();
    let out = index(&f);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("metadata.csv") && err.contains("\"gone.txt\""),
        "{err}"
    );
    assert!(
        err.contains("metadata.csv") && err.contains("\"someday\""),
        "{err}"
    );
    // The metadata file is not an article: eight articles, and its words are not indexed.
    assert!(
        stdout(&out).contains("index now holds 8 articles"),
        "{}",
        stdout(&out)
    );
    assert!(paths(&f, "publisher", &[]).is_empty());

    let (hits, _, _) = f.search_json("harbour", &["-n", "20"]);
    let by_path = |p: &str| hits.iter().find(|h| h["path"] == p).unwrap().clone();
    let dated = |p: &str| (by_path(p)["date"].clone(), by_path(p)["source"].clone());
    assert_eq!(
        dated("csv1.txt"),
        ("2016-03-05".into(), "Gazette, The".into())
    );
    assert_eq!(dated("badd.txt"), (Value::Null, "Gazette".into()));
    assert_eq!(
        dated("hdr.txt"),
        ("2016-06-21".into(), "Daily Ledger".into())
    );
    assert_eq!(dated("fm.md"), ("2016-07-02".into(), "Daily Ledger".into()));
    assert_eq!(
        dated("news_2016-08-09_fish.txt"),
        ("2016-08-09".into(), Value::Null)
    );
    assert_eq!(dated("undated.txt"), (Value::Null, Value::Null));
    assert_eq!(
        dated("feed.jsonl#j1"),
        ("2016-07-05".into(), "wire.example".into())
    );
    // Found only through `--field date=created_at`.
    assert_eq!(dated("feed.jsonl#j2"), ("2016-09-01".into(), Value::Null));
    // The header block is neither the title nor the body.
    assert_eq!(by_path("hdr.txt")["title"], "Harbour tolls rise");
}

#[test]
fn parse_shows_each_value_and_where_it_came_from() {
    let f = corpus();
    let c = f.corpus_dir();
    let out = f
        .cmd()
        .arg("parse")
        .args(["hdr.txt", "fm.md", "csv1.txt", "news_2016-08-09_fish.txt"].map(|p| c.join(p)))
        .arg(c.join("feed.jsonl"))
        .args(["--json", "--field", "date=created_at"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let meta = |i: usize, field: &str| {
        let m = &lines[i]["metadata"][field];
        (m["value"].clone(), m["origin"].clone())
    };
    assert_eq!(meta(0, "date"), ("2016-06-21".into(), "header".into()));
    assert_eq!(
        meta(0, "authors"),
        (serde_json::json!(["Mia Chen"]), "header".into())
    );
    assert_eq!(
        meta(0, "url"),
        ("https://ledger.example/h".into(), "header".into())
    );
    // The header block's lines are neither the title nor the body.
    assert_eq!(lines[0]["title"], "Harbour tolls rise");
    assert!(!lines[0]["body"].as_str().unwrap().contains("By:"));
    assert_eq!(
        meta(1, "date"),
        ("2016-07-02".into(), "front-matter".into())
    );
    assert_eq!(
        meta(2, "source"),
        ("Gazette, The".into(), "metadata-file".into())
    );
    assert_eq!(meta(3, "date"), ("2016-08-09".into(), "file-name".into()));
    assert_eq!(meta(4, "source"), ("wire.example".into(), "jsonl".into()));
    assert_eq!(
        lines[5]["path"].as_str().unwrap().rsplit('#').next(),
        Some("j2")
    );
    assert_eq!(meta(5, "date"), ("2016-09-01".into(), "jsonl".into()));
}

#[test]
fn the_more_explicit_value_wins() {
    let f = Fixture::empty();
    // Header and file name disagree: the header wins; the metadata file beats both.
    f.write(
        "a_2010-01-01.txt",
        "Date: 2016-05-05\n\nHarbour A\n\nText.\n",
    );
    f.write(
        "b_2010-01-01.txt",
        "Date: 2016-05-05\n\nHarbour B\n\nText.\n",
    );
    f.write("metadata.tsv", "filename\tdate\nb_2010-01-01\t2016-06-06\n");
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _, _) = f.search_json("harbour", &["--sort", "date"]);
    let got: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h["path"].as_str().unwrap(), h["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("a_2010-01-01.txt", "2016-05-05"),
            ("b_2010-01-01.txt", "2016-06-06")
        ]
    );
}

#[test]
fn a_changed_metadata_row_reindexes_the_file_it_names() {
    let f = indexed();
    assert!(paths(&f, "harbour", &["--since", "2017"]).is_empty());
    f.write(
        "metadata.csv",
        "file,publisher,author,date\ncsv1.txt,Gazette,\"Lowe, Ann\",2017-01-02\n",
    );
    let out = index(&f);
    assert!(out.status.success(), "{}", stderr(&out));
    // csv1.txt has a new row, badd.txt lost its row; nothing else changed.
    assert!(
        stdout(&out).contains("2 updated, 5 unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(paths(&f, "harbour", &["--since", "2017"]), ["csv1.txt"]);
    let (hits, _, _) = f.search_json("harbour", &["--since", "2017"]);
    assert_eq!(hits[0]["source"], "Gazette");
}

#[test]
fn date_filters_leave_out_what_is_outside_the_period() {
    let f = indexed();
    assert_eq!(
        sorted(paths(
            &f,
            "harbour",
            &["--since", "2016-07", "--until", "2016-07"]
        )),
        ["feed.jsonl#j1", "fm.md"]
    );
    assert_eq!(
        sorted(paths(&f, "harbour", &["--since", "2016-07-03"])),
        ["feed.jsonl#j1", "feed.jsonl#j2", "news_2016-08-09_fish.txt"]
    );
    // --until takes in the whole period it names.
    assert_eq!(
        sorted(paths(&f, "harbour", &["--until", "2016-06"])),
        ["csv1.txt", "hdr.txt"]
    );
    assert_eq!(
        paths(&f, "harbour", &["--since", "2016", "--until", "2016"]).len(),
        6
    );
    // The count is of the articles in the period, also when fewer hits are shown.
    for n in ["1", "10"] {
        let (_, summary, _) = f.search_json("harbour", &["--since", "2016-07-03", "-n", n]);
        assert_eq!(summary["total"], 3, "-n {n}: {summary}");
    }
    let out = f.run(&["search", "harbour", "--since", "July 2016"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("YYYY-MM"), "{}", stderr(&out));
    let out = f.run(&[
        "search", "harbour", "--since", "2016-08", "--until", "2016-07",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("after --until"), "{}", stderr(&out));
}

#[test]
fn quotes_and_speakers_filter_by_date_and_source() {
    let f = indexed();
    let count = |args: &[&str]| {
        let mut a = args.to_vec();
        a.push("--json");
        let out = f.run(&a);
        assert!(out.status.code().unwrap() < 2, "{}", stderr(&out));
        stdout(&out).lines().count() - 1
    };
    assert_eq!(count(&["quotes", "choice"]), 1);
    assert_eq!(count(&["quotes", "choice", "--since", "2016-07"]), 0);
    assert_eq!(count(&["quotes", "choice source:ledger"]), 1);
    assert_eq!(count(&["quotes", "choice source:gazette"]), 0);
    assert_eq!(count(&["quotes", "choice author:chen"]), 1);
    assert_eq!(
        count(&["speakers", "--since", "2016-06", "--until", "2016-06"]),
        1
    );
    assert_eq!(count(&["speakers", "--until", "2016-06"]), 2);
    assert_eq!(count(&["speakers", "--since", "2016-07"]), 0);
    assert_eq!(count(&["speakers", "source:wire"]), 0);
    let out = f.run(&["quotes", "choice", "--json"]);
    let hit: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        (hit["date"].as_str(), hit["source"].as_str()),
        (Some("2016-06-21"), Some("Daily Ledger"))
    );
}

#[test]
fn source_and_author_in_the_query() {
    let f = indexed();
    assert_eq!(
        sorted(paths(&f, "harbour source:\"daily ledger\"", &[])),
        ["fm.md", "hdr.txt"]
    );
    assert_eq!(
        sorted(paths(&f, "harbour author:lowe", &[])),
        ["csv1.txt", "fm.md"]
    );
    assert_eq!(paths(&f, "harbour -source:gazette", &[]).len(), 6);
    // badd.txt's row has a bad date, but its author is read.
    assert_eq!(
        sorted(paths(&f, "author:reyes", &[])),
        ["badd.txt", "feed.jsonl#j1"]
    );
}

#[test]
fn sorting_by_date_puts_undated_articles_last() {
    let f = indexed();
    let oldest = paths(&f, "harbour", &["--sort", "date"]);
    assert_eq!(
        oldest[..6],
        [
            "csv1.txt",
            "hdr.txt",
            "fm.md",
            "feed.jsonl#j1",
            "news_2016-08-09_fish.txt",
            "feed.jsonl#j2"
        ]
    );
    assert_eq!(sorted(oldest[6..].to_vec()), ["badd.txt", "undated.txt"]);
    let newest = paths(&f, "harbour", &["--sort", "-date"]);
    assert_eq!(newest[0], "feed.jsonl#j2");
    assert_eq!(newest[5], "csv1.txt");
    assert_eq!(sorted(newest[6..].to_vec()), ["badd.txt", "undated.txt"]);
    // Paging through a date order.
    assert_eq!(
        paths(
            &f,
            "harbour",
            &["--sort", "date", "-n", "2", "--offset", "2"]
        ),
        ["fm.md", "feed.jsonl#j1"]
    );
}

#[test]
fn facets_and_histograms_count_every_match_not_the_page() {
    let f = indexed();
    let out = f.run(&[
        "search",
        "harbour",
        "-n",
        "1",
        "--json",
        "--facet",
        "source",
        "--facet",
        "year",
        "--histogram",
        "month",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    let source = &lines[1];
    assert_eq!(source["facet"], "source");
    assert_eq!(
        source["values"],
        serde_json::json!([
            {"value": "Daily Ledger", "count": 2},
            {"value": "Gazette", "count": 1},
            {"value": "Gazette, The", "count": 1},
            {"value": "wire.example", "count": 1},
        ])
    );
    assert_eq!(source["missing"], 3);
    assert_eq!(
        lines[2]["values"],
        serde_json::json!([{"value": "2016", "count": 6}])
    );
    let h = &lines[3];
    let bins: Vec<(&str, u64)> = h["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["value"].as_str().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        bins,
        [
            ("2016-03", 1),
            ("2016-04", 0),
            ("2016-05", 0),
            ("2016-06", 1),
            ("2016-07", 2),
            ("2016-08", 1),
            ("2016-09", 1)
        ]
    );
    assert_eq!(h["missing"], 2);
    // Counts follow the filters.
    let out = f.run(&[
        "search", "harbour", "--since", "2016-07", "--facet", "source",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("Daily Ledger") && !text.contains("Gazette"),
        "{text}"
    );
    let out = f.run(&["search", "harbour", "--histogram", "month"]);
    let text = stdout(&out);
    assert!(
        text.contains("2016-07") && text.contains("(no date)"),
        "{text}"
    );
}

#[test]
fn quotes_count_per_source_and_period() {
    let f = indexed();
    let out = f.run(&[
        "quotes",
        "*",
        "-n",
        "1",
        "--json",
        "--facet",
        "source",
        "--facet",
        "speaker",
        "--histogram",
        "month",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(
        lines[1]["values"],
        serde_json::json!([
            {"value": "Daily Ledger", "count": 1},
            {"value": "Gazette, The", "count": 1},
        ])
    );
    assert_eq!(lines[2]["facet"], "speaker");
    assert_eq!(
        lines[2]["values"].as_array().unwrap().len(),
        2,
        "{}",
        lines[2]
    );
    let bins: Vec<(&str, u64)> = lines[3]["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["value"].as_str().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        bins,
        [
            ("2016-03", 1),
            ("2016-04", 0),
            ("2016-05", 0),
            ("2016-06", 1)
        ]
    );
    // With a date filter, only the June quote is counted.
    let out = f.run(&["quotes", "*", "--since", "2016-04", "--facet", "source"]);
    let text = stdout(&out);
    assert!(
        text.contains("Daily Ledger") && !text.contains("Gazette"),
        "{text}"
    );
}
