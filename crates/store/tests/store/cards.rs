//! Relation sync: the change log behind sync tokens (kept by database triggers on both engines),
//! the synced cards with their children, phones' cards, app passwords and devices.

#[path = "cards/pruning.rs"]
pub(crate) mod pruning;
#[path = "cards/selections.rs"]
pub(crate) mod selections;
#[path = "cards/sync.rs"]
pub(crate) mod sync;
