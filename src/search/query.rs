//! The user's query language, mapped onto the schema: field aliases per search kind (any
//! other word before a colon is text), categories as their folder names, and lenient
//! repair (with a warning) of unbalanced quotes and parentheses. Everything else is
//! tantivy's query grammar; what it cannot read is reported in the user's words.

use anyhow::{bail, Result};
use tantivy::query::{Query, QueryParser, QueryParserError};
use tantivy::schema::Field;
use tantivy::{Index, Searcher};

use super::prefix::{self, Prefix};
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
pub(crate) fn aliases(target: Target, f: &Fields) -> Vec<(&'static str, Field)> {
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
            ("source", f.outlet),
            ("author", f.author),
        ],
        Target::Quotes => vec![
            ("quote", f.q_text),
            ("quotes", f.q_text),
            ("text", f.q_text),
            ("speaker", f.q_speaker),
            ("speakers", f.q_speaker),
            ("category", f.q_category),
            ("source", f.q_outlet),
            ("author", f.q_author),
        ],
    }
}

/// What the word prefixes of a query are expanded with: the index's terms, and the
/// prefixes in the order of their markers.
pub struct Expand<'a> {
    pub searcher: &'a Searcher,
    pub prefixes: &'a [Prefix],
}

pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    pub warnings: Vec<String>,
    /// The phrases of the query, each as its terms in order: highlighted as phrases.
    pub phrases: Vec<Vec<tantivy::Term>>,
}

fn field_list(target: Target, f: &Fields) -> String {
    let mut names: Vec<&str> = aliases(target, f).into_iter().map(|(n, _)| n).collect();
    names.dedup();
    names.join(", ")
}

/// Characters the query grammar reads as syntax that are text in what people paste: a
/// colon after a word that is not a field (`Profile: Gordon Brown`, `http://bbc.co.uk`,
/// `10:30`) and an apostrophe (`O'Neill`, `workers' rights`). They are escaped, so the
/// word is searched as written; phrases are written with double quotes.
const TEXT_CHARS: [char; 2] = [':', '\''];

/// Rewrites user field names to schema field names, escapes [`TEXT_CHARS`], puts a marker
/// word in place of each word prefix (returned in order, see [`super::prefix`]) and repairs
/// unbalanced marks.
fn rewrite(
    input: &str,
    target: Target,
    f: &Fields,
    schema: &tantivy::schema::Schema,
    warnings: &mut Vec<String>,
) -> Result<(String, Vec<Prefix>)> {
    let mut prefixes = Vec::new();
    let out = Rewriter {
        input,
        chars: input.chars().collect(),
        i: 0,
        out: String::with_capacity(input.len() + 8),
        target,
        f,
        schema,
        warnings,
        prefixes: &mut prefixes,
    }
    .run()?;
    Ok((out, prefixes))
}

struct Rewriter<'a> {
    input: &'a str,
    chars: Vec<char>,
    /// The next character to read.
    i: usize,
    out: String,
    target: Target,
    f: &'a Fields,
    schema: &'a tantivy::schema::Schema,
    warnings: &'a mut Vec<String>,
    prefixes: &'a mut Vec<Prefix>,
}

