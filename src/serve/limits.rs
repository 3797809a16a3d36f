//! What one client can ask of the server. Every request that searches runs under all of
//! these, so a slow query or a crowd of clients costs a bounded amount of memory and time.

use std::time::Duration;

/// Longest accepted `q` or `speaker`, in bytes. Real queries are a few words; a longer one
/// is almost certainly a mistake or an attempt to make the parser work hard.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Most results on one page (`n`).
pub const MAX_RESULTS: usize = 100;
/// Deepest page (`offset`): the collector keeps `offset + n` hits in memory, and nobody
/// pages through ten thousand results by hand.
pub const MAX_OFFSET: usize = 10_000;
/// Requests worked on at once. It is above the 64 concurrent clients the server is
/// measured with (`benches/serve.md`), so they never see a 503.
pub const DEFAULT_MAX_IN_FLIGHT: u32 = 128;
/// Time limit of one request, in milliseconds: searches take milliseconds, so a request
/// still running after two seconds is stuck behind an overload.
pub const DEFAULT_TIMEOUT_MS: u64 = 2_000;
/// Searches that run at once, per core. A search is CPU work: running more of them than
/// there are cores only time-slices them, which stretched the slowest answers (p99 568 ms at
/// 64 clients on BBC with every request in flight searching) without adding throughput.
/// The rest wait their turn in order (tokio's semaphore is fair).
pub const SEARCHES_PER_CORE: usize = 1;
/// Threads that run the async side (accepting, routing, writing answers). Searches run on
/// the blocking pool, so two are enough.
pub const WORKER_THREADS: usize = 2;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_in_flight: usize,
    pub timeout: Duration,
    /// Searches running at once; the other requests in flight wait for one to end.
    pub searches: usize,
}

/// [`SEARCHES_PER_CORE`] times the cores this process may use.
pub fn default_searches() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores * SEARCHES_PER_CORE
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_in_flight: DEFAULT_MAX_IN_FLIGHT as usize,
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            searches: default_searches(),
        }
    }
}
