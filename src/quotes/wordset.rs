//! Constant word lists with hashed look-up, built on first use.

use std::collections::HashSet;
use std::sync::OnceLock;

pub struct WordSet {
    list: &'static [&'static str],
    set: OnceLock<HashSet<&'static str>>,
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
