//! An article's metadata (publication date, source, author, URL, language), each value with
//! the place it came from.
//!
//! Several places may give the same field. The most explicit wins, in this order:
//! 1. the fields of a JSON Lines record (the export says what the article is);
//! 2. a row of the corpus's `metadata.tsv`/`metadata.csv` (written for the corpus, so it
//!    overrides what the files say of themselves);
//! 3. a header block at the top of a text file (`Date:`, `By:`, `Source:`, `URL:` lines);
//! 4. Markdown front matter;
//! 5. in a saved web page, JSON-LD (`NewsArticle`: `datePublished`, `author.name`,
//!    `publisher.name`, `url`), then meta tags (`article:published_time`, `author`,
//!    `og:site_name`, `<link rel=canonical>`, `og:url`, `<html lang>`), then a byline the
//!    page shows in its text; JSON-LD is written for machines, so it is the most exact;
//! 6. a date in the file name.

use serde::Serialize;

use super::dates::{parse_date, Day};

/// Where a metadata value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Lowest precedence first: a later variant wins over an earlier one.
    FileName,
    /// A byline shown in a web page's text (`By Ann Lowe`), found by the readability pass.
    HtmlByline,
    /// A web page's meta tags (`article:published_time`, `og:site_name`, canonical link).
    HtmlMeta,
    /// A web page's JSON-LD block (`NewsArticle`).
    JsonLd,
    FrontMatter,
    Header,
    MetadataFile,
    Jsonl,
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// The metadata of one article. Every field is optional: most text files have none.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metadata {
    /// Publication date, shown as `YYYY-MM-DD`.
    #[serde(serialize_with = "day_as_text")]
    pub date: Option<Sourced<Day>>,
    /// The outlet or publisher.
    pub source: Option<Sourced<String>>,
    /// Bylines, in order; several authors are several entries.
    pub authors: Option<Sourced<Vec<String>>>,
    pub url: Option<Sourced<String>>,
    pub language: Option<Sourced<String>>,
}

fn day_as_text<S: serde::Serializer>(d: &Option<Sourced<Day>>, s: S) -> Result<S::Ok, S::Error> {
    d.as_ref()
        .map(|d| Sourced {
            value: d.value.to_string(),
            origin: d.origin,
        })
        .serialize(s)
}

/// Which metadata field a key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaField {
    Date,
    Source,
    Author,
    Url,
    Language,
}

impl MetaField {
    pub const ALL: [MetaField; 5] = [
        MetaField::Date,
        MetaField::Source,
        MetaField::Author,
        MetaField::Url,
        MetaField::Language,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MetaField::Date => "date",
            MetaField::Source => "source",
            MetaField::Author => "author",
            MetaField::Url => "url",
            MetaField::Language => "language",
        }
    }

    pub fn from_name(s: &str) -> Option<MetaField> {
        MetaField::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The key names export formats and corpora use for the field, recognised without
    /// configuration (compared without case).
    pub fn known_keys(self) -> &'static [&'static str] {
        match self {
            MetaField::Date => &[
                "date",
                "published",
                "date_publish",
                "pubdate",
                "published_at",
                "publication_date",
                "datepublished",
            ],
            MetaField::Source => &["source", "source_domain", "publisher", "outlet"],
            MetaField::Author => &["author", "authors", "byline", "by"],
            MetaField::Url => &["url", "link"],
            MetaField::Language => &["language", "lang"],
        }
    }

    /// The field a key names, without configuration.
    pub fn for_key(key: &str) -> Option<MetaField> {
        let key = key.trim().to_ascii_lowercase();
        MetaField::ALL
            .into_iter()
            .find(|f| f.known_keys().contains(&key.as_str()))
    }
}

/// Values that stand for "no author" in exports (PolNeAR writes `None`).
const NO_VALUE: &[&str] = &["none", "null", "n/a", "-", "unknown"];

fn is_no_value(s: &str) -> bool {
    let s = s.trim();
    s.is_empty() || NO_VALUE.iter().any(|n| n.eq_ignore_ascii_case(s))
}

