//! Writing mail: a new mail opens with the template of E-mail uit and the relation in To, is
//! saved as typed, checked for empty merge fields, sent after the time to undo it (and undone
//! within it); a reply and a forward carry the original (quoted, its headers, its attachments).

use std::time::Duration;

use mail_parser::MimeHeaders;

use postkamer_core::Core;
use postkamer_core::jobs::{JobRunner, Ran};
use postkamer_domain::mail::draft::{ComposeStart, DraftAddress, DraftInput};
use postkamer_domain::mail::outbox::OutboxState;
use postkamer_domain::mail::{FolderRole, MailboxInput, MessageQuery, TlsMode};
use postkamer_domain::merge::MergeField;
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_domain::templates::{ActionKind, ActionTypeInput, TemplateInput};
use postkamer_domain::{PageRequest, Role, User};
use postkamer_store::Store;

use crate::dns::TestDns;
use crate::faults::{port, sender_as};
use crate::smtp::{marker, received, received_now};
use crate::support::unique_user;
use crate::{clock, config, runner};

/// Greeting, the Inhoud block, the sender's name, and the company's name without a fallback.
const TEMPLATE: &str = r#"{"type":"doc","content":[
  {"type":"paragraph","content":[{"type":"merge_field","attrs":{"field":"relatie.aanhef"}},{"type":"text","text":","}]},
  {"type":"inhoud","content":[{"type":"paragraph"}]},
  {"type":"paragraph","content":[{"type":"text","text":"Groet, "},{"type":"merge_field","attrs":{"field":"gebruiker.naam"}}]},
  {"type":"paragraph","content":[{"type":"merge_field","attrs":{"field":"bedrijf.naam"}}]}]}"#;

/// `doc` with `text` typed into its Inhoud block.
fn typed(doc: &str, text: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(doc).unwrap();
    let inhoud = doc["content"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["type"] == "inhoud")
        .expect("an Inhoud block");
    inhoud["content"] = serde_json::json!([
        {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    ]);
    doc.to_string()
}

async fn run_all(runner: &JobRunner) -> Vec<Ran> {
    let mut ran = Vec::new();
    while let Some(outcome) = runner.run_once().await.unwrap() {
        ran.push(outcome);
    }
    ran
}

/// A SuperAdmin sending through the test SMTP server, with a template on E-mail uit.
async fn writer(core: &Core, dns: &TestDns, tag: &str) -> User {
    let anna = sender_as(core, dns, tag, port(), Role::SuperAdmin).await;
    let template = core
        .create_template(
            &anna,
            &TemplateInput {
                name: "Standaard".to_owned(),
                subject: "Bericht van {gebruiker.naam}".to_owned(),
                body: TEMPLATE.to_owned(),
            },
        )
        .await
        .unwrap();
    let email_out = core
        .action_types(&anna)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.kind == Some(ActionKind::EmailOut))
        .unwrap();
    core.update_action_type(
        &anna,
        email_out.id,
        &ActionTypeInput {
            name: email_out.name,
            active: true,
            template: Some(template.id),
        },
    )
    .await
    .unwrap();
    anna
}

