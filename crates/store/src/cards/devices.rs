//! Who syncs: the per-user switch, app passwords (stored as SHA-256, never the secret) and the
//! devices that synced.

use postkamer_domain::relation::{AppPassword, SyncDevice};
use postkamer_domain::{OrgId, UserId};

use crate::{Store, StoreError, StoreResult, affected, with_pool};

/// Devices kept per user (the most recent).
pub const MAX_DEVICES: i64 = 20;

impl Store {
    pub async fn carddav_enabled(&self, org: OrgId, user: UserId) -> StoreResult<bool> {
        let enabled: Option<bool> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT carddav_enabled FROM users WHERE org_id = $1 AND id = $2",
        )
        .bind(org.0)
        .bind(user.0)
        .fetch_optional(pool)
        .await)?;
        enabled.ok_or(StoreError::NotFound)
    }

    pub async fn set_carddav_enabled(
        &self,
        org: OrgId,
        user: UserId,
        enabled: bool,
    ) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE users SET carddav_enabled = $1 WHERE org_id = $2 AND id = $3",
        )
        .bind(enabled)
        .bind(org.0)
        .bind(user.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    pub async fn create_app_password(
        &self,
        user: UserId,
        name: &str,
        secret_hash: &str,
    ) -> StoreResult<AppPassword> {
        let now = self.now();
        let id: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "INSERT INTO app_passwords (user_id, name, secret_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(name)
        .bind(secret_hash)
        .bind(now)
        .fetch_one(pool)
        .await)?;
        Ok(AppPassword {
            id,
            name: name.to_owned(),
            created_at: now,
            last_used_at: None,
        })
    }

    pub async fn app_passwords(&self, user: UserId) -> StoreResult<Vec<AppPassword>> {
        let rows: Vec<(i64, String, i64, Option<i64>)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, created_at, last_used_at FROM app_passwords \
                 WHERE user_id = $1 ORDER BY created_at, id",
        )
        .bind(user.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, created_at, last_used_at)| AppPassword {
                id,
                name,
                created_at,
                last_used_at,
            })
            .collect())
    }

    /// Revokes an app password; the devices that synced with it go from the list with it (they
    /// cannot sync any more, and would otherwise be listed as using the CRM password).
    pub async fn revoke_app_password(&self, user: UserId, id: i64) -> StoreResult<()> {
        let done = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM sync_devices WHERE app_password_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            let done = sqlx::query("DELETE FROM app_passwords WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            done
        });
        affected(done)
    }

    /// The user and app password with this secret hash, and when it was last used.
    pub async fn app_password_user(
        &self,
        secret_hash: &str,
    ) -> StoreResult<Option<(UserId, i64, Option<i64>)>> {
        let row: Option<(i64, i64, Option<i64>)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT user_id, id, last_used_at FROM app_passwords WHERE secret_hash = $1",
        )
        .bind(secret_hash)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(user, id, used)| (UserId(user), id, used)))
    }

    pub async fn touch_app_password(&self, id: i64) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE app_passwords SET last_used_at = $1 WHERE id = $2"
        )
        .bind(self.now())
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Remembers that a device synced now (its User-Agent cut to 200 characters; the
    /// [`MAX_DEVICES`] most recent devices of a user are kept).
    pub async fn record_sync_device(
        &self,
        user: UserId,
        user_agent: &str,
        app_password: Option<i64>,
    ) -> StoreResult<()> {
        let agent: String = user_agent.chars().take(200).collect();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sync_devices (user_id, user_agent, app_password_id, last_seen_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, user_agent) DO UPDATE \
                 SET app_password_id = excluded.app_password_id, last_seen_at = excluded.last_seen_at",
            )
            .bind(user.0)
            .bind(&agent)
            .bind(app_password)
            .bind(self.now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        // The most recent devices only: a client that sends another User-Agent every time
        // cannot fill the table.
        with_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM sync_devices WHERE user_id = $1 AND user_agent <> $2 AND user_agent NOT IN \
                 (SELECT user_agent FROM sync_devices WHERE user_id = $1 AND user_agent <> $2 \
                  ORDER BY last_seen_at DESC, user_agent LIMIT $3)",
            )
            .bind(user.0)
            .bind(&agent)
            .bind(MAX_DEVICES - 1)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn sync_devices(&self, user: UserId) -> StoreResult<Vec<SyncDevice>> {
        let rows: Vec<(String, Option<String>, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT d.user_agent, a.name, d.last_seen_at FROM sync_devices d \
                 LEFT JOIN app_passwords a ON a.id = d.app_password_id \
                 WHERE d.user_id = $1 ORDER BY d.last_seen_at DESC, d.user_agent",
        )
        .bind(user.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(user_agent, app_password, last_seen_at)| SyncDevice {
                user_agent,
                app_password,
                last_seen_at,
            })
            .collect())
    }
}
