//! `newsdex index` and `newsdex search` on a temporary copy of the bundled corpus.

mod common;

use common::{stderr, stdout, Fixture};

const ORINOCO: &str = "world/americas/valdoria-courts-investors-for-orinoco-oil.txt";
const SANCTIONS: &str = "world/americas/sanctions-relief-for-valdoria-divides-washington.txt";
const RIGHTS_BILL: &str = "politics/human-rights-bill-clears-commons.txt";
const BANK: &str = "business/bank-cuts-interest-rates-for-second-month.txt";

#[test]
fn index_reports_what_it_did() {
    let f = Fixture::corpus();
    let n = walk_count(&f.corpus_dir());
    let s = f.index_json();
    assert_eq!(s["files_seen"], n);
    assert_eq!(s["added"], n);
    assert_eq!(s["articles_in_index"], n);
    assert!(s["quotes_in_index"].as_u64().unwrap() > 100, "{s}");
    assert_eq!(s["skipped"].as_array().unwrap().len(), 0);
}

fn walk_count(dir: &std::path::Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            n += walk_count(&e.path());
        } else if matches!(
            e.path().extension().and_then(|x| x.to_str()),
            Some("txt" | "md" | "html" | "htm")
        ) {
            n += 1;
        }
    }
    n
}

#[test]
fn distinctive_word_ranks_its_article_first() {
    let f = Fixture::indexed();
    let paths = f.paths("orinoco");
    assert_eq!(paths.first().map(String::as_str), Some(ORINOCO));
    // Title matches outrank body-only matches.
    let paths = f.paths("valdoria oil");
    assert!(
        paths.iter().position(|p| p == ORINOCO).unwrap() < 2,
        "{paths:?}"
    );
}

#[test]
fn accents_are_folded() {
    let f = Fixture::indexed();
    let plain = f.paths("nicolas");
    assert!(!plain.is_empty());
    assert_eq!(plain, f.paths("Nicolás"));
    assert!(f
        .paths("guzman")
        .iter()
        .any(|p| p.contains("guzman-keeps-faith")));
}

#[test]
fn stemming_matches_word_forms() {
    let f = Fixture::indexed();
    // The bank article says "cut" in its body and "cuts" in its title.
    let cuts = f.paths("cuts");
    let cut = f.paths("cut");
    assert!(cuts.contains(&BANK.to_string()));
    assert_eq!(cuts, cut);
}

#[test]
fn phrases_and_exclusion() {
    let f = Fixture::indexed();
    let phrase = f.paths("\"human rights\"");
    assert!(phrase.contains(&RIGHTS_BILL.to_string()));
    assert!(phrase.contains(&SANCTIONS.to_string()));
    // The same words in the other order are not the phrase.
    assert!(!f
        .paths("\"rights human\"")
        .contains(&RIGHTS_BILL.to_string()));
    let excluded = f.paths("\"human rights\" -trump");
    assert!(excluded.contains(&RIGHTS_BILL.to_string()));
    assert!(
        !excluded.contains(&SANCTIONS.to_string()),
        "the Trump article must be excluded"
    );
}