/// Splits a byline into authors: `By Ann Lowe and Tom Reyes` is two. Commas separate
/// authors only when every part has a space (`Lowe, Ann` is one name).
pub fn split_authors(s: &str) -> Vec<String> {
    let s = s.trim();
    let s = s
        .strip_prefix("By ")
        .or_else(|| s.strip_prefix("by "))
        .or_else(|| s.strip_prefix("BY "))
        .unwrap_or(s);
    let mut out = Vec::new();
    for part in s.split(" and ").flat_map(|p| p.split(" & ")) {
        let commas: Vec<&str> = part.split([',', ';']).map(str::trim).collect();
        if commas.len() > 1 && commas.iter().all(|c| c.contains(' ') || c.is_empty()) {
            out.extend(
                commas
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .map(String::from),
            );
        } else if part.contains(';') {
            out.extend(
                commas
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .map(String::from),
            );
        } else {
            out.push(part.trim().to_string());
        }
    }
    out.retain(|a| !is_no_value(a));
    out
}

impl Metadata {
    /// Sets `field` from a text value. A date that cannot be read is returned as an
    /// error message naming the value, and nothing is set: a date is never guessed.
    pub fn set(&mut self, field: MetaField, value: &str, origin: Origin) -> Result<(), String> {
        if is_no_value(value) {
            return Ok(());
        }
        let text = || {
            Some(Sourced {
                value: value.trim().to_string(),
                origin,
            })
        };
        match field {
            MetaField::Date => {
                let day = parse_date(value).ok_or_else(|| {
                    format!(
                        "date {:?} is not a date newsdex can read; left out",
                        value.trim()
                    )
                })?;
                self.date = Some(Sourced { value: day, origin });
            }
            MetaField::Source => self.source = text(),
            MetaField::Url => self.url = text(),
            MetaField::Language => self.language = text(),
            MetaField::Author => self.set_authors(split_authors(value), origin),
        }
        Ok(())
    }

    pub fn set_authors(&mut self, authors: Vec<String>, origin: Origin) {
        if !authors.is_empty() {
            self.authors = Some(Sourced {
                value: authors,
                origin,
            });
        }
    }

    /// Takes each value of `other` that has a higher precedence than the one held.
    pub fn overlay(&mut self, other: &Metadata) {
        fn pick<T: Clone>(mine: &mut Option<Sourced<T>>, theirs: &Option<Sourced<T>>) {
            if let Some(t) = theirs {
                if mine.as_ref().is_none_or(|m| t.origin >= m.origin) {
                    *mine = Some(t.clone());
                }
            }
        }
        pick(&mut self.date, &other.date);
        pick(&mut self.source, &other.source);
        pick(&mut self.authors, &other.authors);
        pick(&mut self.url, &other.url);
        pick(&mut self.language, &other.language);
    }

    pub fn day(&self) -> Option<Day> {
        self.date.as_ref().map(|d| d.value)
    }

    pub fn source(&self) -> Option<&str> {
        self.source.as_ref().map(|s| s.value.as_str())
    }

