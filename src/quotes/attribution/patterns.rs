//! The patterns that propose a quote's speaker, one function each, registered in [`Pattern`].
//!
//! A pattern looks at a bounded window around the quote and proposes at most one source. It
//! does not decide: every proposal goes to the scorer (`quotes::scorer`), which weighs the
//! patterns against each other with weights learned from human annotations. The pattern's
//! name is what a quote records, what `parse --explain` prints and what the scorer's
//! features are named by.

use super::{
    cues, is_fragment, is_title_like, spans, Attr, Ctx, Np, AUX, DETERMINERS, FUNCTION, WINDOW,
};
use crate::quotes::marks::Piece;
use crate::quotes::names::{self, Gender};
use crate::quotes::tokens::K;

/// Every pattern, in the order the old sieve tried them. The order is kept as a feature
/// (`first`): the most precise patterns come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    Continuation,
    SameCue,
    CueBefore,
    CueBeforeAdding,
    Colon,
    CueAfter,
    CoordinatedFragment,
    ReportedSpeech,
    CoordinatedVerb,
    CueLater,
    CoordinatedGap,
    SentenceCue,
    PreviousSentence,
    PreviousQuote,
    NearestSubject,
    Antecedent,
    HeadlineFromBody,
    Echo,
}

impl Pattern {
    pub const ALL: &'static [Pattern] = &[
        Pattern::Continuation,
        Pattern::SameCue,
        Pattern::CueBefore,
        Pattern::CueBeforeAdding,
        Pattern::Colon,
        Pattern::CueAfter,
        Pattern::CoordinatedFragment,
        Pattern::ReportedSpeech,
        Pattern::CoordinatedVerb,
        Pattern::CueLater,
        Pattern::CoordinatedGap,
        Pattern::SentenceCue,
        Pattern::PreviousSentence,
        Pattern::PreviousQuote,
        Pattern::NearestSubject,
        Pattern::Antecedent,
        Pattern::HeadlineFromBody,
        Pattern::Echo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::Continuation => "continuation",
            Pattern::SameCue => "same-cue",
            Pattern::CueBefore => "cue-before",
            Pattern::CueBeforeAdding => "cue-before-adding",
            Pattern::Colon => "colon",
            Pattern::CueAfter => "cue-after",
            Pattern::CoordinatedFragment => "coordinated-fragment",
            Pattern::ReportedSpeech => "reported-speech",
            Pattern::CoordinatedVerb => "coordinated-verb",
            Pattern::CueLater => "cue-later",
            Pattern::CoordinatedGap => "coordinated-gap",
            Pattern::SentenceCue => "sentence-cue",
            Pattern::PreviousSentence => "previous-sentence",
            Pattern::PreviousQuote => "previous-quote",
            Pattern::NearestSubject => "nearest-subject",
            Pattern::Antecedent => "antecedent",
            Pattern::HeadlineFromBody => "headline-from-body",
            Pattern::Echo => "echo",
        }
    }

    pub fn doc(self) -> &'static str {
        match self {
            Pattern::Continuation => {
                "a paragraph that continues an open quotation keeps its source"
            }
            Pattern::SameCue => "a cue already used by the previous quote in the sentence",
            Pattern::CueBefore => "X said: \"...\" / X said, \"...\" / according to X, \"...\"",
            Pattern::CueBeforeAdding => {
                "adding: \"...\" with no subject of its own: the current source"
            }
            Pattern::Colon => "Name: \"...\" with a colon alone",
            Pattern::CueAfter => "\"...,\" X said / \"...,\" said X / \"...,\" according to X",
            Pattern::CoordinatedFragment => {
                "\"a\" and \"b\": a fragment right after an attributed one"
            }
            Pattern::ReportedSpeech => {
                "X said the plan was \"a gamble\": a cue earlier in the sentence"
            }
            Pattern::CoordinatedVerb => {
                "X confirmed it and said, \"...\": the subject of the verb a cue is joined to"
            }
            Pattern::CueLater => {
                "... \"a 100% effort\" to end it, X added: a cue later in the sentence"
            }
            Pattern::CoordinatedGap => {
                "accused them of \"x\" and of \"y\": a further fragment of one cue"
            }
            Pattern::SentenceCue => {
                "X said the aides were \"careless\", but \"no prosecutor\" would: a later \
                 fragment of the sentence whose cue gave the first"
            }
            Pattern::PreviousSentence => {
                "a reported-speech sentence just before a quote with no cue"
            }
            Pattern::PreviousQuote => "the source of the previous quote, nothing between",
            Pattern::NearestSubject => "the nearest person named as a subject before the quote",
            Pattern::Antecedent => {
                "\"...,\" he said: another person of that gender named shortly before"
            }
            Pattern::HeadlineFromBody => {
                "a headline quote: the source of the same words in the body"
            }
            Pattern::Echo => "words with no source of their own that one source says in full",
        }
    }
}