impl Rewriter<'_> {
    fn run(mut self) -> Result<String> {
        let (mut in_quote, mut depth) = (false, 0usize);
        while let Some(&c) = self.chars.get(self.i) {
            if c == '"' || in_quote {
                self.check_phrase_prefix(in_quote)?;
                in_quote ^= c == '"';
                self.emit(c);
                continue;
            }
            if c.is_control() {
                self.emit(' ');
                continue;
            }
            if c == '*' && self.i > 0 && self.chars[self.i - 1].is_alphanumeric() {
                self.word_prefix()?;
                continue;
            }
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    let input = self.input;
                    self.warnings
                        .push(format!("unmatched ')' in query {input:?} ignored"));
                    self.i += 1;
                    continue;
                }
                ')' => depth -= 1,
                _ => {}
            }
            if self.at_token_start() && c.is_ascii_alphabetic() && self.field()? {
                continue;
            }
            if TEXT_CHARS.contains(&c) {
                self.out.push('\\');
            }
            self.emit(c);
        }
        let input = self.input;
        if in_quote {
            self.warnings.push(format!(
                "unbalanced '\"' in query {input:?}: the phrase runs to the end of the query"
            ));
            self.out.push('"');
        }
        if depth > 0 {
            self.warnings.push(format!(
                "unbalanced '(' in query {input:?}: closed at the end"
            ));
            self.out.push_str(&")".repeat(depth));
        }
        Ok(self.out)
    }

    fn emit(&mut self, c: char) {
        self.out.push(c);
        self.i += 1;
    }

    fn at_token_start(&self) -> bool {
        self.i == 0 || {
            let p = self.chars[self.i - 1];
            p.is_whitespace() || matches!(p, '(' | '-' | '+')
        }
    }

    /// A word's prefix (`econ*`): the word, already written out, is replaced by the marker
    /// of a new [`Prefix`]. A `*` the grammar would read otherwise is dropped with a
    /// warning: inside a word (`econ*my`), or after part of a word joined by `'` or `-`
    /// (`O'Ne*`), which the analyzer would split into a phrase.
    fn word_prefix(&mut self) -> Result<()> {
        let before = &self.chars[..self.i];
        let start = before
            .iter()
            .rposition(|c| !c.is_alphanumeric())
            .map_or(0, |p| p + 1);
        let word: String = before[start..].iter().collect();
        let stars = self.chars[self.i..]
            .iter()
            .take_while(|c| **c == '*')
            .count();
        let input = self.input;
        let kept = self.out.len() - word.len();
        let inside = self
            .chars
            .get(self.i + stars)
            .is_some_and(|c| c.is_alphanumeric());
        if inside || !at_word_boundary(&self.out[..kept]) {
            self.warnings.push(format!(
                "a '*' is read only at the end of a whole word: '{word}*' in query {input:?} \
                 was searched as '{word}'"
            ));
            self.i += stars;
            return Ok(());
        }
        let prefix = Prefix::new(&word, input)?;
        self.out.truncate(kept);
        self.out.push_str(&prefix::marker(self.prefixes.len()));
        self.prefixes.push(prefix);
        self.i += stars;
        Ok(())
    }

    /// Inside a phrase (`"economic pol*"`, and tantivy's `"big bad wo"*`) a prefix is
    /// refused: the phrase would otherwise be searched without it, or over stems with a
    /// limit nobody is told of. Called at each character of a phrase, `in_quote` telling
    /// whether it is inside one.
    fn check_phrase_prefix(&self, in_quote: bool) -> Result<()> {
        let (c, i) = (self.chars[self.i], self.i);
        let next = self.chars.get(i + 1);
        let word_star = in_quote
            && c == '*'
            && i > 0
            && self.chars[i - 1].is_alphanumeric()
            && next.is_none_or(|n| !n.is_alphanumeric());
        let phrase_star = in_quote && c == '"' && next == Some(&'*');
        if word_star || phrase_star {
            let input = self.input;
            bail!(
                "a prefix ('*') cannot be used inside a phrase (query {input:?}); write the \
                 phrase's words in full, or search the words without quotes (econ* policy)"
            );
        }
        Ok(())
    }

    /// At the start of a word: if it is a known field name followed by `:`, writes the
    /// schema's field (and, for some fields, the value) and returns true. Any other word
    /// before a colon is text.
    fn field(&mut self) -> Result<bool> {
        let chars = &self.chars;
        let mut j = self.i;
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        if chars.get(j) != Some(&':') {
            return Ok(false);
        }
        let name: String = chars[self.i..j].iter().collect();
        let lower = name.to_ascii_lowercase();
        let table = aliases(self.target, self.f);
        let Some(&(_, field)) = table.iter().find(|(n, _)| *n == lower) else {
            self.check_other_kind(&name, &lower)?;
            return Ok(false);
        };
        self.i = j + 1;
        let any_value = chars.get(j + 1) == Some(&'*')
            && chars
                .get(j + 2)
                .is_none_or(|c| c.is_whitespace() || *c == ')');
        let input = self.input;
        if any_value && field == self.f.q_text {
            // "Has a quote": every quote document has text.
            self.out.push_str(&format!("{DOC_TYPE}:{DOC_QUOTE}"));
            self.i += 1;
        } else if any_value {
            bail!(
                "'{name}:*' (any value) is not supported in query {input:?}; \
                 search for words in {lower}, or use 'quote:*' for what has quotes"
            );
        } else if is_name_filter(self.f, field) {
            let schema_name = self.schema.get_field_name(field).to_string();
            self.category_value(&schema_name)?;
        } else {
            self.out.push_str(self.schema.get_field_name(field));
            self.out.push(':');
        }
        Ok(true)
    }

    /// An article field in a quote search (`title:` in `quotes`) is refused rather than
    /// searched as text, which would quietly find something else.
    fn check_other_kind(&self, name: &str, lower: &str) -> Result<()> {
        if self.target == Target::Quotes
            && aliases(Target::Articles, self.f)
                .iter()
                .any(|(n, _)| *n == lower)
        {
            let (here, input) = (field_list(self.target, self.f), self.input);
            bail!(
                "'{name}:' is a field of `search`, not of quote searches (query {input:?}); fields here: {here}"
            );
        }
        Ok(())
    }

    /// The value after `category:`: a folder path (`world/americas`), a quoted one, or a
    /// group of them (`(sport OR tech)`), written as its folder names, all required.
    fn category_value(&mut self, field: &str) -> Result<()> {
        while self.chars.get(self.i).is_some_and(|c| *c == ' ') {
            self.i += 1;
        }
        let rest = &self.chars[self.i..];
        let (value, used) = match rest.first() {
            Some('"') => {
                let end = rest[1..].iter().position(|c| *c == '"').map(|p| p + 1);
                let value: String = rest[1..end.unwrap_or(rest.len())].iter().collect();
                (value, end.map_or(rest.len(), |e| e + 1))
            }
            Some('(') => {
                let (value, used, closed) = group(rest);
                let mut names = Names::new(self.input, self.prefixes);
                let text = names.group(field, &value)?;
                self.out.push_str(&text);
                if !closed {
                    let input = self.input;
                    self.warnings.push(format!(
                        "unbalanced '(' in query {input:?}: closed at the end"
                    ));
                }
                self.i += used;
                return Ok(());
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, '(' | ')'))
                    .unwrap_or(rest.len());
                (rest[..end].iter().collect(), end)
            }
        };
        self.i += used;
        let text = Names::new(self.input, self.prefixes).terms(field, &value)?;
        self.out.push_str(&text);
        Ok(())
    }
}

