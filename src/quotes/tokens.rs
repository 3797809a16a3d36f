//! Paragraph tokens (words, punctuation, and each quoted piece as one opaque token) and
//! sentence spans over them.

use super::cues;
use super::marks::Piece;
use super::wordset::WordSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum K {
    Word,
    Punct(char),
    /// Index into the article's pieces.
    Quote(usize),
}

#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub s: usize,
    pub e: usize,
    pub k: K,
}

/// Abbreviations that keep their full stop ("Mr.", "Sen.").
static ABBREV: WordSet = WordSet::new(&[
    "mr", "mrs", "ms", "dr", "st", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "jr", "sr", "inc", "co", "corp", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rev", "messrs", "fla", "calif",
    "mass", "ore", "pa", "va", "ky", "wash", "ariz", "tenn", "conn", "ill", "mich", "minn", "wis",
    "ala", "ga", "md", "nev", "okla", "del", "colo", "n.h", "supt", "det", "insp", "cllr", "hon",
    "adm", "maj", "cpl", "pte", "gov", "fr",
]);

fn is_abbrev(w: &str) -> bool {
    let mut chars = w.chars();
    let first = chars.next();
    if first.is_some_and(|c| c.is_uppercase()) && chars.next().is_none() {
        return true; // an initial
    }
    if w.contains('.') {
        return true; // U.S, a.m
    }
    w.len() <= 7 && ABBREV.contains(&w.to_ascii_lowercase().as_str())
}

