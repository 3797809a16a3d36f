//! The JSON endpoints. Each answer is what the CLI's `--json` prints for the same request,
//! built by the same functions of [`crate::output::json`]; see `schema/openapi.json`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tokio::sync::OwnedSemaphorePermit;

use super::error::ApiError;
use super::filters::{self, dated, Filters, COUNT_PARAMS, DATE_PARAMS};
use super::limits::{MAX_OFFSET, MAX_RESULTS};
use super::params::Params;
use super::{json_response, AppState};
use crate::output::json as jsonout;
use crate::search::{Engine, SearchOptions, Target};

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;
type Answer = Result<Response, ApiError>;

/// Results per page when `n` is not given, as the CLI's `-n`.
const DEFAULT_RESULTS: usize = 10;
const DEFAULT_SPEAKERS: usize = 20;

fn params(pairs: Pairs, known: &[&str]) -> Result<Params, ApiError> {
    let Query(pairs) = pairs.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Params::new(pairs, known)
}

fn page_opts(p: &Params) -> Result<SearchOptions, ApiError> {
    Ok(SearchOptions {
        limit: p.count("n", DEFAULT_RESULTS, 1, MAX_RESULTS)?,
        offset: p.count("offset", 0, 0, MAX_OFFSET)?,
        ..SearchOptions::default()
    })
}

/// Runs `work` on the blocking pool under the server's limits: a place among the requests
/// in flight (none free: 503 at once), then a turn among the running searches, all within
/// the time limit (503 when it passes). Both are held until the work ends, even after a
/// timeout, so abandoned searches still count.
async fn run<F>(state: &AppState, work: F) -> Answer
where
    F: FnOnce(&Engine) -> Result<String, ApiError> + Send + 'static,
{
    let place = state.in_flight.clone().try_acquire_owned().map_err(|_| {
        ApiError::unavailable("the server is busy: too many requests in flight; try again")
    })?;
    match tokio::time::timeout(state.limits.timeout, start(state, place, work)).await {
        Err(_) => Err(ApiError::unavailable(format!(
            "the request took longer than the limit of {} ms",
            state.limits.timeout.as_millis()
        ))),
        Ok(answer) => answer,
    }
}

async fn start<F>(state: &AppState, place: OwnedSemaphorePermit, work: F) -> Answer
where
    F: FnOnce(&Engine) -> Result<String, ApiError> + Send + 'static,
{
    let turn = state
        .searching
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::unavailable("the server is shutting down"))?;
    let index = state.index.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _held = (place, turn);
        if crate::index::failpoint("serve-slow") {
            std::thread::sleep(super::FAILPOINT_SLOW);
        }
        let engine = index
            .engine()
            .map_err(|e| ApiError::unavailable(format!("the index cannot be opened: {e:#}")))?;
        work(&engine)
    });
    match task.await {
        Err(join) => Err(ApiError::internal(format!("the request failed: {join}"))),
        Ok(body) => Ok(json_response(StatusCode::OK, body?)),
    }
}

/// The known parameters of an endpoint: its own, then those of [`filters`].
fn known<'a>(own: &[&'a str], counts: bool) -> Vec<&'a str> {
    let mut all = own.to_vec();
    all.extend(DATE_PARAMS);
    if counts {
        all.extend(COUNT_PARAMS);
    }
    all
}

pub async fn search(State(state): State<Arc<AppState>>, pairs: Pairs) -> Answer {
    let p = params(
        pairs,
        &known(&["q", "n", "offset", "no_snippets", "all"], true),
    )?;
    let q = p.required_text("q")?.to_string();
    let f = Filters::read(&p, Target::Articles)?;
    let mut opts = page_opts(&p)?;
    opts.snippets = !p.flag("no_snippets")?;
    opts.collapse = !p.flag("all")?;
    opts.with_quotes = opts.snippets;
    opts.sort = f.sort;
    run(&state, move |engine| {
        dated(engine, f.dates, |engine| {
            let r = engine.search(&q, &opts).map_err(ApiError::from_search)?;
            let counts = engine.count(&q, &f.counts).map_err(ApiError::from_search)?;
            let flat = jsonout::flat_articles(&r);
            let total = flat.total.unwrap_or(flat.hits.len()) as u64;
            Ok(jsonout::counted_page("hit", &flat, total, &counts))
        })
    })
    .await
}

