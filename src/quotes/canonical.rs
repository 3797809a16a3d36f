//! One person, one name: the key under which a speaker is indexed and counted, and the test
//! of whether a speaker string is the name of a person or an organisation at all.
//!
//! The extractor gives the fullest name an article uses, and articles write one person many
//! ways. On the PolNeAR corpus the top 50 of `speakers` held Donald Trump four times
//! ("Donald Trump", "Donald J Trump", "Donald J Trump's", "Republican Donald Trump") and
//! strings such as "of State Hillary Clinton"; on BBC, "Grand Slam", "American", "US" and
//! "Nottingham". The rules (also in the README):
//! * [`canonical_key`] drops surrounding punctuation, a possessive 's, leading lower-case
//!   words, everything up to a courtesy title (`data/names/courtesy-titles.txt`) or an inner
//!   possessive ("Labour's Mr Livingstone" is "Livingstone"), party and office words before
//!   a full name (`descriptors.txt`: "Secretary of State Hillary Clinton" is "Hillary
//!   Clinton", but "State Department" stays, as what follows holds an organisation word),
//!   and middle initials ("Donald J. Trump" is "Donald Trump").
//! * [`surname_owner`]: a bare surname is the one full name among the others that ends in
//!   it, if there is exactly one (in an article at index time, in a result set when counting).
//! * [`is_listable`]: the name-shape checks `speakers` applies.

use super::name_lists::{
    COURTESY_TITLES, DEMONYMS, DESCRIPTORS, ENGLISH_WORDS, FIRST_NAMES, FUNCTION_WORDS,
    PEER_TITLES, PLACES, STATE_ABBREVIATIONS,
};
use super::names::{is_name_particle, is_org_word, is_press_name, lower, strip_possessive};
use super::SpeakerKind;

/// Lower-case words an organisation's name may hold ("Bank of England").
const CONNECTORS: [&str; 5] = ["of", "and", "the", "for", "&"];

/// Punctuation around a word that is not part of the name.
fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '"' | '(' | ')' | '[' | ']' | '\u{201c}' | '\u{201d}' | '!' | '?'
        )
    })
}

fn starts_lower(w: &str) -> bool {
    w.chars().next().is_some_and(|c| !c.is_uppercase())
}

/// "Mr", "Dr.", "Sir": a courtesy title, not part of a name.
pub fn is_courtesy_title(word: &str) -> bool {
    COURTESY_TITLES.contains(&lower(word))
}

/// "J", "J.": an initial.
fn is_initial(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// "Labour's", "Angeles-area": a word that says the rest of the name is described by it.
fn is_prefix_marker(w: &str) -> bool {
    (strip_possessive(w).len() < w.len() && w.ends_with('s'))
        || w.rsplit_once('-')
            .is_some_and(|(_, tail)| starts_lower(tail))
}

/// The key a speaker is indexed and counted under; see the module comment for the rules.
pub fn canonical_key(name: &str) -> String {
    let mut words: Vec<&str> = name
        .split_whitespace()
        .map(trim_word)
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(last) = words.last_mut() {
        *last = strip_possessive(last);
    }
    while words.len() > 1 && starts_lower(words[0]) {
        words.remove(0);
    }
    // Everything up to the last courtesy title or possessive that a name follows.
    let cut = (0..words.len().saturating_sub(1))
        .rev()
        .find(|&i| is_courtesy_title(words[i]) || is_prefix_marker(words[i]));
    if let Some(i) = cut {
        words.drain(..=i);
    }
    drop_descriptors(&mut words);
    if words.first().is_some_and(|w| is_initial(w)) {
        return words.join(" ");
    }
    let last = words.len().saturating_sub(1);
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| i == 0 || i == last || !is_initial(w))
        .map(|(_, w)| *w)
        .collect();
    kept.join(" ")
}

/// Least words a descriptor must leave: "Senator Smith" keeps its title, which tells who
/// is meant better than "Smith" alone.
const MIN_WORDS_AFTER_DESCRIPTOR: usize = 2;

/// Drops the words up to the last party or office word that a person's full name follows.
fn drop_descriptors(words: &mut Vec<&str>) {
    let Some(i) = (0..words.len()).rev().find(|&i| {
        let rest = &words[i + 1..];
        DESCRIPTORS.contains(&lower(words[i]))
            && rest.len() >= MIN_WORDS_AFTER_DESCRIPTOR
            && !starts_lower(rest[0])
            && (FIRST_NAMES.contains(&lower(rest[0]))
                || !rest.iter().any(|w| is_org_word(&lower(w))))
            && !DESCRIPTORS.contains(&lower(rest[0]))
    }) else {
        return;
    };
    words.drain(..=i);
}

