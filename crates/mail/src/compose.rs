//! Outgoing messages as MIME (mail-builder): text and HTML as multipart/alternative, the HTML's
//! inline images with it in multipart/related, attachments around both in multipart/mixed.
//! Names, subjects and file names outside ASCII are encoded (RFC 2047, RFC 2231) by
//! mail-builder. Bcc recipients are in the envelope only, never in a header.

use std::borrow::Cow;

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::message_id::MessageId;
use mail_builder::mime::MimePart;

/// A name and an address, as in `From: Anna de Vries <anna@example.nl>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    fn header(&self) -> Address<'_> {
        Address::new_address(
            self.name.as_deref().filter(|name| !name.trim().is_empty()),
            self.address.as_str(),
        )
    }
}

/// A file sent with the message, or an image the HTML shows (`cid:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The file name of an attachment, the Content-ID (without `<>`) of an inline image.
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Everything a message to be sent consists of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub from: Option<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// In the envelope only.
    pub bcc: Vec<Mailbox>,
    pub subject: String,
    /// Without the angle brackets: `<uuid>@<domain of From>`.
    pub message_id: String,
    /// Unix seconds.
    pub date: i64,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub text: String,
    /// Empty for a text-only message.
    pub html: String,
    pub inline: Vec<Part>,
    pub attachments: Vec<Part>,
}

impl Outgoing {
    /// The message as RFC 5322 bytes with CRLF line ends, 7-bit clean.
    /// (mail-builder gives text parts `charset=utf-8` itself.)
    pub fn to_mime(&self) -> Vec<u8> {
        let mut builder = MessageBuilder::new()
            .message_id(self.message_id.as_str())
            .date(self.date)
            .subject(self.subject.as_str());
        if let Some(from) = &self.from {
            builder = builder.from(from.header());
        }
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.header());
        }
        if !self.to.is_empty() {
            builder = builder.to(list(&self.to));
        }
        if !self.cc.is_empty() {
            builder = builder.cc(list(&self.cc));
        }
        if let Some(parent) = &self.in_reply_to {
            builder = builder.in_reply_to(parent.as_str());
        }
        if !self.references.is_empty() {
            builder = builder.references(MessageId::new_list(
                self.references.iter().map(String::as_str),
            ));
        }
        let mut message = Vec::with_capacity(self.estimated_len());
        builder
            .body(self.body())
            .write_to(&mut message)
            .expect("writing to a Vec cannot fail");
        message
    }

    /// Every address the message goes to (To, Cc, Bcc), each once.
    pub fn recipients(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .filter(|mailbox| seen.insert(mailbox.address.to_ascii_lowercase()))
            .map(|mailbox| mailbox.address.clone())
            .collect()
    }

    fn body(&self) -> MimePart<'_> {
        let text = MimePart::new("text/plain", self.text.as_str());
        let content = if self.html.is_empty() {
            text
        } else {
            let html = MimePart::new("text/html", self.html.as_str());
            let html = if self.inline.is_empty() {
                html
            } else {
                let mut parts = vec![html];
                parts.extend(self.inline.iter().map(|image| {
                    MimePart::new(image.content_type.as_str(), image.bytes.as_slice())
                        .inline()
                        .cid(image.name.as_str())
                }));
                MimePart::new("multipart/related", parts)
            };
            MimePart::new("multipart/alternative", vec![text, html])
        };
        if self.attachments.is_empty() {
            return content;
        }
        let mut parts = vec![content];
        parts.extend(self.attachments.iter().map(|file| {
            MimePart::new(file.content_type.as_str(), file.bytes.as_slice())
                .attachment(Cow::Borrowed(file.name.as_str()))
        }));
        MimePart::new("multipart/mixed", parts)
    }

    fn estimated_len(&self) -> usize {
        let binary: usize = self
            .inline
            .iter()
            .chain(&self.attachments)
            .map(|part| part.bytes.len() * 4 / 3 + 200)
            .sum();
        2048 + self.text.len() * 2 + self.html.len() * 2 + binary
    }
}

fn list(mailboxes: &[Mailbox]) -> Address<'_> {
    Address::new_list(mailboxes.iter().map(Mailbox::header).collect())
}

#[cfg(test)]
mod tests;