pub async fn quotes(State(state): State<Arc<AppState>>, pairs: Pairs) -> Answer {
    let p = params(
        pairs,
        &known(&["q", "speaker", "context", "n", "offset"], true),
    )?;
    let q = p.text("q")?.map(String::from);
    let speaker = p.text("speaker")?.map(String::from);
    let f = Filters::read(&p, Target::Quotes)?;
    let mut opts = page_opts(&p)?;
    opts.context = p.flag("context")?;
    opts.sort = f.sort;
    run(&state, move |engine| {
        dated(engine, f.dates, |engine| {
            let (q, speaker) = (q.as_deref(), speaker.as_deref());
            let r = engine
                .find_quotes(q, speaker, &opts)
                .map_err(ApiError::from_search)?;
            // Counted as `quotes --facet` counts: the quotes whose own text matches.
            let counted = crate::search::counted_quotes_query(q, speaker);
            let counts = engine
                .count(&counted, &f.counts)
                .map_err(ApiError::from_search)?;
            let flat = jsonout::flat_quotes(&r);
            let total = flat.total.unwrap_or(flat.hits.len()) as u64;
            Ok(jsonout::counted_page("hit", &flat, total, &counts))
        })
    })
    .await
}

pub async fn speakers(State(state): State<Arc<AppState>>, pairs: Pairs) -> Answer {
    // As `newsdex speakers`: dates, but neither order nor counts.
    let p = params(pairs, &known(&["q", "n"], false))?;
    let q = p.text("q")?.unwrap_or("").to_string();
    let n = p.count("n", DEFAULT_SPEAKERS, 1, MAX_RESULTS)?;
    let dates = filters::dates(&p)?;
    run(&state, move |engine| {
        let started = Instant::now();
        // Without a topic the counts come from the term dictionary, which knows no dates:
        // a date filter needs the quotes themselves, as in the CLI.
        let topic = if !dates.is_open() && q.trim().is_empty() {
            "*"
        } else {
            q.as_str()
        };
        let list = dated(engine, dates, |engine| engine.count_speakers(topic, n))
            .map_err(ApiError::from_search)?;
        let took_ms = started.elapsed().as_secs_f64() * 1e3;
        Ok(jsonout::speakers_page(&q, &list, took_ms))
    })
    .await
}

/// `id` is an article's `path` as hits carry it, URL-encoded; it is looked up in the index
/// and never read as a file.
pub async fn article(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Answer {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if id.len() > super::limits::MAX_QUERY_BYTES {
        return Err(ApiError::bad_request("article id too long"));
    }
    run(&state, move |engine| {
        let found = engine.article(&id).map_err(ApiError::from_search)?;
        let a =
            found.ok_or_else(|| ApiError::not_found(format!("no article {id:?} in the index")))?;
        Ok(jsonout::article(&a))
    })
    .await
}

pub async fn stats(State(state): State<Arc<AppState>>, pairs: Pairs) -> Answer {
    params(pairs, &[])?;
    run(&state, |engine| {
        let o = engine.overview().map_err(ApiError::from_search)?;
        Ok(jsonout::stats(&o))
    })
    .await
}

/// 200 when the index can be searched, 503 (with the reason) while it cannot.
pub async fn healthz(State(state): State<Arc<AppState>>) -> Answer {
    run(&state, |_| {
        Ok(serde_json::json!({"status": "ok"}).to_string())
    })
    .await
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such page or endpoint")
}
