//! Sending over SMTP: one transaction per message with lettre's connection on tokio-rustls
//! (implicit TLS, STARTTLS, or plain to a server on this computer only), AUTH PLAIN/LOGIN.
//!
//! The recipients are given to the server one by one, so a refused recipient is reported by
//! itself and the accepted ones get the message (lettre's transport would fail the whole
//! transaction on one refusal). A refusal of the message itself (MAIL FROM, DATA) or a broken
//! connection is an [`SmtpError`], permanent or worth a retry.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, Certificate, CertificateStore, TlsParameters,
};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use postkamer_domain::mail::TlsMode;

use crate::imap::HostDeny;
use crate::imap::transport::is_loopback_host;

mod error;

pub use error::{SmtpError, SmtpReply, SmtpStep};

/// An SMTP server to send through and how to log in to it.
#[derive(Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Login and password; `None` sends without AUTH (a relay that trusts our address).
    pub credentials: Option<(String, String)>,
    /// The name in EHLO.
    pub hello_name: String,
    /// The limit on each step (connecting, every command, the message).
    pub timeout: Duration,
    /// Certificates (DER) trusted next to the Mozilla roots, for servers with a certificate of
    /// an organisation's own CA.
    pub extra_roots: Vec<Vec<u8>>,
    /// Networks the operator does not let mail connections reach (`mail_hosts_deny`).
    pub deny: HostDeny,
}

impl fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("login", &self.credentials.as_ref().map(|(login, _)| login))
            .finish_non_exhaustive()
    }
}

/// What the server did with each recipient of a message it took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// The recipients the message was delivered to (the server's 250 after DATA).
    pub accepted: Vec<String>,
    /// The recipients the server refused, each with its reply; the message was not sent to
    /// these.
    pub refused: Vec<(String, SmtpReply)>,
}

/// Sends `message` (the finished bytes, signed if they are to be) from `from` to `recipients`.
/// `Ok` when the server took the message for at least one recipient, or refused every one of
/// them (then `accepted` is empty and nothing was sent).
pub async fn deliver(
    server: &SmtpServer,
    from: &str,
    recipients: &[String],
    message: &[u8],
) -> Result<Delivery, SmtpError> {
    let sender = parse_address(from)?;
    let mut connection = open(server).await?;
    let result = transaction(server, &mut connection, sender, recipients, message).await;
    if result.is_ok() {
        // The message is taken; a failing QUIT changes nothing.
        let _ = step(server, SmtpStep::Quit, connection.quit()).await;
    } else {
        connection.abort().await;
    }
    result
}

/// Connects, secures and logs in, then says goodbye: "Verbinding testen".
pub async fn check(server: &SmtpServer) -> Result<(), SmtpError> {
    let mut connection = open(server).await?;
    step(server, SmtpStep::Quit, connection.quit()).await?;
    Ok(())
}

