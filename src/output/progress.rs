//! The indexing progress bar: on a terminal only, measured in bytes so the ETA is honest
//! when file sizes vary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub fn bar(enabled: bool, total_bytes: u64) -> ProgressBar {
    if !enabled || total_bytes == 0 {
        return ProgressBar::hidden();
    }
    let pb =
        ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr_with_hz(4));
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} indexing [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid progress template"),
    );
    pb
}

/// The indexing progress bar as the index writer's progress report.
pub struct Bar {
    enabled: bool,
    bar: std::sync::OnceLock<ProgressBar>,
}

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        Bar {
            enabled,
            bar: std::sync::OnceLock::new(),
        }
    }
}

impl crate::index::writer::Progress for Bar {
    fn start(&self, total_bytes: u64) {
        let _ = self.bar.set(bar(self.enabled, total_bytes));
    }
    fn advance(&self, bytes: u64) {
        if let Some(b) = self.bar.get() {
            b.inc(bytes);
        }
    }
    fn finish(&self) {
        if let Some(b) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}
