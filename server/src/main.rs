//! `postkamer`: the server and the operator's command line.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use postkamer_app::ssr::AppState;
use postkamer_core::demo;
use postkamer_core::{Core, CoreConfig, ThrottlePolicy, UserInput};
use postkamer_domain::Role;
use postkamer_server::config::{self, Config, LogFormat};
use postkamer_server::router;
use std::path::PathBuf;
use std::time::Duration;

/// Postkamer, the mail-centred CRM.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Configuration file (TOML); defaults to ./postkamer.toml when present.
    #[arg(long, global = true, env = "POSTKAMER_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the application.
    Serve,
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo organisation "Demo BV" with users and relations (skipped when present).
    Demo {
        #[arg(long, default_value_t = 50)]
        companies: usize,
        #[arg(long, default_value_t = 150)]
        persons: usize,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage users' IMAP mailbox accounts and sync them by hand.
    Mailbox {
        #[command(subcommand)]
        command: MailboxCommand,
    },
    /// Print a new random secret key (for `secret_key` / POSTKAMER_SECRET_KEY).
    SecretKey,
    /// Sending domains: SPF, DKIM (key001/key002) and DMARC.
    Domain {
        #[command(subcommand)]
        command: DomainCommand,
    },
}

#[derive(Subcommand)]
enum DomainCommand {
    /// Check a domain's records against live DNS and print the findings with their fixes.
    /// Needs no running server. Exit code 0: fine (or advice only), 1: something is wrong,
    /// 2: could not check.
    Check {
        domain: String,
        /// Ask this DNS server (ip:port) instead of the configured or system resolver.
        #[arg(long)]
        dns: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// English instead of Dutch.
        #[arg(long)]
        english: bool,
    },
}

