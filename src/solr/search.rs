//! `search`, `quotes` and `speakers` answered by a SolrCloud collection: the query
//! translated (`query.rs`), Solr's highlighting and facets, and the answers turned into the
//! result types the local commands print, so the text and JSON output is theirs.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{bail, Result};
use serde_json::Value;

use super::client::{escape, Body, Solr};
use super::query::{translate, Translated};
use crate::search::meta::{FacetCounts, ValueCount};
use crate::search::speakers::{speaker_list, SpeakerList};
use crate::search::{
    ArticleHit, CountResults, DateRange, Facet, QuoteHit, Results, Snippet, Sort, Target,
    TOPIC_ARTICLES,
};

/// Marks around highlighted words: private-use characters, which article text does not
/// hold, taken out again to give byte ranges as the local snippets do.
const HL_PRE: char = '\u{E000}';
const HL_POST: char = '\u{E001}';
/// Characters of an article snippet, as `SearchOptions::snippet_chars` by default.
const SNIPPET_CHARS: usize = 200;

/// What a search asks for beyond the query.
pub(crate) struct Ask<'a> {
    pub limit: usize,
    pub offset: usize,
    pub snippets: bool,
    pub sort: Sort,
    pub dates: DateRange,
    pub facets: &'a [Facet],
}

pub(crate) fn search(
    solr: &Solr,
    input: &str,
    ask: &Ask,
) -> Result<(Results<ArticleHit>, CountResults)> {
    let started = Instant::now();
    let t = translate(input, Target::Articles)?;
    let mut p = Params::of(&t, "doc_type:article", ask);
    p.facets(ask.facets, Target::Articles)?;
    p.add(
        "fl",
        "id,score,title,category_s,date,outlet_s,author_s,url,speaker_name",
    );
    if ask.snippets {
        p.highlight("body", SNIPPET_CHARS);
        // The highlighter cannot see through a block join: it marks the other words.
        if let Some(hl_q) = without_joins(&t) {
            p.add("hl.q", &hl_q);
        }
    }
    let v = solr.collection_request("/select", Body::Form(&p.pairs()))?;
    let hl = &v["highlighting"];
    let hits = docs(&v)
        .enumerate()
        .map(|(i, d)| {
            let id = s(d, "id").unwrap_or_default();
            let snippet = match ask.snippets {
                true => snippet(hl[&id]["body"][0].as_str().unwrap_or("")),
                false => Snippet::default(),
            };
            ArticleHit {
                rank: ask.offset + i + 1,
                score: d["score"].as_f64().unwrap_or(0.0) as f32,
                title: s(d, "title").unwrap_or_default(),
                category: s(d, "category_s").unwrap_or_default(),
                date: day(d),
                source: s(d, "outlet_s"),
                location: None,
                author: d["author_s"][0].as_str().map(str::to_string),
                url: s(d, "url"),
                snippet,
                speakers: strings(&d["speaker_name"]),
                quote: None,
                // A SolrCloud collection holds no duplicate keys: every copy is a hit.
                duplicates: 0,
                also_in: Vec::new(),
                path: id,
            }
        })
        .collect::<Vec<_>>();
    let mut hits = hits;
    if ask.snippets {
        attach_quotes(solr, input, &mut hits, ask.dates)?;
    }
    let counts = facet_counts(&v, ask.facets, Target::Articles);
    Ok((results(input, hits, &v, t.warnings, started), counts))
}

pub(crate) fn quotes(
    solr: &Solr,
    topic: Option<&str>,
    speaker: Option<&str>,
    ask: &Ask,
) -> Result<(Results<QuoteHit>, CountResults)> {
    let started = Instant::now();
    let t = match topic {
        Some(q) => translate(q, Target::Quotes)?,
        None => Translated {
            q: "*:*".into(),
            params: Vec::new(),
            warnings: Vec::new(),
        },
    };
    let mut warnings = t.warnings.clone();
    let mut p = Params::of(&t, "doc_type:quote", ask);
    if let Some(name) = speaker {
        p.add("fq", &speaker_filter(name)?);
        if topic.is_some() {
            warnings.push("with --solr, only the speaker's quotes whose own text matches are listed (not those of articles about the topic)".into());
        }
    }
    p.facets(ask.facets, Target::Quotes)?;
    p.add("fl", QUOTE_FIELDS);
    p.highlight("q_text", 0);
    let v = solr.collection_request("/select", Body::Form(&p.pairs()))?;
    let hits = docs(&v)
        .enumerate()
        .map(|(i, d)| quote_hit(d, &v["highlighting"], ask.offset + i + 1))
        .collect();
    let counts = facet_counts(&v, ask.facets, Target::Quotes);
    let query = topic.unwrap_or("").to_string();
    Ok((results(&query, hits, &v, warnings, started), counts))
}

