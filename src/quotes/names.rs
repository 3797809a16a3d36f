//! Word classes for names: courtesy titles, role titles, organisation words, gendered first
//! names, and the per-article registry that maps "Mr Abbas" and "Abbas" to "Mahmoud Abbas".

use super::lexicon;
use super::wordset::WordSet;
use rustc_hash::FxHashMap;

use super::SpeakerKind;

/// Courtesy titles dropped from speaker names.
pub static DROP_TITLES: WordSet = WordSet::file(lexicon::TITLES_COURTESY);

static MALE_TITLES: WordSet = WordSet::file(lexicon::TITLES_MALE);
static FEMALE_TITLES: WordSet = WordSet::file(lexicon::TITLES_FEMALE);

/// Capitalised titles of office that precede a name ("Justice Secretary Miriam Oduya").
static ROLE_TITLES: WordSet = WordSet::file(lexicon::ROLE_TITLES);

/// Words that make a capitalised name an organisation.
static ORG_WORDS: WordSet = WordSet::file(lexicon::ORG_WORDS);

/// Words that end a company's full name and are dropped in its short form
/// ("Meridian Harbour Holdings" -> "Meridian Harbour").
static CORPORATE_SUFFIXES: WordSet = WordSet::file(lexicon::CORPORATE_SUFFIXES);

/// Nouns heading a definite description of an organisation ("the company said").
pub static ORG_HEADS: WordSet = WordSet::file(lexicon::ORG_HEADS);

/// Nouns for a source whose name the article withholds, kept as written.
pub static ANON_HEADS: WordSet = WordSet::file(lexicon::ANON_HEADS);
pub static MESSAGE_NOUNS: WordSet = WordSet::file(lexicon::MESSAGE_NOUNS);

/// Capitalised words that start sentences without being names.
static COMMON_CAPS: WordSet = WordSet::file(lexicon::COMMON_CAPS);

static DAYS_MONTHS: WordSet = WordSet::file(lexicon::DAYS_MONTHS);

static MALE_NAMES: WordSet = WordSet::file(lexicon::FIRST_NAMES_MALE);

static FEMALE_NAMES: WordSet = WordSet::file(lexicon::FIRST_NAMES_FEMALE);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// Lower case without a trailing full stop ("Mr." -> "mr").
pub fn lower(w: &str) -> String {
    lower_exact(w.trim_end_matches('.'))
}

/// Lower case; the ASCII path skips Unicode case tables (most words of English news).
pub fn lower_exact(w: &str) -> String {
    if w.is_ascii() {
        w.to_ascii_lowercase()
    } else {
        w.to_lowercase()
    }
}

/// Lower case with the accents of Latin letters dropped, for matching names written with and
/// without them ("Guzmán", "Guzman").
pub fn fold(w: &str) -> String {
    let w = w.trim_end_matches('.');
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì'..='ï' | 'ī' | 'ı' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ł' => 'l',
            'ś' | 'š' | 'ş' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ř' => 'r',
            'ğ' => 'g',
            'ď' => 'd',
            'ť' => 't',
            c => c,
        })
        .collect()
}

pub fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// All capitals and at least two letters: "BBC", "KSE".
pub fn is_acronym(w: &str) -> bool {
    let w = w.trim_end_matches(['.', '\'', 's']);
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

pub fn is_drop_title(l: &str) -> bool {
    DROP_TITLES.contains(&l)
}

pub fn is_honorific(l: &str) -> bool {
    DROP_TITLES.contains(&l) || MALE_TITLES.contains(&l) || FEMALE_TITLES.contains(&l)
}

pub fn title_gender(l: &str) -> Option<Gender> {
    if MALE_TITLES.contains(&l) {
        Some(Gender::Male)
    } else if FEMALE_TITLES.contains(&l) {
        Some(Gender::Female)
    } else {
        None
    }
}

pub fn first_name_gender(l: &str) -> Option<Gender> {
    let folded;
    let l = if l.is_ascii() {
        l
    } else {
        folded = fold(l);
        folded.as_str()
    };
    if MALE_NAMES.contains(&l) {
        Some(Gender::Male)
    } else if FEMALE_NAMES.contains(&l) {
        Some(Gender::Female)
    } else if l.len() > 3 && l.ends_with('a') && l.chars().all(|c| c.is_alphabetic()) {
        // most given names ending in -a are women's (Anya, Priya, Olga)
        Some(Gender::Female)
    } else {
        None
    }
}

/// A first name on the lists (not guessed from its ending).
pub fn known_first_name(l: &str) -> bool {
    let f;
    let l = if l.is_ascii() {
        l
    } else {
        f = fold(l);
        f.as_str()
    };
    MALE_NAMES.contains(&l) || FEMALE_NAMES.contains(&l)
}

pub fn is_role_title(l: &str) -> bool {
    ROLE_TITLES.contains(&l)
}

pub fn is_org_word(l: &str) -> bool {
    ORG_WORDS.contains(&l)
}

pub fn is_common_cap(l: &str) -> bool {
    COMMON_CAPS.contains(&l)
}

/// A newspaper or news service name.
pub fn is_press_name(name: &str) -> bool {
    name.split_whitespace().any(|w| {
        matches!(
            lower(w).as_str(),
            "times"
                | "post"
                | "daily"
                | "courier"
                | "gazette"
                | "herald"
                | "journal"
                | "news"
                | "mail"
                | "mirror"
                | "telegraph"
                | "guardian"
                | "express"
                | "observer"
                | "tribune"
                | "chronicle"
                | "star"
                | "standard"
                | "independent"
                | "sun"
                | "magazine"
                | "record"
                | "echo"
                | "press"
                | "reuters"
                | "bloomberg"
        )
    })
}

pub fn is_day_month(l: &str) -> bool {
    DAYS_MONTHS.contains(&l)
}

/// Does the word end in a possessive (`Souness's`, `Sanders’`)?
pub fn is_possessive(w: &str) -> bool {
    strip_possessive(w).len() != w.len()
}

/// Strips a possessive ending: "Souness's" -> "Souness".
pub fn strip_possessive(w: &str) -> &str {
    for suf in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if let Some(x) = w.strip_suffix(suf) {
            if !x.is_empty() {
                return x;
            }
        }
    }
    w
}

