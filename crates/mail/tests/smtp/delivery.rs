//! Delivering messages: the secure connection modes, AUTH, refusals per recipient, faults.

use postkamer_domain::mail::TlsMode;
use postkamer_mail::compose::{Mailbox, Outgoing};
use postkamer_mail::smtp::{SmtpError, SmtpStep, check, deliver};

use crate::server::{marker, received, server};

fn message(marker: &str, to: &[&str]) -> Vec<u8> {
    Outgoing {
        from: Some(Mailbox {
            name: Some("Anna de Vries".to_owned()),
            address: "anna@postkamer.test".to_owned(),
        }),
        to: to
            .iter()
            .map(|a| Mailbox {
                name: None,
                address: (*a).to_owned(),
            })
            .collect(),
        subject: format!("Offerte {marker}"),
        message_id: format!("{marker}@postkamer.test"),
        date: 1_796_630_400,
        text: "Beste klant,\n\nZie bijlage.\n".to_owned(),
        html: "<p>Beste klant,</p>".to_owned(),
        ..Outgoing::default()
    }
    .to_mime()
}

#[tokio::test]
async fn every_connection_mode_delivers_the_exact_bytes_with_the_envelope() {
    for (tls, listener) in [
        (TlsMode::StartTls, "starttls"),
        (TlsMode::Tls, "tls"),
        (TlsMode::None, "plain"),
    ] {
        let mark = marker(listener);
        let bytes = message(&mark, &["klant@example.com"]);
        let recipients = vec![
            "klant@example.com".to_owned(),
            "stil@example.com".to_owned(),
        ];
        let delivery = deliver(&server(tls), "bounce@postkamer.test", &recipients, &bytes)
            .await
            .unwrap();
        assert_eq!(delivery.accepted, recipients);
        assert!(delivery.refused.is_empty());
        let got = received(&mark, 1);
        assert_eq!(got[0].bytes, bytes, "byte-identical over {listener}");
        assert_eq!(got[0].mail_from, "bounce@postkamer.test");
        assert_eq!(
            got[0].rcpt_tos, recipients,
            "Bcc-style recipient in the envelope"
        );
        assert_eq!(got[0].listener, listener);
    }
}

#[tokio::test]
async fn a_refused_recipient_is_reported_alone_and_the_others_get_the_message() {
    let mark = marker("refused");
    let bytes = message(&mark, &["a@example.com"]);
    let recipients = vec![
        "a@example.com".to_owned(),
        "refuse-b@example.com".to_owned(),
        "busy-c@example.com".to_owned(),
    ];
    let delivery = deliver(
        &server(TlsMode::StartTls),
        "s@postkamer.test",
        &recipients,
        &bytes,
    )
    .await
    .unwrap();
    assert_eq!(delivery.accepted, ["a@example.com"]);
    let refused: Vec<(&str, u16, bool)> = delivery
        .refused
        .iter()
        .map(|(r, reply)| (r.as_str(), reply.code, reply.is_permanent()))
        .collect();
    assert_eq!(
        refused,
        [
            ("refuse-b@example.com", 550, true),
            ("busy-c@example.com", 451, false)
        ]
    );
    assert!(
        delivery.refused[0].1.explain_nl().contains("bestaat niet"),
        "{}",
        delivery.refused[0].1.explain_nl()
    );
    let got = received(&mark, 1);
    assert_eq!(got[0].rcpt_tos, ["a@example.com"]);
}

#[tokio::test]
async fn when_every_recipient_is_refused_nothing_is_sent() {
    let mark = marker("none");
    let bytes = message(&mark, &["refuse-x@example.com"]);
    let delivery = deliver(
        &server(TlsMode::StartTls),
        "s@postkamer.test",
        &["refuse-x@example.com".to_owned()],
        &bytes,
    )
    .await
    .unwrap();
    assert!(delivery.accepted.is_empty());
    assert_eq!(delivery.refused.len(), 1);
    received(&mark, 0);
}

#[tokio::test]
async fn a_refusal_at_data_is_permanent_and_a_deferral_is_not() {
    for (local, code, permanent) in [("reject", 554, true), ("defer", 451, false)] {
        let to = format!("{local}-x@example.com");
        let mark = marker(local);
        let error = deliver(
            &server(TlsMode::StartTls),
            "s@postkamer.test",
            std::slice::from_ref(&to),
            &message(&mark, &[&to]),
        )
        .await
        .unwrap_err();
        match &error {
            SmtpError::Refused { step, reply } => {
                assert_eq!(*step, SmtpStep::Message);
                assert_eq!(reply.code, code);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(error.is_permanent(), permanent, "{error}");
        received(&mark, 0);
    }
}

#[tokio::test]
async fn a_wrong_password_and_a_closed_port_say_what_is_wrong() {
    let mut wrong = server(TlsMode::StartTls);
    wrong.credentials = Some(("sender".to_owned(), "fout".to_owned()));
    let error = check(&wrong).await.unwrap_err();
    assert!(
        matches!(&error, SmtpError::Refused { step: SmtpStep::Auth, reply } if reply.code == 535),
        "{error:?}"
    );
    assert!(
        error.message_nl().contains("wachtwoord"),
        "{}",
        error.message_nl()
    );
    assert!(!error.message_nl().contains("fout"));
    assert!(error.is_permanent());

    let mut closed = server(TlsMode::StartTls);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    closed.port = listener.local_addr().unwrap().port();
    drop(listener);
    let error = check(&closed).await.unwrap_err();
    assert!(matches!(error, SmtpError::Connect(_)), "{error:?}");
    assert!(!error.is_permanent(), "a server that is down may come back");
    assert!(
        error.message_nl().starts_with("Geen verbinding"),
        "{}",
        error.message_nl()
    );
}

#[tokio::test]
async fn tls_is_checked_and_plain_text_is_for_loopback_only() {
    let mut untrusted = server(TlsMode::Tls);
    untrusted.extra_roots.clear();
    let error = check(&untrusted).await.unwrap_err();
    assert!(
        matches!(error, SmtpError::Tls(_)),
        "an unknown CA is refused: {error:?}"
    );

    let mut implicit_on_starttls_port = server(TlsMode::StartTls);
    implicit_on_starttls_port.tls = TlsMode::Tls;
    let error = check(&implicit_on_starttls_port).await.unwrap_err();
    assert!(!error.is_permanent(), "{error:?}");
    assert!(error.message_nl().contains("TLS"), "{}", error.message_nl());

    let mut remote_plain = server(TlsMode::None);
    remote_plain.host = "smtp.example.com".to_owned();
    let error = check(&remote_plain).await.unwrap_err();
    assert!(matches!(error, SmtpError::PlainRefused { .. }), "{error:?}");

    let mut denied = server(TlsMode::StartTls);
    denied.deny = postkamer_mail::imap::HostDeny::new(vec!["127.0.0.0/8".parse().unwrap()]);
    let error = check(&denied).await.unwrap_err();
    assert!(matches!(error, SmtpError::HostDenied { .. }), "{error:?}");
}
