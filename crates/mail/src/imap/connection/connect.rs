//! Connecting: DNS, TCP, TLS or STARTTLS, the greeting, logging in, the capabilities and
//! QRESYNC; and logging out.

use std::time::Duration;

use async_imap::imap_proto::{Response, Status};

use super::{Client, ImapConnection, MAX_MESSAGE_BYTES, SEARCH_WINDOW};
use crate::imap::capabilities::Capabilities;
use crate::imap::error::{
    BadInput, ImapError, ImapStep, TlsFailure, io_error, lib_error, login_error,
};
use crate::imap::syntax::outcome_text;
use crate::imap::transport::{self, Timed, Transport};
use crate::imap::{ImapAccount, TlsMode};

impl ImapConnection {
    /// Connects, secures the connection as `account.tls` says, logs in and reads the
    /// capabilities. `timeout` limits each step (DNS, TCP, TLS, and then every read and write
    /// without progress, for the life of the connection).
    #[tracing::instrument(
        skip_all,
        fields(host = %account.host, port = account.port, tls = %account.tls),
        err
    )]
    pub async fn connect(account: &ImapAccount, timeout: Duration) -> Result<Self, ImapError> {
        let host =
            transport::clean_host(&account.host).ok_or(ImapError::InvalidInput(BadInput::Host))?;
        let bad_credential = |s: &str| s.contains(['\r', '\n', '\0']);
        if bad_credential(&account.login) || bad_credential(&account.password) {
            return Err(ImapError::InvalidInput(BadInput::Credentials));
        }
        let plaintext_refused = || ImapError::PlaintextRefused {
            host: host.to_owned(),
        };
        if account.tls == TlsMode::None && !transport::is_loopback_host(host) {
            return Err(plaintext_refused());
        }

        let mut addrs = transport::resolve(host, account.port, timeout).await?;
        if addrs.iter().any(|addr| account.deny.refuses(addr.ip())) {
            tracing::warn!(%host, "mail host refused by mail_hosts_deny");
            return Err(ImapError::HostDenied {
                host: host.to_owned(),
            });
        }
        if account.tls == TlsMode::None {
            addrs.retain(|addr| addr.ip().is_loopback());
            if addrs.is_empty() {
                return Err(plaintext_refused());
            }
        }
        let tcp = transport::connect_tcp(host, &addrs, timeout).await?;
        let stream = match account.tls {
            TlsMode::Tls => Transport::Tls(Box::new(
                transport::tls_handshake(tcp, host, timeout).await?,
            )),
            TlsMode::StartTls | TlsMode::None => Transport::Plain(tcp),
        };
        let mut client = Client::new(Timed::new(stream, timeout));
        read_greeting(&mut client).await?;

        if account.tls == TlsMode::StartTls {
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|error| match error {
                    async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_) => {
                        ImapError::Tls {
                            host: host.to_owned(),
                            failure: TlsFailure::NoStartTls,
                        }
                    }
                    other => lib_error(ImapStep::Tls, other),
                })?;
            // Anything the server sent after its OK is dropped with the plain stream, as
            // RFC 3501 requires.
            let Transport::Plain(tcp) = client.into_inner().into_inner() else {
                return Err(ImapError::Protocol(
                    "STARTTLS on a TLS connection".to_owned(),
                ));
            };
            let tls = transport::tls_handshake(tcp, host, timeout).await?;
            client = Client::new(Timed::new(Transport::Tls(Box::new(tls)), timeout));
        }

        let (session, capabilities) = client
            .login_with_capabilities(&account.login, &account.password)
            .await
            .map_err(|(error, _client)| login_error(error))?;
        let mut connection = ImapConnection {
            session,
            host: host.to_owned(),
            capabilities: Capabilities::default(),
            timeout,
            selected: None,
            changed: false,
            bye: None,
            search_window: SEARCH_WINDOW,
            qresync: false,
            next_allowance: None,
            max_message: MAX_MESSAGE_BYTES,
        };
        connection.capabilities = match capabilities {
            Some(capabilities) => Capabilities::from_lib(&capabilities),
            None => connection.ask_capabilities().await?,
        };
        if connection.capabilities.has_qresync {
            // A server that refuses is used without it (CONDSTORE and UID comparison).
            connection.qresync = connection
                .run(ImapStep::Capability, "ENABLE QRESYNC", &mut |response| {
                    matches!(response, Response::Capabilities(_))
                })
                .await
                .is_ok();
        }
        Ok(connection)
    }

    async fn ask_capabilities(&mut self) -> Result<Capabilities, ImapError> {
        let mut found = Capabilities::default();
        self.run(ImapStep::Capability, "CAPABILITY", &mut |response| {
            if let Response::Capabilities(list) = response {
                found = Capabilities::from_proto(list);
                return true;
            }
            false
        })
        .await?;
        Ok(found)
    }

    /// Says goodbye and closes the connection.
    #[tracing::instrument(skip_all, err)]
    pub async fn logout(mut self) -> Result<(), ImapError> {
        match self.run(ImapStep::Logout, "LOGOUT", &mut |_| false).await {
            // Some servers close right after their BYE without the tagged OK.
            Ok(()) | Err(ImapError::Closed { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

async fn read_greeting(client: &mut Client) -> Result<(), ImapError> {
    let response = match client.read_response().await {
        Ok(Some(response)) => response,
        Ok(None) => {
            return Err(ImapError::Closed {
                during: ImapStep::Greeting,
                server: String::new(),
            });
        }
        Err(error) => return Err(io_error(ImapStep::Greeting, error)),
    };
    match response.parsed() {
        Response::Data {
            status: Status::Ok, ..
        } => Ok(()),
        Response::Data {
            status: Status::Bye,
            outcome,
        } => Err(ImapError::Closed {
            during: ImapStep::Greeting,
            server: outcome_text(outcome),
        }),
        Response::Data {
            status: Status::PreAuth,
            ..
        } => Err(ImapError::Protocol(
            "the server greets with PREAUTH, which is not supported".to_owned(),
        )),
        _ => Err(ImapError::Protocol("no IMAP greeting".to_owned())),
    }
}
