//! Who said what, through the binary: quotes about a person are not theirs, headline quotes
//! take their source from the body, and every quote says how its speaker was chosen.

mod common;

use common::{stderr, Fixture};
use serde_json::Value;

fn parse(f: &Fixture, rel: &str, text: &str, explain: bool) -> Value {
    let path = f.write(rel, text);
    let mut cmd = f.cmd();
    cmd.args(["parse", "--json"]);
    if explain {
        cmd.arg("--explain");
    }
    let out = cmd.arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn speaker_of<'a>(parsed: &'a Value, starts: &str) -> Option<&'a str> {
    let q = parsed["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no quote {starts:?} in {parsed}"));
    q["speaker"].as_str()
}

#[test]
fn a_headline_quote_takes_its_source_from_the_body_not_its_subject() {
    let f = Fixture::empty();
    let parsed = parse(
        &f,
        "corpus/a.txt",
        "Harbour plan 'not our matter', says Verdan lawyer\n\n\
         The Verdan Shipping Company lost a court ruling on the harbour on Monday. Its \
         lawyer, Petra Lindqvist, said the ruling was \"not our matter\".\n\n\
         Harbour chief Olaf Brandt said the plan would go ahead.\n",
        false,
    );
    let title = parsed["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["in_title"] == true)
        .expect("headline quote");
    assert_ne!(title["speaker"], "Verdan Shipping Company", "{parsed}");
    assert_eq!(title["speaker"], "Petra Lindqvist", "{parsed}");

    // The same words quoted nowhere in the body: no source rather than the subject.
    let parsed = parse(
        &f,
        "corpus/b.txt",
        "Brandt harbour plan 'a disgrace'\n\nOlaf Brandt defended the harbour plan on Monday.\n",
        false,
    );
    let title = &parsed["quotes"][0];
    assert_eq!(title["in_title"], true, "{parsed}");
    assert_eq!(title["speaker"], Value::Null, "{parsed}");
}

#[test]
fn a_quote_names_its_pattern_and_confidence_and_explain_lists_candidates() {
    let f = Fixture::empty();
    let text = "Council backs plan\n\n\"We will build the homes,\" said Anna Berg, the \
                council leader.\n";
    let parsed = parse(&f, "corpus/c.txt", text, false);
    let q = &parsed["quotes"][0];
    assert_eq!(q["speaker"], "Anna Berg", "{parsed}");
    assert_eq!(q["pattern"], "cue-after", "{parsed}");
    let confidence = q["confidence"].as_f64().expect("a confidence");
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");
    assert!(
        q.get("candidates").is_none(),
        "candidates only with --explain"
    );

    let parsed = parse(&f, "corpus/c.txt", text, true);
    let cands = parsed["quotes"][0]["candidates"]
        .as_array()
        .expect("candidates");
    let berg = cands
        .iter()
        .find(|c| c["speaker"] == "Anna Berg")
        .expect("Anna Berg is a candidate");
    assert!(berg["patterns"]
        .as_array()
        .unwrap()
        .contains(&Value::from("cue-after")));
    assert!(berg["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["name"] == "pat:cue-after"));
}

#[test]
fn the_object_of_a_speech_verb_is_not_its_speaker() {
    let f = Fixture::empty();
    let parsed = parse(
        &f,
        "corpus/d.txt",
        "Senator attacks rival\n\n\
         Senator Mara Quill criticised Governor Tomas Eder on Tuesday, calling his budget \
         \"a reckless gamble with the state's future\".\n",
        false,
    );
    assert_ne!(
        speaker_of(&parsed, "a reckless"),
        Some("Tomas Eder"),
        "{parsed}"
    );
}
