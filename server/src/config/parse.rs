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
