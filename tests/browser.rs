//! The web page in a real headless Chromium, driven through chromedriver's W3C WebDriver
//! endpoints with plain HTTP: search, the article view, the quotes and speakers tabs, and
//! hostile articles whose markup must stay text.
//!
//! It needs Debian's `chromium` and `chromium-driver`; `.ci/run` installs them and runs it
//! with `--ignored`. Without them it fails, saying what is missing.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{encode, request, Server};
use common::{stderr, Fixture};
use serde_json::{json, Value};

/// How long the page may take to show what a step waits for.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);
/// The W3C name of the key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

const HOSTILE_NAME: &str = "hostile/\"><img src=x onerror=alert(7)> #1?%.txt";
/// The header block gives the hostile article a date and a source that is markup.
const HOSTILE_TEXT: &str = "Date: 2016-02-03\nSource: \"><svg onload=alert(9)> Zanzibar Post\n\n\
Zanzibar <script>alert(1)</script> \"><img src=x onerror=alert(2)>\n\n\
Zanzibar officials said the plan <b>was</b> javascript:alert(3) safe \u{202e}evil\u{202c}.\n\n\
\"The <script>alert(4)</script> zanzibar ferry will sail on time,\" said Minister Jane Okafor.\n\n\
<a href=\"javascript:alert(5)\">click</a> <svg onload=alert(6)></svg> {{constructor.constructor('alert(8)')()}}\n";

fn find_program(env: &str, names: &[&str]) -> PathBuf {
    if let Ok(p) = std::env::var(env) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for n in names {
            if dir.join(n).is_file() {
                return dir.join(n);
            }
        }
    }
    panic!(
        "{} not found (set {env} or install Debian's chromium and chromium-driver: \
         apt-get install chromium chromium-driver)",
        names.join(" or ")
    );
}

struct Driver {
    child: Child,
    addr: String,
    session: String,
}

