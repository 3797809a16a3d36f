//! Saved web pages: main text, metadata with its origin, encodings, pages without an article.

mod common;

use common::{stderr, stdout, Fixture};
use serde_json::Value;

/// A page laid out like a news site's: navigation, a cookie banner, JSON-LD, a byline, the
/// story, related links and a comment section whose comments quote people too.
const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour to reopen in spring | The Gazette</title>
<meta property="og:title" content="Harbour to reopen in spring">
<meta property="og:site_name" content="Gazette Online">
<meta property="article:published_time" content="2016-03-01T08:00:00Z">
<link rel="canonical" href="https://gazette.example/news/harbour">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour to reopen in spring",
 "datePublished": "2016-03-04T09:30:00+00:00",
 "author": {"@type": "Person", "name": "Ann Lowe"},
 "publisher": {"@type": "Organization", "name": "The Gazette"}}
</script>
</head><body>
<div id="cookie-banner" class="cookie-consent gdpr"><p>We use cookies to improve your
experience. By continuing to browse you agree to our cookie policy. Accept all cookies.</p></div>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad-slot sponsor"><p>Advertisement: buy the best boats in town today.</p></div>
<main><article>
<h1>Harbour to reopen in spring</h1>
<p class="byline">By Ann Lowe</p>
<p>The town harbour, closed since the winter storms damaged its outer wall, will reopen to
fishing boats in the spring, the council announced on Friday after months of repairs.</p>
<p>"The harbour will reopen before Easter, and the fleet will be back at sea," said Tom Reyes,
the council leader, at a meeting with the fishing cooperative.</p>
<p>Repairs to the wall have cost more than two million pounds, paid for by a government grant
and the council's reserves, and engineers say the new wall will stand for fifty years.</p>
<p>Fishermen welcomed the news but warned that the months without landings had pushed several
small boats out of business for good.</p>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Storm damages harbour wall</a></li><li><a href="/b">Council sets budget</a></li>
<li><a href="/c">Fish prices rise</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>"This is a scandal and a waste of money," said Bob Smith, who has
lived by the harbour for thirty years and wrote to the council twice.</p></div>
</section></main>
<footer class="footer"><p>Copyright The Gazette 2016. All rights reserved.</p></footer>
</body></html>
"#;

/// Meta tags only, ISO-8859-15 declared (its 0xA4 is the euro sign, Windows-1252's is `¤`), a title only in `<h1>` and `<title>`.
const LATIN1_PAGE_HEAD: &str = r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">
<title>Site | Caf"#;

fn latin1_page() -> Vec<u8> {
    let mut b = LATIN1_PAGE_HEAD.as_bytes().to_vec();
    b.extend_from_slice(b"\xe9 prices</title>\n");
    b.extend_from_slice(
        br#"<meta name="author" content="Mia Chen"><meta property="og:url" content="https://ledger.example/cafe">
<meta property="article:published_time" content="2016-07-02"></head><body>
<h1>Caf"#,
    );
    b.extend_from_slice(b"\xe9 prices climb</h1><div class=\"story\"><p>");
    b.extend_from_slice(
        b"The price of a coffee (\xa43) in the caf\xe9s of the old town has climbed for the third year \
running, and owners blame the rent, the beans and the cost of heating their rooms.</p>\
<p>Owners say there is no end in sight.</p></div></body></html>",
    );
    b
}

/// Malformed: no `<html>` or `<body>`, unclosed paragraphs, a stray end tag, a bad entity.
const BROKEN_PAGE: &str = r#"<title>Ferry strike ends</title>
<div><p>The ferry strike that stranded island families for a week ended on Monday when the
union accepted a new offer from the operator, and the first boat left at noon &nosuch; sharp.
<p>"We have won a fair deal for the crews," said Lena Park, the union's regional secretary.
</span></div></div><p>Services will run to the normal timetable from Tuesday.
"#;

/// A page with links and no story: an index page saved by mistake.
const NO_ARTICLE_PAGE: &str = r#"<html><head><title>News index</title></head><body>
<nav><a href="/a">Home</a> <a href="/b">World</a> <a href="/c">Sport</a></nav>
<ul><li><a href="/1">Story one</a></li><li><a href="/2">Story two</a></li></ul>
</body></html>"#;

