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

/// The words of a text, lower-cased, punctuation and whitespace dropped, kept in one buffer:
/// a body has hundreds of words and one allocation each was most of the cost of its keys.
#[derive(Default)]
struct Words {
    bytes: Vec<u8>,
    /// End of each word in `bytes`.
    ends: Vec<usize>,
}

impl Words {
    fn of(text: &str) -> Words {
        let mut out = Words::default();
        if text.is_ascii() {
            // most articles: one pass over the bytes, lower-casing as they are copied
            let mut in_word = false;
            for &b in text.as_bytes() {
                if b.is_ascii_alphanumeric() {
                    out.bytes.push(b.to_ascii_lowercase());
                    in_word = true;
                } else if in_word {
                    out.ends.push(out.bytes.len());
                    in_word = false;
                }
            }
            if in_word {
                out.ends.push(out.bytes.len());
            }
            return out;
        }
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() {
                out.push(w);
            }
        }
        out
    }

    fn push(&mut self, w: &str) {
        if w.is_ascii() {
            self.bytes.extend(w.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            // `str::to_lowercase`, not per character: a final sigma lowers differently
            self.bytes.extend_from_slice(w.to_lowercase().as_bytes());
        }
        self.ends.push(self.bytes.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// FNV-1a of the words joined by one space: the text as compared for exact duplicates.
    fn joined_hash(&self) -> u64 {
        (0..self.len()).fold(FNV_OFFSET, |h, i| {
            let h = if i > 0 { fnv1a(b" ", h) } else { h };
            fnv1a(self.get(i), h)
        })
    }
}

/// The key of exact duplicates: equal for texts that differ only in case, spacing and
/// punctuation.
pub(crate) fn exact_key(text: &str) -> u64 {
    Words::of(text).joined_hash()
}

/// The hash of the shingle of words `from..to`, mixed (SplitMix64's finaliser) so that
/// every bit is used: FNV's high bits vary little for short inputs.
fn shingle_hash(ws: &Words, from: usize, to: usize) -> u64 {
    let mut h = FNV_OFFSET;
    for i in from..to {
        h = fnv1a(ws.get(i), h);
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
    simhash_of_words(&Words::of(text))
}

/// Each bit is set where more than half of the shingles' hashes have it set.
fn simhash_of_words(ws: &Words) -> u64 {
    let n = SHINGLE_WORDS.min(ws.len().max(1));
    let shingles = if ws.len() == 0 { 0 } else { ws.len() - n + 1 };
    let mut ones = BitCounts::default();
    for first in 0..shingles {
        ones.add(shingle_hash(ws, first, (first + n).min(ws.len())));
    }
    let ones = ones.total();
    (0..64)
        .filter(|&bit| 2 * ones[bit] as usize > shingles)
        .fold(0, |acc, bit| acc | 1 << bit)
}

/// How many of the hashes added had each of the 64 bits set. Eight counters are packed in
/// each `u64` of `packed` (byte `k` of `packed[j]` counts bit `8k + j`), so a hash costs
/// eight shifts, masks and adds instead of 64; the bytes are emptied into `ones` before
/// they can overflow.
struct BitCounts {
    packed: [u64; 8],
    pending: u32,
    ones: [u32; 64],
}

/// Hashes a byte counter of [`BitCounts`] takes before it is emptied.
const PACKED_COUNTER_MAX: u32 = u8::MAX as u32;

impl Default for BitCounts {
    fn default() -> BitCounts {
        BitCounts {
            packed: [0; 8],
            pending: 0,
            ones: [0; 64],
        }
    }
}

impl BitCounts {
    fn add(&mut self, h: u64) {
        for (j, p) in self.packed.iter_mut().enumerate() {
            *p += (h >> j) & 0x0101_0101_0101_0101;
        }
        self.pending += 1;
        if self.pending == PACKED_COUNTER_MAX {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (j, p) in self.packed.iter_mut().enumerate() {
            for k in 0..8 {
                self.ones[8 * k + j] += ((*p >> (8 * k)) & 0xff) as u32;
            }
            *p = 0;
        }
        self.pending = 0;
    }

    fn total(mut self) -> [u32; 64] {
        self.flush();
        self.ones
    }
}

/// Fewest words a body needs to be compared at all: a short text (a caption, a stub record)
/// has too few shingles for its SimHash to say anything, and empty bodies would all be
/// "exact duplicates" of each other.
pub(crate) const MIN_DUP_WORDS: usize = 20;

/// The two keys of an article body, as the index stores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DupKeys {
    /// [`exact_key`]: equal for exact duplicates.
    pub exact: u64,
    /// [`simhash`]: within [`NEAR_DUP_MAX_BITS`] for near duplicates.
    pub near: u64,
}

/// Both keys of `body`, from one pass over its words; `None` for a body shorter than
/// [`MIN_DUP_WORDS`], which is nobody's duplicate.
pub(crate) fn keys(body: &str) -> Option<DupKeys> {
    let ws = Words::of(body);
    if ws.len() < MIN_DUP_WORDS {
        return None;
    }
    Some(DupKeys {
        exact: ws.joined_hash(),
        near: simhash_of_words(&ws),
    })
}

/// Bits in which two SimHashes differ.
pub(crate) fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

pub(crate) fn is_near_duplicate(a: u64, b: u64) -> bool {
    distance(a, b) <= NEAR_DUP_MAX_BITS
}

/// A group of two or more articles linked by near-duplicate pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cluster {
    /// Indexes into the keys given to [`clusters`], ascending.
    pub members: Vec<usize>,
    /// Every member has the same exact key: copies of one text.
    pub exact: bool,
}

/// Below this many distinct SimHashes every pair is compared; above, only pairs that agree
/// on two of the eight bytes (see [`near_pairs`]).
const ALL_PAIRS_MAX: usize = 2048;

/// The clusters of a collection: articles linked, directly or through others, by SimHashes
/// at most [`NEAR_DUP_MAX_BITS`] apart (exact duplicates have equal SimHashes, so they are
/// linked too). Single linkage, so a chain of light edits is one cluster.
pub(crate) fn clusters(keys: &[DupKeys]) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_unstable_by_key(|&i| keys[i].near);
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    // One representative per distinct SimHash; equal ones are joined at once.
    let mut distinct: Vec<(u64, usize)> = Vec::new();
    for &i in &order {
        match distinct.last() {
            Some(&(h, rep)) if h == keys[i].near => union(&mut parent, rep, i),
            _ => distinct.push((keys[i].near, i)),
        }
    }
    for (a, b) in near_pairs(&distinct) {
        union(&mut parent, a, b);
    }
    // A set's root is its smallest member (see `union`), so listing the members of sets of
    // two or more by (root, member) gives each cluster's members in order and the clusters
    // in the order of their first member. Flat arrays rather than a map of vectors: at a
    // million articles a vector per article was a short peak of about 100 MB.
    let mut size = vec![0u32; keys.len()];
    for i in 0..keys.len() {
        let root = find(&mut parent, i);
        parent[i] = root;
        size[root] += 1;
    }
    let mut linked: Vec<(usize, usize)> = (0..keys.len())
        .filter(|&i| size[parent[i]] > 1)
        .map(|i| (parent[i], i))
        .collect();
    linked.sort_unstable();
    linked
        .chunk_by(|a, b| a.0 == b.0)
        .map(|set| {
            let members: Vec<usize> = set.iter().map(|&(_, i)| i).collect();
            Cluster {
                exact: members
                    .iter()
                    .all(|&i| keys[i].exact == keys[members[0]].exact),
                members,
            }
        })
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Pairs (by their second element) of the distinct SimHashes within
/// [`NEAR_DUP_MAX_BITS`]. Two hashes that differ in at most 6 bits differ in at most 6 of
/// their 8 bytes, so they agree on at least two: grouping by each of the 28 pairs of bytes
/// finds every such pair while comparing only hashes in the same group (Manku, Jain and Das
/// Sarma's permuted tables).
fn near_pairs(distinct: &[(u64, usize)]) -> Vec<(usize, usize)> {
    const _: () = assert!(NEAR_DUP_MAX_BITS <= 6, "two of eight bytes must agree");
    let mut out = Vec::new();
    let mut check = |x: &(u64, usize), y: &(u64, usize)| {
        if is_near_duplicate(x.0, y.0) {
            out.push((x.1, y.1));
        }
    };
    if distinct.len() <= ALL_PAIRS_MAX {
        for (i, x) in distinct.iter().enumerate() {
            for y in &distinct[i + 1..] {
                check(x, y);
            }
        }
        return out;
    }
    let byte = |h: u64, b: u32| (h >> (8 * b)) as usize & 0xff;
    let mut starts = vec![0usize; (1 << 16) + 1];
    let mut sorted = vec![0usize; distinct.len()];
    for a in 0..8 {
        for b in a + 1..8 {
            let key = |h: u64| byte(h, a) << 8 | byte(h, b);
            // Counting sort of the hashes by the two bytes.
            starts.iter_mut().for_each(|s| *s = 0);
            for &(h, _) in distinct {
                starts[key(h) + 1] += 1;
            }
            for k in 1..starts.len() {
                starts[k] += starts[k - 1];
            }
            let mut next = starts.clone();
            for (i, &(h, _)) in distinct.iter().enumerate() {
                sorted[next[key(h)]] = i;
                next[key(h)] += 1;
            }
            for w in starts.windows(2) {
                let group = &sorted[w[0]..w[1]];
                for (i, &x) in group.iter().enumerate() {
                    for &y in &group[i + 1..] {
                        check(&distinct[x], &distinct[y]);
                    }
                }
            }
        }
    }
    out
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

    /// The keys as first written, one `String` per word: [`keys`] must give the same values,
    /// since indexes store them.
    fn reference_keys(text: &str) -> (u64, u64) {
        let ws: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let exact = fnv1a(ws.join(" ").as_bytes(), FNV_OFFSET);
        let mut votes = [0i32; 64];
        let n = SHINGLE_WORDS.min(ws.len().max(1));
        for shingle in ws.windows(n) {
            let mut h = FNV_OFFSET;
            for w in shingle {
                h = fnv1a(b" ", fnv1a(w.as_bytes(), h));
            }
            h ^= h >> 30;
            h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 27;
            h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
            h ^= h >> 31;
            for (bit, v) in votes.iter_mut().enumerate() {
                *v += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        let near = votes
            .iter()
            .enumerate()
            .filter(|(_, &v)| v > 0)
            .fold(0, |acc, (bit, _)| acc | 1 << bit);
        (exact, near)
    }

    #[test]
    fn keys_are_the_values_indexes_already_store() {
        let texts = [
            "",
            "...",
            "one",
            "two words",
            STORY,
            "ΟΔΥΣΣΕΥΣ sails; İstanbul STRASSE Straße — naïve CAFÉ, “quoted” 42 times",
            "ΣΟΦΟΣ ΛΟΓΟΣ and ΣΟΦΟΣ again, ΣΟΦΟΣ",
            &STORY.repeat(4),
        ];
        for text in texts {
            let text: &str = text;
            let (exact, near) = reference_keys(text);
            assert_eq!(exact_key(text), exact, "{text}");
            assert_eq!(simhash(text), near, "{text}");
        }
    }

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
    fn keys_agree_with_the_single_functions_and_skip_short_texts() {
        let k = keys(STORY).unwrap();
        assert_eq!(k.exact, exact_key(STORY));
        assert_eq!(k.near, simhash(STORY));
        assert_eq!(keys("A caption of five words."), None);
    }

    fn random_hashes(n: usize) -> Vec<u64> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            })
            .collect()
    }

    #[test]
    fn clusters_join_exact_and_near_copies_and_leave_the_rest() {
        let mut hashes = random_hashes(5000);
        // 0 and 1: an exact pair; 2, 3 and 4: near, 4 only through 3 (a chain).
        hashes[1] = hashes[0];
        hashes[3] = hashes[2] ^ 0b11_1111;
        hashes[4] = hashes[3] ^ (0b111 << 40);
        let keys: Vec<DupKeys> = hashes
            .iter()
            .enumerate()
            .map(|(i, &near)| DupKeys {
                exact: i as u64,
                near,
            })
            .collect();
        let mut exact_pair = keys.clone();
        exact_pair[1].exact = exact_pair[0].exact;
        // Above ALL_PAIRS_MAX the byte tables are used; below it every pair: same answer.
        for ks in [&exact_pair[..], &exact_pair[..100]] {
            let found = clusters(ks);
            assert_eq!(
                found,
                vec![
                    Cluster {
                        members: vec![0, 1],
                        exact: true
                    },
                    Cluster {
                        members: vec![2, 3, 4],
                        exact: false
                    }
                ]
            );
        }
        // Equal SimHashes with different exact keys are a near cluster.
        assert!(!clusters(&keys[..2])[0].exact);
    }

    /// The clusters by comparing every pair and following the links: the definition.
    fn clusters_by_all_pairs(keys: &[DupKeys]) -> Vec<Vec<usize>> {
        let mut seen = vec![false; keys.len()];
        let mut out = Vec::new();
        for start in 0..keys.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut set = vec![start];
            let mut k = 0;
            while k < set.len() {
                let a = set[k];
                for b in 0..keys.len() {
                    if !seen[b] && is_near_duplicate(keys[a].near, keys[b].near) {
                        seen[b] = true;
                        set.push(b);
                    }
                }
                k += 1;
            }
            if set.len() > 1 {
                set.sort_unstable();
                out.push(set);
            }
        }
        out
    }

    #[test]
    fn long_chains_and_many_clusters_are_found_as_by_comparing_every_pair() {
        // 200 chains of 12 light edits each, their links in shuffled order, among 600
        // unrelated texts: deep union-find trees over the byte tables.
        let noise = random_hashes(3000);
        let mut hashes = noise[..600].to_vec();
        for (c, &seed) in noise[600..800].iter().enumerate() {
            let mut h = seed;
            for step in 0..12 {
                hashes.push(h);
                h ^= 0b11 << ((c + 5 * step) % 62);
            }
        }
        let n = hashes.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| noise[i % 3000].rotate_left(i as u32 % 64));
        let keys: Vec<DupKeys> = order
            .iter()
            .map(|&i| DupKeys {
                exact: i as u64,
                near: hashes[i],
            })
            .collect();
        let found: Vec<Vec<usize>> = clusters(&keys).into_iter().map(|c| c.members).collect();
        assert!(found.len() >= 200, "{} clusters", found.len());
        assert_eq!(found, clusters_by_all_pairs(&keys));
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
