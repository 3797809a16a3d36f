//! Metadata at query time: the date filter, ordering by date, and counts over the whole
//! matched set (facets and a histogram per period).
//!
//! Everything here reads columns (`day`, `outlet`, `author`, `category`, `speaker_name`),
//! never stored documents, so counting a million matches costs a pass over a few integer
//! columns, not a million document reads.

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentReader};

use super::day_filter::DayFilter;

use super::query::Target;
use crate::index::schema::names;
use crate::ingest::dates::{Day, Period as DatePeriod};

/// Publication days a search is limited to, both ends inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<Day>,
    pub until: Option<Day>,
}

impl DateRange {
    /// The days from the first of `since` to the last of `until` (`--until 2016-07` keeps
    /// all of July); an empty range is the caller's mistake, said in the CLI's words.
    pub fn of_periods(since: Option<DatePeriod>, until: Option<DatePeriod>) -> Result<DateRange> {
        let dates = DateRange {
            since: since.map(|p| p.first),
            until: until.map(|p| p.last),
        };
        if let (Some(s), Some(u)) = (dates.since, dates.until) {
            if s > u {
                anyhow::bail!("--since {s} is after --until {u}: no date is in both");
            }
        }
        Ok(dates)
    }

    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// `query`, limited to documents whose day is in the range (which leaves out those
    /// without a date). The range adds nothing to the score.
    pub fn apply(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        if self.is_open() {
            return query;
        }
        let since = self.since.map_or(i64::MIN, |d| d.0);
        let until = self.until.map_or(i64::MAX, |d| d.0);
        Box::new(DayFilter::new(query, since..=until))
    }
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    /// Oldest first.
    Oldest,
    /// Newest first.
    Newest,
}

impl Sort {
    /// The names of `--sort`, in the order of [`Sort::ALL`].
    pub const NAMES: [&'static str; 3] = ["relevance", "date", "-date"];
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Oldest, Sort::Newest];

    /// The order named as `--sort` names it.
    pub fn from_name(name: &str) -> Option<Sort> {
        let i = Sort::NAMES.iter().position(|n| *n == name)?;
        Some(Sort::ALL[i])
    }
}

/// The sort key of a document in a date order: larger comes first, documents without a
/// date last, ties by score.
pub type DateKey = (i64, Score);

/// A per-document date sort key over the `day` column of a segment.
pub fn date_key(
    newest_first: bool,
) -> impl Fn(&SegmentReader) -> Box<dyn Fn(DocId, Score) -> DateKey> + Send + Sync + 'static {
    move |seg: &SegmentReader| {
        let col: Option<Column<i64>> = seg.fast_fields().column_opt(names::DAY).ok().flatten();
        Box::new(move |doc, score| {
            let key = match col.as_ref().and_then(|c| c.first(doc)) {
                Some(d) if newest_first => d,
                Some(d) => -d,
                None => i64::MIN,
            };
            (key, score)
        })
    }
}

/// What `--facet` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    Source,
    Category,
    Author,
    Speaker,
    Year,
    Month,
}

impl Facet {
    pub const ALL: [Facet; 6] = [
        Facet::Source,
        Facet::Category,
        Facet::Author,
        Facet::Speaker,
        Facet::Year,
        Facet::Month,
    ];

    /// The facet named as `--facet` names it.
    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Facet::Source => "source",
            Facet::Category => "category",
            Facet::Author => "author",
            Facet::Speaker => "speaker",
            Facet::Year => "year",
            Facet::Month => "month",
        }
    }

    /// The string column counted in documents of `target`, for the facets that count names.
    fn column(self, target: Target) -> Option<&'static str> {
        let quotes = target == Target::Quotes;
        match self {
            Facet::Source if quotes => Some(names::Q_OUTLET),
            Facet::Source => Some(names::OUTLET),
            Facet::Category if quotes => Some(names::Q_CATEGORY),
            Facet::Category => Some(names::CATEGORY),
            Facet::Author if quotes => Some(names::Q_AUTHOR),
            Facet::Author => Some(names::AUTHOR),
            Facet::Speaker if quotes => Some(names::Q_SPEAKER_NAME),
            Facet::Speaker => Some(names::SPEAKER_NAME),
            Facet::Year | Facet::Month => None,
        }
    }
}

