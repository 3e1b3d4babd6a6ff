//! `scripts/bench.sh --domains-only` (or part of scripts/bench.sh): how long a whole domain check
//! takes against a local authoritative DNS server (the throw-away Knot the script starts), for a
//! correct domain and for one whose SPF needs 11 lookups through nested includes; and how fast
//! the record diagnosis runs on its own (no DNS). Prints p50/p90/p99 and the peak RSS.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/dns.rs"]
mod dns;

use std::time::{Duration, Instant};

use dns::{Rr, TOKEN, TestDns, txt};
use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, DnsConfig, Expected, ExpectedKeys, check_domain, dkim,
};

const ROUNDS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<44} p50 {:>7.2} ms   p90 {:>7.2} ms   p99 {:>7.2} ms   ({} runs)",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.9).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.len()
    );
}

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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dns = TestDns::from_env();
    let (k1, k2) = (
        DkimKeyPair::generate().unwrap(),
        DkimKeyPair::generate().unwrap(),
    );
    let keys = ExpectedKeys {
        key001: k1.public_key_b64().to_owned(),
        key002: k2.public_key_b64().to_owned(),
    };
    let expected = Expected {
        keys: &keys,
        token: Some(TOKEN),
    };
    let config = CheckConfig {
        dns: DnsConfig {
            servers: vec![dns.server],
            timeout: Duration::from_secs(2),
        },
        spf_include: dns.spf_include(),
        envelope_domain: None,
    };

    // A correct domain.
    let good = dns.domain("bench-good");
    dns.publish_good_domain(&good, &k1.dns_record(), &k2.dns_record())
        .await;

    // SPF with 11 lookups through three levels of includes.
    let deep = dns.domain("bench-deep");
    let a = dns.publish_lookup_chain(&deep).await;
    let spf = format!("v=spf1 include:{a} include:{} -all", dns.spf_include());
    dns.set(&deep, &[Rr::Mx(format!("host.{deep}")), txt(&spf)])
        .await;

    for (name, domain) in [
        ("check, correct domain", &good),
        ("check, SPF with 11 lookups in 3 levels", &deep),
    ] {
        let first = check_domain(&config, domain, expected, 0).await;
        assert!(first.complete());
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let report = check_domain(&config, domain, expected, 0).await;
            times.push(start.elapsed());
            assert!(report.complete());
        }
        report(name, times);
    }

    // The diagnosis alone: a damaged key record, 100,000 times.
    let record = k1.dns_record();
    let damaged = vec![vec![
        format!("\"{} {}\"", &record[..200], &record[200..record.len() - 9]).into_bytes(),
    ]];
    let start = Instant::now();
    let n = 100_000;
    for _ in 0..n {
        std::hint::black_box(dkim::diagnose(
            std::hint::black_box(&damaged),
            &keys.key001,
            None,
        ));
    }
    let per = start.elapsed() / n;
    println!(
        "{:<44} {:>7.2} µs per record",
        "DKIM diagnosis of a damaged record",
        per.as_secs_f64() * 1e6
    );
    println!("{:<44} {:>7.1} MB", "peak RSS", peak_rss_mb());
}
