//! Every kind of JSON line the binary prints is checked against its JSON Schema in
//! `schema/`, the documented interface for scripts: no field missing, none undocumented.

mod common;

use std::path::Path;

use common::{stderr, stdout, Fixture};
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let value: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft202012::new(&value)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn check(name: &str, line: &Value) {
    let v = schema(name);
    let errors: Vec<String> = v
        .iter_errors(line)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\nline: {line}");
}

fn lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The bundled corpus plus a JSON Lines export (dated records, one bad line, one in
/// Windows-1252, which is indexed with a warning) and an empty file.
fn fixture() -> (Fixture, Value) {
    let f = Fixture::corpus();
    let mut feed = concat!(
        r#"{"id": "a1", "title": "Quarry plan rejected", "text": "Councillors rejected the quarry plan.", "date": "2021-05-04"}"#,
        "\n{not json\n"
    )
    .as_bytes()
    .to_vec();
    feed.extend_from_slice(
        b"{\"id\": \"a2\", \"title\": \"Caf\xe9 reopens\", \"text\": \"The caf\xe9 reopened.\"}\n",
    );
    f.write("export/feed.jsonl", feed);
    f.write("empty.txt", "");
    let s = f.index_json();
    (f, s)
}

#[test]
fn index_and_stats_lines_match_their_schemas() {
    let (f, s) = fixture();
    check("index.json", &s);
    assert_eq!(s["skipped"][0]["message"], "empty file", "{s}");
    // The bad line is a skipped record, named by file and line.
    assert_eq!(s["skipped"][1]["path"], "export/feed.jsonl#line-2", "{s}");
    assert_eq!(s["records_skipped"], 1, "{s}");
    assert!(!s["warnings"].as_array().unwrap().is_empty(), "{s}");
    assert!(!s["folders"].as_array().unwrap().is_empty(), "{s}");
    let out = f.run(&["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    check("stats.json", &lines(&out)[0]);
}

#[test]
fn search_lines_match_their_schemas_with_and_without_a_quote() {
    let (f, _) = fixture();
    // "quarry" finds the dated record (no quote); "orinoco" articles with quotes.
    for q in ["quarry", "orinoco", "oil"] {
        let out = f.run(&["search", q, "--json", "-n", "5"]);
        assert!(out.status.success(), "{q}: {}", stderr(&out));
        let mut l = lines(&out);
        let summary = l.pop().unwrap();
        check("summary.json", &summary);
        for hit in &l {
            check("search-hit.json", hit);
        }
    }
    let (hits, _, _) = f.search_json("quarry", &[]);
    assert_eq!(hits[0]["date"], "2021-05-04");
    assert!(hits[0]["quote"].is_null(), "{}", hits[0]);
    let (hits, _, _) = f.search_json("orinoco", &["--no-snippets"]);
    assert!(hits[0]["quote"].is_null() && hits[0]["date"].is_null());
}

#[test]
fn facet_and_histogram_lines_match_their_schemas() {
    let (f, _) = fixture();
    let out = f.run(&[
        "search",
        "*",
        "--json",
        "-n",
        "2",
        "--facet",
        "source",
        "--facet",
        "category",
        "--facet",
        "author",
        "--facet",
        "speaker",
        "--facet",
        "year",
        "--facet",
        "month",
        "--histogram",
        "week",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut l = lines(&out);
    check("summary.json", &l.pop().unwrap());
    let kinds: Vec<&str> = l.iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "hit",
            "hit",
            "facet",
            "facet",
            "facet",
            "facet",
            "facet",
            "facet",
            "histogram"
        ]
    );
    for v in &l[2..8] {
        check("facet.json", v);
        assert!(!v["values"].as_array().unwrap().is_empty(), "{v}");
    }
    check("histogram.json", &l[8]);
    // The quotes of a dated article carry its date and source.
    let out = f.run(&["quotes", "prisms", "--json"]);
    let l = lines(&out);
    check("quote-hit.json", &l[0]);
    assert_eq!(l[0]["date"], "2024-04-16", "{}", l[0]);
    assert_eq!(l[0]["source"], "Wirefeed Europe", "{}", l[0]);
}

#[test]
fn quotes_and_speakers_lines_match_their_schemas() {
    let (f, _) = fixture();
    let out = f.run(&["quotes", "oil", "--json", "-n", "3"]);
    let mut l = lines(&out);
    check("summary.json", &l.pop().unwrap());
    assert_eq!(l.len(), 3);
    l.iter().for_each(|h| check("quote-hit.json", h));
    // Without --context, `context` is there and null; every hit matched its own text.
    assert!(
        l.iter()
            .all(|h| h["context"].is_null() && h["matched"] == "quote"),
        "{l:?}"
    );

    // A speaker's quotes on a topic: some found through their article, all with context.
    let out = f.run(&[
        "quotes",
        "oil",
        "--speaker",
        "Ortega",
        "--context",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut l = lines(&out);
    check("summary.json", &l.pop().unwrap());
    l.iter().for_each(|h| check("quote-hit.json", h));
    assert!(l.iter().any(|h| h["matched"] == "article"), "{l:?}");
    assert!(l.iter().all(|h| h["context"].is_string()), "{l:?}");

    for args in [
        &["speakers", "oil", "--json", "-n", "2"][..],
        &["speakers", "--json"],
    ] {
        let out = f.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut l = lines(&out);
        let summary = l.pop().unwrap();
        check("summary.json", &summary);
        l.iter().for_each(|h| check("speaker.json", h));
        assert!(summary["total"].as_u64().unwrap() >= l.len() as u64);
    }
}

#[test]
fn batch_lines_match_their_schema() {
    let (f, _) = fixture();
    let queries = f.dir.path().join("queries.txt");
    std::fs::write(&queries, "oil\nquarry\nfoo:bar(\norinocco\n").unwrap();
    let out = f.run(&["search", "--batch", queries.to_str().unwrap(), "-n", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let l = lines(&out);
    assert_eq!(l.len(), 4);
    l.iter().for_each(|b| check("batch.json", b));
    // A query with no hits carries its suggested spelling, one with hits none.
    assert_eq!(l[3]["suggestion"], "orinoco", "{}", l[3]);
    assert_eq!(l[0]["suggestion"], Value::Null, "{}", l[0]);
    let hits = l[0]["hits"].as_array().unwrap();
    assert!(hits.iter().all(|h| h["type"] == "hit"), "{}", l[0]);
    assert!(hits.iter().any(|h| h["quote"].is_object()), "{}", l[0]);
    let (_, summary, _) = f.search_json("oil", &[]);
    assert_eq!(l[0]["total"], summary["total"]);
}

#[test]
fn parse_lines_match_their_schema() {
    let (f, _) = fixture();
    let corpus = f.corpus_dir();
    let good = corpus.join("business/bank-cuts-interest-rates-for-second-month.txt");
    let out = f
        .cmd()
        .arg("parse")
        .arg(&good)
        .arg(corpus.join("empty.txt"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    l.iter().for_each(|p| check("parse.json", p));
    assert!(l[1]["error"].is_string());

    let out = f
        .cmd()
        .args(["parse", "--json", "--explain"])
        .arg(&good)
        .output()
        .unwrap();
    let l = lines(&out);
    check("parse.json", &l[0]);
    let quotes = l[0]["quotes"].as_array().unwrap();
    // Metadata with its origin, from each kind of place.
    let out = f
        .cmd()
        .args(["parse", "--json"])
        .arg(corpus.join("science/museum-unveils-restored-lighthouse-lens.txt"))
        .arg(corpus.join("politics/tram-extension-approved-for-ashbourne.md"))
        .arg(corpus.join("tech/tram-ticket-app-goes-live_2024-05-07.txt"))
        .arg(corpus.join("export/feed.jsonl"))
        .output()
        .unwrap();
    let dated = lines(&out);
    assert_eq!(dated.len(), 5, "{dated:?}");
    dated.iter().for_each(|p| check("parse.json", p));
    let origins: Vec<&str> = dated
        .iter()
        .filter_map(|p| p["metadata"]["date"]["origin"].as_str())
        .collect();
    assert_eq!(origins, ["header", "front-matter", "file-name", "jsonl"]);
    assert!(
        quotes
            .iter()
            .any(|q| q["candidates"].as_array().is_some_and(|c| !c.is_empty())),
        "{}",
        l[0]
    );
}

/// `search-hit.json` carries a copy of the quote hit (schemas here are self-contained).
#[test]
fn the_quote_of_an_article_hit_is_a_quote_hit() {
    let hit: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/search-hit.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let quote: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/quote-hit.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut props = quote["properties"].as_object().unwrap().clone();
    props.remove("type");
    assert_eq!(hit["$defs"]["quote"]["properties"], Value::Object(props));
}

#[test]
fn show_lines_match_their_schema_whole_and_with_one_quote() {
    let (f, _) = fixture();
    let (hits, _, _) = f.search_json("crane", &[]);
    let path = hits[0]["path"].as_str().unwrap().to_string();
    for extra in [&[][..], &["--quote", "1"][..], &[][..]] {
        let mut args = vec!["show", path.as_str(), "--json"];
        args.extend_from_slice(extra);
        let out = f.run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let l = lines(&out);
        assert_eq!(l.len(), 1);
        check("show.json", &l[0]);
    }
    let out = f.run(&["show", "export/feed.jsonl#a1", "--json"]);
    check("show.json", &lines(&out)[0]);
}

#[test]
fn speaker_histogram_lines_match_their_schema() {
    let (f, _) = fixture();
    let out = f.run(&["speakers", "--histogram", "year", "--json", "-n", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let l = lines(&out);
    let histograms: Vec<&Value> = l
        .iter()
        .filter(|v| v["type"] == "speaker-histogram")
        .collect();
    assert_eq!(histograms.len(), 3, "{l:?}");
    for h in histograms {
        check("speaker-histogram.json", h);
    }
}
