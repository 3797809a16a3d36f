//! Which quoted spans quote nobody: words mentioned as words (`the word "x"`), nicknames
//! (`known as "the Captain"`) and titles of works and programmes (`the film "X"`, `on ABC's
//! "Good Morning America."`, `the author of "The Art of the Deal."`).
//!
//! On polnear-train, 136 of the 301 false quotes left once markup was skipped were titles of
//! two or more capitalised words, most of them programmes after a broadcaster's possessive
//! (`CNN's "State of the Union"`) or works after their maker (`host of "Morning Joe,"`). A
//! title alone is not enough: the same form is a quoted slogan or nickname ("Make America
//! Great Again", "Little Marco") as often, so a title is dropped only with one of these cues.

use super::attribution::{is_fragment, is_title_like, Ctx};
use super::lexicon;
use super::names::{self, lower_exact as lw};
use super::tokens::K;
use super::wordset::WordSet;

/// Words before a quote that show it mentions a word rather than quoting someone.
static MENTION_WORDS: WordSet = WordSet::file(lexicon::MENTION_WORDS);

/// Who makes or presents a work, before `of` and its title (`the author of "X"`).
static WORK_MAKERS: WordSet = WordSet::file(lexicon::WORK_MAKERS);

/// A quote that names or mentions words rather than quoting a source.
pub(super) fn is_mention_quote(cx: &Ctx, p: usize, q: usize) -> bool {
    is_mention_quote_at(cx, p, q, true)
}

/// Title-case words, allowing the one closing `.` or `,` that American style puts inside the
/// marks: "Meet the Press."
pub fn is_work_title(q: &str) -> bool {
    is_title_like(q.strip_suffix(['.', ',']).unwrap_or(q))
}

/// The words just before a title show that it names a work or a programme: `prev` is the
/// word before the opening mark (a comma between them skipped), `prev2` the word before
/// that. A possessive broadcaster, publisher or day (`ABC's`, `the channel's`,
/// `Wednesday's`), a noun for a work (`the podcast`, `his book,`) or its maker and `of`
/// (`the author of`).
pub fn names_a_work(prev: &str, prev2: Option<&str>) -> bool {
    let owner = names::strip_possessive(prev);
    if owner.len() < prev.len() && prev.ends_with('s') {
        let l = names::lower(owner);
        return names::is_acronym(owner)
            || names::is_day_month(&l)
            || names::ORG_HEADS.contains(&l.as_str())
            || names::is_org_word(&l);
    }
    let l = names::lower(prev);
    if l == "of" {
        return prev2.is_some_and(|w| WORK_MAKERS.contains(&names::lower(w).as_str()));
    }
    MENTION_WORDS.contains(&l.as_str()) && l != "called"
}

/// The word before quote token `q` (one comma between skipped) and the word before that.
fn words_before<'a>(cx: &Ctx<'a>, p: usize, q: usize) -> Option<(&'a str, Option<&'a str>)> {
    let i = q.checked_sub(1)?;
    let i = if cx.is_punct(p, i, ',') {
        i.checked_sub(1)?
    } else {
        i
    };
    let prev = cx.word(p, i)?;
    Some((prev, i.checked_sub(1).and_then(|j| cx.word(p, j))))
}

