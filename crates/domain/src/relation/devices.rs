//! Relation sync's credentials and clients as their owner sees them: app passwords (never the
//! secret) and the devices that synced.

/// An app password as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPassword {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A device that synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub user_agent: String,
    pub app_password: Option<String>,
    pub last_seen_at: i64,
}
