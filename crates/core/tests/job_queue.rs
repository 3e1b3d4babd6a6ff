//! Beheer → Systeem → Taken in de wachtrij on both engines, with time from a manual clock: only
//! SuperAdmins see and retry the queue; they see their own organisation's jobs only (never
//! another's, never the installation's own); failed, running and waiting jobs come out in that
//! order with their labels and subjects; "Opnieuw proberen" makes a failed job due; the queue
//! is paged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;

use std::sync::Arc;
use std::time::Duration;

use postkamer_core::{Core, CoreConfig, CoreError, UserInput};
use postkamer_domain::jobs::{JobState, KIND_DOMAIN_CHECK, KIND_MAIL_SYNC, QueuedJob};
use postkamer_domain::mail::TlsMode;
use postkamer_domain::{JobId, ManualClock, PageRequest, Role, User};
use postkamer_store::Store;
use postkamer_store::mail::MailboxUpdate;

on_both_engines![
    only_superadmins_see_and_retry_the_queue,
    another_organisations_and_the_systems_jobs_stay_out_of_sight,
    failed_running_and_waiting_jobs_show_in_that_order_with_their_subjects,
    retrying_makes_a_failed_or_waiting_job_due_and_leaves_a_running_one,
    the_queue_is_paged,
];

const START: i64 = 1_800_000_000_000;
const MINUTE: Duration = Duration::from_secs(60);

fn core(store: Store, clock: &Arc<ManualClock>) -> Core {
    Core::new(
        store,
        CoreConfig {
            clock: clock.clone(),
            ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
        },
    )
}

async fn user(core: &Core, org: &str, name: &str, email: &str, role: Role) -> User {
    let input = UserInput {
        name: name.into(),
        email: email.into(),
        role: Some(role),
        password: "lang genoeg wachtwoord".into(),
    };
    core.bootstrap_user(org, &input).await.unwrap()
}

async fn enqueue(core: &Core, org: &User, kind: &str, payload: &str, delay: Duration) -> JobId {
    core.enqueue_job(Some(org.org_id), kind, payload, delay, None, 3)
        .await
        .unwrap()
        .expect("queued")
}

async fn queue(core: &Core, caller: &User) -> Vec<QueuedJob> {
    core.job_queue(caller, PageRequest::new(None, Some(100)))
        .await
        .unwrap()
        .items
}

/// Claims the due job of `kind` and fails its attempt for good.
async fn fail_for_good(core: &Core, kind: &str, error: &str) -> JobId {
    let id = core
        .claim_job_for_tests(kind, "runner", MINUTE)
        .await
        .unwrap()
        .expect("a due job");
    assert!(
        core.fail_job_for_tests(id, "runner", error, None)
            .await
            .unwrap()
    );
    id
}

async fn only_superadmins_see_and_retry_the_queue(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let core = core(store, &clock);
    let admin = user(
        &core,
        "Demo BV",
        "Beheer",
        "beheer@demo.nl",
        Role::SuperAdmin,
    )
    .await;
    let anna = user(&core, "Demo BV", "Anna", "anna@demo.nl", Role::Gebruiker).await;
    let id = enqueue(&core, &admin, "backup", "{}", Duration::ZERO).await;

    let refused = core.job_queue(&anna, PageRequest::default()).await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
    let refused = core.retry_job(&anna, id).await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
    // Even for a job that does not exist: the role is checked first.
    let refused = core.retry_job(&anna, JobId(987_654)).await;
    assert!(matches!(refused, Err(CoreError::Forbidden)), "{refused:?}");
    assert_eq!(queue(&core, &admin).await.len(), 1);
}

