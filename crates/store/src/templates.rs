//! E-mail templates with their last versions, and the action types that open with them. The
//! document is stored as the editor's JSON; core checks it (the templates engine) first.

use postkamer_domain::templates::{
    ActionKind, ActionType, Template, TemplateImage, TemplateRef, TemplateSummary, TemplateVersion,
};
use postkamer_domain::{ActionTypeId, OrgId, TemplateId, UserId};

use crate::sql::{Statement, Tx};
use crate::{Store, StoreError, StoreResult, with_pool};

/// Versions kept per template (the newest first).
pub const VERSIONS_KEPT: i64 = 20;

/// A template as it is saved.
#[derive(Debug, Clone, Copy)]
pub struct TemplateWrite<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub has_inhoud: bool,
}

/// A change of an action type.
#[derive(Debug, Clone, Copy)]
pub struct ActionTypeWrite<'a> {
    pub name: &'a str,
    pub active: bool,
    pub template: Option<TemplateId>,
}

const TEMPLATE: &str = "SELECT t.id, t.name, t.subject, t.body, t.has_inhoud, t.created_at, \
     t.updated_at, u.name FROM templates t LEFT JOIN users u ON u.id = t.updated_by";

type TemplateRow = (i64, String, String, String, bool, i64, i64, Option<String>);

fn template(row: TemplateRow) -> Template {
    let (id, name, subject, body, has_inhoud, created_at, updated_at, updated_by) = row;
    Template {
        id: TemplateId(id),
        name,
        subject,
        body,
        has_inhoud,
        created_at,
        updated_at,
        updated_by,
    }
}

fn name_taken(err: StoreError) -> StoreError {
    match err {
        StoreError::AlreadyExists(_) => StoreError::AlreadyExists("name"),
        other => other,
    }
}

