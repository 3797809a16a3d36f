//! Human-readable output for a terminal or a pager.

use std::fmt::Write;

use super::escape::{for_terminal, path_for_terminal};
use crate::search::meta::ValueCount;
use crate::search::{ArticleHit, CountResults, QuoteHit, Snippet, SpeakerCount};

/// Width of the longest bar of a histogram, in characters.
const BAR_WIDTH: u64 = 50;
/// Values of a facet listed on a terminal; the rest are summed on one line (`--json` lists
/// them all).
const FACET_ROWS: usize = 20;

/// `2016-06-21, Gazette`: the date and source of a hit, where known.
fn dateline(date: Option<&str>, source: Option<&str>) -> String {
    let parts: Vec<String> = [date, source]
        .into_iter()
        .flatten()
        .map(|s| for_terminal(s).into_owned())
        .collect();
    parts.join(", ")
}

/// The file of a hit as it can be opened: its location on disk, else its key.
/// Paths of a hit's copies named on its "also in" line; `search --json` lists more.
const ALSO_IN_SHOWN: usize = 3;

/// "also in 2 files: a.txt, b.txt" for a hit with copies folded into it.
fn also_in(h: &ArticleHit) -> String {
    let n = h.duplicates;
    let shown: Vec<String> = h
        .also_in
        .iter()
        .take(ALSO_IN_SHOWN)
        .map(|p| path_for_terminal(p).into_owned())
        .collect();
    let more = n.saturating_sub(shown.len());
    let mut line = format!(
        "also in {n} file{}: {}",
        if n == 1 { "" } else { "s" },
        shown.join(", ")
    );
    if more > 0 {
        let _ = write!(line, " and {more} more");
    }
    line
}

fn where_is<'a>(path: &'a str, location: &'a Option<String>) -> &'a str {
    location.as_deref().unwrap_or(path)
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    /// Highlights become colour on a terminal and `[...]` when piped, so matches stay visible
    /// in plain text.
    pub fn snippet(&self, s: &Snippet) -> String {
        let mut out = String::with_capacity(s.text.len() + 16);
        let mut pos = 0;
        for &[a, b] in &s.highlights {
            if a < pos
                || b > s.text.len()
                || !s.text.is_char_boundary(a)
                || !s.text.is_char_boundary(b)
            {
                continue;
            }
            out.push_str(&for_terminal(&s.text[pos..a]));
            let m = for_terminal(&s.text[a..b]);
            if self.color {
                let _ = write!(out, "{MATCH}{m}{RESET}");
            } else {
                let _ = write!(out, "[{m}]");
            }
            pos = b;
        }
        out.push_str(&for_terminal(&s.text[pos..]));
        out
    }

    pub fn article_hit(&self, h: &ArticleHit) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:>3}. {}  {}",
            h.rank,
            self.paint(BOLD, &for_terminal(&h.title)),
            self.paint(DIM, &format!("{:.2}", h.score))
        );
        let mut place = path_for_terminal(where_is(&h.path, &h.location)).into_owned();
        let when = dateline(h.date.as_deref(), h.source.as_deref());
        if !when.is_empty() {
            place = format!("{place}  ({when})");
        }
        let _ = writeln!(out, "     {}", self.paint(DIM, &place));
        if h.duplicates > 0 {
            let _ = writeln!(out, "     {}", self.paint(DIM, &also_in(h)));
        }
        if !h.snippet.text.is_empty() {
            let _ = writeln!(out, "     {}", self.snippet(&h.snippet));
        }
        if let Some(q) = &h.quote {
            let who = q
                .speaker
                .as_deref()
                .map(for_terminal)
                .unwrap_or("unknown speaker".into());
            let _ = writeln!(
                out,
                "     \u{201c}{}\u{201d} \u{2014} {}",
                self.snippet(&q.quote),
                self.paint(BOLD, &who)
            );
        }
        out
    }

    pub fn quote_hit(&self, h: &QuoteHit) -> String {
        let mut out = String::new();
        let who = match &h.speaker {
            Some(s) => for_terminal(s).into_owned(),
            None => "(unknown speaker)".to_string(),
        };
        let _ = writeln!(
            out,
            "{:>3}. {}  {}",
            h.rank,
            self.paint(BOLD, &who),
            self.paint(DIM, &format!("{:.2}", h.score))
        );
        let _ = writeln!(out, "     \u{201c}{}\u{201d}", self.snippet(&h.quote));
        if let Some(c) = &h.context {
            let _ = writeln!(
                out,
                "     {} {}",
                self.paint(DIM, "context:"),
                for_terminal(c)
            );
        }
        let _ = writeln!(
            out,
            "     {}",
            self.paint(
                DIM,
                &format!(
                    "{} ({}{})",
                    for_terminal(&h.title),
                    path_for_terminal(where_is(&h.path, &h.location)),
                    match dateline(h.date.as_deref(), h.source.as_deref()) {
                        w if w.is_empty() => w,
                        w => format!(", {w}"),
                    }
                )
            )
        );
        out
    }

    /// Facet counts as lists of values, and a histogram as a bar chart, below the hits.
    pub fn counts(&self, c: &CountResults, noun: &str) -> String {
        let mut out = String::new();
        for f in &c.facets {
            let _ = writeln!(
                out,
                "\n{} ({noun} per {}):",
                self.paint(BOLD, f.facet.name()),
                f.facet.name()
            );
            let shown = &f.values[..f.values.len().min(FACET_ROWS)];
            let width = label_width(shown);
            for v in shown {
                let _ = writeln!(out, "  {:<width$}  {:>6}", for_terminal(&v.value), v.count);
            }
            let more = &f.values[shown.len()..];
            if !more.is_empty() {
                let n: u64 = more.iter().map(|v| v.count).sum();
                let label = format!("({} more)", more.len());
                let _ = writeln!(out, "  {label:<width$}  {n:>6}");
            }
            if f.missing > 0 {
                let none = format!("(no {})", f.facet.name());
                let _ = writeln!(out, "  {:<width$}  {:>6}", none, f.missing);
            }
        }
        if let Some(h) = &c.histogram {
            let _ = writeln!(
                out,
                "\n{} ({noun} per {}):",
                self.paint(BOLD, "histogram"),
                h.period.name()
            );
            let most = h.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
            let width = label_width(&h.bins);
            for b in &h.bins {
                // A period with any match shows at least one mark.
                let len = (b.count * BAR_WIDTH).div_ceil(most) as usize;
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:>6} {}",
                    b.value,
                    b.count,
                    "#".repeat(len)
                );
            }
            if h.missing > 0 {
                let _ = writeln!(out, "  {:<width$}  {:>6}", "(no date)", h.missing);
            }
        }
        out
    }

    pub fn speaker_row(&self, s: &SpeakerCount) -> String {
        format!(
            "{:>3}. {:<32} {:>5} quote{} in {} article{}\n",
            s.rank,
            for_terminal(&s.speaker),
            s.quotes,
            if s.quotes == 1 { " " } else { "s" },
            s.articles,
            if s.articles == 1 { "" } else { "s" }
        )
    }
}

/// The width of the widest value label, for aligned columns (at least "(no category)").
fn label_width(values: &[ValueCount]) -> usize {
    const MIN_LABEL_WIDTH: usize = 13;
    const MAX_LABEL_WIDTH: usize = 40;
    values
        .iter()
        .map(|v| v.value.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(MIN_LABEL_WIDTH, MAX_LABEL_WIDTH)
}
