//! `newsdex serve`: the real binary on a free port over a temporary index, checked through
//! real HTTP answers: every endpoint, every error status, the OpenAPI description, the
//! limits, reloading, and the security headers.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::server::{encode, Server};
use common::{stderr, Fixture};
use serde_json::Value;

/// A hostile article: markup in the title, the body and a quote, an attribute-breaking
/// file name, a `javascript:` URL and a bidi override.
pub const HOSTILE_NAME: &str = "hostile/\"><img src=x onerror=alert(7)> #1?%.txt";
const HOSTILE_TEXT: &str = "Zanzibar <script>alert(1)</script> \"><img src=x onerror=alert(2)>\n\n\
Zanzibar officials said the plan <b>was</b> javascript:alert(3) safe \u{202e}evil\u{202c}.\n\n\
\"The <script>alert(4)</script> zanzibar ferry will sail on time,\" said Minister Jane Okafor.\n";

fn hostile_fixture() -> Fixture {
    let f = Fixture::corpus();
    f.write(HOSTILE_NAME, HOSTILE_TEXT);
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

fn openapi() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const SCHEMA_BASE: &str = "https://newsdex.invalid/schema/";

/// A validator for the answer of `GET path` with `status`, as the OpenAPI description
/// gives it; the schemas of `schema/` are found by their `$id`.
fn response_validator(api_path: &str, status: u16) -> jsonschema::Validator {
    let pointer = format!(
        "/paths/{}/get/responses/{status}/content/application~1json/schema",
        api_path.replace('~', "~0").replace('/', "~1")
    );
    let doc = openapi();
    assert!(
        doc.pointer(&pointer).is_some(),
        "openapi.json documents no {status} answer for {api_path}"
    );
    let mut opts = jsonschema::options().with_draft(jsonschema::Draft::Draft202012);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        let uri = format!("{SCHEMA_BASE}{name}");
        let resource = jsonschema::Draft::Draft202012.create_resource(v);
        opts = opts.with_resource(uri, resource);
    }
    let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
    let root = format!("{SCHEMA_BASE}openapi.json#{fragment}");
    opts.build(&serde_json::json!({ "$ref": root }))
        .unwrap_or_else(|e| panic!("schema for {api_path} {status}: {e}"))
}

/// `GET url` answers `status` with a body that fits the description of `api_path`.
fn check(s: &Server, url: &str, api_path: &str, status: u16) -> Value {
    let r = s.get(url);
    assert_eq!(r.status, status, "{url}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"), "{url}");
    let v = r.json();
    let errors: Vec<String> = response_validator(api_path, status)
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{url}: {errors:?}\n{v}");
    v
}

#[test]
fn every_endpoint_answers_as_the_openapi_description_says() {
    let f = hostile_fixture();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let v = check(&s, "/api/search?q=oil&n=3", "/api/search", 200);
    assert_eq!(v["returned"], 3);
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["quote"].is_object()));
    check(
        &s,
        "/api/search?q=oil&no_snippets=true&offset=2",
        "/api/search",
        200,
    );
    let v = check(
        &s,
        "/api/quotes?q=oil&speaker=Ortega&context=true",
        "/api/quotes",
        200,
    );
    assert!(v["hits"][0]["context"].is_string(), "{v}");
    check(&s, "/api/speakers?q=oil&n=2", "/api/speakers", 200);
    check(&s, "/api/speakers", "/api/speakers", 200);
    check(&s, "/api/stats", "/api/stats", 200);
    check(&s, "/healthz", "/healthz", 200);

    // The hostile article: found, and reached by its URL-encoded id.
    let v = check(&s, "/api/search?q=zanzibar", "/api/search", 200);
    let id = v["hits"][0]["path"].as_str().unwrap().to_string();
    assert_eq!(id, HOSTILE_NAME);
    let a = check(
        &s,
        &format!("/api/articles/{}", encode(&id)),
        "/api/articles/{id}",
        200,
    );
    assert_eq!(a["path"], HOSTILE_NAME);
    assert!(a["title"]
        .as_str()
        .unwrap()
        .contains("<script>alert(1)</script>"));
    let q = &a["quotes"][0];
    assert_eq!(q["speaker"], "Jane Okafor", "{a}");
    let (start, end) = (
        q["body_start"].as_u64().unwrap(),
        q["body_end"].as_u64().unwrap(),
    );
    let body = a["body"].as_str().unwrap();
    assert_eq!(
        &body[start as usize..end as usize],
        q["quote"].as_str().unwrap()
    );

    // Every error answer is JSON as described.
    check(&s, "/api/search?q=-oil", "/api/search", 400);
    check(&s, "/api/search?n=5", "/api/search", 400);
    check(&s, "/api/articles/no%2Fsuch.txt", "/api/articles/{id}", 404);
}