impl Store {
    /// The organisation's templates by name, each with the action types that open with it.
    pub async fn templates(&self, org: OrgId) -> StoreResult<Vec<TemplateSummary>> {
        type SummaryRow = (i64, String, bool, i64, Option<String>, Option<String>);
        let rows: Vec<SummaryRow> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT t.id, t.name, t.has_inhoud, t.updated_at, u.name, a.name \
                 FROM templates t LEFT JOIN users u ON u.id = t.updated_by \
                 LEFT JOIN action_types a ON a.template_id = t.id \
                 WHERE t.org_id = $1 ORDER BY t.name, t.id, a.position, a.id",
        )
        .bind(org.0)
        .fetch_all(pool)
        .await)?;
        let mut out: Vec<TemplateSummary> = Vec::new();
        for (id, name, has_inhoud, updated_at, updated_by, used_by) in rows {
            let id = TemplateId(id);
            if out.last().is_none_or(|t| t.id != id) {
                out.push(TemplateSummary {
                    id,
                    name,
                    used_by: Vec::new(),
                    has_inhoud,
                    updated_at,
                    updated_by,
                });
            }
            if let (Some(last), Some(action)) = (out.last_mut(), used_by) {
                last.used_by.push(action);
            }
        }
        Ok(out)
    }

    pub async fn template(&self, org: OrgId, id: TemplateId) -> StoreResult<Template> {
        let sql = format!("{TEMPLATE} WHERE t.org_id = $1 AND t.id = $2");
        let row: TemplateRow = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(org.0)
        .bind(id.0)
        .fetch_one(pool)
        .await)?;
        Ok(template(row))
    }

    /// A new template (its first version kept). `AlreadyExists("name")` for a name the
    /// organisation has.
    pub async fn create_template(
        &self,
        org: OrgId,
        by: UserId,
        write: &TemplateWrite<'_>,
    ) -> StoreResult<Template> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let insert = Statement::new(
            "INSERT INTO templates (org_id, name, subject, body, has_inhoud, created_at, \
               updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
        )
        .bind(org.0)
        .bind(write.name)
        .bind(write.subject)
        .bind(write.body)
        .bind(write.has_inhoud)
        .bind(now)
        .bind(by.0);
        let (id,): (i64,) = tx
            .fetch_optional(insert)
            .await
            .map_err(name_taken)?
            .ok_or(StoreError::NotFound)?;
        keep_version(&mut tx, TemplateId(id), by, write, now).await?;
        tx.commit().await?;
        self.template(org, TemplateId(id)).await
    }

    /// Saves a template (the new state kept as its newest version, the oldest beyond
    /// [`VERSIONS_KEPT`] dropped).
    pub async fn update_template(
        &self,
        org: OrgId,
        id: TemplateId,
        by: UserId,
        write: &TemplateWrite<'_>,
    ) -> StoreResult<Template> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let update = Statement::new(
            "UPDATE templates SET name = $1, subject = $2, body = $3, has_inhoud = $4, \
               updated_at = $5, updated_by = $6 WHERE org_id = $7 AND id = $8",
        )
        .bind(write.name)
        .bind(write.subject)
        .bind(write.body)
        .bind(write.has_inhoud)
        .bind(now)
        .bind(by.0)
        .bind(org.0)
        .bind(id.0);
        if tx.execute(update).await.map_err(name_taken)? == 0 {
            return Err(StoreError::NotFound);
        }
        keep_version(&mut tx, id, by, write, now).await?;
        tx.commit().await?;
        self.template(org, id).await
    }

    /// Removes a template; `InUse("template_in_use")` while an action type opens with it.
    pub async fn delete_template(&self, org: OrgId, id: TemplateId) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let using = Statement::new(
            "SELECT COUNT(*) FROM action_types WHERE org_id = $1 AND template_id = $2",
        )
        .bind(org.0)
        .bind(id.0);
        let (used,): (i64,) = tx.fetch_optional(using).await?.unwrap_or((0,));
        if used > 0 {
            return Err(StoreError::InUse("template_in_use"));
        }
        let delete = Statement::new("DELETE FROM templates WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id.0);
        if tx.execute(delete).await? == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await
    }

    /// The kept versions of a template, newest first.
    pub async fn template_versions(
        &self,
        org: OrgId,
        id: TemplateId,
    ) -> StoreResult<Vec<TemplateVersion>> {
        self.template(org, id).await?;
        type VersionRow = (i64, String, String, String, i64, Option<String>);
        let rows: Vec<VersionRow> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT v.id, v.name, v.subject, v.body, v.saved_at, u.name \
                 FROM template_versions v LEFT JOIN users u ON u.id = v.saved_by \
                 WHERE v.template_id = $1 ORDER BY v.id DESC",
        )
        .bind(id.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, subject, body, saved_at, saved_by)| TemplateVersion {
                    id,
                    name,
                    subject,
                    body,
                    saved_at,
                    saved_by,
                },
            )
            .collect())
    }

    /// The organisation's action types in their order, each with its template.
    pub async fn action_types(&self, org: OrgId) -> StoreResult<Vec<ActionType>> {
        type Row = (
            i64,
            Option<String>,
            String,
            bool,
            Option<i64>,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, a.kind, a.name, a.active, t.id, t.name, a.position \
             FROM action_types a LEFT JOIN templates t ON t.id = a.template_id \
             WHERE a.org_id = $1 ORDER BY a.position, a.id",
        )
        .bind(org.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, kind, name, active, template, template_name, position)| ActionType {
                    id: ActionTypeId(id),
                    kind: kind.as_deref().and_then(ActionKind::parse),
                    name,
                    active,
                    template: template.zip(template_name).map(|(id, name)| TemplateRef {
                        id: TemplateId(id),
                        name,
                    }),
                    position,
                },
            )
            .collect())
    }

    /// The six action types every organisation has, for one that lacks them.
    pub async fn ensure_action_types(&self, org: OrgId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.begin().await?;
        for (position, kind) in (1_i64..).zip(ActionKind::ALL) {
            let insert = Statement::new(
                "INSERT INTO action_types (org_id, kind, name, position, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(org.0)
            .bind(kind.as_str())
            .bind(kind.default_name())
            .bind(position)
            .bind(now);
            tx.execute(insert).await?;
        }
        tx.commit().await
    }

    /// An action type of the organisation's own, after the others.
    pub async fn create_action_type(&self, org: OrgId, name: &str) -> StoreResult<ActionType> {
        let insert = Statement::new(
            "INSERT INTO action_types (org_id, name, position, created_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM action_types \
                              WHERE org_id = $1), $3) RETURNING id",
        )
        .bind(org.0)
        .bind(name)
        .bind(self.now());
        let (id,): (i64,) = self
            .fetch_optional(insert)
            .await
            .map_err(name_taken)?
            .ok_or(StoreError::NotFound)?;
        self.action_type(org, ActionTypeId(id)).await
    }

    /// Renames, switches on or off, and sets the template of an action type.
    /// `UnknownReference("template")` for a template the organisation does not have.
    pub async fn update_action_type(
        &self,
        org: OrgId,
        id: ActionTypeId,
        write: &ActionTypeWrite<'_>,
    ) -> StoreResult<ActionType> {
        let update = Statement::new(
            "UPDATE action_types SET name = $1, active = $2, template_id = \
               (SELECT id FROM templates WHERE org_id = $3 AND id = $4) \
             WHERE org_id = $3 AND id = $5 \
               AND ($4 IS NULL OR EXISTS (SELECT 1 FROM templates WHERE org_id = $3 AND id = $4))",
        )
        .bind(write.name)
        .bind(write.active)
        .bind(org.0)
        .bind(write.template.map(|t| t.0))
        .bind(id.0);
        if self.execute(update).await.map_err(name_taken)? == 0 {
            self.action_type(org, id).await?;
            return Err(StoreError::UnknownReference("template"));
        }
        self.action_type(org, id).await
    }

    async fn action_type(&self, org: OrgId, id: ActionTypeId) -> StoreResult<ActionType> {
        self.action_types(org)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound)
    }
}

