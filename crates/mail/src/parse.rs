//! One raw RFC 5322 message into what the CRM stores and shows. Parsing never fails: a message
//! mail-parser cannot make sense of is still stored (its raw bytes are the truth) with what could
//! be read, an empty subject at worst.

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders, PartType};
use postkamer_domain::EmailAddress;
use postkamer_domain::mail::{AddressKind, AttachmentInfo, MailAddress};
use sha2::{Digest, Sha256};

mod copies;

pub use copies::{display_key, without_recipient_headers};

/// The longest snippet shown in lists.
const SNIPPET_CHARS: usize = 160;
/// How much body text goes into the full-text index. Longer texts are cut at a character
/// boundary: the start of a mail is what people search for.
pub const INDEXED_BODY_BYTES: usize = 64 * 1024;
/// Addresses kept per message. A message to 500 recipients keeps them all; this only stops a
/// pathological header from filling the database.
const MAX_ADDRESSES: usize = 2000;

/// The fields of a message the CRM stores next to its raw bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedMessage {
    /// SHA-256 of the raw bytes, hex: the same message in two folders or two users' mailboxes
    /// is stored once.
    pub content_hash: String,
    /// What a reader sees of it ([`display_key`]): copies of one message share it.
    pub display_key: String,
    pub message_id: Option<String>,
    /// The conversation this message belongs to: the first Message-ID of References, else
    /// In-Reply-To, else its own Message-ID (else its hash). Replies share it with the original
    /// whichever arrives first.
    pub thread_key: String,
    /// The References header's Message-IDs (without angle brackets), oldest first: what a reply
    /// carries on, with this message's own.
    pub references: Vec<String>,
    pub subject: String,
    /// The Date header as Unix milliseconds, when present and plausible.
    pub date: Option<i64>,
    pub addresses: Vec<MailAddress>,
    pub snippet: String,
    /// Plain text for the full-text index (at most [`INDEXED_BODY_BYTES`]).
    pub body_text: String,
    pub attachments: Vec<AttachmentInfo>,
    pub size: u64,
}

impl ParsedMessage {
    pub fn from(&self) -> Option<&MailAddress> {
        self.addresses.iter().find(|a| a.kind == AddressKind::From)
    }
}

/// The body of a message, for the message view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    pub text: String,
    /// The raw (unsanitised) HTML part, if any: pass it through [`crate::html::sanitize`].
    pub html: Option<String>,
}

pub fn content_hash(raw: &[u8]) -> String {
    hex::encode(Sha256::digest(raw))
}

pub fn parse(raw: &[u8]) -> ParsedMessage {
    let hash = content_hash(raw);
    let display_key = display_key(raw);
    let size = raw.len() as u64;
    let Some(message) = MessageParser::default().parse(raw) else {
        return ParsedMessage {
            thread_key: hash.clone(),
            content_hash: hash,
            display_key,
            message_id: None,
            references: Vec::new(),
            subject: String::new(),
            date: None,
            addresses: Vec::new(),
            snippet: String::new(),
            body_text: String::new(),
            attachments: Vec::new(),
            size,
        };
    };

    let message_id = message
        .message_id()
        .map(clean_id)
        .filter(|id| !id.is_empty());
    let references = id_list(message.references());
    let in_reply_to = id_list(message.in_reply_to());
    let thread_key = references
        .first()
        .cloned()
        .or_else(|| in_reply_to.into_iter().next())
        .or_else(|| message_id.clone())
        .unwrap_or_else(|| hash.clone());

    let mut addresses = Vec::new();
    for (kind, address) in [
        (AddressKind::From, message.from()),
        (AddressKind::To, message.to()),
        (AddressKind::Cc, message.cc()),
        (AddressKind::ReplyTo, message.reply_to()),
        (AddressKind::Bcc, message.bcc()),
    ] {
        if let Some(address) = address {
            collect_addresses(kind, address, &mut addresses);
        }
    }

    let body_text = message
        .body_text(0)
        .map(|text| truncate_bytes(&text, INDEXED_BODY_BYTES).to_owned())
        .unwrap_or_default();
    let snippet = snippet_of(&body_text);

    let date = message
        .date()
        .filter(|d| d.is_valid())
        .map(|d| d.to_timestamp().saturating_mul(1000));

    let attachments = message
        .attachments()
        .enumerate()
        .map(|(index, part)| AttachmentInfo {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            name: attachment_name(part, index),
            content_type: content_type_of(part),
            size: part.contents().len() as u64,
        })
        .collect();

    ParsedMessage {
        content_hash: hash,
        display_key,
        message_id,
        thread_key,
        references,
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        date,
        addresses,
        snippet,
        body_text,
        attachments,
        size,
    }
}

