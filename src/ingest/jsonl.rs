//! JSON Lines exports: one article per line, as scrapers and archives write them
//! (`{"title": ..., "text": ...}` with optional id, path, category, date, author).

use serde_json::Value;

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
    pub date: Option<String>,
    pub author: Option<String>,
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

/// Parses one line; `line_no` is 1-based. `Err` says what is wrong with the line.
pub fn parse_record(line: &str, line_no: usize) -> Result<Record, String> {
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
    Ok(Record {
        ident,
        category: first_str(&obj, &["category", "section"]).map(String::from),
        date: first_str(&obj, &["date", "published", "published_at", "pubdate"]).map(String::from),
        author: first_str(&obj, &["author", "byline"]).map(String::from),
        text,
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
        assert_eq!(r.date.as_deref(), Some("2019-03-01"));
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