async fn another_organisations_and_the_systems_jobs_stay_out_of_sight(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let core = core(store, &clock);
    let admin = user(
        &core,
        "Demo BV",
        "Beheer",
        "beheer@demo.nl",
        Role::SuperAdmin,
    )
    .await;
    let eve = user(&core, "Ander BV", "Eve", "eve@ander.nl", Role::SuperAdmin).await;
    let ours = enqueue(&core, &admin, "backup", "{}", Duration::ZERO).await;
    let theirs = enqueue(&core, &eve, "backup", "{}", Duration::ZERO).await;
    let system = core
        .enqueue_job(None, "housekeeping", "{}", Duration::ZERO, None, 1)
        .await
        .unwrap()
        .unwrap();
    // The installation's own job fails for good.
    let failed = core
        .claim_job_for_tests("housekeeping", "runner", MINUTE)
        .await
        .unwrap();
    assert_eq!(failed, Some(system));
    assert!(
        core.fail_job_for_tests(system, "runner", "kapot", None)
            .await
            .unwrap()
    );

    let page = core
        .job_queue(&admin, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.iter().map(|j| j.id).collect::<Vec<_>>(), [ours]);
    assert_eq!(page.total, 1, "the total counts our jobs only");
    let page = core.job_queue(&eve, PageRequest::default()).await.unwrap();
    assert_eq!(
        page.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        [theirs]
    );

    for id in [theirs, system, JobId(987_654)] {
        let hidden = core.retry_job(&admin, id).await;
        assert!(
            matches!(hidden, Err(CoreError::NotFound)),
            "{id}: {hidden:?}"
        );
    }
    // The failed system job stayed failed: our retry did not touch it.
    assert_eq!(
        core.claim_job_for_tests("housekeeping", "runner", MINUTE)
            .await
            .unwrap(),
        None
    );
    core.retry_job(&eve, theirs).await.unwrap();
}

