//! Human-readable output for a terminal or a pager.

use std::fmt::Write;

use super::escape::{for_terminal, path_for_terminal};
use crate::search::{ArticleHit, QuoteHit, Snippet, SpeakerCount};

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
        let _ = writeln!(out, "     {}", self.paint(DIM, &path_for_terminal(&h.path)));
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
                    "{} ({})",
                    for_terminal(&h.title),
                    path_for_terminal(&h.path)
                )
            )
        );
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
