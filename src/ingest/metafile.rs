//! A corpus's metadata file: `metadata.tsv` or `metadata.csv` in a corpus folder, one row
//! per article file, with a column naming the file and columns for its date, source,
//! author, URL and language (`publisher`, `publication_date` and the other names
//! [`MetaField::known_keys`] lists are recognised). It describes the files of its folder
//! and the folders below it; it is not an article.

use std::collections::HashMap;
use std::path::Path;

use super::meta::{MetaField, Metadata, Origin};

/// File names (any case) read as a corpus's metadata file.
pub const METADATA_FILE_NAMES: &[&str] = &["metadata.tsv", "metadata.csv"];

/// Column names (any case) that name the article file of a row.
const FILE_COLUMNS: &[&str] = &["filename", "file_name", "file", "path", "name"];

pub fn is_metadata_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        METADATA_FILE_NAMES
            .iter()
            .any(|m| m.eq_ignore_ascii_case(n))
    })
}

/// One row: the file it names (as written) and the metadata it gives.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line of the row in the metadata file (the header is line 1).
    pub line: usize,
    pub file: String,
    pub meta: Metadata,
    /// A fingerprint of what the row gives: when it changes, the file is indexed again.
    pub stamp: u64,
}

/// The rows of a metadata file, and what could not be read in it.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
}

/// Reads a metadata file. `Err` when nothing of it can be used (no file name column, not
/// readable); a bad value costs that value, with a warning naming the line.
pub fn read(path: &Path) -> Result<Table, String> {
    let tab = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    parse(&bytes, tab)
}

/// Parses a metadata file's bytes: tab-separated (no quoting: a `"` in a title is text) or
/// comma-separated (RFC 4180 quoting: `"Lowe, Ann"` is one value).
pub fn parse(bytes: &[u8], tab: bool) -> Result<Table, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if tab { b'\t' } else { b',' })
        .quoting(!tab)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header line: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let file_col = FILE_COLUMNS
        .iter()
        .find_map(|c| header.iter().position(|h| h == c))
        .ok_or_else(|| {
            format!(
                "no column naming the file (one of {}) in the header line",
                FILE_COLUMNS.join(", ")
            )
        })?;
    let fields: Vec<(usize, MetaField)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| MetaField::for_key(h).map(|f| (i, f)))
        .collect();
    let mut table = Table::default();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                table
                    .warnings
                    .push(format!("line {line}: cannot be read ({e}); left out"));
                continue;
            }
        };
        let file = record.get(file_col).unwrap_or("").trim().to_string();
        if file.is_empty() {
            table
                .warnings
                .push(format!("line {line}: no file name; left out"));
            continue;
        }
        let mut meta = Metadata::default();
        for &(i, field) in &fields {
            let value = record.get(i).unwrap_or("");
            if let Err(e) = meta.set(field, value, Origin::MetadataFile) {
                table.warnings.push(format!("line {line} ({file}): {e}"));
            }
        }
        let stamp = fingerprint(&meta);
        table.rows.push(Row {
            line,
            file,
            meta,
            stamp,
        });
    }
    Ok(table)
}

/// FNV-1a over the row's metadata as JSON: stable from run to run and across builds,
/// which a std hasher does not promise. Never 0, which stands for "no row".
fn fingerprint(meta: &Metadata) -> u64 {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0100_0000_01b3;
    let text = serde_json::to_string(meta).unwrap_or_default();
    let h = text.bytes().fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    });
    h.max(1)
}