/// The stored fields a quote hit shows.
const QUOTE_FIELDS: &str =
    "id,score,path,q_text,q_speaker_name,q_kind,q_cue,q_description,q_start,q_end,q_title,date,outlet_s";

fn quote_hit(d: &Value, hl: &Value, rank: usize) -> QuoteHit {
    let id = s(d, "id").unwrap_or_default();
    let quote = match hl[&id]["q_text"][0].as_str() {
        Some(marked) => snippet(marked),
        None => snippet(&s(d, "q_text").unwrap_or_default()),
    };
    QuoteHit {
        rank,
        score: d["score"].as_f64().unwrap_or(0.0) as f32,
        speaker: s(d, "q_speaker_name"),
        kind: s(d, "q_kind").unwrap_or_default(),
        cue: s(d, "q_cue").unwrap_or_default(),
        description: s(d, "q_description"),
        quote,
        path: s(d, "path").unwrap_or_default(),
        location: None,
        title: s(d, "q_title").unwrap_or_default(),
        date: day(d),
        source: s(d, "outlet_s"),
        start: d["q_start"].as_u64().unwrap_or(0),
        end: d["q_end"].as_u64().unwrap_or(0),
        matched: "quote",
        context: None,
    }
}

/// Each article hit's best matching quote, as a local search gives it: the query read as a
/// quote search (none when it cannot be: `title:` words), over the hits' quotes, the best
/// per article kept by Solr's collapse (an article's quotes share its shard).
fn attach_quotes(
    solr: &Solr,
    input: &str,
    hits: &mut [ArticleHit],
    dates: DateRange,
) -> Result<()> {
    let Ok(t) = translate(input, Target::Quotes) else {
        return Ok(());
    };
    if hits.is_empty() {
        return Ok(());
    }
    let ask = Ask {
        limit: hits.len(),
        offset: 0,
        snippets: true,
        sort: Sort::Relevance,
        dates,
        facets: &[],
    };
    let mut p = Params::of(&t, "doc_type:quote", &ask);
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    p.add("fq", "{!terms f=path separator=// v=$nd_hits}");
    p.add("nd_hits", &paths.join("//"));
    p.add("fq", "{!collapse field=path}");
    p.add("fl", QUOTE_FIELDS);
    p.highlight("q_text", 0);
    let v = solr.collection_request("/select", Body::Form(&p.pairs()))?;
    let mut best: HashMap<String, QuoteHit> = docs(&v)
        .map(|d| quote_hit(d, &v["highlighting"], 1))
        .map(|q| (q.path.clone(), q))
        .collect();
    for h in hits.iter_mut() {
        h.quote = best.remove(&h.path);
    }
    Ok(())
}

/// Who is quoted most: the named speakers of the quotes that match the topic and of every
/// quote of the [`TOPIC_ARTICLES`] articles most about it, as a local `speakers` counts.
pub(crate) fn speakers(
    solr: &Solr,
    topic: &str,
    limit: usize,
    dates: DateRange,
) -> Result<SpeakerList> {
    let no_facets = Ask {
        limit: TOPIC_ARTICLES,
        offset: 0,
        snippets: false,
        sort: Sort::Relevance,
        dates,
        facets: &[],
    };
    let (mut p, warnings) = match topic.trim() {
        "" => (Params::of(&all(), "doc_type:quote", &no_facets), Vec::new()),
        q => {
            let articles = translate(q, Target::Articles)?;
            let mut a = Params::of(&articles, "doc_type:article", &no_facets);
            a.add("fl", "id");
            let v = solr.collection_request("/select", Body::Form(&a.pairs()))?;
            let ids: Vec<String> = docs(&v).filter_map(|d| s(d, "id")).collect();
            let mut t = translate(q, Target::Quotes)?;
            if !ids.is_empty() {
                // An article path never holds `//` (its folders are never empty).
                t.q = format!("({}) OR {{!terms f=path separator=// v=$nd_paths}}", t.q);
                t.params.push(("nd_paths".into(), ids.join("//")));
            }
            let w = t.warnings.clone();
            (Params::of(&t, "doc_type:quote", &no_facets), w)
        }
    };
    p.set("rows", "0");
    p.add("fq", "q_kind:(person OR org)");
    p.add(
        "json.facet",
        r#"{"s":{"type":"terms","field":"q_speaker_name","limit":-1,"facet":{"a":"unique(path)"}}}"#,
    );
    let v = solr.collection_request("/select", Body::Form(&p.pairs()))?;
    let mut counts = HashMap::new();
    for b in v["facets"]["s"]["buckets"].as_array().into_iter().flatten() {
        if let Some(name) = b["val"].as_str() {
            let articles = b["a"].as_u64().unwrap_or(0);
            counts.insert(
                name.to_string(),
                (b["count"].as_u64().unwrap_or(0), articles),
            );
        }
    }
    Ok(speaker_list(counts, limit, warnings))
}

