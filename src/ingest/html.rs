//! Saved web pages (`.html`, `.htm`): the article's main text and its metadata.
//!
//! The main text comes from `dom_smoothie`, a pure-Rust port of Mozilla's Readability (the
//! algorithm behind Firefox's reader view): it scores blocks by text and link density and
//! drops navigation, ads, cookie banners, comment sections and related-link lists. Its
//! formatted text keeps one paragraph per block, which the quote extractor needs.
//!
//! The text handed on to the rest of the pipeline is the title, a blank line, and the
//! paragraphs separated by blank lines, so quote offsets point into it as into a `.txt` file.

use dom_smoothie::{Config, Readability, TextMode};

use super::article::parse;
use super::decode;
use super::meta::{MetaField, Metadata, Origin};
use super::{ParsedFile, ReadError};

/// File extensions read as saved web pages.
pub(crate) const HTML_EXTENSIONS: &[&str] = &["html", "htm"];

/// The HTML standard's encoding prescan looks at this many bytes for `<meta charset>`.
const CHARSET_PRESCAN_BYTES: usize = 1024;

/// Fewer characters of main text than this is a page without an article (an index page,
/// an error page, a page whose text a script would have loaded), reported rather than
/// indexed as an empty article. Readability.js uses the same figure for "probably readable".
const MIN_ARTICLE_CHARS: usize = 140;