fn is_mention_quote_at(cx: &Ctx, p: usize, q: usize, follow_list: bool) -> bool {
    let K::Quote(qi) = cx.paras[p].toks[q].k else {
        return false;
    };
    // the next item of a list of mentioned words: `terms like "digital", "interactive"`
    if follow_list && q >= 2 {
        let sep = cx.is_punct(p, q - 1, ',') || matches!(cx.lword(p, q - 1), Some("and" | "or"));
        if sep
            && matches!(cx.paras[p].toks[q - 2].k, K::Quote(_))
            && is_mention_quote_at(cx, p, q - 2, false)
        {
            return true;
        }
    }
    let piece = &cx.pieces[qi];
    let qtext = &cx.text[piece.start..piece.end];
    if piece.cont {
        return false;
    }
    if words_before(cx, p, q).is_some_and(|(w, w2)| names_a_work(w, w2)) && is_work_title(qtext) {
        return true;
    }
    if !is_fragment(qtext) && !is_title_like(qtext) {
        return false;
    }
    let Some(pl) = q.checked_sub(1).and_then(|i| cx.lword(p, i)) else {
        return false;
    };
    if MENTION_WORDS.contains(&pl) {
        return !called_by_a_source(cx, p, q, pl, qtext);
    }
    // `terms like "digital"`, `words such as "x"`
    if matches!(pl, "like" | "as") && q >= 2 {
        let before = cx.lword(p, q - 2);
        let before = if before == Some("such") && q >= 3 {
            cx.lword(p, q - 3)
        } else {
            before
        };
        if before.is_some_and(|b| MENTION_WORDS.contains(&b) && b != "called") {
            return true;
        }
    }
    if pl == "as" {
        return (q.saturating_sub(5)..q - 1).any(|i| {
            cx.lword(p, i).is_some_and(|w| {
                matches!(
                    w,
                    "known" | "nicknamed" | "referred" | "billed" | "styled" | "marketed"
                )
            })
        });
    }
    false
}

/// `which Variety called "..."`, `she called "...`: a source's words, not a name.
fn called_by_a_source(cx: &Ctx, p: usize, q: usize, pl: &str, qtext: &str) -> bool {
    if pl != "called" || q < 2 {
        return false;
    }
    let Some(w) = cx.word(p, q - 2) else {
        return false;
    };
    let l = lw(w);
    let source = matches!(l.as_str(), "he" | "she" | "they" | "we" | "i")
        || names::is_cap(w) && !cx.common_cap(p, q - 2);
    source && qtext.chars().next().is_some_and(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::{extract, Paragraph};

    fn quotes(body: &str) -> Vec<String> {
        let text = format!("Title\n{body}");
        let paras = [
            Paragraph {
                start: 0,
                end: 5,
                is_title: true,
            },
            Paragraph {
                start: 6,
                end: text.len(),
                is_title: false,
            },
        ];
        extract(&text, &paras).into_iter().map(|q| q.text).collect()
    }

    #[test]
    fn work_titles_take_one_closing_stop_or_comma() {
        assert!(is_work_title("Meet the Press."));
        assert!(is_work_title("Morning Joe,"));
        assert!(!is_work_title("We are ready."));
        assert!(!is_work_title("Meet the Press.."));
    }

    #[test]
    fn cues_that_name_a_work() {
        assert!(names_a_work("ABC's", None));
        assert!(names_a_work("CNN\u{2019}s", None));
        assert!(names_a_work("Wednesday\u{2019}s", None));
        assert!(names_a_work("channel's", Some("News")));
        assert!(names_a_work("podcast", Some("the")));
        assert!(names_a_work("of", Some("author")));
        assert!(!names_a_work("of", Some("leader")));
        assert!(!names_a_work("Trump's", None));
        assert!(!names_a_work("said", Some("he")));
    }

    #[test]
    fn programmes_and_books_are_not_quotes() {
        assert!(
            quotes("\"We will win,\" he told ABC's \"Good Morning America.\"")
                .iter()
                .all(|q| q != "Good Morning America.")
        );
        assert!(quotes("Mr Rubio said in his 2012 book, \"An American Son.\"").is_empty());
        assert!(
            quotes("said Jon Meacham, the author of \"Destiny and Power.\"")
                .iter()
                .all(|q| q != "Destiny and Power.")
        );
    }

    #[test]
    fn a_credited_slogan_stays_a_quote() {
        let q = quotes("Trump told the crowd: \"Make America Great Again.\"");
        assert_eq!(q, ["Make America Great Again."]);
    }
}
