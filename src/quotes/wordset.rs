//! Constant word lists with hashed look-up, built on first use. The keys are short words
//! fixed at compile time, so a fast non-keyed hash (Fx) is safe and several times cheaper
//! than SipHash in the extractor's inner loops. A list comes either from the code or from a
//! lexicon file under `data/` (see `lexicon`), borrowed from the binary with no copy.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

enum Source {
    List(&'static [&'static str]),
    /// A lexicon file's text: `#` header lines, then one entry a line.
    File(&'static str),
}

pub struct WordSet {
    source: Source,
    set: OnceLock<FxHashSet<&'static str>>,
}

/// The entries of a lexicon file: every line that is neither blank nor a `#` comment,
/// trimmed.
pub fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl WordSet {
    pub const fn new(list: &'static [&'static str]) -> Self {
        WordSet {
            source: Source::List(list),
            set: OnceLock::new(),
        }
    }

    /// A set read from a lexicon file's text (`include_str!`).
    pub const fn file(text: &'static str) -> Self {
        WordSet {
            source: Source::File(text),
            set: OnceLock::new(),
        }
    }

    /// Every entry, in the order given.
    pub fn words(&self) -> Box<dyn Iterator<Item = &'static str>> {
        match self.source {
            Source::List(l) => Box::new(l.iter().copied()),
            Source::File(t) => Box::new(entries(t)),
        }
    }

    /// Same call shape as `slice.contains(&w)`.
    pub fn contains(&self, w: &&str) -> bool {
        self.set.get_or_init(|| self.words().collect()).contains(*w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sets_skip_header_and_blank_lines() {
        static S: WordSet = WordSet::file("# a header\n# licence: x\nalpha\n\n beta \n");
        assert!(S.contains(&"alpha"));
        assert!(S.contains(&"beta"));
        assert!(!S.contains(&"# a header"));
        assert!(!S.contains(&""));
        assert_eq!(S.words().count(), 2);
    }
}