/// How the proposing words name the source: the scorer trusts a name more than a pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Name,
    Pronoun,
    Common,
    /// Taken over from another quote's attribution.
    Inherited,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Name => "name",
            Shape::Pronoun => "pronoun",
            Shape::Common => "common",
            Shape::Inherited => "inherited",
        }
    }

    fn of(np: &Np) -> Shape {
        match np {
            Np::Pron { .. } => Shape::Pronoun,
            Np::Name { .. } => Shape::Name,
            Np::Common { .. } => Shape::Common,
        }
    }
}

/// One pattern's proposal.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub pattern: Pattern,
    pub attr: Attr,
    pub shape: Shape,
    /// The he/she that named the source, when one did.
    pub pronoun: Option<Pronoun>,
}

/// A personal pronoun standing for the source: where it is and the gender it asks for.
#[derive(Clone, Copy, Debug)]
pub struct Pronoun {
    pub pos: usize,
    pub gender: Gender,
}

/// What the patterns say about the piece as a whole.
pub enum Verdict {
    /// Words mentioned as words, titles, uncredited fragments: not a quotation.
    NotAQuote,
    /// A quotation, with every proposal made for it (possibly none); `cue` is a speech verb
    /// that governs it when no proposal names a source.
    Quote {
        proposals: Vec<Proposal>,
        cue: String,
    },
}

/// The quote being attributed and the bounds every pattern looks within (token indexes).
pub struct Site<'s> {
    pub piece: &'s Piece,
    pub p: usize,
    pub q: usize,
    /// Sentence bounds.
    pub ss: usize,
    pub se: usize,
    /// Look-around bounds: the neighbouring quotes or [`WINDOW`] tokens.
    pub left_lo: usize,
    pub right_hi: usize,
    pub prev_quote: Option<usize>,
    pub fragment: bool,
    pub qtext: &'s str,
}

/// The previous quote's attribution, with its paragraph.
pub struct Last<'a> {
    pub p: usize,
    pub attr: &'a Attr,
}

/// Runs every pattern on the quote at token `q` of paragraph `p`.
pub fn propose(cx: &Ctx, piece: &Piece, p: usize, q: usize, last: Option<Last>) -> Verdict {
    let qtext = &cx.text[piece.start..piece.end];
    let para = &cx.paras[p];
    let (ss, se) = para.sents[para.sent_of[q]];
    let prev_attr = last.as_ref().map(|l| l.attr);
    let mut proposals = Vec::new();
    if piece.cont {
        if let Some(prev) = prev_attr {
            proposals.push(inherit(Pattern::Continuation, prev, None));
        }
        return Verdict::Quote {
            proposals,
            cue: String::new(),
        };
    }
    if spans::is_mention_quote(cx, p, q) {
        return Verdict::NotAQuote;
    }
    let real_quote =
        |i: usize| matches!(para.toks[i].k, K::Quote(_)) && !spans::is_mention_quote(cx, p, i);
    let prev_quote = (ss..q).rev().find(|&i| real_quote(i));
    let next_quote = (q + 1..se).find(|&i| real_quote(i));
    let site = Site {
        piece,
        p,
        q,
        ss,
        se,
        left_lo: prev_quote
            .map_or(ss, |x| x + 1)
            .max(q.saturating_sub(WINDOW)),
        right_hi: next_quote.unwrap_or(se).min(q + 1 + WINDOW),
        prev_quote,
        fragment: is_fragment(qtext),
        qtext,
    };
    proposals.extend(cue_before(cx, &site, prev_attr));
    proposals.extend(cue_after(cx, &site, prev_attr));
    proposals.extend(coordinated_fragment(cx, &site, prev_attr));
    let reported = reported_speech(cx, &site, prev_attr);
    if reported.title_like && proposals.is_empty() {
        return Verdict::NotAQuote;
    }
    proposals.extend(reported.proposal);
    proposals.extend(coordinated_verb(cx, &site));
    proposals.extend(cue_later(cx, &site, prev_attr));
    proposals.extend(coordinated_gap(cx, &site, prev_attr));
    if site.fragment {
        if proposals.is_empty() {
            return match reported.open_cue.or_else(|| open_cue(cx, &site)) {
                // reported speech whose source only an earlier quote's cue may tell; a
                // fragment with no cue at all stays a mention (`the prime minister's "turf"`)
                Some(cue) => Verdict::Quote {
                    proposals: sentence_cue(cx, &site, prev_attr).into_iter().collect(),
                    cue,
                },
                None => Verdict::NotAQuote,
            };
        }
    } else {
        proposals.extend(previous_sentence(cx, &site, prev_attr));
        proposals.extend(previous_quote(&site, last.as_ref()));
    }
    proposals.extend(nearest_subject(cx, &site));
    let others = antecedents(cx, &proposals);
    proposals.extend(others);
    Verdict::Quote {
        proposals,
        cue: String::new(),
    }
}

