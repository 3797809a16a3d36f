//! JSON Lines exports: one article per line, as scrapers and archives write them
//! (`{"title": ..., "text": ...}` with optional id, path, category, date, author).

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::decode;
use super::meta::{MetaField, Metadata, Origin};
use super::Article;

/// File extensions read as JSON Lines.
pub const JSONL_EXTENSIONS: &[&str] = &["jsonl", "ndjson"];

pub fn is_jsonl(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| JSONL_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        .unwrap_or(false)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// What identifies the article inside its file: its `path`, `id` or `url`, else the line number.
    pub ident: String,
    pub category: Option<String>,
    /// Date, source, authors, URL and language from the record's fields.
    pub meta: Metadata,
    /// Values of those fields that could not be read (a date that is not one).
    pub meta_warnings: Vec<String>,
    /// The article as a text file would hold it: title, blank line, body. Quote offsets of
    /// a record point into this text.
    pub text: String,
}

fn first_str<'a>(obj: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn first_scalar(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// Extra key names for metadata fields (`--field date=created_at`), looked at before the
/// names recognised without configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldMap {
    pub keys: Vec<FieldKey>,
}

/// One `--field FIELD=KEY`: the record key `key` holds the metadata field `field`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldKey {
    pub field: MetaField,
    pub key: String,
}

/// Parses `FIELD=KEY` (`date=created_at`); the error lists the fields.
pub fn parse_field_key(s: &str) -> Result<FieldKey, String> {
    let names: Vec<&str> = MetaField::ALL.iter().map(|f| f.name()).collect();
    let (field, key) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not FIELD=KEY (for example date=created_at)"))?;
    let field = MetaField::from_name(field.trim()).ok_or_else(|| {
        format!(
            "'{field}' is not a metadata field; fields: {}",
            names.join(", ")
        )
    })?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("'{s}' names no key after '='"));
    }
    Ok(FieldKey {
        field,
        key: key.to_string(),
    })
}

/// A metadata value of a record as text: a string, a number, or a list of strings (or of
/// objects with a `name`, as some exports give authors).
fn meta_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Object(o) => o.get("name").and_then(Value::as_str).map(String::from),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect();
            (!names.is_empty()).then(|| names.join("; "))
        }
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// The record's metadata: for each field, the first key that holds a value, the mapped
/// keys first. Keys are compared without case.
fn record_meta(
    obj: &serde_json::Map<String, Value>,
    map: &FieldMap,
    line_no: usize,
) -> (Metadata, Vec<String>) {
    let mut meta = Metadata::default();
    let mut warnings = Vec::new();
    let lower: Vec<(String, &Value)> = obj
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let get = |key: &str| {
        let key = key.to_ascii_lowercase();
        lower
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| meta_text(v))
    };
    for field in MetaField::ALL {
        let mapped = map
            .keys
            .iter()
            .filter(|k| k.field == field)
            .map(|k| k.key.as_str());
        let Some(value) = mapped
            .chain(field.known_keys().iter().copied())
            .find_map(get)
        else {
            continue;
        };
        if let Err(e) = meta.set(field, &value, Origin::Jsonl) {
            warnings.push(format!("line {line_no}: {e}"));
        }
    }
    (meta, warnings)
}

/// Parses one line; `line_no` is 1-based. `Err` says what is wrong with the line.
#[cfg(test)]
pub fn parse_record(line: &str, line_no: usize) -> Result<Record, String> {
    parse_record_with(line, line_no, &FieldMap::default())
}

/// Parses one line (`line_no` is 1-based) with extra key names for the metadata fields.
/// `Err` says what is wrong with the line.
pub fn parse_record_with(line: &str, line_no: usize, map: &FieldMap) -> Result<Record, String> {
    let v: Value =
        serde_json::from_str(line).map_err(|e| format!("line {line_no}: not valid JSON ({e})"))?;
    let Value::Object(obj) = v else {
        return Err(format!("line {line_no}: not a JSON object"));
    };
    let title = first_str(&obj, &["title", "headline"]).unwrap_or("");
    let body = first_str(&obj, &["text", "body", "content", "article"]).unwrap_or("");
    if title.is_empty() && body.is_empty() {
        return Err(format!("line {line_no}: no \"title\" or \"text\" field"));
    }
    let ident =
        first_scalar(&obj, &["path", "id", "url"]).unwrap_or_else(|| format!("line-{line_no}"));
    let mut text = String::with_capacity(title.len() + body.len() + 3);
    text.push_str(title);
    text.push_str("\n\n");
    text.push_str(body);
    text.push('\n');
    let (meta, meta_warnings) = record_meta(&obj, map, line_no);
    Ok(Record {
        ident,
        category: first_str(&obj, &["category", "section"]).map(String::from),
        meta,
        meta_warnings,
        text,
    })
}