    pub fn authors(&self) -> &[String] {
        self.authors.as_ref().map_or(&[], |a| a.value.as_slice())
    }

    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

/// Most lines a header block may have: a block is a few lines of metadata, not text.
const MAX_HEADER_LINES: usize = 8;

/// The field a header line (`Date: 21 June 2016`) gives, and its value.
fn header_line(line: &str) -> Option<(MetaField, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || key.contains(' ') || value.trim().is_empty() {
        return None;
    }
    let field = match key.to_ascii_lowercase().as_str() {
        "date" | "published" => MetaField::Date,
        "by" | "author" | "byline" => MetaField::Author,
        "source" | "publisher" => MetaField::Source,
        "url" | "link" => MetaField::Url,
        "language" | "lang" => MetaField::Language,
        _ => return None,
    };
    Some((field, value.trim()))
}

/// How many of `lines` (from the top, blank lines before it skipped) are a header block,
/// read into `meta`; warnings for values that cannot be read. 0 when the first line is not
/// a header line.
pub fn header_block(lines: &[&str], meta: &mut Metadata, warnings: &mut Vec<String>) -> usize {
    let mut n = 0;
    while n < lines.len() && lines[n].trim().is_empty() {
        n += 1;
    }
    let start = n;
    while n < lines.len() && n - start < MAX_HEADER_LINES {
        let Some((field, value)) = header_line(lines[n]) else {
            break;
        };
        if let Err(e) = meta.set(field, value, Origin::Header) {
            warnings.push(format!("header {e}"));
        }
        n += 1;
    }
    if n == start {
        0
    } else {
        n
    }
}

/// Reads the `key: value` (YAML-like) or `key = "value"` (TOML) lines of a front matter
/// block, its fence lines left out. A list (`[a, b]`, or `- a` lines) of authors is read too.
pub fn front_matter(lines: &[&str], meta: &mut Metadata, warnings: &mut Vec<String>) {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let Some((key, value)) = line.split_once([':', '=']) else {
            continue;
        };
        if line.starts_with([' ', '\t', '-']) {
            continue;
        }
        let Some(field) = MetaField::for_key(key) else {
            continue;
        };
        let mut value = unquote(value.trim()).to_string();
        if value.is_empty() {
            // A YAML list on the following lines: `- Ann Lowe`.
            let mut items = Vec::new();
            while let Some(item) = lines.get(i).and_then(|l| l.trim_start().strip_prefix("- ")) {
                items.push(unquote(item.trim()).to_string());
                i += 1;
            }
            value = items.join("; ");
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            value = inner
                .split(',')
                .map(|v| unquote(v.trim()))
                .collect::<Vec<_>>()
                .join("; ");
        }
        if let Err(e) = meta.set(field, &value, Origin::FrontMatter) {
            warnings.push(format!("front matter {e}"));
        }
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_split_into_authors() {
        assert_eq!(
            split_authors("By Ann Lowe and Tom Reyes"),
            ["Ann Lowe", "Tom Reyes"]
        );
        assert_eq!(
            split_authors("Ann Lowe, Tom Reyes"),
            ["Ann Lowe", "Tom Reyes"]
        );
        assert_eq!(split_authors("Lowe, Ann"), ["Lowe, Ann"]);
        assert_eq!(split_authors("AP"), ["AP"]);
        assert!(split_authors("None").is_empty());
    }

    #[test]
    fn the_more_explicit_value_wins_whatever_the_order() {
        let mut low = Metadata::default();
        low.set(MetaField::Date, "2016-01-01", Origin::FileName)
            .unwrap();
        low.set(MetaField::Source, "Low", Origin::Header).unwrap();
        let mut high = Metadata::default();
        high.set(MetaField::Date, "2016-02-02", Origin::MetadataFile)
            .unwrap();
        let mut a = low.clone();
        a.overlay(&high);
        let mut b = high.clone();
        b.overlay(&low);
        assert_eq!(a, b);
        assert_eq!(a.day().unwrap().to_string(), "2016-02-02");
        assert_eq!(a.source(), Some("Low"));
    }

    #[test]
    fn a_bad_date_is_an_error_naming_the_value_and_sets_nothing() {
        let mut m = Metadata::default();
        let e = m
            .set(MetaField::Date, "sometime", Origin::Header)
            .unwrap_err();
        assert!(e.contains("\"sometime\""), "{e}");
        assert!(m.date.is_none());
    }

    #[test]
    fn header_blocks() {
        let mut m = Metadata::default();
        let mut w = Vec::new();
        let lines = [
            "",
            "Date: 21 June 2016",
            "By: Ann Lowe",
            "Source: Gazette",
            "",
            "Title",
        ];
        assert_eq!(header_block(&lines, &mut m, &mut w), 4);
        assert_eq!(m.day().unwrap().to_string(), "2016-06-21");
        assert_eq!(m.authors(), ["Ann Lowe"]);
        assert_eq!(m.source(), Some("Gazette"));
        // Not a header: a title with a colon, or a field name this does not know.
        let mut m = Metadata::default();
        assert_eq!(header_block(&["Profile: Gordon Brown"], &mut m, &mut w), 0);
        assert_eq!(header_block(&["Brexit: what next"], &mut m, &mut w), 0);
        assert!(w.is_empty());
    }

    #[test]
    fn front_matter_keys() {
        let mut m = Metadata::default();
        let mut w = Vec::new();
        front_matter(
            &[
                "title: x",
                "date: \"2016-06-21T09:00:00Z\"",
                "authors:",
                "  - Ann Lowe",
                "  - Tom Reyes",
                "publisher = 'Gazette'",
                "lang: en",
            ],
            &mut m,
            &mut w,
        );
        assert_eq!(m.day().unwrap().to_string(), "2016-06-21");
        assert_eq!(m.authors(), ["Ann Lowe", "Tom Reyes"]);
        assert_eq!(m.source(), Some("Gazette"));
        assert_eq!(m.language.as_ref().unwrap().value, "en");
        assert_eq!(m.date.as_ref().unwrap().origin, Origin::FrontMatter);
    }
}
