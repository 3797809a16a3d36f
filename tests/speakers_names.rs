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
}
