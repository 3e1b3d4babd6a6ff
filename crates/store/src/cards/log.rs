//! Pruning the change logs that sync tokens count on (the marked-for-sync book's card changes,
//! the selection books' person changes). A book keeps the last sequence it pruned: a token
//! older than that no longer names a state the log can bring up to date.

use crate::sql::Statement;
use crate::{Store, StoreResult};

/// Each log and its book: (log table, book table).
const LOGS: [(&str, &str); 2] = [
    ("card_changes", "card_books"),
    ("person_changes", "person_books"),
];

impl Store {
    /// Drops the changes logged before `before` (Unix milliseconds) from both logs, in one
    /// transaction; returns how many were dropped.
    pub async fn prune_change_logs(&self, before: i64) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut dropped = 0;
        for (log, book) in LOGS {
            let floor = format!(
                "UPDATE {book} SET pruned_seq = \
                   (SELECT MAX(c.seq) FROM {log} c WHERE c.org_id = {book}.org_id AND c.changed_at < $1) \
                 WHERE EXISTS \
                   (SELECT 1 FROM {log} c WHERE c.org_id = {book}.org_id AND c.changed_at < $1)"
            );
            tx.execute(Statement::new(floor).bind(before)).await?;
            let drop = format!("DELETE FROM {log} WHERE changed_at < $1");
            dropped += tx.execute(Statement::new(drop).bind(before)).await?;
        }
        tx.commit().await?;
        Ok(dropped)
    }
}
