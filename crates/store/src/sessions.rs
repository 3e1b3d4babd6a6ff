//! Browser sessions, bearer API tokens and the login-failure log used for throttling. The store
//! keeps only SHA-256 hashes of session and API tokens; the secrets themselves live in the
//! user's cookie or client.

use crate::accounts::{USER_COLUMNS, UserRow};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::ApiToken;
use postkamer_domain::{ApiTokenId, OrgId, User, UserId};
use sqlx::AssertSqlSafe;

#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: Option<&'a str>,
}

/// What a password change ended, besides the session that asked for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Revoked {
    pub sessions: u64,
    pub api_tokens: u64,
    pub app_passwords: u64,
}

impl Store {
    /// Sets a new password hash and, in the same transaction, ends every other way in: the
    /// user's sessions except `keep` (a token hash), their API tokens and their app passwords
    /// (with the devices that synced through them).
    pub async fn change_password(
        &self,
        org: OrgId,
        user: UserId,
        hash: &str,
        keep: Option<&str>,
        now: i64,
    ) -> StoreResult<Revoked> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE users SET password_hash = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(user.0)
            .bind(hash)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            let sessions =
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user.0)
                    .bind(keep.unwrap_or(""))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            let api_tokens = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
            )
            .bind(user.0)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "DELETE FROM sync_devices WHERE user_id = $1 AND app_password_id IS NOT NULL",
            )
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
            let app_passwords = sqlx::query("DELETE FROM app_passwords WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(Revoked {
                sessions,
                api_tokens,
                app_passwords,
            })
        })
    }
}

/// The outcome of [`Store::claim_login_attempt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptClaim {
    /// Recorded: the ids of the rows, to release when the attempt succeeds.
    Granted(Vec<i64>),
    /// A key is at its limit: the time of its oldest failure in the window.
    Refused { oldest: i64 },
}

impl Store {
    pub async fn create_session(&self, s: &NewSession<'_>) -> StoreResult<()> {
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent) \
                   VALUES ($1, $2, $3, $4, $5)";
        with_pool!(self, |pool| sqlx::query(sql)
            .bind(s.token_hash)
            .bind(s.user_id.0)
            .bind(s.now)
            .bind(s.expires_at)
            .bind(s.user_agent)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The active user behind an unexpired session.
    pub async fn session_user(&self, token_hash: &str, now: i64) -> StoreResult<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
        );
        let row: Option<UserRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await)?;
        row.map(User::try_from).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let sql = "DELETE FROM sessions WHERE token_hash = $1";
        with_pool!(self, |pool| sqlx::query(sql)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Ends every session of a user except `keep` (the one that asked, after a password change).
    pub async fn delete_user_sessions(&self, user: UserId, keep: Option<&str>) -> StoreResult<u64> {
        let sql = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(user.0)
            .bind(keep.unwrap_or(""))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> StoreResult<u64> {
        let sql = "DELETE FROM sessions WHERE expires_at <= $1";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }
}

type TokenRow = (i64, String, String, i64, Option<i64>);

fn token(row: TokenRow) -> ApiToken {
    let (id, name, prefix, created_at, last_used_at) = row;
    ApiToken {
        id: ApiTokenId(id),
        name,
        prefix,
        created_at,
        last_used_at,
    }
}

impl Store {
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: i64,
    ) -> StoreResult<ApiToken> {
        let sql = "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id, name, prefix, created_at, last_used_at";
        let row: TokenRow = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(user.0)
            .bind(name)
            .bind(token_hash)
            .bind(prefix)
            .bind(now)
            .fetch_one(pool)
            .await)?;
        Ok(token(row))
    }

    pub async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        let sql = "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens \
                   WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC";
        let rows: Vec<TokenRow> = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(user.0)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(token).collect())
    }

    pub async fn revoke_api_token(
        &self,
        user: UserId,
        id: ApiTokenId,
        now: i64,
    ) -> StoreResult<()> {
        let sql = "UPDATE api_tokens SET revoked_at = $3 \
                   WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(user.0)
            .bind(id.0)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// The active user owning an unrevoked token; records the use.
    pub async fn api_token_user(&self, token_hash: &str, now: i64) -> StoreResult<Option<User>> {
        let sql = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL \
                   RETURNING user_id";
        let user: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await)?;
        let Some(user) = user else { return Ok(None) };
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.active");
        let row: Option<UserRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(user)
                .fetch_optional(pool)
                .await)?;
        row.map(User::try_from).transpose()
    }
}

