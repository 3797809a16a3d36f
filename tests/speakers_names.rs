//! Issue 11, items 6 and 7, as a user sees them: `speakers` lists one name per person and
//! only names; `quotes TOPIC --speaker NAME` finds the speaker's quotes in articles about the
//! topic, keeps an OR topic, ignores honorifics and shows the attributing sentence.

mod common;

use common::{stderr, stdout, Fixture};
use serde_json::Value;

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Articles written for these tests: one person named several ways, and capitalised words
/// that are not names in the place of a speaker.
fn corpus() -> Fixture {
    let f = Fixture::empty();
    f.write(
        "a.txt",
        "Trump visits Ohio\n\n\"We will build it,\" said Republican Donald Trump on Monday.\n\n\"It will be great,\" Donald J. Trump told the crowd.\n",
    );
    f.write(
        "b.txt",
        "Rally in Iowa\n\n\"The wall is coming,\" said Donald Trump.\n\nDonald J Trump's aide said nothing.\n",
    );
    f.write(
        "c.txt",
        "Obama speaks\n\n\"Hope is not a plan,\" said Barack Obama in Chicago.\n",
    );
    f.write(
        "d.txt",
        "Obama again\n\n\"We are not done,\" Obama said on Tuesday.\n\n\"Nor are we,\" Obama added.\n",
    );
    f.write(
        "e.txt",
        "Tennis final\n\n\"I played my best tennis today,\" said the American.\n\n\"It was a tough match,\" said Grand Slam winner.\n",
    );
    f
}

fn speakers(f: &Fixture) -> Vec<(String, u64)> {
    let out = f.run(&["speakers", "--json", "-n", "50"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json_lines(&out)
        .into_iter()
        .filter(|v| v["type"] == "speaker")
        .map(|v| {
            (
                v["speaker"].as_str().unwrap().to_string(),
                v["quotes"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn speakers_lists_one_name_per_person_and_only_names() {
    let f = corpus();
    assert!(f.index().status.success());
    let rows = speakers(&f);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        rows.contains(&("Donald Trump".to_string(), 3)),
        "all of Trump's variants count as one: {rows:?}"
    );
    assert!(
        rows.contains(&("Barack Obama".to_string(), 3)),
        "a bare surname goes to the one full name ending in it: {rows:?}"
    );
    for junk in ["American", "Grand Slam", "Obama", "Donald J Trump"] {
        assert!(!names.contains(&junk), "{junk} listed: {rows:?}");
    }
    // The names left out are not counted either: `stats` and the summary's `total` give
    // the number of speakers listed, after the variants are merged.
    let out = f.run(&["stats", "--json"]);
    let stats: Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(stats["speakers"], rows.len() as u64, "{stats} {rows:?}");
    let out = f.run(&["speakers", "--json", "-n", "1"]);
    let summary = json_lines(&out).pop().expect("a summary line");
    assert_eq!(summary["total"], rows.len() as u64, "{summary} {rows:?}");
}

/// Budget articles whose quotes by Gordon Brown do not say "budget", one that does, and
/// quotes by others.
fn budget_corpus() -> Fixture {
    let f = Fixture::empty();
    f.write(
        "budget1.txt",
        "Budget boost for families\n\nThe budget gives families more help. \"We are on the side of hard-working families,\" said Gordon Brown.\n\nThe budget also cut fuel duty.\n",
    );
    f.write(
        "budget2.txt",
        "Budget day arrives\n\nChancellor Gordon Brown delivers his budget today. Mr Brown was blunt. \"Prudence is our watchword.\" The budget is his ninth.\n\n\"This budget is for Britain,\" Mr Brown said.\n",
    );
    f.write(
        "football.txt",
        "Brown at the match\n\n\"What a game,\" said Gordon Brown at the football on Saturday.\n\n\"The wall of fans was loud,\" said Tony Blair.\n",
    );
    f.write(
        "wall.txt",
        "Wall plans\n\n\"We will build a wall,\" said Donald Trump.\n\n\"Taxes will fall,\" said Donald Trump.\n\n\"Mexico will pay,\" said Donald Trump on Monday.\n",
    );
    f
}

fn quote_hits(f: &Fixture, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["quotes", "--json", "-n", "50"];
    all.extend_from_slice(args);
    let out = f.run(&all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    json_lines(&out)
        .into_iter()
        .filter(|v| v["type"] == "hit")
        .collect()
}

#[test]
fn a_speakers_quotes_in_articles_about_the_topic_are_found_after_text_matches() {
    let f = budget_corpus();
    assert!(f.index().status.success());
    let hits = quote_hits(&f, &["budget", "--speaker", "gordon brown"]);
    let quotes: Vec<&str> = hits.iter().map(|h| h["quote"].as_str().unwrap()).collect();
    assert_eq!(
        quotes.first(),
        Some(&"This budget is for Britain,"),
        "the quote that says it comes first: {quotes:?}"
    );
    assert!(
        quotes.contains(&"We are on the side of hard-working families,"),
        "{quotes:?}"
    );
    assert!(
        !quotes.contains(&"What a game,"),
        "not a budget article: {quotes:?}"
    );
    assert_eq!(hits[0]["matched"], "quote");
    assert!(
        hits[1..].iter().all(|h| h["matched"] == "article"),
        "{hits:?}"
    );
}

#[test]
fn the_speaker_filter_keeps_an_or_topic_and_ignores_honorifics() {
    let f = budget_corpus();
    assert!(f.index().status.success());
    let hits = quote_hits(&f, &["wall OR mexico", "--speaker", "donald trump"]);
    let matched: Vec<&str> = hits
        .iter()
        .filter(|h| h["matched"] == "quote")
        .map(|h| h["quote"].as_str().unwrap())
        .collect();
    assert_eq!(
        matched.len(),
        2,
        "only the quotes on the topic match it: {hits:?}"
    );
    assert!(!matched.contains(&"Taxes will fall,"), "{matched:?}");
    let by_title = quote_hits(&f, &["--speaker", "Mr Brown"]);
    let by_name = quote_hits(&f, &["--speaker", "Gordon Brown"]);
    assert_eq!(by_name.len(), 3, "{by_name:?}");
    assert_eq!(by_title.len(), by_name.len(), "{by_title:?}");
}

#[test]
fn context_shows_the_sentence_that_attributes_each_quote() {
    let f = budget_corpus();
    assert!(f.index().status.success());
    let hits = quote_hits(&f, &["prudence", "--context"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        hits[0]["context"], "Mr Brown was blunt. \"Prudence is our watchword.\"",
        "{hits:?}"
    );
    let out = f.run(&["quotes", "watchword", "--context"]);
    assert!(
        stdout(&out).contains("context: Mr Brown was blunt."),
        "{}",
        stdout(&out)
    );
}
