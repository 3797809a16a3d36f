//! Choosing one source among the patterns' proposals, or none.
//!
//! Proposals naming the same source are one candidate. Each candidate's features (which
//! patterns named it, how the text names it, where it is named relative to the quote) go to
//! the scorer; the most probable candidate is named when its probability reaches the
//! scorer's threshold, and otherwise the quote keeps no speaker.

use super::patterns::{Pattern, Proposal, Shape};
use super::{cues, Attr, Ctx, Speaker, ROLE_OBJECT, ROLE_SUBJECT};
use crate::quotes::marks::Piece;
use crate::quotes::scorer::{Features, ScoredCandidate, Weights};
use crate::quotes::{canonical, names};
use crate::quotes::{Quote, SpeakerKind};

/// The quote being attributed, as the features see it.
pub struct QuoteSite<'a> {
    pub p: usize,
    pub q: usize,
    pub qtext: &'a str,
    /// Byte offset of the quote in the article.
    pub start: usize,
    /// The previous quote's most probable source, and its probability.
    pub previous: Option<&'a str>,
    pub previous_confidence: f32,
    /// The previous quote's paragraph and the byte offset of its end.
    pub previous_at: Option<(usize, usize)>,
    /// The quote is a fragment of a sentence ([`super::is_fragment`]).
    pub fragment: bool,
    /// Nothing but punctuation before the quote in its paragraph.
    pub opens_paragraph: bool,
}

/// The attribution of one piece.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub attr: Attr,
    pub pattern: Option<Pattern>,
    pub confidence: Option<f32>,
    /// The most probable candidate and its probability, named or not.
    pub best: Option<(Attr, f32)>,
    /// Every candidate with its score, for `parse --explain`; empty unless asked for.
    pub candidates: Vec<ScoredCandidate>,
}

impl Chosen {
    pub fn unknown(cue: String) -> Chosen {
        Chosen {
            attr: Attr {
                speaker: Speaker::default(),
                cue,
                cue_at: None,
            },
            pattern: None,
            confidence: None,
            best: None,
            candidates: Vec::new(),
        }
    }

    pub fn into_quote(self, cx: &Ctx, piece: &Piece) -> Quote {
        let kind = match (&self.attr.speaker.name, self.attr.speaker.kind) {
            (None, _) => SpeakerKind::Unknown,
            (Some(_), Some(k)) => k,
            (Some(_), None) => SpeakerKind::Person,
        };
        Quote {
            text: cx.text[piece.start..piece.end].to_string(),
            speaker: self.attr.speaker.name,
            kind,
            cue: self.attr.cue,
            description: self.attr.speaker.desc,
            start: piece.start,
            end: piece.end,
            in_title: cx.paras[piece.para].is_title,
            pattern: self.pattern.map(Pattern::name),
            confidence: self.confidence,
            candidates: self.candidates,
        }
    }
}

/// All proposals that name one source.
struct Candidate<'a> {
    name: &'a str,
    /// Position of its first proposal in the patterns' order.
    rank: usize,
    proposals: Vec<&'a Proposal>,
}

fn group(proposals: &[Proposal]) -> Vec<Candidate<'_>> {
    let mut out: Vec<Candidate> = Vec::new();
    for (rank, pr) in proposals.iter().enumerate() {
        let Some(name) = pr.attr.speaker.name.as_deref() else {
            continue;
        };
        match out.iter_mut().find(|c| c.name == name) {
            Some(c) => c.proposals.push(pr),
            None => out.push(Candidate {
                name,
                rank,
                proposals: vec![pr],
            }),
        }
    }
    out
}