pub(crate) fn is_html(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| HTML_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The encoding a `<meta charset=...>` or `<meta http-equiv content="...; charset=...">`
/// near the top of the page names.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Decodes a page: a BOM first, then the declared charset, then UTF-8 with the
/// Windows-1252 fallback every other file gets.
fn decode_page(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, ReadError> {
    let decoded = decode::decode(bytes)
        .map_err(|_| ReadError("binary file (NUL or control bytes), not a web page".into()))?;
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if !has_bom {
        if let Some(enc) = declared_charset(bytes).filter(|e| *e != encoding_rs::UTF_8) {
            // UTF-16 cannot be declared in an ASCII prescan; a page claiming it is UTF-8.
            if enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE {
                let (text, _) = enc.decode_without_bom_handling(bytes);
                return Ok(text.into_owned());
            }
        }
    }
    if decoded.encoding == decode::Encoding::Windows1252 {
        warnings.push("not valid UTF-8 and no charset declared: decoded as Windows-1252".into());
    }
    Ok(decoded.text.into_owned())
}

/// Whitespace folded to single spaces: HTML text keeps its source's line breaks and indents.
fn fold_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: Option<impl AsRef<str>>) -> Option<String> {
    s.map(|s| fold_spaces(s.as_ref())).filter(|s| !s.is_empty())
}

/// The title: og:title, then the first `<h1>`, then `<title>`.
fn page_title(r: &Readability) -> Option<String> {
    let doc = &r.doc;
    non_empty(doc.select(r#"meta[property="og:title"]"#).attr("content"))
        .or_else(|| non_empty(Some(doc.select("h1").first().text())))
        .or_else(|| non_empty(Some(doc.select("title").first().text())))
}

/// Sets `field` when `value` is there; a value that cannot be read is a warning.
fn set(
    meta: &mut Metadata,
    field: MetaField,
    value: Option<String>,
    origin: Origin,
    w: &mut Vec<String>,
) {
    if let Some(v) = value {
        if let Err(e) = meta.set(field, &v, origin) {
            w.push(format!("{} {e}", origin_label(origin)));
        }
    }
}

fn origin_label(origin: Origin) -> &'static str {
    match origin {
        Origin::JsonLd => "JSON-LD",
        Origin::HtmlByline => "byline",
        _ => "meta tag",
    }
}

/// The page's metadata from JSON-LD and meta tags, read before the readability pass
/// (which rewrites the document).
fn page_metadata(r: &Readability, warnings: &mut Vec<String>) -> Metadata {
    let mut meta = Metadata::default();
    let tags = r.get_article_metadata(None);
    let doc = &r.doc;
    let canonical = non_empty(doc.select(r#"link[rel="canonical"]"#).attr("href"));
    let og_url = non_empty(doc.select(r#"meta[property="og:url"]"#).attr("content"));
    let o = Origin::HtmlMeta;
    set(
        &mut meta,
        MetaField::Date,
        non_empty(tags.published_time),
        o,
        warnings,
    );
    set(
        &mut meta,
        MetaField::Author,
        non_empty(tags.byline),
        o,
        warnings,
    );
    set(
        &mut meta,
        MetaField::Source,
        non_empty(tags.site_name),
        o,
        warnings,
    );
    set(&mut meta, MetaField::Url, canonical.or(og_url), o, warnings);
    set(
        &mut meta,
        MetaField::Language,
        non_empty(tags.lang),
        o,
        warnings,
    );
    if let Some(ld) = r.parse_json_ld() {
        let mut from_ld = Metadata::default();
        let o = Origin::JsonLd;
        set(
            &mut from_ld,
            MetaField::Date,
            non_empty(ld.published_time),
            o,
            warnings,
        );
        set(
            &mut from_ld,
            MetaField::Author,
            non_empty(ld.byline),
            o,
            warnings,
        );
        set(
            &mut from_ld,
            MetaField::Source,
            non_empty(ld.site_name),
            o,
            warnings,
        );
        set(&mut from_ld, MetaField::Url, non_empty(ld.url), o, warnings);
        meta.overlay(&from_ld);
    }
    meta
}

/// The main text as paragraphs separated by blank lines.
fn paragraphs(formatted: &str) -> Vec<String> {
    formatted
        .split("\n\n")
        .map(fold_spaces)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Longest paragraph read as a byline (`By Ann Lowe and Tom Reyes, Harbour Correspondents`).
const MAX_BYLINE_CHARS: usize = 80;

/// Takes a byline paragraph off the top of the body. Readability removes a byline element
/// only when the page's metadata has no author, so with JSON-LD it stays in the text.
fn take_byline(body: &mut Vec<String>) -> Option<String> {
    let first = body.first()?;
    let is_byline = first.chars().count() <= MAX_BYLINE_CHARS
        && ["By ", "by ", "BY "].iter().any(|p| first.starts_with(p))
        && !first.ends_with('.');
    is_byline.then(|| body.remove(0))
}

/// Reads a saved web page into an article. `Err` when the page has no article text.
pub(crate) fn parse_html(
    bytes: &[u8],
    truncated: bool,
    max_bytes: u64,
) -> Result<ParsedFile, ReadError> {
    let mut warnings = Vec::new();
    if truncated {
        warnings.push(format!(
            "larger than the size limit of {} MB: only the first {} MB read (see --max-file-mb)",
            max_bytes >> 20,
            max_bytes >> 20
        ));
    }
    let html = decode_page(bytes, &mut warnings)?;
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let mut r = Readability::new(html, None, Some(cfg))
        .map_err(|e| ReadError(format!("cannot read the page: {e}")))?;
    let title = page_title(&r);
    let mut meta = page_metadata(&r, &mut warnings);
    let extracted = r.parse().ok();
    let mut body = extracted
        .as_ref()
        .map(|a| paragraphs(&a.text_content))
        .unwrap_or_default();
    let chars: usize = body.iter().map(|p| p.chars().count()).sum();
    if chars < MIN_ARTICLE_CHARS {
        return Err(ReadError(format!(
            "no article text found in the web page ({chars} characters of main text, \
             fewer than {MIN_ARTICLE_CHARS}): not indexed"
        )));
    }
    let shown_byline = take_byline(&mut body);
    if let Some(byline) = extracted.and_then(|a| non_empty(a.byline)).or(shown_byline) {
        let mut shown = Metadata::default();
        set(
            &mut shown,
            MetaField::Author,
            Some(byline),
            Origin::HtmlByline,
            &mut warnings,
        );
        meta.overlay(&shown);
    }
    let title = title.unwrap_or_default();
    let text = format!("{title}\n\n{}\n", body.join("\n\n"));
    let mut article = parse(&text);
    warnings.append(&mut article.meta_warnings);
    let mut own = meta;
    own.overlay(&article.meta);
    article.meta = own;
    Ok(ParsedFile {
        article,
        text,
        warnings,
    })
}
