//! Publication dates: read from the forms news sources write them in, kept as a day number
//! (days since 1970-01-01, UTC), which sorts, filters and buckets as one integer column.
//!
//! Day precision is what filters (`--since 2016-07`) and counts per month need; the time
//! of day and the zone of a timestamp are dropped after taking its calendar date as
//! written, so `2016-06-21T23:30:00-05:00` is 21 June, the day the outlet dated it.

use std::fmt;

use time::format_description::well_known::{Iso8601, Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// A calendar day, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

/// Julian day number of 1970-01-01: `time` counts days from the Julian epoch.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

impl Day {
    pub fn from_date(d: Date) -> Day {
        Day(i64::from(d.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
    }

    pub fn date(self) -> Option<Date> {
        let jd = i32::try_from(self.0 + UNIX_EPOCH_JULIAN_DAY).ok()?;
        Date::from_julian_day(jd).ok()
    }

    pub fn ymd(y: i32, m: u8, d: u8) -> Option<Day> {
        let month = Month::try_from(m).ok()?;
        Date::from_calendar_date(y, month, d)
            .ok()
            .map(Day::from_date)
    }

    pub fn year(self) -> i32 {
        self.date().map_or(1970, |d| d.year())
    }

    /// `2016-06` for the month of the day.
    pub fn month_label(self) -> String {
        match self.date() {
            Some(d) => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
            None => String::new(),
        }
    }

    /// The Monday of the day's week (ISO weeks start on Monday).
    pub fn week_start(self) -> Day {
        // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
        Day(self.0 - (self.0 + 3).rem_euclid(7))
    }

    /// The first day of the day's month.
    pub fn month_start(self) -> Day {
        self.date()
            .and_then(|d| Date::from_calendar_date(d.year(), d.month(), 1).ok())
            .map_or(self, Day::from_date)
    }

    /// The first day of the day's year.
    pub fn year_start(self) -> Day {
        Day::ymd(self.year(), 1, 1).unwrap_or(self)
    }
}

/// `2016-06-21`.
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.date() {
            Some(d) => write!(
                f,
                "{:04}-{:02}-{:02}",
                d.year(),
                u8::from(d.month()),
                d.day()
            ),
            None => write!(f, "day {}", self.0),
        }
    }
}

/// Reads a publication date: ISO 8601 (`2016-06-21`, `2016-06-21T10:00:00Z`, with or
/// without a zone), RFC 2822 (`Tue, 21 Jun 2016 10:00:00 GMT`), `June 21, 2016`,
/// `21 June 2016` (month names in full or abbreviated, any case). Anything else is `None`:
/// a date is never guessed.
pub fn parse_date(s: &str) -> Option<Day> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = iso_date(s) {
        return Some(d);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc2822) {
        return Some(Day::from_date(t.date()));
    }
    // RFC 2822 as feeds write it, with a zone name `time` does not know (`GMT` is known,
    // `EST` and `UTC` are not): the date part is enough.
    if let Some(d) = rfc2822_date_part(s) {
        return Some(d);
    }
    written_date(s)
}

/// ISO 8601 and RFC 3339 forms; the calendar date as written.
fn iso_date(s: &str) -> Option<Day> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(Day::from_date(t.date()));
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(Day::from_date(t.date()));
    }
    if let Ok(t) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(Day::from_date(t.date()));
    }
    // `2016-06-21 10:00:00` (a space for the `T`), as databases print timestamps.
    let head = s.get(..10)?;
    let rest = &s[10..];
    if rest.is_empty() || rest.starts_with([' ', 'T']) {
        if let Ok(d) = Date::parse(head, format_description!("[year]-[month]-[day]")) {
            return Some(Day::from_date(d));
        }
    }
    None
}

/// `Tue, 21 Jun 2016 10:00:00 EST`: the weekday is dropped and the date read from
/// `21 Jun 2016`, with the time after it.
fn rfc2822_date_part(s: &str) -> Option<Day> {
    let s = match s.split_once(',') {
        Some((weekday, rest)) if weekday.trim().chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => s,
    };
    let words: Vec<&str> = s.split_whitespace().collect();
    // day, month, year, then a time: without the time it is a written date, read below.
    if words.len() < 4 || !words[3].contains(':') {
        return None;
    }
    written_date(&words[..3].join(" "))
}

/// `June 21, 2016`, `Jun 21 2016`, `21 June 2016`, `21 Jun. 2016`.
fn written_date(s: &str) -> Option<Day> {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let (month, day) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, b),
        (None, Some(m)) => (m, a),
        _ => return None,
    };
    let day: u8 = day
        .trim_end_matches(|ch: char| ch.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let year: i32 = c.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    Day::ymd(year, month, day)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's name in full or its first three letters (`sept` too), any case.
fn month_number(w: &str) -> Option<u8> {
    if w.len() < 3 {
        return None;
    }
    let w = if w == "sept" { "sep" } else { w };
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(w)))
        .map(|i| i as u8 + 1)
}

