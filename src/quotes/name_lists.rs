//! The word lists behind [`super::canonical`]: data files under `data/names/`, each opening
//! with a `# source:` line, then one lower-case entry per line, sorted and de-duplicated
//! (checked by the tests below). They are compiled in, split into lines on first use and
//! searched by bisection: hashing the 64,000 English words on every `speakers` run tripled
//! its time on PolNeAR (12 to 45 ms); splitting them takes well under a millisecond.

use std::sync::OnceLock;

/// One data file: its text, and its sorted entries, listed on first use.
pub struct NameList {
    text: &'static str,
    set: OnceLock<Vec<&'static str>>,
}

impl NameList {
    const fn new(text: &'static str) -> NameList {
        NameList {
            text,
            set: OnceLock::new(),
        }
    }

    /// The entries, without the header line.
    fn entries(&self) -> impl Iterator<Item = &'static str> {
        self.text.lines().skip(1).filter(|l| !l.is_empty())
    }

    /// Whether `lower` (already lower case) is an entry.
    pub fn contains(&self, lower: &str) -> bool {
        self.set
            .get_or_init(|| self.entries().collect())
            .binary_search(&lower)
            .is_ok()
    }
}

/// Mr, Dr, Sir: dropped from a name.
pub static COURTESY_TITLES: NameList =
    NameList::new(include_str!("../../data/names/courtesy-titles.txt"));
/// Republican, Secretary, Striker: dropped before a full name.
pub static DESCRIPTORS: NameList = NameList::new(include_str!("../../data/names/descriptors.txt"));
/// Lord, Baroness: kept, and allowed to open a name.
pub static PEER_TITLES: NameList = NameList::new(include_str!("../../data/names/peer-titles.txt"));
/// American, US: a country or its people, not a named source.
pub static DEMONYMS: NameList = NameList::new(include_str!("../../data/names/demonyms.txt"));
/// Countries, US states and large cities.
pub static PLACES: NameList = NameList::new(include_str!("../../data/names/places.txt"));
/// OH, Calif, N.C: a US state as written after a name ("Daniloff of Cambridge, Mass."),
/// never a speaker.
pub static STATE_ABBREVIATIONS: NameList =
    NameList::new(include_str!("../../data/names/us-state-abbreviations.txt"));
/// Given names (US Census).
pub static FIRST_NAMES: NameList = NameList::new(include_str!("../../data/names/first-names.txt"));
/// Lower-case English words.
pub static ENGLISH_WORDS: NameList =
    NameList::new(include_str!("../../data/names/english-words.txt"));
/// Was, Does, On: never a capitalised word of a name.
pub static FUNCTION_WORDS: NameList =
    NameList::new(include_str!("../../data/names/function-words.txt"));

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(&str, &NameList); 9] = [
        ("courtesy-titles", &COURTESY_TITLES),
        ("descriptors", &DESCRIPTORS),
        ("peer-titles", &PEER_TITLES),
        ("demonyms", &DEMONYMS),
        ("places", &PLACES),
        ("us-state-abbreviations", &STATE_ABBREVIATIONS),
        ("first-names", &FIRST_NAMES),
        ("english-words", &ENGLISH_WORDS),
        ("function-words", &FUNCTION_WORDS),
    ];

    #[test]
    fn every_list_says_where_it_comes_from() {
        for (name, list) in ALL {
            let header = list.text.lines().next().unwrap_or("");
            assert!(header.starts_with("# source: "), "{name}: {header:?}");
        }
    }

    #[test]
    fn every_list_is_sorted_unique_and_lower_case() {
        for (name, list) in ALL {
            let entries: Vec<&str> = list.entries().collect();
            assert!(!entries.is_empty(), "{name} is empty");
            for pair in entries.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{name}: {:?} before {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for e in &entries {
                assert_eq!(e.trim(), *e, "{name}: {e:?} has spaces around it");
                assert_eq!(e.to_lowercase(), *e, "{name}: {e:?} is not lower case");
            }
        }
    }

    #[test]
    fn look_up_is_by_the_lower_case_entry() {
        assert!(COURTESY_TITLES.contains("mr"));
        assert!(!COURTESY_TITLES.contains("Mr"));
        assert!(PLACES.contains("united states"));
        assert!(FIRST_NAMES.contains("gordon"));
    }
}
