//! newsdex on SolrCloud against a real cluster (`solr/cluster/`: two Solr nodes and an
//! embedded ZooKeeper, started and stopped by the tests). They need Java 17 and Maven and
//! about a minute, so they run only with `NEWSDEX_SOLR_TESTS=1` (`.ci/run` sets it); without
//! it each passes at once and the run prints one line saying why they did not run.

mod common;
mod solr_cluster;

use std::io::Write;
use std::process::Output;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use common::Fixture;
use serde_json::Value;
use solr_cluster::Cluster;

/// Default seed of the moment the kill test stops a push; `NEWSDEX_SOLR_KILL_SEED` overrides.
const KILL_SEED: u64 = 7;
/// Copies of the bundled corpus the kill test pushes, so that a push lasts long enough to
/// be killed in the middle: 15 x 41 articles.
const KILL_COPIES: usize = 15;

/// True when the SolrCloud tests are asked for; otherwise says once, past the test
/// harness's capture, that they were not run and why.
fn enabled() -> bool {
    if std::env::var("NEWSDEX_SOLR_TESTS").as_deref() == Ok("1") {
        return true;
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "SolrCloud tests (tests/solr.rs) not run: they start a real Solr cluster (Java 17, Maven, about a minute); set NEWSDEX_SOLR_TESTS=1 to run them"
        );
    });
    false
}

/// One cluster for the tests that leave its nodes up, started by the first of them; it
/// shuts down when the test process ends and closes its standard input.
fn shared() -> &'static Mutex<Cluster> {
    static CLUSTER: OnceLock<Mutex<Cluster>> = OnceLock::new();
    CLUSTER.get_or_init(|| Mutex::new(Cluster::start()))
}