async fn transaction(
    server: &SmtpServer,
    connection: &mut AsyncSmtpConnection,
    sender: Address,
    recipients: &[String],
    message: &[u8],
) -> Result<Delivery, SmtpError> {
    let mut parameters = Vec::new();
    if !message.is_ascii() {
        if !connection
            .server_info()
            .supports_feature(Extension::EightBitMime)
        {
            return Err(SmtpError::EightBitUnsupported);
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    step(
        server,
        SmtpStep::MailFrom,
        connection.command(Mail::new(Some(sender), parameters)),
    )
    .await?;

    let mut delivery = Delivery::default();
    for recipient in recipients {
        let address = match parse_address(recipient) {
            Ok(address) => address,
            Err(_) => {
                delivery
                    .refused
                    .push((recipient.clone(), SmtpReply::invalid_address()));
                continue;
            }
        };
        match step(
            server,
            SmtpStep::RcptTo,
            connection.command(Rcpt::new(address, Vec::new())),
        )
        .await
        {
            Ok(_) => delivery.accepted.push(recipient.clone()),
            Err(SmtpError::Refused { reply, .. }) => {
                delivery.refused.push((recipient.clone(), reply));
            }
            Err(other) => return Err(other),
        }
    }
    if delivery.accepted.is_empty() {
        return Ok(delivery);
    }
    step(server, SmtpStep::Data, connection.command(Data)).await?;
    // lettre ends the data with CRLF . CRLF itself; without this the server would get one
    // empty line more than the message has.
    let content = message.strip_suffix(b"\r\n").unwrap_or(message);
    step(server, SmtpStep::Message, connection.message(content)).await?;
    Ok(delivery)
}

/// A connection that is secured as `server.tls` says and logged in.
async fn open(server: &SmtpServer) -> Result<AsyncSmtpConnection, SmtpError> {
    let host = server.host.trim();
    if server.tls == TlsMode::None && !is_loopback_host(host) {
        return Err(SmtpError::PlainRefused {
            host: host.to_owned(),
        });
    }
    let addrs = resolve(server, host).await?;
    let hello = ClientId::Domain(server.hello_name.clone());
    let implicit = match server.tls {
        TlsMode::Tls => Some(tls_parameters(server, host)?),
        TlsMode::StartTls | TlsMode::None => None,
    };
    let mut connection = step(
        server,
        SmtpStep::Connect,
        AsyncSmtpConnection::connect_tokio1(
            addrs.as_slice(),
            Some(server.timeout),
            &hello,
            implicit,
            None,
        ),
    )
    .await?;
    if server.tls == TlsMode::StartTls {
        if !connection.can_starttls() {
            connection.abort().await;
            return Err(SmtpError::StartTlsUnsupported);
        }
        let parameters = tls_parameters(server, host)?;
        step(
            server,
            SmtpStep::StartTls,
            connection.starttls(parameters, &hello),
        )
        .await?;
    }
    if let Some((login, password)) = &server.credentials {
        let credentials = Credentials::new(login.clone(), password.clone());
        let auth = step(
            server,
            SmtpStep::Auth,
            connection.auth(&[Mechanism::Plain, Mechanism::Login], &credentials),
        )
        .await;
        if let Err(error) = auth {
            connection.abort().await;
            return Err(error);
        }
    }
    Ok(connection)
}

async fn resolve(server: &SmtpServer, host: &str) -> Result<Vec<SocketAddr>, SmtpError> {
    let dns_error = || SmtpError::Dns {
        host: host.to_owned(),
    };
    let mut addrs: Vec<SocketAddr> =
        tokio::time::timeout(server.timeout, tokio::net::lookup_host((host, server.port)))
            .await
            .map_err(|_| dns_error())?
            .map_err(|_| dns_error())?
            .collect();
    if addrs.iter().any(|addr| server.deny.refuses(addr.ip())) {
        tracing::warn!(%host, "SMTP host refused by mail_hosts_deny");
        return Err(SmtpError::HostDenied {
            host: host.to_owned(),
        });
    }
    if server.tls == TlsMode::None {
        addrs.retain(|addr| addr.ip().is_loopback());
    }
    if addrs.is_empty() {
        return Err(dns_error());
    }
    Ok(addrs)
}

fn tls_parameters(server: &SmtpServer, host: &str) -> Result<TlsParameters, SmtpError> {
    let mut builder =
        TlsParameters::builder(host.to_owned()).certificate_store(CertificateStore::WebpkiRoots);
    for der in &server.extra_roots {
        let certificate = Certificate::from_der(der.clone())
            .map_err(|e| SmtpError::Tls(format!("extra root certificate: {e}")))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_rustls()
        .map_err(|e| SmtpError::Tls(e.to_string()))
}

fn parse_address(address: &str) -> Result<Address, SmtpError> {
    address
        .parse::<Address>()
        .map_err(|_| SmtpError::InvalidAddress(address.to_owned()))
}

/// Runs one step within the time limit, its error in our terms.
async fn step<T>(
    server: &SmtpServer,
    which: SmtpStep,
    future: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, SmtpError> {
    match tokio::time::timeout(server.timeout, future).await {
        Ok(result) => result.map_err(|e| SmtpError::from_lettre(which, &e)),
        Err(_) => Err(SmtpError::Timeout(which)),
    }
}

#[cfg(test)]
mod tests;
