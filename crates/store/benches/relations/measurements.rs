//! The timed calls, and the report of their samples: percentiles against the targets, sizes and
//! peak memory.

use crate::workload::Workload;
use crate::{Config, MIX, Res, TARGET_LOOKUP_P99_MS, TARGET_SEARCH_P99_MS};
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::{OrgId, PageRequest};
use postkamer_store::Store;
use std::time::{Duration, Instant};

pub(crate) async fn lookups(
    engine: &'static str,
    store: &Store,
    org: OrgId,
    work: &Workload,
) -> Res<Row> {
    for (address, _) in &work.lookup_warmup {
        store.persons_by_email(org, address).await?;
    }
    let mut row = Row::new(engine, "e-mail lookup", work.lookups.len());
    let mut wrong = 0;
    for (address, exists) in &work.lookups {
        let started = Instant::now();
        let ids = store.persons_by_email(org, address).await?;
        row.samples.push(started.elapsed());
        row.hits += ids.len() as u64;
        if ids.is_empty() == *exists {
            wrong += 1;
        }
    }
    if wrong > 0 {
        eprintln!("  WARNING: {wrong} e-mail lookups gave a wrong answer");
    }
    Ok(row)
}

pub(crate) async fn searches(
    engine: &'static str,
    store: &Store,
    org: OrgId,
    work: &Workload,
) -> Res<Vec<Row>> {
    let query = |search: &str, page: u32| PersonQuery {
        search: search.to_owned(),
        page: PageRequest::new(Some(page), Some(25)),
        ..Default::default()
    };
    for (_, search) in &work.search_warmup {
        store.list_persons(org, &query(search, 1)).await?;
    }
    let mut mix = Row::new(engine, "search page 1 (mix)", work.searches.len());
    let mut by_kind: Vec<Row> = MIX
        .iter()
        .map(|(k, _)| Row::new(engine, k.label(), 0))
        .collect();
    let mut empty = Vec::new();
    for (kind, search) in &work.searches {
        let started = Instant::now();
        let page = store.list_persons(org, &query(search, 1)).await?;
        let elapsed = started.elapsed();
        mix.samples.push(elapsed);
        mix.hits += page.total;
        if let Some(i) = MIX.iter().position(|(k, _)| k == kind) {
            by_kind[i].samples.push(elapsed);
            by_kind[i].hits += page.total;
        }
        if page.total == 0 && kind.must_match() {
            empty.push(search.as_str());
        }
    }
    if !empty.is_empty() {
        eprintln!(
            "  WARNING: {} searches for existing data found nobody, e.g. {:?}",
            empty.len(),
            &empty[..empty.len().min(5)]
        );
    }

    let mut deep = Row::new(engine, "search page 50 (empty)", work.deep_pages);
    for _ in 0..work.deep_pages.div_ceil(10) {
        store.list_persons(org, &query("", 50)).await?;
    }
    for _ in 0..work.deep_pages {
        let started = Instant::now();
        let page = store.list_persons(org, &query("", 50)).await?;
        deep.samples.push(started.elapsed());
        deep.hits += page.items.len() as u64;
    }

    let mut rows = vec![mix];
    rows.extend(by_kind.into_iter().filter(|r| !r.samples.is_empty()));
    rows.push(deep);
    Ok(rows)
}

pub(crate) struct Row {
    engine: &'static str,
    operation: &'static str,
    samples: Vec<Duration>,
    /// Persons found over all calls: ids for a lookup, `total` for a search (rows for page 50).
    hits: u64,
}

impl Row {
    fn new(engine: &'static str, operation: &'static str, n: usize) -> Row {
        Row {
            engine,
            operation,
            samples: Vec::with_capacity(n),
            hits: 0,
        }
    }
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

#[derive(Default)]
pub(crate) struct Report {
    pub(crate) rows: Vec<Row>,
    pub(crate) notes: Vec<String>,
}

impl Report {
    pub(crate) fn print(&mut self, config: &Config) {
        println!();
        println!(
            "relations benchmark: {} persons, {} companies{}",
            config.persons,
            config.companies,
            if config.smoke { " (smoke test)" } else { "" }
        );
        for note in &self.notes {
            println!("  {note}");
        }
        println!();
        println!(
            "{:<9} {:<24} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "engine", "operation", "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "avg hits"
        );
        let mut targets = Vec::new();
        for row in &mut self.rows {
            row.samples.sort_unstable();
            let n = row.samples.len();
            let p99 = percentile(&row.samples, 0.99);
            println!(
                "{:<9} {:<24} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.1}",
                row.engine,
                row.operation,
                n,
                percentile(&row.samples, 0.50),
                percentile(&row.samples, 0.90),
                p99,
                percentile(&row.samples, 1.0),
                row.hits as f64 / n.max(1) as f64,
            );
            let target = match row.operation {
                "e-mail lookup" => Some(TARGET_LOOKUP_P99_MS),
                "search page 1 (mix)" => Some(TARGET_SEARCH_P99_MS),
                _ => None,
            };
            if let (Some(target), "sqlite") = (target, row.engine) {
                let verdict = if p99 < target { "ok" } else { "MISSED" };
                targets.push(format!(
                    "  sqlite {}: p99 {p99:.3} ms, target < {target} ms: {verdict}",
                    row.operation
                ));
            }
        }
        println!();
        println!("targets:");
        for line in targets {
            println!("{line}");
        }
        match peak_rss() {
            Some(kib) => println!("peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
            None => println!("peak RSS: unknown (no /proc/self/status)"),
        }
    }
}

/// The process's peak resident set size in KiB, from `VmHWM` in /proc/self/status.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

pub(crate) fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
