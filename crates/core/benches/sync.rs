//! Mail sync benchmark (issue 3): the first sync of a big, realistic mailbox from a local Dovecot
//! into SQLite and into PostgreSQL, in messages per second and peak memory, and the time from
//! delivery of one new message to its appearance in the message list.
//!
//! `scripts/bench.sh` (or `--mail-only`) runs the whole thing: it starts a throw-away Dovecot
//! and PostgreSQL, seeds the mailbox with this binary's `--seed`, pulls it with `mbsync` for
//! comparison, and runs this binary once per engine, so each engine's peak RSS is its own.
//! Modes:
//!
//! ```text
//! sync --seed MAILDIR COUNT   write COUNT messages into a Maildir (see sync/seed.rs); prints the size
//! sync --warm                 log in and SELECT INBOX once, so Dovecot indexes the new files
//! sync [--engine sqlite|postgres|both] [--count N] [--rounds N] [--breakdown] [--results FILE]
//! ```
//!
//! The sync mode creates a fresh store (an SQLite file in a temporary directory; a database
//! `pk_bench_<random>` on the server named by `POSTKAMER_TEST_PG_URL`, dropped afterwards), an
//! organisation, a user and a mailbox record for the seeded Dovecot user, then:
//!
//! 1. times `sync::sync_mailbox` over a fresh connection (connecting is not counted) and reads
//!    the process's peak RSS (`VmHWM`) right after it;
//! 2. `--rounds` times (default 20): IDLE on INBOX, APPEND one message from a second connection
//!    (t0 just before the APPEND), on `Changed` `sync::sync_folder` and `Store::list_messages`
//!    (the API's first page) until the new subject is listed (t1); median and p95 of t1 − t0.
//!    The appended messages are expunged afterwards, so the next run sees the seeded mailbox;
//! 3. with `--breakdown`, the same fetch / parse+compress / store work once more into another
//!    fresh database, one phase at a time, to see where the time goes.
//!
//! Environment: `POSTKAMER_TEST_IMAP` (host:port) and `POSTKAMER_TEST_IMAP_PASSWORD` (as
//! `scripts/lib/dovecot.sh` exports them), `BENCH_IMAP_LOGIN` (the seeded user, or `--login`),
//! `BENCH_MESSAGES` (the number seeded, or `--count`: a sync that fetches another number is
//! reported), `POSTKAMER_TEST_PG_URL` (PostgreSQL; skipped with a note when unset), `BENCH_KEEP=1`
//! (keep the databases for a look with `sqlite3`/`psql`; their names are printed).

#[path = "sync/breakdown.rs"]
mod breakdown;
#[path = "sync/dutch.rs"]
mod dutch;
#[path = "sync/encode.rs"]
mod encode;
#[path = "sync/fixture.rs"]
mod fixture;
#[path = "sync/incremental.rs"]
mod incremental;
#[path = "sync/report.rs"]
mod report;
#[path = "sync/seed.rs"]
mod seed;

use fixture::{Db, Engine, Fixture};
use postkamer_core::mail::MailStorage;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::MessageQuery;
use postkamer_mail::imap::{ImapAccount, ImapConnection, TlsMode};
use postkamer_mail::sync;
use postkamer_store::Store;
use report::Line;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, BoxError>;

/// Generous: a failing step fails within this, a passing one never waits for it.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Targets from issue 3.
const TARGET_RSS_MB: f64 = 300.0;
const TARGET_INCREMENTAL_MS: f64 = 200.0;

enum Mode {
    Seed { dir: PathBuf, count: usize },
    Warm { login: String },
    Sync(Options),
}

struct Options {
    engines: Vec<Engine>,
    login: String,
    count: Option<usize>,
    rounds: usize,
    breakdown: bool,
    results: Option<PathBuf>,
}

const USAGE: &str = "usage: sync --seed MAILDIR COUNT\n       sync --warm [--login USER]\n       \
     sync [--engine sqlite|postgres|both] [--login USER] [--count N] [--rounds N] [--breakdown] \
     [--results FILE]\nenv: POSTKAMER_TEST_IMAP, POSTKAMER_TEST_IMAP_PASSWORD, BENCH_IMAP_LOGIN, \
     BENCH_MESSAGES, POSTKAMER_TEST_PG_URL. scripts/bench.sh --mail-only runs it all.";

