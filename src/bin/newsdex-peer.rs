//! The `search` side of the peer benchmark interface (`shared/bench/peers/README.md`), run
//! through newsdex's own search path ([`Engine::search_snippets_for`]): query parsing, BM25
//! with the article field boosts, and newsdex's snippet of the top hit.
//!
//! ```text
//! newsdex-peer search INDEX_DIR QUERY_FILE [--k 10] [--warmup N] [--warmup-seconds S]
//!                     [--passes P] [--no-snippet] [--all-snippets]
//! newsdex-peer version
//! ```
//!
//! Per query one JSON line on stdout, `{"query", "hits": [{"path", "score"}], "snippet"}`;
//! at the end one `total_query_seconds=...` line on stderr. A line wrapped in double quotes
//! is a phrase; any other line is the AND of its words, each passed quoted so that no query
//! syntax (`field:`, `-`, `OR`, parentheses) takes effect. `--all-snippets` builds a snippet
//! for every hit, as `newsdex search` does, and still prints the top hit's.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use newsdex::index::NewsIndex;
use newsdex::search::{Engine, SearchOptions, Snippet};

// The same allocator as the `newsdex` binary, so that the peer measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    index: PathBuf,
    queries: PathBuf,
    k: usize,
    warmup: usize,
    warmup_seconds: f64,
    passes: usize,
    snippet: bool,
    all_snippets: bool,
}

const USAGE: &str = "usage: newsdex-peer search INDEX_DIR QUERY_FILE [--k 10] [--warmup N] \
                     [--warmup-seconds S] [--passes P] [--no-snippet] [--all-snippets]";

fn parse_args(argv: &[String]) -> Result<Args> {
    let mut pos = Vec::new();
    let mut a = Args {
        index: PathBuf::new(),
        queries: PathBuf::new(),
        k: 10,
        warmup: 0,
        warmup_seconds: 0.0,
        passes: 1,
        snippet: true,
        all_snippets: false,
    };
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |n: &str| -> Result<String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .with_context(|| format!("{n} needs a value")),
            }
        };
        match name {
            "--k" => a.k = value(name)?.parse().context("--k")?,
            "--warmup" => a.warmup = value(name)?.parse().context("--warmup")?,
            "--warmup-seconds" => {
                a.warmup_seconds = value(name)?.parse().context("--warmup-seconds")?
            }
            "--passes" => a.passes = value(name)?.parse().context("--passes")?,
            "--no-snippet" => a.snippet = false,
            "--all-snippets" => a.all_snippets = true,
            n if n.starts_with("--") => bail!("unknown option {n}\n{USAGE}"),
            _ => pos.push(arg.clone()),
        }
    }
    if pos.len() != 2 {
        bail!("{USAGE}");
    }
    a.index = PathBuf::from(&pos[0]);
    a.queries = PathBuf::from(&pos[1]);
    a.passes = a.passes.max(1);
    Ok(a)
}

/// A query line of the interface turned into newsdex query syntax: `None` when nothing is
/// left to search for.
pub fn to_newsdex_query(line: &str) -> Option<String> {
    let t = line.trim();
    let clean = |w: &str| w.replace(['"', '\\'], " ");
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        let inner = clean(&t[1..t.len() - 1]);
        let words: Vec<&str> = inner.split_whitespace().collect();
        return (!words.is_empty()).then(|| format!("\"{}\"", words.join(" ")));
    }
    let words: Vec<String> = t
        .split_whitespace()
        .map(clean)
        .map(|w| w.trim().to_string())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Snippet text with its highlights wrapped in `<b>`, HTML-escaped like tantivy's `to_html`.
fn snippet_html(s: &Snippet) -> String {
    fn esc(out: &mut String, t: &str) {
        for c in t.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#x27;"),
                c => out.push(c),
            }
        }
    }
    let mut out = String::with_capacity(s.text.len() + 16);
    let mut at = 0;
    for &[a, b] in &s.highlights {
        if a < at || b > s.text.len() || a > b {
            continue;
        }
        esc(&mut out, &s.text[at..a]);
        out.push_str("<b>");
        esc(&mut out, &s.text[a..b]);
        out.push_str("</b>");
        at = b;
    }
    esc(&mut out, &s.text[at..]);
    out
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

struct Query {
    raw: String,
    q: Option<String>,
}