/// Failed logins, counted per key (`account:<email>`, `ip:<address>`) in the database, so the
/// limit holds across server instances.
impl Store {
    pub async fn record_login_failure(&self, key: &str, now: i64) -> StoreResult<()> {
        let sql = "INSERT INTO login_failures (key, at) VALUES ($1, $2)";
        with_pool!(self, |pool| sqlx::query(sql)
            .bind(key)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Failures for `key` since `since`, and the time of the oldest of them.
    pub async fn login_failures_since(
        &self,
        key: &str,
        since: i64,
    ) -> StoreResult<(u64, Option<i64>)> {
        let sql = "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2";
        let (n, oldest): (i64, Option<i64>) = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await)?;
        Ok((u64::try_from(n).unwrap_or(0), oldest))
    }

    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        let sql = "DELETE FROM login_failures WHERE key = $1";
        with_pool!(self, |pool| sqlx::query(sql)
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Records one attempt under every key — all or none, atomically with the check: when any
    /// key already holds its `limit` of failures since `since`, nothing is recorded. An attempt
    /// counts as a failure until [`Store::release_login_attempt`] takes it back, so
    /// parallel attempts can never pass more than the limit to the password check.
    pub async fn claim_login_attempt(
        &self,
        keys: &[(&str, u64)],
        since: i64,
        now: i64,
    ) -> StoreResult<AttemptClaim> {
        if keys.is_empty() {
            return Ok(AttemptClaim::Granted(Vec::new()));
        }
        // One statement: on SQLite it holds the write lock throughout, so the count and the
        // insert see the same state; PostgreSQL first locks the table against concurrent
        // claims, for the few microseconds of the transaction.
        let limits = (0..keys.len())
            .map(|i| format!("SELECT ${} AS k, ${} AS lim", 3 + 2 * i, 4 + 2 * i))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!(
            "INSERT INTO login_failures (key, at) \
             SELECT l.k, $1 FROM ({limits}) l \
             WHERE NOT EXISTS (SELECT 1 FROM ({limits}) c WHERE \
               (SELECT COUNT(*) FROM login_failures f WHERE f.key = c.k AND f.at >= $2) >= c.lim) \
             RETURNING id"
        );
        let postgres = self.engine() == crate::Engine::Postgres;
        let ids: Vec<i64> = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let mut query = sqlx::query_scalar(AssertSqlSafe(sql.as_str()))
                .bind(now)
                .bind(since);
            for (key, limit) in keys {
                query = query
                    .bind(*key)
                    .bind(i64::try_from(*limit).unwrap_or(i64::MAX));
            }
            let ids = query.fetch_all(&mut *tx).await?;
            tx.commit().await?;
            ids
        });
        if !ids.is_empty() {
            return Ok(AttemptClaim::Granted(ids));
        }
        let mut oldest = now;
        for (key, limit) in keys {
            let (failures, first) = self.login_failures_since(key, since).await?;
            if failures >= *limit {
                oldest = first.unwrap_or(now);
                break;
            }
        }
        Ok(AttemptClaim::Refused { oldest })
    }

    /// Takes back the rows of a granted attempt (the password was right).
    pub async fn release_login_attempt(&self, ids: &[i64]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let list = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("DELETE FROM login_failures WHERE id IN ({list})");
        with_pool!(self, |pool| {
            let mut query = sqlx::query(AssertSqlSafe(sql.as_str()));
            for id in ids {
                query = query.bind(id);
            }
            query.execute(pool).await.map(|_| ())
        })?;
        Ok(())
    }

    pub async fn prune_login_failures(&self, before: i64) -> StoreResult<u64> {
        let sql = "DELETE FROM login_failures WHERE at < $1";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }
}
