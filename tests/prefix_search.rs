//! Word prefixes (`econ*`) on articles the tests write: what they find, in which fields,
//! the limit on their words, their highlights, and where they are refused.

mod common;

use common::{stderr, stdout, Fixture};

const ECONOMY: &str = "economy.txt";
const ECONOMISTS: &str = "economists.txt";
const ECONOMIC: &str = "economic.txt";
const ECOLOGY: &str = "ecology.txt";
const HARBOUR: &str = "harbour.txt";

/// Three articles with words that start "econ" in their titles, one with "ecology" (which
/// starts "eco" only) and one with "economy" only in its body, from a dated source.
fn fixture() -> Fixture {
    let f = Fixture::empty();
    f.write(
        ECONOMY,
        "Economy shrinks again\n\nThe economy shrank for a second quarter, figures show.\n",
    );
    f.write(
        ECONOMISTS,
        "Economists split on rates\n\nEconomists disagree about the next move on rates.\n",
    );
    f.write(
        ECONOMIC,
        "Economic plan published\n\nThe economic plan was published on Monday.\n",
    );
    f.write(
        ECOLOGY,
        "Ecology report\n\nThe ecology of the river has improved, the report says.\n",
    );
    f.write(
        HARBOUR,
        "Source: Daily Ledger\n\nHarbour dues rise\n\n\u{201c}The harbour economy needs the money,\u{201d} said Sam Okafor, the port director.\n",
    );
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_prefix_finds_the_words_it_starts_and_no_others() {
    let f = fixture();
    assert_eq!(
        sorted(f.paths("econ*")),
        sorted(vec![
            ECONOMY.to_string(),
            ECONOMISTS.to_string(),
            ECONOMIC.to_string(),
            HARBOUR.to_string()
        ])
    );
    // Not the word "econ", which no article has; and not searched as a word at all.
    assert!(f.paths("econ").is_empty());
    let (_, summary, out) = f.search_json("econ*", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary["warnings"], serde_json::json!([]), "{summary}");
    // A whole word with a star finds its own forms (economy is indexed as its stem).
    assert!(f.paths("economy*").contains(&ECONOMY.to_string()));
    // In a combination with other words, and excluded.
    assert_eq!(f.paths("econ* rates"), vec![ECONOMISTS.to_string()]);
    assert!(!f.paths("econ* -rates").contains(&ECONOMISTS.to_string()));
}

#[test]
fn a_field_prefix_searches_that_field_only() {
    let f = fixture();
    let titled = sorted(f.paths("title:econ*"));
    assert_eq!(
        titled,
        sorted(vec![
            ECONOMY.to_string(),
            ECONOMISTS.to_string(),
            ECONOMIC.to_string()
        ])
    );
    assert_eq!(f.paths("source:led*"), vec![HARBOUR.to_string()]);
    assert_eq!(f.paths("quote:econ*"), vec![HARBOUR.to_string()]);
    assert_eq!(f.paths("speaker:oka*"), vec![HARBOUR.to_string()]);
}

#[test]
fn the_expanded_words_are_highlighted() {
    let f = fixture();
    let (hits, _, _) = f.search_json("econ*", &["-n", "10"]);
    let mut marked = Vec::new();
    for h in &hits {
        let snippet = h["snippet"].as_str().unwrap();
        for r in h["highlights"].as_array().unwrap() {
            let (s, e) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            marked.push(snippet[s as usize..e as usize].to_string());
        }
    }
    marked.sort();
    marked.dedup();
    assert_eq!(
        marked,
        vec!["Economists", "economic", "economy"],
        "{hits:?}"
    );
    // On the terminal, piped: the marks in the text.
    let out = f
        .cmd()
        .args(["search", "econ*", "--index"])
        .arg(f.index_dir())
        .output()
        .unwrap();
    assert!(stdout(&out).contains("[economy]"), "{}", stdout(&out));
}

#[test]
fn quotes_and_speakers_take_prefixes() {
    let f = fixture();
    let out = f.run(&["quotes", "econ*", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["speaker"], "Sam Okafor", "{first}");
    let out = f.run(&["speakers", "econ*"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Sam Okafor"), "{}", stdout(&out));
}

/// More words start the prefix than are searched: the most frequent are kept and the
/// warning says how many there were.
#[test]
fn a_prefix_of_too_many_words_is_cut_with_a_warning() {
    let f = Fixture::empty();
    let words: Vec<String> = (0..150).map(|i| format!("zqword{i}")).collect();
    f.write("many.txt", format!("Many words\n\n{}.\n", words.join(" ")));
    // zqword7 is in a second article, so it is among the most frequent.
    f.write("seven.txt", "Seven\n\nOnly zqword7 here.\n");
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, summary, out) = f.search_json("zq*", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(hits.len(), 2, "{hits:?}");
    let warnings = summary["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{summary}");
    let w = warnings[0].as_str().unwrap();
    assert!(
        w.contains("'zq*'") && w.contains("starts 150 indexed words"),
        "{w}"
    );
    let used: usize = w
        .split("only the ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {w}"));
    assert!(used < 150, "{w}");
    // The text output warns on stderr.
    let out = f.run(&["search", "zq*"]);
    assert!(stderr(&out).contains("'zq*'"), "{}", stderr(&out));
    // A longer prefix of fewer words is not cut.
    let (_, summary, _) = f.search_json("zqword1*", &[]);
    assert_eq!(summary["warnings"], serde_json::json!([]), "{summary}");
}

#[test]
fn a_prefix_in_a_phrase_or_too_short_is_refused() {
    let f = fixture();
    for q in [
        "\"economic pla*\"",
        "\"economic pl\"*",
        "title:\"the econ*\"",
    ] {
        let out = f.run(&["search", q]);
        assert_eq!(out.status.code(), Some(2), "{q}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("inside a phrase"),
            "{q}: {}",
            stderr(&out)
        );
    }
    for cmd in ["search", "quotes", "speakers"] {
        let out = f.run(&[cmd, "e*"]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&out).contains("'e*'") && stderr(&out).contains("too short"),
            "{}",
            stderr(&out)
        );
    }
    // A star inside a word is dropped, with a warning.
    let out = f.run(&["search", "econ*my"]);
    assert!(
        stderr(&out).contains("end of a whole word"),
        "{}",
        stderr(&out)
    );
}

/// A prefix counts as one word: an article scores as the best of the words it starts,
/// not their sum, so one rare word used three times outranks four common words.
#[test]
fn a_prefix_scores_as_its_best_word() {
    let f = Fixture::empty();
    f.write("many-a.txt", "Alpha\n\nzqa zqb zqc zqd filler.\n");
    f.write("many-b.txt", "Bravo\n\nzqa zqb zqc zqd filler.\n");
    f.write("one.txt", "Charlie\n\nzqe zqe zqe filler filler.\n");
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let found = f.paths("zq*");
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0], "one.txt", "{found:?}");
}