fn inherit(pattern: Pattern, prev: &Attr, cue: Option<(String, (usize, usize))>) -> Proposal {
    let mut attr = prev.clone();
    match cue {
        Some((c, at)) => {
            attr.cue = c;
            attr.cue_at = Some(at);
        }
        None => attr.cue = String::new(),
    }
    Proposal {
        pattern,
        attr,
        shape: Shape::Inherited,
        pronoun: None,
    }
}

/// A proposal from a cue at token `v` and the noun phrase that is its subject.
fn make(
    cx: &Ctx,
    at: (usize, usize),
    pattern: Pattern,
    cue: &str,
    np: Option<Np>,
    last: Option<&Attr>,
) -> Option<Proposal> {
    let np = np?;
    if !Ctx::np_is_speakerish(&np) {
        return None;
    }
    let speaker = cx.resolve(&np, last);
    let pronoun = match &np {
        Np::Pron { lw, pos } => personal_pronoun(lw, *pos),
        _ => None,
    };
    Some(Proposal {
        pattern,
        shape: Shape::of(&np),
        attr: Attr {
            speaker,
            cue: cue.to_string(),
            cue_at: Some(at),
        },
        pronoun,
    })
}

/// The previous quote's attribution when it came from the cue at `v` of this paragraph.
fn same_cue(s: &Site, v: usize, last: Option<&Attr>) -> Option<Proposal> {
    let prev = last?;
    (prev.cue_at == Some((s.p, v))).then(|| inherit(Pattern::SameCue, prev, None))
}

/// `X said: "`, `X said "`, `X said, "`, `X told Y: "`, `according to X, "`.
fn cue_before(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (p, q, left_lo) = (s.p, s.q, s.left_lo);
    let colon = q > left_lo && cx.is_punct(p, q - 1, ':');
    let k = if q > left_lo && (colon || cx.is_punct(p, q - 1, ',')) {
        q - 1
    } else {
        q
    };
    if k <= left_lo {
        return None;
    }
    let found = if colon {
        cx.find_cue(p, left_lo, k, true)
    } else {
        cx.find_cue(p, k - 1, k, true).or_else(|| {
            cx.find_cue(p, k.saturating_sub(2), k - 1, true)
                .filter(|c| c.1 == "according")
        })
    };
    let Some((cue, base, v, last_t)) = found else {
        // a colon alone after a name
        if !colon {
            return None;
        }
        let np = cx.np_left(p, q - 2, left_lo)?;
        return matches!(np, Np::Name { .. })
            .then(|| make(cx, (p, q - 1), Pattern::Colon, ":", Some(np), last))
            .flatten();
    };
    if let Some(a) = same_cue(s, v, last) {
        return Some(a);
    }
    let lo = left_lo.max(s.ss);
    let participle = v > lo && cx.is_punct(p, v - 1, ',') && cue.ends_with("ing");
    let np = if base == "according" {
        cx.np_right(p, last_t + 1, k).map(|x| x.0)
    } else if participle {
        // `X stepped up his emphasis on the issue, saying, "...`: the main clause's subject
        cx.clause_subject(p, lo, v)
    } else {
        cx.subject_left(p, v, lo).or_else(|| {
            // `Stated Stone: "...`, `In other words, explained X: "...`: a cue opening
            // the sentence or following its opening phrase, its subject after it
            (colon && (v == lo || cx.is_punct(p, v - 1, ',')))
                .then(|| cx.np_right(p, last_t + 1, k))
                .flatten()
                .filter(|&(_, b)| b + 1 == k)
                .map(|x| x.0)
        })
    };
    if let Some(a) = make(cx, (p, v), Pattern::CueBefore, &cue, np, last) {
        return Some(a);
    }
    // "adding:" with no subject of its own: the current speaker
    if cue.ends_with("ing") || s.prev_quote.is_some() {
        return last.map(|prev| inherit(Pattern::CueBeforeAdding, prev, Some((cue, (p, v)))));
    }
    None
}

