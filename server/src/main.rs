//! `postkamer`: the server and the operator's command line.

use anyhow::Context;
use clap::Parser;
use postkamer_app::ssr::AppState;
use postkamer_core::demo;
use postkamer_core::{Core, CoreConfig, ThrottlePolicy, UserInput};
use postkamer_domain::Role;
use postkamer_server::config::{self, Config, LogFormat};
use postkamer_server::router;
use std::time::Duration;

mod cli;
mod commands;

use cli::{Cli, Command, DomainCommand, RoleArg, UserCommand};
use commands::mailbox_command;

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
            sending: config.sending()?,
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
                    return Err(commands::invalid(&errors, "gebruiker niet aangemaakt"));
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    database.close().await;
    Ok(())
}

/// `postkamer mailbox …`
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