fn solr_cmd(f: &Fixture, url: &str, collection: &str, args: &[&str]) -> Output {
    let mut c = f.cmd();
    c.env_remove("NEWSDEX_SOLR")
        .env_remove("NEWSDEX_SOLR_COLLECTION");
    c.args(args)
        .args(["--solr", url, "--collection", collection]);
    c.output().unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `solr init` then `push` of the fixture's corpus.
fn init_and_push(f: &Fixture, url: &str, collection: &str, shards: &str, replicas: &str) {
    let init = ["solr", "init", "--shards", shards, "--replicas", replicas];
    ok(solr_cmd(f, url, collection, &init), "solr init");
    let corpus = f.corpus_dir();
    ok(
        solr_cmd(f, url, collection, &["push", corpus.to_str().unwrap()]),
        "push",
    );
}

/// The path of the first hit of `search QUERY`, locally or through Solr.
fn top_hit(out: Output, q: &str) -> Option<String> {
    let text = String::from_utf8(out.stdout).unwrap();
    let lines = json_lines(&text);
    let first = lines.first()?;
    assert!(
        first["type"] == "hit" || first["type"] == "summary",
        "{q}: {text}"
    );
    first["path"].as_str().map(str::to_string)
}

/// Known-item queries on the bundled corpus: words a reader remembers of one article.
const KNOWN_ITEMS: &[&str] = &[
    "oil sanctions washington",
    "orinoco investors",
    "interest rates second month",
    "carmaker jobs sunderfield",
    "tram extension ashbourne",
    "lighthouse lens museum",
    "martian crater clay",
    "hamstring injury okoro",
    "parley fined data breach",
    "ceasefire geneva",
    "superbug deaths",
    "childcare campaign",
];

#[test]
fn solr_push_agrees_with_local_index() {
    if !enabled() {
        return;
    }
    let f = Fixture::indexed();
    let cluster = shared().lock().unwrap();
    let url = cluster.url();
    init_and_push(&f, &url, "agree", "2", "1");
    for q in KNOWN_ITEMS {
        let local = top_hit(f.run(&["search", q, "--json", "-n", "1"]), q);
        let solr = top_hit(
            solr_cmd(&f, &url, "agree", &["search", q, "--json", "-n", "1"]),
            q,
        );
        assert!(local.is_some(), "{q}: no local hit");
        assert_eq!(solr, local, "top hit of {q:?} through Solr");
    }
    // The same quotes (by article and place) and the same speaker counts.
    let quote_key = |v: &Value| format!("{} {} {}", v["path"], v["start"], v["speaker"]);
    for args in [
        vec!["quotes", "--speaker", "tony marsh", "-n", "100", "--json"],
        vec!["quotes", "valdoria", "-n", "100", "--json"],
        vec!["quotes", "speaker:haddad", "-n", "100", "--json"],
    ] {
        let keys = |text: String| -> Vec<String> {
            let mut k: Vec<String> = json_lines(&text)
                .iter()
                .filter(|v| v["type"] == "hit")
                .map(quote_key)
                .collect();
            k.sort();
            k
        };
        let local = keys(ok(f.run(&args), "local quotes"));
        let solr = keys(ok(solr_cmd(&f, &url, "agree", &args), "solr quotes"));
        assert!(!local.is_empty(), "{args:?}: no local quotes");
        assert_eq!(solr, local, "{args:?}");
    }
    // The same counts per source, category, author, speaker, year and month.
    for kind in ["search", "quotes"] {
        let mut args = vec![kind, "*", "--json", "-n", "1"];
        for f in ["source", "category", "author", "speaker", "year", "month"] {
            args.extend(["--facet", f]);
        }
        let lines = |text: String| -> Vec<Value> {
            json_lines(&text)
                .into_iter()
                .filter(|v| v["type"] == "facet")
                .collect()
        };
        let local = lines(ok(f.run(&args), "local facets"));
        let solr = lines(ok(solr_cmd(&f, &url, "agree", &args), "solr facets"));
        assert_eq!(local.len(), 6, "{kind}");
        assert_eq!(solr, local, "{kind} facets");
    }
    for args in [
        vec!["speakers", "-n", "15", "--json"],
        vec!["speakers", "valdoria", "-n", "10", "--json"],
        vec!["speakers", "strike", "-n", "10", "--json"],
    ] {
        let local = ok(f.run(&args), "local speakers");
        let solr = ok(solr_cmd(&f, &url, "agree", &args), "solr speakers");
        let rows = |t: &str| -> Vec<Value> {
            json_lines(t)
                .into_iter()
                .filter(|v| v["type"] == "speaker")
                .collect()
        };
        assert!(!rows(&local).is_empty(), "{args:?}: no local speakers");
        assert_eq!(rows(&solr), rows(&local), "{args:?}");
    }
}

/// Every line of a `--json` answer through Solr matches the schema the local output has.
fn check_schemas(text: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    for line in json_lines(text) {
        let name = match line["type"].as_str() {
            Some("hit") if line.get("snippet").is_some() => "search-hit.json".to_string(),
            Some("hit") => "quote-hit.json".to_string(),
            Some(kind) => format!("{kind}.json"),
            None => "index.json".to_string(),
        };
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
        let v = jsonschema::draft202012::new(&schema).unwrap();
        let errors: Vec<String> = v.iter_errors(&line).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\nline: {line}");
    }
}

#[test]
fn solr_output_matches_the_json_schemas() {
    if !enabled() {
        return;
    }
    let f = Fixture::corpus();
    // A JSON Lines export: two records and a line that is not one.
    f.write(
        "export/feed.jsonl",
        concat!(
            r#"{"id": "a1", "title": "Quarry plan rejected", "text": "Councillors rejected the quarry plan. \"It is a scar,\" said Ann Lowe.", "date": "2021-05-04"}"#,
            "\n{not json\n",
            r#"{"id": "a2", "title": "Cafe reopens", "text": "The cafe reopened."}"#,
            "\n"
        ),
    );
    let cluster = shared().lock().unwrap();
    let url = cluster.url();
    let init = ["solr", "init", "--shards", "2", "--replicas", "1"];
    ok(solr_cmd(&f, &url, "schemas", &init), "init");
    let corpus = f.corpus_dir();
    let push = ["push", corpus.to_str().unwrap(), "--json"];
    let pushed = ok(solr_cmd(&f, &url, "schemas", &push), "push");
    check_schemas(&pushed);
    let local = f.index_json();
    let pushed: Value = serde_json::from_str(&pushed).unwrap();
    for field in [
        "articles_read",
        "quotes_extracted",
        "added",
        "records_skipped",
    ] {
        assert_eq!(
            pushed[field], local[field],
            "{field}: push {pushed}, index {local}"
        );
    }
    assert_eq!(count(&url, "schemas", "doc_type:article"), 43);
    let quarry = ok(
        solr_cmd(&f, &url, "schemas", &["search", "quarry", "--json"]),
        "search a record",
    );
    assert_eq!(top_hit_of(&quarry).as_deref(), Some("export/feed.jsonl#a1"));
    // Sent once: the next run finds the file unchanged.
    let again: Value =
        serde_json::from_str(&ok(solr_cmd(&f, &url, "schemas", &push), "push again")).unwrap();
    assert_eq!(again["unchanged"], 42, "{again}");
    for args in [
        vec![
            "search",
            "oil sanctions",
            "--json",
            "--facet",
            "source",
            "--facet",
            "speaker",
        ],
        vec!["quotes", "budget", "--json", "--facet", "category"],
        vec!["speakers", "strike", "--json"],
    ] {
        check_schemas(&ok(
            solr_cmd(&f, &url, "schemas", &args),
            "a --json command",
        ));
    }
}

#[test]
fn solr_fail_over_keeps_answering_and_pushing() {
    if !enabled() {
        return;
    }
    // Its own cluster: it takes a node away.
    let mut cluster = Cluster::start();
    let url = cluster.url();
    let f = Fixture::corpus();
    init_and_push(&f, &url, "failover", "2", "2");
    let expected: Vec<Option<String>> = KNOWN_ITEMS
        .iter()
        .map(|q| {
            let out = solr_cmd(&f, &url, "failover", &["search", q, "--json", "-n", "1"]);
            top_hit(out, q)
        })
        .collect();
    for (i, q) in KNOWN_ITEMS.iter().enumerate() {
        if i == 3 {
            // The first node of --solr: every request now meets a dead node first.
            cluster.stop_node(0);
        }
        let out = solr_cmd(&f, &url, "failover", &["search", q, "--json", "-n", "1"]);
        assert!(
            out.status.success(),
            "{q} after node 0 stopped: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(top_hit(out, q), expected[i], "{q} with one node down");
    }
    f.write(
        "politics/minister-quits-over-lobbying-claims.txt",
        "Minister quits over lobbying claims\n\nThe zanzibarite affair ended a career.\n",
    );
    let corpus = f.corpus_dir();
    let push = ok(
        solr_cmd(&f, &url, "failover", &["push", corpus.to_str().unwrap()]),
        "push with a node down",
    );
    assert!(push.contains(" 1 updated"), "{push}");
    let found = ok(
        solr_cmd(&f, &url, "failover", &["search", "zanzibarite", "--json"]),
        "search for the changed file",
    );
    assert_eq!(
        top_hit_of(&found).as_deref(),
        Some("politics/minister-quits-over-lobbying-claims.txt")
    );
}

fn top_hit_of(text: &str) -> Option<String> {
    json_lines(text).first()?["path"]
        .as_str()
        .map(str::to_string)
}

/// The moment, in ms after a push starts, when the kill test stops it: from the seed, by a
/// small linear congruential step (no dependency for one number).
fn kill_after_ms(seed: u64, longest: u64) -> u64 {
    let x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    200 + (x >> 33) % longest.max(1)
}

fn count(url: &str, collection: &str, q: &str) -> u64 {
    let node = url.split(',').next().unwrap();
    let v: Value = ureq::get(&format!("{node}/{collection}/select"))
        .query("q", q)
        .query("rows", "0")
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    v["response"]["numFound"].as_u64().unwrap()
}

#[test]
fn solr_killed_push_resumes_with_each_article_once() {
    if !enabled() {
        return;
    }
    let seed = std::env::var("NEWSDEX_SOLR_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(KILL_SEED);
    let f = Fixture::empty();
    let one = Fixture::corpus();
    for k in 0..KILL_COPIES {
        copy_tree(&one.corpus_dir(), &f.corpus_dir().join(format!("copy{k}")));
    }
    let cluster = shared().lock().unwrap();
    let url = cluster.url();
    let coll = "resume";
    ok(
        solr_cmd(
            &f,
            &url,
            coll,
            &["solr", "init", "--shards", "2", "--replicas", "1"],
        ),
        "init",
    );
    // A first, whole push measures how long one takes; the data is then removed.
    let corpus = f.corpus_dir();
    let started = std::time::Instant::now();
    ok(
        solr_cmd(&f, &url, coll, &["push", corpus.to_str().unwrap()]),
        "push",
    );
    let whole_ms = started.elapsed().as_millis() as u64;
    let node = url.split(',').next().unwrap();
    ureq::post(&format!("{node}/{coll}/update?commit=true"))
        .set("Content-Type", "application/json")
        .send_string(r#"{"delete":{"query":"*:*"}}"#)
        .unwrap();
    assert_eq!(count(&url, coll, "*:*"), 0);
    // Somewhere in the first three quarters of a whole push.
    let wait = kill_after_ms(seed, whole_ms * 3 / 4);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .args([
            "push",
            corpus.to_str().unwrap(),
            "--solr",
            &url,
            "--collection",
            coll,
            "-q",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(wait));
    let _ = child.kill();
    let _ = child.wait();
    let out = ok(
        solr_cmd(&f, &url, coll, &["push", corpus.to_str().unwrap()]),
        "resumed push",
    );
    let files = (KILL_COPIES * 41) as u64;
    assert!(
        out.contains(&format!("index now holds {files} articles")),
        "seed {seed}, killed after {wait} ms of {whole_ms}: {out}"
    );
    assert_eq!(count(&url, coll, "doc_type:article"), files, "seed {seed}");
    let quotes_local = count(&url, coll, "doc_type:quote");
    assert_eq!(quotes_local, 308 * KILL_COPIES as u64, "seed {seed}");
    // Each article once: no path is held by two article documents.
    let v: Value = ureq::get(&format!("{node}/{coll}/select"))
        .query("q", "doc_type:article")
        .query("rows", "0")
        .query("facet", "true")
        .query("facet.field", "path")
        .query("facet.mincount", "2")
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(
        v["facet_counts"]["facet_fields"]["path"],
        serde_json::json!([]),
        "seed {seed}"
    );
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// One line on stderr, exit status 2, naming what is at fault.
fn assert_one_line_error(out: &Output, names: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(names), "{err} does not name {names}");
}

#[test]
fn solr_bad_url_missing_collection_and_solr_errors_exit_2() {
    if !enabled() {
        return;
    }
    let f = Fixture::corpus();
    let dead = "http://127.0.0.1:9/solr";
    let out = solr_cmd(&f, dead, "newsdex", &["search", "oil"]);
    assert_one_line_error(&out, dead);
    let out = solr_cmd(&f, "ftp://example.org/solr", "newsdex", &["search", "oil"]);
    assert_one_line_error(&out, "ftp://example.org/solr");
    let cluster = shared().lock().unwrap();
    let url = cluster.url();
    let out = solr_cmd(&f, &url, "no_such_collection", &["quotes", "budget"]);
    assert_one_line_error(&out, "has no collection \"no_such_collection\"");
    // More clauses than Solr's maxBooleanClauses (1024): Solr answers with an error.
    let words: Vec<String> = (0..1100).map(|i| format!("w{i}")).collect();
    ok(
        solr_cmd(
            &f,
            &url,
            "errors",
            &["solr", "init", "--shards", "1", "--replicas", "1"],
        ),
        "init",
    );
    let out = solr_cmd(&f, &url, "errors", &["search", &words.join(" ")]);
    assert_one_line_error(&out, "refused the request");
    let out = solr_cmd(
        &f,
        &url,
        "errors",
        &["search", "oil", "--histogram", "month"],
    );
    assert_one_line_error(&out, "not available with --solr");
}

#[test]
fn solr_parts_split_a_corpus_without_overlap() {
    if !enabled() {
        return;
    }
    let f = Fixture::corpus();
    let cluster = shared().lock().unwrap();
    let url = cluster.url();
    let init = ["solr", "init", "--shards", "1", "--replicas", "1"];
    ok(solr_cmd(&f, &url, "parts", &init), "init");
    let corpus = f.corpus_dir();
    let mut read = 0;
    for part in ["1/2", "2/2", "1/2"] {
        let args = ["push", corpus.to_str().unwrap(), "--part", part, "--json"];
        let s: Value =
            serde_json::from_str(&ok(solr_cmd(&f, &url, "parts", &args), "push")).unwrap();
        // A part never removes the other part's articles.
        assert_eq!(s["removed"], 0, "part {part}: {s}");
        let n = s["articles_read"].as_u64().unwrap();
        if read == 0 {
            assert!(n > 0 && n < 41, "part 1/2 holds {n} of 41 articles");
        }
        read += n;
    }
    assert_eq!(
        read, 41,
        "the two parts read each article once, the second run of 1/2 none"
    );
    assert_eq!(count(&url, "parts", "doc_type:article"), 41);
}
