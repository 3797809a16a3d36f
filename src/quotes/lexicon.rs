//! The word lists of the quote extractor, as data files under `src/quotes/data/` compiled
//! into the binary with `include_str!` (no file access at run time).
//!
//! Each file opens with `#` lines saying what it holds, where it comes from (`source:`) and
//! under which licence (`licence:`), then one entry a line, lower case, sorted by byte and
//! without duplicates; the unit tests below hold every file to that. The first-name lists
//! are derived from the 1990 US Census lists by `scripts/first-names.py`; the others are the
//! project's own.

pub const TITLES_COURTESY: &str = include_str!("data/titles-courtesy.txt");
pub const TITLES_MALE: &str = include_str!("data/titles-male.txt");
pub const TITLES_FEMALE: &str = include_str!("data/titles-female.txt");
pub const ROLE_TITLES: &str = include_str!("data/role-titles.txt");
pub const ORG_WORDS: &str = include_str!("data/org-words.txt");
pub const CORPORATE_SUFFIXES: &str = include_str!("data/corporate-suffixes.txt");
pub const ORG_HEADS: &str = include_str!("data/org-heads.txt");
pub const ANON_HEADS: &str = include_str!("data/anon-heads.txt");
pub const COMMON_CAPS: &str = include_str!("data/common-caps.txt");
pub const DAYS_MONTHS: &str = include_str!("data/days-months.txt");
pub const FIRST_NAMES_MALE: &str = include_str!("data/first-names-male.txt");
pub const FIRST_NAMES_FEMALE: &str = include_str!("data/first-names-female.txt");
pub const SPEECH_VERBS: &str = include_str!("data/speech-verbs.txt");
/// Two words a line: an irregular form, then its base.
pub const SPEECH_VERBS_IRREGULAR: &str = include_str!("data/speech-verbs-irregular.txt");
pub const SPEECH_VERBS_NOUNY: &str = include_str!("data/speech-verbs-nouny.txt");
pub const VERBS_DOUBLE_FINAL: &str = include_str!("data/verbs-double-final.txt");
pub const MENTION_WORDS: &str = include_str!("data/mention-words.txt");
pub const WORK_MAKERS: &str = include_str!("data/work-makers.txt");
pub const MESSAGE_NOUNS: &str = include_str!("data/message-nouns.txt");

/// Every lexicon file with its name, for the checks.
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    ("titles-courtesy", TITLES_COURTESY),
    ("titles-male", TITLES_MALE),
    ("titles-female", TITLES_FEMALE),
    ("role-titles", ROLE_TITLES),
    ("org-words", ORG_WORDS),
    ("corporate-suffixes", CORPORATE_SUFFIXES),
    ("org-heads", ORG_HEADS),
    ("anon-heads", ANON_HEADS),
    ("common-caps", COMMON_CAPS),
    ("days-months", DAYS_MONTHS),
    ("first-names-male", FIRST_NAMES_MALE),
    ("first-names-female", FIRST_NAMES_FEMALE),
    ("speech-verbs", SPEECH_VERBS),
    ("speech-verbs-irregular", SPEECH_VERBS_IRREGULAR),
    ("speech-verbs-nouny", SPEECH_VERBS_NOUNY),
    ("verbs-double-final", VERBS_DOUBLE_FINAL),
    ("mention-words", MENTION_WORDS),
    ("work-makers", WORK_MAKERS),
    ("message-nouns", MESSAGE_NOUNS),
];

/// Checks one lexicon file's form: a header naming its source and licence, then entries in
/// strictly increasing byte order (sorted and without duplicates), each lower case.
#[cfg(test)]
pub fn check(text: &'static str) -> Result<(), String> {
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    for key in ["source:", "licence:"] {
        if !header.iter().any(|l| l.contains(key)) {
            return Err(format!("header has no `{key}` line"));
        }
    }
    let words: Vec<&str> = super::wordset::entries(text).collect();
    if words.is_empty() {
        return Err("no entries".into());
    }
    for w in &words {
        if w.chars().any(char::is_uppercase) {
            return Err(format!("`{w}` is not lower case"));
        }
    }
    if let Some(p) = words.windows(2).find(|p| p[0] >= p[1]) {
        let why = if p[0] == p[1] {
            "duplicate"
        } else {
            "unsorted"
        };
        return Err(format!("{why}: `{}` then `{}`", p[0], p[1]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn check_rejects_bad_files() {
        assert!(check("# source: x\n# licence: y\nalpha\nbeta\n").is_ok());
        assert!(check("# source: x\n# licence: y\nbeta\nalpha\n")
            .unwrap_err()
            .contains("unsorted"));
        assert!(check("# source: x\n# licence: y\nalpha\nalpha\n")
            .unwrap_err()
            .contains("duplicate"));
        assert!(check("# source: x\nalpha\n")
            .unwrap_err()
            .contains("licence"));
        assert!(check("# source: x\n# licence: y\nAlpha\n")
            .unwrap_err()
            .contains("lower case"));
    }

    #[test]
    fn every_lexicon_is_sorted_unique_and_sourced() {
        for (name, text) in ALL {
            if let Err(e) = check(text) {
                panic!("src/quotes/data/{name}.txt: {e}");
            }
        }
    }

    #[test]
    fn one_word_a_line_except_irregular_forms() {
        for (name, text) in ALL {
            let fields = if *name == "speech-verbs-irregular" {
                2
            } else {
                1
            };
            for e in crate::quotes::wordset::entries(text) {
                assert_eq!(e.split_whitespace().count(), fields, "{name}: `{e}`");
            }
        }
    }

    fn set(text: &'static str) -> HashSet<&'static str> {
        crate::quotes::wordset::entries(text).collect()
    }

    /// A first name is read with one sex, and never as a word another list claims.
    #[test]
    fn first_names_are_disjoint_from_each_other_and_other_lists() {
        let male = set(FIRST_NAMES_MALE);
        let female = set(FIRST_NAMES_FEMALE);
        assert!(male.is_disjoint(&female));
        for other in [
            COMMON_CAPS,
            DAYS_MONTHS,
            ROLE_TITLES,
            TITLES_COURTESY,
            ORG_WORDS,
        ] {
            let o = set(other);
            assert!(male.is_disjoint(&o) && female.is_disjoint(&o));
        }
        assert!(male.len() > 500 && female.len() > 500);
    }
}
