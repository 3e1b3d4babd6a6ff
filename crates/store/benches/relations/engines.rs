//! The engines: a fresh SQLite file or PostgreSQL database each, seeded through the store's
//! traits (on PostgreSQL by several tasks at once), then benchmarked.

use crate::measurements::{Report, file_size, lookups, mib, searches};
use crate::workload::Workload;
use crate::{BoxError, Config, PG_SEED_TASKS, PG_URL_VAR, Res};
use postkamer_demo::DemoData;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::{CompanyId, OrgId};
use postkamer_store::{Store, with_database};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub(crate) async fn sqlite(
    config: &Config,
    data: &DemoData,
    work: &Workload,
    report: &mut Report,
) -> Res<()> {
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

pub(crate) async fn postgres(
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