/// Whether a word that starts after `before` (the query text written so far) starts a
/// token of the grammar: after a space, a bracket, a sign or a field's colon.
fn at_word_boundary(before: &str) -> bool {
    let mut back = before.chars().rev();
    match back.next() {
        None => true,
        Some(c) if c.is_whitespace() || c == '(' => true,
        Some('+' | '-') => back.next().is_none_or(|c| c.is_whitespace() || c == '('),
        // An escaped colon is text (`Profile\:`), not a field's.
        Some(':') => back.next() != Some('\\'),
        _ => false,
    }
}

/// Fields whose values are names matched by all their words, without positions: the
/// category (folder names), the source and the author. `source:"new york times"` and
/// `source:(nyt OR politico)` read as `category:` values do.
fn is_name_filter(f: &Fields, field: Field) -> bool {
    [
        f.category,
        f.q_category,
        f.outlet,
        f.q_outlet,
        f.author,
        f.q_author,
    ]
    .contains(&field)
}

/// The text inside the group that `chars` opens with `(`, and how many characters the
/// group takes, its parentheses included (to the end when it is not closed), and whether
/// it is closed.
pub(crate) fn group(chars: &[char]) -> (String, usize, bool) {
    let (mut depth, mut in_quote) = (0usize, false);
    for (k, &c) in chars.iter().enumerate() {
        match c {
            '"' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth -= 1;
                if depth == 0 {
                    return (chars[1..k].iter().collect(), k + 1, true);
                }
            }
            _ => {}
        }
    }
    (chars[1..].iter().collect(), chars.len(), false)
}