/// The one name among `others` that `name`, a single word, is the surname of ("Obama" of
/// "Barack Obama"); `None` when no other name or more than one ends in it.
pub fn surname_owner<'a>(name: &str, others: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let mut found = None;
    for other in others {
        let ends_in = other
            .rsplit_once(' ')
            .is_some_and(|(_, last)| last.eq_ignore_ascii_case(name));
        if ends_in && found != Some(other) {
            if found.is_some() {
                return None;
            }
            found = Some(other);
        }
    }
    found
}

/// Each quote's speaker key in one article: [`canonical_key`], and a named speaker's bare
/// surname resolved to the article's one full name ending in it ("Obama" to "Barack Obama").
pub fn quote_keys(quotes: &[super::Quote]) -> Vec<Option<String>> {
    let keys: Vec<Option<String>> = quotes
        .iter()
        .map(|q| q.speaker.as_deref().map(canonical_key))
        .collect();
    let named = |q: &super::Quote| matches!(q.kind, SpeakerKind::Person | SpeakerKind::Org);
    let full: Vec<&str> = quotes
        .iter()
        .zip(&keys)
        .filter(|(q, _)| named(q))
        .filter_map(|(_, k)| k.as_deref())
        .filter(|k| k.contains(' '))
        .collect();
    quotes
        .iter()
        .zip(&keys)
        .map(|(q, k)| {
            let k = k.as_deref()?;
            let owner = named(q)
                .then(|| surname_owner(k, full.iter().copied()))
                .flatten();
            Some(owner.unwrap_or(k).to_string())
        })
        .collect()
}

/// A word that may stand lower case inside a name.
fn may_be_lower(w: &str) -> bool {
    is_name_particle(w) || CONNECTORS.contains(&w)
}

/// Whether `name`, a [`canonical_key`], has the shape of the name of a person or an
/// organisation: `speakers` lists nothing else.
pub fn is_listable(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    if starts_lower(first) {
        return false;
    }
    let lowers: Vec<String> = words.iter().map(|w| lower(strip_possessive(w))).collect();
    let whole = lowers.join(" ");
    let has_bad_word = words.iter().zip(&lowers).any(|(w, l)| {
        (starts_lower(w) && !may_be_lower(l)) || (!starts_lower(w) && FUNCTION_WORDS.contains(l))
    });
    if has_bad_word || PLACES.contains(&whole) || DEMONYMS.contains(&whole) {
        return false;
    }
    if let [only] = lowers.as_slice() {
        return !is_title_word(only) && !is_acronym_plural(first) && !is_state_abbreviation(first);
    }
    let titles_only = lowers.iter().all(|l| is_title_word(l));
    if titles_only || DESCRIPTORS.contains(lowers.last().map_or("", |l| l.as_str())) {
        return false;
    }
    if lowers.iter().any(|l| is_org_word(l)) || is_press_name(name) {
        return true;
    }
    let opens_a_name =
        FIRST_NAMES.contains(&lowers[0]) || is_title_word(&lowers[0]) || is_initial(first);
    // "Grand Slam", "Outside Carrier": every word a common word, none a given name.
    opens_a_name || !lowers.iter().all(|l| ENGLISH_WORDS.contains(l))
}

fn is_title_word(l: &str) -> bool {
    COURTESY_TITLES.contains(l) || PEER_TITLES.contains(l) || DESCRIPTORS.contains(l)
}

/// "OH", "Calif.", "N.C.": a state's abbreviation. Two-letter codes count only in capitals,
/// so the surname "Ma" stays a name while "MA" is Massachusetts.
fn is_state_abbreviation(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    let is_code = w.len() == 2;
    (!is_code || w.chars().all(|c| c.is_ascii_uppercase()))
        && STATE_ABBREVIATIONS.contains(&lower(w))
}

/// `R-Pa.`, `D-N.Y.`, `I-Vt`: the party and state written after a US politician's name
/// (AP style), an aside and never a name.
pub fn is_party_tag(w: &str) -> bool {
    let Some((party, state)) = w.split_once('-') else {
        return false;
    };
    let state = state.trim_end_matches('.');
    matches!(party, "R" | "D" | "I")
        && state.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && STATE_ABBREVIATIONS.contains(&lower(state))
}

/// A place written as an aside after a person's name (`Harry Bond, of Raleigh, N.C., said`):
/// a state's abbreviation in any case (the aside's commas tell it from a surname) or a
/// listed place.
pub fn is_place_aside(words: &[String]) -> bool {
    match words {
        [w] if STATE_ABBREVIATIONS.contains(&lower(w.trim_end_matches('.'))) => true,
        _ => PLACES.contains(&lower(&words.join(" "))),
    }
}

