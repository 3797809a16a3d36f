//! The user's query language, mapped onto the schema: field aliases per search kind, a
//! clear error for an unknown field, and lenient repair (with a warning) of unbalanced
//! quotes and parentheses. Everything else is tantivy's query grammar.

use anyhow::{bail, Result};
use tantivy::query::{Query, QueryParser};
use tantivy::schema::Field;
use tantivy::Index;

use crate::index::schema::{names::DOC_TYPE, DOC_QUOTE};
use crate::index::Fields;

/// Which documents a query runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Articles,
    Quotes,
}

/// Ranking weights of the default fields. A match in the title or the lead paragraph says
/// more about what an article is about than one deep in the body.
pub struct Boosts {
    pub title: f32,
    pub lead: f32,
    pub body: f32,
    pub speaker: f32,
}

/// Tuned on the known-item queries over the BBC corpus (`benches/mrr.py`): MRR@10 0.969 with
/// title and body at weight 1, 0.995 with these. The lead is also part of the body, so a lead
/// match counts three times a match further down.
pub const BOOSTS: Boosts = Boosts {
    title: 2.0,
    lead: 2.0,
    body: 1.0,
    speaker: 1.5,
};

/// User-facing field names and the schema field each maps to.
fn aliases(target: Target, f: &Fields) -> Vec<(&'static str, Field)> {
    match target {
        Target::Articles => vec![
            ("title", f.title),
            ("body", f.body),
            ("lead", f.lead),
            // answered through the quote documents: see `in_quotes`
            ("quote", f.q_text),
            ("quotes", f.q_text),
            ("speaker", f.speaker),
            ("speakers", f.speaker),
            ("category", f.category),
        ],
        Target::Quotes => vec![
            ("quote", f.q_text),
            ("quotes", f.q_text),
            ("text", f.q_text),
            ("speaker", f.q_speaker),
            ("speakers", f.q_speaker),
            ("category", f.q_category),
        ],
    }
}

pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    pub warnings: Vec<String>,
}

fn field_list(target: Target, f: &Fields) -> String {
    let mut names: Vec<&str> = aliases(target, f).into_iter().map(|(n, _)| n).collect();
    names.dedup();
    names.join(", ")
}

/// Rewrites user field names to schema field names and repairs unbalanced marks.
fn rewrite(
    input: &str,
    target: Target,
    f: &Fields,
    schema: &tantivy::schema::Schema,
    warnings: &mut Vec<String>,
) -> Result<String> {
    let table = aliases(target, f);
    let mut out = String::with_capacity(input.len() + 8);
    let mut in_quote = false;
    let mut depth = 0i32;
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            in_quote = !in_quote;
            out.push(c);
            i += 1;
            continue;
        }
        if in_quote {
            out.push(c);
            i += 1;
            continue;
        }
        if c.is_control() {
            out.push(' ');
            i += 1;
            continue;
        }
        // A word's prefix (`econ*`) would need every indexed word it starts, and the
        // index holds stems; the grammar would otherwise find nothing, silently.
        if c == '*' && i > 0 && chars[i - 1].is_alphanumeric() {
            let start = chars[..i]
                .iter()
                .rposition(|c| !c.is_alphanumeric())
                .map_or(0, |p| p + 1);
            let word: String = chars[start..i].iter().collect();
            warnings.push(format!(
                "word prefixes are not supported: '{word}*' in query {input:?} was searched as '{word}'"
            ));
            i += 1;
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' => {
                if depth == 0 {
                    warnings.push(format!("unmatched ')' in query {input:?} ignored"));
                    i += 1;
                    continue;
                }
                depth -= 1;
            }
            _ => {}
        }
        let at_token_start = i == 0 || matches!(chars[i - 1], ' ' | '(' | '-' | '+' | '\t');
        if at_token_start && c.is_ascii_alphabetic() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j < chars.len() && chars[j] == ':' {
                let name: String = chars[i..j].iter().collect();
                let lower = name.to_ascii_lowercase();
                let any_value = chars.get(j + 1) == Some(&'*')
                    && chars
                        .get(j + 2)
                        .is_none_or(|c| c.is_whitespace() || *c == ')');
                match table.iter().find(|(n, _)| *n == lower) {
                    // "Has a quote": every quote document has text.
                    Some((_, field)) if any_value && *field == f.q_text => {
                        out.push_str(&format!("{DOC_TYPE}:{DOC_QUOTE}"));
                        i = j + 2;
                        continue;
                    }
                    Some(_) if any_value => bail!(
                        "'{name}:*' (any value) is not supported in query {input:?}; \
                         search for words in {lower}, or use 'quote:*' for what has quotes"
                    ),
                    Some((_, field)) => {
                        out.push_str(schema.get_field_name(*field));
                        out.push(':');
                    }
                    None => bail!(
                        "unknown field '{name}' in query {input:?}; fields: {}",
                        field_list(target, f)
                    ),
                }
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    if in_quote {
        warnings.push(format!(
            "unbalanced '\"' in query {input:?}: the phrase runs to the end of the query"
        ));
        out.push('"');
    }
    if depth > 0 {
        warnings.push(format!(
            "unbalanced '(' in query {input:?}: closed at the end"
        ));
        for _ in 0..depth {
            out.push(')');
        }
    }
    Ok(out)
}

