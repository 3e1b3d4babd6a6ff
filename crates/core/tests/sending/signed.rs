//! Signed through the relay for an active domain; unsigned through the user's own server
//! otherwise; nothing queued without a way to send.

use mail_parser::MessageParser;
use postkamer_core::CoreError;
use postkamer_core::jobs::Ran;
use postkamer_domain::mail::outbox::{OutboxState, RecipientState};
use postkamer_domain::mail::{SmtpInput, TlsMode};
use postkamer_domain::{PageRequest, Role};
use postkamer_mail::compose::Part;
use postkamer_store::Store;

use crate::dkimpy::dkimpy;
use crate::dns::TestDns;
use crate::smtp::{marker, received};
use crate::{activate, clock, config, mail, runner, to, user};
use postkamer_core::Core;

pub(crate) async fn a_message_from_an_active_domain_goes_out_signed_through_the_relay(
    store: Store,
) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns, clock()));
    let domain = dns.domain("send-signed");
    let anna = user(
        &core,
        "Verzenders BV",
        &format!("anna@{domain}"),
        Role::SuperAdmin,
    )
    .await;
    activate(&core, &dns, &anna, &domain).await;

    let mark = marker("signed");
    let mut new = mail(&mark, &["klant@example.com"]);
    new.cc = to(&["collega@example.com"]);
    new.bcc = to(&["archief@example.com"]);
    new.attachments = vec![Part {
        name: "Offerte – café.pdf".to_owned(),
        content_type: "application/pdf".to_owned(),
        bytes: (0..=255u8).cycle().take(40_000).collect(),
    }];
    let queued = core.send_mail(&anna, new).await.unwrap();
    assert_eq!(queued.state, OutboxState::Wachtrij);
    assert_eq!(queued.signed_with, Some(format!("key001 {domain}")));
    assert!(queued.message_id.ends_with(&format!("@{domain}")));

    let ran = runner(&core).run_once().await.unwrap();
    assert!(matches!(ran, Some(Ran::Done(_))), "{ran:?}");
    let sent = core.outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(sent.state, OutboxState::Verzonden, "{:?}", sent.last_error);
    assert!(sent.sent_at.is_some());
    assert!(
        sent.recipients
            .iter()
            .all(|r| r.state == RecipientState::Accepted)
    );

    let got = received(&mark, 1);
    let raw = core.outgoing_raw(&anna, queued.id).await.unwrap();
    assert_eq!(got[0].bytes, raw, "the stored bytes are the sent bytes");
    assert_eq!(got[0].mail_from, format!("anna@{domain}"));
    assert_eq!(got[0].listener, "starttls", "through the relay");
    assert_eq!(
        got[0].rcpt_tos,
        [
            "klant@example.com",
            "collega@example.com",
            "archief@example.com"
        ]
    );
    let text = String::from_utf8_lossy(&got[0].bytes);
    assert!(
        text.starts_with("DKIM-Signature: v=1; a=rsa-sha256; s=key001;"),
        "{text}"
    );
    assert!(
        !text.to_ascii_lowercase().contains("\r\nbcc:"),
        "no Bcc header"
    );
    assert!(!text.contains("archief@example.com"));
    assert_eq!(
        dkimpy(&got[0].bytes),
        Ok(()),
        "dkimpy verifies our signature"
    );
    let altered = text.replacen("Beste klant", "Beste klant!", 1);
    assert!(
        dkimpy(altered.as_bytes()).is_err(),
        "an altered message fails"
    );

    let parsed = MessageParser::default().parse(&got[0].bytes).unwrap();
    assert_eq!(
        parsed.subject(),
        Some(format!("Offerte café {mark}").as_str())
    );
    let pdf = parsed.attachment(0).unwrap();
    assert_eq!(
        mail_parser::MimeHeaders::attachment_name(pdf),
        Some("Offerte – café.pdf")
    );
    assert_eq!(pdf.contents().len(), 40_000);

    let outbox = core.outbox(&anna, PageRequest::default()).await.unwrap();
    assert_eq!(outbox.items.len(), 1);
}

pub(crate) async fn without_an_active_domain_mail_goes_unsigned_through_the_users_own_server(
    store: Store,
) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns, clock()));
    let domain = dns.domain("send-plain");
    let anna = user(
        &core,
        "Eigen Server BV",
        &format!("anna@{domain}"),
        Role::Gebruiker,
    )
    .await;

    // No own server and no active domain: nothing is queued, and the user is told why.
    let refused = core
        .send_mail(&anna, mail("x", &["klant@example.com"]))
        .await;
    assert!(
        matches!(refused, Err(CoreError::Conflict("no_smtp"))),
        "{refused:?}"
    );

    let server = crate::smtp::server(TlsMode::StartTls);
    let (login, password) = server.credentials.clone().unwrap();
    let mut input = SmtpInput {
        host: server.host.clone(),
        port: server.port.to_string(),
        tls: TlsMode::StartTls,
        login,
        password: "fout".to_owned(),
    };
    let wrong = core.test_smtp(&anna, &input).await.unwrap_err();
    match wrong {
        CoreError::Mail { nl, .. } => assert!(nl.contains("wachtwoord"), "{nl}"),
        other => panic!("{other:?}"),
    }
    input.password = password;
    core.test_smtp(&anna, &input)
        .await
        .expect("Verbinding testen");
    let settings = core.save_smtp(&anna, &input).await.unwrap();
    assert!(settings.has_password);
    // The stored password is used when the field stays empty.
    input.password.clear();
    core.test_smtp(&anna, &input)
        .await
        .expect("with the stored password");
    // …but never sent to another host.
    input.host = "localhost".to_owned();
    assert!(matches!(
        core.test_smtp(&anna, &input).await,
        Err(CoreError::Validation(_))
    ));

    let mark = marker("unsigned");
    let queued = core
        .send_mail(&anna, mail(&mark, &["klant@example.com"]))
        .await
        .unwrap();
    assert_eq!(queued.signed_with, None, "an inactive domain is not signed");
    runner(&core).run_once().await.unwrap();
    assert_eq!(
        core.outgoing(&anna, queued.id).await.unwrap().state,
        OutboxState::Verzonden
    );
    let got = received(&mark, 1);
    assert!(!String::from_utf8_lossy(&got[0].bytes).contains("DKIM-Signature"));
    assert!(dkimpy(&got[0].bytes).is_err(), "nothing to verify");

    // A colleague sees none of it.
    let bram = user(
        &core,
        "Eigen Server BV",
        &format!("bram@{domain}"),
        Role::Gebruiker,
    )
    .await;
    assert!(matches!(
        core.outgoing(&bram, queued.id).await,
        Err(CoreError::NotFound)
    ));
    assert_eq!(
        core.outbox(&bram, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}