/// Picks the source of one quote, or none when no candidate is probable enough.
pub fn choose(
    cx: &Ctx,
    site: &QuoteSite,
    proposals: Vec<Proposal>,
    cue: String,
    weights: &Weights,
    explain: bool,
) -> Chosen {
    let groups = group(&proposals);
    let scored: Vec<(f32, Features)> = groups
        .iter()
        .map(|c| {
            let f = features(cx, site, c, groups.len());
            (weights.probability(&f), f)
        })
        .collect();
    let best = (0..groups.len()).max_by(|&a, &b| scored[a].0.total_cmp(&scored[b].0));
    let candidates = if explain {
        groups
            .iter()
            .zip(&scored)
            .map(|(c, (prob, f))| ScoredCandidate {
                speaker: c.name.to_string(),
                patterns: c.proposals.iter().map(|p| p.pattern.name()).collect(),
                probability: *prob,
                features: f.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // the cue of the most precise proposal, even when its source cannot be named
    let first_cue = proposals.first().map_or(cue, |p| p.attr.cue.clone());
    let best_attr = best.map(|b| (groups[b].proposals[0].attr.clone(), scored[b].0));
    match best {
        Some(b) if scored[b].0 >= weights.threshold => {
            let winner = groups[b].proposals[0];
            Chosen {
                attr: winner.attr.clone(),
                pattern: Some(winner.pattern),
                confidence: Some(scored[b].0),
                best: best_attr,
                candidates,
            }
        }
        _ => Chosen {
            candidates,
            best: best_attr,
            ..Chosen::unknown(first_cue)
        },
    }
}

/// The features of one candidate. Names are stable: they are the keys of the weights file.
fn features(cx: &Ctx, site: &QuoteSite, c: &Candidate, n_candidates: usize) -> Features {
    let mut f = Features::default();
    let first = c.proposals[0];
    for pr in &c.proposals {
        f.flag(named("pat", pr.pattern.name()));
    }
    if c.rank == 0 {
        f.flag(named("first", first.pattern.name()));
    }
    f.flag(named("shape", first.shape.name()));
    let kind = first.attr.speaker.kind.unwrap_or(SpeakerKind::Person);
    f.flag(named("kind", kind.as_str()));
    f.flag(named(
        "candidates",
        count(n_candidates.min(MAX_COUNTED_CANDIDATES)),
    ));
    f.flag(named("cue", cue_class(cx, first)));
    f.flag(named("distance", distance_bucket(site, first)));
    f.flag(named("rank", count(c.rank.min(MAX_COUNTED_RANK))));
    if site.fragment {
        f.flag("fragment");
    }
    f.flag(named("quote-end", quote_end(site.qtext)));
    if site.opens_paragraph {
        f.flag("opens-paragraph");
    }
    if site.previous == Some(c.name) {
        f.flag("previous-speaker");
        f.value("previous-confidence", site.previous_confidence);
        if let Some((pp, _)) = site.previous_at {
            f.flag(named(
                "previous-gap",
                paragraph_gap(site.p.saturating_sub(pp)),
            ));
        }
    }
    if named_inside(site.qtext, c.name) {
        f.flag("named-in-quote");
    }
    let name_words = c.name.split_whitespace().count();
    if name_words == 1 {
        f.flag("single-word");
    } else if name_words > MAX_NAME_WORDS {
        // "Zoe Saldana Asked Men Everywhere To": a headline in title case, not a name
        f.flag("long-name");
    }
    // a place, a demonym, a title alone, common words: `speakers` would not list it
    if !is_listable_name(c.name) {
        f.flag("not-a-name");
    }
    // "told Yahoo News", "wrote in the Chicago Tribune": a paper is often where the words
    // appeared rather than who said them
    if names::is_press_name(c.name) {
        f.flag("press-name");
    }
    entity_features(cx, site, c.name, &mut f);
    antecedent_features(cx, c, &mut f);
    f
}

/// Whether `speakers` would list the name ([`canonical::is_listable`] of its key), remembered
/// per thread: an article asks about the same few names at every quote, and the news about
/// the same people across articles.
fn is_listable_name(name: &str) -> bool {
    thread_local! {
        static LISTABLE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, bool>> =
            Default::default();
    }
    LISTABLE.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(&known) = memo.get(name) {
            return known;
        }
        if memo.len() >= LISTABLE_MEMO_NAMES {
            memo.clear();
        }
        let listable = canonical::is_listable(&canonical::canonical_key(name));
        memo.insert(name.into(), listable);
        listable
    })
}

/// Names remembered per thread by [`is_listable_name`] before the memo starts over: a few
/// hundred kilobytes at most.
const LISTABLE_MEMO_NAMES: usize = 8192;

/// For a source named by he/she: how recently, among the people that pronoun may stand
/// for, the candidate was named, and whether as a subject.
fn antecedent_features(cx: &Ctx, c: &Candidate, f: &mut Features) {
    let Some(pronoun) = c.proposals.iter().find_map(|pr| pr.pronoun) else {
        return;
    };
    let antecedents = cx.antecedents(pronoun.pos, pronoun.gender);
    let found = antecedents
        .iter()
        .enumerate()
        .find(|(_, a)| cx.reg.entities[a.id].name == c.name);
    match found {
        Some((rank, a)) => {
            f.flag(named("antecedent", count(rank)));
            if a.subject {
                f.flag("antecedent-subject");
            }
        }
        None => f.flag("antecedent:none"),
    }
}

/// Paragraphs between the previous quote and this one, as a feature value.
fn paragraph_gap(gap: usize) -> &'static str {
    match gap {
        0 => "same",
        1 => "next",
        _ => "far",
    }
}

/// Words in most names of people and organisations ("Martin Luther King Jr", "Senate Armed
/// Services Committee"); a candidate longer than this gets the `long-name` feature.
const MAX_NAME_WORDS: usize = 4;

/// Ranks of a candidate's first proposal told apart by the `rank:N` feature.
const MAX_COUNTED_RANK: usize = 2;