/// A word prefix is expanded and highlighted, a misspelt query answered with a suggestion,
/// and a prefix in a phrase refused, as in the CLI.
#[test]
fn prefixes_and_spelling_suggestions_through_the_api() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let v = check(&s, "/api/search?q=orin*", "/api/search", 200);
    assert!(v["returned"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["suggestion"], Value::Null, "{v}");
    let hit = &v["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            snippet[a as usize..b as usize].to_lowercase()
        })
        .collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|w| w.starts_with("orin")),
        "{hit}"
    );
    let v = check(&s, "/api/search?q=orinocco", "/api/search", 200);
    assert_eq!(
        (&v["returned"], &v["suggestion"]),
        (&0.into(), &"orinoco".into()),
        "{v}"
    );
    let v = check(&s, "/api/speakers?q=orinocco", "/api/speakers", 200);
    assert_eq!(v["suggestion"], "orinoco", "{v}");
    let v = check(&s, "/api/quotes?q=zqxvw", "/api/quotes", 200);
    assert_eq!(v["suggestion"], Value::Null, "{v}");
    let e = check(&s, "/api/search?q=%22orin*%20oil%22", "/api/search", 400);
    assert!(e.to_string().contains("inside a phrase"), "{e}");
}

#[test]
fn copies_of_a_story_are_one_hit_unless_all_is_asked() {
    let f = Fixture::empty();
    f.write(
        "gazette.txt",
        format!("Harbour to reopen\n\n{}", common::story("Friday")),
    );
    f.write(
        "courier.txt",
        format!("Town harbour\n\n{}", common::story("Friday")),
    );
    f.write("ferry.txt", common::OTHER);
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let s = Server::start(&f.index_dir(), &[], &[]);
    let v = check(&s, "/api/search?q=harbour", "/api/search", 200);
    assert_eq!(
        (v["returned"].as_u64(), v["total"].as_u64()),
        (Some(2), Some(3))
    );
    let folded: Vec<&Value> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["duplicates"] == 1)
        .collect();
    assert_eq!(folded.len(), 1, "{v}");
    assert_eq!(folded[0]["also_in"].as_array().unwrap().len(), 1, "{v}");
    let v = check(&s, "/api/search?q=harbour&all=true", "/api/search", 200);
    assert_eq!(v["returned"], 3, "{v}");
    let v = check(&s, "/api/stats", "/api/stats", 200);
    assert_eq!(v["duplicates"]["exact_clusters"], 1, "{v}");
}

/// The API's objects are the CLI's `--json` records, field for field.
#[test]
fn answers_hold_the_records_the_cli_prints() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("took_ms");
        v
    };
    let cases: [(&str, &[&str]); 3] = [
        (
            "/api/search?q=oil&n=4&offset=1",
            &["search", "oil", "-n", "4", "--offset", "1"],
        ),
        (
            "/api/quotes?q=oil&speaker=Ortega&context=1",
            &["quotes", "oil", "--speaker", "Ortega", "--context"],
        ),
        ("/api/speakers?q=oil&n=3", &["speakers", "oil", "-n", "3"]),
    ];
    for (url, args) in cases {
        let api = s.get(url).json();
        let mut args = args.to_vec();
        args.push("--json");
        let out = f.run(&args);
        let mut lines: Vec<Value> = common::stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let summary = strip(lines.pop().unwrap());
        assert_eq!(api["hits"], Value::Array(lines), "{url}");
        for k in ["query", "returned", "total", "warnings"] {
            assert_eq!(api[k], summary[k], "{url}: {k}");
        }
    }
    let out = f.run(&["stats", "--json"]);
    let cli: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let mut api = s.get("/api/stats").json();
    // The server names the index as it was given to it, like the CLI.
    api["index"] = cli["index"].clone();
    assert_eq!(api, cli);
}

fn error_of(s: &Server, url: &str, status: u16) -> String {
    let r = s.get(url);
    assert_eq!(r.status, status, "{url}: {}", r.body);
    r.json()["error"].as_str().unwrap().to_string()
}

