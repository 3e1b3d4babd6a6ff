//! What the server says it can do.

use std::collections::BTreeSet;

/// What the server says it can do (CAPABILITY after login).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// IDLE (RFC 2177): push notification of new mail.
    pub has_idle: bool,
    /// CONDSTORE (RFC 7162): mod-sequences, `CHANGEDSINCE`. QRESYNC implies it.
    pub has_condstore: bool,
    /// QRESYNC (RFC 7162): enabled at login; expunges since a mod-sequence in one command.
    pub has_qresync: bool,
    /// MOVE (RFC 6851).
    pub has_move: bool,
    /// UIDPLUS (RFC 4315): `UID EXPUNGE`, COPYUID, APPENDUID.
    pub has_uidplus: bool,
    /// SPECIAL-USE (RFC 6154): `\Sent`, `\Trash` ... on mailboxes.
    pub has_special_use: bool,
    /// Every name the server announced, upper-cased.
    names: BTreeSet<String>,
}

impl Capabilities {
    fn from_names(names: BTreeSet<String>) -> Self {
        let has = |name: &str| names.contains(name);
        Capabilities {
            has_idle: has("IDLE"),
            has_condstore: has("CONDSTORE") || has("QRESYNC"),
            has_qresync: has("QRESYNC"),
            has_move: has("MOVE"),
            has_uidplus: has("UIDPLUS"),
            has_special_use: has("SPECIAL-USE"),
            names,
        }
    }

    /// Whether the server announced `name` (any case), e.g. `"LIST-EXTENDED"`.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains(&name.to_ascii_uppercase())
    }

    /// All names, upper-cased and sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    pub(super) fn from_lib(capabilities: &async_imap::types::Capabilities) -> Self {
        use async_imap::types::Capability;
        let names = capabilities
            .iter()
            .map(|capability| match capability {
                Capability::Imap4rev1 => "IMAP4REV1".to_owned(),
                Capability::Auth(mechanism) => format!("AUTH={}", mechanism.to_ascii_uppercase()),
                Capability::Atom(atom) => atom.to_ascii_uppercase(),
            })
            .collect();
        Capabilities::from_names(names)
    }

    pub(super) fn from_proto(capabilities: &[async_imap::imap_proto::Capability<'_>]) -> Self {
        use async_imap::imap_proto::Capability;
        let names = capabilities
            .iter()
            .map(|capability| match capability {
                Capability::Imap4rev1 => "IMAP4REV1".to_owned(),
                Capability::Auth(mechanism) => format!("AUTH={}", mechanism.to_ascii_uppercase()),
                Capability::Atom(atom) => atom.to_ascii_uppercase(),
            })
            .collect();
        Capabilities::from_names(names)
    }

    pub(super) fn without(&self, name: &str) -> Self {
        let mut names = self.names.clone();
        names.remove(&name.to_ascii_uppercase());
        Capabilities::from_names(names)
    }
}
