//! Where phones reach the address book: the values of the "add CardDAV account" screen and of
//! the iOS configuration profile, worked out once for both.

/// The path CardDAV is served under on the site's own host (on the sync host: the root).
pub const DAV_MOUNT: &str = "/dav";

/// The CardDAV address as a phone needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncEndpoint {
    /// Host name in lower case, without the port (an IPv6 address keeps its brackets).
    pub host: String,
    /// The port when one is given; else the scheme's default.
    pub port: Option<u16>,
    pub tls: bool,
    /// `""` on the sync host, [`DAV_MOUNT`] on the site's host.
    pub mount: &'static str,
}

impl SyncEndpoint {
    /// The sync host when there is one (CardDAV at its root), else the site's own host
    /// (CardDAV at `/dav/`): the public URL's, else the one the request came in on. TLS as the
    /// public URL says; without one, plain HTTP only where no certificate can be (this machine).
    pub fn resolve(
        sync_host: Option<&str>,
        public_url: Option<&str>,
        request_host: Option<&str>,
    ) -> SyncEndpoint {
        let public_url = public_url.map(str::trim).filter(|u| !u.is_empty());
        let public_host = public_url.and_then(url_authority);
        let (authority, mount) = match (sync_host, public_host, request_host) {
            (Some(sync), _, _) => (sync, ""),
            (None, Some(host), _) | (None, None, Some(host)) => (host, DAV_MOUNT),
            (None, None, None) => ("localhost", DAV_MOUNT),
        };
        let (host, port) = split_authority(&authority.trim().to_ascii_lowercase());
        let tls = match public_url {
            Some(url) if url.starts_with("http://") => false,
            Some(url) if url.starts_with("https://") => true,
            _ => !is_loopback(&host),
        };
        SyncEndpoint {
            host,
            port,
            tls,
            mount,
        }
    }

    /// iOS's "Server": the host, with the port when it is not the default.
    pub fn server(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// The full address (Android apps' "URL").
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{}/", self.server(), self.mount)
    }

    pub fn port_or_default(&self) -> u16 {
        self.port.unwrap_or(if self.tls { 443 } else { 80 })
    }

    /// The principal's path, for the profile's `CardDAVPrincipalURL`.
    pub fn principal_path(&self, user_id: &str) -> String {
        format!("{}/principals/{user_id}/", self.mount)
    }
}

/// The authority of `https://crm.voorbeeld.nl:8443/…`.
fn url_authority(url: &str) -> Option<&str> {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .filter(|h| !h.is_empty())
}

/// `host:port`, `[v6]:port` or a bare host.
fn split_authority(authority: &str) -> (String, Option<u16>) {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((address, rest)) => (format!("[{address}]"), rest.strip_prefix(':')),
            None => (authority.to_owned(), None),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.to_owned(), None),
        },
    };
    (host, port.and_then(|p| p.parse().ok()))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare == "localhost"
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::SyncEndpoint;

    fn resolve(sync: Option<&str>, public: Option<&str>, request: Option<&str>) -> SyncEndpoint {
        SyncEndpoint::resolve(sync, public, request)
    }

    #[test]
    fn the_sync_host_wins() {
        let e = resolve(
            Some("sync.voorbeeld.nl"),
            Some("https://crm.voorbeeld.nl"),
            Some("crm.voorbeeld.nl"),
        );
        assert_eq!(e.server(), "sync.voorbeeld.nl");
        assert_eq!(e.url(), "https://sync.voorbeeld.nl/");
        assert_eq!(e.port_or_default(), 443);
        assert_eq!(e.principal_path("7"), "/principals/7/");
        let e = resolve(Some("sync.voorbeeld.nl"), None, None);
        assert_eq!(e.url(), "https://sync.voorbeeld.nl/");
    }

    #[test]
    fn else_the_public_url_then_the_request() {
        let e = resolve(None, Some("https://CRM.voorbeeld.nl/"), Some("x"));
        assert_eq!(
            (e.server().as_str(), e.url().as_str()),
            ("crm.voorbeeld.nl", "https://crm.voorbeeld.nl/dav/")
        );
        assert_eq!(e.principal_path("7"), "/dav/principals/7/");
        let e = resolve(None, Some("http://10.0.0.5:8080"), None);
        assert_eq!(e.url(), "http://10.0.0.5:8080/dav/");
        assert_eq!((e.host.as_str(), e.port_or_default()), ("10.0.0.5", 8080));
        let e = resolve(None, None, Some("crm.voorbeeld.nl"));
        assert_eq!(e.url(), "https://crm.voorbeeld.nl/dav/");
        assert_eq!(e.port_or_default(), 443);
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let e = resolve(None, None, Some("127.0.0.1:3000"));
        assert_eq!(
            (e.server().as_str(), e.url().as_str()),
            ("127.0.0.1:3000", "http://127.0.0.1:3000/dav/")
        );
        let e = resolve(None, None, Some("[::1]:3000"));
        assert_eq!(e.url(), "http://[::1]:3000/dav/");
        assert_eq!(
            (e.host.as_str(), e.port, e.tls),
            ("[::1]", Some(3000), false)
        );
        let e = resolve(None, None, Some("LOCALHOST"));
        assert_eq!(e.url(), "http://localhost/dav/");
        assert_eq!(e.port_or_default(), 80);
    }
}