/// One line of a JSON Lines file as read, before it is decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLine {
    /// 1-based line number.
    pub no: usize,
    /// The line without its line break; empty when it was over the size limit.
    pub bytes: Vec<u8>,
    /// The line was longer than the size limit: its bytes were read past, not kept.
    pub too_long: bool,
}

/// Reads a JSON Lines file a chunk of lines at a time, never holding more of one line than
/// the size limit of an article file (`--max-file-mb`).
pub struct LineReader<R> {
    reader: BufReader<R>,
    max_line_bytes: usize,
    line_no: usize,
}

/// Read buffer of a JSON Lines file.
const READ_BUFFER_BYTES: usize = 1 << 20;

impl<R: Read> LineReader<R> {
    pub fn new(inner: R, max_line_bytes: u64) -> Self {
        LineReader {
            reader: BufReader::with_capacity(READ_BUFFER_BYTES, inner),
            max_line_bytes: usize::try_from(max_line_bytes).unwrap_or(usize::MAX),
            line_no: 0,
        }
    }

    /// The next line, `None` at the end of the file, and the bytes it took in the file.
    fn next_line(&mut self) -> std::io::Result<Option<(RawLine, usize)>> {
        let mut bytes = Vec::new();
        let mut taken = 0usize;
        let mut too_long = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (part, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], i + 1),
                None => (buf, buf.len()),
            };
            if !too_long && bytes.len() + part.len() > self.max_line_bytes {
                too_long = true;
                bytes = Vec::new();
            }
            if !too_long {
                bytes.extend_from_slice(part);
            }
            let ended = done > part.len();
            self.reader.consume(done);
            taken += done;
            if ended {
                break;
            }
        }
        if taken == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        let no = self.line_no;
        Ok(Some((
            RawLine {
                no,
                bytes,
                too_long,
            },
            taken,
        )))
    }

    /// The next lines, about `chunk_bytes` of them, without blank ones, and the bytes they
    /// took in the file; no lines and 0 bytes at the end of the file.
    pub fn chunk(&mut self, chunk_bytes: usize) -> std::io::Result<(Vec<RawLine>, u64)> {
        let mut lines = Vec::new();
        let mut acc = 0usize;
        while acc < chunk_bytes {
            let Some((line, taken)) = self.next_line()? else {
                break;
            };
            acc += taken;
            if line.too_long || !line.bytes.trim_ascii().is_empty() {
                lines.push(line);
            }
        }
        Ok((lines, acc as u64))
    }
}

/// A record read as an article, with what a user should be told about it.
#[derive(Debug)]
pub struct ParsedRecord {
    pub ident: String,
    pub category: Option<String>,
    pub article: Article,
    /// The record as text (title, blank line, body): the article's offsets point into it.
    pub text: String,
    pub warnings: Vec<String>,
}