/// Classifies a capitalised name.
pub fn name_kind(words: &[&str]) -> SpeakerKind {
    if words.iter().any(|w| is_org_word(&lower(w))) {
        return SpeakerKind::Org;
    }
    if words.len() == 1 && is_acronym(words[0]) {
        return SpeakerKind::Org;
    }
    if words.len() > 1 && words.iter().all(|w| is_acronym(w)) {
        return SpeakerKind::Org;
    }
    SpeakerKind::Person
}

#[derive(Clone, Debug)]
pub struct Entity {
    pub name: String,
    pub kind: SpeakerKind,
    pub gender: Option<Gender>,
    pub description: Option<String>,
    /// A person name with evidence that it is one (a courtesy title, a known first name, a
    /// description, or its surname used alone).
    pub confirmed: bool,
}

/// The people and organisations an article names.
#[derive(Default, Debug)]
pub struct Registry {
    pub entities: Vec<Entity>,
    /// last word (lower case) -> entity ids, fullest first.
    by_last: FxHashMap<String, Vec<usize>>,
    by_name: FxHashMap<String, usize>,
    /// first word (folded) of names of three words or more -> entity ids (at most 16 each)
    by_first: FxHashMap<String, Vec<usize>>,
}

impl Registry {
    /// Adds a multi-word person or organisation name (titles removed).
    pub fn add(&mut self, words: &[&str], kind: SpeakerKind) -> usize {
        // a person's name met as an owner ("as Paul Manafort's did") is the name without
        // its 's; an organisation may own one ("McDonald's")
        let mut owned: Vec<&str> = words.to_vec();
        if kind == SpeakerKind::Person {
            if let Some(last) = owned.last_mut() {
                *last = strip_possessive(last);
            }
        }
        let words = &owned[..];
        let name = words.join(" ");
        let key = fold(&name);
        if let Some(&id) = self.by_name.get(&key) {
            return id;
        }
        // a shortened form of a name met in full: "Sir Anthony", "Meridian Harbour"
        if let Some(id) = self.lookup_by_first(words) {
            return id;
        }
        let id = self.entities.len();
        let gender = if kind == SpeakerKind::Person && words.len() > 1 {
            words.first().and_then(|w| first_name_gender(&lower(w)))
        } else {
            None
        };
        self.entities.push(Entity {
            name,
            kind,
            gender,
            description: None,
            confirmed: gender.is_some(),
        });
        self.by_name.insert(key, id);
        if words.len() >= 2 {
            let list = self.by_first.entry(fold(words[0])).or_default();
            if list.len() < 16 {
                list.push(id);
            }
        }
        if let Some(last) = words.last() {
            let l = fold(strip_possessive(last));
            let list = self.by_last.entry(l).or_default();
            if list.len() < 16 {
                // fullest first; among equals, the first met
                let n = self.entities[id].name.split(' ').count();
                let ents = &self.entities;
                let at = list.partition_point(|&i| ents[i].name.split(' ').count() >= n);
                list.insert(at, id);
            }
        }
        id
    }

    /// The entity a mention refers to: the fullest registered name with the same last word
    /// (and the same first word, when the mention has one).
    pub fn lookup(&self, words: &[&str]) -> Option<usize> {
        self.lookup_by_last(words)
            .or_else(|| self.lookup_by_first(words))
    }

