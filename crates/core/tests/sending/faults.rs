//! Faults: a server that is down, refusals (whole message and per recipient), cancel and retry
//! now, and sending cut off at random points.

use std::time::Duration;

use postkamer_core::jobs::Ran;
use postkamer_core::{Core, CoreError};
use postkamer_domain::mail::outbox::{OutboxState, RecipientState};
use postkamer_domain::mail::{SmtpInput, TlsMode};
use postkamer_domain::{Role, User};
use postkamer_store::Store;

use crate::dns::TestDns;
use crate::smtp::{marker, received};
use crate::{clock, config, mail, runner, user};

/// A user of an organisation without an active domain, sending through `smtp` (the test server
/// on `port`, or a closed port when `None`).
pub(crate) async fn sender(core: &Core, dns: &TestDns, tag: &str, port: Option<u16>) -> User {
    sender_as(core, dns, tag, port, Role::Gebruiker).await
}

/// [`sender`] with the role `role`.
pub(crate) async fn sender_as(
    core: &Core,
    dns: &TestDns,
    tag: &str,
    port: Option<u16>,
    role: Role,
) -> User {
    let anna = user(core, tag, &format!("anna@{}", dns.domain(tag)), role).await;
    let server = crate::smtp::server(TlsMode::StartTls);
    let closed = || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (login, password) = server.credentials.unwrap();
    let input = SmtpInput {
        host: server.host,
        port: port.unwrap_or_else(closed).to_string(),
        tls: TlsMode::StartTls,
        login,
        password,
    };
    core.save_smtp(&anna, &input).await.unwrap();
    anna
}

pub(crate) fn port() -> Option<u16> {
    Some(crate::smtp::server(TlsMode::StartTls).port)
}

pub(crate) async fn a_server_that_is_down_is_retried_until_the_message_is_too_old(store: Store) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = sender(&core, &dns, "down", None).await;
    let runner = runner(&core);
    let queued = core
        .send_mail(&anna, mail(&marker("down"), &["klant@example.com"]))
        .await
        .unwrap();

    let mut retries = Vec::new();
    loop {
        match runner.run_once().await.unwrap() {
            Some(Ran::Rescheduled { at, .. }) => {
                let record = core.outgoing(&anna, queued.id).await.unwrap();
                assert_eq!(record.state, OutboxState::Mislukt);
                assert_eq!(record.retry_at, Some(at), "the retry time is shown");
                let error = record.last_error.unwrap();
                assert!(
                    error.starts_with("Geen verbinding met de SMTP-server"),
                    "{error}"
                );
                retries.push(at);
                clock.advance(Duration::from_millis(
                    u64::try_from(at - clock_now(&core)).unwrap() + 1,
                ));
            }
            Some(Ran::Done(_)) => break,
            other => panic!("{other:?}"),
        }
    }
    // 1, 2, 4, … minutes, at most an hour apart, for two days.
    let gaps: Vec<i64> = retries.windows(2).map(|w| (w[1] - w[0]) / 60_000).collect();
    assert_eq!(&gaps[..6], [2, 4, 8, 16, 32, 60], "{gaps:?}");
    assert!(gaps[6..].iter().all(|g| *g == 60));
    let record = core.outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(record.state, OutboxState::Mislukt);
    assert_eq!(record.retry_at, None, "failed for good");
    assert!(
        record
            .last_error
            .as_deref()
            .unwrap()
            .contains("Opgegeven na"),
        "{:?}",
        record.last_error
    );
    assert!(record.created_at + 2 * 24 * 3_600_000 >= retries[retries.len() - 1]);
}

fn clock_now(core: &Core) -> i64 {
    core.clock().now_millis()
}

pub(crate) async fn a_refused_message_is_not_retried_and_refused_recipients_are_not_resent(
    store: Store,
) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = sender(&core, &dns, "refused", port()).await;
    let runner = runner(&core);

    // Refused at DATA with a 5xx: geweigerd after one attempt.
    let mark = marker("refused-data");
    let queued = core
        .send_mail(&anna, mail(&mark, &["reject-x@example.com"]))
        .await
        .unwrap();
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Done(_))
    ));
    let record = core.outgoing(&anna, queued.id).await.unwrap();
    assert_eq!((record.state, record.attempts), (OutboxState::Geweigerd, 1));
    let error = record.last_error.unwrap();
    assert!(error.contains("554"), "{error}");
    assert!(error.contains("weigert"), "{error}");
    received(&mark, 0);

    // One recipient taken, one refused for good, one for now: only the last is tried again.
    let mark = marker("partial");
    let queued = core
        .send_mail(
            &anna,
            mail(
                &mark,
                &[
                    "ok@example.com",
                    "refuse-b@example.com",
                    "busy-c@example.com",
                ],
            ),
        )
        .await
        .unwrap();
    let Some(Ran::Rescheduled { at, .. }) = runner.run_once().await.unwrap() else {
        panic!("a recipient refused for now is retried");
    };
    let record = core.outgoing(&anna, queued.id).await.unwrap();
    let states: Vec<_> = record.recipients.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            RecipientState::Accepted,
            RecipientState::Refused,
            RecipientState::Open
        ]
    );
    assert!(
        record.recipients[1]
            .reply
            .as_deref()
            .unwrap()
            .contains("550")
    );
    assert_eq!(received(&mark, 1)[0].rcpt_tos, ["ok@example.com"]);
    clock.advance(Duration::from_millis(
        u64::try_from(at - clock_now(&core)).unwrap() + 1,
    ));
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Rescheduled { .. })
    ));
    received(&mark, 1);
    assert_eq!(
        core.outgoing(&anna, queued.id).await.unwrap().attempts,
        2,
        "the accepted recipient was not sent to again"
    );
}

