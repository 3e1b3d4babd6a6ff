//! The printed figures of one engine: a line for people, a tab-separated line for the script.

use crate::incremental::Sample;
use crate::{Engine, TARGET_INCREMENTAL_MS, TARGET_RSS_MB};
use std::time::Duration;

/// The figures of one engine.
pub struct Line {
    pub engine: Engine,
    pub messages: u64,
    pub seconds: f64,
    pub rss_mb: Option<f64>,
    pub db_mb: Option<f64>,
    pub incremental: Vec<Sample>,
}

impl Line {
    fn rate(&self) -> f64 {
        self.messages as f64 / self.seconds.max(1e-9)
    }

    /// The incremental figures; `None` without samples.
    fn incremental_ms(&self) -> Option<Incremental> {
        if self.incremental.is_empty() {
            return None;
        }
        let stats = |pick: fn(&Sample) -> Duration| {
            let mut sorted: Vec<Duration> = self.incremental.iter().map(pick).collect();
            sorted.sort_unstable();
            Stats {
                median: percentile(&sorted, 0.5),
                p95: percentile(&sorted, 0.95),
            }
        };
        Some(Incremental {
            total: stats(|s| s.total),
            after_notice: stats(|s| s.after_notice),
            list: stats(|s| s.list),
        })
    }

    pub fn print(&self) {
        let rss = self
            .rss_mb
            .map_or_else(|| "unknown".to_owned(), |mb| format!("{mb:.0} MB"));
        let db = self
            .db_mb
            .map_or_else(String::new, |mb| format!("  (database {mb:.0} MB)"));
        println!(
            "mail first sync  {:<8} {:>6} msgs  {:>6.1} s  {:>6.0} msg/s  peak RSS {rss}{db}",
            self.engine.label(),
            self.messages,
            self.seconds,
            self.rate()
        );
        let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
        if let Some(mb) = self.rss_mb {
            println!(
                "  target peak RSS < {TARGET_RSS_MB:.0} MB: {}",
                verdict(mb < TARGET_RSS_MB)
            );
        }
        if let Some(Incremental {
            total,
            after_notice,
            list,
        }) = self.incremental_ms()
        {
            println!(
                "mail incremental {:<8} {:>6} × 1 msg  median {:.0} ms  p95 {:.0} ms  (after the \
                 IDLE notice: median {:.0} ms, p95 {:.0} ms; of which list_messages {:.0} / {:.0} ms)",
                self.engine.label(),
                self.incremental.len(),
                total.median,
                total.p95,
                after_notice.median,
                after_notice.p95,
                list.median,
                list.p95,
            );
            println!(
                "  target delivery → visible < {TARGET_INCREMENTAL_MS:.0} ms (p95): {}",
                verdict(total.p95 < TARGET_INCREMENTAL_MS)
            );
        }
    }

    /// engine, messages, seconds, msg/s, peak RSS MB, then median and p95 ms of delivery →
    /// listed and of IDLE notice → listed ("-" when unknown).
    pub fn tsv(&self) -> String {
        let or_dash = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
        let inc = self.incremental_ms();
        format!(
            "{}\t{}\t{:.3}\t{:.1}\t{}\t{}\t{}\t{}\t{}",
            self.engine.label(),
            self.messages,
            self.seconds,
            self.rate(),
            or_dash(self.rss_mb),
            or_dash(inc.as_ref().map(|i| i.total.median)),
            or_dash(inc.as_ref().map(|i| i.total.p95)),
            or_dash(inc.as_ref().map(|i| i.after_notice.median)),
            or_dash(inc.as_ref().map(|i| i.after_notice.p95)),
        )
    }
}

/// Median and p95, in milliseconds.
struct Stats {
    median: f64,
    p95: f64,
}

struct Incremental {
    /// Delivery (APPEND) → listed.
    total: Stats,
    /// IDLE reported the message → listed.
    after_notice: Stats,
    /// The `list_messages` call at the end.
    list: Stats,
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}
