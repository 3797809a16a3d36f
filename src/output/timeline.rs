//! `speakers --histogram`: who was quoted when, as a compact table on a terminal: one row
//! per speaker, one column per period, blank where the speaker was not quoted.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use super::escape::for_terminal;
use crate::search::speaker_dates::SpeakerHistogram;

/// Widest speaker name column, in characters; longer names are cut.
const MAX_NAME_CHARS: usize = 28;
/// Heading of the column of quotes without a date.
const UNDATED: &str = "no date";

/// The table, or nothing when no speaker has a quote.
pub(crate) fn table(rows: &[SpeakerHistogram]) -> String {
    // Period labels sort as text in time order: `2016`, `2016-06`, `2016-06-20`.
    let periods: BTreeSet<&str> = rows
        .iter()
        .flat_map(|r| r.histogram.bins.iter())
        .filter(|b| b.count > 0)
        .map(|b| b.value.as_str())
        .collect();
    let undated = rows.iter().any(|r| r.histogram.missing > 0);
    if periods.is_empty() && !undated {
        return String::new();
    }
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            for_terminal(&r.speaker)
                .chars()
                .take(MAX_NAME_CHARS)
                .collect()
        })
        .collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut out = format!("{:<name_width$}", "");
    for p in &periods {
        let _ = write!(out, "  {p}");
    }
    if undated {
        let _ = write!(out, "  {UNDATED}");
    }
    out.push('\n');
    for (r, name) in rows.iter().zip(&names) {
        let by_period: HashMap<&str, u64> = r
            .histogram
            .bins
            .iter()
            .map(|b| (b.value.as_str(), b.count))
            .collect();
        let _ = write!(out, "{name:<name_width$}");
        for p in &periods {
            let cell = match by_period.get(p) {
                Some(&n) if n > 0 => n.to_string(),
                _ => String::new(),
            };
            let _ = write!(out, "  {cell:>w$}", w = p.len());
        }
        if undated {
            let cell = match r.histogram.missing {
                0 => String::new(),
                n => n.to_string(),
            };
            let _ = write!(out, "  {cell:>w$}", w = UNDATED.len());
        }
        // Blank cells at the end of a row would leave trailing spaces.
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
    }
    out
}