/// `"…," X said`, `"…," said X`, `"…," according to X`, `"…," X told reporters.`
fn cue_after(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (p, q, right_hi) = (s.p, s.q, s.right_hi);
    let para = &cx.paras[p];
    let full_end = s
        .qtext
        .trim_end_matches(['\'', '\u{2019}'])
        .ends_with([',', '?', '!', '\u{2014}', '-', '\u{2026}'])
        || cx.is_punct(p, q + 1, ',');
    let lim = right_hi.min(q + 1 + CUE_AFTER_REACH);
    let mut v_found = None;
    for i in q + 1..lim {
        if let K::Punct('.' | ';' | '?' | '!' | ':') = para.toks[i].k {
            if !cx.is_abbrev_period(p, i) {
                break;
            }
        }
        if let Some(c) = cx.cue_at(p, i) {
            v_found = Some((c, i));
            break;
        }
    }
    let ((cue, base, last_t), v) = v_found?;
    let adjacent = v == q + 1 || v == q + 2 && cx.is_punct(p, q + 1, ',');
    // the verb closes its clause: `, X added.` / `, X told reporters.`
    let clause_ends = (last_t + 1..(last_t + 5).min(para.toks.len()))
        .any(|i| !matches!(para.toks[i].k, K::Word))
        || last_t + 1 >= right_hi;
    if !(full_end || adjacent || clause_ends || base == "according") {
        return None;
    }
    let np = if base == "according" {
        cx.np_right(p, last_t + 1, right_hi).map(|x| x.0)
    } else {
        subject_after_quote(cx, s, base, v, last_t, adjacent)
            .or_else(|| cx.by_agent(p, last_t, right_hi))
    };
    make(cx, (p, v), Pattern::CueAfter, &cue, np, last)
}

/// How far (in tokens) after a quote its trailing cue may start.
const CUE_AFTER_REACH: usize = 25;

/// The subject of a cue after the quote: on its left (`"…," X said`) or, inverted, on its
/// right (`"…," said X`).
fn subject_after_quote(
    cx: &Ctx,
    s: &Site,
    base: &str,
    v: usize,
    last_t: usize,
    adjacent: bool,
) -> Option<Np> {
    let (p, q, right_hi) = (s.p, s.q, s.right_hi);
    let para = &cx.paras[p];
    let left = if adjacent {
        None
    } else {
        cx.subject_left(p, v, q + 1)
    };
    // an inverted saying verb with a name that ends the clause outranks a common noun
    // phrase on its left: `"pet cams", local TV, too says BT.`
    let left = match left {
        Some(Np::Common { .. }) | None if cues::inverts(base) && cx.cap_word(p, last_t + 1) => cx
            .np_right(p, last_t + 1, right_hi)
            .filter(|(np, b)| {
                matches!(np, Np::Name { .. })
                    && !matches!(
                        para.toks.get(b + 1).map(|t| t.k),
                        Some(K::Word | K::Quote(_))
                    )
            })
            .map(|x| x.0)
            .or(left),
        other => other,
    };
    left.or_else(|| {
        let comma_before = v > q + 1 && cx.is_punct(p, v - 1, ',') || adjacent;
        (comma_before || v == q + 1)
            .then(|| cx.np_right(p, last_t + 1, right_hi).map(|x| x.0))
            .flatten()
    })
}

/// `"a" and "b"`: a fragment right after one attributed by a cue earlier in the sentence.
fn coordinated_fragment(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (pq, prev) = (s.prev_quote?, last?);
    let (p, q) = (s.p, s.q);
    let between_ok = (pq + 1..q).all(|i| match cx.paras[p].toks[i].k {
        K::Punct(',') => true,
        K::Word => matches!(cx.lword(p, i), Some("and" | "or" | "but")),
        _ => false,
    });
    let close = q - pq <= COORDINATED_GAP_TOKENS;
    (close && between_ok && prev.cue_at.is_some_and(|(cp, cv)| cp == p && cv < pq)).then(|| {
        Proposal {
            pattern: Pattern::CoordinatedFragment,
            attr: prev.clone(),
            shape: Shape::Inherited,
            pronoun: None,
        }
    })
}

/// At most this many tokens (commas and conjunctions) between two coordinated fragments.
const COORDINATED_GAP_TOKENS: usize = 3;

/// What the reported-speech pattern found.
struct Reported {
    proposal: Option<Proposal>,
    /// A fragment named as a title by a naming verb (`a film called "X"`).
    title_like: bool,
    /// A speech verb in the sentence whose source could not be told.
    open_cue: Option<String>,
}