/// Tokens of `text[start..end]`; `pieces` are the pieces that open in this span, in order.
pub fn tokenize(text: &str, start: usize, end: usize, pieces: &[(usize, Piece)]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = start;
    let mut pj = 0;
    while i < end {
        while pj < pieces.len() && pieces[pj].1.open < i {
            pj += 1; // a piece swallowed by a word (cannot happen with sane marks)
        }
        let next_open = pieces.get(pj).map_or(end, |p| p.1.open.min(end));
        if i == next_open && pj < pieces.len() {
            let p = pieces[pj].1;
            let e = p.mark_end.clamp(i + 1, end);
            let e = (e..=end).find(|&x| text.is_char_boundary(x)).unwrap_or(end);
            out.push(Tok {
                s: i,
                e,
                k: K::Quote(pieces[pj].0),
            });
            i = e;
            pj += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        if c.is_alphanumeric() {
            let s = i;
            let mut j = i + cl;
            let mut prev = c;
            while j < next_open {
                let Some(d) = text[j..].chars().next() else {
                    break;
                };
                if d.is_alphanumeric() {
                    prev = d;
                    j += d.len_utf8();
                    continue;
                }
                let after = text[j + d.len_utf8()..].chars().next();
                let joins = match d {
                    '\'' | '\u{2019}' | '-' | '.' | '&' => {
                        after.is_some_and(|a| a.is_alphanumeric()) && j + d.len_utf8() < next_open
                    }
                    ',' => prev.is_ascii_digit() && after.is_some_and(|a| a.is_ascii_digit()),
                    _ => false,
                };
                if !joins {
                    // possessive plural "players'" keeps its apostrophe
                    if matches!(d, '\'' | '\u{2019}')
                        && prev == 's'
                        && j + d.len_utf8() < next_open
                        && after.is_none_or(|a| a.is_whitespace())
                    {
                        j += d.len_utf8();
                    }
                    break;
                }
                j += d.len_utf8();
                prev = d;
            }
            if j < next_open && text[j..].starts_with('.') && is_abbrev(&text[s..j]) {
                j += 1;
            }
            out.push(Tok {
                s,
                e: j,
                k: K::Word,
            });
            i = j;
            continue;
        }
        out.push(Tok {
            s: i,
            e: i + cl,
            k: K::Punct(c),
        });
        i += cl;
    }
    out
}

/// Prepositions that open where or how words were said, right after a speech verb.
const SETTING_PREPOSITIONS: &[&str] = &["at", "during", "in", "on", "via"];

/// How many tokens after a quote its short attribution clause may reach, the verb included.
const ATTRIBUTION_REACH_TOKENS: usize = 18;
/// How many of those may be words: a name and the verb.
const ATTRIBUTION_REACH_WORDS: usize = 6;
/// The same with an aside set off by commas (`Miller, a retired worker from a nuclear
/// plant, said`).
const ATTRIBUTION_REACH_WORDS_WITH_ASIDE: usize = 12;

/// Sentence spans `[a, b)` over the tokens.
pub fn sentences(text: &str, toks: &[Tok], pieces: &[Piece]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = 0;
    let word = |t: &Tok| &text[t.s..t.e];
    let starts_upper =
        |t: &Tok| t.k == K::Word && word(t).chars().next().is_some_and(|c| c.is_uppercase());
    for (i, t) in toks.iter().enumerate() {
        let next = toks.get(i + 1);
        let boundary = match t.k {
            // `R-Pa.,`, `Inc.;` or `(D-Nev.)`: an abbreviation's period inside a clause
            K::Punct('.' | '?' | '!' | '\u{2026}') => next.is_none_or(|n| {
                !matches!(n.k, K::Punct(',' | ';' | ')')) && (n.k != K::Word || starts_upper(n))
            }),
            // `(He resigned.) The next day`: the bracket closes the sentence
            K::Punct(')') => {
                i > 0
                    && matches!(toks[i - 1].k, K::Punct('.' | '?' | '!'))
                    && next.is_some_and(starts_upper)
            }
            K::Quote(q) => {
                let p = &pieces[q];
                let inner = &text[p.start..p.end];
                let ends = inner
                    .trim_end_matches(['\'', '\u{2019}', ')'])
                    .ends_with(['.', '?', '!', '\u{2026}']);
                match next {
                    None => false,
                    Some(n) if ends && matches!(n.k, K::Quote(_)) => true,
                    Some(n) if ends && starts_upper(n) => !attribution_follows(text, toks, i + 1),
                    _ => false,
                }
            }
            _ => false,
        };
        if boundary || i + 1 == toks.len() {
            out.push((a, i + 1));
            a = i + 1;
        }
    }
    out
}

/// `"Go home!" Mr Smith shouted.` : a short clause with a speech verb right after a quote.
/// A name may carry one aside set off by commas, the verb right after it: `"Go!" Glenn
/// Thompson, R-Pa., said` (but `"…." It helps, said Mr Burke` starts a sentence).
fn attribution_follows(text: &str, toks: &[Tok], from: usize) -> bool {
    let mut commas = 0;
    let mut words = 0;
    // every word before the first comma is capitalised, as in a name
    let mut name_only = true;
    for (k, t) in toks
        .iter()
        .enumerate()
        .skip(from)
        .take(ATTRIBUTION_REACH_TOKENS)
    {
        match t.k {
            K::Punct(',') => {
                if !name_only || k == from || commas == 2 {
                    return false;
                }
                commas += 1;
            }
            K::Punct('-') => {}
            K::Punct('.') if toks.get(k + 1).is_some_and(|n| n.k == K::Punct(',')) => {}
            K::Word => {
                words += 1;
                let reach = if commas > 0 {
                    ATTRIBUTION_REACH_WORDS_WITH_ASIDE
                } else {
                    ATTRIBUTION_REACH_WORDS
                };
                if words > reach {
                    return false;
                }
                let w = &text[t.s..t.e];
                let l = w.to_lowercase();
                if cues::speech_base(&l).is_some() && !cues::nouny(&l) {
                    let after_aside = commas == 2 && toks[k - 1].k == K::Punct(',');
                    if commas == 1 || commas == 2 && !after_aside {
                        return false;
                    }
                    // `X said: "` or `X said "` introduces the next quotation instead
                    if matches!(
                        toks.get(k + 1).map(|x| x.k),
                        Some(K::Punct(':') | K::Quote(_))
                    ) {
                        return false;
                    }
                    // the clause ends soon after the verb, or goes on with where or how the
                    // words were said (`McDonough wrote in a September 16 email`)
                    let next_word = toks
                        .get(k + 1)
                        .filter(|x| x.k == K::Word)
                        .map(|x| text[x.s..x.e].to_lowercase());
                    return toks[k + 1..]
                        .iter()
                        .take(4)
                        .any(|x| !matches!(x.k, K::Word))
                        || k + 1 == toks.len()
                        || next_word.is_some_and(|w| {
                            SETTING_PREPOSITIONS.contains(&w.as_str()) || w.ends_with("ly")
                        });
                }
                if commas == 0 && !w.chars().next().is_some_and(char::is_uppercase) {
                    name_only = false;
                }
            }
            _ => return false,
        }
    }
    false
}