fn corpus() -> Fixture {
    let f = Fixture::empty();
    f.write("gazette/harbour.html", NEWS_PAGE);
    f.write("ledger/cafe.htm", latin1_page());
    f.write("broken.HTML", BROKEN_PAGE);
    f.write("index-page.html", NO_ARTICLE_PAGE);
    f
}

fn parse_json(f: &Fixture, file: &str) -> Value {
    let out = f
        .cmd()
        .args(["parse", "--json"])
        .arg(f.corpus_dir().join(file))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap()
}

fn meta(v: &Value, field: &str) -> (Value, Value) {
    let m = &v["metadata"][field];
    (m["value"].clone(), m["origin"].clone())
}

#[test]
fn a_news_page_gives_its_story_and_metadata() {
    let f = corpus();
    let v = parse_json(&f, "gazette/harbour.html");
    assert_eq!(v["title"], "Harbour to reopen in spring");
    let body = v["body"].as_str().unwrap();
    assert!(body.starts_with("The town harbour"), "{body}");
    assert!(
        body.contains("fifty years.\n\nFishermen"),
        "paragraphs kept: {body}"
    );
    for dropped in [
        "cookies",
        "Advertisement",
        "Sport",
        "Related",
        "scandal",
        "Copyright",
    ] {
        assert!(!body.contains(dropped), "{dropped:?} left in: {body}");
    }
    // JSON-LD beats the meta tag's date; the meta tags give what JSON-LD lacks.
    assert_eq!(meta(&v, "date"), ("2016-03-04".into(), "json-ld".into()));
    assert_eq!(
        meta(&v, "authors"),
        (serde_json::json!(["Ann Lowe"]), "json-ld".into())
    );
    assert_eq!(meta(&v, "source"), ("The Gazette".into(), "json-ld".into()));
    assert_eq!(
        meta(&v, "url"),
        (
            "https://gazette.example/news/harbour".into(),
            "html-meta".into()
        )
    );
    assert_eq!(meta(&v, "language"), ("en".into(), "html-meta".into()));
    // The story's quote is found; the comment's is not.
    let quotes = v["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert!(quotes[0]["text"]
        .as_str()
        .unwrap()
        .contains("before Easter"));
    assert_eq!(quotes[0]["speaker"], "Tom Reyes");
}

#[test]
fn a_declared_charset_and_meta_tags() {
    let f = corpus();
    let v = parse_json(&f, "ledger/cafe.htm");
    assert_eq!(v["title"], "Café prices climb");
    assert!(v["body"]
        .as_str()
        .unwrap()
        .contains("coffee (€3) in the cafés"));
    assert_eq!(meta(&v, "date"), ("2016-07-02".into(), "html-meta".into()));
    assert_eq!(
        meta(&v, "authors"),
        (serde_json::json!(["Mia Chen"]), "html-meta".into())
    );
    assert_eq!(
        meta(&v, "url"),
        ("https://ledger.example/cafe".into(), "html-meta".into())
    );
}

#[test]
fn malformed_html_is_read() {
    let f = corpus();
    let v = parse_json(&f, "broken.HTML");
    assert_eq!(v["title"], "Ferry strike ends");
    let body = v["body"].as_str().unwrap();
    assert!(body.contains("ferry strike that stranded"), "{body}");
    assert!(body.contains("normal timetable"), "{body}");
    assert_eq!(v["quotes"][0]["speaker"], "Lena Park");
}

#[test]
fn index_takes_web_pages_and_names_one_without_an_article() {
    let f = corpus();
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("index-page.html") && err.contains("no article text"),
        "{err}"
    );
    let mut paths = f.paths("harbour OR café OR ferry OR index");
    paths.sort();
    assert_eq!(
        paths,
        ["broken.HTML", "gazette/harbour.html", "ledger/cafe.htm"]
    );
    // The comment section is not in the index.
    assert!(f.paths("scandal").is_empty());
    assert_eq!(f.paths("source:\"The Gazette\""), ["gazette/harbour.html"]);
}
