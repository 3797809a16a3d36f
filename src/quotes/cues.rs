//! The speech-verb lexicon: verbs (all tenses, British and American spellings) that link a
//! quotation to its source.

use super::lexicon;
use super::wordset::{self, WordSet};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Regular verbs: every form is made from the base.
static REGULAR: WordSet = WordSet::file(lexicon::SPEECH_VERBS);

/// Verbs that, in bare form right after a determiner, are usually nouns ("the claims").
static NOUNY: WordSet = WordSet::file(lexicon::SPEECH_VERBS_NOUNY);

/// Verbs that double their final consonant ("admitted").
static DOUBLE: WordSet = WordSet::file(lexicon::VERBS_DOUBLE_FINAL);

fn forms(base: &str) -> Vec<String> {
    let mut v = vec![base.to_string()];
    let b = base.as_bytes();
    let last = *b.last().unwrap_or(&b'x');
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    if DOUBLE.contains(&base) {
        let d = format!("{base}{}", last as char);
        v.push(format!("{base}s"));
        v.push(format!("{d}ed"));
        v.push(format!("{d}ing"));
    } else if last == b'e' {
        let stem = &base[..base.len() - 1];
        v.push(format!("{base}s"));
        v.push(format!("{base}d"));
        v.push(format!("{stem}ing"));
    } else if last == b'y' && b.len() > 1 && !vowel(b[b.len() - 2]) {
        let stem = &base[..base.len() - 1];
        v.push(format!("{stem}ies"));
        v.push(format!("{stem}ied"));
        v.push(format!("{base}ing"));
    } else if base.ends_with("sh") || base.ends_with("ch") || last == b's' || last == b'x' {
        v.push(format!("{base}es"));
        v.push(format!("{base}ed"));
        v.push(format!("{base}ing"));
    } else {
        v.push(format!("{base}s"));
        v.push(format!("{base}ed"));
        v.push(format!("{base}ing"));
    }
    v
}

fn table() -> &'static FxHashMap<String, &'static str> {
    static T: OnceLock<FxHashMap<String, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = FxHashMap::default();
        for b in REGULAR.words() {
            for f in forms(b) {
                m.entry(f).or_insert(b);
            }
        }
        // irregular forms: "form base" a line
        for line in wordset::entries(lexicon::SPEECH_VERBS_IRREGULAR) {
            if let Some((f, b)) = line.split_once(' ') {
                m.insert(f.to_string(), b.trim());
            }
        }
        m
    })
}

/// The base of a speech verb form (`"warned"` -> `"warn"`), for a lower-case word.
pub fn speech_base(lower: &str) -> Option<&'static str> {
    table().get(lower).copied()
}

/// True for a form that is often a noun after a determiner ("his claims", "the report").
pub fn nouny(lower: &str) -> bool {
    match speech_base(lower) {
        Some(b) => NOUNY.contains(&b) && !lower.ends_with("ed") && !lower.ends_with("ing"),
        None => false,
    }
}

/// Verbs that credit words to a source but also name things (`a film called "X"`).
pub fn naming_verb(base: &str) -> bool {
    matches!(base, "call" | "dub" | "label" | "brand")
}

/// Weak verbs: credit fragments ("thinks", "hopes"), never introduce a full quotation alone.
/// Saying verbs that invert with a named subject after them (`"…," says BT`).
pub fn inverts(base: &str) -> bool {
    matches!(
        base,
        "say" | "add" | "write" | "argue" | "explain" | "insist"
    )
}

pub fn weak_verb(base: &str) -> bool {
    matches!(
        base,
        "think"
            | "believe"
            | "hope"
            | "fear"
            | "feel"
            | "welcome"
            | "accept"
            | "cite"
            | "set"
            | "put"
            | "hit"
            | "highlight"
            | "reason"
            | "question"
            | "wonder"
            | "estimate"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        for w in [
            "said",
            "says",
            "told",
            "added",
            "adding",
            "warned",
            "insisted",
            "claimed",
            "tweeted",
            "wrote",
            "criticised",
            "criticized",
            "admitted",
            "quipped",
            "denied",
            "replies",
            "urging",
            "stressed",
            "smiles",
        ] {
            assert!(speech_base(w).is_some(), "{w}");
        }
        assert_eq!(speech_base("adding"), Some("add"));
        assert!(speech_base("table").is_none());
        assert!(table().len() > 400);
    }
}
