//! Speaker attribution: a sieve of patterns, most precise first, over the paragraph tokens.
//!
//! 1. a piece that continues a quotation takes its speaker;
//! 2. a cue right before the quote (`X said: "…"`, `X tweeted, "…"`);
//! 3. a cue right after it (`"…," said X`, `"…," X said`, `"…," according to X`);
//! 4. for fragments, the nearest cue in the same sentence (`X said the plan was "a gamble"`);
//! 5. a quote with no cue of its own: the source of a reported-speech sentence just before it,
//!    or the speaker of the previous quote when nothing intervenes.
//!
//! Every look-around is bounded (a few dozen tokens, a few sentences), so the work per quote
//! is constant and the whole pass linear in the article.

use super::wordset::WordSet;
use rustc_hash::FxHashSet;

use super::cues;
use super::marks::Piece;
use super::names::{self, lower_exact as lw, Gender, Registry};
use super::spans;
use super::tokens::{self, Tok, K};
use super::{scorer, Paragraph, Quote, SpeakerKind};

mod choose;
pub mod patterns;

use choose::Chosen;

/// How far (in tokens) any rule looks from a quote or cue.
const WINDOW: usize = 40;

static PRONOUNS: WordSet = WordSet::new(&["he", "she", "they", "it", "we", "i", "you"]);

static DETERMINERS: WordSet = WordSet::new(&[
    "a", "an", "the", "one", "some", "many", "several", "other", "another", "two", "three", "four",
    "five", "most", "few", "his", "her", "their", "its", "our", "this", "that", "these", "those",
    "senior", "no", "any", "all", "both", "each", "every",
]);

static FUNCTION: WordSet = WordSet::new(&[
    "that", "which", "who", "whom", "whose", "and", "or", "but", "if", "when", "while", "as",
    "because", "to", "of", "in", "on", "at", "for", "from", "with", "by", "about", "is", "are",
    "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could",
    "should", "may", "might", "must", "do", "does", "did", "not", "there", "it", "he", "she",
    "they", "we", "i", "you", "also", "then", "than", "so", "into", "after", "before", "over",
    "under", "against", "between", "during", "since", "until", "up", "out", "off", "down", "what",
    "where", "why", "how", "just", "only", "even", "still", "yet", "however", "now", "very", "too",
    "said", "says", "say", "this", "these", "those", "such", "though", "although", "whether",
    "said", "per", "via", "last", "next", "ago", "him", "her", "them", "us", "me", "its", "their",
    "our", "my", "your", "his", "all", "no", "any",
]);

static AUX: WordSet = WordSet::new(&[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "must",
    "can",
    "did",
    "does",
    "do",
    "also",
    "later",
    "then",
    "previously",
    "earlier",
    "again",
    "further",
    "once",
    "too",
    "however",
    "still",
    "even",
    "just",
    "only",
    "repeatedly",
    "publicly",
    "privately",
    "openly",
    "recently",
    "subsequently",
    "today",
    "yesterday",
    "not",
    "never",
    "always",
    "often",
    "reportedly",
    "quoted",
    "as",
    "continued",
    "went",
    "on",
    "go",
    "goes",
    "going",
    "began",
    "begin",
    "tried",
    "sought",
    "appeared",
    "seemed",
    "wanted",
    "used",
    "to",
    "going",
    "gone",
    "chose",
    "decided",
    "proceeded",
    "reported",
    "cited",
    "heard",
    "first",
    "last",
    "who",
]);

static BE: WordSet = WordSet::new(&[
    "was", "were", "is", "are", "be", "been", "being", "get", "got",
]);

#[derive(Clone, Debug)]
enum Np {
    Pron {
        lw: String,
        pos: usize,
    },
    Name {
        words: Vec<String>,
        definite: bool,
        desc: Option<String>,
    },
    Common {
        text: String,
        head: String,
        pos: usize,
        definite: bool,
    },
}

/// A person a pronoun may stand for.
pub(super) struct Antecedent {
    pub(super) id: usize,
    /// Its nearest mention is the subject of a clause.
    pub(super) subject: bool,
}

/// Roles of a name mention (see `Ctx::mentions`).
pub(super) const ROLE_SUBJECT: u8 = 2;
pub(super) const ROLE_OBJECT: u8 = 1;
const ROLE_OTHER: u8 = 0;

/// How many name mentions back a pronoun's antecedents are looked for.
const ANTECEDENT_LOOKBACK_MENTIONS: usize = 60;
/// At most this many people are weighed as a pronoun's antecedent.
const MAX_ANTECEDENTS: usize = 3;

#[derive(Clone, Debug, Default)]
struct Speaker {
    name: Option<String>,
    kind: Option<SpeakerKind>,
    desc: Option<String>,
}

impl Speaker {
    fn known(&self) -> bool {
        self.name.is_some()
    }
}

#[derive(Clone, Debug)]
pub(super) struct Attr {
    speaker: Speaker,
    cue: String,
    /// (paragraph, token) of the cue word that gave this attribution.
    cue_at: Option<(usize, usize)>,
}

pub(super) struct Para {
    pub(super) toks: Vec<Tok>,
    sents: Vec<(usize, usize)>,
    /// sentence index of each token
    sent_of: Vec<usize>,
    is_title: bool,
    /// Each word token in lower case, as a range of `lower`: the rules ask for the lower
    /// case of the same words many times, and one copy per token is far cheaper.
    lower: String,
    lower_at: Vec<(u32, u32)>,
}

pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) pieces: &'a [Piece],
    pub(super) paras: Vec<Para>,
    /// Words the article writes in lower case, borrowed from the text.
    lower_words: FxHashSet<&'a str>,
    reg: Registry,
    /// (byte position, entity, role) of every name mention outside quotes, in text order;
    /// role 2 for a subject, 1 for the object of a verb, 0 otherwise.
    mentions: Vec<(usize, usize, u8)>,
    /// (byte position of the cue, noun phrase) of unnamed sources of reported speech
    /// ("A spokeswoman for the agency said ..."), for pronouns.
    anon: Vec<(usize, String)>,
    /// Quote token index of each piece: (paragraph, token).
    piece_tok: Vec<Option<(usize, usize)>>,
}

