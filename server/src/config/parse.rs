//! The configuration's lists and URLs as text: `mail_hosts_deny`, `dns_servers`, and a database
//! URL with its password hidden.

/// `mail_hosts_deny`: CIDR networks (a bare address is its own network), comma-separated.
pub fn host_deny(list: &str) -> anyhow::Result<postkamer_core::mail::HostDeny> {
    let networks = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "mail_hosts_deny: '{s}' is not a network (write e.g. 10.0.0.0/8 or fc00::/7)"
                    )
                })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(postkamer_core::mail::HostDeny::new(networks))
}

/// `ip:port` (or a bare ip, port 53), comma-separated: `dns_servers` and `domain check --dns`.
pub fn dns_servers(list: &str) -> anyhow::Result<Vec<std::net::SocketAddr>> {
    use anyhow::Context;
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<std::net::SocketAddr>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(|ip| (ip, 53).into()))
                .with_context(|| format!("dns_servers: {s:?} is not ip:port"))
        })
        .collect()
}

/// Hides the password in a database URL (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// `smtp_relay_url`: `smtp://` (STARTTLS, port 587), `smtps://` (TLS, 465) or `smtp+plain://`
/// (no TLS, 25; this computer only), then `[user[:password]@]host[:port]`, user and password
/// percent-encoded.
pub fn smtp_relay(url: &str) -> anyhow::Result<postkamer_core::sending::Relay> {
    use postkamer_domain::mail::TlsMode;
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        anyhow::anyhow!("not a URL; write e.g. smtp://user:password@smtp.example.nl:587")
    })?;
    let tls = match scheme.to_ascii_lowercase().as_str() {
        "smtp" => TlsMode::StartTls,
        "smtps" => TlsMode::Tls,
        "smtp+plain" => TlsMode::None,
        other => {
            anyhow::bail!("unknown scheme {other}: use smtp (STARTTLS), smtps (TLS) or smtp+plain")
        }
    };
    let rest = rest.trim_end_matches('/');
    let (userinfo, hostport) = match rest.rsplit_once('@') {
        Some((userinfo, hostport)) => (Some(userinfo), hostport),
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || hostport.starts_with('[') => (
            host,
            port.parse::<u16>()
                .map_err(|_| anyhow::anyhow!("the port {port} is not a number from 1 to 65535"))?,
        ),
        _ => (hostport, tls.smtp_default_port()),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        anyhow::bail!("the host is missing");
    }
    if tls == TlsMode::None && !postkamer_domain::mail::is_loopback_host(host) {
        anyhow::bail!("smtp+plain (no TLS) is only for a relay on this computer (127.0.0.1)");
    }
    let credentials = userinfo
        .map(|info| {
            let (user, password) = info.split_once(':').unwrap_or((info, ""));
            Ok::<_, anyhow::Error>((percent_decode(user)?, percent_decode(password)?))
        })
        .transpose()?;
    Ok(postkamer_core::sending::Relay {
        host: host.to_owned(),
        port,
        tls,
        credentials,
    })
}

fn percent_decode(text: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = tail
                .get(..2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "a % in the user or password must be followed by two hex digits"
                    )
                })?;
            bytes.push(hex);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("the user or password is not UTF-8"))
}

/// The certificates (DER) of a PEM file.
pub fn certificates(pem: &[u8]) -> anyhow::Result<Vec<Vec<u8>>> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let certificates = CertificateDer::pem_slice_iter(pem)
        .map(|c| c.map(|c| c.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("not a PEM file of certificates: {e}"))?;
    if certificates.is_empty() {
        anyhow::bail!("no certificate in it (-----BEGIN CERTIFICATE-----)");
    }
    Ok(certificates)
}

#[cfg(test)]
mod smtp_tests {
    use super::*;
    use postkamer_domain::mail::TlsMode;

    #[test]
    fn relay_urls_name_the_tls_mode_port_and_credentials() {
        let relay = smtp_relay("smtp://relay%40postkamer:p%3As%20w@smtp.postkamer.nl").unwrap();
        assert_eq!(
            (relay.host.as_str(), relay.port, relay.tls),
            ("smtp.postkamer.nl", 587, TlsMode::StartTls)
        );
        assert_eq!(
            relay.credentials,
            Some(("relay@postkamer".to_owned(), "p:s w".to_owned()))
        );
        let relay = smtp_relay("smtps://smtp.postkamer.nl:2465/").unwrap();
        assert_eq!(
            (relay.port, relay.tls, relay.credentials),
            (2465, TlsMode::Tls, None)
        );
        assert_eq!(smtp_relay("smtp+plain://127.0.0.1").unwrap().port, 25);
        for bad in [
            "smtp.postkamer.nl",
            "imap://x",
            "smtp://host:99999",
            "smtp+plain://smtp.postkamer.nl",
            "smtp://u:%zz@host",
            "smtp://",
        ] {
            assert!(smtp_relay(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_ca_file_must_hold_certificates() {
        assert!(certificates(b"no pem here").is_err());
        assert!(
            certificates(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n").is_err()
        );
    }
}
