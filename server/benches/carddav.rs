//! `scripts/bench.sh --carddav-only` (or part of scripts/bench.sh): 10,000 contacts marked for
//! sync on SQLite, served through the whole router (HTTP Basic with an app password, as a phone
//! would use): a full sync as iOS does it (PROPFIND Depth 1 for the ETags, then
//! addressbook-multiget in batches of 100), a sync-collection after one change, and a no-change
//! poll (PROPFIND Depth 0 for CTag and sync token). Prints the median of several runs and the
//! peak RSS of the process (server and client together).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use postkamer_app::ssr::AppState;
use postkamer_core::{Core, CoreConfig, Database, UserInput};
use postkamer_domain::Role;
use postkamer_domain::relation::PersonInput;
use tower::ServiceExt;

const CONTACTS: usize = 10_000;
const RUNS: usize = 5;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Client {
    router: axum::Router,
    auth: String,
}

impl Client {
    async fn call(&self, method: &str, uri: &str, depth: &str, body: String) -> String {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, &self.auth)
            .header(header::USER_AGENT, "iOS/18.1 (bench) dataaccessd/1.0")
            .header("depth", depth)
            .header(header::CONTENT_TYPE, "text/xml")
            .body(Body::from(body))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::MULTI_STATUS);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}

/// A full sync as iOS does it: the ETags by PROPFIND Depth 1, then the cards by multiget in
/// batches of 100. Answers the whole time and the listing's.
async fn full_sync(client: &Client, book: &str, contacts: usize) -> (Duration, Duration) {
    let etags = r#"<?xml version="1.0" encoding="UTF-8"?><A:propfind xmlns:A="DAV:"><A:prop><A:getetag/><A:getcontenttype/></A:prop></A:propfind>"#;
    let start = Instant::now();
    let listing = client.call("PROPFIND", book, "1", etags.into()).await;
    let hrefs: Vec<String> = listing
        .split("<d:href>")
        .skip(2)
        .filter_map(|s| s.split("</d:href>").next())
        .map(str::to_owned)
        .collect();
    assert_eq!(hrefs.len(), contacts);
    let listed = start.elapsed();
    for batch in hrefs.chunks(100) {
        let mut body = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><B:addressbook-multiget xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:carddav"><A:prop><A:getetag/><B:address-data/></A:prop>"#,
        );
        for href in batch {
            body.push_str(&format!("<A:href>{href}</A:href>"));
        }
        body.push_str("</B:addressbook-multiget>");
        let cards = client.call("REPORT", book, "1", body).await;
        assert_eq!(cards.matches("BEGIN:VCARD").count(), batch.len());
    }
    (start.elapsed(), listed)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let contacts: usize = std::env::var("BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CONTACTS);
    let dir = tempfile::tempdir().unwrap();
    let database = Database::connect(&format!("sqlite://{}/bench.db", dir.path().display()), 10)
        .await
        .unwrap();
    database.migrate().await.unwrap();
    let core = Core::new(
        database,
        CoreConfig::new(postkamer_core::SecretKey::generate().unwrap()),
    );
    let user = core
        .bootstrap_user(
            "Bench BV",
            &UserInput {
                name: "Anna".into(),
                email: "anna@bench.nl".into(),
                role: Some(Role::Gebruiker),
                password: "een-lang-wachtwoord".into(),
            },
        )
        .await
        .unwrap();
    core.set_sync_enabled(&user, true).await.unwrap();
    let (_, secret) = core.create_app_password(&user, "bench").await.unwrap();

    let seeding = Instant::now();
    let data = postkamer_demo::generate(2026, contacts / 5, contacts);
    let mut companies = Vec::new();
    for company in &data.companies {
        companies.push(core.create_company(&user, &company.input).await.unwrap().id);
    }
    let mut persons = Vec::with_capacity(data.persons.len());
    for person in &data.persons {
        let input = PersonInput {
            synchroniseren: true,
            company_id: person.company.and_then(|i| companies.get(i).copied()),
            ..person.input.clone()
        };
        persons.push(core.create_person(&user, &input).await.unwrap().id);
    }
    println!(
        "seeded {contacts} synced contacts in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let state = AppState {
        core: core.clone(),
        leptos_options: LeptosOptions::builder().output_name("postkamer").build(),
        secure_cookies: false,
        trust_forwarded_for: false,
        sync_host: None,
        public_url: None,
    };
    let client = Client {
        router: postkamer_server::router::router(
            state,
            postkamer_server::limits::Limits::default(),
        ),
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("anna@bench.nl:{secret}"))
        ),
    };
    let book = format!("/dav/addressbooks/{}/default/", user.id);
    let ctag = r#"<?xml version="1.0" encoding="UTF-8"?><A:propfind xmlns:A="DAV:"><A:prop><B:getctag xmlns:B="http://calendarserver.org/ns/"/><A:sync-token/></A:prop></A:propfind>"#;

    // Full sync: PROPFIND Depth 1, then multiget in batches of 100.
    let mut full = Vec::new();
    let mut listing_times = Vec::new();
    for _ in 0..RUNS {
        let (total, listed) = full_sync(&client, &book, contacts).await;
        full.push(total);
        listing_times.push(listed);
    }

    // The same over a read-only book of a saved selection holding everyone.
    let everyone = core
        .save_selection(&user, "Iedereen", &Default::default())
        .await
        .unwrap();
    core.set_selection_sync(&user, everyone.id, true)
        .await
        .unwrap();
    let selection_book = format!("/dav/addressbooks/{}/selectie-{}/", user.id, everyone.id);
    let mut selection_full = Vec::new();
    for _ in 0..RUNS {
        selection_full.push(full_sync(&client, &selection_book, contacts).await.0);
    }

    // The current token, one change in the CRM, then sync-collection.
    let state = client.call("PROPFIND", &book, "0", ctag.into()).await;
    let token = state
        .split("<d:sync-token>")
        .nth(1)
        .and_then(|s| s.split("</d:sync-token>").next())
        .unwrap()
        .to_owned();
    let mut incremental = Vec::new();
    let mut token = token;
    let person = persons[0];
    for run in 0..RUNS * 4 {
        let mut current = core.person(&user, person).await.unwrap();
        current.job_title = Some(format!("Functie {run}"));
        let input = PersonInput {
            first_name: current.first_name.clone().unwrap_or_default(),
            tussenvoegsel: current.tussenvoegsel.clone().unwrap_or_default(),
            last_name: current.last_name.clone(),
            job_title: format!("Functie {run}"),
            synchroniseren: true,
            ..Default::default()
        };
        core.update_person(&user, person, &input).await.unwrap();
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"#
        );
        let start = Instant::now();
        let answer = client.call("REPORT", &book, "0", body).await;
        incremental.push(start.elapsed());
        assert_eq!(answer.matches("<d:response>").count(), 1);
        token = answer
            .split("<d:sync-token>")
            .nth(1)
            .and_then(|s| s.split("</d:sync-token>").next())
            .unwrap()
            .to_owned();
    }

    // The no-change poll.
    let mut poll = Vec::new();
    for _ in 0..RUNS * 20 {
        let start = Instant::now();
        client.call("PROPFIND", &book, "0", ctag.into()).await;
        poll.push(start.elapsed());
    }

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "full sync (PROPFIND Depth 1 + {} multigets of 100), median of {RUNS}: {:.0} ms (target < 1000 ms)",
        contacts.div_ceil(100),
        ms(median(full))
    );
    println!(
        "  of which the PROPFIND Depth 1 listing: {:.0} ms",
        ms(median(listing_times))
    );
    println!(
        "full sync of a read-only selection book of {contacts}, median of {RUNS}: {:.0} ms",
        ms(median(selection_full))
    );
    println!(
        "sync-collection after one change, median of {}: {:.2} ms (target < 10 ms)",
        RUNS * 4,
        ms(median(incremental))
    );
    println!(
        "no-change poll (PROPFIND Depth 0: CTag, sync token), median of {}: {:.2} ms (target < 5 ms)",
        RUNS * 20,
        ms(median(poll))
    );
    println!(
        "peak RSS (server and client in one process): {:.0} MB (target < 150 MB)",
        peak_rss_mb()
    );
}
