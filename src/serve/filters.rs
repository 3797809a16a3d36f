//! The metadata parameters of the CLI's `--since`, `--until`, `--sort`, `--facet` and
//! `--histogram`, read from a query string and checked with the CLI's messages.

use super::error::ApiError;
use super::params::Params;
use crate::search::{
    parse_period, CountRequest, DatePeriod, DateRange, Engine, Facet, Period, Sort, Target,
};

/// The names [`Filters::read`] reads, for an endpoint's list of known parameters.
pub const DATE_PARAMS: [&str; 2] = ["since", "until"];
pub const COUNT_PARAMS: [&str; 3] = ["sort", "facet", "histogram"];

pub struct Filters {
    pub dates: DateRange,
    pub sort: Sort,
    pub counts: CountRequest,
}

fn invalid(name: &str, value: &str, possible: &[&str]) -> ApiError {
    ApiError::bad_request(format!(
        "invalid value {value:?} for {name}; possible values: {}",
        possible.join(", ")
    ))
}

fn period(p: &Params, name: &str) -> Result<Option<DatePeriod>, ApiError> {
    let Some(v) = p.text(name)? else {
        return Ok(None);
    };
    parse_period(v)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("invalid value {v:?} for {name}: {e}")))
}

/// The date range of `since` and `until`, as `--since` and `--until` give it.
pub fn dates(p: &Params) -> Result<DateRange, ApiError> {
    DateRange::of_periods(period(p, "since")?, period(p, "until")?)
        .map_err(|e| ApiError::bad_request(format!("{e:#}")))
}

impl Filters {
    /// Dates, order and counts of documents of kind `target`.
    pub fn read(p: &Params, target: Target) -> Result<Filters, ApiError> {
        let sort = match p.text("sort")? {
            None => Sort::Relevance,
            Some(v) => Sort::from_name(v).ok_or_else(|| invalid("sort", v, &Sort::NAMES))?,
        };
        let mut counts = CountRequest {
            target,
            ..CountRequest::default()
        };
        if let Some(v) = p.text("histogram")? {
            let names = Period::ALL.map(Period::name);
            counts.histogram =
                Some(Period::from_name(v).ok_or_else(|| invalid("histogram", v, &names))?);
        }
        for v in p.list("facet") {
            let names = Facet::ALL.map(Facet::name);
            let facet = Facet::from_name(v).ok_or_else(|| invalid("facet", v, &names))?;
            // Asked twice, counted once, as the CLI does.
            if !counts.facets.contains(&facet) {
                counts.facets.push(facet);
            }
        }
        Ok(Filters {
            dates: dates(p)?,
            sort,
            counts,
        })
    }
}

/// Runs `work` on `engine` limited to `dates`; the shared engine itself when no date limits.
pub fn dated<T>(engine: &Engine, dates: DateRange, work: impl FnOnce(&Engine) -> T) -> T {
    if dates.is_open() {
        return work(engine);
    }
    work(&engine.with_dates(dates))
}
