//! Lines that scrapers leave in saved articles (share buttons, comment forms, ad slots).
//!
//! A line is boilerplate only when the whole line is one of these phrases (case, surrounding
//! punctuation and white space ignored), so a sentence that merely starts with "Read more" or
//! mentions advertisements is never touched.

const PHRASES: &[&str] = &[
    "read more",
    "read more here",
    "related",
    "related articles",
    "related stories",
    "related topics",
    "more on this story",
    "advertisement",
    "sponsored",
    "sponsored content",
    "share this article",
    "share this",
    "share this story",
    "share",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on linkedin",
    "share on whatsapp",
    "share via email",
    "tweet",
    "email",
    "print",
    "subscribe",
    "subscribe now",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "sign up to our newsletter",
    "click here to subscribe",
    "follow us on twitter",
    "follow us on facebook",
    "leave a reply",
    "leave a comment",
    "cancel reply",
    "post comment",
    "please enter your comment",
    "please enter your name here",
    "you have entered an incorrect email address",
    "save my name, email, and website in this browser for the next time i comment",
    "comments",
    "loading comments",
    "skip to content",
    "back to top",
    "image source, getty images",
    "image caption",
    "media caption",
];

/// Returns true when the whole trimmed line is a known boilerplate phrase.
pub fn is_boilerplate(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '…');
    if t.is_empty() || t.len() > 90 {
        return false;
    }
    let lower = t.to_lowercase();
    PHRASES.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_boilerplate_lines() {
        assert!(is_boilerplate("Read More:"));
        assert!(is_boilerplate("Please enter your comment!"));
        assert!(is_boilerplate("Please enter your name here"));
        assert!(is_boilerplate("  ADVERTISEMENT  "));
    }

    #[test]
    fn article_sentences_are_kept() {
        assert!(!is_boilerplate(
            "Read more about the scheme at the council's website."
        ));
        assert!(!is_boilerplate(
            "Advertisement revenue fell 4% in the quarter."
        ));
        assert!(!is_boilerplate("Share prices rose."));
        assert!(!is_boilerplate(""));
    }
}
