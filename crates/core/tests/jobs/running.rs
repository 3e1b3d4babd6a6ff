//! The runner's loop: recurring jobs, the lease kept (and lost) while a job runs, jobs given
//! back on shutdown, and scheduling onto a queued job.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use postkamer_core::jobs::{JobKind, JobRunner, Next, Ran};
use postkamer_domain::{Clock, ManualClock};
use postkamer_store::Store;
use postkamer_store::jobs::NewJob;
use tokio::sync::{Notify, watch};

use crate::START;

/// A kind whose handler tells `started` it runs, then waits forever; `dropped` turns true when
/// the handler is stopped.
fn waiting(name: &'static str, started: &Arc<Notify>, dropped: &Arc<AtomicBool>) -> JobKind {
    let (started, dropped) = (started.clone(), dropped.clone());
    JobKind::new(name, move |_| {
        let (started, dropped) = (started.clone(), dropped.clone());
        async move {
            struct Flag(Arc<AtomicBool>);
            impl Drop for Flag {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::SeqCst);
                }
            }
            let _flag = Flag(dropped);
            started.notify_one();
            std::future::pending::<()>().await;
            Ok(Next::Done)
        }
    })
}

pub async fn a_recurring_job_runs_again_when_it_says(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let at = START + 3_600_000;
    let kind = JobKind::new("onderhoud", move |_| async move { Ok(Next::At(at)) });
    let runner = JobRunner::new(store.clone(), clock.clone(), "r", vec![kind]);
    let id = runner
        .enqueue(None, "onderhoud", "{}", Duration::ZERO, Some("onderhoud"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        runner.run_once().await.unwrap(),
        Some(Ran::Rescheduled { id, at })
    );
    let queued = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!((queued.id, queued.run_at, queued.attempts), (id, at, 0));
    assert_eq!(runner.run_once().await.unwrap(), None, "not due yet");
    clock.advance(Duration::from_secs(3600));
    assert!(matches!(
        runner.run_once().await.unwrap(),
        Some(Ran::Rescheduled { .. })
    ));
}

pub async fn a_runner_that_lost_the_lease_stops_the_handler(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let (started, dropped) = (Arc::new(Notify::new()), Arc::new(AtomicBool::new(false)));
    // A short lease: renewed every 100 ms of real time.
    let kind = waiting("sync", &started, &dropped).lease(Duration::from_millis(300));
    let runner = JobRunner::new(store.clone(), clock.clone(), "traag", vec![kind]);
    let id = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, None)
        .await
        .unwrap()
        .unwrap();
    let run = tokio::spawn(async move { runner.run_once().await });
    started.notified().await;
    // The runner seems dead to the others (its lease ran out on their clock): one takes over.
    clock.advance(Duration::from_secs(1));
    let now = clock.now_millis();
    let taken = store
        .claim_job("sync", "ander", now, now + 60_000)
        .await
        .unwrap();
    assert_eq!(taken.map(|j| j.id), Some(id));
    assert_eq!(run.await.unwrap().unwrap(), Some(Ran::Lost(id)));
    assert!(dropped.load(Ordering::SeqCst), "the handler was stopped");
    assert!(store.complete_job(id, "ander").await.unwrap(), "theirs now");
}

pub async fn a_stopped_runner_gives_its_jobs_back(store: Store) {
    let clock = Arc::new(ManualClock::at(START));
    let (started, dropped) = (Arc::new(Notify::new()), Arc::new(AtomicBool::new(false)));
    let runner = Arc::new(JobRunner::new(
        store.clone(),
        clock.clone(),
        "stopt",
        vec![waiting("sync", &started, &dropped)],
    ));
    let id = runner
        .enqueue(None, "sync", "{}", Duration::ZERO, None)
        .await
        .unwrap()
        .unwrap();
    let (stop, stopped) = watch::channel(false);
    let run = tokio::spawn(Arc::clone(&runner).run(
        Duration::from_secs(3600),
        Arc::new(Notify::new()),
        stopped,
    ));
    started.notified().await;
    let running = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!(running.lease_owner.as_deref(), Some("stopt"));
    stop.send(true).unwrap();
    run.await.unwrap();
    assert!(dropped.load(Ordering::SeqCst), "the handler was stopped");
    let back = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!((back.lease_owner.as_deref(), back.attempts), (None, 0));
    // Another runner takes it at once, without waiting for the lease.
    let now = clock.now_millis();
    let taken = store
        .claim_job("sync", "ander", now, now + 1)
        .await
        .unwrap();
    assert_eq!(taken.map(|j| (j.id, j.attempts)), Some((id, 1)));
}

pub async fn scheduling_brings_a_job_forward_and_revives_a_failed_one(store: Store) {
    let job = |run_at| NewJob {
        org: None,
        kind: "controle",
        payload: "{}",
        run_at,
        max_attempts: 1,
        unique_key: Some("domain:1"),
    };
    let later = START + 86_400_000;
    let id = store.schedule_job(&job(later), START).await.unwrap();
    assert_eq!(
        store.schedule_job(&job(later + 1), START).await.unwrap(),
        id,
        "one job per key"
    );
    assert_eq!(store.all_jobs(10).await.unwrap()[0].run_at, later, "kept");
    assert_eq!(store.schedule_job(&job(START), START).await.unwrap(), id);
    assert_eq!(
        store.all_jobs(10).await.unwrap()[0].run_at,
        START,
        "forward"
    );

    // Failed for good: scheduling it again makes it due, with its attempts afresh.
    let claimed = store
        .claim_job("controle", "r", START, START + 1)
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .fail_job(id, "r", "DNS onbereikbaar", None, claimed.attempts, START)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_job("controle", "r", START + 2, START + 3)
            .await
            .unwrap()
            .is_none()
    );
    store.schedule_job(&job(later), START + 2).await.unwrap();
    let revived = &store.all_jobs(10).await.unwrap()[0];
    assert_eq!(
        (revived.failed_at, revived.attempts, revived.run_at),
        (None, 0, later)
    );
    assert!(
        !store
            .job_running("controle", "domain:1", START + 2)
            .await
            .unwrap()
    );
    store
        .claim_job("controle", "r", later, later + 10)
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .job_running("controle", "domain:1", later + 10)
            .await
            .unwrap()
    );
    assert!(
        !store
            .job_running("controle", "domain:1", later + 11)
            .await
            .unwrap()
    );
}