/// The period of each bar of a histogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Week,
    Month,
    Year,
}

impl Period {
    fn start(self, d: Day) -> Day {
        match self {
            Period::Week => d.week_start(),
            Period::Month => d.month_start(),
            Period::Year => d.year_start(),
        }
    }

    /// The start of the period after the one starting at `start`.
    fn next(self, start: Day) -> Day {
        match self {
            Period::Week => Day(start.0 + 7),
            // 32 days on from a first of the month is always in the next month.
            Period::Month => Day(start.0 + 32).month_start(),
            Period::Year => Day(start.0 + 366).year_start(),
        }
    }

    /// How a period is named: `2016-06-20` (the Monday of a week), `2016-06`, `2016`.
    pub fn label(self, start: Day) -> String {
        match self {
            Period::Week => start.to_string(),
            Period::Month => start.month_label(),
            Period::Year => start.year().to_string(),
        }
    }

    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::Year];

    /// The period named as `--histogram` names it.
    pub fn from_name(name: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

/// One value of a facet and the number of matching documents that have it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueCount {
    pub value: String,
    pub count: u64,
}

/// The counts of one facet over every matching document, most frequent first (by period
/// for `year` and `month`).
#[derive(Clone, Debug, Serialize)]
pub struct FacetCounts {
    pub facet: Facet,
    pub values: Vec<ValueCount>,
    /// Matching documents without a value.
    pub missing: u64,
}

/// Matching documents per period, oldest first, empty periods included.
#[derive(Clone, Debug, Serialize)]
pub struct Histogram {
    pub period: Period,
    pub bins: Vec<ValueCount>,
    /// Matching documents without a date.
    pub missing: u64,
}

/// Facets and histogram asked of one search.
#[derive(Clone, Debug)]
pub struct CountRequest {
    /// The kind of document counted: articles, or quotes.
    pub target: Target,
    pub facets: Vec<Facet>,
    pub histogram: Option<Period>,
}

impl Default for CountRequest {
    fn default() -> Self {
        CountRequest {
            target: Target::Articles,
            facets: Vec::new(),
            histogram: None,
        }
    }
}

impl CountRequest {
    pub fn is_empty(&self) -> bool {
        self.facets.is_empty() && self.histogram.is_none()
    }
}

#[derive(Clone, Debug, Default)]
pub struct CountResults {
    pub facets: Vec<FacetCounts>,
    pub histogram: Option<Histogram>,
}

/// Most empty periods a histogram fills in between its first and last: dates centuries
/// apart (a typo in a metadata file) would otherwise give a million empty bars.
const MAX_HISTOGRAM_BINS: usize = 5_000;

/// Counts over every matching document, one pass over the columns of each segment.
pub struct CountCollector {
    pub request: CountRequest,
}

/// One segment's counts: per string facet, matches per term ordinal of its column; per
/// day, matches per day.
pub struct SegmentCounts {
    strings: Vec<(Option<StrColumn>, Vec<u64>, u64)>,
    day: Option<Column<i64>>,
    days: DayCounts,
    no_day: u64,
    wants_days: bool,
}

/// Widest span of days counted in an array (about 550 years, 1.6 MB); a segment whose dates
/// span more (a typo in a metadata file) is counted in a hash map instead. The array is what
/// keeps a histogram over a million matches cheap: a hash map update per match cost twice
/// the time of the search it counted.
const DENSE_DAY_SPAN: i64 = 200_000;

/// Matches per day of one segment.
enum DayCounts {
    /// `counts[d - first]` for the days of the segment's column, `first` its smallest.
    Dense {
        first: i64,
        counts: Vec<u64>,
    },
    Sparse(HashMap<i64, u64>),
}