    fn lookup_by_last(&self, words: &[&str]) -> Option<usize> {
        let last = fold(strip_possessive(words.last()?));
        let list = self.by_last.get(&last)?;
        if words.len() == 1 {
            // a lone word matching the first name of a person is handled by the caller
            return list.first().copied();
        }
        let first = fold(words[0]);
        let first_is_title = is_honorific(&first);
        list.iter().copied().find(|&id| {
            let e = &self.entities[id];
            first_is_title
                || e.name
                    .split(' ')
                    .any(|w| fold(w) == first || fold(w).starts_with(&first))
        })
    }

    /// Names given in full once and shortened from the front later: "Sir Anthony" for
    /// "Sir Anthony Leach" (knights and dames go by their first name), "Meridian Harbour" for
    /// the organisation "Meridian Harbour Holdings". Looks only at names with the same first
    /// word.
    fn lookup_by_first(&self, words: &[&str]) -> Option<usize> {
        if self.by_first.is_empty() {
            return None;
        }
        let first = fold(words.first()?);
        let knight = words.len() == 2 && matches!(first.as_str(), "sir" | "dame");
        if !knight && !self.by_first.contains_key(&first) {
            return None;
        }
        let words: Vec<String> = words.iter().map(|w| fold(strip_possessive(w))).collect();
        let mut cands: Vec<usize> = self.by_first.get(&first).cloned().unwrap_or_default();
        if knight {
            cands.extend(self.by_first.get(&words[1]).into_iter().flatten());
        }
        cands.into_iter().find(|&id| {
            let e = &self.entities[id];
            let names: Vec<String> = e.name.split(' ').map(fold).collect();
            if names.len() <= words.len() {
                return false;
            }
            if knight {
                // "Sir Anthony" -> "Sir Anthony Leach" or "Anthony Leach" met with the title
                let core = if names[0] == first {
                    &names[1..]
                } else {
                    &names[..]
                };
                return e.kind == SpeakerKind::Person && core.len() >= 2 && core[0] == words[1];
            }
            // the rest of the full name is a company suffix
            e.kind == SpeakerKind::Org
                && names[..words.len()] == words[..]
                && names[words.len()..]
                    .iter()
                    .all(|w| CORPORATE_SUFFIXES.contains(&w.as_str()))
        })
    }

    /// Another name for an entity, such as the short form of an organisation's name; it
    /// comes first among the entities with that last word.
    pub fn alias(&mut self, alias: &str, id: usize) {
        let key = fold(alias);
        self.by_name.entry(key.clone()).or_insert(id);
        let list = self.by_last.entry(key).or_default();
        list.retain(|&x| x != id);
        list.insert(0, id);
        list.truncate(16);
    }

    /// A name the article introduces with an organisation noun ("the charity Open Justice").
    pub fn set_org(&mut self, id: usize) {
        let e = &mut self.entities[id];
        e.kind = SpeakerKind::Org;
        e.gender = None;
    }

    pub fn set_gender(&mut self, id: usize, g: Gender) {
        if self.entities[id].gender.is_none() {
            self.entities[id].gender = Some(g);
        }
    }

    pub fn confirm(&mut self, id: usize) {
        self.entities[id].confirmed = true;
    }

    pub fn set_description(&mut self, id: usize, d: &str) {
        if self.entities[id].description.is_none() && !d.is_empty() {
            self.entities[id].description = Some(d.to_string());
        }
    }
}

/// Lower-case particles inside personal names ("Ursula von der Leyen", "Luiz da Silva").
pub fn is_name_particle(lower: &str) -> bool {
    matches!(
        lower,
        "de" | "van"
            | "von"
            | "bin"
            | "al"
            | "da"
            | "del"
            | "la"
            | "le"
            | "du"
            | "der"
            | "den"
            | "ter"
            | "di"
            | "dos"
            | "das"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_resolves_surnames_and_titles() {
        let mut r = Registry::default();
        let id = r.add(&["Mahmoud", "Abbas"], SpeakerKind::Person);
        assert_eq!(r.lookup(&["Abbas"]), Some(id));
        assert_eq!(r.lookup(&["Mr", "Abbas"]), Some(id));
        assert_eq!(r.lookup(&["Ali", "Abbas"]), None);
        assert_eq!(name_kind(&["Deutsche", "Bank"]), SpeakerKind::Org);
        assert_eq!(name_kind(&["BBC"]), SpeakerKind::Org);
    }

    #[test]
    fn a_person_named_as_an_owner_is_registered_without_the_possessive() {
        let mut r = Registry::default();
        let id = r.add(&["Paul", "Manafort\u{2019}s"], SpeakerKind::Person);
        assert_eq!(r.entities[id].name, "Paul Manafort");
        assert_eq!(r.add(&["Paul", "Manafort"], SpeakerKind::Person), id);
        let org = r.add(&["McDonald's"], SpeakerKind::Org);
        assert_eq!(r.entities[org].name, "McDonald's");
    }
}