fn parse_args() -> Res<Mode> {
    let mut args = std::env::args().skip(1);
    let number = |v: Option<String>, what: &str| -> Res<usize> {
        let v = v.ok_or_else(|| format!("{what}: value missing"))?;
        Ok(v.replace('_', "")
            .parse()
            .map_err(|_| format!("{what}: {v:?} is not a number"))?)
    };
    let mut seed_dir = None;
    let mut warm = false;
    let mut options = Options {
        engines: vec![Engine::Sqlite, Engine::Postgres],
        login: std::env::var("BENCH_IMAP_LOGIN").unwrap_or_default(),
        count: std::env::var("BENCH_MESSAGES")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| number(Some(v), "BENCH_MESSAGES"))
            .transpose()?,
        rounds: 20,
        breakdown: false,
        results: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // Passed by `cargo bench`.
            "--bench" => {}
            "--seed" => {
                let dir = args.next().ok_or("--seed: MAILDIR missing")?;
                options.count = Some(number(args.next(), "--seed COUNT")?);
                seed_dir = Some(PathBuf::from(dir));
            }
            "--warm" => warm = true,
            "--engine" => {
                options.engines = match args.next().as_deref() {
                    Some("sqlite") => vec![Engine::Sqlite],
                    Some("postgres") => vec![Engine::Postgres],
                    Some("both") => vec![Engine::Sqlite, Engine::Postgres],
                    other => {
                        return Err(format!("--engine {other:?}: sqlite, postgres or both").into());
                    }
                }
            }
            "--login" => options.login = args.next().ok_or("--login: USER missing")?,
            "--count" => options.count = Some(number(args.next(), "--count")?),
            "--rounds" => options.rounds = number(args.next(), "--rounds")?,
            "--breakdown" => options.breakdown = true,
            "--results" => {
                options.results = Some(args.next().ok_or("--results: FILE missing")?.into())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}").into()),
        }
    }
    if let Some(dir) = seed_dir {
        let count = options.count.unwrap_or(0);
        return Ok(Mode::Seed { dir, count });
    }
    if options.login.is_empty() {
        return Err(format!("no mailbox: set BENCH_IMAP_LOGIN or pass --login\n{USAGE}").into());
    }
    if warm {
        return Ok(Mode::Warm {
            login: options.login,
        });
    }
    Ok(Mode::Sync(options))
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|mode| match mode {
        Mode::Seed { dir, count } => seed_maildir(&dir, count),
        Mode::Warm { login } => runtime()?.block_on(warm(&login)),
        Mode::Sync(options) => runtime()?.block_on(run(&options)),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mail sync bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Res<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn seed_maildir(dir: &std::path::Path, count: usize) -> Res<()> {
    let started = Instant::now();
    let s = seed::seed(dir, count)?;
    println!(
        "seeded {} messages, {:.1} MB in {:.1} s: {} correspondents, {} with HTML, {} with an \
         attachment, {} replies, {} unread",
        s.messages,
        s.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        s.correspondents,
        s.html,
        s.attachments,
        s.replies,
        s.unseen
    );
    Ok(())
}

/// The Dovecot account of `login` from the environment.
fn account(login: &str) -> Res<ImapAccount> {
    let address = std::env::var("POSTKAMER_TEST_IMAP").map_err(|_| {
        format!("POSTKAMER_TEST_IMAP is not set (host:port of the seeded Dovecot)\n{USAGE}")
    })?;
    let password = std::env::var("POSTKAMER_TEST_IMAP_PASSWORD")
        .map_err(|_| "POSTKAMER_TEST_IMAP_PASSWORD is not set")?;
    let (host, port) = address
        .rsplit_once(':')
        .ok_or_else(|| format!("POSTKAMER_TEST_IMAP={address:?} is not host:port"))?;
    Ok(ImapAccount {
        host: host.to_owned(),
        port: port
            .parse()
            .map_err(|_| format!("bad port in {address:?}"))?,
        tls: TlsMode::None,
        login: login.to_owned(),
        password,
        deny: Default::default(),
    })
}

async fn warm(login: &str) -> Res<()> {
    let started = Instant::now();
    let mut conn = ImapConnection::connect(&account(login)?, TIMEOUT).await?;
    let state = conn.select("INBOX").await?;
    conn.logout().await?;
    println!(
        "Dovecot indexed INBOX ({} messages) in {:.1} s",
        state.exists,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn run(options: &Options) -> Res<()> {
    let account = account(&options.login)?;
    for &engine in &options.engines {
        let Some(db) = Db::open(engine).await? else {
            println!(
                "mail first sync  {:<8} skipped: POSTKAMER_TEST_PG_URL is not set",
                engine.label()
            );
            continue;
        };
        let result = bench_engine(engine, &db.store, &account, options).await;
        let size = db.size().await;
        db.close().await;
        let mut line = result?;
        line.db_mb = size.map(|b| b as f64 / 1e6);
        line.print();
        if let Some(path) = &options.results {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            writeln!(file, "{}", line.tsv())?;
        }
        if options.breakdown {
            breakdown::run(engine, &account, options.count).await?;
        }
    }
    Ok(())
}

async fn bench_engine(
    engine: Engine,
    store: &Store,
    account: &ImapAccount,
    options: &Options,
) -> Res<Line> {
    let f = Fixture::create(store, account).await?;
    eprintln!("==> {}: first sync", engine.label());
    let mut conn = ImapConnection::connect(account, TIMEOUT).await?;
    let started = Instant::now();
    let report =
        sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox).await?;
    let seconds = started.elapsed().as_secs_f64();
    let rss_mb = fixture::peak_rss_kib().map(|kib| kib as f64 * 1024.0 / 1e6);
    let messages = report.fetched();
    if let Some(count) = options.count
        && messages != count as u64
    {
        eprintln!("  WARNING: fetched {messages} messages, {count} were seeded");
    }
    let stored = f.total(store, FolderRole::Inbox).await?;
    if stored != messages {
        eprintln!("  WARNING: {stored} messages listed in the inbox after fetching {messages}");
    }

    eprintln!(
        "==> {}: incremental, {} rounds",
        engine.label(),
        options.rounds
    );
    let incremental = incremental::run(store, &f, conn, account, options.rounds).await?;
    Ok(Line {
        engine,
        messages,
        seconds,
        rss_mb,
        db_mb: None,
        incremental,
    })
}

/// The API's first page of the inbox, as `MessageQuery` asks for it.
fn first_page() -> MessageQuery {
    MessageQuery {
        folder: FolderRole::Inbox,
        search: String::new(),
        page: PageRequest::default(),
    }
}
