//! Finding Inbox, Sent and Trash among the server's mailboxes.

use async_imap::imap_proto::{MailboxListData, NameAttribute};

use super::{Folder, FolderRole};

/// One line of a LIST answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedMailbox {
    /// The mailbox name as the server sent it.
    pub name: String,
    /// The hierarchy delimiter (`/` or `.`), if the server has a hierarchy.
    pub delimiter: Option<String>,
    /// Attributes as sent, e.g. `\HasNoChildren`, `\Sent`, `\Noselect`.
    pub attributes: Vec<String>,
}

impl ListedMailbox {
    pub(crate) fn from_proto(data: &MailboxListData<'_>) -> Self {
        ListedMailbox {
            name: data.name.to_string(),
            delimiter: data.delimiter.as_ref().map(|d| d.to_string()),
            attributes: data.name_attributes.iter().map(attribute_name).collect(),
        }
    }

    fn has_attribute(&self, attribute: &str) -> bool {
        self.attributes
            .iter()
            .any(|a| a.eq_ignore_ascii_case(attribute))
    }

    fn selectable(&self) -> bool {
        !self.has_attribute("\\Noselect") && !self.has_attribute("\\NonExistent")
    }

    /// The name without an `INBOX<delimiter>` prefix (Courier, Cyrus: `INBOX.Sent`).
    fn leaf(&self) -> &str {
        let delimiter = self.delimiter.as_deref().filter(|d| !d.is_empty());
        let under_inbox = delimiter.and_then(|delimiter| {
            let head = self.name.get(..5)?;
            let rest = self.name.get(5..)?.strip_prefix(delimiter)?;
            (head.eq_ignore_ascii_case("INBOX") && !rest.is_empty()).then_some(rest)
        });
        under_inbox.unwrap_or(&self.name)
    }
}

fn attribute_name(attribute: &NameAttribute<'_>) -> String {
    let name = match attribute {
        NameAttribute::NoInferiors => "\\Noinferiors",
        NameAttribute::NoSelect => "\\Noselect",
        NameAttribute::Marked => "\\Marked",
        NameAttribute::Unmarked => "\\Unmarked",
        NameAttribute::All => "\\All",
        NameAttribute::Archive => "\\Archive",
        NameAttribute::Drafts => "\\Drafts",
        NameAttribute::Flagged => "\\Flagged",
        NameAttribute::Junk => "\\Junk",
        NameAttribute::Sent => "\\Sent",
        NameAttribute::Trash => "\\Trash",
        NameAttribute::Extension(other) => other,
        _ => "",
    };
    name.to_owned()
}

/// Names tried, in this order, when no mailbox carries the `\Sent` attribute (compared without
/// regard to case, also under `INBOX.`).
const SENT_NAMES: &[&str] = &[
    "sent",
    "sent items",
    "sent messages",
    "sent mail",
    "verzonden",
    "verzonden items",
    "verzonden berichten",
];

/// Same for `\Trash`.
const TRASH_NAMES: &[&str] = &[
    "trash",
    "deleted items",
    "deleted messages",
    "deleted",
    "prullenbak",
    "verwijderde items",
    "verwijderde berichten",
];

