//! The byte stream under IMAP: DNS, TCP, rustls, and an inactivity time limit on reads and writes.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls;

use super::error::{ImapError, ImapStep, TlsFailure};
use super::guard::{Allowance, Guard};

/// A TCP connection, with or without TLS.
pub(crate) enum Transport {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Transport {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Transport {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Transport::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Transport::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Transport::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}

/// One direction's inactivity timer: armed when an operation has to wait, disarmed by progress.
#[derive(Default)]
struct Timer {
    sleep: Option<Pin<Box<Sleep>>>,
    armed: bool,
}

impl Timer {
    fn disarm(&mut self) {
        self.armed = false;
    }

    /// Arms the timer if needed and tells whether it has run out (registering the waker if not).
    fn expired(&mut self, limit: Option<Duration>, cx: &mut Context<'_>) -> bool {
        let Some(deadline) = limit.and_then(|limit| Instant::now().checked_add(limit)) else {
            self.armed = false;
            return false;
        };
        if !self.armed {
            match &mut self.sleep {
                Some(sleep) => sleep.as_mut().reset(deadline),
                None => self.sleep = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
            self.armed = true;
        }
        let Some(sleep) = &mut self.sleep else {
            return false;
        };
        if sleep.as_mut().poll(cx).is_ready() {
            self.armed = false;
            true
        } else {
            false
        }
    }
}

/// A [`Transport`] whose reads and writes fail with [`io::ErrorKind::TimedOut`] when they make no
/// progress for `limit`. `None` waits forever (used during IDLE).
/// Every byte read is also checked by a [`Guard`] (what the command in flight may receive).
pub(crate) struct Timed {
    inner: Transport,
    limit: Option<Duration>,
    read_timer: Timer,
    write_timer: Timer,
    guard: Guard,
}

impl Timed {
    pub(crate) fn new(inner: Transport, limit: Duration) -> Self {
        Timed {
            inner,
            limit: Some(limit),
            read_timer: Timer::default(),
            write_timer: Timer::default(),
            guard: Guard::new(Allowance::COMMAND),
        }
    }

    /// What the next command may receive.
    pub(crate) fn expect(&mut self, allowance: Allowance) {
        self.guard.expect(allowance);
    }

    pub(crate) fn set_limit(&mut self, limit: Option<Duration>) {
        self.limit = limit;
        self.read_timer.disarm();
        self.write_timer.disarm();
    }

    pub(crate) fn into_inner(self) -> Transport {
        self.inner
    }
}

impl std::fmt::Debug for Timed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timed")
            .field("tls", &matches!(self.inner, Transport::Tls(_)))
            .field("limit", &self.limit)
            .finish()
    }
}

fn timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the IMAP server sent or accepted nothing within the time limit",
    )
}

impl AsyncRead for Timed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.read_timer.disarm();
                match this.guard.feed(&buf.filled()[before..]) {
                    Ok(()) => Poll::Ready(Ok(())),
                    Err(overrun) => {
                        Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, overrun)))
                    }
                }
            }
            Poll::Ready(result) => {
                this.read_timer.disarm();
                Poll::Ready(result)
            }
            Poll::Pending if this.read_timer.expired(this.limit, cx) => {
                Poll::Ready(Err(timed_out()))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for Timed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                this.write_timer.disarm();
                Poll::Ready(result)
            }
            Poll::Pending if this.write_timer.expired(this.limit, cx) => {
                Poll::Ready(Err(timed_out()))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => {
                this.write_timer.disarm();
                Poll::Ready(result)
            }
            Poll::Pending if this.write_timer.expired(this.limit, cx) => {
                Poll::Ready(Err(timed_out()))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The host name as given, trimmed and without IPv6 brackets; `None` if it cannot be a host.
pub(crate) fn clean_host(host: &str) -> Option<&str> {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    let valid = !host.is_empty()
        && host.len() <= 253
        && !host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/');
    valid.then_some(host)
}

/// True for `localhost`, `*.localhost` and loopback IP addresses: the hosts that may be reached
/// without TLS. (The resolved addresses are checked again before connecting.)
pub(crate) fn is_loopback_host(host: &str) -> bool {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// Resolves `host` (an IP address needs no DNS).
pub(crate) async fn resolve(
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<Vec<SocketAddr>, ImapError> {
    let dns_error = || ImapError::Dns {
        host: host.to_owned(),
    };
    match tokio::time::timeout(limit, tokio::net::lookup_host((host, port))).await {
        Err(_) => Err(ImapError::Timeout {
            during: ImapStep::Dns,
        }),
        Ok(Err(error)) => {
            tracing::debug!(%error, "DNS lookup failed");
            Err(dns_error())
        }
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                Err(dns_error())
            } else {
                Ok(addrs)
            }
        }
    }
}

/// Connects to the first address that answers, each attempt within `limit`.
pub(crate) async fn connect_tcp(
    host: &str,
    addrs: &[SocketAddr],
    limit: Duration,
) -> Result<TcpStream, ImapError> {
    let mut last_error = ImapError::Dns {
        host: host.to_owned(),
    };
    for addr in addrs {
        match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                // Commands are small and answered one at a time: do not let Nagle delay them.
                if let Err(error) = stream.set_nodelay(true) {
                    tracing::debug!(%error, "TCP_NODELAY not set");
                }
                return Ok(stream);
            }
            Ok(Err(source)) => {
                last_error = ImapError::Connect {
                    host: host.to_owned(),
                    addr: *addr,
                    source,
                }
            }
            Err(_) => {
                last_error = ImapError::Timeout {
                    during: ImapStep::Connect,
                }
            }
        }
    }
    Err(last_error)
}

/// The Mozilla root certificates, built once.
fn root_store() -> Arc<rustls::RootCertStore> {
    static ROOTS: OnceLock<Arc<rustls::RootCertStore>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            Arc::new(rustls::RootCertStore::from_iter(
                webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
            ))
        })
        .clone()
}

/// TLS client handshake with `host`'s certificate checked against the Mozilla roots.
pub(crate) async fn tls_handshake(
    tcp: TcpStream,
    host: &str,
    limit: Duration,
) -> Result<TlsStream<TcpStream>, ImapError> {
    let failed = |failure| ImapError::Tls {
        host: host.to_owned(),
        failure,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| failed(TlsFailure::Handshake(error.to_string())))?
        .with_root_certificates(root_store())
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|_| failed(TlsFailure::Handshake("invalid server name".to_owned())))?;
    let connector = TlsConnector::from(Arc::new(config));
    match tokio::time::timeout(limit, connector.connect(name, tcp)).await {
        Err(_) => Err(ImapError::Timeout {
            during: ImapStep::Tls,
        }),
        Ok(Err(error)) => Err(failed(classify_tls_error(&error))),
        Ok(Ok(stream)) => Ok(stream),
    }
}

fn classify_tls_error(error: &io::Error) -> TlsFailure {
    let rustls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(problem)) => {
            TlsFailure::Certificate(problem.to_string())
        }
        Some(other) => TlsFailure::Handshake(other.to_string()),
        None => TlsFailure::Handshake(error.to_string()),
    }
}