/// `X said the plan was "a gamble"`: a cue earlier in the sentence; the leftmost cue with a
/// subject is the main clause's, unless an embedded cue has a named subject.
fn reported_speech(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Reported {
    let (p, q) = (s.p, s.q);
    let lo = s.left_lo.max(q.saturating_sub(WINDOW));
    let mut out = Reported {
        proposal: None,
        title_like: false,
        open_cue: None,
    };
    let mut i = lo;
    while i < q {
        let Some((cue, base, v, last_t)) = cx.find_cue(p, i, q, false) else {
            break;
        };
        i = last_t + 1;
        if let Some(a) = same_cue(s, v, last) {
            out.proposal = Some(a);
            return out;
        }
        if !cues::naming_verb(base) && !cues::weak_verb(base) && out.open_cue.is_none() {
            out.open_cue = Some(cue.clone());
        }
        let lverb = cx.lword(p, v).unwrap_or_default();
        let np = reported_subject(cx, s, lo, base, v, last_t);
        // an embedded cue with a named subject governs the fragment more closely than the
        // main clause's: `The paper said Mr X had described it as "..."`
        let named = matches!(np, Some(Np::Name { .. }))
            || matches!(&np, Some(Np::Pron { lw, .. }) if lw == "he" || lw == "she");
        let embedded_ok = named && !lverb.ends_with("ing") && cx.lword(p, last_t + 1) != Some("to");
        if out.proposal.is_some() && !embedded_ok {
            continue;
        }
        if let Some(a) = make(cx, (p, v), Pattern::ReportedSpeech, &cue, np, last) {
            if s.fragment && cues::naming_verb(base) && is_title_like(s.qtext) {
                out.title_like = true;
                out.proposal = None;
                return out;
            }
            out.proposal = Some(a);
        }
    }
    out
}

fn reported_subject(
    cx: &Ctx,
    s: &Site,
    lo: usize,
    base: &str,
    v: usize,
    last_t: usize,
) -> Option<Np> {
    let (p, q) = (s.p, s.q);
    let lverb = cx.lword(p, v).unwrap_or_default();
    if base == "according" {
        cx.np_right(p, last_t + 1, q).map(|x| x.0)
    } else if lverb.ends_with("ing") && v > lo && cx.is_punct(p, v - 1, ',') {
        cx.clause_subject(p, lo, v)
    } else {
        let left = cx.subject_left(p, v, lo);
        // `X issued a statement saying "..."`: a message does not speak, its issuer does
        let message = |np: &Np| matches!(np, Np::Common { head, .. } if names::MESSAGE_NOUNS.contains(&head.as_str()));
        if lverb.ends_with("ing") && left.as_ref().is_some_and(message) {
            return cx.clause_subject(p, lo, v).filter(|np| !message(np));
        }
        left.or_else(|| cx.by_agent(p, last_t, q)).or_else(|| {
            // `X was criticised for "incessant sleaze" by campaigners`
            (cx.lword(p, q + 1) == Some("by"))
                .then(|| cx.np_right(p, q + 2, s.se).map(|x| x.0))
                .flatten()
        })
    }
}

/// `Hayek confirmed she had been and said, "..."`: the cue nearest before the quote is
/// joined by `and`/`but` to an earlier verb, so its subject is the sentence's first subject.
fn coordinated_verb(cx: &Ctx, s: &Site) -> Option<Proposal> {
    let (p, ss) = (s.p, s.ss);
    let (cue, _, v, _) = cx.find_cue(p, s.left_lo.max(ss), s.q, true)?;
    let mut j = v;
    // `and then said`, `but has since said`
    while j > ss && cx.lword(p, j - 1).is_some_and(|l| AUX.contains(&l)) {
        j -= 1;
    }
    if j <= ss || !matches!(cx.lword(p, j - 1), Some("and" | "but")) {
        return None;
    }
    // `In an interview with journalist X last year, Lazar said ... and added`: the subject
    // comes after an opening phrase
    let opening = cx
        .lword(p, ss)
        .is_some_and(|l| FUNCTION.contains(&l) && !DETERMINERS.contains(&l));
    let from = if opening {
        (ss + 1..j - 1)
            .find(|&k| cx.is_punct(p, k, ','))
            .map_or(ss, |c| c + 1)
    } else {
        ss
    };
    let toks = &cx.paras[p].toks;
    let id = cx.first_subject_between(toks[from].s, toks[j - 1].s, |id| {
        cx.reg.entities[id].confirmed
    })?;
    Some(Proposal {
        pattern: Pattern::CoordinatedVerb,
        attr: Attr {
            speaker: cx.entity_speaker(id),
            cue,
            cue_at: Some((p, v)),
        },
        shape: Shape::Name,
        pronoun: None,
    })
}

/// `... "a 100% effort" to end it, X added`: a cue later in the sentence, after a comma.
fn cue_later(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (p, q) = (s.p, s.q);
    let para = &cx.paras[p];
    let hi = s.se.min(q + 1 + WINDOW);
    let mut i = q + 1;
    while i < hi {
        if matches!(para.toks[i].k, K::Quote(_)) {
            break;
        }
        let Some((cue, base, last_t)) = cx.cue_at(p, i) else {
            i += 1;
            continue;
        };
        let v = i;
        i = last_t + 1;
        let np = if base == "according" {
            cx.np_right(p, last_t + 1, hi).map(|x| x.0)
        } else {
            let comma_before = (q + 1..v)
                .rev()
                .take(COMMA_REACH_TOKENS)
                .find(|&x| cx.is_punct(p, x, ','));
            comma_before.and_then(|c| {
                cx.subject_left(p, v, c + 1).or_else(|| {
                    (v == c + 1)
                        .then(|| cx.np_right(p, last_t + 1, hi).map(|x| x.0))
                        .flatten()
                })
            })
        };
        if let Some(a) = make(cx, (p, v), Pattern::CueLater, &cue, np, last) {
            return Some(a);
        }
    }
    None
}

/// How far (in tokens) before a later cue its comma may be.
const COMMA_REACH_TOKENS: usize = 8;

/// `X accused them of being "pathetic" and of "surrendering"`.
fn coordinated_gap(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (pq, prev) = (s.prev_quote?, last?);
    let (p, q) = (s.p, s.q);
    let gap_ok = q - pq <= COORDINATED_REACH_TOKENS
        && (pq + 1..q).any(|i| matches!(cx.lword(p, i), Some("and" | "or" | "but")))
        && (pq + 1..q).all(|i| {
            !matches!(
                cx.paras[p].toks[i].k,
                K::Punct('-' | '\u{2014}' | '\u{2013}' | '(' | ')' | ';' | ':')
            )
        });
    let cue_ok = prev
        .cue_at
        .is_some_and(|(cp, cv)| cp == p && cv >= s.ss && cv < pq);
    (gap_ok && cue_ok).then(|| inherit(Pattern::CoordinatedGap, prev, None))
}

/// A fragment later in a sentence whose cue, before the sentence's first quote, gave that
/// quote its source: no other cue and no quote between them.
fn sentence_cue(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    let (pq, prev) = (s.prev_quote?, last?);
    let (p, q) = (s.p, s.q);
    let (cp, cv) = prev.cue_at?;
    let first_quote = (s.ss..pq).all(|i| !matches!(cx.paras[p].toks[i].k, K::Quote(_)));
    let no_cue_between = cx.find_cue(p, pq + 1, q, false).is_none();
    (s.fragment && cp == p && cv >= s.ss && cv < pq && first_quote && no_cue_between)
        .then(|| inherit(Pattern::SentenceCue, prev, None))
}

/// At most this many tokens between a fragment and the earlier one whose cue it shares.
const COORDINATED_REACH_TOKENS: usize = 16;

/// A speech verb in the sentence that is not a naming verb: the fragment is reported speech.
fn open_cue(cx: &Ctx, s: &Site) -> Option<String> {
    let mut i = s.ss.max(s.q.saturating_sub(WINDOW));
    while let Some((cue, base, _, last_t)) = cx.find_cue(s.p, i, s.q, false) {
        let naming = cues::naming_verb(base);
        if (!naming || names_an_object(cx, s, last_t)) && !cues::weak_verb(base) {
            return Some(cue);
        }
        i = last_t + 1;
    }
    None
}

/// Most words between a naming verb and the quote that still read as its object
/// (`called undocumented immigrants from Mexico "rapists"`).
const MAX_NAMED_OBJECT_WORDS: usize = 6;

/// A naming verb ending at token `last_t` with its own object before the quote: `X called
/// the plan "a robbery"` credits the words to X, while `a film called "X"` only names a
/// thing. The object is a short run of words alone (no punctuation or other quote), with
/// more in it than a determiner, so `a show called the "X"` still names.
fn names_an_object(cx: &Ctx, s: &Site, last_t: usize) -> bool {
    let between = last_t + 1..s.q;
    if between.is_empty() || between.len() > MAX_NAMED_OBJECT_WORDS {
        return false;
    }
    let toks = &cx.paras[s.p].toks;
    between.clone().all(|i| toks[i].k == K::Word)
        && between
            .filter_map(|i| cx.lword(s.p, i))
            .any(|w| !DETERMINERS.contains(&w))
}

/// Is the quote the first thing in its sentence?
fn sentence_initial(cx: &Ctx, s: &Site) -> bool {
    s.q - s.ss <= WINDOW && (s.ss..s.q).all(|i| !matches!(cx.paras[s.p].toks[i].k, K::Word))
}

/// A quote with no cue that opens its sentence: the source of a reported-speech sentence
/// just before it (same paragraph, or the end of the previous one).
fn previous_sentence(cx: &Ctx, s: &Site, last: Option<&Attr>) -> Option<Proposal> {
    if !sentence_initial(cx, s) {
        return None;
    }
    let para = &cx.paras[s.p];
    let si = para.sent_of[s.q];
    let mut cands: Vec<(usize, usize)> = Vec::new(); // (paragraph, sentence)
    if si > 0 {
        cands.push((s.p, si - 1));
        if si > 1 {
            cands.push((s.p, si - 2));
        }
    } else if s.p > 0 && !cx.paras[s.p - 1].is_title && !cx.paras[s.p - 1].sents.is_empty() {
        cands.push((s.p - 1, cx.paras[s.p - 1].sents.len() - 1));
    }
    for (cp, cs) in cands {
        let (a, b) = cx.paras[cp].sents[cs];
        if (a..b).any(|i| matches!(cx.paras[cp].toks[i].k, K::Quote(_))) {
            break;
        }
        if let Some(found) = sentence_source(cx, cp, a, b, last) {
            return Some(found);
        }
    }
    None
}

/// The named source of the reported-speech cue in sentence `[a, b)` of paragraph `cp`.
fn sentence_source(
    cx: &Ctx,
    cp: usize,
    a: usize,
    b: usize,
    last: Option<&Attr>,
) -> Option<Proposal> {
    let ends_colon = b > a && cx.paras[cp].toks[b - 1].k == K::Punct(':');
    let lo = a.max(b.saturating_sub(WINDOW));
    let mut i = lo;
    while i < b {
        let Some((cue, base, last_t)) = cx.cue_at(cp, i) else {
            i += 1;
            continue;
        };
        if !cues::weak_verb(base) {
            let np = if base == "according" {
                cx.np_right(cp, last_t + 1, b).map(|x| x.0)
            } else {
                cx.subject_left(cp, i, lo)
            };
            let cue = if ends_colon { cue } else { String::new() };
            if let Some(found) = make(cx, (cp, i), Pattern::PreviousSentence, &cue, np, last) {
                if found.attr.speaker.known() {
                    return Some(found);
                }
            }
        }
        i = last_t + 1;
    }
    None
}

/// The previous quote's source, when it is in this paragraph or the one before.
fn previous_quote(s: &Site, last: Option<&Last>) -> Option<Proposal> {
    let last = last?;
    (last.p + 1 >= s.p && last.attr.speaker.known())
        .then(|| inherit(Pattern::PreviousQuote, last.attr, None))
}

/// The nearest person or organisation named as a subject before the quote.
fn nearest_subject(cx: &Ctx, s: &Site) -> Option<Proposal> {
    let pos = s.piece.open;
    let (at, id) = cx.nearest_subject(pos, |id| cx.reg.entities[id].confirmed)?;
    (pos - at <= NEAREST_SUBJECT_REACH_BYTES).then(|| Proposal {
        pattern: Pattern::NearestSubject,
        attr: Attr {
            speaker: cx.entity_speaker(id),
            cue: String::new(),
            cue_at: None,
        },
        shape: Shape::Name,
        pronoun: None,
    })
}

/// The other people the first he/she that names a source may stand for: the resolver
/// picks the nearest subject, and the scorer weighs the rest (the previous quote's source
/// is often a sentence further back).
fn antecedents(cx: &Ctx, proposals: &[Proposal]) -> Vec<Proposal> {
    let Some((first, pronoun)) = proposals
        .iter()
        .find_map(|pr| pr.pronoun.map(|pn| (pr, pn)))
    else {
        return Vec::new();
    };
    cx.antecedents(pronoun.pos, pronoun.gender)
        .into_iter()
        .map(|a| cx.entity_speaker(a.id))
        .filter(|sp| sp.name.is_some() && sp.name != first.attr.speaker.name)
        .map(|speaker| Proposal {
            pattern: Pattern::Antecedent,
            attr: Attr {
                speaker,
                ..first.attr.clone()
            },
            shape: Shape::Pronoun,
            pronoun: Some(pronoun),
        })
        .collect()
}

/// he or she at byte `pos`; `None` for a pronoun that does not stand for one person.
fn personal_pronoun(lw: &str, pos: usize) -> Option<Pronoun> {
    let gender = match lw {
        "he" => Gender::Male,
        "she" => Gender::Female,
        _ => return None,
    };
    Some(Pronoun { pos, gender })
}

/// How far back (in bytes of text) the nearest named subject may be.
const NEAREST_SUBJECT_REACH_BYTES: usize = 600;

#[cfg(test)]
mod tests {
    use super::Pattern;
    use crate::quotes::{extract_explained, Paragraph, Quote};

    /// One paragraph per non-empty line; the first line is the title.
    fn run(text: &str) -> Vec<Quote> {
        let mut paras = Vec::new();
        let mut start = 0;
        for line in text.split('\n') {
            if !line.trim().is_empty() {
                paras.push(Paragraph {
                    start,
                    end: start + line.len(),
                    is_title: paras.is_empty(),
                });
            }
            start += line.len() + 1;
        }
        extract_explained(text, &paras)
    }

    /// The patterns that proposed `speaker` for the quote starting with `starts`.
    fn proposed_by(text: &str, starts: &str, speaker: &str) -> Vec<&'static str> {
        let qs = run(text);
        let q = qs
            .iter()
            .find(|q| q.text.starts_with(starts))
            .unwrap_or_else(|| panic!("no quote {starts:?} in {qs:#?}"));
        q.candidates
            .iter()
            .find(|c| c.speaker == speaker)
            .map(|c| c.patterns.clone())
            .unwrap_or_default()
    }

    const TITLE: &str = "Council backs the plan\n";

    #[test]
    fn names_are_unique_and_documented() {
        let mut names: Vec<&str> = Pattern::ALL.iter().map(|p| p.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Pattern::ALL.len());
        assert!(Pattern::ALL.iter().all(|p| !p.doc().is_empty()));
    }

    #[test]
    fn cue_before() {
        let t = format!("{TITLE}Council leader Anna Berg said: \"We will build the homes.\"");
        assert!(proposed_by(&t, "We will", "Anna Berg").contains(&"cue-before"));
    }

    #[test]
    fn cue_after() {
        let t = format!("{TITLE}\"We will build the homes,\" said Anna Berg, the council leader.");
        assert!(proposed_by(&t, "We will", "Anna Berg").contains(&"cue-after"));
    }

    #[test]
    fn reported_speech() {
        let t = format!("{TITLE}Anna Berg said the scheme was \"a turning point\" for the town.");
        assert!(proposed_by(&t, "a turning", "Anna Berg").contains(&"reported-speech"));
    }

    #[test]
    fn antecedent_offers_the_other_people_a_pronoun_may_stand_for() {
        let t = format!(
            "{TITLE}Anna Berg, the council leader, backed the plan. Mark Tull, her deputy, \
             opposed it. \"We will build the homes,\" she said.\n"
        );
        // the only woman named is the resolver's choice; a man is no antecedent of "she"
        assert!(proposed_by(&t, "We will", "Anna Berg").contains(&"cue-after"));
        assert!(!proposed_by(&t, "We will", "Mark Tull").contains(&"antecedent"));
        let t = format!(
            "{TITLE}Tom Reed, the council leader, backed the plan. Mark Tull, his deputy, \
             opposed it. \"We will build the homes,\" he said.\n"
        );
        let reed = proposed_by(&t, "We will", "Tom Reed");
        let tull = proposed_by(&t, "We will", "Mark Tull");
        assert!(
            reed.contains(&"antecedent") != tull.contains(&"antecedent"),
            "one of the two men is the resolver's choice, the other an alternative: {reed:?} {tull:?}"
        );
    }

    #[test]
    fn cue_later() {
        let t = format!(
            "{TITLE}The council was making \"a real effort\" to build homes, Anna Berg added."
        );
        assert!(proposed_by(&t, "a real", "Anna Berg").contains(&"cue-later"));
    }

    #[test]
    fn previous_quote_and_continuation() {
        let t = format!(
            "{TITLE}\"We will build the homes,\" said Anna Berg.\n\"Nobody will be left out. \
             Every family counts.\"\n"
        );
        assert!(proposed_by(&t, "Nobody", "Anna Berg").contains(&"previous-quote"));
    }

    #[test]
    fn previous_sentence() {
        let t = format!(
            "{TITLE}Anna Berg, the council leader, told a meeting on Monday that the plan would \
             go ahead. \"We will build the homes.\""
        );
        assert!(proposed_by(&t, "We will", "Anna Berg").contains(&"previous-sentence"));
    }

    #[test]
    fn colon() {
        let t = format!("{TITLE}Anna Berg: \"We will build the homes.\"");
        assert!(proposed_by(&t, "We will", "Anna Berg").contains(&"colon"));
    }

    #[test]
    fn according_to() {
        let t = format!(
            "{TITLE}\"The homes will be built by 2030,\" according to Anna Berg, the leader."
        );
        assert!(proposed_by(&t, "The homes", "Anna Berg").contains(&"cue-after"));
    }

    #[test]
    fn a_quote_records_its_pattern_and_confidence() {
        let t = format!("{TITLE}\"We will build the homes,\" said Anna Berg, the council leader.");
        let qs = run(&t);
        let q = &qs[0];
        assert_eq!(q.speaker.as_deref(), Some("Anna Berg"));
        assert_eq!(q.pattern, Some("cue-after"));
        assert!(q.confidence.is_some_and(|c| c > 0.5), "{:?}", q.confidence);
    }

    #[test]
    fn a_headline_quote_is_not_credited_to_the_name_it_follows() {
        // The headline's subject is who the words are about; the body gives their source.
        let t = "Berg plan 'a disaster' says union\nThe union's leader, Tom Reyes, said the \
                 scheme was \"a disaster\" for tenants. Anna Berg defended it.";
        let qs = run(t);
        let title = qs.iter().find(|q| q.in_title).expect("headline quote");
        assert_eq!(title.speaker.as_deref(), Some("Tom Reyes"));
        let t = "Berg plan 'a disaster'\nAnna Berg defended the scheme on Monday.";
        let qs = run(t);
        let title = qs.iter().find(|q| q.in_title).expect("headline quote");
        assert_eq!(title.speaker, None);
    }
}