/// The punctuation a quotation ends with: a comma hands over to an attribution after it.
fn quote_end(q: &str) -> &'static str {
    match q
        .trim_end_matches(['\'', '\u{2019}', '"', '\u{201d}'])
        .chars()
        .last()
    {
        Some(',') => "comma",
        Some('.') => "period",
        Some('?' | '!') => "question",
        Some('-' | '\u{2014}' | '\u{2013}' | '\u{2026}') => "dash",
        _ => "other",
    }
}

/// `group:value`, the name of a feature with a value from a fixed set. Names are made once
/// per thread and kept: there are a few dozen, and scoring then allocates nothing.
fn named(group: &'static str, value: &'static str) -> &'static str {
    thread_local! {
        static NAMES: std::cell::RefCell<rustc_hash::FxHashMap<(&'static str, &'static str), &'static str>> =
            Default::default();
    }
    NAMES.with(|names| {
        *names
            .borrow_mut()
            .entry((group, value))
            .or_insert_with(|| Box::leak(format!("{group}:{value}").into_boxed_str()))
    })
}

/// A small count as a feature value.
fn count(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        _ => "many",
    }
}

/// At most this many candidates are told apart by the `candidates:N` feature.
const MAX_COUNTED_CANDIDATES: usize = 3;

/// Salience and grammatical role of the candidate's entity in the article.
fn entity_features(cx: &Ctx, site: &QuoteSite, name: &str, f: &mut Features) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(id) = cx.reg.lookup(&words) else {
        f.flag("not-in-registry");
        return;
    };
    if cx.reg.entities[id].confirmed {
        f.flag("confirmed");
    }
    let para = &cx.paras[site.p];
    let (ss, se) = para.sents[para.sent_of[site.q]];
    let (lo, hi) = (para.toks[ss].s, para.toks[se - 1].e);
    let mut mentions = 0usize;
    let (mut subject, mut object) = (false, false);
    for &(pos, who, role) in &cx.mentions {
        if who != id {
            continue;
        }
        mentions += 1;
        if (lo..hi).contains(&pos) {
            subject |= role == ROLE_SUBJECT;
            object |= role == ROLE_OBJECT;
        }
    }
    f.value("log-mentions", (1.0 + mentions as f32).ln());
    if let Some((_, prev_end)) = site.previous_at {
        // mentions are in text order
        let from = cx.mentions.partition_point(|m| m.0 < prev_end);
        let to = cx.mentions.partition_point(|m| m.0 < site.start).max(from);
        let between = &cx.mentions[from..to];
        if between.iter().any(|m| m.1 == id) {
            f.flag("named-since-previous");
        }
        if between.iter().any(|m| m.1 != id) {
            f.flag("others-named-since-previous");
        }
    }
    if subject {
        f.flag("subject-in-sentence");
    } else if object {
        f.flag("object-in-sentence");
    }
}

fn cue_class(cx: &Ctx, pr: &Proposal) -> &'static str {
    let Some((p, v)) = pr.attr.cue_at else {
        return "none";
    };
    let Some(l) = cx.lword(p, v) else {
        return if pr.attr.cue == ":" { "colon" } else { "none" };
    };
    match cues::speech_base(l) {
        _ if l == "according" => "according",
        Some("say") => "say",
        Some("tell") => "tell",
        Some("add") => "add",
        Some(b) if cues::weak_verb(b) => "weak",
        Some(b) if cues::naming_verb(b) => "naming",
        Some(_) => "other",
        None => "none",
    }
}

fn distance_bucket(site: &QuoteSite, pr: &Proposal) -> &'static str {
    if pr.shape == Shape::Inherited {
        return "inherited";
    }
    match pr.attr.cue_at {
        None => "none",
        Some((p, _)) if p != site.p => "other-paragraph",
        Some((_, v)) => match v.abs_diff(site.q) {
            0..=NEAR_TOKENS => "near",
            _ if v.abs_diff(site.q) <= MID_TOKENS => "mid",
            _ => "far",
        },
    }
}

/// Distance buckets, in tokens between cue and quote.
const NEAR_TOKENS: usize = 3;
const MID_TOKENS: usize = 12;

/// Is the candidate's surname among the quoted words? A quote about a person is often
/// not by them.
fn named_inside(qtext: &str, name: &str) -> bool {
    let Some(last) = name.split_whitespace().last() else {
        return false;
    };
    let last = names::strip_possessive(last);
    last.chars().next().is_some_and(char::is_uppercase)
        && qtext
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .any(|w| names::strip_possessive(w) == last)
}

#[cfg(test)]
mod tests {
    #[test]
    fn feature_names_are_group_colon_value_and_made_once() {
        let a = super::named("pat", "cue-after");
        assert_eq!(a, "pat:cue-after");
        assert!(std::ptr::eq(a, super::named("pat", "cue-after")));
        assert_eq!(super::named("rank", super::count(2)), "rank:2");
    }
}