impl Driver {
    fn start() -> Driver {
        let driver = find_program("CHROMEDRIVER", &["chromedriver"]);
        let browser = find_program(
            "CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let addr = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                started.elapsed() < DRIVER_START_TIMEOUT,
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut d = Driver {
            child,
            addr,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                // Root in CI containers needs --no-sandbox; /dev/shm there is small.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1000,1300"]
            }
        }}});
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["sessionId"].as_str().expect("session id").to_string();
        d
    }

    /// One WebDriver command; its `value`. A WebDriver error fails the test.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let full = if path == "/session" {
            path.to_string()
        } else {
            format!("/session/{}{path}", self.session)
        };
        let body = body.map(|b| b.to_string());
        let r = request(&self.addr, method, &full, body.as_deref());
        let v = r.json();
        if r.status == 200 {
            Ok(v["value"].clone())
        } else {
            Err(v["value"].clone())
        }
    }

    fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until `script` returns something truthy; that value.
    fn wait_for(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            self.assert_no_alert();
            let v = self.js(script);
            if !(v.is_null() || v == json!(false) || v == json!(0) || v == json!("")) {
                return v;
            }
            let page = self.js("return document.getElementById('status').textContent");
            assert!(
                started.elapsed() < STEP_TIMEOUT,
                "timed out waiting for {what}; status line: {page}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT_KEY].as_str().expect("element id").to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Presses and releases each key in turn (W3C key actions; "\u{E007}" is Enter).
    fn keys(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// An `alert()` from injected markup would leave a dialog open.
    fn assert_no_alert(&self) {
        if let Ok(text) = self.try_call("GET", "/alert/text", None) {
            panic!("an injected script ran: alert({text})");
        }
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().unwrap());
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_call("DELETE", "", None);
        }
        // chromedriver's own shutdown also quits a browser whose session never started;
        // killed outright, it would leave that browser running.
        let _ = std::panic::catch_unwind(|| request(&self.addr, "GET", "/shutdown", None));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (u32::from(value(*c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// No element that article markup could have injected exists in the page, and every link
/// is one of the page's own.
/// The page's own charts are SVG, and hold only bars, links, titles and labels.
const INJECTED: &str = "return [...document.querySelectorAll(
    'img, iframe, object, embed, svg:not(#counts svg), b, [onerror], [onload], \
     script:not([src=\"/app.js\"]), #counts svg :not(a, rect, title, text, line)')]
    .map(e => e.outerHTML)
    .concat([...document.querySelectorAll('a')].map(a => a.getAttribute('href'))
        .filter(h => !h.startsWith('/')))";

fn assert_nothing_injected(d: &Driver) {
    d.assert_no_alert();
    assert_eq!(
        d.js(INJECTED),
        json!([]),
        "injected elements or foreign links"
    );
    assert_eq!(d.js("return window.__pwned === undefined"), json!(true));
}

#[test]
#[ignore = "needs chromium and chromedriver (Debian packages chromium, chromium-driver); \
            .ci/run installs them and runs this test with --ignored"]
fn the_page_searches_shows_articles_and_tabs_and_keeps_hostile_text_inert() {
    let f = Fixture::corpus();
    f.write(HOSTILE_NAME, HOSTILE_TEXT);
    common::write_dated(&f);
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let s = Server::start(&f.index_dir(), &[], &[]);
    let d = Driver::start();

    // Search: typed into the box, highlighted hits, the query in the URL.
    d.open(&s.url("/"));
    d.wait_for(
        "the page script",
        "return document.getElementById('status').textContent.length",
    );
    d.type_into("#q", "zanzibar");
    d.click("#form button");
    d.wait_for(
        "hits",
        "return document.querySelectorAll('.hit mark').length",
    );
    let url = d.js("return location.search");
    assert_eq!(url, json!("?tab=search&q=zanzibar"));
    assert_nothing_injected(&d);
    let title = d.js("return document.querySelector('.hit h2').textContent");
    assert_eq!(
        title,
        json!("Zanzibar <script>alert(1)</script> \"><img src=x onerror=alert(2)>")
    );
    let source = d.wait_for(
        "the hostile source in the source counts",
        "return document.querySelector('#sources a')?.textContent",
    );
    assert!(
        source
            .as_str()
            .unwrap()
            .contains("\"><svg onload=alert(9)>"),
        "{source}"
    );
    d.screenshot("newsdex-search-hostile.png");

    // The article view, reached from the hit: each quote marked with its speaker.
    d.click(".hit h2 a");
    d.wait_for(
        "the article",
        "return document.querySelectorAll('#article .q').length",
    );
    let speaker = d.js("return document.querySelector('#article .q').dataset.speaker");
    assert_eq!(speaker, json!("Jane Okafor"));
    let marked = d.js("return document.querySelector('#article .q').firstChild.textContent");
    assert!(
        marked
            .as_str()
            .unwrap()
            .contains("<script>alert(4)</script>"),
        "{marked}"
    );
    assert_nothing_injected(&d);
    let search = d.js("return location.search").as_str().unwrap().to_string();
    assert_eq!(
        search,
        format!(
            "?tab=article&id={}",
            encode(HOSTILE_NAME).replace("%20", "+")
        )
    );

    // A bookmark of a search opens on its results.
    d.open(&s.url("/?q=oil&offset=2"));
    d.wait_for(
        "bookmarked hits",
        "return document.querySelectorAll('.hit').length",
    );
    let status = d.js("return document.getElementById('status').textContent");
    assert!(
        status.as_str().unwrap().starts_with("results 3–"),
        "{status}"
    );
    d.screenshot("newsdex-search.png");

    // Speakers tab: clicking a name lists that person's quotes in the quotes tab.
    d.open(&s.url("/?tab=speakers&q=oil"));
    d.wait_for(
        "speakers",
        "return document.querySelectorAll('.speakers a').length",
    );
    let name = d.js("return document.querySelector('.speakers a').textContent");
    d.click(".speakers a");
    d.wait_for(
        "quote cards",
        "return document.querySelectorAll('.card').length",
    );
    let speakers =
        d.js("return [...document.querySelectorAll('.card .speaker a')].map(a => a.textContent)");
    let speakers = speakers.as_array().unwrap();
    assert!(
        !speakers.is_empty() && speakers.iter().all(|s| *s == name),
        "{name}: {speakers:?}"
    );
    assert_eq!(
        d.js("return document.getElementById('speaker').value"),
        name
    );
    d.screenshot("newsdex-quotes.png");

    dates_and_sources_narrow_the_search(&d, &s);
    a_misspelt_search_offers_its_spelling(&d, &s);

    // Keyboard: `/` focuses the search box; Enter in it searches.
    d.open(&s.url("/?tab=search"));
    d.wait_for(
        "the page script",
        "return document.getElementById('status').textContent.length",
    );
    d.keys(&["/"]);
    assert_eq!(d.js("return document.activeElement.id"), json!("q"));
    d.keys(&["s", "t", "r", "i", "k", "e", "\u{E007}"]);
    d.wait_for(
        "hits from the keyboard",
        "return document.querySelectorAll('.hit').length",
    );
    assert_eq!(
        d.js("return location.search"),
        json!("?tab=search&q=strike")
    );

    // A phone-width window scrolls down only; the dark setting gets dark colours.
    d.call(
        "POST",
        "/window/rect",
        Some(json!({"width": 375, "height": 800})),
    );
    d.open(&s.url(&format!("/?tab=article&id={}", encode(HOSTILE_NAME))));
    d.wait_for(
        "the article",
        "return document.querySelectorAll('#article .q').length",
    );
    let overflow = d.js("return document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "wider than the window by {overflow}px"
    );
    d.call(
        "POST",
        "/goog/cdp/execute",
        Some(json!({"cmd": "Emulation.setEmulatedMedia", "params": {
            "features": [{"name": "prefers-color-scheme", "value": "dark"}]}})),
    );
    let bg = d.js("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(20, 20, 20)"));
    d.screenshot("newsdex-article-dark-phone.png");
    d.open(&s.url("/?q=kestrelmouth"));
    d.wait_for(
        "the chart at phone width",
        "return document.querySelectorAll('#histogram .bar').length",
    );
    let overflow = d.js("return document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "charts wider than the window by {overflow}px"
    );
    d.screenshot("newsdex-charts-dark-phone.png");

    // Quotes tab with the hostile quote: text, not markup.
    d.open(&s.url("/?tab=quotes&q=ferry&speaker=Okafor"));
    d.wait_for(
        "the hostile quote",
        "return document.querySelectorAll('.card').length",
    );
    assert_nothing_injected(&d);
}

const HIT_TITLES: &str = "return [...document.querySelectorAll('.hit h2')].map(h => h.textContent)";

/// Waits for the page to show the search of `query_string`, and gives its hits' titles.
fn titles_after(d: &Driver, what: &str, query_string: &str) -> Value {
    let want = json!(query_string);
    let started = Instant::now();
    while d.js("return location.search") != want {
        assert!(
            started.elapsed() < STEP_TIMEOUT,
            "{what}: the URL never became {want}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    d.wait_for(
        what,
        "return document.getElementById('status').textContent.startsWith('results')",
    );
    d.js(HIT_TITLES)
}

/// A search with no hits offers the index's spelling as a link that searches it.
fn a_misspelt_search_offers_its_spelling(d: &Driver, s: &Server) {
    d.open(&s.url("/?q=zanzibr"));
    let offered = d.wait_for(
        "the suggestion",
        "return document.querySelector('#status a')?.textContent",
    );
    assert_eq!(offered, json!("zanzibar"));
    d.click("#status a");
    let titles = titles_after(d, "the suggested search", "?tab=search&q=zanzibar");
    assert!(!titles.as_array().unwrap().is_empty(), "{titles}");
    assert_nothing_injected(d);
}

/// The date range, the order, the chart's bars and the source list, each narrowing the
/// search in the URL.
fn dates_and_sources_narrow_the_search(d: &Driver, s: &Server) {
    d.open(&s.url("/?q=kestrelmouth"));
    d.wait_for(
        "the chart",
        "return document.querySelectorAll('#histogram .bar').length",
    );
    assert_eq!(d.js(HIT_TITLES).as_array().unwrap().len(), 4);
    // One bar per bin of the API's histogram, each as tall as its count says.
    let api = s.get("/api/search?q=kestrelmouth&histogram=month").json();
    let bins = api["histogram"]["bins"].as_array().unwrap();
    let bars = d.js("return [...document.querySelectorAll('#histogram .bar')]
        .map(b => [b.dataset.period, +b.dataset.count])");
    let want: Vec<Value> = bins
        .iter()
        .map(|b| json!([b["value"], b["count"]]))
        .collect();
    assert_eq!(bars, Value::Array(want));
    assert_nothing_injected(d);
    d.screenshot("newsdex-charts.png");

    // A date range typed into the form: in the URL, and the hits outside it are gone.
    d.type_into("#since", "2016-04");
    d.type_into("#until", "2016");
    d.click("#form button");
    let titles = titles_after(
        d,
        "dated hits",
        "?tab=search&q=kestrelmouth&since=2016-04&until=2016",
    );
    assert_eq!(titles, json!(["Kestrelmouth ferry strike"]));
    d.screenshot("newsdex-dated.png");

    // A click on a bar narrows to its month; the order control sorts newest first.
    d.click("#range a");
    titles_after(d, "all dates again", "?tab=search&q=kestrelmouth");
    d.click("#histogram .bar[data-period='2017-01']");
    let titles = titles_after(
        d,
        "a month's hits",
        "?tab=search&q=kestrelmouth&since=2017-01&until=2017-01",
    );
    assert_eq!(titles, json!(["Kestrelmouth dredging begins"]));
    d.open(&s.url("/?q=kestrelmouth&sort=-date"));
    d.wait_for(
        "sorted hits",
        "return document.querySelectorAll('.hit').length",
    );
    let titles = d.js(HIT_TITLES);
    assert_eq!(
        titles,
        json!([
            "Kestrelmouth dredging begins",
            "Kestrelmouth ferry strike",
            "Kestrelmouth tolls rise",
            "Kestrelmouth fish return"
        ])
    );
    assert_eq!(
        d.js("return document.getElementById('sort').value"),
        json!("-date")
    );

    // A source in the list narrows the query to it.
    d.click("#sources li:first-child a");
    let titles = titles_after(
        d,
        "one source's hits",
        "?tab=search&q=kestrelmouth+source%3A%22Daily+Ledger%22&sort=-date",
    );
    assert_eq!(
        titles,
        json!(["Kestrelmouth ferry strike", "Kestrelmouth tolls rise"])
    );
}
