//! `newsdex serve`: the JSON API and the web page over HTTP (axum on tokio).
//!
//! The server is read-only over the index and sits at the edge: it uses search and output,
//! and nothing but `commands` uses it. Searches are blocking work and run on tokio's
//! blocking pool; [`limits`] bounds how many run at once and for how long.

mod api;
mod assets;
mod error;
mod filters;
pub(crate) mod limits;
mod params;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;

use limits::Limits;
use state::IndexHandle;

/// How long a request sleeps under the `serve-slow` failpoint (tests of the limits).
const FAILPOINT_SLOW: Duration = Duration::from_millis(1500);

/// The page's scripts and styles come from this server only, and no inline script runs:
/// article text that escaped escaping still could not execute.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub struct ServeOptions {
    pub index: PathBuf,
    pub addr: SocketAddr,
    pub limits: Limits,
}

pub struct AppState {
    index: Arc<IndexHandle>,
    in_flight: Arc<Semaphore>,
    searching: Arc<Semaphore>,
    limits: Limits,
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Security headers on every answer, the API's and the page's alike.
async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/search", get(api::search))
        .route("/api/quotes", get(api::quotes))
        .route("/api/speakers", get(api::speakers))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/healthz", get(api::healthz))
        .merge(assets::routes())
        .fallback(api::not_found)
        .with_state(state)
        .layer(axum::middleware::map_response(security_headers))
}

/// Serves until Ctrl-C.
pub fn run(opts: ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(limits::WORKER_THREADS)
        // Each running search holds one blocking thread; a few more for tokio.
        .max_blocking_threads(opts.limits.searches + limits::WORKER_THREADS)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(opts))
}

async fn serve(opts: ServeOptions) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    let local = listener
        .local_addr()
        .context("cannot read the bound address")?;
    if !local.ip().is_loopback() {
        eprintln!(
            "newsdex: warning: listening on {local}, beyond this machine: the server has no \
             authentication, so anyone who can reach it can read the whole index"
        );
    }
    let state = Arc::new(AppState {
        index: Arc::new(IndexHandle::new(opts.index.clone())),
        in_flight: Arc::new(Semaphore::new(opts.limits.max_in_flight)),
        searching: Arc::new(Semaphore::new(opts.limits.searches)),
        limits: opts.limits,
    });
    // Tests and scripts read the address (with the port the OS chose for `:0`) from here.
    eprintln!(
        "newsdex: serving {} at http://{local}/",
        state.index.dir().display()
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}