/// Keeps `write` as the template's newest version and drops those beyond [`VERSIONS_KEPT`].
async fn keep_version(
    tx: &mut Tx,
    id: TemplateId,
    by: UserId,
    write: &TemplateWrite<'_>,
    now: i64,
) -> StoreResult<()> {
    let insert = Statement::new(
        "INSERT INTO template_versions (template_id, name, subject, body, saved_at, saved_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.0)
    .bind(write.name)
    .bind(write.subject)
    .bind(write.body)
    .bind(now)
    .bind(by.0);
    tx.execute(insert).await?;
    let prune = Statement::new(
        "DELETE FROM template_versions WHERE template_id = $1 AND id NOT IN \
           (SELECT id FROM template_versions WHERE template_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(id.0)
    .bind(VERSIONS_KEPT);
    tx.execute(prune).await?;
    Ok(())
}

impl Store {
    /// Keeps an image for the organisation's templates under `name`. Names are made from the
    /// content, so one already there is the same image and stays as it is.
    pub async fn save_template_image(
        &self,
        org: OrgId,
        by: UserId,
        name: &str,
        image: &TemplateImage,
    ) -> StoreResult<()> {
        let now = self.now();
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO template_images (org_id, name, content_type, bytes, created_at, \
               created_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, name) DO NOTHING",
        )
        .bind(org.0)
        .bind(name)
        .bind(&image.content_type)
        .bind(&image.bytes)
        .bind(now)
        .bind(by.0)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// One of the organisation's template images; `NotFound` for a name it has none for.
    pub async fn template_image(&self, org: OrgId, name: &str) -> StoreResult<TemplateImage> {
        let row: Option<(String, Vec<u8>)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT content_type, bytes FROM template_images WHERE org_id = $1 AND name = $2",
        )
        .bind(org.0)
        .bind(name)
        .fetch_optional(pool)
        .await)?;
        let (content_type, bytes) = row.ok_or(StoreError::NotFound)?;
        Ok(TemplateImage {
            content_type,
            bytes,
        })
    }

    /// Those of `names` the organisation has no template image for.
    pub async fn missing_template_images(
        &self,
        org: OrgId,
        names: &[&str],
    ) -> StoreResult<Vec<String>> {
        let mut missing = Vec::new();
        for name in names {
            let found: Option<(i64,)> = with_pool!(self, |pool| sqlx::query_as(
                "SELECT CAST(1 AS BIGINT) FROM template_images WHERE org_id = $1 AND name = $2",
            )
            .bind(org.0)
            .bind(*name)
            .fetch_optional(pool)
            .await)?;
            if found.is_none() {
                missing.push((*name).to_owned());
            }
        }
        Ok(missing)
    }
}