fn run_one(engine: &Engine, q: &Query, a: &Args, opts: &SearchOptions) -> String {
    let mut line = format!("{{\"query\": {}, \"hits\": [", json_str(&q.raw));
    let mut snippet = None;
    if let Some(qs) = &q.q {
        let n_snip = match (a.snippet, a.all_snippets) {
            (false, _) => 0,
            (true, true) => usize::MAX,
            (true, false) => 1,
        };
        match engine.search_snippets_for(qs, opts, n_snip) {
            Ok(r) => {
                for (i, h) in r.hits.iter().enumerate() {
                    if i > 0 {
                        line.push_str(", ");
                    }
                    line.push_str(&format!(
                        "{{\"path\": {}, \"score\": {}}}",
                        json_str(&h.path),
                        serde_json::Value::from(h.score)
                    ));
                }
                if a.snippet {
                    snippet = r.hits.first().map(|h| snippet_html(&h.snippet));
                }
            }
            Err(e) => eprintln!("query error (no hits): {qs}: {e:#}"),
        }
    }
    line.push(']');
    if a.snippet {
        match snippet {
            Some(s) => line.push_str(&format!(", \"snippet\": {}", json_str(&s))),
            None => line.push_str(", \"snippet\": null"),
        }
    }
    line.push('}');
    line
}

fn search(argv: &[String]) -> Result<()> {
    let a = parse_args(argv)?;
    let text = std::fs::read_to_string(&a.queries)
        .with_context(|| format!("cannot read {}", a.queries.display()))?;
    let queries: Vec<Query> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| Query {
            raw: l.to_string(),
            q: to_newsdex_query(l),
        })
        .collect();

    let t0 = Instant::now();
    let engine = Engine::open(NewsIndex::open(Path::new(&a.index))?)?;
    let open_seconds = t0.elapsed().as_secs_f64();
    let opts = SearchOptions {
        limit: a.k.max(1),
        offset: 0,
        snippets: a.snippet,
        count_total: false,
        ..Default::default()
    };

    let mut warm = 0usize;
    let tw = Instant::now();
    while !queries.is_empty() && (warm < a.warmup || tw.elapsed().as_secs_f64() < a.warmup_seconds)
    {
        for q in &queries {
            std::hint::black_box(run_one(&engine, q, &a, &opts));
        }
        warm += 1;
    }

    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut times = Vec::with_capacity(a.passes);
    for pass in 0..a.passes {
        let t = Instant::now();
        for q in &queries {
            let line = run_one(&engine, q, &a, &opts);
            if pass == 0 {
                writeln!(out, "{line}")?;
            } else {
                std::hint::black_box(line);
            }
        }
        if pass == 0 {
            out.flush()?;
        }
        times.push(t.elapsed().as_secs_f64());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let list: Vec<String> = times.iter().map(|t| format!("{t:.6}")).collect();
    eprintln!(
        "total_query_seconds={:.6} queries={} k={} warmup={} passes={} open_seconds={:.6} pass_seconds={}",
        sorted[sorted.len() / 2],
        queries.len(),
        a.k,
        warm,
        times.len(),
        open_seconds,
        list.join(",")
    );
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let r = match argv.first().map(String::as_str) {
        Some("search") => search(&argv[1..]),
        Some("version") => {
            println!(
                "newsdex {} (tantivy 0.27, native Rust)",
                env!("CARGO_PKG_VERSION")
            );
            Ok(())
        }
        _ => Err(anyhow::anyhow!("{USAGE}\n       newsdex-peer version")),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsdex-peer: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_phrases_kept() {
        assert_eq!(
            to_newsdex_query("title:x +a -b").as_deref(),
            Some("\"title:x\" \"+a\" \"-b\"")
        );
        assert_eq!(
            to_newsdex_query("\"tony blair\"").as_deref(),
            Some("\"tony blair\"")
        );
        assert_eq!(to_newsdex_query("a\"b").as_deref(), Some("\"a b\""));
        assert_eq!(to_newsdex_query("- +"), None);
        assert_eq!(to_newsdex_query("\"\""), None);
    }

    #[test]
    fn snippet_is_escaped_and_bold() {
        let s = Snippet {
            text: "a <b> & cat".into(),
            highlights: vec![[8, 11]],
        };
        assert_eq!(snippet_html(&s), "a &lt;b&gt; &amp; <b>cat</b>");
    }
}