/// The query with each block join replaced by "anything", for the highlighter (which marks
/// nothing in a query that has a join, or a clause on a field it does not highlight).
fn without_joins(t: &Translated) -> Option<String> {
    let mut q = t.q.clone();
    for (name, _) in t.params.iter().filter(|(k, _)| k.starts_with("nd_q")) {
        let join = format!(
            "{{!parent which=${} v=${name}}}",
            super::query::PARENTS_PARAM
        );
        q = q.replace(&join, "*:*");
    }
    (q != t.q).then_some(q)
}

fn all() -> Translated {
    Translated {
        q: "*:*".into(),
        params: Vec::new(),
        warnings: Vec::new(),
    }
}

/// `--speaker NAME`: every word of the name in the speaker's name, courtesy titles left out.
fn speaker_filter(name: &str) -> Result<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty() && !crate::quotes::canonical::is_courtesy_title(w))
        .map(|w| format!("+q_speaker:{}", escape(w)))
        .collect();
    if words.is_empty() {
        bail!("--speaker {name:?} names no one: give a name");
    }
    Ok(words.join(" "))
}

/// Request parameters, repeated keys allowed (`fq`).
struct Params(Vec<(String, String)>);

impl Params {
    fn of(t: &Translated, kind: &str, ask: &Ask) -> Params {
        let mut p = Params(Vec::new());
        p.add("q", &t.q);
        p.add("q.op", "AND");
        p.add("fq", kind);
        for (k, v) in &t.params {
            p.add(k, v);
        }
        if let Some(range) = date_filter(ask.dates) {
            p.add("fq", &range);
        }
        p.add("rows", &ask.limit.to_string());
        p.add("start", &ask.offset.to_string());
        p.add(
            "sort",
            match ask.sort {
                Sort::Relevance => "score desc,id asc",
                Sort::Oldest => "date asc,score desc,id asc",
                Sort::Newest => "date desc,score desc,id asc",
            },
        );
        p
    }

    fn add(&mut self, k: &str, v: &str) {
        self.0.push((k.to_string(), v.to_string()));
    }

    fn set(&mut self, k: &str, v: &str) {
        self.0.retain(|(key, _)| key != k);
        self.add(k, v);
    }

    fn highlight(&mut self, field: &str, chars: usize) {
        for (k, v) in [
            ("hl", "true"),
            ("hl.method", "unified"),
            ("hl.fl", field),
            ("hl.snippets", "1"),
            ("hl.fragsize", &chars.to_string()),
            // Cut at words near the size, as local snippets are, not at whole sentences.
            ("hl.bs.type", if chars == 0 { "SENTENCE" } else { "WORD" }),
            ("hl.fragsizeIsMinimum", "false"),
            ("hl.defaultSummary", "true"),
            ("hl.requireFieldMatch", "false"),
            ("hl.tag.pre", &HL_PRE.to_string()),
            ("hl.tag.post", &HL_POST.to_string()),
        ] {
            self.add(k, v);
        }
    }

