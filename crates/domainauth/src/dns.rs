//! The few DNS questions a check asks, over hickory-resolver, with the distinction that matters
//! for a diagnosis: "this name does not exist" and "no such record" are answers about the
//! customer's DNS; a timeout or an unreachable server is not, and is reported as "could not check".

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, RecordType};

/// Where to ask, and how long to wait.
#[derive(Debug, Clone)]
pub struct DnsConfig {
    /// Name servers to ask; empty means the system's resolver (`/etc/resolv.conf`).
    pub servers: Vec<SocketAddr>,
    /// Per query, per attempt.
    pub timeout: Duration,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            servers: Vec::new(),
            timeout: Duration::from_secs(3),
        }
    }
}

/// The resolver could not give an answer about the name (as opposed to a negative answer).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// A negative or positive answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    Found(T),
    /// The name exists, but has no records of this type.
    NoData,
    /// The name does not exist.
    NxDomain,
}

impl<T> Answer<T> {
    pub fn found(self) -> Option<T> {
        match self {
            Answer::Found(t) => Some(t),
            _ => None,
        }
    }
}

/// One TXT record: its character-strings, unjoined.
pub type TxtRecord = Vec<Vec<u8>>;

/// Asks DNS. Built per check: no cache, so "Nu controleren" sees what the server says now.
pub struct Dns {
    resolver: TokioResolver,
}

impl Dns {
    pub fn new(config: &DnsConfig) -> Result<Dns, Unavailable> {
        let builder = if config.servers.is_empty() {
            TokioResolver::builder_tokio().map_err(|e| {
                Unavailable(format!("geen resolver ingesteld op deze machine ({e})"))
            })?
        } else {
            let mut resolver_config = ResolverConfig::default();
            for server in &config.servers {
                let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                    .into_iter()
                    .map(|mut c| {
                        c.port = server.port();
                        c
                    })
                    .collect();
                resolver_config.add_name_server(NameServerConfig::new(
                    server.ip(),
                    true,
                    connections,
                ));
            }
            TokioResolver::builder_with_config(resolver_config, TokioRuntimeProvider::default())
        };
        let mut builder = builder;
        let options: &mut ResolverOpts = builder.options_mut();
        options.timeout = config.timeout;
        options.attempts = 2;
        options.cache_size = 0;
        options.ndots = 0;
        options.edns0 = true;
        let resolver = builder
            .build()
            .map_err(|e| Unavailable(format!("resolver: {e}")))?;
        Ok(Dns { resolver })
    }

    /// The TXT records at `name`, following CNAMEs; each record's strings kept apart.
    pub async fn txt(&self, name: &str) -> Result<Answer<Vec<TxtRecord>>, Unavailable> {
        self.lookup(name, RecordType::TXT, |data| match data {
            RData::TXT(txt) => Some(txt.txt_data.iter().map(|s| s.to_vec()).collect()),
            _ => None,
        })
        .await
    }

    /// The CNAME target at `name` itself (not followed), if the name is an alias.
    pub async fn cname(&self, name: &str) -> Result<Option<String>, Unavailable> {
        let answer = self
            .lookup(name, RecordType::CNAME, |data| match data {
                RData::CNAME(target) => Some(trim_dot(&target.0.to_ascii())),
                _ => None,
            })
            .await?;
        Ok(answer
            .found()
            .and_then(|targets| targets.into_iter().next()))
    }

    /// The MX exchanges of `name`, by preference.
    pub async fn mx(&self, name: &str) -> Result<Answer<Vec<String>>, Unavailable> {
        let answer = self
            .lookup(name, RecordType::MX, |data| match data {
                RData::MX(mx) => Some((mx.preference, trim_dot(&mx.exchange.to_ascii()))),
                _ => None,
            })
            .await?;
        Ok(match answer {
            Answer::Found(mut list) => {
                list.sort();
                Answer::Found(list.into_iter().map(|(_, host)| host).collect())
            }
            Answer::NoData => Answer::NoData,
            Answer::NxDomain => Answer::NxDomain,
        })
    }

    /// Does `name` have an address (A or AAAA)? For SPF's `a` and void-lookup counting.
    pub async fn has_address(&self, name: &str) -> Result<bool, Unavailable> {
        for record_type in [RecordType::A, RecordType::AAAA] {
            let answer = self
                .lookup(name, record_type, |data| {
                    matches!(data, RData::A(_) | RData::AAAA(_)).then_some(())
                })
                .await?;
            match answer {
                Answer::Found(_) => return Ok(true),
                Answer::NxDomain => return Ok(false),
                Answer::NoData => {}
            }
        }
        Ok(false)
    }

    async fn lookup<T>(
        &self,
        name: &str,
        record_type: RecordType,
        pick: impl Fn(&RData) -> Option<T>,
    ) -> Result<Answer<Vec<T>>, Unavailable> {
        let fqdn = if name.ends_with('.') {
            name.to_owned()
        } else {
            format!("{name}.")
        };
        match self.resolver.lookup(fqdn.as_str(), record_type).await {
            Ok(lookup) => {
                let found: Vec<T> = lookup
                    .answers()
                    .iter()
                    .filter_map(|r| pick(&r.data))
                    .collect();
                Ok(if found.is_empty() {
                    Answer::NoData
                } else {
                    Answer::Found(found)
                })
            }
            Err(NetError::Dns(DnsError::NoRecordsFound(no_records))) => {
                Ok(if no_records.response_code == ResponseCode::NXDomain {
                    Answer::NxDomain
                } else {
                    Answer::NoData
                })
            }
            Err(NetError::Dns(DnsError::ResponseCode(ResponseCode::NXDomain))) => {
                Ok(Answer::NxDomain)
            }
            Err(NetError::Timeout) => Err(Unavailable(format!(
                "geen antwoord binnen de tijd op de vraag naar {record_type} {name}"
            ))),
            Err(e) => Err(Unavailable(format!("{record_type} {name}: {e}"))),
        }
    }
}

fn trim_dot(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}
