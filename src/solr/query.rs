//! newsdex's query syntax in Solr's standard query parser: the same field names, the same
//! default fields and boosts (`search::query::BOOSTS`), categories, sources and authors as
//! required words, and `quote:` in an article search as a block join over the article's
//! quote documents. Pasted text stays text: a colon after a word that is not a field, and
//! every other character the Solr parser reads as syntax, is escaped.

use anyhow::{bail, Result};

use super::client::escape;
use crate::search::prefix::Prefix;
use crate::search::query::{group, BOOSTS};
use crate::search::Target;

/// The parameter holding the filter that picks articles out of their blocks.
pub(crate) const PARENTS_PARAM: &str = "nd_articles";
pub(crate) const PARENTS_FILTER: &str = "doc_type:article";

/// A query for Solr: `q`, and the parameters its block joins refer to.
#[derive(Debug)]
pub(crate) struct Translated {
    pub q: String,
    pub params: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Default fields and their weights.
type Fields = Vec<(&'static str, f32)>;

fn default_fields(target: Target) -> Fields {
    match target {
        Target::Articles => vec![
            ("title", BOOSTS.title),
            ("lead", BOOSTS.lead),
            ("body", BOOSTS.body),
            ("speaker", BOOSTS.speaker),
        ],
        Target::Quotes => vec![("q_text", 1.0), ("q_speaker", 1.0)],
    }
}

/// How a user field is searched in Solr.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Words and phrases in one Solr field.
    Text(&'static str),
    /// Every word of the value required, in any order (category, source, author).
    Name(&'static str),
    /// The article's quotes: a block join (article searches only).
    Quotes,
}

fn field_kind(target: Target, name: &str) -> Option<Kind> {
    use Kind::*;
    Some(match (target, name) {
        (Target::Articles, "title") => Text("title"),
        (Target::Articles, "body") => Text("body"),
        (Target::Articles, "lead") => Text("lead"),
        (Target::Articles, "quote" | "quotes") => Quotes,
        (Target::Articles, "speaker" | "speakers") => Text("speaker"),
        (Target::Quotes, "quote" | "quotes" | "text") => Text("q_text"),
        (Target::Quotes, "speaker" | "speakers") => Text("q_speaker"),
        (_, "category") => Name("category"),
        (_, "source") => Name("outlet"),
        (_, "author") => Name("author"),
        _ => return None,
    })
}

pub(crate) fn translate(input: &str, target: Target) -> Result<Translated> {
    if input.trim().is_empty() {
        bail!("empty query");
    }
    crate::search::check_nesting(input)?;
    let mut t = Translator {
        input,
        target,
        params: Vec::new(),
        warnings: Vec::new(),
    };
    let mut q = t.run(input, &default_fields(target))?;
    if q.trim_start().starts_with("{!") {
        // Local parameters at the very start would apply to the whole query string.
        q = format!("({q})");
    }
    if !has_positive_clause(input) {
        bail!("query {input:?} only excludes terms; add at least one term to search for");
    }
    Ok(Translated {
        q,
        params: t.params,
        warnings: t.warnings,
    })
}

/// False for a query made only of exclusions (`-trump`, `NOT trump`), which matches
/// nothing in Solr; the local search refuses it too.
fn has_positive_clause(input: &str) -> bool {
    let mut after_not = false;
    for w in input.split_whitespace() {
        let w = w.trim_start_matches('(');
        let positive = !w.is_empty()
            && !w.starts_with('-')
            && !after_not
            && !matches!(w, "AND" | "OR" | "NOT" | ")");
        if positive {
            return true;
        }
        after_not = w == "NOT";
    }
    false
}

struct Translator<'a> {
    input: &'a str,
    target: Target,
    params: Vec<(String, String)>,
    warnings: Vec<String>,
}

impl Translator<'_> {
    /// Translates `text` with `defaults` as the fields of bare words and phrases.
    fn run(&mut self, text: &str, defaults: &Fields) -> Result<String> {
        let chars: Vec<char> = text.chars().collect();
        let (mut out, mut i, mut depth) = (String::new(), 0, 0usize);
        while i < chars.len() {
            let c = chars[i];
            let at_start = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
            match c {
                _ if c.is_whitespace() || c.is_control() => out.push(' '),
                '(' => {
                    depth += 1;
                    out.push('(');
                }
                ')' if depth == 0 => {
                    self.warn(format!("unmatched ')' in query {:?} ignored", self.input))
                }
                ')' => {
                    depth -= 1;
                    out.push(')');
                }
                '"' => {
                    let (phrase, used) = self.phrase(&chars[i..]);
                    self.check_phrase(&phrase, chars.get(i + used))?;
                    out.push_str(&expand(defaults, &phrase_value(&phrase)));
                    i += used;
                    continue;
                }
                '-' | '+' if at_start => out.push(c),
                _ => {
                    let used = self.word(&chars[i..], defaults, &mut out)?;
                    i += used;
                    continue;
                }
            }
            i += 1;
        }
        if depth > 0 {
            self.warn(format!(
                "unbalanced '(' in query {:?}: closed at the end",
                self.input
            ));
            out.push_str(&")".repeat(depth));
        }
        Ok(out)
    }

    fn warn(&mut self, w: String) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// The phrase `chars` opens with, and the characters it takes.
    fn phrase(&mut self, chars: &[char]) -> (String, usize) {
        match chars[1..].iter().position(|&c| c == '"') {
            Some(end) => (chars[1..end + 1].iter().collect(), end + 2),
            None => {
                self.warn(format!(
                    "unbalanced '\"' in query {:?}: the phrase runs to the end of the query",
                    self.input
                ));
                (chars[1..].iter().collect(), chars.len())
            }
        }
    }

    /// A word, an operator or a `field:value`; returns the characters taken.
    fn word(&mut self, chars: &[char], defaults: &Fields, out: &mut String) -> Result<usize> {
        let end = chars
            .iter()
            .position(|&c| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
            .unwrap_or(chars.len());
        let word: String = chars[..end].iter().collect();
        if matches!(word.as_str(), "AND" | "OR" | "NOT") {
            out.push_str(&word);
            return Ok(end);
        }
        if word == "*" {
            out.push_str("*:*");
            return Ok(end);
        }
        if let Some((name, rest)) = word.split_once(':') {
            let lower = name.to_ascii_lowercase();
            if let Some(kind) = field_kind(self.target, &lower) {
                return self
                    .field(kind, name, rest, &chars[end..], out)
                    .map(|n| n + end);
            }
            self.check_other_kind(name, &lower)?;
        }
        let value = self.word_value(&word)?;
        out.push_str(&expand(defaults, &value));
        Ok(end)
    }

    /// A word as a Solr value: escaped, or a prefix (`econ*`) as Solr's prefix query, which
    /// matches the indexed terms that start with it as the local search does (folded, not
    /// stemmed; Solr sets no limit on their number). A `*` after part of a word joined by
    /// other characters is dropped with a warning, as locally.
    fn word_value(&mut self, word: &str) -> Result<String> {
        let w = word.trim_end_matches('*');
        if w.len() == word.len() || w.is_empty() {
            return Ok(escape(word));
        }
        if !w.chars().all(char::is_alphanumeric) {
            self.warn(format!(
                "a '*' is read only at the end of a whole word: '{w}*' in query {:?} was searched as '{w}'",
                self.input
            ));
            return Ok(escape(w));
        }
        let p = Prefix::new(w, self.input)?;
        Ok(format!("{}*", escape(&p.folded)))
    }

    /// Refuses a prefix in a phrase (`"economic pol*"`, `"big bad wo"*`), as the local
    /// search does; `after` is what follows the phrase.
    fn check_phrase(&self, phrase: &str, after: Option<&char>) -> Result<()> {
        let chars: Vec<char> = phrase.chars().collect();
        let inside = chars.windows(2).enumerate().any(|(k, w)| {
            w[0].is_alphanumeric()
                && w[1] == '*'
                && chars.get(k + 2).is_none_or(|c| !c.is_alphanumeric())
        });
        if inside || after == Some(&'*') {
            bail!(
                "a prefix ('*') cannot be used inside a phrase (query {:?}); write the phrase's words in full, or search the words without quotes (econ* policy)",
                self.input
            );
        }
        Ok(())
    }

    /// `name:` and its value: the rest of the word, or the phrase or group right after it.
    fn field(
        &mut self,
        kind: Kind,
        name: &str,
        rest: &str,
        after: &[char],
        out: &mut String,
    ) -> Result<usize> {
        if rest == "*" {
            return self.any_value(kind, name, out).map(|_| 0);
        }
        let (value, used) = match (rest.is_empty(), after.first()) {
            (true, Some('"')) => {
                let (p, used) = self.phrase(after);
                // A name's quoted value is its words, not a phrase: `source:"new yo*"`.
                if !matches!(kind, Kind::Name(_)) {
                    self.check_phrase(&p, after.get(used))?;
                }
                (Value::Phrase(p), used)
            }
            (true, Some('(')) => {
                let (inner, used, _) = group(after);
                (Value::Group(inner), used)
            }
            _ => (Value::Word(rest.to_string()), 0),
        };
        let text = match kind {
            Kind::Text(f) => self.value(&value, &vec![(f, 1.0)])?,
            Kind::Name(f) => match &value {
                Value::Group(g) => format!("({})", self.run(g, &vec![(f, 1.0)])?),
                Value::Word(w) | Value::Phrase(w) => self.required_words(f, w)?,
            },
            Kind::Quotes => {
                let sub = self.value(&value, &vec![("q_text", 1.0)])?;
                self.block_join(sub)
            }
        };
        out.push_str(&text);
        Ok(used)
    }

    fn value(&mut self, v: &Value, fields: &Fields) -> Result<String> {
        Ok(match v {
            Value::Word(w) => expand(fields, &self.word_value(w)?),
            Value::Phrase(p) => expand(fields, &phrase_value(p)),
            Value::Group(g) => format!("({})", self.run(g, fields)?),
        })
    }

    /// `quote:*`: articles with a quote (quotes: every quote); any other field is refused,
    /// as in a local search.
    fn any_value(&mut self, kind: Kind, name: &str, out: &mut String) -> Result<()> {
        match (kind, self.target) {
            (Kind::Quotes, _) => {
                let all = self.block_join("doc_type:quote".into());
                out.push_str(&all);
            }
            (Kind::Text("q_text"), Target::Quotes) => out.push_str("doc_type:quote"),
            _ => bail!(
                "'{name}:*' (any value) is not supported in query {:?}; search for words in {}, or use 'quote:*' for what has quotes",
                self.input,
                name.to_ascii_lowercase()
            ),
        }
        Ok(())
    }

    /// Articles one of whose quotes matches `sub`: Solr's block join, answered inside each
    /// shard since an article and its quotes are indexed together.
    fn block_join(&mut self, sub: String) -> String {
        if !self.params.iter().any(|(k, _)| k == PARENTS_PARAM) {
            self.params
                .push((PARENTS_PARAM.into(), PARENTS_FILTER.into()));
        }
        let name = format!("nd_q{}", self.params.len());
        self.params.push((name.clone(), sub));
        format!("{{!parent which=${PARENTS_PARAM} v=${name}}}")
    }

    fn check_other_kind(&self, name: &str, lower: &str) -> Result<()> {
        if self.target == Target::Quotes && field_kind(Target::Articles, lower).is_some() {
            bail!(
                "'{name}:' is a field of `search`, not of quote searches (query {:?}); fields here: quote, quotes, text, speaker, speakers, category, source, author",
                self.input
            );
        }
        Ok(())
    }
}

enum Value {
    Word(String),
    Phrase(String),
    Group(String),
}

fn phrase_value(p: &str) -> String {
    format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One value over the default fields, as one clause: `(title:w^2 OR body:w ...)`.
fn expand(fields: &Fields, value: &str) -> String {
    if fields.len() == 1 {
        return format!("{}:{value}", fields[0].0);
    }
    let parts: Vec<String> = fields
        .iter()
        .map(|(f, b)| match *b == 1.0 {
            true => format!("{f}:{value}"),
            false => format!("{f}:{value}^{b}"),
        })
        .collect();
    format!("({})", parts.join(" OR "))
}

impl Translator<'_> {
    /// `category:world/americas`: each word required, in any order, as the local index
    /// reads category, source and author values; a last word ending in `*` is a prefix.
    fn required_words(&mut self, field: &str, value: &str) -> Result<String> {
        let stem = value.trim_end_matches('*');
        let prefixed = stem.len() < value.len() && stem.ends_with(char::is_alphanumeric);
        let mut words: Vec<String> = stem
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("+{field}:{}", escape(w)))
            .collect();
        if prefixed {
            let last = stem
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let p = Prefix::new(last, self.input)?;
            if let Some(w) = words.last_mut() {
                *w = format!("+{field}:{}*", escape(&p.folded));
            }
        }
        Ok(match words.len() {
            0 => String::new(),
            _ => format!("({})", words.join(" ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str, t: Target) -> String {
        translate(s, t).unwrap().q
    }

    #[test]
    fn words_go_to_the_default_fields_with_their_boosts() {
        assert_eq!(
            q("oil", Target::Articles),
            "(title:oil^2 OR lead:oil^2 OR body:oil OR speaker:oil^1.5)"
        );
        assert_eq!(q("oil", Target::Quotes), "(q_text:oil OR q_speaker:oil)");
    }

    #[test]
    fn fields_names_and_pasted_text() {
        assert_eq!(q("title:oil", Target::Articles), "title:oil");
        assert_eq!(
            q("category:world/americas", Target::Quotes),
            "(+category:world +category:americas)"
        );
        assert_eq!(
            q("Profile:", Target::Quotes),
            "(q_text:Profile\\: OR q_speaker:Profile\\:)"
        );
        assert_eq!(
            q("-source:\"daily ledger\" oil", Target::Quotes),
            "-(+outlet:daily +outlet:ledger) (q_text:oil OR q_speaker:oil)"
        );
    }

    #[test]
    fn quote_field_in_search_is_a_block_join() {
        let t = translate("quote:budget speaker:brown", Target::Articles).unwrap();
        assert_eq!(t.q, "({!parent which=$nd_articles v=$nd_q1} speaker:brown)");
        assert_eq!(
            t.params[1],
            ("nd_q1".to_string(), "q_text:budget".to_string())
        );
    }

    #[test]
    fn prefixes_are_solr_prefix_queries() {
        assert_eq!(
            q("Écon*", Target::Articles),
            "(title:econ*^2 OR lead:econ*^2 OR body:econ* OR speaker:econ*^1.5)"
        );
        assert_eq!(q("title:econ*", Target::Articles), "title:econ*");
        assert_eq!(
            q("source:\"new yo*\" quote:tax*", Target::Quotes),
            "(+outlet:new +outlet:yo*) q_text:tax*"
        );
        let t = translate("O'Ne*", Target::Quotes).unwrap();
        assert_eq!(t.q, "(q_text:O'Ne OR q_speaker:O'Ne)");
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        for bad in [
            "e*",
            "\"economic pol*\"",
            "title:\"big bad wo\"*",
            "\"a b\"*",
        ] {
            let err = translate(bad, Target::Articles).unwrap_err().to_string();
            assert!(
                err.contains("too short") || err.contains("inside a phrase"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn refusals() {
        assert!(translate("-oil", Target::Articles).is_err());
        assert!(translate("title:oil", Target::Quotes).is_err());
        assert!(translate("title:*", Target::Articles).is_err());
    }
}
