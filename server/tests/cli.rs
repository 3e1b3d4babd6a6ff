//! The operator's command line against the throw-away Dovecot of scripts/test.sh:
//! `postkamer mailbox add` and `postkamer mailbox sync --once`; and `postkamer domain check`
//! against the throw-away Knot.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

use std::process::{Command, Output};

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_postkamer"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .env(
                "POSTKAMER_DATABASE_URL",
                format!("sqlite://{}/cli.db", self.dir.path().display()),
            )
            .env(
                "POSTKAMER_SECRET_KEY_FILE",
                self.dir.path().join("secret.key"),
            )
            .env("PK_TEST_USER_PASSWORD", "een-lang-wachtwoord")
            .env("POSTKAMER_SPF_INCLUDE", "spf.postkamer.test")
            .env("POSTKAMER_DNS_TIMEOUT_MS", "500")
            .output()
            .unwrap()
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn imap() -> (String, String) {
    let address = std::env::var("POSTKAMER_TEST_IMAP")
        .expect("POSTKAMER_TEST_IMAP is not set: run under scripts/test.sh (it starts Dovecot)");
    let (host, port) = address.rsplit_once(':').unwrap();
    (host.to_owned(), port.to_owned())
}

#[test]
fn mailbox_add_and_sync_once() {
    let cli = Cli::new();
    let (host, port) = imap();
    let login = format!(
        "cli-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let created = cli.run(&[
        "user",
        "create",
        "--org",
        "CLI BV",
        "--name",
        "Anna",
        "--email",
        "anna@cli.nl",
        "--password-env",
        "PK_TEST_USER_PASSWORD",
    ]);
    assert!(created.status.success(), "{}", text(&created));

    // A plaintext connection to another machine is refused with the reason.
    let refused = cli.run(&[
        "mailbox",
        "add",
        "--user",
        "anna@cli.nl",
        "--host",
        "imap.voorbeeld.nl",
        "--tls",
        "none",
        "--login",
        &login,
        "--password-env",
        "POSTKAMER_TEST_IMAP_PASSWORD",
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("Zonder versleuteling"),
        "{}",
        text(&refused)
    );

    // The wrong port: saved (settings are not checked against the server), the sync fails.
    let added = cli.run(&[
        "mailbox",
        "add",
        "--user",
        "anna@cli.nl",
        "--host",
        &host,
        "--port",
        "1",
        "--tls",
        "none",
        "--login",
        &login,
        "--password-env",
        "POSTKAMER_TEST_IMAP_PASSWORD",
    ]);
    assert!(added.status.success(), "{}", text(&added));
    let failed = cli.run(&["mailbox", "sync", "--user", "anna@cli.nl", "--once"]);
    assert!(!failed.status.success());
    assert!(
        text(&failed).contains("weigert de verbinding"),
        "{}",
        text(&failed)
    );

    let added = cli.run(&[
        "mailbox",
        "add",
        "--user",
        "anna@cli.nl",
        "--host",
        &host,
        "--port",
        &port,
        "--tls",
        "none",
        "--login",
        &login,
        "--password-env",
        "POSTKAMER_TEST_IMAP_PASSWORD",
    ]);
    assert!(added.status.success(), "{}", text(&added));
    let synced = cli.run(&["mailbox", "sync", "--user", "anna@cli.nl", "--once"]);
    let out = text(&synced);
    assert!(synced.status.success(), "{out}");
    for folder in ["INBOX", "Sent", "Trash"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(folder) && l.contains("op server")),
            "{folder}: {out}"
        );
    }
    assert!(out.contains("Klaar in"), "{out}");

    let unknown = cli.run(&["mailbox", "sync", "--user", "niemand@cli.nl", "--once"]);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).contains("geen gebruiker"),
        "{}",
        text(&unknown)
    );
}

#[test]
fn domain_check_prints_findings_with_fixes_and_exits_by_outcome() {
    let cli = Cli::new();
    let dns = std::env::var("POSTKAMER_TEST_DNS").expect("run through scripts/test.sh (Knot)");
    let zone = std::env::var("POSTKAMER_TEST_DNS_ZONE").unwrap_or_else(|_| "postkamer.test".into());
    // Nothing published under this name: the domain does not exist.
    let domain = format!("cli-{}-{}.{zone}", std::process::id(), rand_suffix());
    let out = cli.run(&["domain", "check", &domain, "--dns", &dns]);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains(&format!("Domein {domain} — Fout ingesteld")),
        "{printed}"
    );
    assert!(printed.contains("Het domein bestaat niet"), "{printed}");
    assert!(
        printed.contains(&format!(
            "Publiceren: TXT key001._domainkey (key001._domainkey.{domain})"
        )),
        "{printed}"
    );
    assert!(
        printed.contains("v=DKIM1;h=sha256;k=rsa;p=MIIB"),
        "{printed}"
    );
    assert!(
        printed.contains("v=spf1 include:spf.postkamer.test -all"),
        "{printed}"
    );

    let out = cli.run(&["domain", "check", &domain, "--dns", &dns, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON only");
    assert_eq!(json["report"]["findings"][0]["code"], "domain_missing");
    assert_eq!(json["publish"][1]["relative_host"], "key001._domainkey");

    // No DNS server there: "could not check", exit 2, never "wrong".
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let out = cli.run(&["domain", "check", &domain, "--dns", &closed]);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(printed.contains("Kon niet controleren"), "{printed}");
    assert!(!printed.contains("Fout ingesteld"), "{printed}");

    let out = cli.run(&["domain", "check", "geen domein"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("Dit is geen geldige domeinnaam"),
        "{}",
        text(&out)
    );
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000
}
