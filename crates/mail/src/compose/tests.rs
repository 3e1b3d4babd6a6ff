use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::*;

fn mailbox(name: &str, address: &str) -> Mailbox {
    Mailbox {
        name: (!name.is_empty()).then(|| name.to_owned()),
        address: address.to_owned(),
    }
}

fn full() -> Outgoing {
    Outgoing {
        from: Some(mailbox("Anna de Vries", "anna@voorbeeld.nl")),
        reply_to: Some(mailbox("", "info@voorbeeld.nl")),
        to: vec![mailbox("José Müller", "jose@example.com")],
        cc: vec![mailbox("", "cc@example.com")],
        bcc: vec![
            mailbox("Geheim", "bcc@example.com"),
            mailbox("", "JOSE@example.com"),
        ],
        subject: "Offerte voor café „De Drie Ëiken”".to_owned(),
        message_id: "0b1c@voorbeeld.nl".to_owned(),
        date: 1_796_630_400,
        in_reply_to: Some("parent@example.com".to_owned()),
        references: vec![
            "root@example.com".to_owned(),
            "parent@example.com".to_owned(),
        ],
        text: "Beste José,\n\nHierbij de offerte.\n".to_owned(),
        html: "<p>Beste José,</p><p><img src=\"cid:img-1.png\"></p>".to_owned(),
        inline: vec![Part {
            name: "img-1.png".to_owned(),
            content_type: "image/png".to_owned(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255],
        }],
        attachments: vec![Part {
            name: "Jaarrekening ’26 – concept.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: (0..=255u8).cycle().take(70_000).collect(),
        }],
    }
}

#[test]
fn the_structure_is_mixed_around_alternative_around_related() {
    let outgoing = full();
    let bytes = outgoing.to_mime();
    assert!(bytes.is_ascii(), "7-bit clean");
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(message.subject(), Some(outgoing.subject.as_str()));
    assert_eq!(message.message_id(), Some("0b1c@voorbeeld.nl"));
    assert_eq!(message.in_reply_to().as_text(), Some("parent@example.com"));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Anna de Vries"));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(to.name(), Some("José Müller"));
    assert_eq!(message.date().unwrap().to_timestamp(), 1_796_630_400);

    let root = &message.parts[0];
    assert_eq!(root.content_type().unwrap().subtype(), Some("mixed"));
    let kinds: Vec<String> = message
        .parts
        .iter()
        .map(|part| {
            let ct = part.content_type().unwrap();
            format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "multipart/related",
            "text/html",
            "image/png",
            "application/pdf"
        ]
    );
    assert_eq!(
        message.body_text(0).unwrap(),
        "Beste José,\r\n\r\nHierbij de offerte.\r\n"
    );
    let image = &message.parts[5];
    assert_eq!(image.content_id(), Some("img-1.png"));
    assert_eq!(image.contents(), outgoing.inline[0].bytes.as_slice());
    let pdf = &message.parts[6];
    assert_eq!(
        pdf.attachment_name(),
        Some("Jaarrekening ’26 – concept.pdf")
    );
    assert!(matches!(pdf.body, PartType::Binary(_)));
    assert_eq!(pdf.contents(), outgoing.attachments[0].bytes.as_slice());
}

#[test]
fn bcc_is_only_in_the_recipients() {
    let outgoing = full();
    let bytes = outgoing.to_mime();
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.to_ascii_lowercase().contains("\nbcc:"), "{text}");
    assert!(!text.contains("bcc@example.com"));
    assert!(
        !text.contains("charset=utf-8; charset"),
        "one charset per part: {text}"
    );
    assert_eq!(
        outgoing.recipients(),
        ["jose@example.com", "cc@example.com", "bcc@example.com"],
        "each address once, To's spelling kept"
    );
}

#[test]
fn a_text_only_message_is_one_part() {
    let outgoing = Outgoing {
        from: Some(mailbox("", "a@example.nl")),
        to: vec![mailbox("", "b@example.nl")],
        subject: "Kort".to_owned(),
        message_id: "x@example.nl".to_owned(),
        date: 0,
        text: "Hallo\n".to_owned(),
        ..Outgoing::default()
    };
    let bytes = outgoing.to_mime();
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(message.parts.len(), 1);
    assert_eq!(message.content_type().unwrap().subtype(), Some("plain"));
    assert_eq!(message.body_text(0).unwrap(), "Hallo\r\n");
}
