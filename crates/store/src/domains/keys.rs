//! DKIM key pairs (the installation's, and a domain's own after a rotation; private keys sealed
//! by the caller) and notices for the SuperAdmins.

use postkamer_domain::sending::Selector;
use postkamer_domain::{OrgId, SendingDomainId};

use crate::{BeginWrite, Store, StoreError, StoreResult, with_pool};

/// A DKIM key pair as stored: the private key sealed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// `None`: one of the installation's keys.
    pub domain: Option<SendingDomainId>,
    pub selector: Selector,
    pub private_sealed: Vec<u8>,
    pub public_key: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    domain_id: Option<i64>,
    selector: String,
    private_sealed: Vec<u8>,
    public_key: String,
    created_at: i64,
}

impl KeyRow {
    fn into_key(self) -> StoreResult<StoredKey> {
        Ok(StoredKey {
            domain: self.domain_id.map(SendingDomainId),
            selector: Selector::parse(&self.selector)
                .ok_or_else(|| StoreError::Corrupt(format!("selector {:?}", self.selector)))?,
            private_sealed: self.private_sealed,
            public_key: self.public_key,
            created_at: self.created_at,
        })
    }
}

/// Something the SuperAdmins of an organisation must see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub domain: Option<SendingDomainId>,
    pub domain_name: Option<String>,
    pub kind: String,
    pub created_at: i64,
}

impl Store {
    /// The installation's keys, and the domain's own keys when `domain` is given.
    pub async fn dkim_keys(&self, domain: Option<SendingDomainId>) -> StoreResult<Vec<StoredKey>> {
        let rows: Vec<KeyRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT domain_id, selector, private_sealed, public_key, created_at FROM dkim_keys \
                 WHERE domain_id IS NULL OR domain_id = $1 ORDER BY selector, domain_id IS NOT NULL",
            )
            .bind(domain.map(|d| d.0))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(KeyRow::into_key).collect()
    }

    /// Stores an installation key unless one exists for the selector (several instances starting
    /// at once: the first one wins, the others read it). `true` when this one was stored.
    pub async fn insert_installation_key(
        &self,
        selector: Selector,
        private_sealed: &[u8],
        public_key: &str,
    ) -> StoreResult<bool> {
        let done = with_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO dkim_keys (domain_id, selector, private_sealed, public_key, created_at) \
                 VALUES (NULL, $1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(selector.as_str())
        .bind(private_sealed)
        .bind(public_key)
        .bind(self.now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Replaces an installation key (configuration holds a different one).
    pub async fn replace_installation_key(
        &self,
        selector: Selector,
        private_sealed: &[u8],
        public_key: &str,
    ) -> StoreResult<()> {
        self.replace_key(None, selector, private_sealed, public_key)
            .await
    }

    /// Gives one domain its own key for `selector` (a rotation), replacing an earlier one.
    pub async fn put_domain_key(
        &self,
        id: SendingDomainId,
        selector: Selector,
        private_sealed: &[u8],
        public_key: &str,
    ) -> StoreResult<()> {
        self.replace_key(Some(id), selector, private_sealed, public_key)
            .await
    }

    async fn replace_key(
        &self,
        domain: Option<SendingDomainId>,
        selector: Selector,
        private_sealed: &[u8],
        public_key: &str,
    ) -> StoreResult<()> {
        let domain = domain.map(|d| d.0);
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "DELETE FROM dkim_keys WHERE domain_id IS NOT DISTINCT FROM $1 AND selector = $2",
            )
            .bind(domain)
            .bind(selector.as_str())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO dkim_keys (domain_id, selector, private_sealed, public_key, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(domain)
            .bind(selector.as_str())
            .bind(private_sealed)
            .bind(public_key)
            .bind(self.now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }.await
        })?;
        Ok(())
    }

    /// Opens a notice unless the same one is open already.
    pub async fn open_notice(
        &self,
        org: OrgId,
        domain: Option<SendingDomainId>,
        kind: &str,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO admin_notices (org_id, domain_id, kind, created_at) \
                 SELECT $1, $2, $3, $4 WHERE NOT EXISTS ( \
                   SELECT 1 FROM admin_notices WHERE org_id = $1 AND kind = $3 \
                     AND resolved_at IS NULL AND domain_id IS NOT DISTINCT FROM $2)",
        )
        .bind(org.0)
        .bind(domain.map(|d| d.0))
        .bind(kind)
        .bind(self.now())
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn resolve_notices(&self, domain: SendingDomainId, kind: &str) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE admin_notices SET resolved_at = $1 \
                 WHERE domain_id = $2 AND kind = $3 AND resolved_at IS NULL",
        )
        .bind(self.now())
        .bind(domain.0)
        .bind(kind)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The organisation's open notices, newest first.
    pub async fn open_notices(&self, org: OrgId) -> StoreResult<Vec<Notice>> {
        let rows: Vec<NoticeRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT n.id, n.domain_id, d.domain, n.kind, n.created_at FROM admin_notices n \
                 LEFT JOIN sending_domains d ON d.id = n.domain_id \
                 WHERE n.org_id = $1 AND n.resolved_at IS NULL ORDER BY n.created_at DESC, n.id DESC",
            )
            .bind(org.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|row| Notice {
                id: row.id,
                domain: row.domain_id.map(SendingDomainId),
                domain_name: row.domain,
                kind: row.kind,
                created_at: row.created_at,
            })
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    domain_id: Option<i64>,
    domain: Option<String>,
    kind: String,
    created_at: i64,
}
