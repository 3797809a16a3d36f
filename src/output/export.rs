//! `export`: every hit of a query with its metadata, as CSV for a spreadsheet or as JSON
//! Lines. Rows are written as each page of hits arrives, so memory stays that of one page.
//!
//! The JSON Lines records are those of `search --json` and `quotes --json` (`"type":
//! "hit"`, `schema/search-hit.json` and `schema/quote-hit.json`), without the summary line.

use std::io::Write;

use anyhow::{Context, Result};

use super::json::{typed, FlatArticleHit, FlatQuoteHit};
use crate::cli::ExportFormat;
use crate::search::{ArticleHit, QuoteHit};

/// Joins the speakers of an article in one CSV cell.
const LIST_SEPARATOR: &str = "; ";

const ARTICLE_COLUMNS: [&str; 9] = [
    "rank", "score", "title", "date", "source", "category", "speakers", "path", "location",
];

const QUOTE_COLUMNS: [&str; 14] = [
    "rank", "score", "speaker", "quote", "context", "kind", "cue", "title", "date", "source",
    "path", "location", "start", "end",
];

/// Writes hits in one format; the CSV header is written before the first row.
pub(crate) enum Exporter<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(W),
}

fn cell(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

impl<W: Write> Exporter<W> {
    pub(crate) fn new(out: W, format: ExportFormat, quotes: bool) -> Result<Exporter<W>> {
        Ok(match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                let header: &[&str] = if quotes {
                    &QUOTE_COLUMNS
                } else {
                    &ARTICLE_COLUMNS
                };
                w.write_record(header)
                    .context("cannot write the CSV header")?;
                Exporter::Csv(Box::new(w))
            }
            ExportFormat::Ndjson => Exporter::Json(out),
        })
    }

    pub(crate) fn article(&mut self, h: &ArticleHit) -> Result<()> {
        if let Exporter::Json(w) = self {
            writeln!(w, "{}", typed("hit", &FlatArticleHit::from(h)))?;
            return Ok(());
        }
        let row = [
            h.rank.to_string(),
            format!("{:.4}", h.score),
            h.title.clone(),
            cell(&h.date).to_string(),
            cell(&h.source).to_string(),
            h.category.clone(),
            h.speakers.join(LIST_SEPARATOR),
            h.path.clone(),
            cell(&h.location).to_string(),
        ];
        self.write_row(&row)
    }

    pub(crate) fn quote(&mut self, h: &QuoteHit) -> Result<()> {
        if let Exporter::Json(w) = self {
            writeln!(w, "{}", typed("hit", &FlatQuoteHit::from(h)))?;
            return Ok(());
        }
        let row = [
            h.rank.to_string(),
            format!("{:.4}", h.score),
            cell(&h.speaker).to_string(),
            h.quote.text.clone(),
            cell(&h.context).to_string(),
            h.kind.clone(),
            h.cue.clone(),
            h.title.clone(),
            cell(&h.date).to_string(),
            cell(&h.source).to_string(),
            h.path.clone(),
            cell(&h.location).to_string(),
            h.start.to_string(),
            h.end.to_string(),
        ];
        self.write_row(&row)
    }

    fn write_row(&mut self, row: &[String]) -> Result<()> {
        match self {
            Exporter::Csv(w) => w.write_record(row).context("cannot write a CSV row"),
            Exporter::Json(_) => unreachable!("JSON records are written whole"),
        }
    }

    /// Flushes what is buffered; an error here (a full disk) is an error of the export.
    pub(crate) fn finish(self) -> Result<()> {
        match self {
            Exporter::Csv(mut w) => w.flush().context("cannot write the CSV output"),
            Exporter::Json(mut w) => w.flush().context("cannot write the output"),
        }
    }
}