async fn failed_running_and_waiting_jobs_show_in_that_order_with_their_subjects(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let core = core(store.clone(), &clock);
    let admin = user(
        &core,
        "Demo BV",
        "Beheer",
        "beheer@demo.nl",
        Role::SuperAdmin,
    )
    .await;
    let anna = user(
        &core,
        "Demo BV",
        "Anna de Vries",
        "anna@demo.nl",
        Role::Gebruiker,
    )
    .await;
    let mailbox = store
        .save_mailbox(anna.org_id, anna.id, &mailbox_update("anna@demo.nl"))
        .await
        .unwrap();
    let domain = store.add_domain(admin.org_id, "demo.nl").await.unwrap();

    let later = enqueue(&core, &admin, "backup", "{}", 10 * MINUTE).await;
    let sync = format!(r#"{{"mailbox": {}}}"#, mailbox.settings.id);
    let waiting = enqueue(&core, &admin, KIND_MAIL_SYNC, &sync, MINUTE).await;
    let check = format!(r#"{{"domain": {}}}"#, domain.id);
    let running = enqueue(&core, &admin, KIND_DOMAIN_CHECK, &check, Duration::ZERO).await;
    let gone = enqueue(
        &core,
        &admin,
        KIND_MAIL_SYNC,
        r#"{"mailbox": 987654}"#,
        Duration::ZERO,
    )
    .await;
    // The sync of a mailbox that is gone fails for good; the domain check is claimed.
    assert_eq!(
        fail_for_good(&core, KIND_MAIL_SYNC, "De mailbox bestaat niet meer.").await,
        gone
    );
    let claimed = core
        .claim_job_for_tests(KIND_DOMAIN_CHECK, "runner", 5 * MINUTE)
        .await
        .unwrap();
    assert_eq!(claimed, Some(running));

    let jobs = queue(&core, &admin).await;
    let order: Vec<(JobId, JobState)> = jobs.iter().map(|j| (j.id, j.state)).collect();
    assert_eq!(
        order,
        [
            (gone, JobState::Failed),
            (running, JobState::Running),
            (waiting, JobState::Pending),
            (later, JobState::Pending),
        ]
    );
    let [failed, check, sync, backup] = &jobs[..] else {
        panic!("{jobs:?}");
    };
    assert_eq!(
        (failed.label_nl.as_str(), failed.subject.as_deref()),
        ("Mailbox synchroniseren", None)
    );
    assert_eq!(
        failed.last_error.as_deref(),
        Some("De mailbox bestaat niet meer.")
    );
    assert_eq!((failed.attempts, failed.max_attempts), (1, Some(3)));
    assert_eq!(
        (check.label_nl.as_str(), check.label_en.as_str()),
        ("Domeincontrole", "Domain check")
    );
    assert_eq!(check.subject.as_deref(), Some("demo.nl"));
    assert_eq!((check.attempts, check.last_error.as_deref()), (1, None));
    assert_eq!(sync.label_en, "Mailbox sync");
    assert_eq!(
        sync.subject.as_deref(),
        Some("Anna de Vries"),
        "the mailbox's owner"
    );
    assert_eq!(
        (sync.run_at, sync.created_at, sync.attempts),
        (START + 60_000, START, 0)
    );
    assert_eq!(
        (
            backup.label_nl.as_str(),
            backup.kind.as_str(),
            backup.subject.as_deref()
        ),
        ("backup", "backup", None)
    );

    // The lease runs out (its runner died): waiting again, due since its run_at.
    clock.advance(5 * MINUTE + Duration::from_millis(1));
    let jobs = queue(&core, &admin).await;
    let states: Vec<JobState> = jobs.iter().map(|j| j.state).collect();
    assert_eq!(
        states,
        [
            JobState::Failed,
            JobState::Pending,
            JobState::Pending,
            JobState::Pending
        ]
    );
    assert_eq!(jobs[1].id, running, "by when it runs");
}

fn mailbox_update(login: &str) -> MailboxUpdate {
    MailboxUpdate {
        host: "127.0.0.1".into(),
        port: 143,
        tls: TlsMode::None,
        login: login.into(),
        password_sealed: Some(vec![1, 2, 3]),
        since: None,
        enabled: true,
    }
}

async fn retrying_makes_a_failed_or_waiting_job_due_and_leaves_a_running_one(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let core = core(store, &clock);
    let admin = user(
        &core,
        "Demo BV",
        "Beheer",
        "beheer@demo.nl",
        Role::SuperAdmin,
    )
    .await;
    let failed = enqueue(&core, &admin, "backup", "{}", Duration::ZERO).await;
    assert_eq!(
        fail_for_good(&core, "backup", "De back-upschijf is vol.").await,
        failed
    );
    clock.advance(MINUTE);
    assert_eq!(
        core.claim_job_for_tests("backup", "runner", MINUTE)
            .await
            .unwrap(),
        None,
        "a failed job waits"
    );

    core.retry_job(&admin, failed).await.unwrap();
    let job = &queue(&core, &admin).await[0];
    assert_eq!((job.id, job.state), (failed, JobState::Pending));
    assert_eq!(
        (job.run_at, job.attempts),
        (START + 60_000, 0),
        "due now, attempts afresh"
    );
    assert_eq!(
        job.last_error.as_deref(),
        Some("De back-upschijf is vol."),
        "kept until the next attempt"
    );
    assert_eq!(
        core.claim_job_for_tests("backup", "runner", MINUTE)
            .await
            .unwrap(),
        Some(failed),
        "a runner takes it at once"
    );

    // Running: left to its runner.
    let refused = core.retry_job(&admin, failed).await;
    assert!(
        matches!(refused, Err(CoreError::Conflict("job_running"))),
        "{refused:?}"
    );

    // Waiting for a later retry: runs now.
    let waiting = enqueue(&core, &admin, "sync", "{}", Duration::from_secs(3600)).await;
    core.retry_job(&admin, waiting).await.unwrap();
    let jobs = queue(&core, &admin).await;
    let job = jobs.iter().find(|j| j.id == waiting).unwrap();
    assert_eq!((job.state, job.run_at), (JobState::Pending, START + 60_000));
    assert_eq!(
        core.claim_job_for_tests("sync", "runner", MINUTE)
            .await
            .unwrap(),
        Some(waiting)
    );
}

async fn the_queue_is_paged(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let core = core(store, &clock);
    let admin = user(
        &core,
        "Demo BV",
        "Beheer",
        "beheer@demo.nl",
        Role::SuperAdmin,
    )
    .await;
    let mut ids = Vec::new();
    for n in 0..12u32 {
        // Queued in reverse order of when they run.
        ids.push(enqueue(&core, &admin, "backup", "{}", (12 - n) * MINUTE).await);
    }
    ids.reverse();
    let mut seen = Vec::new();
    for number in 1..=3 {
        let page = core
            .job_queue(&admin, PageRequest::new(Some(number), Some(5)))
            .await
            .unwrap();
        assert_eq!((page.page, page.per_page, page.total), (number, 5, 12));
        assert_eq!(page.page_count(), 3);
        assert_eq!(page.items.len(), if number < 3 { 5 } else { 2 });
        seen.extend(page.items.into_iter().map(|j| j.id));
    }
    assert_eq!(seen, ids, "every job once, by when it runs");
    let beyond = core
        .job_queue(&admin, PageRequest::new(Some(4), Some(5)))
        .await
        .unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 12);
}