/// A date in a file name, the last resort: `..._2016-06-21_...` or `20160621`, as digits
/// not part of a longer number, and a real calendar day.
pub fn date_in_file_name(name: &str) -> Option<Day> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for start in 0..b.len() {
        if !digit(start) || (start > 0 && digit(start - 1)) {
            continue;
        }
        let dashed = b.len() >= start + 10
            && (0..10).all(|k| matches!(k, 4 | 7) || digit(start + k))
            && matches!(
                (b[start + 4], b[start + 7]),
                (b'-', b'-') | (b'_', b'_') | (b'.', b'.')
            )
            && !digit(start + 10);
        let compact = (0..8).all(|k| digit(start + k)) && !digit(start + 8);
        let (y, m, d) = if dashed {
            (
                &name[start..start + 4],
                &name[start + 5..start + 7],
                &name[start + 8..start + 10],
            )
        } else if compact {
            (
                &name[start..start + 4],
                &name[start + 4..start + 6],
                &name[start + 6..start + 8],
            )
        } else {
            continue;
        };
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
            continue;
        };
        if (MIN_FILE_NAME_YEAR..=MAX_FILE_NAME_YEAR).contains(&y) {
            if let Some(day) = Day::ymd(y, m, d) {
                return Some(day);
            }
        }
    }
    None
}

/// Years a date in a file name may have: eight digits outside them are an id, not a date.
const MIN_FILE_NAME_YEAR: i32 = 1900;
const MAX_FILE_NAME_YEAR: i32 = 2100;

/// A period given on the command line: `2016`, `2016-03` or `2016-03-05`, as its first
/// and last day (both inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first: Day,
    pub last: Day,
}

/// Parses `2016`, `2016-03` or `2016-03-05`; the error says which forms are accepted.
pub fn parse_period(s: &str) -> Result<Period, String> {
    let bad = || {
        format!("'{s}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (2016, 2016-03, 2016-03-05)")
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse().map_err(|_| bad())
    };
    let year = num(parts[0], 4)? as i32;
    let (first, last) = match parts.len() {
        1 => (Day::ymd(year, 1, 1), Day::ymd(year, 12, 31)),
        2 => {
            let m = num(parts[1], 2)? as u8;
            let first = Day::ymd(year, m, 1);
            let next = if m == 12 {
                Day::ymd(year + 1, 1, 1)
            } else {
                Day::ymd(year, m + 1, 1)
            };
            (first, next.map(|n| Day(n.0 - 1)))
        }
        3 => {
            let d = Day::ymd(year, num(parts[1], 2)? as u8, num(parts[2], 2)? as u8);
            (d, d)
        }
        _ => return Err(bad()),
    };
    match (first, last) {
        (Some(first), Some(last)) => Ok(Period { first, last }),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn the_forms_news_sources_write() {
        let want = Some("2016-06-21".to_string());
        for s in [
            "2016-06-21",
            "2016-06-21T10:00:00Z",
            "2016-06-21T10:00:00",
            "2016-06-21T23:30:00-05:00",
            "2016-06-21 10:00:00",
            "Tue, 21 Jun 2016 10:00:00 GMT",
            "Tue, 21 Jun 2016 10:00:00 +0100",
            "Tue, 21 Jun 2016 10:00:00 EST",
            "June 21, 2016",
            "Jun 21 2016",
            "21 June 2016",
            "21 jun. 2016",
        ] {
            assert_eq!(d(s), want, "{s}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_not_guessed() {
        for s in [
            "",
            "yesterday",
            "2016-13-01",
            "2016-02-30",
            "21/06/2016",
            "June 2016",
            "Junk 21, 2016",
            "12345",
        ] {
            assert_eq!(d(s), None, "{s}");
        }
    }

    #[test]
    fn file_names() {
        let f = |s: &str| date_in_file_name(s).map(|d| d.to_string());
        assert_eq!(
            f("nyt_2016-06-21_clinton-emails.txt").as_deref(),
            Some("2016-06-21")
        );
        assert_eq!(f("report-20160621.md").as_deref(), Some("2016-06-21"));
        assert_eq!(f("id-123456789.txt"), None);
        assert_eq!(f("2016-99-99.txt"), None);
        assert_eq!(f("no-date.txt"), None);
    }

    #[test]
    fn periods_cover_the_whole_of_what_they_name() {
        let p = |s: &str| parse_period(s).map(|p| (p.first.to_string(), p.last.to_string()));
        assert_eq!(p("2016"), Ok(("2016-01-01".into(), "2016-12-31".into())));
        assert_eq!(p("2016-02"), Ok(("2016-02-01".into(), "2016-02-29".into())));
        assert_eq!(p("2016-12"), Ok(("2016-12-01".into(), "2016-12-31".into())));
        assert_eq!(
            p("2016-03-05"),
            Ok(("2016-03-05".into(), "2016-03-05".into()))
        );
        for bad in [
            "16",
            "2016-3",
            "2016-13",
            "2016-02-30",
            "last week",
            "2016-01-01-01",
        ] {
            assert!(p(bad).unwrap_err().contains("YYYY-MM"), "{bad}");
        }
    }

    #[test]
    fn buckets() {
        let day = parse_date("2016-06-22").unwrap(); // a Wednesday
        assert_eq!(day.week_start().to_string(), "2016-06-20");
        assert_eq!(day.month_start().to_string(), "2016-06-01");
        assert_eq!(day.year_start().to_string(), "2016-01-01");
        assert_eq!(day.month_label(), "2016-06");
        assert_eq!(Day(0).to_string(), "1970-01-01");
    }
}
