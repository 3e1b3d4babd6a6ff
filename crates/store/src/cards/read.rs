//! Reading the address book: its cards, all or by name, and what changed since a sync token.

use super::{CARD_COLUMNS, CardChanges, CardName, CardRecord, CardRow};
use crate::{Store, StoreResult, with_pool};
use postkamer_domain::relation::{Address, PhoneKind};
use postkamer_domain::{OrgId, PersonId};
use sqlx::AssertSqlSafe;

impl Store {
    /// The synced persons: all of them, or those with the given card names.
    pub async fn synced_cards(
        &self,
        org: OrgId,
        names: Option<&[String]>,
    ) -> StoreResult<Vec<CardRecord>> {
        if names.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        // By uid or by the phone's card name, each through its own index (a filter on the
        // COALESCE, or an OR of the two, would scan every synced person once per multiget
        // batch); the exact name is checked below.
        let filter = match names {
            None => String::new(),
            Some(names) => {
                let list = (0..names.len())
                    .map(|i| format!("${}", i + 2))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    " AND p.id IN (SELECT id FROM persons WHERE uid IN ({list}) \
                     UNION ALL SELECT id FROM persons WHERE org_id = $1 AND card_name IN ({list}))"
                )
            }
        };
        let rows = self
            .read_cards(
                org,
                CardName::Phone,
                &format!("p.synchroniseren{filter}"),
                names.unwrap_or_default(),
            )
            .await?;
        Ok(match names {
            Some(names) => rows
                .into_iter()
                .filter(|r| names.contains(&r.name))
                .collect(),
            None => rows,
        })
    }

    /// The organisation's persons meeting `condition` (SQL over `p`, with `binds` as `$2…`),
    /// as cards, by id.
    pub(crate) async fn read_cards(
        &self,
        org: OrgId,
        name: CardName,
        condition: &str,
        binds: &[String],
    ) -> StoreResult<Vec<CardRecord>> {
        let sql = format!(
            "SELECT {name} AS name, {CARD_COLUMNS} FROM persons p \
             LEFT JOIN companies c ON c.id = p.company_id \
             WHERE p.org_id = $1 AND {condition} ORDER BY p.id",
            name = name.sql()
        );
        let rows: Vec<CardRow> = with_pool!(self, |pool| {
            let mut query = sqlx::query_as(AssertSqlSafe(sql.as_str())).bind(org.0);
            for value in binds {
                query = query.bind(value);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|row| CardRecord {
                person: PersonId(row.id),
                name: row.name,
                uid: row.uid,
                first_name: row.first_name.unwrap_or_default(),
                tussenvoegsel: row.tussenvoegsel.unwrap_or_default(),
                last_name: row.last_name,
                job_title: row.job_title.unwrap_or_default(),
                company: row.company.unwrap_or_default(),
                emails: row
                    .emails
                    .iter()
                    .flat_map(|list| list.lines())
                    .filter_map(|line| {
                        let (flag, address) = line.split_at_checked(1)?;
                        Some((address.to_owned(), flag == "1"))
                    })
                    .collect(),
                phones: row
                    .phones
                    .iter()
                    .flat_map(|list| list.lines())
                    .filter_map(|line| {
                        let (kind, number) = line.split_once(':')?;
                        Some((number.to_owned(), PhoneKind::parse(kind)))
                    })
                    .collect(),
                address: Address {
                    street: row.street,
                    postal_code: row.postal_code,
                    city: row.city,
                    country: row.country,
                },
                notes: row.notes.unwrap_or_default(),
                original: row.card_original,
                updated_at: row.updated_at,
            })
            .collect())
    }

    /// The changes after `since`, or `None` when `since` is not a sequence this book reached or
    /// its log no longer goes back to it (pruned).
    pub async fn card_changes(&self, org: OrgId, since: u64) -> StoreResult<Option<CardChanges>> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        let (seq, rows): (Option<BookSeq>, Vec<(String, bool, i64)>) = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let seq: Option<(i64, i64)> =
                sqlx::query_as("SELECT seq, pruned_seq FROM card_books WHERE org_id = $1")
                    .bind(org.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let rows = sqlx::query_as(
                "SELECT card_name, removed, seq FROM card_changes \
                 WHERE org_id = $1 AND seq > $2 ORDER BY seq, id",
            )
            .bind(org.0)
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (seq, rows)
        });
        let (seq, pruned) = seq.unwrap_or((0, 0));
        // Newer than the book, or older than what the log still holds.
        if since > seq || since < pruned {
            return Ok(None);
        }
        // The last word per card name decides.
        let mut last: Vec<(String, bool)> = Vec::new();
        for (name, removed, _) in rows {
            match last.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = removed,
                None => last.push((name, removed)),
            }
        }
        let (removed, changed): (Vec<_>, Vec<_>) = last.into_iter().partition(|(_, r)| *r);
        Ok(Some(CardChanges {
            seq: u64::try_from(seq).unwrap_or(0),
            changed: changed.into_iter().map(|(n, _)| n).collect(),
            removed: removed.into_iter().map(|(n, _)| n).collect(),
        }))
    }
}

/// A book's sequence and the last one its change log was pruned to.
type BookSeq = (i64, i64);