/// Decodes, parses and splits one line as text files are: the same size limit, the same
/// decoding of bytes that are not UTF-8, the same parser. `Err` says why it is left out.
pub fn read_record(
    line: &RawLine,
    max_line_bytes: u64,
    map: &FieldMap,
) -> Result<ParsedRecord, String> {
    let no = line.no;
    if line.too_long {
        return Err(format!(
            "line {no}: larger than the size limit of {} MB for one article; left out (see --max-file-mb)",
            max_line_bytes >> 20
        ));
    }
    let decoded = decode::decode(&line.bytes)
        .map_err(|_| format!("line {no}: binary data (NUL or control bytes), not text"))?;
    let mut warnings = Vec::new();
    if decoded.encoding == decode::Encoding::Windows1252 {
        warnings.push(format!(
            "line {no}: not valid UTF-8: decoded as Windows-1252"
        ));
    }
    let rec = parse_record_with(decoded.text.trim(), no, map)?;
    let mut article = super::parse(&rec.text);
    article.meta.overlay(&rec.meta);
    warnings.extend(rec.meta_warnings);
    if article.body.is_empty() {
        warnings.push(format!("line {no}: title only, no body text"));
    }
    Ok(ParsedRecord {
        ident: rec.ident,
        category: rec.category,
        article,
        text: rec.text,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_fields() {
        let r = parse_record(
            r#"{"id": 7, "path": "business/0000/0000007.txt", "category": "business", "date": "2019-03-01", "title": "Rates cut", "text": "The bank cut rates.\n\nMarkets rose."}"#,
            1,
        )
        .unwrap();
        assert_eq!(r.ident, "business/0000/0000007.txt");
        assert_eq!(r.category.as_deref(), Some("business"));
        assert_eq!(r.meta.day().unwrap().to_string(), "2019-03-01");
        assert_eq!(
            r.text,
            "Rates cut\n\nThe bank cut rates.\n\nMarkets rose.\n"
        );
    }

    #[test]
    fn numeric_id_and_line_fallback() {
        assert_eq!(
            parse_record(r#"{"id": 42, "title": "T"}"#, 3)
                .unwrap()
                .ident,
            "42"
        );
        assert_eq!(
            parse_record(r#"{"headline": "T", "body": "B"}"#, 3)
                .unwrap()
                .ident,
            "line-3"
        );
    }

    fn lines(input: &[u8], max: u64) -> Vec<RawLine> {
        let mut r = LineReader::new(input, max);
        let (lines, taken) = r.chunk(usize::MAX).unwrap();
        assert_eq!(taken, input.len() as u64);
        lines
    }

    #[test]
    fn a_line_over_the_limit_is_read_past_not_kept() {
        let mut input = b"{\"title\": \"A\"}\n".to_vec();
        input.extend(vec![b'x'; 5000]);
        input.extend(b"\n\n{\"title\": \"B\"}");
        let got = lines(&input, 1000);
        assert_eq!(got.len(), 3);
        assert!(got[1].too_long && got[1].bytes.is_empty() && got[1].no == 2);
        assert_eq!(
            (got[2].no, got[2].bytes.as_slice()),
            (4, &b"{\"title\": \"B\"}"[..])
        );
        assert!(read_record(&got[1], 1000, &FieldMap::default())
            .unwrap_err()
            .contains("size limit"));
    }

    #[test]
    fn records_decode_and_parse_as_text_files_do() {
        let line = RawLine {
            no: 3,
            bytes: b"{\"title\": \"Caf\xe9 reopens\", \"text\": \"It reopened.\", \"author\": \"Ann Lowe\"}".to_vec(),
            too_long: false,
        };
        let r = read_record(&line, 1 << 20, &FieldMap::default()).unwrap();
        assert_eq!(r.article.title, "Caf\u{e9} reopens");
        assert_eq!(r.article.meta.authors(), ["Ann Lowe"]);
        assert!(r.warnings[0].contains("Windows-1252"), "{:?}", r.warnings);
        let nul = RawLine {
            no: 4,
            bytes: b"{\"title\": \"A\0\"}".to_vec(),
            too_long: false,
        };
        assert!(read_record(&nul, 1 << 20, &FieldMap::default())
            .unwrap_err()
            .contains("binary"));
    }

    #[test]
    fn metadata_keys_known_and_mapped() {
        let r = parse_record(
            r#"{"title": "T", "published_at": "Tue, 21 Jun 2016 10:00:00 GMT", "authors": ["Ann Lowe", {"name": "Tom Reyes"}], "source_domain": "gazette.example", "link": "https://gazette.example/t", "lang": "en"}"#,
            1,
        )
        .unwrap();
        let m = &r.meta;
        assert_eq!(m.day().unwrap().to_string(), "2016-06-21");
        assert_eq!(m.authors(), ["Ann Lowe", "Tom Reyes"]);
        assert_eq!(m.source(), Some("gazette.example"));
        assert_eq!(m.url.as_ref().unwrap().value, "https://gazette.example/t");
        assert_eq!(m.language.as_ref().unwrap().origin, Origin::Jsonl);
        let map = FieldMap {
            keys: vec![parse_field_key("date=created_at").unwrap()],
        };
        let line = r#"{"title": "T", "created_at": "2020-01-02", "date": "2019-01-01"}"#;
        let r = parse_record_with(line, 1, &map).unwrap();
        assert_eq!(r.meta.day().unwrap().to_string(), "2020-01-02");
        let r = parse_record(r#"{"title": "T", "date": "soon"}"#, 4).unwrap();
        assert!(r.meta.date.is_none());
        assert!(r.meta_warnings[0].contains("line 4") && r.meta_warnings[0].contains("\"soon\""));
        assert!(parse_field_key("when=x")
            .unwrap_err()
            .contains("fields: date"));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert!(parse_record("{not json", 5)
            .unwrap_err()
            .contains("line 5: not valid JSON"));
        assert!(parse_record("[1,2]", 6)
            .unwrap_err()
            .contains("not a JSON object"));
        assert!(parse_record(r#"{"id": 1}"#, 7)
            .unwrap_err()
            .contains("no \"title\" or \"text\""));
    }
}
