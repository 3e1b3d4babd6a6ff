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
        self.run_with(args, &[])
    }

    /// Runs with some variables changed (`None`: removed).
    fn run_with(&self, args: &[&str], vars: &[(&str, Option<&str>)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_postkamer"));
        command.args(args);
        command
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
            .env("POSTKAMER_DNS_TIMEOUT_MS", "500");
        for (name, value) in vars {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        command.output().unwrap()
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
    // The installation's database holds the DKIM keys to compare with.
    assert!(cli.run(&["migrate"]).status.success());
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

/// A 2048-bit RSA key in PEM, as an operator makes one for `dkim_key00x_file`.
fn dkim_key_file(dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(name);
    let made = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    path.display().to_string()
}

#[test]
fn domain_check_needs_no_database() {
    let cli = Cli::new();
    let dns = std::env::var("POSTKAMER_TEST_DNS").expect("run through scripts/test.sh (Knot)");
    let zone = std::env::var("POSTKAMER_TEST_DNS_ZONE").unwrap_or_else(|_| "postkamer.test".into());
    let domain = format!("nodb-{}-{}.{zone}", std::process::id(), rand_suffix());
    let nowhere = cli.dir.path().join("bestaat-niet/pk.db");
    let url = format!("sqlite://{}", nowhere.display());
    let key001 = dkim_key_file(cli.dir.path(), "key001.pem");
    let key002 = dkim_key_file(cli.dir.path(), "key002.pem");
    let out = cli.run_with(
        &["domain", "check", &domain, "--dns", &dns],
        &[
            ("POSTKAMER_DATABASE_URL", Some(&url)),
            ("POSTKAMER_DKIM_KEY001_FILE", Some(&key001)),
            ("POSTKAMER_DKIM_KEY002_FILE", Some(&key002)),
        ],
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(printed.contains("Het domein bestaat niet"), "{printed}");
    assert!(
        !nowhere.exists() && !nowhere.parent().unwrap().exists(),
        "nothing created"
    );

    // Neither keys nor a database: said plainly, exit 2 ("could not check").
    let out = cli.run_with(
        &["domain", "check", &domain, "--dns", &dns],
        &[("POSTKAMER_DATABASE_URL", Some(&url))],
    );
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(printed.contains("geen DKIM-sleutels"), "{printed}");
    assert!(printed.contains("dkim_key001_file"), "{printed}");
    assert!(!nowhere.exists());
}

#[test]
fn a_database_that_cannot_be_opened_is_named_without_a_stack_trace() {
    let cli = Cli::new();
    // A file under a regular file: no directory can be made there.
    let blocker = cli.dir.path().join("geen-map");
    std::fs::write(&blocker, "").unwrap();
    let url = format!("sqlite://{}/pk.db", blocker.display());
    for backtrace in [None, Some("1"), Some("full")] {
        let out = cli.run_with(
            &["migrate"],
            &[
                ("POSTKAMER_DATABASE_URL", Some(&url)),
                ("RUST_BACKTRACE", backtrace),
            ],
        );
        let printed = text(&out);
        assert_eq!(out.status.code(), Some(1), "{printed}");
        assert!(
            printed.contains(&format!("{}/pk.db", blocker.display())),
            "{printed}"
        );
        assert!(printed.contains("database_url"), "{printed}");
        assert!(printed.contains("POSTKAMER_DATABASE_URL"), "{printed}");
        for trace in [
            "stack backtrace",
            "Stack backtrace",
            "panicked",
            "at src/",
            "rust_begin",
        ] {
            assert!(!printed.contains(trace), "{backtrace:?}: {printed}");
        }
    }
}

#[cfg(unix)]
#[test]
fn the_database_and_the_secret_key_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let cli = Cli::new();
    let data = cli.dir.path().join("data");
    let url = format!("sqlite://{}/pk.db", data.display());
    let key = data.join("secret.key");
    let vars = [
        ("POSTKAMER_DATABASE_URL", Some(url.as_str())),
        ("POSTKAMER_SECRET_KEY_FILE", Some(key.to_str().unwrap())),
    ];
    let out = cli.run_with(&["migrate"], &vars);
    assert!(out.status.success(), "{}", text(&out));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "data/");
    assert_eq!(mode(&data.join("pk.db")), 0o600, "the database file");
    assert_eq!(mode(&key), 0o600, "the secret key");

    // A key file others may read is refused, with the fix.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = cli.run_with(&["migrate"], &vars);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains(&format!("chmod 600 {}", key.display())),
        "{printed}"
    );
}