/// Writes the values of name fields (category, source, author) as their required words.
struct Names<'a> {
    input: &'a str,
    prefixes: &'a mut Vec<Prefix>,
}

impl<'a> Names<'a> {
    fn new(input: &'a str, prefixes: &'a mut Vec<Prefix>) -> Names<'a> {
        Names { input, prefixes }
    }

    /// Each folder path of a `category:(...)` group as its folder names; operators, signs
    /// and parentheses kept.
    fn group(&mut self, field: &str, inner: &str) -> Result<String> {
        let mut out = String::from("(");
        let mut rest = inner;
        while let Some(c) = rest.chars().next() {
            let len = if c == '"' {
                rest[1..].find('"').map_or(rest.len(), |p| p + 2)
            } else if c.is_whitespace() || matches!(c, '(' | ')' | '+' | '-') {
                c.len_utf8()
            } else {
                rest.find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
                    .unwrap_or(rest.len())
            };
            let piece = &rest[..len];
            match piece {
                "AND" | "OR" | "NOT" => out.push_str(piece),
                _ if len == c.len_utf8() && !c.is_alphanumeric() && c != '"' => out.push(c),
                _ => out.push_str(&self.terms(field, piece.trim_matches('"'))?),
            }
            rest = &rest[len..];
        }
        out.push(')');
        Ok(out)
    }

    /// A category path as the folder names it is indexed as, all required: `world/americas`
    /// matches that folder and its sub-folders. The category field keeps no word positions
    /// (it is a filter), so the names are not a phrase: `americas/world` would match too.
    /// A last name ending in `*` (`source:wash*`) is a prefix.
    fn terms(&mut self, field: &str, value: &str) -> Result<String> {
        let stem = value.trim_end_matches('*');
        let prefix_at = (stem.len() < value.len())
            .then(|| {
                // the byte after the last character that is not a letter or digit, which
                // may be several bytes long ("“")
                stem.char_indices()
                    .rev()
                    .find(|(_, c)| !c.is_alphanumeric())
                    .map_or(0, |(p, c)| p + c.len_utf8())
            })
            .filter(|&at| at < stem.len());
        let whole = prefix_at.map_or(value, |at| &stem[..at]);
        let mut analyzer = crate::index::schema::category_analyzer();
        let mut stream = analyzer.token_stream(whole);
        let mut terms = Vec::new();
        while let Some(t) = stream.next() {
            terms.push(format!("{field}:{}", t.text));
        }
        if let Some(at) = prefix_at {
            let prefix = Prefix::new(&stem[at..], self.input)?;
            terms.push(format!("{field}:{}", prefix::marker(self.prefixes.len())));
            self.prefixes.push(prefix);
        }
        Ok(match terms.len() {
            0 => String::new(),
            1 => terms.remove(0),
            _ => format!("({})", terms.join(" AND ")),
        })
    }
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

/// Parses a user query; its word prefixes are expanded over the terms `searcher` sees.
/// Errors name the query and what is wrong with it.
pub fn parse(
    parser: &QueryParser,
    searcher: &Searcher,
    f: &Fields,
    target: Target,
    input: &str,
) -> Result<ParsedQuery> {
    let mut warnings = Vec::new();
    if input.trim().is_empty() {
        bail!("empty query");
    }
    check_nesting(input)?;
    let schema = searcher.schema();
    let (rewritten, prefixes) = rewrite(input, target, f, schema, &mut warnings)?;
    let expand = Expand {
        searcher,
        prefixes: &prefixes,
    };
    match parser.parse_query(&rewritten) {
        Ok(query) => {
            let (query, phrases) =
                super::rewrite::rewrite(query, target, f, &expand, &mut warnings)?;
            Ok(ParsedQuery {
                query,
                warnings,
                phrases,
            })
        }
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
            warnings.push(lenient_warning(&strict_err, input, target, f, schema));
            let (query, phrases) =
                super::rewrite::rewrite(query, target, f, &expand, &mut warnings)?;
            Ok(ParsedQuery {
                query,
                warnings,
                phrases,
            })
        }
    }
}