/// "MPs", "CEOs": a group of people, not a name.
fn is_acronym_plural(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|stem| {
        stem.chars().count() >= 2 && stem.chars().all(|c| c.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_and_state_tags() {
        for w in ["R-Pa.", "D-Calif", "I-Vt.", "R-N.C."] {
            assert!(is_party_tag(w), "{w}");
        }
        for w in ["Al-Assad", "R-Rated", "Jean-Pierre", "D-Day"] {
            assert!(!is_party_tag(w), "{w}");
        }
    }

    #[test]
    fn variants_of_a_name_share_one_key() {
        for variant in [
            "Donald Trump",
            "Donald J Trump",
            "Donald J. Trump's",
            "Republican Donald Trump",
            "Mr Donald Trump",
            "Republican presidential nominee Donald Trump",
        ] {
            assert_eq!(canonical_key(variant), "Donald Trump", "{variant}");
        }
        assert_eq!(canonical_key("of State Hillary Clinton"), "Hillary Clinton");
        assert_eq!(
            canonical_key("Secretary of State Hillary Clinton"),
            "Hillary Clinton"
        );
        assert_eq!(canonical_key("Sir Alex Ferguson"), "Alex Ferguson");
        assert_eq!(canonical_key("Labour's Mr Livingstone"), "Livingstone");
        assert_eq!(
            canonical_key("Atlantic City Mayor Don Guardian"),
            "Don Guardian"
        );
        assert_eq!(canonical_key("Mr. Blair,"), "Blair");
    }

    #[test]
    fn names_that_are_not_variants_keep_their_words() {
        assert_eq!(canonical_key("Lord Falconer"), "Lord Falconer");
        assert_eq!(canonical_key("State Department"), "State Department");
        assert_eq!(canonical_key("Senator Smith"), "Senator Smith");
        assert_eq!(
            canonical_key("Democratic National Committee"),
            "Democratic National Committee"
        );
        assert_eq!(canonical_key("J K Rowling"), "J K Rowling");
        assert_eq!(canonical_key("Mr"), "Mr");
        assert_eq!(canonical_key("Bill de Blasio"), "Bill de Blasio");
        assert_eq!(canonical_key(""), "");
    }

    #[test]
    fn a_bare_surname_belongs_to_the_one_full_name_ending_in_it() {
        let names = ["Barack Obama", "Donald Trump", "Ivanka Trump", "Obama"];
        assert_eq!(surname_owner("Obama", names), Some("Barack Obama"));
        assert_eq!(surname_owner("obama", names), Some("Barack Obama"));
        assert_eq!(surname_owner("Trump", names), None, "two Trumps");
        assert_eq!(surname_owner("Clinton", names), None);
        assert_eq!(surname_owner("Barack Obama", names), None);
    }

    fn quote(speaker: &str, kind: SpeakerKind) -> super::super::Quote {
        super::super::Quote {
            text: String::new(),
            speaker: Some(speaker.to_string()),
            kind,
            cue: String::new(),
            description: None,
            start: 0,
            end: 0,
            in_title: false,
            pattern: None,
            confidence: None,
            candidates: Vec::new(),
        }
    }

    #[test]
    fn an_article_resolves_a_bare_surname_to_its_full_name() {
        let quotes = [
            quote("Barack Obama", SpeakerKind::Person),
            quote("Mr Obama", SpeakerKind::Person),
            quote("Obama", SpeakerKind::Unnamed),
            quote("Trump", SpeakerKind::Person),
        ];
        let keys = quote_keys(&quotes);
        let keys: Vec<&str> = keys.iter().map(|k| k.as_deref().unwrap()).collect();
        assert_eq!(keys, ["Barack Obama", "Barack Obama", "Obama", "Trump"]);
    }

    #[test]
    fn people_and_organisations_are_listed() {
        for name in [
            "Tony Blair",
            "Blair",
            "Lord Falconer",
            "Arsene Wenger",
            "Bill de Blasio",
            "Bank of England",
            "Fox News",
            "Lib Dems",
            "BBC",
            "Jack Straw",
            "Senator Smith",
            "Ma",
        ] {
            assert!(is_listable(name), "{name}");
        }
    }

    #[test]
    fn strings_that_are_not_names_are_not_listed() {
        for name in [
            "Grand Slam",
            "an ironic",
            "American",
            "US",
            "Nottingham",
            "United States",
            "Outside Carrier",
            "MPs",
            "Was Germaine Greer",
            "National Review Crowd Does Not Like",
            "Hampshire Democrat",
            "Republican",
            "Prime Minister",
            "OH",
            "Mass",
            "Calif.",
            "N.C",
            "",
        ] {
            assert!(!is_listable(name), "{name}");
        }
    }
}
