//! "Did you mean": a query with no hits offers a spelling from the index's own words, on
//! articles the tests write.

mod common;

use std::path::Path;

use common::{stderr, stdout, Fixture};
use serde_json::Value;

/// Iraq in many articles, Blair in three, "blame" (one edit from "blare", where "blair"
/// is two) in more than Blair, the misspelling "irak" in one, and words whose stems are no
/// words (economy, economies: `economi`).
fn fixture() -> Fixture {
    let f = Fixture::empty();
    for i in 0..25 {
        let blair = if i < 3 {
            " \u{201c}We will see it through,\u{201d} said Tony Blair."
        } else {
            ""
        };
        f.write(
            &format!("iraq/day-{i}.txt"),
            format!("Iraq inquiry day {i}\n\nThe Iraq inquiry sat again.{blair}\n"),
        );
    }
    for i in 0..6 {
        f.write(
            &format!("blame/{i}.txt"),
            format!("Blame game {i}\n\nCouncillors blame each other.\n"),
        );
    }
    f.write(
        "typo.txt",
        "Irak typo\n\nA letter on Irak was printed with a typo.\n",
    );
    f.write(
        "economy.txt",
        "Economy grows\n\nThe economy grew, and other economies shrank.\n",
    );
    let out = f.index();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

fn summary(f: &Fixture, args: &[&str]) -> (Value, std::process::Output) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = f.run(&all);
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    let v = serde_json::from_str(&last).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (v, out)
}

fn check_schema(line: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/summary.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(line).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{line}");
}

#[test]
fn a_misspelt_two_word_query_gets_a_spelling_with_hits() {
    let f = fixture();
    let out = f.run(&["search", "blare irak"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("no articles match"), "{text}");
    assert!(text.contains("did you mean: blair iraq\n"), "{text}");
    // What is offered finds something.
    let out = f.run(&["search", "blair iraq"]);
    assert!(out.status.success(), "{}", stdout(&out));
    // The words that match are kept as typed.
    let (v, _) = summary(&f, &["search", "Tony blare"]);
    assert_eq!(v["suggestion"], "Tony blair", "{v}");
    // In the case typed.
    let (v, _) = summary(&f, &["search", "Blare IRAK"]);
    assert_eq!(v["suggestion"], "Blair IRAQ", "{v}");
}

#[test]
fn the_suggestion_is_a_word_not_a_stem() {
    let f = fixture();
    let (v, _) = summary(&f, &["search", "econimy"]);
    assert_eq!(v["suggestion"], "economy", "{v}");
}

#[test]
fn nothing_close_or_nothing_found_gives_no_suggestion() {
    let f = fixture();
    let out = f.run(&["search", "zqxvw"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains("did you mean"), "{}", stdout(&out));
    let (v, out) = summary(&f, &["search", "zqxvw"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["suggestion"], Value::Null, "{v}");
    check_schema(&v);
    // Respelt, "blair zqxvw" would still find nothing: not offered.
    let (v, _) = summary(&f, &["search", "blare zqxvw"]);
    assert_eq!(v["suggestion"], Value::Null, "{v}");
    // A long query is given none, even where its words could be respelt.
    let long = format!("blare{}", " iraq".repeat(16));
    let (v, out) = summary(&f, &["search", &long]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["suggestion"], Value::Null, "{v}");
    let short = format!("blare{}", " iraq".repeat(15));
    let (v, _) = summary(&f, &["search", &short]);
    assert!(
        v["suggestion"]
            .as_str()
            .is_some_and(|s| s.starts_with("blair iraq")),
        "{v}"
    );
    // A query with hits is given none.
    let (v, out) = summary(&f, &["search", "iraq"]);
    assert!(out.status.success());
    assert_eq!(v["suggestion"], Value::Null, "{v}");
}

#[test]
fn json_summaries_of_search_quotes_and_speakers_carry_the_suggestion() {
    let f = fixture();
    for cmd in ["search", "speakers"] {
        let (v, out) = summary(&f, &[cmd, "blare irak"]);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert_eq!(v["suggestion"], "blair iraq", "{cmd}: {v}");
        check_schema(&v);
    }
    // Quotes: the speaker field's names are suggested too.
    let out = f.run(&["quotes", "speaker:blare"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("did you mean: speaker:blair"),
        "{}",
        stdout(&out)
    );
}