#[test]
fn field_prefixes() {
    let f = Fixture::indexed();
    let titled = f.paths("title:valdoria");
    assert!(!titled.is_empty());
    let (hits, _, _) = f.search_json("title:valdoria", &["-n", "50"]);
    for h in &hits {
        assert!(
            h["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("valdoria"),
            "{h}"
        );
    }
    // More articles mention Valdoria than have it in the title.
    assert!(f.paths("valdoria").len() > titled.len());
    let sport = f.paths("category:sport");
    assert!(!sport.is_empty());
    assert!(sport.iter().all(|p| p.starts_with("sport/")), "{sport:?}");
    assert!(f
        .paths("category:americas")
        .iter()
        .all(|p| p.starts_with("world/americas/")));
}

#[test]
fn or_operator_widens() {
    let f = Fixture::indexed();
    let a = f.paths("orinoco");
    let b = f.paths("sunderfield");
    let both = f.paths("orinoco OR sunderfield");
    assert!(!b.is_empty());
    assert_eq!(both.len(), {
        let mut u = a.clone();
        u.extend(b.clone());
        u.sort();
        u.dedup();
        u.len()
    });
}

#[test]
fn json_hits_have_the_documented_fields() {
    let f = Fixture::indexed();
    let (hits, summary, out) = f.search_json("orinoco oil", &[]);
    assert!(out.status.success());
    assert!(!hits.is_empty());
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h["type"], "hit");
        assert_eq!(h["rank"], i + 1);
        for key in [
            "score",
            "path",
            "title",
            "category",
            "snippet",
            "highlights",
        ] {
            assert!(h.get(key).is_some(), "missing {key} in {h}");
        }
        let snippet = h["snippet"].as_str().unwrap();
        let ranges = h["highlights"].as_array().unwrap();
        for r in ranges {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let word = snippet[a..b].to_lowercase();
            assert!(
                word == "orinoco" || word == "oil",
                "highlight {word:?} is not a query term"
            );
        }
    }
    assert_eq!(hits[0]["path"], ORINOCO);
    assert_eq!(hits[0]["category"], "world/americas");
    assert!(!hits[0]["highlights"].as_array().unwrap().is_empty());
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["returned"], hits.len());
    assert!(summary["total"].as_u64().unwrap() >= hits.len() as u64);
}