pub(crate) async fn a_new_mail_opens_with_the_template_and_goes_after_the_undo_window(
    store: Store,
) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = writer(&core, &dns, "compose").await;
    let piet = core
        .create_person(
            &anna,
            &PersonInput {
                first_name: "Piet".into(),
                last_name: "Bakker".into(),
                emails: vec![EmailInput {
                    address: "piet@klant.nl".into(),
                    primary: true,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let runner = runner(&core);

    let draft = core
        .start_draft(
            &anna,
            ComposeStart::New {
                person: Some(piet.id),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        draft.content.to,
        [DraftAddress {
            name: Some(piet.display_name.clone()),
            address: "piet@klant.nl".to_owned()
        }]
    );
    assert_eq!(draft.content.subject, "Bericht van {gebruiker.naam}");
    assert!(draft.content.template.is_some());
    assert!(draft.content.body.contains("inhoud"));

    // Typed, saved; kept as typed, also a half-written address.
    let mark = marker("compose");
    let mut content = DraftInput {
        body: typed(&draft.content.body, &mark),
        cc: vec![DraftAddress {
            name: None,
            address: "half@".to_owned(),
        }],
        ..draft.content.clone()
    };
    let saved = core.save_draft(&anna, draft.id, &content).await.unwrap();
    assert_eq!(saved.content, content);
    let refused = core.send_draft(&anna, draft.id).await;
    assert!(
        matches!(&refused, Err(postkamer_core::CoreError::Validation(e)) if e.message_for("cc", postkamer_domain::Locale::Nl).is_some()),
        "{refused:?}"
    );
    assert_eq!(
        core.draft(&anna, draft.id).await.unwrap().content,
        content,
        "nothing lost"
    );
    content.cc.clear();
    core.save_draft(&anna, draft.id, &content).await.unwrap();

    // The pre-send check: Piet has no company, and bedrijf.naam has no fallback.
    let check = core.check_draft(&anna, draft.id).await.unwrap();
    assert_eq!(check.person, Some(piet.id));
    assert_eq!(check.empty_fields, [MergeField::BedrijfNaam]);
    assert_eq!(check.signed_with, None, "not an active domain: unsigned");

    // Sent, then undone within the window: nothing went, the draft is back.
    let sending = core.send_draft(&anna, draft.id).await.unwrap();
    assert!(sending.send_at >= core.clock().now_millis() + 9_000);
    let concepts = core.drafts(&anna, PageRequest::default()).await.unwrap();
    assert_eq!(concepts.total, 0, "not a draft while it is being sent");
    assert!(matches!(
        core.save_draft(&anna, draft.id, &content).await,
        Err(postkamer_core::CoreError::Conflict("draft_sending"))
    ));
    assert!(
        run_all(&runner).await.is_empty(),
        "it waits for the undo window"
    );
    let back = core.undo_send(&anna, draft.id).await.unwrap();
    assert_eq!((back.sending, back.content), (None, content.clone()));
    assert_eq!(
        core.drafts(&anna, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    clock.advance(Duration::from_secs(11));
    run_all(&runner).await;
    assert!(received_now(&mark).is_empty(), "undone: not sent");

    // Sent for real: filled in for Piet, the draft gone.
    let sending = core.send_draft(&anna, draft.id).await.unwrap();
    clock.advance(Duration::from_secs(11));
    run_all(&runner).await;
    let got = received(&mark, 1);
    assert_eq!(got[0].rcpt_tos, ["piet@klant.nl"]);
    let parsed = mail_parser::MessageParser::default()
        .parse(&got[0].bytes)
        .unwrap();
    assert_eq!(parsed.subject(), Some("Bericht van Anna de Vries"));
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains(&mark), "{text}");
    assert!(text.contains("Groet, Anna de Vries"), "{text}");
    assert!(text.contains("Piet"), "the greeting is Piet's: {text}");
    assert!(!text.contains('{'), "{text}");
    let record = core.outgoing(&anna, sending.outbox).await.unwrap();
    assert_eq!(record.state, OutboxState::Verzonden);
    assert!(matches!(
        core.draft(&anna, draft.id).await,
        Err(postkamer_core::CoreError::NotFound)
    ));
}

pub(crate) async fn reply_reply_all_and_forward_carry_the_original(store: Store) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = writer(&core, &dns, "reply").await;
    let login = unique_user("reply");
    let server = crate::support::server();
    core.save_mailbox(
        &anna,
        &MailboxInput {
            host: server.host,
            port: server.port.to_string(),
            tls: TlsMode::None,
            login: login.clone(),
            password: server.password,
            since: String::new(),
            enabled: true,
        },
    )
    .await
    .unwrap();
    let own = anna.email.as_str().to_owned();
    let original = format!(
        "From: Piet Bakker <piet@klant.nl>\r\nTo: {own}, Kees <kees@klant.nl>\r\nCc: Els <els@klant.nl>, {own}\r\n\
         Subject: Offerte dakgoot\r\nDate: Tue, 5 Mar 2024 10:00:00 +0100\r\nMessage-ID: <origineel@klant.nl>\r\n\
         References: <eerder@klant.nl>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"grens\"\r\n\r\n\
         --grens\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKunt u de prijs sturen?\r\nGroet, Piet\r\n\
         --grens\r\nContent-Type: application/pdf; name=\"tekening.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"tekening.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         JVBERi0xLjQKdGVrZW5pbmc=\r\n--grens--\r\n"
    );
    let mut conn = crate::support::connect(&login).await;
    conn.append("INBOX", original.as_bytes(), Default::default())
        .await
        .unwrap();
    let mailbox = core.mailbox_record(&anna).await.unwrap().unwrap();
    core.sync_mailbox_once(&mailbox).await.unwrap();
    let inbox = core
        .list_messages(
            &anna,
            &MessageQuery {
                folder: FolderRole::Inbox,
                search: String::new(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    let message = inbox.items[0].id;
    let runner = runner(&core);
    let addresses =
        |list: &[DraftAddress]| list.iter().map(|a| a.address.clone()).collect::<Vec<_>>();

    let reply = core
        .start_draft(
            &anna,
            ComposeStart::Reply {
                message,
                all: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(addresses(&reply.content.to), ["piet@klant.nl"]);
    assert!(reply.content.cc.is_empty());
    assert_eq!(reply.content.subject, "Re: Offerte dakgoot");
    assert_eq!(reply.reply_of, Some(message));
    let body = &reply.content.body;
    assert!(
        body.contains("Op 5 maart 2024 schreef Piet Bakker <piet@klant.nl>:"),
        "{body}"
    );
    assert!(body.contains("Kunt u de prijs sturen?"), "{body}");
    let quoted_at = body.find("schreef").unwrap();
    assert!(
        body.find("inhoud").unwrap() < quoted_at,
        "the quote is below the Inhoud block"
    );
    assert!(
        body.find("Groet, ").unwrap() < quoted_at,
        "and below the writer's greeting"
    );

    let all = core
        .start_draft(&anna, ComposeStart::Reply { message, all: true })
        .await
        .unwrap();
    assert_eq!(
        addresses(&all.content.to),
        ["piet@klant.nl", "kees@klant.nl"]
    );
    assert_eq!(
        addresses(&all.content.cc),
        ["els@klant.nl"],
        "not the writer herself"
    );

    // The reply goes out with the conversation's headers.
    let mark = marker("reply");
    let content = DraftInput {
        body: typed(&reply.content.body, &mark),
        ..reply.content.clone()
    };
    core.save_draft(&anna, reply.id, &content).await.unwrap();
    core.send_draft(&anna, reply.id).await.unwrap();
    clock.advance(Duration::from_secs(11));
    run_all(&runner).await;
    let got = received(&mark, 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&got[0].bytes)
        .unwrap();
    assert_eq!(parsed.in_reply_to().as_text(), Some("origineel@klant.nl"));
    let references: Vec<&str> = parsed
        .references()
        .as_text_list()
        .unwrap_or_default()
        .iter()
        .map(|r| r.as_ref())
        .collect();
    assert_eq!(references, ["eerder@klant.nl", "origineel@klant.nl"]);
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .contains("> Kunt u de prijs sturen?")
    );

    // Forwarded with its attachment, byte for byte; a file can be removed again.
    let forward = core
        .start_draft(&anna, ComposeStart::Forward { message })
        .await
        .unwrap();
    assert_eq!(forward.content.subject, "Fwd: Offerte dakgoot");
    assert!(forward.content.to.is_empty());
    assert!(forward.content.body.contains("Doorgestuurd bericht"));
    assert_eq!(forward.files.len(), 1);
    assert_eq!(forward.files[0].name, "tekening.pdf");
    let extra = core
        .attach_file(
            &anna,
            forward.id,
            "../../notities.txt",
            "text/plain",
            b"weg",
        )
        .await
        .unwrap();
    assert_eq!(extra.name, "notities.txt", "no path");
    core.remove_file(&anna, forward.id, extra.id).await.unwrap();
    let mark = marker("forward");
    let content = DraftInput {
        to: vec![DraftAddress {
            name: None,
            address: "collega@elders.nl".to_owned(),
        }],
        body: typed(&forward.content.body, &mark),
        ..forward.content.clone()
    };
    core.save_draft(&anna, forward.id, &content).await.unwrap();
    core.send_draft(&anna, forward.id).await.unwrap();
    clock.advance(Duration::from_secs(11));
    run_all(&runner).await;
    let got = received(&mark, 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&got[0].bytes)
        .unwrap();
    let attachment = parsed.attachment(0).unwrap();
    assert_eq!(attachment.attachment_name(), Some("tekening.pdf"));
    assert_eq!(attachment.contents(), b"%PDF-1.4\ntekening");
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .contains("Van: Piet Bakker <piet@klant.nl>")
    );
}