/// What a query the grammar could not read in full is told: in the user's words, with the
/// user's field names, never the parser's internal names or advice.
fn lenient_warning(
    e: &QueryParserError,
    input: &str,
    target: Target,
    f: &Fields,
    schema: &tantivy::schema::Schema,
) -> String {
    let user_name = |name: &str| {
        let field = schema.get_field(name).ok();
        aliases(target, f)
            .into_iter()
            .find(|(_, x)| Some(*x) == field)
            .map_or("a field", |(n, _)| n)
            .to_string()
    };
    match e {
        QueryParserError::FieldDoesNotHavePositionsIndexed(name) => format!(
            "query {input:?}: a phrase cannot be searched in '{}:'; that part was left out",
            user_name(name)
        ),
        QueryParserError::FieldDoesNotExist(name) | QueryParserError::FieldNotIndexed(name) => {
            format!(
                "query {input:?}: '{}:' cannot be searched; that part was left out",
                user_name(name)
            )
        }
        _ => format!(
            "query {input:?} is not entirely valid query syntax; the parts that could not be read were left out"
        ),
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
        let (out, prefixes) = rewrite(input, Target::Articles, &f, &schema, &mut warnings).unwrap();
        let mut out = out;
        for (n, p) in prefixes.iter().enumerate() {
            out = out.replace(&prefix::marker(n), &format!("<{}*>", p.folded));
        }
        (out, warnings)
    }

    #[test]
    fn a_word_prefix_becomes_a_marker_in_any_field() {
        let (out, warnings) = rewritten("Écon* title:rate** -(oil OR gas*) source:wash*");
        assert_eq!(out, "<econ*> title:<rate*> -(oil OR <gas*>) outlet:<wash*>");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            rewritten("category:(sport OR world/amer*)").0,
            "(category:sport OR (category:world AND category:<amer*>))"
        );
        let (out, warnings) = rewritten("quote:* oil");
        assert_eq!(out, "doc_type:quote oil");
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_star_inside_or_after_part_of_a_word_is_dropped_with_a_warning() {
        for (q, expected) in [
            ("econ*my", "econmy"),
            ("O'Ne*", "O\\'Ne"),
            ("e-ma*", "e-ma"),
            ("Profile:ec*", "Profile\\:ec"),
        ] {
            let (out, warnings) = rewritten(q);
            assert_eq!(out, expected, "{q}");
            assert_eq!(warnings.len(), 1, "{q}: {warnings:?}");
            assert!(warnings[0].contains("end of a whole word"), "{warnings:?}");
        }
    }

    #[test]
    fn a_prefix_in_a_phrase_or_too_short_is_an_error() {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        for q in [
            "\"economic pol*\"",
            "\"big bad wo\"*",
            "title:\"tax*\" oil",
            "e*",
            "source:w*",
        ] {
            let err = rewrite(q, Target::Articles, &f, &schema, &mut Vec::new()).unwrap_err();
            let err = err.to_string();
            assert!(
                err.contains("inside a phrase") || err.contains("too short"),
                "{q}: {err}"
            );
        }
        // A star that is no prefix inside a phrase is text.
        assert!(rewrite("\"5 * 3\"", Target::Articles, &f, &schema, &mut Vec::new()).is_ok());
    }

    #[test]
    fn a_field_prefix_after_a_wide_character_is_cut_at_a_character_boundary() {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        for q in [
            "category:\u{201c}*",
            "source:\u{201c}wash*",
            "category:\u{e9}t\u{e9}/\u{201c}ab*",
        ] {
            // an answer or a clear error, never a panic
            let _ = rewrite(q, Target::Articles, &f, &schema, &mut Vec::new());
        }
    }

    #[test]
    fn pasted_text_is_text_and_only_known_fields_are_fields() {
        let (out, warnings) = rewritten("Profile: Gordon Brown");
        assert_eq!(out, "Profile\\: Gordon Brown");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rewritten("http://bbc.co.uk").0, "http\\://bbc.co.uk");
        assert_eq!(rewritten("10:30").0, "10\\:30");
        assert_eq!(rewritten("O'Neill").0, "O\\'Neill");
        assert_eq!(
            rewritten("Title:oil speaker:O'Neill").0,
            "title:oil speaker:O\\'Neill"
        );
        // Inside a phrase nothing is syntax, so nothing is escaped.
        assert_eq!(rewritten("\"10:30 O'Neill\"").0, "\"10:30 O'Neill\"");
    }

    #[test]
    fn pasted_text_parses_without_a_warning() {
        let schema = crate::index::schema::build_schema();
        let index = Index::create_in_ram(schema.clone());
        crate::index::schema::register_on(&index);
        let f = Fields::new(&schema).unwrap();
        let searcher = index.reader().unwrap().searcher();
        for target in [Target::Articles, Target::Quotes] {
            let p = parser(&index, &f, target);
            for q in [
                "Profile: Gordon Brown",
                "http://bbc.co.uk",
                "10:30",
                "O'Neill",
                "workers' pay",
            ] {
                let parsed = parse(&p, &searcher, &f, target, q).unwrap();
                assert!(parsed.warnings.is_empty(), "{q}: {:?}", parsed.warnings);
            }
        }
    }

    #[test]
    fn an_article_field_in_a_quote_search_is_an_error() {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        let mut warnings = Vec::new();
        let err = rewrite("title:oil", Target::Quotes, &f, &schema, &mut warnings).unwrap_err();
        assert!(
            err.to_string().contains("'title:' is a field of `search`"),
            "{err}"
        );
    }

    #[test]
    fn a_category_is_its_folder_names_all_required() {
        assert_eq!(rewritten("category:sport").0, "category:sport");
        assert_eq!(
            rewritten("oil category:World/Americas").0,
            "oil (category:world AND category:americas)"
        );
        assert_eq!(
            rewritten("-category:\"huff-post\" x").0,
            "-(category:huff AND category:post) x"
        );
        assert_eq!(
            rewritten("category:(sport OR world/americas) -x").0,
            "(category:sport OR (category:world AND category:americas)) -x"
        );
        let (out, warnings) = rewritten("category:(sport");
        assert_eq!(out, "(category:sport)");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn source_and_author_are_names_all_required() {
        assert_eq!(
            rewritten("oil source:\"Washington Post\"").0,
            "oil (outlet:washington AND outlet:post)"
        );
        assert_eq!(rewritten("Author:Lowe").0, "author:lowe");
        assert_eq!(
            rewritten("source:(nyt OR politico)").0,
            "(outlet:nyt OR outlet:politico)"
        );
        // Not a field: text, as before.
        assert_eq!(rewritten("sources: officials").0, "sources\\: officials");
    }

    #[test]
    fn lenient_warnings_use_the_users_words() {
        let schema = crate::index::schema::build_schema();
        let f = Fields::new(&schema).unwrap();
        let e = QueryParserError::FieldDoesNotHavePositionsIndexed("q_category".into());
        let w = lenient_warning(&e, "x", Target::Quotes, &f, &schema);
        assert!(
            w.contains("'category:'") && !w.contains("q_category"),
            "{w}"
        );
        let e = QueryParserError::SyntaxError("x".into());
        let w = lenient_warning(&e, "x", Target::Articles, &f, &schema);
        assert!(
            !w.contains("Syntax Error") && !w.contains("leniently"),
            "{w}"
        );
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
