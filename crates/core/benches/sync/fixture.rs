//! A fresh store per run (the idea of crates/store/tests/store/harness.rs, returning errors
//! instead of panicking), and the organisation, user and mailbox record the sync needs.

use crate::{Res, first_page};
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::sync::{FolderId, MailboxRecord};
use postkamer_domain::mail::{FolderRole, TlsMode};
use postkamer_domain::{EmailAddress, Locale, NewUser, OrgId, PageRequest, Role, UserId};
use postkamer_mail::imap::ImapAccount;
use postkamer_store::mail::MailboxUpdate;
use postkamer_store::{Store, with_database};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

const PG_URL_VAR: &str = "POSTKAMER_TEST_PG_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn label(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// A fresh, migrated database.
pub struct Db {
    pub store: Store,
    sqlite: Option<(tempfile::TempDir, std::path::PathBuf)>,
    /// Admin URL and database name.
    postgres: Option<(String, String)>,
}

impl Db {
    /// `None` for PostgreSQL when `POSTKAMER_TEST_PG_URL` is not set.
    pub async fn open(engine: Engine) -> Res<Option<Db>> {
        let db = match engine {
            Engine::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix("postkamer-bench.")
                    .tempdir()?;
                let path = dir.path().join("postkamer.db");
                let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
                Db {
                    store,
                    sqlite: Some((dir, path)),
                    postgres: None,
                }
            }
            Engine::Postgres => {
                let Some(admin) = std::env::var(PG_URL_VAR).ok().filter(|u| !u.is_empty()) else {
                    return Ok(None);
                };
                let name = format!("pk_bench_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect(&admin)
                    .await
                    .map_err(|e| format!("connect to {PG_URL_VAR}={admin}: {e}"))?;
                conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await?;
                conn.close().await?;
                let store = Store::connect(&with_database(&admin, &name)).await?;
                Db {
                    store,
                    sqlite: None,
                    postgres: Some((admin, name)),
                }
            }
        };
        db.store.migrate().await?;
        Ok(Some(db))
    }

    /// Bytes on disk: the SQLite file and its WAL, or `pg_database_size`.
    pub async fn size(&self) -> Option<u64> {
        if let Some((_, path)) = &self.sqlite {
            let len = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
            return Some(len(path) + len(&path.with_extension("db-wal")));
        }
        let (admin, name) = self.postgres.as_ref()?;
        let mut conn = PgConnection::connect(admin).await.ok()?;
        let size: i64 = sqlx::query_scalar("SELECT pg_database_size($1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await
            .ok()?;
        u64::try_from(size).ok()
    }

    /// Closes the store and removes the database, unless `BENCH_KEEP=1` asks to keep it for a
    /// look with `sqlite3` or `psql` (its name is printed).
    pub async fn close(self) {
        self.store.close().await;
        let keep = std::env::var("BENCH_KEEP").is_ok_and(|v| !v.is_empty() && v != "0");
        if keep {
            if let Some((dir, path)) = self.sqlite {
                let _ = dir.keep();
                eprintln!("  kept: sqlite3 {}", path.display());
            }
            if let Some((admin, name)) = &self.postgres {
                eprintln!("  kept: psql {}", with_database(admin, name));
            }
            return;
        }
        if let Some((admin, name)) = self.postgres
            && let Ok(mut conn) = PgConnection::connect(&admin).await
        {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(e) = conn.execute(AssertSqlSafe(drop)).await {
                eprintln!("  could not drop {name}: {e}");
            }
            conn.close().await.ok();
        }
    }
}

/// One organisation with one user whose mailbox is the seeded Dovecot account.
pub struct Fixture {
    pub org: OrgId,
    pub user: UserId,
    pub mailbox: MailboxRecord,
}

impl Fixture {
    pub async fn create(store: &Store, account: &ImapAccount) -> Res<Fixture> {
        let org = store.create_org("Benchmark BV").await?.id;
        let user = store
            .create_user(&NewUser {
                org_id: org,
                name: crate::seed::USER_NAME.into(),
                email: EmailAddress::parse(crate::seed::USER_EMAIL)?,
                role: Role::Gebruiker,
                password_hash: "x".into(),
                locale: Locale::Nl,
            })
            .await?
            .id;
        let mailbox = store
            .save_mailbox(
                org,
                user,
                &MailboxUpdate {
                    host: account.host.clone(),
                    port: account.port,
                    tls: TlsMode::None,
                    login: account.login.clone(),
                    password_sealed: Some(Vec::new()),
                    since: None,
                    enabled: true,
                },
            )
            .await?;
        Ok(Fixture { org, user, mailbox })
    }

    pub async fn inbox(&self, store: &Store) -> Res<FolderId> {
        store
            .folders(self.mailbox.settings.id)
            .await?
            .into_iter()
            .find(|f| f.role == FolderRole::Inbox)
            .map(|f| f.id)
            .ok_or_else(|| "no inbox stored after the first sync".into())
    }

    /// How many messages the folder's list has.
    pub async fn total(&self, store: &Store, folder: FolderRole) -> Res<u64> {
        let query = MessageQuery {
            folder,
            search: String::new(),
            page: PageRequest::new(Some(1), Some(1)),
        };
        Ok(store
            .list_messages(self.org, self.user, &query)
            .await?
            .total)
    }

    /// Whether the first page of the inbox, as the API asks for it, lists `subject`.
    pub async fn lists(&self, store: &Store, subject: &str) -> Res<bool> {
        let page = store
            .list_messages(self.org, self.user, &first_page())
            .await?;
        Ok(page.items.iter().any(|m| m.subject == subject))
    }
}

/// The process's peak resident set size in KiB, from `VmHWM` in /proc/self/status.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