/// The walked files a metadata file's rows name. `dir` is the key prefix of the metadata
/// file's folder (`""` or `nyt/`); `keys` are the article files' keys. A row names a file
/// by its path from that folder, or by its name (with or without its extension) anywhere
/// below it. Returns the row of each key, and a warning for each row that names no file,
/// or a name that several files have.
pub fn resolve<'a>(
    table: &'a Table,
    dir: &str,
    keys: impl Iterator<Item = &'a str>,
) -> (HashMap<&'a str, &'a Row>, Vec<String>) {
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for key in keys {
        let Some(rel) = key.strip_prefix(dir) else {
            continue;
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        by_name.entry(rel).or_default().push(key);
        if name != rel {
            by_name.entry(name).or_default().push(key);
        }
        by_name.entry(stem).or_default().push(key);
    }
    let mut out = HashMap::new();
    let mut warnings = Vec::new();
    for row in &table.rows {
        let mut found = by_name.get(row.file.as_str()).cloned().unwrap_or_default();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [] => warnings.push(format!(
                "line {}: no article file named {:?} in the corpus; row left out",
                row.line, row.file
            )),
            [key] => {
                out.insert(*key, row);
            }
            many => warnings.push(format!(
                "line {}: {:?} names {} files ({}); row left out, write the path",
                row.line,
                row.file,
                many.len(),
                many.join(", ")
            )),
        }
    }
    (out, warnings)
}

/// The row that the nearest metadata file (in the file's folder or one above it) gives a
/// file read on its own (`newsdex parse`), and what could not be read in that row. `None`
/// when no metadata file above the file names it.
pub fn row_for(path: &Path) -> Option<(Row, Vec<String>)> {
    let path = path.canonicalize().ok()?;
    for dir in path.ancestors().skip(1) {
        let Some(meta_path) = METADATA_FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
        else {
            continue;
        };
        let table = read(&meta_path).ok()?;
        let rel = super::walk::path_key(path.strip_prefix(dir).ok()?);
        let (found, _) = resolve(&table, "", std::iter::once(rel.as_str()));
        let row = found.get(rel.as_str())?;
        let shown = meta_path.display();
        let warnings = table
            .warnings
            .iter()
            .filter(|w| w.starts_with(&format!("line {} ", row.line)))
            .map(|w| format!("{shown}: {w}"))
            .collect();
        return Some(((*row).clone(), warnings));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polnear_style_tsv() {
        let tsv = "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\n\
                   train\tnyt_2016-07-05_a\tnyt\t2016-07-05\tAnn Lowe\t\"Quoted\" title\n\
                   train\tnyt_2016-07-06_b\tnyt\tnot a date\tNone\tB\n";
        let t = parse(tsv.as_bytes(), true).unwrap();
        assert_eq!(t.rows.len(), 2);
        let m = &t.rows[0].meta;
        assert_eq!(m.source(), Some("nyt"));
        assert_eq!(m.day().unwrap().to_string(), "2016-07-05");
        assert_eq!(m.authors(), ["Ann Lowe"]);
        assert!(t.rows[1].meta.day().is_none() && t.rows[1].meta.authors().is_empty());
        assert_eq!(t.warnings.len(), 1);
        assert!(t.warnings[0].contains("line 3") && t.warnings[0].contains("\"not a date\""));
        assert_ne!(t.rows[0].stamp, t.rows[1].stamp);
    }

    #[test]
    fn csv_with_quoted_commas_and_a_missing_file() {
        let csv = "file,source,author,date\n\
                   a.txt,\"Gazette, The\",\"Lowe, Ann\",2016-01-02\n\
                   gone.txt,Gazette,Tom Reyes,2016-01-03\n";
        let t = parse(csv.as_bytes(), false).unwrap();
        assert_eq!(t.rows[0].meta.source(), Some("Gazette, The"));
        assert_eq!(t.rows[0].meta.authors(), ["Lowe, Ann"]);
        let keys = ["sub/a.txt", "sub/b.txt"];
        let (found, warnings) = resolve(&t, "", keys.iter().copied());
        assert_eq!(found.len(), 1);
        assert_eq!(found["sub/a.txt"].line, 2);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("\"gone.txt\""), "{warnings:?}");
    }

    #[test]
    fn a_file_without_a_file_column_is_refused() {
        let e = parse(b"title,date\nx,2016-01-01\n", false).unwrap_err();
        assert!(e.contains("no column naming the file"), "{e}");
    }
}