pub fn parser(index: &Index, f: &Fields, target: Target) -> QueryParser {
    let defaults: Vec<Field> = match target {
        Target::Articles => vec![f.title, f.lead, f.body, f.speaker],
        Target::Quotes => vec![f.q_text, f.q_speaker],
    };
    // Boosts are applied by `rewrite`, which also sees the leaves of explicit fields.
    let mut p = QueryParser::for_index(index, defaults);
    p.set_conjunction_by_default();
    p
}

/// The ranking weight of a field in an article search; 1 for every other field.
pub fn field_boost(f: &Fields, field: Field) -> f32 {
    let b = &BOOSTS;
    [
        (f.title, b.title),
        (f.lead, b.lead),
        (f.body, b.body),
        (f.speaker, b.speaker),
    ]
    .iter()
    .find(|(x, _)| *x == field)
    .map_or(1.0, |(_, boost)| *boost)
}

/// Parses a user query. Errors name the query and what is wrong with it.
pub fn parse(
    parser: &QueryParser,
    index: &Index,
    f: &Fields,
    target: Target,
    input: &str,
) -> Result<ParsedQuery> {
    let mut warnings = Vec::new();
    if input.trim().is_empty() {
        bail!("empty query");
    }
    check_nesting(input)?;
    let rewritten = rewrite(input, target, f, &index.schema(), &mut warnings)?;
    match parser.parse_query(&rewritten) {
        Ok(query) => Ok(ParsedQuery {
            query: super::rewrite::rewrite(query, target, f),
            warnings,
        }),
        Err(tantivy::query::QueryParserError::AllButQueryForbidden) => {
            bail!("query {input:?} only excludes terms; add at least one term to search for")
        }
        Err(strict_err) => {
            let (query, errs) = parser.parse_query_lenient(&rewritten);
            if errs
                .iter()
                .any(|e| matches!(e, tantivy::query::QueryParserError::AllButQueryForbidden))
            {
                bail!("query {input:?} only excludes terms; add at least one term to search for");
            }
            warnings.push(format!("query {input:?}: {strict_err}; searched leniently"));
            Ok(ParsedQuery {
                query: super::rewrite::rewrite(query, target, f),
                warnings,
            })
        }
    }
}

/// Deepest nesting accepted in a query (parentheses plus chained `NOT`s). The query grammar
/// recurses once per level, and a few thousand levels overflow the stack: an abort that no
/// error handler can catch.
pub const MAX_QUERY_NESTING: usize = 100;

/// Refuses queries nested deeper than [`MAX_QUERY_NESTING`] before they reach the parser.
pub fn check_nesting(q: &str) -> Result<()> {
    let (mut parens, mut nots, mut deepest, mut in_quote) = (0usize, 0usize, 0usize, false);
    let mut word = String::new();
    let end_word = |word: &mut String, nots: &mut usize| {
        if word == "NOT" {
            *nots += 1;
        } else if !word.is_empty() {
            *nots = 0;
        }
        word.clear();
    };
    for c in q.chars() {
        if in_quote {
            in_quote = c != '"';
            continue;
        }
        match c {
            '"' => {
                end_word(&mut word, &mut nots);
                nots = 0;
                in_quote = true;
            }
            '(' => {
                end_word(&mut word, &mut nots);
                parens += 1;
            }
            ')' => {
                end_word(&mut word, &mut nots);
                parens = parens.saturating_sub(1);
            }
            c if c.is_whitespace() || c == '+' || c == '-' => end_word(&mut word, &mut nots),
            c => word.push(c),
        }
        deepest = deepest.max(parens + nots);
    }
    end_word(&mut word, &mut nots);
    deepest = deepest.max(parens + nots);
    if deepest > MAX_QUERY_NESTING {
        bail!(
            "query nests parentheses or NOTs {deepest} levels deep; at most {MAX_QUERY_NESTING} are supported"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(input: &str) -> (String, Vec<String>) {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        let mut warnings = Vec::new();
        let out = rewrite(input, Target::Articles, &f, &schema, &mut warnings).unwrap();
        (out, warnings)
    }

    #[test]
    fn a_word_prefix_is_searched_as_the_word_with_a_warning() {
        let (out, warnings) = rewritten("economy* title:rate* \"tax*\" *");
        assert_eq!(out, "economy title:rate \"tax*\" *");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("'economy*'"), "{warnings:?}");
        assert!(warnings[1].contains("'rate*'"), "{warnings:?}");
        let (out, warnings) = rewritten("quote:* oil");
        assert_eq!(out, "doc_type:quote oil");
        assert!(warnings.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        assert!(check_nesting("(a OR (b AND NOT c))").is_ok());
        assert!(check_nesting(&"a NOT b ".repeat(5000)).is_ok());
        assert!(check_nesting(&"(".repeat(10_000)).is_err());
        assert!(check_nesting(&"NOT ".repeat(5000)).is_err());
        assert!(check_nesting(&"-(NOT ".repeat(60)).is_err());
        assert!(check_nesting(&format!("\"{}\"", "(".repeat(500))).is_ok());
    }
}
