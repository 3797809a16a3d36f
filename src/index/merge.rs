//! How index segments are merged during a run.
//!
//! A merge reads its input segments through memory maps, and every page it touches counts in
//! the resident size of the process until the merge ends. tantivy's log merge policy merges
//! a whole level at once, on up to four threads, so the last merges of a million-article run
//! map well over a gigabyte. This policy merges at most [`MERGE_FACTOR`] segments of similar
//! size whose documents add up to no more than a ceiling, one merge at a time (the writer is
//! built with one merge thread), so what a merge maps stays bounded whatever the corpus size,
//! while segments still grow to the ceiling, which keeps their number (and the cost of a
//! query, which visits every segment) down.
//!
//! Re-indexing deletes documents in place: a changed article is deleted from its old
//! segment and added to a new one. Sizes here count live documents, so a segment that
//! loses documents becomes small enough to merge again; and a segment whose deleted share
//! passes [`MAX_DELETED_PERCENT`] is rewritten on its own, so deletes do not pile up in
//! segments that no group would merge (they still cost disk, and they count in the
//! document frequencies BM25 reads).

use tantivy::index::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Segments merged together. Eight keeps the number of segments logarithmic in the number
/// of flushes, as tantivy's default does.
pub const MERGE_FACTOR: usize = 8;

/// A segment with more than this share of deleted documents (in percent of all its
/// documents) is rewritten without them. tantivy's log merge policy offers the same knob.
pub const MAX_DELETED_PERCENT: u64 = 20;

fn mostly_deleted(s: &SegmentMeta) -> bool {
    u64::from(s.num_deleted_docs()) * 100 > u64::from(s.max_doc()) * MAX_DELETED_PERCENT
}

#[derive(Debug, Clone)]
pub struct BoundedMergePolicy {
    /// Largest segment (documents) a merge may produce.
    pub max_docs: usize,
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        // Segments heavy with deletes are rewritten alone, whatever their size.
        let mut out: Vec<MergeCandidate> = segments
            .iter()
            .filter(|s| mostly_deleted(s))
            .map(|s| candidate(&[s]))
            .collect();
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|s| !mostly_deleted(s) && (s.num_docs() as usize) * 2 <= self.max_docs)
            .collect();
        small.sort_by_key(|s| s.num_docs());
        // Smallest first, neighbours in size merge together. A group is merged once it is
        // full: MERGE_FACTOR segments, or as many as fit under the ceiling (at least two),
        // so segments keep growing up to the ceiling instead of stopping at one level.
        let mut group: Vec<&SegmentMeta> = Vec::new();
        let mut docs = 0usize;
        for s in small {
            let n = s.num_docs() as usize;
            if docs + n > self.max_docs {
                if group.len() >= 2 {
                    out.push(candidate(&group));
                }
                group.clear();
                docs = 0;
            }
            group.push(s);
            docs += n;
            if group.len() == MERGE_FACTOR {
                out.push(candidate(&group));
                group.clear();
                docs = 0;
            }
        }
        out
    }
}

fn candidate(group: &[&SegmentMeta]) -> MergeCandidate {
    MergeCandidate(group.iter().map(|s| s.id()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;

    fn metas(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(crate::index::schema::build_schema());
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged(policy: &BoundedMergePolicy, sizes: &[u32]) -> Vec<usize> {
        let segs = metas(sizes);
        policy
            .compute_merge_candidates(&segs)
            .iter()
            .map(|c| {
                c.0.iter()
                    .map(|id| segs.iter().find(|s| s.id() == *id).unwrap().num_docs() as usize)
                    .sum()
            })
            .collect()
    }

    #[test]
    fn merges_groups_of_eight_under_the_ceiling() {
        let p = BoundedMergePolicy { max_docs: 100_000 };
        // seven small segments: not yet
        assert!(merged(&p, &[1000; 7]).is_empty());
        // sixteen: two merges of eight
        assert_eq!(merged(&p, &[1000; 16]), vec![8000, 8000]);
    }

    #[test]
    fn segments_heavy_with_deletes_are_rewritten() {
        let p = BoundedMergePolicy { max_docs: 100_000 };
        let index = tantivy::Index::create_in_ram(crate::index::schema::build_schema());
        let seg = |n: u32, deleted: u32| {
            let m = index.new_segment_meta(SegmentId::generate_random(), n);
            if deleted > 0 {
                m.with_delete_meta(deleted, 1)
            } else {
                m
            }
        };
        // Large segments never merge in groups; with a third of them deleted, each is
        // rewritten alone. Below the threshold, they are left alone.
        let segs = vec![seg(90_000, 30_000), seg(90_000, 10_000), seg(90_000, 0)];
        let c = p.compute_merge_candidates(&segs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].0, vec![segs[0].id()]);
    }

    #[test]
    fn no_merge_exceeds_the_ceiling() {
        let p = BoundedMergePolicy { max_docs: 100_000 };
        // eight segments of 20,000 would make 160,000: the five that fit are merged
        assert_eq!(merged(&p, &[20_000; 8]), vec![100_000]);
        // segments over half the ceiling never merge again
        assert!(merged(&p, &[60_000; 9]).is_empty());
        // the small ones still do, the large ones are left alone
        let mut sizes = vec![5_000; 8];
        sizes.extend([90_000, 90_000]);
        assert_eq!(merged(&p, &sizes), vec![40_000]);
        // a group that neither has eight segments nor meets the ceiling waits for more
        assert!(merged(&p, &[30_000, 45_000]).is_empty());
        // two that fill the ceiling together with a third that does not fit: merged
        assert_eq!(merged(&p, &[40_000, 45_000, 48_000]), vec![85_000]);
    }
}