/// The text and (raw) HTML body of a message.
pub fn body(raw: &[u8]) -> Body {
    let Some(message) = MessageParser::default().parse(raw) else {
        return Body {
            text: String::from_utf8_lossy(raw).into_owned(),
            html: None,
        };
    };
    let html = (message.html_body_count() > 0
        && message
            .html_part(0)
            .is_some_and(|part| matches!(part.body, PartType::Html(_))))
    .then(|| message.body_html(0).map(|h| h.into_owned()))
    .flatten();
    Body {
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html,
    }
}

/// One attachment's file name, content type and decoded bytes.
pub fn attachment(raw: &[u8], index: u32) -> Option<(AttachmentInfo, Vec<u8>)> {
    let message = MessageParser::default().parse(raw)?;
    let position = usize::try_from(index).ok()?;
    let part = message.attachments().nth(position)?;
    let bytes = match &part.body {
        PartType::Message(inner) => inner.raw_message().to_vec(),
        _ => part.contents().to_vec(),
    };
    Some((
        AttachmentInfo {
            index,
            name: attachment_name(part, position),
            content_type: content_type_of(part),
            size: bytes.len() as u64,
        },
        bytes,
    ))
}

fn collect_addresses(kind: AddressKind, address: &Address<'_>, out: &mut Vec<MailAddress>) {
    for addr in address.iter() {
        if out.len() >= MAX_ADDRESSES {
            return;
        }
        let Some(email) = addr.address().map(str::trim).filter(|a| !a.is_empty()) else {
            continue;
        };
        let email = EmailAddress::parse(email)
            .map(|e| e.as_str().to_owned())
            .unwrap_or_else(|_| email.to_lowercase());
        let name = addr
            .name()
            .map(|n| n.trim().trim_matches(['"', '\'']).trim().to_owned())
            .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&email));
        if out.iter().any(|a| a.kind == kind && a.email == email) {
            continue;
        }
        out.push(MailAddress { kind, email, name });
    }
}

fn id_list(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![clean_id(id)],
        HeaderValue::TextList(ids) => ids.iter().map(|id| clean_id(id)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|id| !id.is_empty())
    .collect()
}

fn clean_id(id: &str) -> String {
    id.trim().trim_matches(['<', '>']).to_owned()
}

fn attachment_name(part: &mail_parser::MessagePart<'_>, index: usize) -> String {
    part.attachment_name()
        .map(|name| {
            // A file name is shown and offered as download name: no paths, no control characters.
            name.rsplit(['/', '\\'])
                .next()
                .unwrap_or(name)
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| match &part.body {
            PartType::Message(inner) => inner
                .subject()
                .map(|s| format!("{s}.eml"))
                .unwrap_or_else(|| format!("bijlage-{}.eml", index + 1)),
            _ => format!("bijlage-{}", index + 1),
        })
}

fn content_type_of(part: &mail_parser::MessagePart<'_>) -> String {
    part.content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
        .map(|ct| ct.to_ascii_lowercase())
        .filter(|ct| {
            ct.len() <= 100
                && ct
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/+-.".contains(&b))
        })
        .unwrap_or_else(|| match &part.body {
            PartType::Message(_) => "message/rfc822".to_owned(),
            _ => "application/octet-stream".to_owned(),
        })
}

fn snippet_of(text: &str) -> String {
    let mut snippet = String::new();
    let mut count = 0;
    for word in text
        .lines()
        .filter(|line| !line.trim_start().starts_with('>'))
        .flat_map(str::split_whitespace)
    {
        if count + word.chars().count() + 1 > SNIPPET_CHARS {
            snippet.push('…');
            break;
        }
        if !snippet.is_empty() {
            snippet.push(' ');
            count += 1;
        }
        snippet.push_str(word);
        count += word.chars().count();
    }
    snippet
}

/// `text` cut to at most `max` bytes at a character boundary.
pub fn truncate_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests;