/// Picks Inbox, Sent and Trash from a LIST answer, in that order; a role that cannot be found is
/// left out.
///
/// Inbox is `INBOX` (any case). Sent and Trash are the first selectable mailbox with the RFC 6154
/// `\Sent` / `\Trash` attribute; without one, the first of the usual names, in English and Dutch
/// (Sent, Sent Items, Sent Messages, Sent Mail, Verzonden, Verzonden items, Verzonden berichten;
/// Trash, Deleted Items, Deleted Messages, Deleted, Prullenbak, Verwijderde items, Verwijderde
/// berichten), at top level or directly under INBOX. One mailbox never gets two roles.
pub fn pick_folders(listed: &[ListedMailbox]) -> Vec<Folder> {
    let usable: Vec<&ListedMailbox> = listed.iter().filter(|m| m.selectable()).collect();
    let mut taken: Vec<&str> = Vec::new();
    let mut folders = Vec::new();

    if let Some(inbox) = usable.iter().find(|m| m.name.eq_ignore_ascii_case("INBOX")) {
        taken.push(&inbox.name);
        folders.push(Folder {
            role: FolderRole::Inbox,
            name: inbox.name.clone(),
        });
    }
    for (role, attribute, names) in [
        (FolderRole::Sent, "\\Sent", SENT_NAMES),
        (FolderRole::Trash, "\\Trash", TRASH_NAMES),
    ] {
        let free = |m: &&&ListedMailbox| !taken.contains(&m.name.as_str());
        let by_attribute = usable
            .iter()
            .filter(free)
            .find(|m| m.has_attribute(attribute));
        let by_name = || {
            names.iter().find_map(|wanted| {
                usable
                    .iter()
                    .filter(free)
                    .find(|m| m.leaf().to_lowercase() == *wanted)
            })
        };
        if let Some(found) = by_attribute.or_else(by_name) {
            taken.push(&found.name);
            folders.push(Folder {
                role,
                name: found.name.clone(),
            });
        }
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(name: &str, delimiter: &str, attributes: &[&str]) -> ListedMailbox {
        ListedMailbox {
            name: name.to_owned(),
            delimiter: Some(delimiter.to_owned()),
            attributes: attributes.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    fn picked(listed: &[ListedMailbox]) -> Vec<(FolderRole, String)> {
        pick_folders(listed)
            .into_iter()
            .map(|f| (f.role, f.name))
            .collect()
    }

    fn all(inbox: &str, sent: &str, trash: &str) -> Vec<(FolderRole, String)> {
        vec![
            (FolderRole::Inbox, inbox.to_owned()),
            (FolderRole::Sent, sent.to_owned()),
            (FolderRole::Trash, trash.to_owned()),
        ]
    }

    #[test]
    fn special_use_attributes_win_over_names() {
        let listed = [
            mailbox("Sent", "/", &["\\HasNoChildren"]),
            mailbox("Trash", "/", &[]),
            mailbox("INBOX", "/", &["\\HasNoChildren"]),
            mailbox("Sent Messages", "/", &["\\sent"]),
            mailbox("Bin", "/", &["\\Trash", "\\HasNoChildren"]),
        ];
        assert_eq!(picked(&listed), all("INBOX", "Sent Messages", "Bin"));
    }

    #[test]
    fn gmail() {
        let listed = [
            mailbox("INBOX", "/", &["\\HasNoChildren"]),
            mailbox("[Gmail]", "/", &["\\Noselect", "\\HasChildren"]),
            mailbox("[Gmail]/Sent Mail", "/", &["\\HasNoChildren", "\\Sent"]),
            mailbox("[Gmail]/Bin", "/", &["\\HasNoChildren", "\\Trash"]),
        ];
        assert_eq!(
            picked(&listed),
            all("INBOX", "[Gmail]/Sent Mail", "[Gmail]/Bin")
        );
    }

    #[test]
    fn by_name_without_special_use() {
        let outlook = [
            mailbox("Inbox", "/", &[]),
            mailbox("Sent Items", "/", &[]),
            mailbox("Deleted Items", "/", &[]),
        ];
        assert_eq!(
            picked(&outlook),
            all("Inbox", "Sent Items", "Deleted Items")
        );

        let dutch = [
            mailbox("INBOX", "/", &[]),
            mailbox("Verzonden items", "/", &[]),
            mailbox("Verwijderde items", "/", &[]),
        ];
        assert_eq!(
            picked(&dutch),
            all("INBOX", "Verzonden items", "Verwijderde items")
        );

        let dutch_short = [
            mailbox("INBOX", "/", &[]),
            mailbox("VERZONDEN", "/", &[]),
            mailbox("Prullenbak", "/", &[]),
        ];
        assert_eq!(
            picked(&dutch_short),
            all("INBOX", "VERZONDEN", "Prullenbak")
        );

        let apple = [
            mailbox("INBOX", "/", &[]),
            mailbox("Deleted Messages", "/", &[]),
            mailbox("Sent Messages", "/", &[]),
        ];
        assert_eq!(
            picked(&apple),
            all("INBOX", "Sent Messages", "Deleted Messages")
        );
    }

    #[test]
    fn under_inbox_with_dot_delimiter() {
        let courier = [
            mailbox("INBOX", ".", &["\\HasChildren"]),
            mailbox("INBOX.Drafts", ".", &[]),
            mailbox("INBOX.Sent", ".", &[]),
            mailbox("INBOX.Trash", ".", &[]),
        ];
        assert_eq!(picked(&courier), all("INBOX", "INBOX.Sent", "INBOX.Trash"));
    }

    #[test]
    fn name_order_and_no_deep_matches() {
        // "sent" comes before "sent items" in the list of names, whatever the LIST order.
        let listed = [
            mailbox("INBOX", "/", &[]),
            mailbox("Sent Items", "/", &[]),
            mailbox("Sent", "/", &[]),
            mailbox("Projects/Trash", "/", &[]),
        ];
        assert_eq!(
            picked(&listed),
            vec![
                (FolderRole::Inbox, "INBOX".to_owned()),
                (FolderRole::Sent, "Sent".to_owned()),
            ]
        );
    }

    #[test]
    fn unselectable_and_missing() {
        let listed = [
            mailbox("INBOX", ".", &[]),
            mailbox("INBOX.Sent", ".", &["\\Noselect"]),
            mailbox("Trash", ".", &["\\NonExistent", "\\Trash"]),
        ];
        assert_eq!(
            picked(&listed),
            vec![(FolderRole::Inbox, "INBOX".to_owned())]
        );
        assert!(pick_folders(&[]).is_empty());
    }

    #[test]
    fn one_mailbox_one_role() {
        // A server that marks one mailbox both \Sent and \Trash: it becomes Sent only.
        let listed = [
            mailbox("INBOX", "/", &[]),
            mailbox("Everything", "/", &["\\Sent", "\\Trash"]),
        ];
        assert_eq!(
            picked(&listed),
            vec![
                (FolderRole::Inbox, "INBOX".to_owned()),
                (FolderRole::Sent, "Everything".to_owned()),
            ]
        );
    }
}