#[derive(Subcommand)]
enum MailboxCommand {
    /// Set the IMAP account of a user (replaces an existing one).
    Add {
        /// The user's login e-mail address.
        #[arg(long)]
        user: String,
        #[arg(long)]
        host: String,
        /// Defaults to 993 for tls, 143 otherwise.
        #[arg(long)]
        port: Option<u16>,
        #[arg(long, value_enum, default_value_t = TlsArg::Tls)]
        tls: TlsArg,
        /// IMAP login name (often the e-mail address).
        #[arg(long)]
        login: String,
        /// Read the password from this environment variable instead of asking for it.
        #[arg(long)]
        password_env: Option<String>,
        /// Only sync mail on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
    /// Sync a user's mailbox now, printing per-folder counts.
    Sync {
        #[arg(long)]
        user: String,
        /// One full pass, then exit (the only mode; the server syncs continuously).
        #[arg(long)]
        once: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TlsArg {
    Tls,
    Starttls,
    None,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the organisation is created when it does not exist yet.
    Create {
        /// Organisation name.
        #[arg(long)]
        org: String,
        /// Full name, as shown in the UI.
        #[arg(long)]
        name: String,
        /// Login e-mail address (unique across organisations).
        #[arg(long)]
        email: String,
        /// SuperAdmins manage the organisation under Beheer.
        #[arg(long, value_enum, default_value_t = RoleArg::Gebruiker)]
        role: RoleArg,
        /// Read the password from this environment variable instead of asking for it.
        #[arg(long)]
        password_env: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Superadmin,
    Gebruiker,
}

/// Errors end the command with their chain of causes on one line each — never a stack trace,
/// whatever `RUST_BACKTRACE` says (they are the operator's to read, not a developer's).
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("postkamer: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  oorzaak: {cause}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref()).context("reading the configuration")?;
    init_tracing(config.log_format);
    // Checking a domain's DNS needs no database.
    if let Command::Domain {
        command:
            DomainCommand::Check {
                domain,
                dns,
                json,
                english,
            },
    } = &cli.command
    {
        let code = postkamer_server::domain_report::check(
            &config,
            domain,
            dns.as_deref(),
            *json,
            *english,
        )
        .await?;
        std::process::exit(code);
    }
    if let Command::SecretKey = cli.command {
        println!("{}", postkamer_core::SecretKey::generate()?.to_base64());
        return Ok(());
    }
    let database = postkamer_server::database::open(&config).await?;
    let core = Core::new(
        database.clone(),
        CoreConfig {
            session_ttl: Duration::from_secs(config.session_days * 24 * 3600),
            throttle: ThrottlePolicy {
                window: Duration::from_secs(config.login_window_secs),
                per_client: config.login_failures_per_client,
                per_account: config.login_failures_per_account,
                per_ip: config.login_failures_per_ip,
            },
            domains: config.domains()?,
            mail_max_message_bytes: config.mail_max_message_bytes,
            mail_hosts_deny: config::host_deny(&config.mail_hosts_deny)?,
            ..CoreConfig::new(config.secret_key()?)
        },
    );
    match cli.command {
        Command::Migrate => {
            database.migrate().await.context("migrating")?;
            println!(
                "Database is up to date ({}).",
                config::redact_url(&config.database_url)
            );
        }
        Command::Serve => {
            database.migrate().await.context("migrating")?;
            core.ensure_dkim_keys(&config.dkim_keys()?).await?;
            serve(core, &config).await?;
        }
        Command::Demo { companies, persons } => {
            database.migrate().await.context("migrating")?;
            match demo::load(&core, companies, persons).await? {
                demo::Outcome::Created { companies, persons } => {
                    println!(
                        "Demo BV aangemaakt: {companies} bedrijven, {persons} contactpersonen."
                    );
                }
                demo::Outcome::AlreadyThere => println!("Demo BV bestaat al; niets gewijzigd."),
            }
            println!("Inloggen op http://{}:", config.listen);
            println!("  SuperAdmin: {} / {}", demo::ADMIN.1, demo::ADMIN.2);
            println!("  Gebruiker:  {} / {}", demo::USER.1, demo::USER.2);
        }
        Command::Mailbox { command } => {
            database.migrate().await.context("migrating")?;
            mailbox_command(&core, command).await?;
        }
        // Answered above, before the database is opened.
        Command::Domain { .. } | Command::SecretKey => {}
        Command::User {
            command:
                UserCommand::Create {
                    org,
                    name,
                    email,
                    role,
                    password_env,
                },
        } => {
            database.migrate().await.context("migrating")?;
            let password = match password_env {
                Some(var) => std::env::var(&var)
                    .with_context(|| format!("environment variable {var} is not set"))?,
                None => {
                    rpassword::prompt_password("Wachtwoord: ").context("reading the password")?
                }
            };
            let role = match role {
                RoleArg::Superadmin => Role::SuperAdmin,
                RoleArg::Gebruiker => Role::Gebruiker,
            };
            let input = UserInput {
                name,
                email,
                role: Some(role),
                password,
            };
            match core.bootstrap_user(&org, &input).await {
                Ok(user) => println!(
                    "Gebruiker {} ({}) aangemaakt in {org}.",
                    user.email,
                    role.as_str()
                ),
                Err(postkamer_core::CoreError::Validation(errors)) => {
                    for e in &errors.0 {
                        eprintln!(
                            "{}: {}",
                            e.field,
                            e.error.message(postkamer_domain::Locale::Nl)
                        );
                    }
                    anyhow::bail!("gebruiker niet aangemaakt");
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    database.close().await;
    Ok(())
}

/// `postkamer mailbox …`
async fn mailbox_command(core: &Core, command: MailboxCommand) -> anyhow::Result<()> {
    use postkamer_domain::mail::{MailboxInput, TlsMode};
    match command {
        MailboxCommand::Add {
            user,
            host,
            port,
            tls,
            login,
            password_env,
            since,
        } => {
            let user = find_user(core, &user).await?;
            let password = match password_env {
                Some(var) => std::env::var(&var)
                    .with_context(|| format!("environment variable {var} is not set"))?,
                None => rpassword::prompt_password("IMAP-wachtwoord: ")
                    .context("reading the password")?,
            };
            let input = MailboxInput {
                host,
                port: port.map(|p| p.to_string()).unwrap_or_default(),
                tls: match tls {
                    TlsArg::Tls => TlsMode::Tls,
                    TlsArg::Starttls => TlsMode::StartTls,
                    TlsArg::None => TlsMode::None,
                },
                login,
                password,
                since: since.unwrap_or_default(),
                enabled: true,
            };
            match core.save_mailbox(&user, &input).await {
                Ok(saved) => println!(
                    "Mailbox voor {} opgeslagen: {}:{} ({}), login {}.",
                    user.email, saved.host, saved.port, saved.tls, saved.login
                ),
                Err(postkamer_core::CoreError::Validation(errors)) => {
                    for e in &errors.0 {
                        eprintln!(
                            "{}: {}",
                            e.field,
                            e.error.message(postkamer_domain::Locale::Nl)
                        );
                    }
                    anyhow::bail!("mailbox niet opgeslagen");
                }
                Err(err) => return Err(err.into()),
            }
        }
        MailboxCommand::Sync { user, once: _ } => {
            let user = find_user(core, &user).await?;
            let mailbox = core.mailbox_record(&user).await?.with_context(|| {
                format!("{} heeft geen mailbox (postkamer mailbox add)", user.email)
            })?;
            let started = std::time::Instant::now();
            match core.sync_mailbox_once(&mailbox).await {
                Ok(report) => {
                    for f in &report.folders {
                        println!(
                            "{:<12} {:>7} op server  {:>7} opgehaald  {:>6} verwijderd  {:>6} vlaggen  {:>8.2} s",
                            f.name,
                            f.on_server,
                            f.fetched,
                            f.removed,
                            f.flags_changed,
                            f.elapsed.as_secs_f64()
                        );
                    }
                    for role in &report.missing {
                        println!("{:<12} niet gevonden op de server", role.label_nl());
                    }
                    let secs = started.elapsed().as_secs_f64();
                    let fetched = report.fetched();
                    println!(
                        "Klaar in {secs:.2} s: {fetched} berichten opgehaald ({:.0} per seconde).",
                        fetched as f64 / secs.max(0.001)
                    );
                }
                Err(postkamer_core::CoreError::Mail { nl, .. }) => anyhow::bail!("{nl}"),
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(())
}

async fn find_user(core: &Core, email: &str) -> anyhow::Result<postkamer_domain::User> {
    let address = postkamer_domain::EmailAddress::parse(email)
        .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
    core.user_by_email(&address)
        .await?
        .with_context(|| format!("geen gebruiker met e-mailadres {email}"))
}

fn init_tracing(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn serve(core: Core, config: &Config) -> anyhow::Result<()> {
    let mut leptos_options = leptos::config::get_configuration(None)
        .context("reading the Leptos options (LEPTOS_* variables or Cargo.toml)")?
        .leptos_options;
    leptos_options.site_addr = config.listen;
    let state = AppState {
        core: core.clone(),
        leptos_options,
        secure_cookies: config.secure_cookies(),
        trust_forwarded_for: config.trust_forwarded_for,
        sync_host: config.sync_host.as_deref().map(str::to_ascii_lowercase),
        public_url: config.public_url.clone(),
    };
    let app = router::router(state, config.limits());
    // Mail sync, domain re-checks and housekeeping: jobs in the database, each run by one
    // instance however many share it.
    let (stop_background, background_stopped) = tokio::sync::watch::channel(false);
    let background = {
        let owner = format!("{}-{}", config.listen, uuid::Uuid::new_v4());
        let mut jobs = postkamer_core::background::BackgroundConfig::new(owner);
        jobs.mail_sync = config
            .mail_sync
            .then(|| postkamer_core::mail::WorkerConfig {
                poll: Duration::from_secs(config.mail_poll_secs.max(10)),
                max_message_bytes: config.mail_max_message_bytes,
                ..Default::default()
            });
        jobs.domain_checks = config.domain_checks;
        tokio::spawn(async move { core.run_background(jobs, background_stopped).await })
    };

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    tracing::info!(address = %config.listen, config = ?config, "serving");
    postkamer_server::serve::serve(listener, app, config.header_timeout(), shutdown_signal())
        .await
        .context("serving")?;
    let _ = stop_background.send(true);
    let _ = background.await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
