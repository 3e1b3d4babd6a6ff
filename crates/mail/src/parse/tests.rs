use super::*;

const MULTIPART: &[u8] = b"From: =?UTF-8?Q?Jo=C3=ABlle_de_Vr=C3=AEs?= <Joelle@Voorbeeld.NL>\r\n\
To: \"Piet Bakker\" <piet@bakker.nl>, kees@example.com\r\n\
Cc: Team <TEAM@voorbeeld.nl>\r\n\
Reply-To: antwoord@voorbeeld.nl\r\n\
Subject: =?ISO-8859-1?Q?Offerte_f=FCr_caf=E9?=\r\n\
Date: Tue, 3 Nov 2026 10:15:00 +0100\r\n\
Message-ID: <abc.123@voorbeeld.nl>\r\n\
In-Reply-To: <root@voorbeeld.nl>\r\n\
References: <root@voorbeeld.nl> <mid@voorbeeld.nl>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: multipart/alternative; boundary=\"b2\"\r\n\
\r\n\
--b2\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Beste Piet,=0D=0A=0D=0AHierbij de offerte voor het caf=C3=A9.\r\n\
--b2\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Beste Piet,</p><p>Hierbij de offerte voor het caf\xc3\xa9.</p><script>x()</script>\r\n\
--b2--\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"offerte 2026.pdf\"\r\n\
Content-Disposition: attachment; filename=\"../../offerte 2026.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1--\r\n";

#[test]
fn multipart_message_with_encoded_headers() {
    let parsed = parse(MULTIPART);
    assert_eq!(parsed.subject, "Offerte für café");
    assert_eq!(parsed.message_id.as_deref(), Some("abc.123@voorbeeld.nl"));
    assert_eq!(parsed.thread_key, "root@voorbeeld.nl");
    assert_eq!(parsed.date, Some(1_793_697_300_000));
    let from = parsed.from().expect("from");
    assert_eq!(from.email, "joelle@voorbeeld.nl");
    assert_eq!(from.name.as_deref(), Some("Joëlle de Vrîs"));
    let emails: Vec<(AddressKind, &str)> = parsed
        .addresses
        .iter()
        .map(|a| (a.kind, a.email.as_str()))
        .collect();
    assert_eq!(
        emails,
        [
            (AddressKind::From, "joelle@voorbeeld.nl"),
            (AddressKind::To, "piet@bakker.nl"),
            (AddressKind::To, "kees@example.com"),
            (AddressKind::Cc, "team@voorbeeld.nl"),
            (AddressKind::ReplyTo, "antwoord@voorbeeld.nl"),
        ]
    );
    assert!(
        parsed.body_text.contains("offerte voor het café"),
        "{}",
        parsed.body_text
    );
    assert!(
        parsed.snippet.starts_with("Beste Piet, Hierbij"),
        "{}",
        parsed.snippet
    );
    assert_eq!(parsed.attachments.len(), 1);
    assert_eq!(parsed.attachments[0].name, "offerte 2026.pdf");
    assert_eq!(parsed.attachments[0].content_type, "application/pdf");
    assert_eq!(parsed.attachments[0].size, 9);
    assert_eq!(parsed.size, MULTIPART.len() as u64);
    assert_eq!(parsed.content_hash, content_hash(MULTIPART));

    let body = body(MULTIPART);
    assert!(
        body.html
            .as_deref()
            .is_some_and(|h| h.contains("<p>Beste Piet,</p>"))
    );
    let (info, bytes) = attachment(MULTIPART, 0).expect("attachment");
    assert_eq!(bytes, b"%PDF-1.4\n");
    assert_eq!(info.name, "offerte 2026.pdf");
    assert!(attachment(MULTIPART, 1).is_none());
}

#[test]
fn thread_key_falls_back_to_in_reply_to_then_own_id() {
    let reply = parse(b"Message-ID: <r@x>\r\nIn-Reply-To: <o@x>\r\nSubject: Re: a\r\n\r\nok\r\n");
    assert_eq!(reply.thread_key, "o@x");
    let original = parse(b"Message-ID: <o@x>\r\nSubject: a\r\n\r\nok\r\n");
    assert_eq!(original.thread_key, "o@x");
    let anonymous = parse(b"Subject: a\r\n\r\nok\r\n");
    assert_eq!(anonymous.thread_key, anonymous.content_hash);
}

#[test]
fn garbage_never_panics_and_keeps_what_it_can() {
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\r\n\r\n".to_vec(),
        b"From: <<<@@@>>>\r\nTo: ;;;,,,\r\nSubject: =?utf-8?B?!!!?=\r\n\r\nx".to_vec(),
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x\r\n--x--".to_vec(),
        b"Content-Type: text/plain; charset=unknown-8\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64@@@".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80, b'\n', b'\n', 0xc3],
        b"Subject: a\r\nDate: 99 Foo 99999 99:99:99 +9999\r\n\r\n".to_vec(),
        b"To: undisclosed-recipients:;\r\nSubject: hi\r\n\r\nbody".to_vec(),
    ];
    for raw in inputs {
        let parsed = parse(&raw);
        assert_eq!(parsed.size, raw.len() as u64);
        assert_eq!(parsed.content_hash.len(), 64);
        let _ = body(&raw);
        let _ = attachment(&raw, 0);
    }
}

#[test]
fn header_injection_stays_one_header() {
    let raw = b"From: a@x.nl\r\nSubject: =?utf-8?Q?Hallo=0D=0ABcc:_victim@x.nl?=\r\n\r\nbody";
    let parsed = parse(raw);
    assert!(parsed.addresses.iter().all(|a| a.email != "victim@x.nl"));
    assert!(parsed.subject.contains("Hallo"));
}

#[test]
fn five_hundred_recipients_are_all_kept() {
    let mut raw = String::from("From: a@x.nl\r\nTo: ");
    raw.push_str(
        &(0..500)
            .map(|i| format!("r{i}@ontvanger.nl"))
            .collect::<Vec<_>>()
            .join(",\r\n "),
    );
    raw.push_str("\r\nSubject: veel\r\n\r\nhallo");
    let parsed = parse(raw.as_bytes());
    assert_eq!(
        parsed
            .addresses
            .iter()
            .filter(|a| a.kind == AddressKind::To)
            .count(),
        500
    );
}

#[test]
fn long_bodies_are_cut_for_the_index_at_a_char_boundary() {
    let body = "é".repeat(INDEXED_BODY_BYTES);
    let raw = format!("Subject: lang\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}");
    let parsed = parse(raw.as_bytes());
    assert!(parsed.body_text.len() <= INDEXED_BODY_BYTES);
    assert!(parsed.body_text.len() > INDEXED_BODY_BYTES - 4);
    assert!(parsed.snippet.chars().count() <= SNIPPET_CHARS + 1);
}

#[test]
fn html_only_multipart_has_an_html_body() {
    let raw = b"From: a@x.nl\r\nSubject: nieuwsbrief\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hallo</p>\r\n--b\r\n\
Content-Type: text/plain; name=\"notities.txt\"\r\nContent-Disposition: attachment; filename=\"notities.txt\"\r\n\r\nregel een\r\n--b--\r\n";
    let b = body(raw);
    assert!(
        b.html.as_deref().is_some_and(|h| h.contains("Hallo")),
        "{b:?}"
    );
    assert!(b.text.contains("Hallo"), "{b:?}");
    assert_eq!(parse(raw).attachments.len(), 1);
}
