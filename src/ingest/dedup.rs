//! Duplicate articles: the same story in several files (wire copy, a page saved twice).
//!
//! - **Exact**: the body lower-cased, with every run of characters that are not letters or
//!   digits folded to one space, hashed (64-bit FNV-1a: stable across runs and platforms, so
//!   the key can be stored in the index).
//! - **Near**: a 64-bit SimHash over word shingles of `SHINGLE_WORDS` words; two articles
//!   are near duplicates when their SimHashes differ in at most `NEAR_DUP_MAX_BITS` bits.
//!   SimHash rather than MinHash because one `u64` per article is all it needs to store
//!   (a fast field), and the bit distance is one XOR and a popcount.

/// Words per shingle. Three words keep the order of a sentence (a reworded story differs)
/// while a changed word alters only three shingles.
pub(crate) const SHINGLE_WORDS: usize = 3;

/// Most differing bits of two near duplicates' SimHashes. Manku, Jain and Das Sarma (WWW
/// 2007) used 3 of 64 for whole web pages, but a news story of 250 words with one word
/// changed and a credit line added already differs in 5 (the test below). On the BBC corpus
/// no pair lies between 4 and 8 bits and the closest unrelated pair is 14 bits apart, so 6
/// keeps light edits while two unrelated texts fall within it with a chance of about
/// 5 in 10^12 (the README has the pairs checked by reading).
pub(crate) const NEAR_DUP_MAX_BITS: u32 = 6;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    bytes
        .iter()
        .fold(seed, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// The words of `text`, lower-cased, punctuation and whitespace dropped.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The text as compared for exact duplicates: lower case, one space between words.
pub(crate) fn normalise(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

/// The key of exact duplicates: equal for texts that differ only in case, spacing and
/// punctuation.
pub(crate) fn exact_key(text: &str) -> u64 {
    fnv1a(normalise(text).as_bytes(), FNV_OFFSET)
}

/// A shingle's 64-bit hash, mixed (SplitMix64's finaliser) so that every bit is used:
/// FNV's high bits vary little for short inputs.
fn shingle_hash(shingle: &[String]) -> u64 {
    let mut h = FNV_OFFSET;
    for w in shingle {
        h = fnv1a(w.as_bytes(), h);
        h = fnv1a(b" ", h);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The SimHash of the text's word shingles (a text shorter than a shingle is one shingle).
pub(crate) fn simhash(text: &str) -> u64 {
    let ws: Vec<String> = words(text).collect();
    let mut votes = [0i32; 64];
    let n = SHINGLE_WORDS.min(ws.len().max(1));
    for shingle in ws.windows(n) {
        let h = shingle_hash(shingle);
        for (bit, v) in votes.iter_mut().enumerate() {
            *v += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    votes
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0)
        .fold(0, |acc, (bit, _)| acc | 1 << bit)
}

/// Bits in which two SimHashes differ.
pub(crate) fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

pub(crate) fn is_near_duplicate(a: u64, b: u64) -> bool {
    distance(a, b) <= NEAR_DUP_MAX_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The town harbour, closed since the winter storms damaged its outer \
        wall, will reopen to fishing boats in the spring, the council announced on Friday \
        after months of repairs. Repairs to the wall have cost more than two million \
        pounds, paid for by a government grant and the council's reserves, and engineers \
        say the new wall will stand for fifty years. Fishermen welcomed the news but warned \
        that the months without landings had pushed several small boats out of business. \
        The harbour master said the first boats would be allowed back in small groups, so \
        that divers could check the new wall as the tides rose and fell through April. \
        Shops along the quay, many of which closed their doors in January, plan to open \
        again for the Easter weekend, when the town expects its first visitors of the year. \
        The council will hold a public meeting next month on plans for a visitor centre on \
        the old fish market site, which have divided residents since they were put forward. \
        Opponents say the money would be better spent on the road to the harbour, which \
        floods at every spring tide and cuts off the lifeboat station for hours at a time. \
        A decision on the centre is expected before the summer, after a second consultation \
        with the fishing cooperative and the lifeboat crew.";

    #[test]
    fn exact_duplicates_ignore_case_spacing_and_punctuation() {
        let copy = STORY
            .to_uppercase()
            .replace(", ", " -- ")
            .replace(' ', "\n  ");
        assert_eq!(exact_key(STORY), exact_key(&copy));
        assert_ne!(exact_key(STORY), exact_key(&STORY.replace("two", "three")));
    }

    #[test]
    fn a_lightly_edited_copy_is_near_and_another_story_is_not() {
        // Wire copy as another outlet runs it: one word changed, a credit line added.
        let edited = format!(
            "{} Reporting by Ann Lowe.",
            STORY.replace("Friday", "Thursday")
        );
        assert!(
            is_near_duplicate(simhash(STORY), simhash(&edited)),
            "{} bits",
            distance(simhash(STORY), simhash(&edited))
        );
        let other = "Ferry services to the islands resumed on Monday after a week-long \
            strike ended when the union accepted a new pay offer from the operator, and the \
            first boat left the mainland at noon with families who had been stranded.";
        assert!(distance(simhash(STORY), simhash(other)) > 10);
    }

    #[test]
    fn short_and_empty_texts_hash() {
        assert_eq!(simhash(""), simhash("..."));
        assert_ne!(simhash("one"), 0);
    }
}

/// The near-duplicate pairs of a corpus folder, for checking the threshold by reading:
/// `NEWSDEX_DEDUP_CORPUS=../shared/corpora/bbc cargo test --lib dedup -- --ignored --nocapture`.
#[cfg(test)]
mod measure {
    use super::*;

    fn bodies(root: &std::path::Path) -> Vec<(String, String)> {
        let walked = crate::ingest::walk(root, None);
        walked
            .files
            .iter()
            .filter_map(|e| {
                let p = crate::ingest::read_article(&e.abs(root), 1 << 24).ok()?;
                Some((e.key.to_string(), p.article.body))
            })
            .collect()
    }

    #[test]
    #[ignore = "reads a corpus outside the repository"]
    fn near_duplicate_pairs_of_a_corpus() {
        let Ok(root) = std::env::var("NEWSDEX_DEDUP_CORPUS") else {
            return;
        };
        let docs = bodies(std::path::Path::new(&root));
        let keys: Vec<(u64, u64)> = docs
            .iter()
            .map(|(_, b)| (exact_key(b), simhash(b)))
            .collect();
        let mut by_bits = [0usize; 17];
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let d = distance(keys[i].1, keys[j].1);
                if d as usize >= by_bits.len() {
                    continue;
                }
                by_bits[d as usize] += 1;
                let exact = keys[i].0 == keys[j].0;
                println!("PAIR\t{d}\t{exact}\t{}\t{}", docs[i].0, docs[j].0);
            }
        }
        println!(
            "articles {}; pairs by distance 0..=16: {by_bits:?}",
            docs.len()
        );
    }
}