#[test]
fn text_output_marks_matches_plain_when_piped_and_coloured_when_asked() {
    let f = Fixture::indexed();
    let plain = f.run(&["search", "orinoco"]);
    let text = stdout(&plain);
    assert!(text.contains("[Orinoco]"), "{text}");
    assert!(!text.contains('\x1b'));
    assert!(text.contains(ORINOCO));
    let coloured = f.run(&["search", "orinoco", "--color", "always"]);
    assert!(stdout(&coloured).contains("\x1b[1;31mOrinoco\x1b[0m"));
    let mut c = f.cmd();
    let no_color = c
        .args(["search", "orinoco", "--color", "auto", "--index"])
        .arg(f.index_dir())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn limit_and_offset_page_through_results() {
    let f = Fixture::indexed();
    let all = f.paths("valdoria");
    assert!(all.len() >= 4);
    let (page, _, _) = f.search_json("valdoria", &["-n", "2", "--offset", "2"]);
    let page: Vec<&str> = page.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert_eq!(
        page,
        all[2..4].iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[test]
fn exit_status_tells_hits_from_none_from_errors() {
    let f = Fixture::indexed();
    assert_eq!(f.run(&["search", "orinoco"]).status.code(), Some(0));
    let none = f.run(&["search", "xylophonequartet"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stdout(&none).contains("no articles match"));
    let bad = f.run(&["search", "title:*"]);
    assert_eq!(bad.status.code(), Some(2));
    let msg = stderr(&bad);
    assert!(msg.contains("'title:*'"), "{msg}");
    let only_not = f.run(&["search", "-trump"]);
    assert_eq!(only_not.status.code(), Some(2));
    assert!(
        stderr(&only_not).contains("only excludes"),
        "{}",
        stderr(&only_not)
    );
}

#[test]
fn malformed_queries_are_searched_leniently_with_a_warning() {
    let f = Fixture::indexed();
    let out = f.run(&["search", "\"human rights"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("unbalanced"), "{}", stderr(&out));
    let out = f.run(&["search", "(orinoco"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("unbalanced"));
    for q in [
        "orinoco)",
        "AND",
        "title:",
        "^^^",
        "orinoco~~",
        "[a TO",
        "\u{1b}[31m",
    ] {
        let out = f.run(&["search", q]);
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{q}: {:?}",
            out.status
        );
        assert!(!stderr(&out).contains("panicked"), "{q}: {}", stderr(&out));
    }
}

#[test]
fn missing_index_is_a_clear_error() {
    let f = Fixture::corpus();
    let out = f.run(&["search", "oil"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no index at"), "{}", stderr(&out));
}

#[test]
fn batch_mode_answers_each_line() {
    let f = Fixture::indexed();
    let queries = "orinoco\n\n# a comment\nxylophonequartet\ntitle:*\n\"human rights\"\n";
    let mut c = f.cmd();
    let out = c
        .args(["search", "--batch", "-", "-n", "3", "--index"])
        .arg(f.index_dir())
        .write_stdin(queries)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["query"], "orinoco");
    assert_eq!(lines[0]["hits"][0]["path"], ORINOCO);
    assert_eq!(lines[1]["hits"].as_array().unwrap().len(), 0);
    assert!(lines[2]["error"].as_str().unwrap().contains("'title:*'"));
    assert!(lines[3]["hits"].as_array().unwrap().len() <= 3);
    assert!(stderr(&out).contains("queries/s"));
}

#[test]
fn stats_describe_the_index() {
    let f = Fixture::indexed();
    let out = f.run(&["stats", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"], walk_count(&f.corpus_dir()));
    assert!(v["quotes"].as_u64().unwrap() > 100);
    assert!(v["size_bytes"].as_u64().unwrap() > 10_000);
    assert_eq!(v["last_run"]["complete"], true);
}

/// Article paths of `quotes QUERY`: every article with a matching quote.
fn articles_with_quotes(f: &Fixture, query: &str) -> Vec<String> {
    let out = f.run(&["quotes", query, "--json", "-n", "1000"]);
    let mut paths: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

#[test]
fn quote_prefix_finds_the_articles_whose_quotes_match() {
    let f = Fixture::indexed();
    let mut nonempty = 0;
    for q in [
        "oil",
        "rates",
        "\"will not\"",
        "workers OR economy",
        "govern*",
    ] {
        let mut found = f.paths(&format!("quote:({q})"));
        found.sort();
        let want = articles_with_quotes(&f, &format!("quote:({q})"));
        assert_eq!(found, want, "quote:({q})");
        nonempty += usize::from(!found.is_empty());
    }
    assert!(nonempty >= 4, "the test words should be quoted somewhere");
    // A word of the body that no quote holds matches the article, not `quote:`.
    assert!(f.paths("sunderfield").len() > f.paths("quote:sunderfield").len());
    // Combined with article fields, excluded, and never a quote document as an article.
    let mixed = f.paths("quote:oil -title:valdoria");
    assert!(mixed.iter().all(|p| p != ORINOCO), "{mixed:?}");
    let (hits, _, out) = f.search_json("quote:oil OR title:bank", &["-n", "50"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(hits.iter().any(|h| h["path"] == BANK), "{hits:?}");
    assert!(hits
        .iter()
        .all(|h| !h["title"].as_str().unwrap().is_empty()));
}

/// `*` lists documents of the kind searched, `quote:*` asks for articles that have a quote,
/// and "any value" of another field is refused with a message that names the query.
#[test]
fn any_value_queries() {
    let f = Fixture::indexed();
    let stats: serde_json::Value =
        serde_json::from_slice(&f.run(&["stats", "--json"]).stdout).unwrap();
    let (all_quotes, quoted) = {
        let out = f.run(&["quotes", "*", "--json", "-n", "100000"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let hits: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &serde_json::Value| v["type"] == "hit")
            .collect();
        assert!(hits
            .iter()
            .all(|h| !h["quote"].as_str().unwrap().is_empty()));
        (hits.len(), articles_with_quotes(&f, "*"))
    };
    assert_eq!(all_quotes as u64, stats["quotes"].as_u64().unwrap());
    let mut with_quote = f.paths_n("quote:*", 100000);
    with_quote.sort();
    assert_eq!(with_quote, quoted);
    assert!((with_quote.len() as u64) < stats["articles"].as_u64().unwrap());
    let articles = f.paths_n("*", 100000);
    assert_eq!(articles.len() as u64, stats["articles"].as_u64().unwrap());
    let without = f.paths_n("-quote:* *", 100000);
    assert_eq!(without.len() + with_quote.len(), articles.len());
    assert!(without.iter().all(|p| !with_quote.contains(p)));
    let out = f.run(&["search", "title:*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'title:*'"), "{}", stderr(&out));
}
