//! The original of a reply or forward, and how it goes into the new draft: below the Inhoud
//! block and the writer's greeting, "Op <datum> schreef <naam>:" with the original's text quoted, or the forwarded
//! message's headers and text; the forwarded attachments as files of the draft.

use postkamer_domain::calendar::dutch_long_date;
use postkamer_domain::mail::{AddressKind, MailAddress};
use postkamer_mail::parse;
use postkamer_store::mail::MessageRecord;
use serde_json::{Value, json};

use crate::sending::Part;
use crate::{CoreError, CoreResult};

/// Lines of the original quoted at most (the rest is left out with a note).
const MAX_QUOTED_LINES: usize = 2_000;

/// What a reply or forward takes from the message it starts from.
pub(crate) struct Original {
    pub subject: String,
    pub message_id: Option<String>,
    pub references: Vec<String>,
    pub addresses: Vec<MailAddress>,
    pub date: i64,
    pub text: String,
    pub attachments: Vec<Part>,
}

impl Original {
    /// `raw`: the bytes the caller may read (`None`: only the header is stored).
    pub fn read(record: &MessageRecord, raw: Option<&[u8]>) -> Original {
        let (text, references, attachments) = match raw {
            Some(raw) => {
                let parsed = parse::parse(raw);
                let attachments = parsed
                    .attachments
                    .iter()
                    .filter_map(|a| parse::attachment(raw, a.index))
                    .map(|(info, bytes)| Part {
                        name: info.name,
                        content_type: info.content_type,
                        bytes,
                    })
                    .collect();
                (parse::body(raw).text, parsed.references, attachments)
            }
            None => (record.summary.snippet.clone(), Vec::new(), Vec::new()),
        };
        Original {
            subject: record.summary.subject.clone(),
            message_id: record.header_message_id.clone(),
            references,
            addresses: record.addresses.clone(),
            date: record.summary.date,
            text,
            attachments,
        }
    }

    /// The reply's References: the original's, then the original itself.
    pub fn references_for_reply(&self) -> Vec<String> {
        let mut references = self.references.clone();
        if let Some(id) = &self.message_id
            && !references.contains(id)
        {
            references.push(id.clone());
        }
        references
    }

    fn from(&self) -> Option<&MailAddress> {
        self.addresses.iter().find(|a| a.kind == AddressKind::From)
    }

    /// "Op 5 maart 2024 schreef Jan Jansen <jan@voorbeeld.nl>:" and the original, quoted.
    pub fn quoted(&self) -> Vec<Value> {
        let who = self.from().map_or_else(|| "de afzender".to_owned(), person);
        let intro = format!("Op {} schreef {who}:", dutch_long_date(self.date));
        vec![paragraph(&intro), blockquote(&self.text)]
    }

    /// The forwarded message's headers and text.
    pub fn forwarded(&self) -> Vec<Value> {
        let list = |kind| {
            self.addresses
                .iter()
                .filter(|a| a.kind == kind)
                .map(person)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut header = vec![
            text_node("---------- Doorgestuurd bericht ----------"),
            json!({"type": "hard_break"}),
            text_node(&format!("Van: {}", list(AddressKind::From))),
            json!({"type": "hard_break"}),
            text_node(&format!("Datum: {}", dutch_long_date(self.date))),
            json!({"type": "hard_break"}),
            text_node(&format!("Onderwerp: {}", self.subject)),
            json!({"type": "hard_break"}),
            text_node(&format!("Aan: {}", list(AddressKind::To))),
        ];
        let cc = list(AddressKind::Cc);
        if !cc.is_empty() {
            header.push(json!({"type": "hard_break"}));
            header.push(text_node(&format!("Cc: {cc}")));
        }
        let mut nodes = vec![json!({"type": "paragraph", "content": header})];
        nodes.extend(paragraphs(&self.text));
        nodes
    }
}

fn person(a: &MailAddress) -> String {
    match a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("{name} <{}>", a.email),
        None => a.email.clone(),
    }
}

/// A text node: the editor's schema has no empty text nodes and no control characters.
fn text_node(text: &str) -> Value {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    json!({"type": "text", "text": clean})
}

fn paragraph(text: &str) -> Value {
    if text.trim().is_empty() {
        json!({"type": "paragraph"})
    } else {
        json!({"type": "paragraph", "content": [text_node(text)]})
    }
}

/// One paragraph per line (at most [`MAX_QUOTED_LINES`]).
fn paragraphs(text: &str) -> Vec<Value> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Value> = lines
        .iter()
        .take(MAX_QUOTED_LINES)
        .map(|l| paragraph(l))
        .collect();
    if lines.len() > MAX_QUOTED_LINES {
        out.push(paragraph("[…]"));
    }
    if out.is_empty() {
        out.push(paragraph(""));
    }
    out
}

fn blockquote(text: &str) -> Value {
    json!({"type": "blockquote", "content": paragraphs(text)})
}

/// "Re: " before the subject, unless it has one (Re:, RE:, Antw:, Fwd: …) already.
pub(crate) fn prefixed(prefix: &str, subject: &str) -> String {
    let subject: String = subject.trim().chars().take(200).collect();
    let lower = subject.to_lowercase();
    let has = match prefix {
        "Re: " => ["re:", "antw:", "aw:"].iter().any(|p| lower.starts_with(p)),
        _ => ["fwd:", "fw:", "doorst:"]
            .iter()
            .any(|p| lower.starts_with(p)),
    };
    // A subject with braces would read as merge fields: they are written as `{{` and `}}`.
    let escaped = subject.replace('{', "{{").replace('}', "}}");
    if has {
        escaped
    } else {
        format!("{prefix}{escaped}")
    }
}

/// The document with `nodes` at its end: below the Inhoud block and the writer's greeting.
pub(crate) fn appended(body: &str, nodes: &[Value]) -> CoreResult<String> {
    let mut doc: Value = serde_json::from_str(body)
        .map_err(|e| CoreError::Internal(format!("the template's document does not read: {e}")))?;
    let Some(content) = doc.get_mut("content").and_then(Value::as_array_mut) else {
        return Err(CoreError::Internal(
            "the template's document has no content".into(),
        ));
    };
    content.extend(nodes.iter().cloned());
    Ok(doc.to_string())
}