    /// Solr's field facets over every matching document, with the count of those without
    /// a value.
    fn facets(&mut self, facets: &[Facet], target: Target) -> Result<()> {
        if facets.is_empty() {
            return Ok(());
        }
        self.add("facet", "true");
        self.add("facet.limit", "-1");
        self.add("facet.mincount", "1");
        self.add("facet.missing", "true");
        for f in facets {
            self.add("facet.field", facet_field(*f, target));
        }
        Ok(())
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

fn facet_field(f: Facet, target: Target) -> &'static str {
    match (f, target) {
        (Facet::Source, _) => "outlet_s",
        (Facet::Category, _) => "category_s",
        (Facet::Author, _) => "author_s",
        (Facet::Speaker, Target::Articles) => "speaker_name",
        (Facet::Speaker, Target::Quotes) => "q_speaker_name",
        (Facet::Year, _) => "year_s",
        (Facet::Month, _) => "month_s",
    }
}

/// The facet counts of an answer, largest first, as the local counts are.
fn facet_counts(v: &Value, facets: &[Facet], target: Target) -> CountResults {
    let mut out = CountResults::default();
    for f in facets {
        let field = facet_field(*f, target);
        // Solr's flat list: value, count, value, count...; the missing count has a null value.
        let flat = v["facet_counts"]["facet_fields"][field]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut values = Vec::new();
        let mut missing = 0;
        for pair in flat.chunks(2) {
            let count = pair.get(1).and_then(Value::as_u64).unwrap_or(0);
            match pair[0].as_str() {
                Some(value) => values.push(ValueCount {
                    value: value.to_string(),
                    count,
                }),
                None => missing = count,
            }
        }
        // Periods in time order, other values largest first, as the local counts are.
        match f {
            Facet::Year | Facet::Month => values.sort_by(|a, b| a.value.cmp(&b.value)),
            _ => values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value))),
        }
        out.facets.push(FacetCounts {
            facet: *f,
            values,
            missing,
        });
    }
    out
}

fn date_filter(d: DateRange) -> Option<String> {
    if d.is_open() {
        return None;
    }
    let end = |day: Option<crate::ingest::dates::Day>| {
        day.map_or("*".to_string(), |d| format!("{d}T00:00:00Z"))
    };
    Some(format!("date:[{} TO {}]", end(d.since), end(d.until)))
}

fn docs(v: &Value) -> impl Iterator<Item = &Value> {
    v["response"]["docs"].as_array().into_iter().flatten()
}

fn s(d: &Value, field: &str) -> Option<String> {
    d[field].as_str().map(str::to_string)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// `2016-07-13T00:00:00Z` as the local output writes a date.
fn day(d: &Value) -> Option<String> {
    d["date"].as_str().map(|t| t.chars().take(10).collect())
}

fn results<H>(
    query: &str,
    hits: Vec<H>,
    v: &Value,
    warnings: Vec<String>,
    started: Instant,
) -> Results<H> {
    Results {
        query: query.to_string(),
        hits,
        total: Some(v["response"]["numFound"].as_u64().unwrap_or(0) as usize),
        warnings,
        took_ms: started.elapsed().as_secs_f64() * 1e3,
        // Spelling suggestions come from the local index's term dictionary.
        suggestion: None,
    }
}

/// Solr's highlighted text as a snippet: the marks taken out, their places kept as byte
/// ranges; a snippet cut inside a word starts and ends at a word.
fn snippet(marked: &str) -> Snippet {
    let mut text = String::with_capacity(marked.len());
    let mut highlights = Vec::new();
    let mut open = None;
    for c in marked.trim().chars() {
        match c {
            HL_PRE => open = Some(text.len()),
            HL_POST => {
                if let Some(start) = open.take() {
                    highlights.push([start, text.len()]);
                }
            }
            // Line breaks and runs of spaces read as one space, as in a local snippet.
            c if c.is_whitespace() => {
                if !text.ends_with(' ') {
                    text.push(' ');
                }
            }
            _ => text.push(c),
        }
    }
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_byte_ranges() {
        let s = snippet("Caf\u{e9} \u{E000}oil\u{E001} and\n\n\u{E000}gas\u{E001}");
        assert_eq!(s.text, "Caf\u{e9} oil and gas");
        assert_eq!(s.highlights, vec![[6, 9], [14, 17]]);
    }

    #[test]
    fn speaker_names_drop_titles() {
        assert_eq!(
            speaker_filter("Mr Tony Blair").unwrap(),
            "+q_speaker:Tony +q_speaker:Blair"
        );
        assert!(speaker_filter("Mr").is_err());
    }
}