pub(crate) async fn cancel_while_waiting_and_retry_now(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns, clock()));
    let anna = sender(&core, &dns, "cancel", port()).await;
    let runner = runner(&core);

    let mark = marker("cancel");
    let queued = core
        .send_mail(&anna, mail(&mark, &["klant@example.com"]))
        .await
        .unwrap();
    let cancelled = core.cancel_outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(cancelled.state, OutboxState::Geannuleerd);
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Done(_))
    ));
    received(&mark, 0);
    assert!(matches!(
        core.retry_outgoing(&anna, queued.id).await,
        Err(CoreError::Conflict("outbox_not_failed"))
    ));

    // Deferred at DATA (451): failed for now; "Nu opnieuw proberen" makes it due at once.
    let mark = marker("retry");
    let queued = core
        .send_mail(&anna, mail(&mark, &["defer-x@example.com"]))
        .await
        .unwrap();
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Rescheduled { .. })
    ));
    assert!(runner.run_once().await.unwrap().is_none(), "not due yet");
    let retried = core.retry_outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(retried.state, OutboxState::Mislukt);
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Rescheduled { .. })
    ));
    assert_eq!(core.outgoing(&anna, queued.id).await.unwrap().attempts, 2);
    let cancelled = core.cancel_outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(
        cancelled.state,
        OutboxState::Geannuleerd,
        "a failed message may be cancelled"
    );
    assert!(matches!(
        core.cancel_outgoing(&anna, queued.id).await,
        Err(CoreError::Conflict("outbox_not_waiting"))
    ));
}

/// Sending is cut off at a random point 20 times (the future dropped, as a process that dies:
/// nothing after that point runs, its lease stays until it runs out), anywhere from claiming the
/// job to recording the server's answer. Every message still ends sent, as the identical bytes,
/// at most one copy more than needed.
pub(crate) async fn no_message_is_lost_when_sending_is_cut_off_anywhere(store: Store) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = sender(&core, &dns, "crash", port()).await;

    // How long one whole attempt takes here: the cuts fall anywhere in it.
    let started = std::time::Instant::now();
    let first = core
        .send_mail(&anna, mail(&marker("crash-base"), &["klant@example.com"]))
        .await
        .unwrap();
    assert!(matches!(
        runner(&core).run_once().await.unwrap(),
        Some(Ran::Done(_))
    ));
    assert_eq!(
        core.outgoing(&anna, first.id).await.unwrap().state,
        OutboxState::Verzonden
    );
    let whole = started.elapsed();

    let mut seed = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos(),
    ) | 1;
    println!("seed {seed}, one attempt {whole:?}");
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % 1000
    };
    let mut cut_off = 0;
    for round in 0..20 {
        let mark = marker(&format!("crash{round}"));
        let queued = core
            .send_mail(&anna, mail(&mark, &["klant@example.com"]))
            .await
            .unwrap();
        let cut = whole.mul_f64(random() as f64 / 1000.0);
        let attempt = runner(&core);
        let done = match tokio::time::timeout(cut, attempt.run_once()).await {
            Ok(ran) => matches!(ran.unwrap(), Some(Ran::Done(_))),
            Err(_) => false,
        };
        drop(attempt);
        if !done {
            cut_off += 1;
            // The dead runner's lease runs out; a new one (after a restart) takes the job.
            clock.advance(Duration::from_secs(15 * 60));
            let ran = runner(&core).run_once().await.unwrap();
            // Cut off after the job was recorded done, before the runner returned: nothing
            // is left to run.
            let finished_before = ran.is_none()
                && core.outgoing(&anna, queued.id).await.unwrap().state == OutboxState::Verzonden;
            assert!(
                finished_before || matches!(ran, Some(Ran::Done(_))),
                "round {round}: {ran:?}"
            );
        }
        let record = core.outgoing(&anna, queued.id).await.unwrap();
        assert_eq!(record.state, OutboxState::Verzonden, "round {round}");
        let raw = core.outgoing_raw(&anna, queued.id).await.unwrap();
        let got = crate::smtp::received_now(&mark);
        assert!(
            (1..=2).contains(&got.len()),
            "round {round}: {} copies",
            got.len()
        );
        assert!(
            got.iter().all(|m| m.bytes == raw),
            "identical bytes and Message-ID"
        );
    }
    println!("{cut_off} of 20 attempts were cut off");
}