#[test]
fn bad_requests_get_400_with_the_cli_message_and_unknown_ids_404() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    // The same message as `newsdex search` prints for the same query.
    let deep = format!("{}oil{}", "(".repeat(101), ")".repeat(101));
    for q in ["-oil", &deep] {
        let msg = error_of(&s, &format!("/api/search?q={}", encode(q)), 400);
        let mut cli = f.cmd();
        cli.args(["search", "--index"])
            .arg(f.index_dir())
            .args(["--", q]);
        let cli = stderr(&cli.output().unwrap());
        assert_eq!(cli.trim(), format!("newsdex: error: {msg}"), "{q}");
    }
    let long = "a".repeat(1025);
    for (url, says) in [
        ("/api/search".to_string(), "missing parameter \"q\""),
        (
            "/api/search?q=oil&n=0".into(),
            "n must be between 1 and 100",
        ),
        (
            "/api/search?q=oil&n=101".into(),
            "n must be between 1 and 100",
        ),
        (
            "/api/search?q=oil&n=many".into(),
            "n must be a whole number",
        ),
        (
            "/api/search?q=oil&offset=10001".into(),
            "offset must be between 0 and 10000",
        ),
        (format!("/api/search?q={long}"), "at most 1024 are accepted"),
        (
            "/api/search?q=oil&limit=5".into(),
            "unknown parameter \"limit\"",
        ),
        ("/api/search?q=oil&q=gas".into(), "given more than once"),
        ("/api/quotes?context=1".into(), "give a query, a speaker"),
        (
            "/api/quotes?q=oil&context=maybe".into(),
            "context must be true or false",
        ),
        (format!("/api/articles/{long}"), "article id too long"),
    ] {
        let msg = error_of(&s, &url, 400);
        assert!(msg.contains(says), "{url}: {msg}");
    }
    // Ids are looked up in the index, never opened as files.
    for id in [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "business",
        "business%2F",
    ] {
        let msg = error_of(&s, &format!("/api/articles/{id}"), 404);
        assert!(msg.starts_with("no article"), "{id}: {msg}");
    }
    error_of(&s, "/api/nothing", 404);
    error_of(&s, "/../../etc/passwd", 404);
}

#[test]
fn without_an_index_the_api_answers_503_until_one_is_built() {
    let f = Fixture::corpus();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let msg = error_of(&s, "/healthz", 503);
    assert!(msg.contains("no index at"), "{msg}");
    error_of(&s, "/api/search?q=oil", 503);
    assert!(f.index().status.success());
    assert_eq!(s.get("/healthz").status, 200);
    assert!(
        s.get("/api/search?q=oil").json()["returned"]
            .as_u64()
            .unwrap()
            > 0
    );
}

/// Longest wait for a commit to show: tantivy polls `meta.json` every half second.
const RELOAD_WAIT: Duration = Duration::from_secs(20);

#[test]
fn articles_indexed_while_the_server_runs_are_found() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let url = "/api/search?q=quokkaville";
    assert_eq!(s.get(url).json()["total"], 0);
    let before = s.get("/api/stats").json()["articles"].as_u64().unwrap();
    f.write(
        "late/quokka.txt",
        "Quokkaville votes\n\nQuokkaville voted on Sunday.\n",
    );
    assert!(f.index().status.success());
    let started = Instant::now();
    while s.get(url).json()["total"] != 1 {
        assert!(started.elapsed() < RELOAD_WAIT, "new article never found");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.get("/api/stats").json()["articles"], before + 1);
}

#[test]
fn a_slow_request_gets_503_at_the_time_limit_and_overload_503_at_once() {
    let f = Fixture::indexed();
    // Every request sleeps 1.5 s under the failpoint; one may be in flight at a time.
    let s = Server::start(
        &f.index_dir(),
        &["--timeout-ms", "300", "--max-in-flight", "1"],
        &[("NEWSDEX_FAILPOINT", "serve-slow")],
    );
    let started = Instant::now();
    let msg = error_of(&s, "/api/search?q=oil", 503);
    assert!(msg.contains("longer than the limit of 300 ms"), "{msg}");
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    // The timed-out search still runs and holds the only place: the next request is shed.
    let started = Instant::now();
    let msg = error_of(&s, "/api/search?q=oil", 503);
    assert!(msg.contains("too many requests in flight"), "{msg}");
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(1500));
    // Once it ends, the place is free again.
    let msg = error_of(&s, "/api/search?q=oil", 503);
    assert!(msg.contains("longer than the limit"), "{msg}");
}