impl<'a> Ctx<'a> {
    pub(super) fn word(&self, p: usize, i: usize) -> Option<&'a str> {
        let t = self.paras[p].toks.get(i)?;
        (t.k == K::Word).then(|| &self.text[t.s..t.e])
    }

    pub(super) fn lword(&self, p: usize, i: usize) -> Option<&str> {
        let para = &self.paras[p];
        let t = para.toks.get(i)?;
        (t.k == K::Word).then(|| {
            let (a, b) = para.lower_at[i];
            &para.lower[a as usize..b as usize]
        })
    }

    pub(super) fn is_punct(&self, p: usize, i: usize, c: char) -> bool {
        self.paras[p]
            .toks
            .get(i)
            .is_some_and(|t| t.k == K::Punct(c))
    }

    /// A period right before a comma or a closing bracket ends an abbreviation, not a
    /// clause: `Okafor, R-Pa., said`, `Reid (D-Nev.) told`.
    pub(super) fn is_abbrev_period(&self, p: usize, i: usize) -> bool {
        self.is_punct(p, i, '.') && (self.is_punct(p, i + 1, ',') || self.is_punct(p, i + 1, ')'))
    }

    fn sent_start(&self, p: usize, i: usize) -> usize {
        let para = &self.paras[p];
        para.sents[para.sent_of[i]].0
    }

    /// Is the word at `i` a sentence-initial capital that is not a name?
    pub(super) fn common_cap(&self, p: usize, i: usize) -> bool {
        let (Some(w), Some(l)) = (self.word(p, i), self.lword(p, i)) else {
            return false;
        };
        let l = l.trim_end_matches('.');
        if (names::is_day_month(l) || names::is_common_cap(l)) && self.month_is_surname(p, i, w) {
            return false;
        }
        if names::is_common_cap(l) || names::is_day_month(l) {
            return true;
        }
        let initial = i == self.sent_start(p, i)
            || matches!(
                self.paras[p].toks.get(i.wrapping_sub(1)).map(|t| t.k),
                Some(K::Quote(_) | K::Punct(':' | '(' | '"'))
            );
        initial && self.lower_words.contains(l) && !names::is_honorific(l)
    }

    /// "May said": a month or common word that is the surname of a person the article names
    /// in full, as the subject of a verb (not "in May", "May 5").
    fn month_is_surname(&self, p: usize, i: usize, w: &str) -> bool {
        let Some(next) = self.lword(p, i + 1) else {
            return false;
        };
        let verb = cues::speech_base(next).is_some() && !cues::nouny(next)
            || matches!(next, "has" | "had" | "was" | "is" | "will" | "would");
        if !verb {
            return false;
        }
        self.reg.lookup(&[w]).is_some_and(|id| {
            let e = &self.reg.entities[id];
            e.kind == SpeakerKind::Person && e.name.contains(' ')
        })
    }

    fn cap_word(&self, p: usize, i: usize) -> bool {
        match self.word(p, i) {
            Some(w) => names::is_cap(w),
            None => false,
        }
    }

    /// Cleans a capitalised run of words: leading common words, days and role titles go;
    /// returns the words and whether the run started with "the".
    fn clean_run(&self, p: usize, a: usize, b: usize) -> (Vec<String>, bool) {
        let mut words: Vec<String> = (a..=b)
            .filter_map(|i| self.word(p, i).map(|w| w.trim_end_matches('.').to_string()))
            .collect();
        let mut definite = false;
        // "the New York Times", "the Foreign Office": after "the", a common capital starts an
        // organisation's name
        let org_name = words
            .last()
            .is_some_and(|w| names::is_org_word(&names::lower(w)));
        while words.len() > 1 {
            let l = names::lower(&words[0]);
            if l == "the" {
                definite = true;
                words.remove(0);
            } else if (names::is_common_cap(&l) && !names::is_honorific(&l)
                || names::is_day_month(&l))
                && !(definite && org_name && words.len() >= 2)
            {
                words.remove(0);
            } else {
                break;
            }
        }
        // "Professor Ruth Adeyemi of Northbridge University": a person's name, then where
        // they work
        if let Some(k) = words
            .iter()
            .position(|w| matches!(w.as_str(), "of" | "for"))
        {
            let mut person = &words[..k];
            // "Rep. Tom Cole of Oklahoma", "Sen. Bernie Sanders of Vermont"
            while person.len() > 1 && {
                let l = names::lower(&person[0]);
                names::is_honorific(&l) || names::is_role_title(&l)
            } {
                person = &person[1..];
            }
            let titled = k > person.len();
            let named = person.len() >= 2
                && (titled || names::first_name_gender(&names::lower(&person[0])).is_some())
                && person.iter().all(|w| {
                    let l = names::lower(w);
                    names::is_cap(w)
                        && !names::is_role_title(&l)
                        && !names::is_org_word(&l)
                        && !names::is_acronym(w)
                });
            if named {
                words.truncate(k);
            }
        }
        if words.len() == 1 {
            let l = names::lower(&words[0]);
            let surname = a == b
                && self
                    .word(p, a)
                    .is_some_and(|w| self.month_is_surname(p, a, w));
            if l == "the" || names::is_common_cap(&l) && !names::is_honorific(&l) && !surname {
                words.clear();
            }
        }
        // role titles before a name: "Justice Secretary Miriam Oduya", "Energy Minister X"
        if let Some(k) = words
            .iter()
            .rposition(|w| names::is_role_title(&names::lower(w)))
        {
            let rest: Vec<&str> = words[(k + 1).min(words.len())..]
                .iter()
                .map(|s| s.as_str())
                .collect();
            let person_after = !rest.is_empty() && names::name_kind(&rest) == SpeakerKind::Person;
            let whole_person =
                names::name_kind(&words.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                    == SpeakerKind::Person;
            if (whole_person || person_after && rest.len() >= 2) && k + 1 < words.len() {
                let keep_title = names::is_honorific(&names::lower(&words[k]));
                words.drain(..if keep_title { k } else { k + 1 });
            }
        }
        // "Guitarist Brian May", "the American Kelly Drummond", "BT's Andrew Burke": a
        // sentence-initial or determined common word, or an owner, before a known first name
        let sentence_initial = a == self.sent_start(p, a);
        let after_det = a > 0
            && self
                .lword(p, a - 1)
                .is_some_and(|x| matches!(x, "the" | "a" | "an"));
        // "Yahoo's Yonca Brunini", "the Fabian Society's Ada Lark": an owner before a name
        if let Some(k) = words[..words.len().saturating_sub(2)]
            .iter()
            .rposition(|w| names::is_possessive(w))
        {
            let owner: Vec<&str> = words[..=k]
                .iter()
                .map(|w| names::strip_possessive(w))
                .collect();
            let org_owner = names::name_kind(&owner) == SpeakerKind::Org
                || owner.iter().any(|w| names::is_acronym(w));
            let rest = &words[k + 1..];
            if rest.iter().all(|w| names::is_cap(w))
                && (org_owner || names::known_first_name(&names::lower(&rest[0])))
            {
                words.drain(..=k);
            }
        }
        // "the American Kelly Drummond": a person's name takes no article, so a word between
        // them describes the person
        let after_the = definite || a > 0 && self.lword(p, a - 1) == Some("the");
        let demonym = |l: &str| {
            ["an", "ese", "ish", "ch", "i"]
                .iter()
                .any(|s| l.ends_with(s))
        };
        if after_the && words.len() >= 3 {
            let l0 = names::lower(&words[0]);
            let ws: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
            if !names::is_honorific(&l0)
                && !names::is_role_title(&l0)
                && names::first_name_gender(&l0).is_none()
                && names::strip_possessive(&words[0]).len() == words[0].len()
                && (demonym(&l0) || names::known_first_name(&names::lower(&words[1])))
                && names::name_kind(&ws) == SpeakerKind::Person
                && !names::is_acronym(&words[0])
                && words[1..].iter().all(|w| names::is_cap(w))
            {
                words.remove(0);
            }
        }
        // "Guitarist Brian May", "US Treasury Under-Secretary John Taylor": a sentence-initial
        // or determined common word, or a short form, before a known first name
        // "The Baltic Data Trust": an organisation's name, not a first name after a word
        let org_run = words
            .last()
            .is_some_and(|w| names::is_org_word(&names::lower(w)));
        if words.len() >= 3
            && !org_run
            && names::first_name_gender(&names::lower(&words[0])).is_none()
            && !names::is_honorific(&names::lower(&words[0]))
            && (sentence_initial || after_det || names::is_acronym(&words[0]))
        {
            if let Some(k) = words.iter().skip(1).position(|w| {
                let l = names::lower(w);
                if sentence_initial {
                    names::first_name_gender(&l).is_some()
                } else {
                    names::known_first_name(&l)
                }
            }) {
                // the first name must have a surname after it
                if k + 2 < words.len() {
                    words.drain(..k + 1);
                }
            }
        }
        drop_descriptor(&mut words);
        if self.possessive_at(p, b) {
            if let Some(last) = words.last_mut() {
                *last = names::strip_possessive(last).to_string();
            }
        }
        (words, definite)
    }

    /// Is the word at `b`, ending in `'s`, a possessive (followed by what it owns) rather
    /// than a name that ends so ("Bramwell's has warned", "Bramwell's, which ...")?
    fn possessive_at(&self, p: usize, b: usize) -> bool {
        let Some(w) = self.word(p, b) else {
            return false;
        };
        if names::strip_possessive(w).len() == w.len() {
            return false;
        }
        match self.lword(p, b + 1) {
            None => !matches!(
                self.paras[p].toks.get(b + 1).map(|t| t.k),
                Some(K::Punct(',' | '.' | ';' | ':' | ')' | '(')) | None
            ),
            Some(n) => {
                matches!(n, "first" | "last" | "own" | "former" | "latest")
                    || !(AUX.contains(&n)
                        || FUNCTION.contains(&n)
                        || cues::speech_base(n).is_some() && !cues::nouny(n))
            }
        }
    }

    /// Start of the capitalised run ending at `j` (joins "of", "for", "and" in organisations).
    fn run_start(&self, p: usize, j: usize, lo: usize) -> usize {
        let mut a = j;
        let mut steps = 0;
        while a > lo && steps < 12 {
            steps += 1;
            let Some(pw) = self.word(p, a - 1) else { break };
            let pl = self.lword(p, a - 1).unwrap_or_default();
            if names::is_cap(pw) {
                if self.common_cap(p, a - 1)
                    && names::is_common_cap(&names::lower(pw))
                    && pl != "the"
                    && !names::is_honorific(&names::lower(pw))
                {
                    // "the New York Times": a common capital after "the" in an organisation
                    let org = a >= lo + 2
                        && self.lword(p, a - 2) == Some("the")
                        && self
                            .word(p, j)
                            .is_some_and(|w| names::is_org_word(&names::lower(w)));
                    if org {
                        a -= 2;
                    }
                    break;
                }
                a -= 1;
                if pl == "the" {
                    break;
                }
                continue;
            }
            let particle = names::is_name_particle(pl);
            let joiner = matches!(pl, "of" | "for" | "&" | "and");
            if (particle || joiner) && a >= lo + 2 && self.cap_word(p, a - 2) {
                if joiner {
                    let org_left = self.word(p, a - 2).is_some_and(|w| {
                        names::is_org_word(&names::lower(w))
                            || names::is_role_title(&names::lower(w))
                    });
                    let org_right = (a..=j).any(|i| {
                        self.word(p, i)
                            .is_some_and(|w| names::is_org_word(&names::lower(w)))
                    });
                    if !org_right && (pl == "and" || !org_left) {
                        break;
                    }
                }
                a -= 2;
                continue;
            }
            if pl == "the" && a > j {
                break;
            }
            break;
        }
        a
    }

    /// End of the capitalised run starting at `a`.
    fn run_end(&self, p: usize, a: usize, hi: usize) -> usize {
        let mut b = a;
        let mut steps = 0;
        while b + 1 < hi && steps < 12 {
            steps += 1;
            let Some(nw) = self.word(p, b + 1) else { break };
            if names::is_cap(nw) {
                b += 1;
                continue;
            }
            let nl = self.lword(p, b + 1).unwrap_or_default();
            let particle = matches!(
                nl,
                "de" | "van" | "von" | "bin" | "al" | "da" | "del" | "la" | "le" | "du" | "der"
            );
            let joiner = matches!(nl, "of" | "for" | "&");
            if (particle || joiner) && b + 2 < hi && self.cap_word(p, b + 2) {
                if joiner {
                    let org = (a..=b).any(|i| {
                        self.word(p, i).is_some_and(|w| {
                            let l = names::lower(w);
                            // `Secretary of State`: the title is the word before `of`
                            names::is_org_word(&l)
                                || i == b
                                    && names::is_role_title(&l)
                                    && !self.after_given_name(p, i, a)
                        })
                    });
                    if !org {
                        break;
                    }
                }
                b += 2;
                continue;
            }
            break;
        }
        b
    }

    /// True when the word before token `i` (within the run from `a`) is a listed first name
    /// or an initial: a title word there is a surname (`Peter T. King of New York`, not the
    /// `King of Spain`).
    fn after_given_name(&self, p: usize, i: usize, a: usize) -> bool {
        i > a
            && self.word(p, i - 1).is_some_and(|w| {
                let w = w.trim_end_matches('.');
                w.chars().count() == 1 || names::known_first_name(&names::lower(w))
            })
    }

    /// Pre-modifier description before a name: "KSE chairman", "former Fox Business host".
    fn premodifier(&self, p: usize, a: usize, lo: usize) -> Option<String> {
        if a == 0 || a <= lo {
            return None;
        }
        let w = self.word(p, a - 1)?;
        let l = self.lword(p, a - 1).unwrap_or_default();
        if names::is_cap(w)
            || FUNCTION.contains(&l)
            || DETERMINERS.contains(&l)
            || cues::speech_base(l).is_some()
            || l.ends_with("ly")
            || l.ends_with("ed")
            || l.ends_with("ing")
        {
            return None;
        }
        let mut s = a - 1;
        let mut n = 0;
        while s > lo && n < 5 {
            let Some(pl) = self.lword(p, s - 1) else {
                break;
            };
            if FUNCTION.contains(&pl)
                || cues::speech_base(pl).is_some()
                || pl == "the"
                || pl == "a"
                || pl == "an"
                || self.common_cap(p, s - 1) && pl != "former"
            {
                if pl == "former" {
                    s -= 1;
                }
                break;
            }
            s -= 1;
            n += 1;
        }
        let toks = &self.paras[p].toks;
        Some(self.text[toks[s].s..toks[a - 1].e].to_string())
    }

    /// Appositive after a name: `X, a senior fellow at Chatham House,`.
    fn appositive(&self, p: usize, b: usize, hi: usize) -> Option<String> {
        if !self.is_punct(p, b + 1, ',') {
            return None;
        }
        let first = self.lword(p, b + 2)?;
        let skip = match first {
            "a" | "an" | "the" => 1,
            "former" | "who" | "whose" | "which" => 0,
            // a bare role noun: `X, director of Open Justice,`, `X, father of Y,`
            _ if self.word(p, b + 2).is_some_and(|w| !names::is_cap(w))
                && !FUNCTION.contains(&first)
                && !DETERMINERS.contains(&first)
                && cues::speech_base(first).is_none()
                && !first.ends_with("ly")
                && !first.ends_with("ing")
                && !first.ends_with("ed")
                && (b + 3..b + 5).any(|i| {
                    self.lword(p, i)
                        .is_some_and(|x| matches!(x, "of" | "at" | "for"))
                }) =>
            {
                0
            }
            _ => return None,
        };
        if first == "who" || first == "which" || first == "whose" {
            return None;
        }
        let s = b + 2 + skip;
        let toks = &self.paras[p].toks;
        let mut e = s;
        while e < hi.min(s + 20) {
            match toks[e].k {
                K::Word => e += 1,
                K::Punct('\'' | '\u{2019}' | '-' | '&') => e += 1,
                _ => break,
            }
        }
        if e == s || e > toks.len() {
            return None;
        }
        Some(self.text[toks[s].s..toks[e - 1].e].to_string())
    }

    /// The noun phrase ending at token `j`.
    fn np_left(&self, p: usize, j: usize, lo: usize) -> Option<Np> {
        let w = self.word(p, j)?;
        let l = self.lword(p, j).unwrap_or_default();
        let pos = self.paras[p].toks[j].s;
        if PRONOUNS.contains(&l) {
            return Some(Np::Pron {
                lw: l.to_string(),
                pos,
            });
        }
        if names::is_cap(w) && !self.common_cap(p, j) {
            let a = self.run_start(p, j, lo);
            let (words, definite) = self.clean_run(p, a, j);
            if words.is_empty() {
                return None;
            }
            // "a spokeswoman for MTV": the name ends a prepositional phrase
            let ap = if a > lo && self.lword(p, a - 1) == Some("the") {
                a - 1
            } else {
                a
            };
            let a_np = a;
            let a = ap;
            if a >= lo + 2
                && self
                    .lword(p, a - 1)
                    .is_some_and(|x| matches!(x, "for" | "of" | "at" | "from"))
            {
                if let Some(head) = self.lword(p, a - 2) {
                    if names::ANON_HEADS.contains(&head) {
                        if let Some(Np::Common { head, definite, .. }) =
                            self.common_np(p, a - 2, lo, pos)
                        {
                            let toks = &self.paras[p].toks;
                            let mut s0 = a - 2;
                            while s0 > lo
                                && s0 + 4 > a
                                && self.word(p, s0 - 1).is_some_and(|x| {
                                    !FUNCTION.contains(&lw(x).as_str())
                                        || DETERMINERS.contains(&lw(x).as_str())
                                })
                            {
                                s0 -= 1;
                                if self.lword(p, s0).is_some_and(|x| DETERMINERS.contains(&x)) {
                                    break;
                                }
                            }
                            return Some(Np::Common {
                                text: self.text[toks[s0].s..toks[j].e].to_string(),
                                head,
                                pos,
                                definite,
                            });
                        }
                    }
                }
            }
            if let Some(person) = self.person_before_of(p, a_np, lo) {
                return Some(person);
            }
            let desc = self.premodifier(p, a_np, lo);
            return Some(Np::Name {
                words,
                definite,
                desc,
            });
        }
        self.common_np(p, j, lo, pos)
    }

    /// "Sen. Bernie Sanders of Vermont told ...": the name before "of" is the person, what
    /// follows where they come from or work.
    fn person_before_of(&self, p: usize, a: usize, lo: usize) -> Option<Np> {
        if a < lo + 2 || self.lword(p, a - 1) != Some("of") || !self.cap_word(p, a - 2) {
            return None;
        }
        let np = self.np_left(p, a - 2, lo)?;
        match &np {
            Np::Name { words, .. }
                if words.len() >= 2
                    && names::name_kind(&words.iter().map(|w| w.as_str()).collect::<Vec<_>>())
                        == SpeakerKind::Person =>
            {
                Some(np)
            }
            _ => None,
        }
    }

    fn common_np(&self, p: usize, j: usize, lo: usize, pos: usize) -> Option<Np> {
        let l = names::lower(self.word(p, j)?);
        // "Mr Farrow's resignation letter said": a named owner's writing speaks for them
        if DOC_NOUNS.contains(&l.as_str()) {
            let mut o = j;
            while o > lo && o + 4 > j {
                o -= 1;
                let Some(w) = self.word(p, o) else { break };
                if names::is_cap(w) && names::is_possessive(w) {
                    if let Some(np @ Np::Name { .. }) = self.np_left(p, o, lo) {
                        return Some(np);
                    }
                    break;
                }
                let ol = self.lword(p, o).unwrap_or_default();
                if names::is_cap(w) || FUNCTION.contains(&ol) || DETERMINERS.contains(&ol) {
                    break;
                }
            }
        }
        if FUNCTION.contains(&l.as_str())
            || DETERMINERS.contains(&l.as_str())
            || cues::speech_base(&l).is_some()
                && !names::ANON_HEADS.contains(&l.as_str())
                // "the report said": a noun after a determiner
                && !(DOC_NOUNS.contains(&l.as_str())
                    && j > lo
                    && self
                        .lword(p, j - 1)
                        .is_some_and(|x| DETERMINERS.contains(&x)))
            || l.ends_with("ly")
            || l.chars().any(|c| c.is_ascii_digit()) && !l.contains("year-old")
        {
            return None;
        }
        let mut a = j;
        let mut n = 0;
        let mut has_det = false;
        while a > lo && n < 10 {
            let Some(pl) = self.lword(p, a - 1) else {
                break;
            };
            if DETERMINERS.contains(&pl) {
                a -= 1;
                has_det = true;
                // "a spokesman for the company": the phrase is the object of a preposition
                if a >= lo + 2
                    && self
                        .lword(p, a - 1)
                        .is_some_and(|x| matches!(x, "for" | "of" | "at" | "from" | "with" | "in"))
                    && self.lword(p, a - 2).is_some_and(|x| {
                        !FUNCTION.contains(&x)
                            && !DETERMINERS.contains(&x)
                            && cues::speech_base(x).is_none()
                            && !x.ends_with("ly")
                    })
                {
                    a -= 1;
                    has_det = false;
                    n += 1;
                    continue;
                }
                break;
            }
            if matches!(pl, "for" | "of" | "at" | "in" | "from" | "with")
                && a >= lo + 2
                && self
                    .word(p, a - 2)
                    .is_some_and(|x| !FUNCTION.contains(&lw(x).as_str()))
            {
                a -= 1;
                n += 1;
                continue;
            }
            if FUNCTION.contains(&pl)
                || cues::speech_base(pl).is_some()
                || pl.ends_with("ly")
                || self.common_cap(p, a - 1) && !DETERMINERS.contains(&pl)
            {
                break;
            }
            a -= 1;
            n += 1;
        }
        // a prepositional phrase with no head before it is not a subject
        if let Some(first) = self.lword(p, a) {
            if matches!(first, "for" | "of" | "at" | "in" | "from" | "with") {
                return None;
            }
        }
        // nor is the object of a preposition: "with mobile services added"
        if a > 0
            && self.lword(p, a - 1).is_some_and(|x| {
                matches!(
                    x,
                    "with"
                        | "for"
                        | "of"
                        | "at"
                        | "in"
                        | "from"
                        | "by"
                        | "about"
                        | "into"
                        | "on"
                        | "to"
                        | "over"
                        | "against"
                        | "among"
                        | "between"
                )
            })
        {
            return None;
        }
        let plural = l.ends_with('s') && !l.ends_with("ss");
        let head = self.head_of(p, a, j);
        if !has_det && !plural && !names::ANON_HEADS.contains(&head.as_str()) {
            return None;
        }
        let toks = &self.paras[p].toks;
        let text = self.text[toks[a].s..toks[j].e].to_string();
        let definite = self
            .lword(p, a)
            .is_some_and(|f| matches!(f, "the" | "this" | "that" | "these" | "those"));
        Some(Np::Common {
            text,
            head,
            pos,
            definite,
        })
    }

    /// Head noun of a common NP `a..=j`: the word before its first preposition.
    fn head_of(&self, p: usize, a: usize, j: usize) -> String {
        for i in a..=j {
            if let Some(l) = self.lword(p, i) {
                // "the director behind JFK": the head is "director"
                if i > a && is_preposition(l) {
                    return self.lword(p, i - 1).unwrap_or_default().to_string();
                }
            }
        }
        self.lword(p, j).unwrap_or_default().to_string()
    }

    /// True when one to `MAX_ROLE_WORDS` lower-case nouns follow the capitalised run ending at
    /// `e` and a capitalised word follows them: a place, body or person qualifying a role
    /// ("Massachusetts congressman X", "Pentagon spokesman X", "Trump campaign aide X"), so
    /// the speaker is the name after the role. A verb ("X defended the film") ends the run.
    fn modifies_role(&self, p: usize, e: usize, hi: usize) -> bool {
        const MAX_ROLE_WORDS: usize = 3;
        let mut k = e + 1;
        while k < hi && k <= e + MAX_ROLE_WORDS {
            let Some(x) = self.word(p, k) else {
                return false;
            };
            if names::is_cap(x) {
                return k > e + 1;
            }
            let l = names::lower(x);
            if !x.chars().all(char::is_alphabetic)
                || FUNCTION.contains(&l.as_str())
                || DETERMINERS.contains(&l.as_str())
                || is_preposition(&l)
                || cues::speech_base(&l).is_some()
                || is_past_form(&l)
                || l.ends_with("ing")
                || l.ends_with("ly")
            {
                return false;
            }
            k += 1;
        }
        false
    }

    /// The noun phrase starting at token `a` (after an inverted verb or "according to").
    fn np_right(&self, p: usize, a: usize, hi: usize) -> Option<(Np, usize)> {
        let w = self.word(p, a)?;
        let l = self.lword(p, a).unwrap_or_default();
        let pos = self.paras[p].toks[a].s;
        if PRONOUNS.contains(&l) {
            return Some((
                Np::Pron {
                    lw: l.to_string(),
                    pos,
                },
                a,
            ));
        }
        // "analyst Alex Potter", "UKA chief executive David Moorcroft": role words, then a name
        {
            let mut k = a;
            while k < hi && k < a + 6 {
                let Some(x) = self.word(p, k) else { break };
                let xl = self.lword(p, k).unwrap_or_default();
                if names::is_cap(x) && xl != "the" {
                    let e = self.run_end(p, k, hi);
                    // "former Massachusetts congressman Barney Frank": a place or body before
                    // the role word, the person after it
                    if k == a || self.modifies_role(p, e, hi) {
                        k = e + 1;
                        continue;
                    }
                    break;
                }
                if FUNCTION.contains(&xl)
                    || DETERMINERS.contains(&xl) && k > a
                    || cues::speech_base(xl).is_some()
                    || is_preposition(xl)
                {
                    k = hi;
                    break;
                }
                k += 1;
            }
            if k > a
                && k < hi
                && self.cap_word(p, k)
                && self
                    .lword(p, k - 1)
                    .is_some_and(|x| !names::is_cap(x) && !x.is_empty())
                && self.word(p, k - 1).is_some_and(|x| !names::is_cap(x))
            {
                let b = self.run_end(p, k, hi);
                let (words, definite) = self.clean_run(p, k, b);
                if !words.is_empty()
                    && names::name_kind(&words.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                        == SpeakerKind::Person
                {
                    let toks = &self.paras[p].toks;
                    let start = if self
                        .lword(p, a)
                        .is_some_and(|f| matches!(f, "a" | "an" | "the"))
                    {
                        a + 1
                    } else {
                        a
                    };
                    let desc = self.appositive(p, b, hi).or_else(|| {
                        (start < k).then(|| self.text[toks[start].s..toks[k - 1].e].to_string())
                    });
                    return Some((
                        Np::Name {
                            words,
                            definite,
                            desc,
                        },
                        b,
                    ));
                }
            }
        }
        if names::is_cap(w) && (l != "the" || self.cap_word(p, a + 1)) {
            let b = self.run_end(p, a, hi);
            let (words, definite) = self.clean_run(p, a, b);
            if words.is_empty() {
                return None;
            }
            let desc = self.appositive(p, b, hi);
            return Some((
                Np::Name {
                    words,
                    definite,
                    desc,
                },
                b,
            ));
        }
        // common noun phrase: determiner? words, one prepositional phrase
        let mut b = a;
        let mut n = 0;
        let mut last_noun = None;
        while b < hi && n < 9 {
            let Some(xl) = self.lword(p, b) else { break };
            if b > a
                && DETERMINERS.contains(&xl)
                && !matches!(
                    self.lword(p, b - 1),
                    Some("for" | "of" | "at" | "in" | "from" | "with")
                )
            {
                break;
            }
            if matches!(xl, "for" | "of" | "at" | "in" | "from" | "with") {
                if last_noun.is_none() {
                    break;
                }
            } else if FUNCTION.contains(&xl) && !DETERMINERS.contains(&xl)
                || cues::speech_base(xl).is_some()
                    && !names::ANON_HEADS.contains(&xl)
                    && !cues::nouny(xl)
                || xl.ends_with("ly")
            {
                break;
            } else if !DETERMINERS.contains(&xl) {
                last_noun = Some(b);
            }
            b += 1;
            n += 1;
        }
        let mut e = last_noun?;
        // "saying the city embodied the ...", "a court document filed": a verb in the past
        // after the phrase's noun starts a clause and is not part of the phrase
        if e > a + 1
            && self.lword(p, e).is_some_and(is_past_form)
            && self
                .lword(p, e - 1)
                .is_some_and(|x| !is_preposition(x) && !DETERMINERS.contains(&x))
        {
            e -= 1;
        }
        let first = self.lword(p, a)?;
        let has_det = DETERMINERS.contains(&first);
        let head = self.head_of(p, a, e);
        let plural = head.ends_with('s') && !head.ends_with("ss");
        if !has_det && !plural && !names::ANON_HEADS.contains(&head.as_str()) {
            return None;
        }
        let toks = &self.paras[p].toks;
        let text = self.text[toks[a].s..toks[e].e].to_string();
        let definite = matches!(first, "the" | "this" | "that");
        // "said its chairman, Arthur Hsu."
        if self.is_punct(p, e + 1, ',') && self.cap_word(p, e + 2) {
            let b = self.run_end(p, e + 2, hi);
            let ends = b + 1 >= hi
                || matches!(
                    toks.get(b + 1).map(|t| t.k),
                    Some(K::Punct(_) | K::Quote(_)) | None
                );
            let (words, definite) = self.clean_run(p, e + 2, b);
            if ends
                && !words.is_empty()
                && names::name_kind(&words.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                    == SpeakerKind::Person
            {
                return Some((
                    Np::Name {
                        words,
                        definite,
                        desc: Some(text),
                    },
                    b,
                ));
            }
        }
        Some((
            Np::Common {
                text,
                head,
                pos,
                definite,
            },
            e,
        ))
    }

    /// A speech cue at token `i`: (cue text, verb base, index of its last token).
    fn cue_at(&self, p: usize, i: usize) -> Option<(String, &'static str, usize)> {
        let w = self.word(p, i)?;
        let l = self.lword(p, i)?;
        if l == "according" && self.lword(p, i + 1) == Some("to") {
            return Some(("according to".into(), "according", i + 1));
        }
        let base = cues::speech_base(l)?;
        // a capitalised form inside a sentence is part of a name ("United States")
        if names::is_cap(w) && i != self.sent_start(p, i) {
            return None;
        }
        if i > 0 {
            if let Some(prev) = self.lword(p, i - 1) {
                let det = matches!(
                    prev,
                    "the"
                        | "a"
                        | "an"
                        | "his"
                        | "her"
                        | "their"
                        | "its"
                        | "our"
                        | "my"
                        | "these"
                        | "those"
                        | "this"
                        | "such"
                        | "no"
                        | "any"
                        | "your"
                );
                if det && (cues::nouny(l) || l.ends_with("ing") || l.ends_with("ed")) {
                    return None;
                }
            }
            // after a possessive a speech word is a noun ("Sanders’ comments", "the firm's
            // claims"); only a past form may follow a contracted "has" ("Trump's said")
            if let Some(pw) = self.word(p, i - 1) {
                let possessive = names::is_possessive(pw) && pw.len() > 2;
                let plural_possessive = pw.ends_with("s'") || pw.ends_with("s\u{2019}");
                if possessive && (plural_possessive || l == base || l.ends_with('s')) {
                    return None;
                }
            }
            // a bare noun-like form after a possessive or a determiner and adjectives:
            // "an urgent question", "the firm's report"
            if cues::nouny(l) && cues::speech_base(l) == Some(l) && self.noun_slot(p, i) {
                return None;
            }
        }
        if base == "call" && self.lword(p, i + 1) == Some("on") {
            return Some((format!("{} on", w.to_lowercase()), base, i + 1));
        }
        if base == "call" && self.lword(p, i + 1) == Some("for") {
            return Some((format!("{} for", w.to_lowercase()), base, i + 1));
        }
        Some((l.to_string(), base, i))
    }

    /// Is the word at `i` in a noun's slot: after a possessive, or after a determiner with
    /// at most two singular modifiers between?
    fn noun_slot(&self, p: usize, i: usize) -> bool {
        let mut j = i;
        for n in 0..3 {
            if j == 0 {
                return false;
            }
            j -= 1;
            let Some(w) = self.word(p, j) else {
                return false;
            };
            let l = self.lword(p, j).unwrap_or_default();
            // `the firm's report`, `Bush's Facebook post`
            if names::is_possessive(w) && w.len() > 2 {
                return true;
            }
            if DETERMINERS.contains(&l) {
                return n > 0 || !matches!(l, "that" | "this" | "these" | "those");
            }
            if FUNCTION.contains(&l)
                || PRONOUNS.contains(&l)
                || cues::speech_base(l).is_some()
                || l.ends_with("ly")
                || l.ends_with('s') && !l.ends_with("ss")
            {
                return false;
            }
        }
        false
    }

    /// The comma before a place that ends at token `e` and is set off by commas
    /// (`, N.C.,`), when there is one.
    fn place_aside_comma(&self, p: usize, e: usize, lo: usize) -> Option<usize> {
        if !self.is_punct(p, e + 1, ',') {
            return None;
        }
        match self.np_left(p, e, lo)? {
            Np::Name { words, .. } if super::canonical::is_place_aside(&words) => {
                let rs = self.run_start(p, e, lo);
                (rs > lo && self.is_punct(p, rs - 1, ',')).then(|| rs - 1)
            }
            _ => None,
        }
    }

    /// Subject of the cue at `v`, looking left no further than `lo`.
    fn subject_left(&self, p: usize, v: usize, lo: usize) -> Option<Np> {
        // `Harry Bond, 30, of Raleigh, N.C., who was among those polled, said`
        const MAX_ASIDES: usize = 4;
        let mut j = v;
        let mut hops = 0;
        let mut steps = 0;
        let verb = self.lword(p, v).unwrap_or_default();
        let participle = verb.ends_with("ed")
            || matches!(verb, "told" | "said" | "written" | "described" | "quoted");
        loop {
            // auxiliaries and adverbs
            while j > lo && steps < 8 {
                let Some(pl) = self.lword(p, j - 1) else {
                    break;
                };
                // a capitalised word is not an auxiliary here ("May said")
                let capital = self.word(p, j - 1).is_some_and(names::is_cap);
                // `Priebus later Thursday told`, `Smith on Monday said`: a weekday is an
                // adverb of time, not the subject
                if capital && pl.ends_with("day") && names::is_day_month(pl) {
                    j -= 1;
                    if j > lo && self.lword(p, j - 1) == Some("on") {
                        j -= 1;
                    }
                    steps += 1;
                    continue;
                }
                if !capital && (AUX.contains(&pl) || pl.ends_with("ly") && pl.len() > 4) {
                    if BE.contains(&pl) && participle && j == v {
                        return None; // passive: "X was accused of ..."
                    }
                    j -= 1;
                    steps += 1;
                    continue;
                }
                break;
            }
            if j <= lo {
                return None;
            }
            // `X, of Raleigh, N.C., who ..., said`: a place set off by commas is an aside,
            // whether the comma after it or its last word is where the walk stands
            let place_end = if self.is_punct(p, j - 1, ',') {
                j.checked_sub(2)
            } else {
                Some(j - 1)
            };
            if let Some(comma) = place_end
                .filter(|&e| e >= lo && hops < MAX_ASIDES)
                .and_then(|e| self.place_aside_comma(p, e, lo))
            {
                j = comma + 1;
                hops += 1;
                continue;
            }
            let t = self.paras[p].toks[j - 1];
            let close = match t.k {
                K::Punct(',') => ',',
                K::Punct(')') => '(',
                K::Punct(c @ ('\u{2014}' | '\u{2013}')) => c,
                K::Punct('-') => '-',
                _ => break,
            };
            if hops >= MAX_ASIDES {
                return None;
            }
            // find the opening of the aside
            let from = (j - 1).saturating_sub(WINDOW).max(lo);
            let mut k = j - 1;
            let mut found = None;
            while k > from {
                k -= 1;
                match self.paras[p].toks[k].k {
                    K::Punct(c) if c == close => {
                        found = Some(k);
                        break;
                    }
                    // an abbreviation's period inside the aside: `, R-Pa.,`
                    K::Punct('.') if self.is_abbrev_period(p, k) => {}
                    K::Punct('.' | ';' | ':') | K::Quote(_) => break,
                    _ => {}
                }
            }
            let k = found?;
            // `Its chairman, Sir Peter Oakes, said`: the aside is the name (not a bracketed
            // short form: "The Digital Standards Authority (DSA) said", nor a party and
            // state: "Glenn Thompson, R-Pa., said")
            if close != '('
                && !self
                    .word(p, k + 1)
                    .is_some_and(super::canonical::is_party_tag)
                && j >= 2
                && k + 1 < j - 1
                && self.word(p, j - 2).is_some_and(names::is_cap)
            {
                if let Some(Np::Name {
                    words,
                    definite,
                    desc,
                }) = self.np_left(p, j - 2, k + 1)
                {
                    // `Her rival, the Canadian Tessa Brook, said`
                    let rs = self.run_start(p, j - 2, k + 1);
                    if rs == k + 1 || rs == k + 2 && self.lword(p, k + 1) == Some("the") {
                        let before = if k > lo {
                            self.np_left(p, k - 1, lo)
                        } else {
                            None
                        };
                        let desc = match before {
                            Some(Np::Common { text, .. }) => Some(text),
                            _ => desc,
                        };
                        return Some(Np::Name {
                            words,
                            definite,
                            desc,
                        });
                    }
                }
            }
            // `The Parents Television Council (PTC), which ..., said`: a bracket may end the
            // subject before an aside
            if k <= lo || self.word(p, k - 1).is_none() && !self.is_punct(p, k - 1, ')') {
                return None;
            }
            j = k;
            hops += 1;
        }
        let np = self.np_left(p, j - 1, lo);
        if matches!(np, Some(Np::Name { .. } | Np::Pron { .. })) {
            return np;
        }
        // `X, PTC president and activist said`: an appositive whose closing comma is missing
        let from = (j - 1).saturating_sub(12).max(lo);
        for k in (from..j - 1).rev() {
            match self.paras[p].toks[k].k {
                K::Punct(',') => {
                    if k > lo {
                        if let Some(Np::Name { .. }) = self.np_left(p, k - 1, lo).as_ref() {
                            return self.np_left(p, k - 1, lo);
                        }
                    }
                    break;
                }
                K::Punct(_) | K::Quote(_) => break,
                _ => {}
            }
        }
        np
    }

    /// First noun phrase of the clause `[lo, v)`: the subject of a participle's main clause.
    /// Failing that, the first after an opening phrase set off by a comma (`Here in
    /// Columbia, X ...`).
    fn clause_subject(&self, p: usize, lo: usize, v: usize) -> Option<Np> {
        self.clause_subject_from(p, lo, v).or_else(|| {
            let first = self.lword(p, lo)?;
            if DETERMINERS.contains(&first) {
                return None;
            }
            let comma = (lo + 1..v).find(|&k| self.is_punct(p, k, ','))?;
            self.clause_subject_from(p, comma + 1, v)
        })
    }

    fn clause_subject_from(&self, p: usize, lo: usize, v: usize) -> Option<Np> {
        let mut i = lo;
        while i < v {
            if let Some(w) = self.word(p, i) {
                let l = self.lword(p, i).unwrap_or_default();
                if PRONOUNS.contains(&l) || names::is_cap(w) && !self.common_cap(p, i) {
                    return self.np_right(p, i, v).map(|x| x.0);
                }
                if !names::is_cap(w) && !DETERMINERS.contains(&l) {
                    // "novelist Gore Vidal defended the film, saying ..."
                    if !FUNCTION.contains(&l) {
                        if let Some((np @ Np::Name { .. }, _)) = self.np_right(p, i, v) {
                            return Some(np);
                        }
                    }
                    return None;
                }
                if DETERMINERS.contains(&l) {
                    return self.np_right(p, i, v).map(|x| x.0);
                }
            } else if !matches!(self.paras[p].toks[i].k, K::Punct(',')) {
                return None;
            }
            i += 1;
        }
        None
    }

    /// Agent of a passive cue: "was described by X as".
    fn by_agent(&self, p: usize, v: usize, hi: usize) -> Option<Np> {
        for i in v + 1..hi.min(v + 6) {
            if self.lword(p, i) == Some("by") {
                return self.np_right(p, i + 1, hi).map(|x| x.0);
            }
        }
        None
    }

    /// Finds a cue in `[a, b)` nearest to `b` (when `rev`) or to `a`.
    fn find_cue(
        &self,
        p: usize,
        a: usize,
        b: usize,
        rev: bool,
    ) -> Option<(String, &'static str, usize, usize)> {
        let b = b.min(self.paras[p].toks.len());
        if a >= b {
            return None;
        }
        let idx: Box<dyn Iterator<Item = usize>> = if rev {
            Box::new((a..b).rev())
        } else {
            Box::new(a..b)
        };
        for i in idx {
            if let Some((c, base, last)) = self.cue_at(p, i) {
                return Some((c, base, i, last));
            }
        }
        None
    }

    fn nearest_mention(&self, pos: usize, want: impl Fn(usize) -> bool) -> Option<usize> {
        let k = self.mentions.partition_point(|m| m.0 < pos);
        self.mentions[..k]
            .iter()
            .rev()
            .take(60)
            .find(|m| want(m.1))
            .map(|m| m.1)
    }

    /// First mention in subject position between bytes `from` and `to`, with its entity.
    fn first_subject_between(
        &self,
        from: usize,
        to: usize,
        want: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let k = self.mentions.partition_point(|m| m.0 < from);
        self.mentions[k..]
            .iter()
            .take_while(|m| m.0 < to)
            .find(|m| m.2 == ROLE_SUBJECT && want(m.1))
            .map(|m| m.1)
    }

    /// Nearest earlier mention in subject position (not after a preposition, not possessive),
    /// else the nearest object of a verb.
    fn nearest_subject(&self, pos: usize, want: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
        let k = self.mentions.partition_point(|m| m.0 < pos);
        let recent = &self.mentions[k.saturating_sub(60)..k];
        recent
            .iter()
            .rev()
            .find(|m| m.2 == ROLE_SUBJECT && want(m.1))
            .or_else(|| {
                recent
                    .iter()
                    .rev()
                    .find(|m| m.2 == ROLE_OBJECT && want(m.1))
            })
            .map(|m| (m.0, m.1))
    }

    /// The people a he/she at byte `pos` may stand for, nearest first: each confirmed
    /// person of a compatible gender among the last mentions, once, with the role of the
    /// nearest mention.
    pub(super) fn antecedents(&self, pos: usize, g: Gender) -> Vec<Antecedent> {
        let k = self.mentions.partition_point(|m| m.0 < pos);
        let recent = &self.mentions[k.saturating_sub(ANTECEDENT_LOOKBACK_MENTIONS)..k];
        let mut out: Vec<Antecedent> = Vec::new();
        for &(_, id, role) in recent.iter().rev() {
            let e = &self.reg.entities[id];
            let fits =
                e.kind == SpeakerKind::Person && e.confirmed && e.gender.is_none_or(|eg| eg == g);
            if !fits || out.iter().any(|a| a.id == id) {
                continue;
            }
            out.push(Antecedent {
                id,
                subject: role == ROLE_SUBJECT,
            });
            if out.len() == MAX_ANTECEDENTS {
                break;
            }
        }
        out
    }

    /// he/she: the nearest earlier person of that gender, or unnamed source.
    fn resolve_personal(&self, pos: usize, g: Option<Gender>) -> Speaker {
        let person = self.nearest_subject(pos, |id| {
            let e = &self.reg.entities[id];
            e.kind == SpeakerKind::Person && e.confirmed && (e.gender.is_none() || e.gender == g)
        });
        let k = self.anon.partition_point(|m| m.0 < pos);
        let anon = k.checked_sub(1).map(|i| &self.anon[i]);
        match (person, anon) {
            (Some((pp, _)), Some((ap, text))) if *ap > pp => Speaker {
                name: Some(text.clone()),
                kind: Some(SpeakerKind::Unnamed),
                desc: None,
            },
            (Some((_, id)), _) => self.entity_speaker(id),
            (None, Some((ap, text))) if pos - ap < 2000 => Speaker {
                name: Some(text.clone()),
                kind: Some(SpeakerKind::Unnamed),
                desc: None,
            },
            _ => Speaker::default(),
        }
    }

    fn entity_speaker(&self, id: usize) -> Speaker {
        let e = &self.reg.entities[id];
        Speaker {
            name: Some(e.name.clone()),
            kind: Some(e.kind),
            desc: e.description.clone(),
        }
    }

    /// Resolves a noun phrase to a speaker.
    fn resolve(&self, np: &Np, last: Option<&Attr>) -> Speaker {
        match np {
            Np::Pron { lw, pos } => {
                let g = match lw.as_str() {
                    "he" => Some(Gender::Male),
                    "she" => Some(Gender::Female),
                    _ => None,
                };
                match lw.as_str() {
                    "he" | "she" => self.resolve_personal(*pos, g),
                    "it" => self
                        .nearest_subject(*pos, |id| self.reg.entities[id].kind == SpeakerKind::Org)
                        .map(|(_, id)| self.entity_speaker(id))
                        .unwrap_or_default(),
                    "they" => match last {
                        Some(a)
                            if a.speaker.kind == Some(SpeakerKind::Org)
                                || a.speaker.kind == Some(SpeakerKind::Unnamed)
                                    && a.speaker
                                        .name
                                        .as_deref()
                                        .is_some_and(|n| n.ends_with('s')) =>
                        {
                            a.speaker.clone()
                        }
                        _ => Speaker::default(),
                    },
                    _ => Speaker::default(),
                }
            }
            Np::Name {
                words,
                definite,
                desc,
                ..
            } => {
                let ws: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
                let ws = {
                    let mut v = ws;
                    while v.len() > 1 && names::is_drop_title(&names::lower(v[0])) {
                        v.remove(0);
                    }
                    v
                };
                if let Some(id) = self.reg.lookup(&ws) {
                    let mut s = self.entity_speaker(id);
                    if s.desc.is_none() {
                        s.desc = desc.clone();
                    }
                    return s;
                }
                let kind = names::name_kind(&ws);
                let mut name = ws.join(" ");
                if *definite && kind == SpeakerKind::Org {
                    name = format!("the {name}");
                }
                Speaker {
                    name: Some(name),
                    kind: Some(kind),
                    desc: desc.clone(),
                }
            }
            Np::Common {
                text,
                head,
                pos,
                definite,
            } => {
                if *definite && names::ORG_HEADS.contains(&head.as_str()) {
                    // "the UN human rights office": a proper modifier makes it a name
                    let mut ws = text.split_whitespace();
                    ws.next();
                    let rest: Vec<&str> = ws.collect();
                    if rest.len() >= 2
                        && rest[..rest.len() - 1].iter().any(|w| {
                            names::is_cap(w) && !w.ends_with("'s") && !w.ends_with("\u{2019}s")
                        })
                    {
                        return Speaker {
                            name: Some(rest.join(" ")),
                            kind: Some(SpeakerKind::Org),
                            desc: None,
                        };
                    }
                    let press =
                        matches!(head.as_str(), "paper" | "newspaper" | "daily" | "tabloid");
                    let found = if press {
                        // a newspaper is named wherever it is mentioned ("a poll for the X")
                        self.nearest_mention(*pos, |id| {
                            let e = &self.reg.entities[id];
                            e.kind == SpeakerKind::Org && names::is_press_name(&e.name)
                        })
                    } else {
                        self.nearest_subject(*pos, |id| {
                            self.reg.entities[id].kind == SpeakerKind::Org
                        })
                        .map(|x| x.1)
                    };
                    if let Some(id) = found {
                        return self.entity_speaker(id);
                    }
                }
                // "the report said": the organisation that published it, when one was just
                // the subject or the agent ("an analysis by the Climate Network")
                if *definite && DOC_NOUNS.contains(&head.as_str()) {
                    // "the Halifax survey": its own modifier names the publisher
                    let named = text.split_whitespace().skip(1).any(names::is_cap);
                    let org = self
                        .nearest_subject(*pos, |id| self.reg.entities[id].kind == SpeakerKind::Org);
                    if let Some((mp, id)) = org.filter(|_| !named) {
                        if *pos - mp < 800 {
                            return self.entity_speaker(id);
                        }
                    }
                }
                if *definite
                    && !names::ANON_HEADS.contains(&head.as_str())
                    && !names::ORG_HEADS.contains(&head.as_str())
                    && (!head.ends_with('s') || head.ends_with("ss"))
                {
                    // "the home secretary": a person the article described so, or the person
                    // just mentioned
                    let described = self.nearest_mention(*pos, |id| {
                        let e = &self.reg.entities[id];
                        e.kind == SpeakerKind::Person
                            && e.description.as_deref().is_some_and(|d| {
                                d.to_lowercase().split_whitespace().any(|w| w == head)
                            })
                    });
                    let personal = names::is_role_title(head)
                        || head.contains("year-old")
                        || ["er", "or", "ist", "ian", "ant", "ent", "man", "woman"]
                            .iter()
                            .any(|s| head.ends_with(s));
                    let near = described.or_else(|| {
                        if !personal {
                            return None;
                        }
                        self.nearest_subject(*pos, |id| {
                            let e = &self.reg.entities[id];
                            e.kind == SpeakerKind::Person && e.confirmed
                        })
                        .map(|x| x.1)
                    });
                    if let Some(id) = near {
                        return self.entity_speaker(id);
                    }
                }
                let mut t = text.clone();
                // sentence-initial capital of a common word
                if let Some(c) = t.chars().next() {
                    if c.is_uppercase() {
                        let rest = &t[c.len_utf8()..];
                        let first_word: String =
                            t.split_whitespace().next().unwrap_or("").to_string();
                        if !first_word.chars().skip(1).any(|c| c.is_uppercase()) {
                            t = format!("{}{}", c.to_lowercase(), rest);
                        }
                    }
                }
                Speaker {
                    name: Some(t),
                    kind: Some(SpeakerKind::Unnamed),
                    desc: None,
                }
            }
        }
    }

    fn np_is_speakerish(np: &Np) -> bool {
        match np {
            Np::Pron { lw, .. } => matches!(lw.as_str(), "he" | "she" | "they" | "it"),
            // `former Pennsylvania Gov. and DNC Chairman X` cut before `and`: a name
            // ending in a title names an office, not the person holding it (but `Peter T
            // King` opens with a first name)
            Np::Name { words, .. } if words.len() > 1 => {
                let title_last = words
                    .last()
                    .is_some_and(|w| names::is_role_title(&names::lower(w.trim_end_matches('.'))));
                !title_last || names::known_first_name(&names::lower(&words[0]))
            }
            _ => true,
        }
    }
}

/// Writings that speak for their author or publisher ("the report said", "her letter said").
static DOC_NOUNS: WordSet = WordSet::new(&[
    "report", "study", "analysis", "survey", "review", "letter", "findings", "inquiry", "research",
    "audit",
]);

/// Prepositions that end the head of a noun phrase ("the director behind JFK").
/// "of State Hillary Clinton", "Democrat Hillary Clinton", "Kentuckian Rand Paul": words
/// before a listed first name that has a surname after it describe the person and are not
/// part of the name. Honorifics, first names and initials before it stay ("Mary Ann Smith",
/// "J Edgar Hoover"), as do organisations' names ("Bank of England").
fn drop_descriptor(words: &mut Vec<String>) {
    while words.len() > 2 && matches!(words[0].as_str(), "of" | "for" | "and") {
        words.remove(0);
    }
    if words.len() < 3 || words.iter().any(|w| names::is_org_word(&names::lower(w))) {
        return;
    }
    let Some(k) = (1..words.len() - 1).find(|&k| names::known_first_name(&names::lower(&words[k])))
    else {
        return;
    };
    let describes = |w: &String| {
        let l = names::lower(w);
        l.chars().count() > 1
            && !names::is_honorific(&l)
            && !names::known_first_name(&l)
            && names::strip_possessive(w).len() == w.len()
    };
    if words[..k].iter().all(describes) && words[k..].iter().all(|w| names::is_cap(w)) {
        words.drain(..k);
    }
}

/// A regular past tense or participle ("filed", "embodied"): five letters or more ending in
/// "ed", leaving out nouns in "-eed" ("speed", "greed").
fn is_past_form(l: &str) -> bool {
    const MIN_PAST_FORM_CHARS: usize = 5;
    l.len() >= MIN_PAST_FORM_CHARS && l.ends_with("ed") && !l.ends_with("eed") && l != "hundred"
}

fn is_preposition(l: &str) -> bool {
    matches!(
        l,
        "for"
            | "of"
            | "at"
            | "in"
            | "from"
            | "with"
            | "behind"
            | "within"
            | "among"
            | "inside"
            | "near"
            | "across"
    )
}

pub(super) fn is_fragment(q: &str) -> bool {
    let t = q.trim_end_matches(['\'', '\u{2019}', ')']);
    if t.ends_with(['.', '?', '!', '\u{2026}']) {
        return false;
    }
    let words = q.split_whitespace().count();
    let lower_start = q.chars().next().is_some_and(|c| c.is_lowercase());
    lower_start || words <= 4 || !t.ends_with([',', ';', ':', '-', '\u{2014}'])
}

/// Title-like: every long word capitalised ("The Art of War"), short, no final punctuation.
pub(super) fn is_title_like(q: &str) -> bool {
    let words: Vec<&str> = q.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    if q.ends_with(['.', ',', '?', '!']) {
        return false;
    }
    words.iter().all(|w| {
        let l = w.to_lowercase();
        matches!(
            l.as_str(),
            "of" | "the" | "and" | "a" | "an" | "in" | "on" | "to" | "for" | "at" | "with" | "&"
        ) || w
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }) && !words.is_empty()
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

pub fn extract(
    text: &str,
    paragraphs: &[Paragraph],
    pieces: &[Piece],
    explain: bool,
) -> Vec<Quote> {
    // ---- tokens and sentences
    let mut paras = Vec::with_capacity(paragraphs.len());
    let mut piece_tok = vec![None; pieces.len()];
    let mut pi = 0;
    for (idx, p) in paragraphs.iter().enumerate() {
        let mut mine = Vec::new();
        while pi < pieces.len() && pieces[pi].para < idx {
            pi += 1;
        }
        while pi < pieces.len() && pieces[pi].para == idx {
            mine.push((pi, pieces[pi]));
            pi += 1;
        }
        let ok = p.start <= p.end
            && p.end <= text.len()
            && text.is_char_boundary(p.start)
            && text.is_char_boundary(p.end);
        let toks = if ok {
            tokens::tokenize(text, p.start, p.end, &mine)
        } else {
            Vec::new()
        };
        for (i, t) in toks.iter().enumerate() {
            if let K::Quote(q) = t.k {
                piece_tok[q] = Some((idx, i));
            }
        }
        let sents = tokens::sentences(text, &toks, pieces);
        let mut sent_of = vec![0; toks.len()];
        for (si, &(a, b)) in sents.iter().enumerate() {
            for x in &mut sent_of[a..b] {
                *x = si;
            }
        }
        let mut lower = String::new();
        let lower_at = toks
            .iter()
            .map(|t| {
                let start = lower.len() as u32;
                if t.k == K::Word {
                    let w = &text[t.s..t.e];
                    if w.is_ascii() {
                        lower.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
                    } else {
                        lower.push_str(&w.to_lowercase());
                    }
                }
                (start, lower.len() as u32)
            })
            .collect();
        paras.push(Para {
            toks,
            sents,
            sent_of,
            is_title: p.is_title,
            lower,
            lower_at,
        });
    }
    let mut lower_words = FxHashSet::default();
    for para in &paras {
        for t in &para.toks {
            if t.k == K::Word {
                let w = &text[t.s..t.e];
                if w.chars().next().is_some_and(|c| c.is_lowercase()) {
                    lower_words.insert(w);
                }
            }
        }
    }
    let mut cx = Ctx {
        text,
        pieces,
        paras,
        lower_words,
        reg: Registry::default(),
        mentions: Vec::new(),
        anon: Vec::new(),
        piece_tok,
    };
    build_registry(&mut cx);
    attribute_all(&cx, explain)
}

/// Collects the names the article uses (outside quotes, title excluded), their mentions,
/// genders from courtesy titles, and descriptions.
fn build_registry(cx: &mut Ctx) {
    struct Run {
        p: usize,
        a: usize,
        b: usize,
        words: Vec<String>,
        honor: Option<String>,
        /// introduced by an organisation noun: "the civil liberties group Open Justice",
        /// "software giant Microsoft"
        org_premod: bool,
    }
    let mut runs = Vec::new();
    for p in 0..cx.paras.len() {
        if cx.paras[p].is_title {
            continue;
        }
        let n = cx.paras[p].toks.len();
        let mut i = 0;
        while i < n {
            // the cheap checks first: most words are not capitalised
            let is_name_start = cx.word(p, i).is_some_and(names::is_cap)
                && (!cx.common_cap(p, i)
                    || cx.cap_word(p, i + 1)
                        && cx.word(p, i).is_some_and(|w| {
                            let l = names::lower(w);
                            l == "the" || names::is_common_cap(&l) || names::is_day_month(&l)
                        }));
            if !is_name_start {
                i += 1;
                continue;
            }
            let b = cx.run_end(p, i, n);
            let honor = cx
                .word(p, i)
                .map(names::lower)
                .filter(|l| names::is_honorific(l));
            let (words, _) = cx.clean_run(p, i, b);
            let org_premod = honor.is_none()
                && i > 0
                && cx.word(p, i - 1).is_some_and(|w| {
                    let l = lw(w);
                    !names::is_cap(w) && names::ORG_HEADS.contains(&l.as_str()) && !l.ends_with('s')
                });
            if !words.is_empty() {
                runs.push(Run {
                    p,
                    a: i,
                    b,
                    words,
                    honor,
                    org_premod,
                });
            }
            i = b + 1;
        }
    }
    // "the State Administration of Radio, Film and Television (SARFT)": the short form
    // stands for the full name
    let mut short_forms: Vec<(String, Vec<String>)> = Vec::new();
    for para in cx.paras.iter().filter(|para| !para.is_title) {
        for (o, t) in para.toks.iter().enumerate() {
            if t.k != K::Punct('(') || o == 0 {
                continue;
            }
            let Some(acr) = para.toks.get(o + 1).filter(|x| x.k == K::Word) else {
                continue;
            };
            let acr = &cx.text[acr.s..acr.e];
            let letters: Vec<char> = acr.chars().collect();
            if !(2..=8).contains(&letters.len())
                || !letters.iter().all(|c| c.is_ascii_uppercase())
                || para.toks.get(o + 2).map(|x| x.k) != Some(K::Punct(')'))
            {
                continue;
            }
            // match the letters from the last, one capitalised word each, over joiners
            let mut want = letters.len();
            let mut first = o;
            let mut i = o;
            while i > 0 && want > 0 && o - i < 3 * letters.len() + 2 {
                i -= 1;
                let tk = para.toks[i];
                match tk.k {
                    K::Punct(',') if i + 1 < o => continue,
                    K::Word => {}
                    _ => break,
                }
                let w = &cx.text[tk.s..tk.e];
                if names::is_cap(w) {
                    if !w.starts_with(letters[want - 1]) {
                        break;
                    }
                    want -= 1;
                    first = i;
                } else if !matches!(w, "of" | "and" | "for" | "the" | "on" | "in" | "&") {
                    break;
                }
            }
            if want == 0 {
                let full: Vec<String> = cx.text[para.toks[first].s..para.toks[o - 1].e]
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                if short_forms.len() < 32 {
                    short_forms.push((acr.to_string(), full));
                }
            }
        }
    }
    for (acr, full) in &short_forms {
        let ws: Vec<&str> = full.iter().map(|s| s.as_str()).collect();
        let id = cx.reg.add(&ws, SpeakerKind::Org);
        cx.reg.alias(acr, id);
    }
    // multi-word names first, so single words can find them
    let mut ids = vec![None; runs.len()];
    for (ri, r) in runs.iter().enumerate() {
        let ws: Vec<&str> = r.words.iter().map(|s| s.as_str()).collect();
        let mut core = ws.clone();
        while core.len() > 1 && names::is_drop_title(&names::lower(core[0])) {
            core.remove(0);
        }
        let kind = names::name_kind(&core);
        // a month as a surname after a known first name: "Brian May"
        let first_known = names::first_name_gender(&names::lower(core[0])).is_some();
        let multi = core.len() >= 2
            && core.iter().enumerate().all(|(k, w)| {
                names::is_cap(w)
                    && (!names::is_day_month(&names::lower(w))
                        || first_known && k + 1 == core.len())
                    || {
                        let l = names::lower(w);
                        names::is_name_particle(&l) || matches!(l.as_str(), "of" | "for" | "&")
                    }
            });
        if multi
            && (kind == SpeakerKind::Org
                || !core
                    .iter()
                    .any(|w| names::is_acronym(w) && w.len() > 1 && !w.ends_with('.')))
        {
            ids[ri] = Some(cx.reg.add(&core, kind));
        }
    }
    for (ri, r) in runs.iter().enumerate() {
        if ids[ri].is_some() {
            continue;
        }
        let ws: Vec<&str> = r.words.iter().map(|s| s.as_str()).collect();
        let mut core = ws.clone();
        while core.len() > 1 && names::is_drop_title(&names::lower(core[0])) {
            core.remove(0);
        }
        if let Some(id) = cx.reg.lookup(&core) {
            ids[ri] = Some(id);
            if core.len() == 1 && cx.reg.entities[id].name.contains(' ') {
                cx.reg.confirm(id);
            }
        } else if r.honor.is_some() || r.org_premod || names::name_kind(&core) == SpeakerKind::Org {
            let kind = if r.honor.is_some() {
                SpeakerKind::Person
            } else {
                SpeakerKind::Org
            };
            ids[ri] = Some(cx.reg.add(&core, kind));
        }
    }
    for (ri, r) in runs.iter().enumerate() {
        let Some(id) = ids[ri] else { continue };
        if r.org_premod {
            cx.reg.set_org(id);
        }
        if let Some(g) = r.honor.as_deref().and_then(names::title_gender) {
            cx.reg.set_gender(id, g);
        }
        if r.honor.is_some() {
            cx.reg.confirm(id);
        }
        let pos = cx.paras[r.p].toks[r.a].s;
        let after_prep = r.a > 0
            && cx.lword(r.p, r.a - 1).is_some_and(|l| {
                matches!(
                    l,
                    "at" | "in"
                        | "on"
                        | "to"
                        | "from"
                        | "with"
                        | "by"
                        | "for"
                        | "of"
                        | "against"
                        | "about"
                        | "over"
                        | "under"
                        | "into"
                        | "between"
                        | "behind"
                        | "than"
                        | "like"
                        | "after"
                        | "before"
                        | "the"
                        | "a"
                        | "an"
                        | "towards"
                        | "toward"
                        | "during"
                        | "beat"
                        | "beating"
                        | "replace"
                        | "replaced"
                        | "joined"
                        | "backing"
                        | "succeed"
                        | "face"
                        | "faces"
                        | "facing"
                )
            });
        // "by 18:30 GMT": a name after a number is not a subject
        let after_number = r.a > 0
            && cx.paras[r.p]
                .toks
                .get(r.a - 1)
                .is_some_and(|t| cx.text[t.s..t.e].chars().all(|c| c.is_ascii_digit()));
        // "Koubek, who defeated Britain's Greg Rusedski, ...": the object of a verb in the
        // past tense is not a subject
        let after_verb = r.a > 0
            && cx.word(r.p, r.a - 1).is_some_and(|w| {
                let l = lw(w);
                !names::is_cap(w)
                    && (l.len() > 4 && l.ends_with("ed") && !cues::nouny(&l)
                        || matches!(
                            l.as_str(),
                            "told" | "beat" | "met" | "hit" | "sent" | "thanked" | "urged"
                        ))
            });
        let after_prep = after_prep || after_number;
        let last_raw = cx.word(r.p, r.b).unwrap_or("");
        let possessive = names::is_possessive(last_raw) && cx.possessive_at(r.p, r.b);
        let by_agent = r.a > 0 && cx.lword(r.p, r.a - 1) == Some("by")
            || r.a > 1
                && cx.lword(r.p, r.a - 1) == Some("the")
                && cx.lword(r.p, r.a - 2) == Some("by");
        let role = if (after_prep || possessive) && !by_agent {
            ROLE_OTHER
        } else if after_verb || by_agent {
            ROLE_OBJECT
        } else {
            ROLE_SUBJECT
        };
        cx.mentions.push((pos, id, role));
        if cx.reg.entities[id].kind == SpeakerKind::Person && r.words.len() >= 2 {
            let n = cx.paras[r.p].toks.len();
            let lo = cx.sent_start(r.p, r.a);
            let d = cx
                .appositive(r.p, r.b, n)
                .or_else(|| cx.premodifier(r.p, r.a, lo));
            if let Some(d) = d {
                cx.reg.set_description(id, &d);
                cx.reg.confirm(id);
            }
        }
    }
    cx.mentions.sort_by_key(|m| m.0);
    // unnamed sources of reported speech, for "he said" / "she said" after them
    let mut anon = Vec::new();
    let mut speech_confirmed = Vec::new();
    for p in 0..cx.paras.len() {
        if cx.paras[p].is_title {
            continue;
        }
        for v in 0..cx.paras[p].toks.len() {
            let Some((_, base, _)) = cx.cue_at(p, v) else {
                continue;
            };
            if base == "according" {
                continue;
            }
            let lo = cx.sent_start(p, v).max(v.saturating_sub(WINDOW));
            let subj = cx.subject_left(p, v, lo);
            // a name that says things is a source: confirm it as a person
            if let Some(Np::Name { words, .. }) = &subj {
                if !cues::weak_verb(base) {
                    let mut ws: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
                    while ws.len() > 1 && names::is_drop_title(&names::lower(ws[0])) {
                        ws.remove(0);
                    }
                    if let Some(id) = cx.reg.lookup(&ws) {
                        if cx.reg.entities[id].kind == SpeakerKind::Person {
                            speech_confirmed.push(id);
                        }
                    }
                }
            }
            if let Some(Np::Common {
                text,
                head,
                definite,
                ..
            }) = subj
            {
                let singular = !head.ends_with('s') || head.ends_with("ss");
                if singular
                    && !names::ORG_HEADS.contains(&head.as_str())
                    && (!definite || names::ANON_HEADS.contains(&head.as_str()))
                {
                    anon.push((cx.paras[p].toks[v].s, text));
                }
            }
        }
    }
    cx.anon = anon;
    for id in speech_confirmed {
        cx.reg.confirm(id);
    }
}

/// The last quote before the one being attributed: where it is, its most probable source
/// (named or not: a quote that continues it inherits the candidate with its probability)
/// and that probability.
struct Last {
    /// Its paragraph.
    p: usize,
    /// Byte offset of its end.
    end: usize,
    attr: Attr,
    probability: f32,
}

/// Attributes every piece: the patterns propose, the scorer chooses, and a title quote
/// takes the source of the same words in the body.
fn attribute_all(cx: &Ctx, explain: bool) -> Vec<Quote> {
    let weights = scorer::Weights::shipped();
    let mut attrs: Vec<Option<Chosen>> = vec![None; cx.pieces.len()];
    let mut last: Option<Last> = None;
    for (qi, piece) in cx.pieces.iter().enumerate() {
        let Some((p, t)) = cx.piece_tok[qi] else {
            continue;
        };
        if cx.paras[p].is_title {
            continue;
        }
        let frag = is_fragment(&cx.text[piece.start..piece.end]);
        let prev = last.as_ref().map(|l| patterns::Last {
            p: l.p,
            attr: &l.attr,
        });
        let chosen = match patterns::propose(cx, piece, p, t, prev) {
            patterns::Verdict::NotAQuote => continue,
            patterns::Verdict::Quote { proposals, cue } => {
                let site = choose::QuoteSite {
                    p,
                    q: t,
                    qtext: &cx.text[piece.start..piece.end],
                    fragment: frag,
                    start: piece.start,
                    previous: last.as_ref().and_then(|l| l.attr.speaker.name.as_deref()),
                    previous_confidence: last.as_ref().map_or(0.0, |l| l.probability),
                    previous_at: last.as_ref().map(|l| (l.p, l.end)),
                    opens_paragraph: cx.paras[p].toks[..t].iter().all(|k| k.k != K::Word),
                };
                choose::choose(cx, &site, proposals, cue, weights, explain)
            }
        };
        // A fragment with no candidate leaves the previous quote's source in place.
        let source = match &chosen.best {
            Some((attr, prob)) => Some((attr.clone(), *prob)),
            None => (!frag).then(|| (chosen.attr.clone(), 0.0)),
        };
        if let Some((attr, probability)) = source {
            last = Some(Last {
                p,
                end: piece.end,
                attr,
                probability,
            });
        }
        attrs[qi] = Some(chosen);
    }
    attribute_echoes(cx, &mut attrs);
    attribute_titles(cx, &mut attrs);
    let mut out = Vec::new();
    for (qi, piece) in cx.pieces.iter().enumerate() {
        let Some(c) = attrs[qi].take() else { continue };
        out.push(c.into_quote(cx, piece));
    }
    out
}

/// Body quotes with no source that repeat words another quote of the article credits to one
/// source: "accused of using the \"politics of confusion\"" and, later, Mr Davis's "The
/// government is employing the politics of confusion". Words that several sources used stay
/// unattributed.
fn attribute_echoes(cx: &Ctx, attrs: &mut [Option<Chosen>]) {
    let lead = cx.paras.iter().position(|p| !p.is_title);
    for qi in 0..cx.pieces.len() {
        let unattributed = matches!(&attrs[qi], Some(c) if !c.attr.speaker.known());
        let in_lead = matches!(cx.piece_tok[qi], Some((p, _)) if Some(p) == lead);
        if !(unattributed && in_lead) {
            continue;
        }
        let piece = &cx.pieces[qi];
        if let Some(c) = echoed_source(cx, attrs, qi, &cx.text[piece.start..piece.end]) {
            attrs[qi] = Some(c);
        }
    }
}

/// The one attributed body quote source whose words contain `text`, as a choice for quote
/// `qi`; `None` when no quote or quotes of several sources contain them.
fn echoed_source(cx: &Ctx, attrs: &[Option<Chosen>], qi: usize, text: &str) -> Option<Chosen> {
    let words = normalised_words(text);
    if words.split(' ').count() < ECHO_MIN_WORDS {
        return None;
    }
    let mut found: Option<&Chosen> = None;
    for (j, o) in cx.pieces.iter().enumerate().take(ECHO_MAX_PIECES) {
        let Some(c) = attrs[j].as_ref() else { continue };
        let in_body = matches!(cx.piece_tok[j], Some((p, _)) if !cx.paras[p].is_title);
        if j <= qi || !in_body || !c.attr.speaker.known() {
            continue;
        }
        let other = normalised_words(&cx.text[o.start..o.end]);
        if other.len() <= words.len() || !format!(" {other} ").contains(&format!(" {words} ")) {
            continue;
        }
        match found {
            Some(f) if f.attr.speaker.name != c.attr.speaker.name => return None,
            _ => found = Some(c),
        }
    }
    found.map(|c| Chosen {
        pattern: Some(patterns::Pattern::Echo),
        attr: Attr {
            cue: String::new(),
            cue_at: None,
            ..c.attr.clone()
        },
        candidates: Vec::new(),
        ..c.clone()
    })
}

/// Lower-case words joined by one space: quotes repeat words, not punctuation.
fn normalised_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An echo of fewer words than this is too common to tell its source ("terrorism").
const ECHO_MIN_WORDS: usize = 2;
/// A quote is compared with at most this many others of its article.
const ECHO_MAX_PIECES: usize = 400;

/// Title quotes: the speaker of the same words in the body, or nobody. A headline quote is
/// usually about its subject, so the name it follows is not taken as its source.
fn attribute_titles(cx: &Ctx, attrs: &mut [Option<Chosen>]) {
    for (qi, piece) in cx.pieces.iter().enumerate() {
        let Some((p, _)) = cx.piece_tok[qi] else {
            continue;
        };
        if !cx.paras[p].is_title {
            continue;
        }
        let qt = cx.text[piece.start..piece.end].to_lowercase();
        let from_body = cx
            .pieces
            .iter()
            .enumerate()
            .take(TITLE_MATCH_MAX_PIECES)
            .find_map(|(j, o)| {
                let c = attrs[j].as_ref()?;
                let body_text = cx.text[o.start..o.end].to_lowercase();
                (c.attr.speaker.known() && body_text.contains(&qt)).then(|| c.clone())
            });
        attrs[qi] = Some(match from_body {
            Some(c) => Chosen {
                pattern: Some(patterns::Pattern::HeadlineFromBody),
                attr: Attr {
                    cue: String::new(),
                    cue_at: None,
                    ..c.attr
                },
                candidates: Vec::new(),
                ..c
            },
            None => Chosen::unknown(String::new()),
        });
    }
}

/// A headline quote is matched against at most this many body quotes.
const TITLE_MATCH_MAX_PIECES: usize = 400;
