//! The job runner on both engines, with time from a manual clock: two runners on one database
//! run each of 100 jobs exactly once; a job whose runner died is taken over after its lease; a
//! failing job backs off, then stays failed with its error until retried; a panicking handler
//! fails its attempt only; a unique key queues a job once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postkamer_core::jobs::{JobKind, JobRunner, Next, Ran};
use postkamer_domain::{Clock, ManualClock};
use postkamer_store::Store;

on_both_engines![
    two_runners_run_each_job_exactly_once,
    a_job_whose_runner_died_is_taken_over_after_its_lease,
    a_failing_job_backs_off_then_waits_with_its_error_until_retried,
    a_unique_key_queues_a_job_once,
    a_recurring_job_runs_again_when_it_says,
    a_runner_that_lost_the_lease_stops_the_handler,
    a_stopped_runner_gives_its_jobs_back,
    scheduling_brings_a_job_forward_and_revives_a_failed_one,
];

#[path = "jobs/running.rs"]
mod running;
use running::{
    a_recurring_job_runs_again_when_it_says, a_runner_that_lost_the_lease_stops_the_handler,
    a_stopped_runner_gives_its_jobs_back, scheduling_brings_a_job_forward_and_revives_a_failed_one,
};

pub(crate) const START: i64 = 1_800_000_000_000;

type Counts = Arc<Mutex<HashMap<String, u32>>>;

/// A kind that counts how often each payload ran.
fn counting(counts: &Counts) -> JobKind {
    let counts = counts.clone();
    JobKind::new("tellen", move |job| {
        let counts = counts.clone();
        async move {
            // Let the other runners in between claim and completion.
            tokio::task::yield_now().await;
            *counts.lock().unwrap().entry(job.payload).or_default() += 1;
            Ok(Next::Done)
        }
    })
    .concurrency(3)
}

async fn drain(runner: &JobRunner) -> usize {
    let mut ran = 0;
    while let Some(outcome) = runner.run_once().await.unwrap() {
        assert!(matches!(outcome, Ran::Done(_)), "{outcome:?}");
        ran += 1;
    }
    ran
}

async fn two_runners_run_each_job_exactly_once(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let counts = Counts::default();
    let a = JobRunner::new(store.clone(), clock.clone(), "a", vec![counting(&counts)]);
    let b = JobRunner::new(store.clone(), clock.clone(), "b", vec![counting(&counts)]);
    for n in 0..100 {
        a.enqueue(None, "tellen", &n.to_string(), Duration::ZERO, None)
            .await
            .unwrap()
            .unwrap();
    }
    // Three loops per runner, all at once.
    let ran = futures::future::join_all([&a, &a, &a, &b, &b, &b].map(drain)).await;
    assert_eq!(ran.iter().sum::<usize>(), 100, "{ran:?}");
    assert!(
        ran[..3].iter().sum::<usize>() > 0 && ran[3..].iter().sum::<usize>() > 0,
        "both runners took part: {ran:?}"
    );
    assert!(
        store.all_jobs(10).await.unwrap().is_empty(),
        "done jobs are gone"
    );
    let counts = counts.lock().unwrap();
    assert_eq!(counts.len(), 100);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
}

async fn a_job_whose_runner_died_is_taken_over_after_its_lease(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let seen = attempts.clone();
    let kind = JobKind::new("sync", move |job| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(job.attempts);
            Ok(Next::Done)
        }
    })
    .lease(Duration::from_secs(60));
    let runner = JobRunner::new(store.clone(), clock.clone(), "levend", vec![kind]);
    let id = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, None)
        .await
        .unwrap()
        .unwrap();
    // A runner claims it and dies (never completes).
    let now = clock.now_millis();
    let claimed = store
        .claim_job("sync", "dood", now, now + 60_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((claimed.id, claimed.attempts), (id, 1));
    assert_eq!(runner.run_once().await.unwrap(), None, "leased");
    clock.advance(Duration::from_secs(60));
    assert_eq!(
        runner.run_once().await.unwrap(),
        None,
        "the lease holds to its last millisecond"
    );
    clock.advance(Duration::from_millis(1));
    assert_eq!(runner.run_once().await.unwrap(), Some(Ran::Done(id)));
    assert_eq!(*attempts.lock().unwrap(), vec![2]);
    // The dead runner's late word counts for nothing.
    assert!(!store.complete_job(id, "dood").await.unwrap());
    assert!(!store.fail_job(id, "dood", "x", None, 1, now).await.unwrap());
}