impl DayCounts {
    fn for_column(col: Option<&Column<i64>>) -> DayCounts {
        match col {
            Some(c) if c.max_value() - c.min_value() < DENSE_DAY_SPAN => DayCounts::Dense {
                first: c.min_value(),
                counts: vec![0; (c.max_value() - c.min_value() + 1) as usize],
            },
            _ => DayCounts::Sparse(HashMap::new()),
        }
    }

    fn add(&mut self, day: i64) {
        match self {
            DayCounts::Dense { first, counts } => counts[(day - *first) as usize] += 1,
            DayCounts::Sparse(map) => *map.entry(day).or_insert(0) += 1,
        }
    }

    fn into_map(self) -> HashMap<i64, u64> {
        match self {
            DayCounts::Dense { first, counts } => counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(i, n)| (first + i as i64, n))
                .collect(),
            DayCounts::Sparse(map) => map,
        }
    }
}

/// Per segment: for each string facet, (value, count) pairs and the documents without a
/// value; matches per day; matches without a day.
pub type SegmentFruit = (Vec<(Vec<ValueCount>, u64)>, HashMap<i64, u64>, u64);

impl Collector for CountCollector {
    type Fruit = CountResults;
    type Child = SegmentCounts;

    fn for_segment(&self, _: u32, seg: &SegmentReader) -> tantivy::Result<SegmentCounts> {
        let ff = seg.fast_fields();
        let mut strings = Vec::new();
        for facet in &self.request.facets {
            if let Some(name) = facet.column(self.request.target) {
                let col = ff.str(name)?;
                let n = col.as_ref().map_or(0, |c| c.num_terms());
                strings.push((col, vec![0u64; n], 0u64));
            }
        }
        let wants_days = self.request.histogram.is_some()
            || self
                .request
                .facets
                .iter()
                .any(|f| matches!(f, Facet::Year | Facet::Month));
        let day: Option<Column<i64>> = if wants_days {
            ff.column_opt(names::DAY)?
        } else {
            None
        };
        Ok(SegmentCounts {
            strings,
            days: DayCounts::for_column(day.as_ref()),
            day,
            no_day: 0,
            wants_days,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<CountResults> {
        Ok(merge(&self.request, fruits))
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (col, counts, missing) in &mut self.strings {
            let mut any = false;
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    counts[ord as usize] += 1;
                    any = true;
                }
            }
            *missing += u64::from(!any);
        }
        if self.wants_days {
            match self.day.as_ref().and_then(|c| c.first(doc)) {
                Some(d) => self.days.add(d),
                None => self.no_day += 1,
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let strings = self
            .strings
            .into_iter()
            .map(|(col, counts, missing)| (named_counts(col.as_ref(), &counts), missing))
            .collect();
        (strings, self.days.into_map(), self.no_day)
    }
}

/// The values of a segment's column that were counted, by name.
fn named_counts(col: Option<&StrColumn>, counts: &[u64]) -> Vec<ValueCount> {
    let Some(col) = col else {
        return Vec::new();
    };
    let ords: Vec<u64> = (0..counts.len() as u64)
        .filter(|&o| counts[o as usize] > 0)
        .collect();
    let mut out = Vec::with_capacity(ords.len());
    let mut it = ords.iter();
    let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let Some(&o) = it.next() {
            out.push(ValueCount {
                value: String::from_utf8_lossy(bytes).into_owned(),
                count: counts[o as usize],
            });
        }
    });
    out
}

fn merge(request: &CountRequest, fruits: Vec<SegmentFruit>) -> CountResults {
    let n_strings = request
        .facets
        .iter()
        .filter(|f| f.column(request.target).is_some())
        .count();
    let mut strings: Vec<(HashMap<String, u64>, u64)> = vec![(HashMap::new(), 0); n_strings];
    let mut days: HashMap<i64, u64> = HashMap::new();
    let mut no_day = 0;
    for (seg_strings, seg_days, seg_no_day) in fruits {
        for (i, (values, missing)) in seg_strings.into_iter().enumerate() {
            for v in values {
                *strings[i].0.entry(v.value).or_insert(0) += v.count;
            }
            strings[i].1 += missing;
        }
        for (d, n) in seg_days {
            *days.entry(d).or_insert(0) += n;
        }
        no_day += seg_no_day;
    }
    let mut strings = strings.into_iter();
    let facets = request
        .facets
        .iter()
        .map(|&facet| match facet {
            Facet::Year | Facet::Month => {
                let period = if facet == Facet::Year {
                    Period::Year
                } else {
                    Period::Month
                };
                FacetCounts {
                    facet,
                    values: per_period(&days, period, false),
                    missing: no_day,
                }
            }
            _ => {
                let (counts, missing) = strings.next().unwrap_or_default();
                let mut values: Vec<ValueCount> = counts
                    .into_iter()
                    .map(|(value, count)| ValueCount { value, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                FacetCounts {
                    facet,
                    values,
                    missing,
                }
            }
        })
        .collect();
    let histogram = request.histogram.map(|period| Histogram {
        period,
        bins: per_period(&days, period, true),
        missing: no_day,
    });
    CountResults { facets, histogram }
}

/// Counts per period, oldest first; with `fill`, the empty periods between the first and
/// the last are listed with 0 (up to [`MAX_HISTOGRAM_BINS`]).
fn per_period(days: &HashMap<i64, u64>, period: Period, fill: bool) -> Vec<ValueCount> {
    let mut by_start: HashMap<i64, u64> = HashMap::new();
    for (&d, &n) in days {
        *by_start.entry(period.start(Day(d)).0).or_insert(0) += n;
    }
    let mut starts: Vec<i64> = by_start.keys().copied().collect();
    starts.sort_unstable();
    let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    if fill {
        let mut s = Day(first);
        while s.0 <= last && all.len() < MAX_HISTOGRAM_BINS {
            all.push(s.0);
            s = period.next(s);
        }
    }
    if all.last() != Some(&last) {
        all = starts;
    }
    all.into_iter()
        .map(|s| ValueCount {
            value: period.label(Day(s)),
            count: by_start.get(&s).copied().unwrap_or(0),
        })
        .collect()
}

/// Runs the counts of `request` over the documents matching `query`.
pub fn count(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    request: &CountRequest,
) -> Result<CountResults> {
    if request.is_empty() {
        return Ok(CountResults::default());
    }
    Ok(searcher.search(
        query,
        &CountCollector {
            request: request.clone(),
        },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        crate::ingest::dates::parse_date(s).unwrap().0
    }

    #[test]
    fn histograms_fill_empty_periods() {
        let days = HashMap::from([(day("2016-01-15"), 2), (day("2016-03-01"), 1)]);
        let bins = per_period(&days, Period::Month, true);
        let got: Vec<(&str, u64)> = bins.iter().map(|b| (b.value.as_str(), b.count)).collect();
        assert_eq!(got, [("2016-01", 2), ("2016-02", 0), ("2016-03", 1)]);
        let weeks = per_period(&days, Period::Week, true);
        assert_eq!(weeks.first().unwrap().value, "2016-01-11");
        assert_eq!(weeks.iter().map(|b| b.count).sum::<u64>(), 3);
        let years = per_period(&days, Period::Year, false);
        assert_eq!(years.len(), 1);
        assert_eq!((years[0].value.as_str(), years[0].count), ("2016", 3));
    }

    #[test]
    fn dates_centuries_apart_are_not_filled_in() {
        let days = HashMap::from([(day("1016-01-15"), 1), (day("2016-03-01"), 1)]);
        let bins = per_period(&days, Period::Week, true);
        assert_eq!(bins.len(), 2);
    }
}
