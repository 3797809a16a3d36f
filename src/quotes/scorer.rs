//! The speaker scorer: a logistic regression over the features of each candidate speaker.
//!
//! The patterns in `attribution::patterns` propose candidates; several patterns may propose
//! the same person, and each candidate is one distinct name. The scorer turns a candidate's
//! features into a probability that it is the quote's source, the best candidate wins, and a
//! winner below [`Weights::threshold`] is not named at all: a journalist publishes on this,
//! and a wrong name is worse than none.
//!
//! The weights are learned from PolNeAR's human attributions (`polnear-train.jsonl`) by
//! `scripts/train-scorer.py` and ship as `data/scorer-weights.tsv`; see the README's
//! "Who said what" section for the figures on every gold set.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

/// The trained weights, one `feature<TAB>weight` per line; `# ` lines are comments.
const WEIGHTS_TSV: &str = include_str!("data/scorer-weights.tsv");

/// Name of the line in the weights file that holds the abstention threshold (a probability).
const THRESHOLD_KEY: &str = "__threshold__";
/// Name of the line that holds the intercept.
const BIAS_KEY: &str = "__bias__";
/// Joins two feature names into the name of their conjunction (`a & b`, `a` < `b`): the
/// weight applies when both are present, times the product of their values.
pub const CONJUNCTION: &str = " & ";

/// One named feature and its value (binary features are 1.0). Names come from fixed sets,
/// so they are static: building a candidate's features allocates nothing but the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Feature {
    pub name: &'static str,
    pub value: f32,
}

/// A candidate's features, in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Features(pub Vec<Feature>);

impl Features {
    pub fn flag(&mut self, name: &'static str) {
        self.0.push(Feature { name, value: 1.0 });
    }

    pub fn value(&mut self, name: &'static str, value: f32) {
        self.0.push(Feature { name, value });
    }
}

/// A candidate source of a quote as the scorer saw it, for `parse --explain`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoredCandidate {
    pub speaker: String,
    /// The patterns that proposed it, most precise first.
    pub patterns: Vec<&'static str>,
    pub probability: f32,
    pub features: Features,
}

/// Learned weights and the abstention threshold.
#[derive(Debug)]
pub struct Weights {
    bias: f32,
    /// Every feature name the file mentions, numbered.
    ids: FxHashMap<String, u32>,
    /// Weight of each feature alone, by number (0 for one seen only in conjunctions).
    single: Vec<f32>,
    /// Weight of a conjunction, keyed by [`pair_key`] of its two numbers.
    pairs: FxHashMap<u64, f32>,
    /// Below this probability the best candidate is not named.
    pub threshold: f32,
}

impl Weights {
    /// Parses the `feature<TAB>weight` format; an unreadable line is a bug in the data file.
    pub fn parse(tsv: &str) -> Result<Weights, String> {
        let mut w = Weights {
            bias: 0.0,
            ids: FxHashMap::default(),
            single: Vec::new(),
            pairs: FxHashMap::default(),
            threshold: 0.5,
        };
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab in {line:?}", n + 1))?;
            let value: f32 = value
                .trim()
                .parse()
                .map_err(|e| format!("line {}: {e} in {line:?}", n + 1))?;
            match name {
                THRESHOLD_KEY => w.threshold = value,
                BIAS_KEY => w.bias = value,
                _ => match name.split_once(CONJUNCTION) {
                    Some((a, b)) => {
                        let key = pair_key(w.id(a), w.id(b));
                        w.pairs.insert(key, value);
                    }
                    None => {
                        let id = w.id(name) as usize;
                        w.single[id] = value;
                    }
                },
            }
        }
        Ok(w)
    }

    /// The number of a feature name, given one on first sight.
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.single.len() as u32;
        self.ids.insert(name.to_string(), id);
        self.single.push(0.0);
        id
    }

    /// The weights shipped with newsdex.
    pub fn shipped() -> &'static Weights {
        static W: OnceLock<Weights> = OnceLock::new();
        W.get_or_init(|| Weights::parse(WEIGHTS_TSV).expect("data/scorer-weights.tsv is valid"))
    }

    /// Probability that the candidate with these features is the source.
    pub fn probability(&self, f: &Features) -> f32 {
        let mut z: f32 = self.bias;
        // (number, value) of each feature the weights know
        let known: Vec<(u32, f32)> =
            f.0.iter()
                .filter_map(|x| self.ids.get(x.name).map(|&id| (id, x.value)))
                .collect();
        for (i, &(a, va)) in known.iter().enumerate() {
            z += self.single[a as usize] * va;
            for &(b, vb) in &known[i + 1..] {
                if let Some(w) = self.pairs.get(&pair_key(a, b)) {
                    z += w * va * vb;
                }
            }
        }
        1.0 / (1.0 + (-z).exp())
    }
}

/// One key for the conjunction of two features, whatever their order.
fn pair_key(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_parse_and_have_a_threshold() {
        let w = Weights::parse(WEIGHTS_TSV).unwrap();
        assert!(w.threshold > 0.0 && w.threshold < 1.0, "{}", w.threshold);
        assert!(!w.single.is_empty() && !w.pairs.is_empty());
    }

    #[test]
    fn probability_follows_the_weights() {
        let w = Weights::parse("__bias__\t-1\npat:cue-after\t3\n__threshold__\t0.6\n").unwrap();
        let mut strong = Features::default();
        strong.flag("pat:cue-after");
        let none = Features::default();
        assert!(w.probability(&strong) > 0.8);
        assert!(w.probability(&none) < 0.3);
        assert_eq!(w.threshold, 0.6);
        // an unknown feature carries no weight
        let mut unknown = Features::default();
        unknown.flag("pat:never-trained");
        assert_eq!(w.probability(&unknown), w.probability(&none));
    }

    #[test]
    fn a_conjunction_applies_only_when_both_are_present() {
        let w = Weights::parse("z:b & a:a\t5\n").unwrap();
        let mut one = Features::default();
        one.flag("a:a");
        let mut both = one.clone();
        both.flag("z:b");
        assert_eq!(w.probability(&one), 0.5);
        assert!(w.probability(&both) > 0.99);
    }

    #[test]
    fn a_bad_line_is_an_error_naming_it() {
        let e = Weights::parse("__bias__\tx\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