async fn a_failing_job_backs_off_then_waits_with_its_error_until_retried(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let failing = JobKind::new("backup", |_| async {
        Err("De back-upschijf is vol.".to_owned())
    })
    .max_attempts(3)
    .backoff(Duration::from_secs(30), Duration::from_secs(3600));
    let panicking = JobKind::new("paniek", |job| async move {
        assert!(job.payload.is_empty(), "a handler that panics");
        Ok(Next::Done)
    });
    let runner = JobRunner::new(store.clone(), clock.clone(), "r", vec![failing, panicking]);
    let id = runner
        .enqueue(None, "backup", "{}", Duration::ZERO, None)
        .await
        .unwrap()
        .unwrap();
    let error = "De back-upschijf is vol.".to_owned();
    let t0 = clock.now_millis();
    assert_eq!(
        runner.run_once().await.unwrap(),
        Some(Ran::Retry {
            id,
            at: t0 + 30_000,
            error: error.clone()
        })
    );
    assert_eq!(runner.run_once().await.unwrap(), None, "backing off");
    let waiting = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!(waiting.last_error.as_deref(), Some(error.as_str()));
    assert_eq!((waiting.attempts, waiting.failed_at), (1, None));

    clock.advance(Duration::from_secs(30));
    assert_eq!(
        runner.run_once().await.unwrap(),
        Some(Ran::Retry {
            id,
            at: t0 + 30_000 + 60_000,
            error: error.clone()
        }),
        "the wait doubles"
    );
    clock.advance(Duration::from_secs(60));
    assert_eq!(
        runner.run_once().await.unwrap(),
        Some(Ran::Failed {
            id,
            error: error.clone()
        })
    );
    clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(runner.run_once().await.unwrap(), None, "failed for good");
    let failed = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!(failed.failed_at, Some(t0 + 90_000));
    assert_eq!(failed.attempts, 3);
    assert_eq!(failed.last_error.as_deref(), Some(error.as_str()));

    // "Opnieuw proberen": it runs at once, its attempts counted afresh.
    store.retry_job(None, id, clock.now_millis()).await.unwrap();
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Retry { .. })
    ));
    assert_eq!(store.all_jobs(10).await.unwrap()[0].attempts, 1);
    assert!(
        store
            .retry_job(None, postkamer_domain::JobId(987_654), 0)
            .await
            .is_err()
    );

    // A handler that panics fails its attempt; the runner goes on.
    let id = runner
        .enqueue(None, "paniek", "niet leeg", Duration::ZERO, None)
        .await
        .unwrap()
        .unwrap();
    let Some(Ran::Retry {
        id: failed, error, ..
    }) = runner.run_once().await.unwrap()
    else {
        panic!("a panic is a failed attempt");
    };
    assert_eq!(failed, id);
    assert!(error.contains("onverwacht afgebroken"), "{error}");
}

async fn a_unique_key_queues_a_job_once(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let kind = JobKind::new("sync", |_| async { Ok(Next::Done) });
    let runner = JobRunner::new(store.clone(), clock.clone(), "r", vec![kind]);
    let first = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, Some("mailbox:7"))
        .await
        .unwrap();
    assert!(first.is_some());
    let again = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, Some("mailbox:7"))
        .await
        .unwrap();
    assert_eq!(again, None, "already queued");
    let other = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, Some("mailbox:8"))
        .await
        .unwrap();
    assert!(other.is_some());
    assert!(
        runner
            .enqueue(None, "onbekend", "{}", Duration::ZERO, None)
            .await
            .is_err()
    );
    // Once done, the key is free again.
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Done(_))
    ));
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Done(_))
    ));
    assert!(
        runner
            .enqueue(None, "sync", "{}", Duration::ZERO, Some("mailbox:7"))
            .await
            .unwrap()
            .is_some()
    );
}
