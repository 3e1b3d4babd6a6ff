//! Relations benchmark: seeds a realistic Dutch data set (one organisation, its companies and
//! contact persons, from `postkamer-demo`) through the store's own traits, then times the two
//! hot read paths, per call:
//!
//! - `persons_by_email`: the mail engine calls it for every address of every message
//!   (90 % existing addresses, 10 % unknown ones);
//! - `list_persons`: the relations page, page 1 of 25, default sort, for a mix of queries taken
//!   from the data (see [`MIX`]), and page 50 of the unfiltered list.
//!
//! It runs on SQLite (a file in a temporary directory) and, when `POSTKAMER_TEST_PG_URL` names a
//! PostgreSQL server (an admin URL as `scripts/lib/postgres.sh` exports it), also on a fresh
//! database `pk_bench_<random>` there, dropped at the end. Percentiles are computed here (nearest
//! rank); no benchmark framework.
//!
//! ```text
//! cargo bench -p postkamer-store --bench relations [-- PERSONS [COMPANIES]]
//! ```
//!
//! Environment: `BENCH_PERSONS` (default 100000), `BENCH_COMPANIES` (default 2000),
//! `POSTKAMER_TEST_PG_URL` (adds PostgreSQL), `BENCH_KEEP=1` (keep the SQLite file and the
//! PostgreSQL database for a look with `sqlite3`/`psql`; their names are printed).
//! Arguments win over the environment. Without `--bench` (which `cargo bench` passes, and
//! `cargo test --benches` does not) it runs a quick smoke test on a tiny data set instead.
//! `scripts/bench.sh` starts a throw-away PostgreSQL and runs this.

use std::process::ExitCode;
use std::time::Instant;

use engines::{postgres, sqlite};
use measurements::Report;
use workload::Workload;

#[path = "relations/engines.rs"]
mod engines;
#[path = "relations/measurements.rs"]
mod measurements;
#[path = "relations/workload.rs"]
mod workload;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, BoxError>;

const PG_URL_VAR: &str = "POSTKAMER_TEST_PG_URL";
/// Seed of the demo data and of the query mix: every run asks the same questions.
const SEED: u64 = 2026;
/// Concurrent seeding tasks on PostgreSQL (SQLite has one writer: sequential).
const PG_SEED_TASKS: usize = 8;
/// Targets on SQLite, p99 in milliseconds.
const TARGET_LOOKUP_P99_MS: f64 = 1.0;
const TARGET_SEARCH_P99_MS: f64 = 20.0;

/// What the relations page is asked, and how often (weights, in percent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The plain first page.
    Empty,
    /// The first three letters of a first name: "ann".
    FirstNamePrefix,
    /// A whole last name: "Jansen".
    LastName,
    /// A whole e-mail address.
    Email,
    /// A word of a company name: "Bakkerij".
    CompanyWord,
    /// The first four digits of a phone number: "0612", "0201".
    PhonePrefix,
    /// First and last name: "jan bakker".
    TwoWords,
}

const MIX: [(Kind, u32); 7] = [
    (Kind::Empty, 20),
    (Kind::FirstNamePrefix, 15),
    (Kind::LastName, 15),
    (Kind::Email, 10),
    (Kind::CompanyWord, 15),
    (Kind::PhonePrefix, 10),
    (Kind::TwoWords, 15),
];

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Empty => "  empty query",
            Kind::FirstNamePrefix => "  first-name prefix",
            Kind::LastName => "  last name",
            Kind::Email => "  e-mail address",
            Kind::CompanyWord => "  company word",
            Kind::PhonePrefix => "  phone prefix",
            Kind::TwoWords => "  first + last name",
        }
    }

    /// Whether a query of this kind, taken from the data, must find somebody.
    fn must_match(self) -> bool {
        !matches!(self, Kind::CompanyWord)
    }
}

struct Config {
    persons: usize,
    companies: usize,
    lookups: usize,
    lookup_warmup: usize,
    searches: usize,
    search_warmup: usize,
    deep_pages: usize,
    keep: bool,
    smoke: bool,
}

impl Config {
    fn from_args() -> Res<Config> {
        let mut bench = false;
        let mut numbers = Vec::new();
        for arg in std::env::args().skip(1) {
            match arg.as_str() {
                "--bench" => bench = true,
                "-h" | "--help" => {
                    println!(
                        "usage: cargo bench -p postkamer-store --bench relations [-- PERSONS [COMPANIES]]\n\
                         env: BENCH_PERSONS, BENCH_COMPANIES, {PG_URL_VAR}, BENCH_KEEP=1"
                    );
                    std::process::exit(0);
                }
                _ => numbers.push(
                    arg.replace('_', "")
                        .parse::<usize>()
                        .map_err(|_| format!("unexpected argument {arg:?} (see --help)"))?,
                ),
            }
        }
        if numbers.len() > 2 {
            return Err("at most two arguments: PERSONS COMPANIES".into());
        }
        let env = |name: &str| -> Res<Option<usize>> {
            match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => Ok(Some(
                    v.trim()
                        .replace('_', "")
                        .parse()
                        .map_err(|_| format!("{name}={v:?} is not a number"))?,
                )),
                _ => Ok(None),
            }
        };
        let keep = std::env::var("BENCH_KEEP").is_ok_and(|v| !v.is_empty() && v != "0");
        if !bench {
            // `cargo test --benches` / `--all-targets`: check that it works, quickly.
            return Ok(Config {
                persons: 300,
                companies: 20,
                lookups: 200,
                lookup_warmup: 20,
                searches: 70,
                search_warmup: 7,
                deep_pages: 5,
                keep,
                smoke: true,
            });
        }
        let persons = numbers
            .first()
            .copied()
            .or(env("BENCH_PERSONS")?)
            .unwrap_or(100_000);
        let companies = numbers
            .get(1)
            .copied()
            .or(env("BENCH_COMPANIES")?)
            .unwrap_or(2_000);
        if persons == 0 {
            return Err("the benchmark needs at least one person".into());
        }
        Ok(Config {
            persons,
            companies,
            lookups: 20_000,
            lookup_warmup: 1_000,
            searches: 2_000,
            search_warmup: 200,
            deep_pages: 200,
            keep,
            smoke: false,
        })
    }
}

fn main() -> ExitCode {
    let config = match Config::from_args() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("relations bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("relations bench: tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("relations bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: &Config) -> Res<()> {
    if config.smoke {
        eprintln!("relations bench: smoke test (run it with `cargo bench` for the real thing)");
    }
    eprintln!(
        "relations bench: generating {} companies and {} persons (seed {SEED})",
        config.companies, config.persons
    );
    let started = Instant::now();
    let data = postkamer_demo::generate(SEED, config.companies, config.persons);
    eprintln!("  generated in {:.1} s", started.elapsed().as_secs_f64());
    let workload = Workload::new(&data, config);

    let mut report = Report::default();
    sqlite(config, &data, &workload, &mut report).await?;
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.is_empty() => postgres(config, &url, &data, &workload, &mut report).await?,
        _ => eprintln!("\n{PG_URL_VAR} is not set: PostgreSQL skipped"),
    }
    report.print(config);
    Ok(())
}