/// Past the running searches, requests wait their turn rather than being refused.
#[test]
fn requests_past_the_running_searches_wait_their_turn() {
    let f = Fixture::indexed();
    let s = Server::start(
        &f.index_dir(),
        &["--searches", "1", "--timeout-ms", "10000"],
        &[("NEWSDEX_FAILPOINT", "serve-slow")],
    );
    let started = Instant::now();
    let addr = s.addr.clone();
    let other = std::thread::spawn(move || {
        let r = common::server::request(&addr, "GET", "/api/search?q=oil", None);
        (r.status, started.elapsed())
    });
    let first = (s.get("/api/search?q=gas").status, started.elapsed());
    let second = other.join().unwrap();
    assert_eq!((first.0, second.0), (200, 200));
    // Each sleeps 1.5 s: one after the other, the later ends after about 3 s.
    let later = first.1.max(second.1);
    assert!(
        later >= Duration::from_millis(2800),
        "ran side by side: {later:?}"
    );
}

#[test]
fn the_page_is_served_with_security_headers_and_no_inline_script() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    for path in [
        "/",
        "/app.js",
        "/app.css",
        "/api/search?q=oil",
        "/api/nothing",
    ] {
        let r = s.get(path);
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let page = s.get("/");
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    // Every script comes from a file of this server; none is inline, none from elsewhere.
    for tag in page.body.split("<script").skip(1) {
        let tag = &tag[..tag.find('>').unwrap()];
        assert!(tag.contains("src=\"/"), "inline or foreign script: {tag}");
    }
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
    assert!(s
        .get("/app.js")
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
}

#[test]
fn listening_beyond_loopback_warns_and_loopback_does_not() {
    let f = Fixture::indexed();
    let s = Server::start(&f.index_dir(), &[], &[]);
    assert!(!s.log.lock().unwrap().iter().any(|l| l.contains("warning")));
    drop(s);
    let s = Server::start_at(&f.index_dir(), "0.0.0.0:0", &[], &[]);
    let log = s.log.lock().unwrap().join("\n");
    assert!(
        log.contains("warning") && log.contains("no authentication"),
        "{log}"
    );
}

fn dated_fixture() -> (Fixture, [&'static str; 4]) {
    let f = Fixture::empty();
    let names = common::write_dated(&f);
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    (f, names)
}

fn paths_of(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dates_filter_and_order_hits_quotes_and_speakers() {
    let (f, [march, may, january, undated]) = dated_fixture();
    let s = Server::start(&f.index_dir(), &[], &[]);
    // Until 2016 is the whole year; articles outside the range and undated ones drop out.
    let v = check(
        &s,
        "/api/search?q=kestrelmouth&since=2016-04&until=2016",
        "/api/search",
        200,
    );
    assert_eq!(paths_of(&v), [may], "{v}");
    assert_eq!(v["total"], 1);
    let v = check(
        &s,
        "/api/search?q=kestrelmouth&sort=-date",
        "/api/search",
        200,
    );
    assert_eq!(paths_of(&v), [january, may, march, undated], "{v}");
    let v = check(
        &s,
        "/api/search?q=kestrelmouth&sort=date",
        "/api/search",
        200,
    );
    assert_eq!(paths_of(&v), [march, may, january, undated], "{v}");

    let v = check(
        &s,
        "/api/quotes?q=kestrelmouth&since=2017",
        "/api/quotes",
        200,
    );
    assert_eq!(paths_of(&v), [january], "{v}");
    assert_eq!(v["hits"][0]["speaker"], "Omar Haddad");
    let v = check(&s, "/api/speakers?until=2016-03", "/api/speakers", 200);
    let names: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["speaker"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sam Okafor"], "{v}");

    // The article and its hit carry what the header block gave.
    let v = check(&s, "/api/search?q=tolls", "/api/search", 200);
    let hit = &v["hits"][0];
    assert_eq!(
        (&hit["date"], &hit["source"], &hit["author"], &hit["url"]),
        (
            &Value::from("2016-03-05"),
            &Value::from("Daily Ledger"),
            &Value::from("Mia Chen"),
            &Value::from("https://ledger.example/march")
        )
    );
    let a = check(
        &s,
        &format!("/api/articles/{}", encode(march)),
        "/api/articles/{id}",
        200,
    );
    for k in ["date", "source", "author", "url"] {
        assert_eq!(a[k], hit[k], "{k}: {a}");
    }
}

/// Facets and the histogram are the records `--json` prints, over every match.
#[test]
fn facets_and_histograms_are_the_cli_records() {
    let (f, _) = dated_fixture();
    let s = Server::start(&f.index_dir(), &[], &[]);
    let cases: [(&str, &str, &[&str]); 2] = [
        (
            "/api/search?q=kestrelmouth&n=1&facet=source&facet=month&facet=source&histogram=month",
            "/api/search",
            &[
                "search",
                "kestrelmouth",
                "-n",
                "1",
                "--facet",
                "source",
                "--facet",
                "month",
            ],
        ),
        (
            "/api/quotes?q=kestrelmouth&since=2016&facet=speaker&histogram=year",
            "/api/quotes",
            &[
                "quotes",
                "kestrelmouth",
                "--since",
                "2016",
                "--facet",
                "speaker",
            ],
        ),
    ];
    for (url, api_path, args) in cases {
        let v = check(&s, url, api_path, 200);
        let histogram = url.rsplit("histogram=").next().unwrap();
        let mut args = args.to_vec();
        args.extend(["--histogram", histogram, "--json"]);
        let out = f.run(&args);
        let lines: Vec<Value> = common::stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let of = |kind: &str| -> Vec<Value> {
            lines
                .iter()
                .filter(|l| l["type"] == kind)
                .cloned()
                .collect()
        };
        assert_eq!(v["facets"], Value::Array(of("facet")), "{url}");
        assert_eq!(Some(&v["histogram"]), of("histogram").first(), "{url}");
    }
    let v = check(
        &s,
        "/api/search?q=kestrelmouth&facet=source&histogram=month",
        "/api/search",
        200,
    );
    let sources = &v["facets"][0]["values"];
    assert_eq!(
        sources[0],
        serde_json::json!({"value": "Daily Ledger", "count": 2})
    );
    assert_eq!(v["facets"][0]["missing"], 1);
    let bins = v["histogram"]["bins"].as_array().unwrap();
    // March 2016 to January 2017, the empty months included.
    assert_eq!(bins.len(), 11, "{v}");
    assert_eq!(
        bins.iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        3
    );
    // Without counts asked for: no facets, no histogram.
    let v = check(&s, "/api/search?q=kestrelmouth", "/api/search", 200);
    assert_eq!(v["facets"], serde_json::json!([]));
    assert!(v["histogram"].is_null());
}

#[test]
fn bad_dates_sorts_and_counts_get_400_with_the_cli_message() {
    let (f, _) = dated_fixture();
    let s = Server::start(&f.index_dir(), &[], &[]);
    for (param, value) in [("since", "2016-13"), ("until", "last week")] {
        let msg = error_of(
            &s,
            &format!("/api/search?q=kestrelmouth&{param}={}", encode(value)),
            400,
        );
        let out = f.run(&["search", "kestrelmouth", &format!("--{param}"), value]);
        assert_eq!(out.status.code(), Some(2));
        let cli = stderr(&out);
        let reason = msg.split_once(": ").unwrap().1;
        assert!(cli.contains(reason), "{msg} / {cli}");
    }
    let msg = error_of(&s, "/api/quotes?q=kestrelmouth&since=2017&until=2016", 400);
    let out = f.run(&[
        "quotes",
        "kestrelmouth",
        "--since",
        "2017",
        "--until",
        "2016",
    ]);
    assert_eq!(stderr(&out).trim(), format!("newsdex: error: {msg}"));
    for (url, says) in [
        (
            "/api/search?q=kestrelmouth&sort=newest",
            "possible values: relevance, date, -date",
        ),
        (
            "/api/quotes?q=kestrelmouth&facet=colour",
            "invalid value \"colour\" for facet",
        ),
        (
            "/api/search?q=kestrelmouth&histogram=day",
            "possible values: week, month, year",
        ),
        (
            "/api/speakers?q=kestrelmouth&facet=source",
            "unknown parameter \"facet\"",
        ),
        (
            "/api/search?q=kestrelmouth&sort=date&sort=-date",
            "given more than once",
        ),
    ] {
        let msg = error_of(&s, url, 400);
        assert!(msg.contains(says), "{url}: {msg}");
    }
}
