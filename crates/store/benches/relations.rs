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

use postkamer_demo::DemoData;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::{CompanyId, EmailAddress, OrgId, PageRequest};
use postkamer_store::{Store, with_database};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::collections::HashSet;
use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

// ------------------------------------------------------------------ engines

async fn sqlite(config: &Config, data: &DemoData, work: &Workload, report: &mut Report) -> Res<()> {
    let dir = tempfile::Builder::new()
        .prefix("postkamer-bench.")
        .tempdir()?;
    let path = dir.path().join("postkamer.db");
    eprintln!("\n==> SQLite ({})", path.display());
    let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
    store.migrate().await?;
    let result = bench_engine("sqlite", &store, 1, data, work, report).await;
    store.close().await;
    let main = file_size(&path);
    let wal = file_size(&path.with_extension("db-wal"));
    report.notes.push(format!(
        "sqlite: database file {} (+ WAL {}) for {} persons",
        mib(main),
        mib(wal),
        config.persons
    ));
    if config.keep {
        let kept = dir.keep();
        eprintln!("  kept: sqlite3 {}", kept.join("postkamer.db").display());
    }
    result
}

async fn postgres(
    config: &Config,
    admin_url: &str,
    data: &DemoData,
    work: &Workload,
    report: &mut Report,
) -> Res<()> {
    let name = format!("pk_bench_{}", uuid::Uuid::new_v4().simple());
    eprintln!("\n==> PostgreSQL (database {name})");
    let mut admin = PgConnection::connect(admin_url)
        .await
        .map_err(|e| format!("connect to {PG_URL_VAR}={admin_url}: {e}"))?;
    admin
        .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    let result = async {
        // A few more connections than seeding tasks, so none waits for the pool.
        let store = Store::connect_with(&with_database(admin_url, &name), 12).await?;
        store.migrate().await?;
        let result = bench_engine("postgres", &store, PG_SEED_TASKS, data, work, report).await;
        store.close().await;
        result
    }
    .await;
    let size: Result<i64, _> =
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT pg_database_size('{name}')")))
            .fetch_one(&mut admin)
            .await;
    if let Ok(size) = size {
        report.notes.push(format!(
            "postgres: database size {} for {} persons",
            mib(u64::try_from(size).unwrap_or(0)),
            config.persons
        ));
    }
    if config.keep {
        eprintln!("  kept: psql {}", with_database(admin_url, &name));
    } else {
        admin
            .execute(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await?;
    }
    admin.close().await.ok();
    result
}

/// Seeds `store`, then runs the measurements; adds the results to `report`.
async fn bench_engine(
    engine: &'static str,
    store: &Store,
    tasks: usize,
    data: &DemoData,
    work: &Workload,
    report: &mut Report,
) -> Res<()> {
    let seed = seed(store, tasks, data).await?;
    report.notes.push(format!(
        "{engine}: seeded {} companies in {:.1} s and {} persons in {:.1} s ({:.0} persons/s, \
         {tasks} task{}); optimize {:.2} s",
        data.companies.len(),
        seed.companies.as_secs_f64(),
        data.persons.len(),
        seed.persons.as_secs_f64(),
        data.persons.len() as f64 / seed.persons.as_secs_f64().max(1e-9),
        if tasks == 1 { "" } else { "s" },
        seed.optimize.as_secs_f64(),
    ));
    let org = seed.org;
    eprintln!(
        "  e-mail lookups ({} + {} warm-up)",
        work.lookups.len(),
        work.lookup_warmup.len()
    );
    report.rows.push(lookups(engine, store, org, work).await?);
    eprintln!(
        "  search pages ({} + {} warm-up)",
        work.searches.len(),
        work.search_warmup.len()
    );
    report
        .rows
        .extend(searches(engine, store, org, work).await?);
    Ok(())
}

struct Seeded {
    org: OrgId,
    companies: Duration,
    persons: Duration,
    optimize: Duration,
}

async fn seed(store: &Store, tasks: usize, data: &DemoData) -> Res<Seeded> {
    let org = store.create_org("Benchmark BV").await?.id;

    let started = Instant::now();
    let inputs: Vec<_> = data.companies.iter().map(|c| c.input.clone()).collect();
    let s = store.clone();
    let company_ids: Vec<CompanyId> = run_tasks("companies", inputs, tasks, move |input| {
        let s = s.clone();
        async move { Ok(s.create_company(org, &input.validate()?).await?.id) }
    })
    .await?;
    let companies = started.elapsed();

    let inputs: Vec<PersonInput> = data
        .persons
        .iter()
        .map(|p| PersonInput {
            company_id: p.company.and_then(|i| company_ids.get(i).copied()),
            ..p.input.clone()
        })
        .collect();
    let started = Instant::now();
    let s = store.clone();
    run_tasks("persons", inputs, tasks, move |input| {
        let s = s.clone();
        async move {
            s.create_person(org, &input.validate()?, Actor::SYSTEM)
                .await?;
            Ok(())
        }
    })
    .await?;
    let persons = started.elapsed();

    let started = Instant::now();
    store.optimize().await?;
    Ok(Seeded {
        org,
        companies,
        persons,
        optimize: started.elapsed(),
    })
}

/// Runs `f` on every item, in `tasks` concurrent tasks over consecutive slices; the results
/// keep the order of the items. Reports progress every tenth.
async fn run_tasks<T, R, F, Fut>(
    label: &'static str,
    items: Vec<T>,
    tasks: usize,
    f: F,
) -> Res<Vec<R>>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Res<R>> + Send + 'static,
{
    let total = items.len();
    let step = (total / 10).max(1);
    let chunk = total.div_ceil(tasks.max(1)).max(1);
    let f = Arc::new(f);
    let done = Arc::new(AtomicUsize::new(0));
    let mut items = items.into_iter();
    let mut handles = Vec::new();
    loop {
        let part: Vec<T> = items.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        let (f, done) = (Arc::clone(&f), Arc::clone(&done));
        handles.push(tokio::spawn(async move {
            let mut out = Vec::with_capacity(part.len());
            for item in part {
                out.push(f(item).await?);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % step == 0 && total >= 1_000 {
                    eprintln!("  {label}: {n}/{total}");
                }
            }
            Ok::<_, BoxError>(out)
        }));
    }
    let mut all = Vec::with_capacity(total);
    for handle in handles {
        all.extend(handle.await??);
    }
    Ok(all)
}

// ------------------------------------------------------------------ workload

/// The questions, drawn once from the data so that both engines get the same ones.
struct Workload {
    /// The address and whether it belongs to somebody.
    lookups: Vec<(EmailAddress, bool)>,
    lookup_warmup: Vec<(EmailAddress, bool)>,
    searches: Vec<(Kind, String)>,
    search_warmup: Vec<(Kind, String)>,
    deep_pages: usize,
}

impl Workload {
    fn new(data: &DemoData, config: &Config) -> Workload {
        let mut rng = Rng(SEED ^ 0x9e37_79b9_7f4a_7c15);
        let addresses: Vec<&str> = data
            .persons
            .iter()
            .flat_map(|p| p.input.emails.iter().map(|e| e.address.as_str()))
            .collect();
        let known: HashSet<String> = addresses.iter().map(|a| a.to_lowercase()).collect();
        let lookup = |rng: &mut Rng| -> (EmailAddress, bool) {
            let address = addresses[rng.below(addresses.len())];
            if rng.below(10) == 0 {
                // An unknown address next to known ones: "jan.bakker.x7@bakkerij-jansen.nl".
                let (local, domain) = address.split_once('@').unwrap_or((address, "example.nl"));
                let mut n = rng.below(1000);
                loop {
                    let candidate = format!("{local}.x{n}@{domain}");
                    if !known.contains(&candidate.to_lowercase())
                        && let Ok(parsed) = EmailAddress::parse(&candidate)
                    {
                        return (parsed, false);
                    }
                    n += 1;
                }
            }
            match EmailAddress::parse(address) {
                Ok(parsed) => (parsed, true),
                Err(_) => panic!("demo address {address:?} does not parse"),
            }
        };
        let lookup_warmup = (0..config.lookup_warmup)
            .map(|_| lookup(&mut rng))
            .collect();
        let lookups = (0..config.lookups).map(|_| lookup(&mut rng)).collect();
        let searches = (0..config.searches)
            .map(|_| search_query(data, &mut rng))
            .collect();
        let search_warmup = (0..config.search_warmup)
            .map(|_| search_query(data, &mut rng))
            .collect();
        Workload {
            lookups,
            lookup_warmup,
            searches,
            search_warmup,
            deep_pages: config.deep_pages,
        }
    }
}

/// One query of the mix, made from a random person or company.
fn search_query(data: &DemoData, rng: &mut Rng) -> (Kind, String) {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut roll = u32::try_from(rng.below(total as usize)).unwrap_or(0);
    let mut kind = Kind::Empty;
    for (k, weight) in MIX {
        if roll < weight {
            kind = k;
            break;
        }
        roll -= weight;
    }
    let person = &data.persons[rng.below(data.persons.len())].input;
    let query = match kind {
        Kind::Empty => String::new(),
        Kind::FirstNamePrefix => person
            .first_name
            .chars()
            .take(3)
            .collect::<String>()
            .to_lowercase(),
        Kind::LastName => person.last_name.clone(),
        Kind::Email => person
            .emails
            .first()
            .map(|e| e.address.clone())
            .unwrap_or_default(),
        Kind::CompanyWord => {
            if data.companies.is_empty() {
                return (Kind::LastName, person.last_name.clone());
            }
            let name = &data.companies[rng.below(data.companies.len())].input.name;
            let words: Vec<&str> = name
                .split_whitespace()
                .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
                .collect();
            match words.as_slice() {
                [] => name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                words => words[rng.below(words.len())].to_owned(),
            }
        }
        Kind::PhonePrefix => match person.phones.first() {
            Some(phone) => national_digits(&phone.number).chars().take(4).collect(),
            None => return (Kind::LastName, person.last_name.clone()),
        },
        Kind::TwoWords => {
            format!(
                "{} {}",
                person.first_name.to_lowercase(),
                person.last_name.to_lowercase()
            )
        }
    };
    (kind, query)
}

/// "+31 6 12345678" → "0612345678", "020-1234567" → "0201234567".
fn national_digits(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("31") {
        Some(rest) if number.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    }
}

// ------------------------------------------------------------------ measurements

async fn lookups(engine: &'static str, store: &Store, org: OrgId, work: &Workload) -> Res<Row> {
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

async fn searches(
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

// ------------------------------------------------------------------ report

struct Row {
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
struct Report {
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl Report {
    fn print(&mut self, config: &Config) {
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

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// splitmix64: small, fast and good enough to pick test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
