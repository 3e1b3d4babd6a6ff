//! Organisations and users.

use crate::{Store, StoreError, StoreResult, affected, with_pool};
use postkamer_domain::{
    EmailAddress, Locale, NewUser, OrgId, Role, User, UserId, ValidUserDetails,
};
use sqlx::AssertSqlSafe;

/// An organisation (tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: OrgId,
    pub name: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    org_id: i64,
    name: String,
    email: String,
    role: String,
    active: bool,
    locale: String,
    job_title: Option<String>,
    phone: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.org_id, u.name, u.email, u.role, u.active, u.locale, u.job_title, u.phone";

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> StoreResult<User> {
        Ok(User {
            id: UserId(row.id),
            org_id: OrgId(row.org_id),
            name: row.name,
            email: EmailAddress::parse(&row.email)
                .map_err(|e| StoreError::Corrupt(format!("user {}: {e}", row.id)))?,
            role: Role::parse(&row.role).ok_or_else(|| {
                StoreError::Corrupt(format!("user {}: role {}", row.id, row.role))
            })?,
            active: row.active,
            locale: Locale::from_code(&row.locale),
            job_title: row.job_title,
            phone: row.phone,
        })
    }
}

impl Store {
    pub async fn create_org(&self, name: &str) -> StoreResult<Org> {
        let sql = "INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id";
        let id: i64 = with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(name)
            .bind(self.now())
            .fetch_one(pool)
            .await)?;
        self.ensure_action_types(OrgId(id)).await?;
        Ok(Org {
            id: OrgId(id),
            name: name.to_owned(),
        })
    }

    pub async fn org(&self, id: OrgId) -> StoreResult<Org> {
        let sql = "SELECT id, name FROM organisations WHERE id = $1";
        let (id, name): (i64, String) = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_one(pool)
            .await)?;
        Ok(Org {
            id: OrgId(id),
            name,
        })
    }

    pub async fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>> {
        let sql = "SELECT id, name FROM organisations WHERE name = $1 ORDER BY id LIMIT 1";
        let row: Option<(i64, String)> = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(name)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(|(id, name)| Org {
            id: OrgId(id),
            name,
        }))
    }
}

/// User accounts. Every method that names a user also names its organisation: a user of
/// another organisation is [`StoreError::NotFound`].
impl Store {
    /// Fails with `AlreadyExists("email")` when the address is taken (in any organisation).
    pub async fn create_user(&self, user: &NewUser) -> StoreResult<User> {
        let sql = "INSERT INTO users (org_id, name, email, role, active, locale, password_hash, \
                   created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, $7) RETURNING id";
        let id: i64 = with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(user.org_id.0)
            .bind(&user.name)
            .bind(user.email.as_str())
            .bind(user.role.as_str())
            .bind(user.locale.as_str())
            .bind(&user.password_hash)
            .bind(self.now())
            .fetch_one(pool)
            .await)
        .map_err(|e| match StoreError::from(e) {
            StoreError::AlreadyExists(_) => StoreError::AlreadyExists("email"),
            other => other,
        })?;
        self.user(user.org_id, UserId(id)).await
    }

    pub async fn user(&self, org: OrgId, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = $1 AND u.id = $2");
        let row: UserRow = with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(org.0)
            .bind(id.0)
            .fetch_one(pool)
            .await)?;
        row.try_into()
    }

    /// The user with this login address and its password hash, whatever its organisation.
    pub async fn user_for_login(
        &self,
        email: &EmailAddress,
    ) -> StoreResult<Option<(User, String)>> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
        let row: Option<LoginRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(email.as_str())
                .fetch_optional(pool)
                .await)?;
        row.map(|row| Ok((row.user.try_into()?, row.password_hash)))
            .transpose()
    }

    pub async fn password_hash(&self, org: OrgId, id: UserId) -> StoreResult<String> {
        let sql = "SELECT password_hash FROM users WHERE org_id = $1 AND id = $2";
        Ok(with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(org.0)
            .bind(id.0)
            .fetch_one(pool)
            .await)?)
    }

    pub async fn list_users(&self, org: OrgId) -> StoreResult<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = $1 ORDER BY u.name, u.id");
        let rows: Vec<UserRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(org.0)
                .fetch_all(pool)
                .await)?;
        rows.into_iter().map(User::try_from).collect()
    }

    pub async fn set_role(&self, org: OrgId, id: UserId, role: Role) -> StoreResult<()> {
        let sql = "UPDATE users SET role = $3, updated_at = $4 WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .bind(role.as_str())
            .bind(self.now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Name, job title and phone number, as the user gave them.
    pub async fn set_user_details(
        &self,
        org: OrgId,
        id: UserId,
        details: &ValidUserDetails,
    ) -> StoreResult<User> {
        let sql = "UPDATE users SET name = $3, job_title = $4, phone = $5, updated_at = $6 \
                   WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .bind(&details.name)
            .bind(&details.job_title)
            .bind(&details.phone)
            .bind(self.now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        affected(done)?;
        self.user(org, id).await
    }

    pub async fn set_active(&self, org: OrgId, id: UserId, active: bool) -> StoreResult<()> {
        let sql = "UPDATE users SET active = $3, updated_at = $4 WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .bind(active)
            .bind(self.now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        affected(done)
    }

    pub async fn set_password_hash(&self, org: OrgId, id: UserId, hash: &str) -> StoreResult<()> {
        let sql =
            "UPDATE users SET password_hash = $3, updated_at = $4 WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .bind(hash)
            .bind(self.now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        affected(done)
    }

    pub async fn set_locale(&self, org: OrgId, id: UserId, locale: Locale) -> StoreResult<()> {
        let sql = "UPDATE users SET locale = $3 WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .bind(locale.as_str())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Active SuperAdmins of the organisation: the last one may not be demoted or deactivated.
    pub async fn count_active_superadmins(&self, org: OrgId) -> StoreResult<u64> {
        let sql = "SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'superadmin' AND active";
        let n: i64 = with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(org.0)
            .fetch_one(pool)
            .await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
