//! Constant word lists with hashed look-up, built on first use. The keys are short words
//! fixed at compile time, so a fast non-keyed hash (Fx) is safe and several times cheaper
//! than SipHash in the extractor's inner loops.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

pub struct WordSet {
    list: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(list: &'static [&'static str]) -> Self {
        WordSet {
            list,
            set: OnceLock::new(),
        }
    }

    /// Same call shape as `slice.contains(&w)`.
    pub fn contains(&self, w: &&str) -> bool {
        self.set
            .get_or_init(|| self.list.iter().copied().collect())
            .contains(*w)
    }
}
