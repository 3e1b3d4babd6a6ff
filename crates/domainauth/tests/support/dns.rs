//! Publishing records in the test DNS server (Knot, started by scripts/test.sh, see
//! scripts/lib/knot.sh) with DNS UPDATE (RFC 2136) — the way a customer edits records at a DNS
//! provider. Each test publishes under a name of its own, `<tag>-<unique>.postkamer.test`.
//! Shared with other crates' tests through `#[path]`.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use hickory_resolver::proto::op::{Message, ResponseCode, update_message};
use hickory_resolver::proto::rr::rdata::{A, CNAME, MX, TXT};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordSet, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The verification token `publish_good_domain` publishes at `_postkamer.<domain>`.
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// One record to publish.
#[derive(Debug, Clone)]
pub enum Rr {
    /// A TXT record of these character-strings (each at most 255 bytes).
    Txt(Vec<String>),
    Cname(String),
    Mx(String),
    A(Ipv4Addr),
}

/// A TXT record of one value, split into 255-byte strings the way DNS providers do it.
pub fn txt(value: &str) -> Rr {
    let bytes = value.as_bytes();
    let strings = if bytes.is_empty() {
        vec![String::new()]
    } else {
        bytes
            .chunks(255)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect()
    };
    Rr::Txt(strings)
}

pub struct TestDns {
    pub server: SocketAddr,
    pub zone: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDns {
    /// The server scripts/test.sh started (`POSTKAMER_TEST_DNS`, `POSTKAMER_TEST_DNS_ZONE`).
    pub fn from_env() -> TestDns {
        let server = std::env::var("POSTKAMER_TEST_DNS").expect(
            "POSTKAMER_TEST_DNS is not set: run the tests with scripts/test.sh, which starts Knot DNS",
        );
        TestDns {
            server: server.parse().expect("POSTKAMER_TEST_DNS is host:port"),
            zone: std::env::var("POSTKAMER_TEST_DNS_ZONE")
                .unwrap_or_else(|_| "postkamer.test".into()),
        }
    }

    /// Our SPF host in the test zone (it has `v=spf1 ip4:127.0.0.1 -all`).
    pub fn spf_include(&self) -> String {
        format!("spf.{}", self.zone)
    }

    /// A fresh domain name nobody has published anything under.
    pub fn domain(&self, tag: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("{tag}-{}-{n}-{nanos:x}.{}", std::process::id(), self.zone)
    }

    /// Replaces the TXT, CNAME and MX records at `name` by `records` (none: removes them).
    pub async fn set(&self, name: &str, records: &[Rr]) {
        let zone = Name::from_str(&format!("{}.", self.zone)).expect("zone name");
        let owner = Name::from_str(&format!("{name}.")).expect("record name");
        for record_type in [
            RecordType::TXT,
            RecordType::CNAME,
            RecordType::MX,
            RecordType::A,
        ] {
            let record = Record::update0(owner.clone(), 0, record_type);
            self.send(update_message::delete_rrset(record, zone.clone(), false))
                .await;
        }
        for rr in records {
            let (record_type, data) = match rr {
                Rr::Txt(strings) => (RecordType::TXT, RData::TXT(TXT::new(strings.clone()))),
                Rr::Cname(target) => (
                    RecordType::CNAME,
                    RData::CNAME(CNAME(
                        Name::from_str(&format!("{target}.")).expect("target"),
                    )),
                ),
                Rr::Mx(host) => (
                    RecordType::MX,
                    RData::MX(MX::new(
                        10,
                        Name::from_str(&format!("{host}.")).expect("mx"),
                    )),
                ),
                Rr::A(ip) => (RecordType::A, RData::A(A(*ip))),
            };
            let mut set = RecordSet::with_ttl(owner.clone(), record_type, 60);
            set.add_rdata(data);
            self.send(update_message::append(set, zone.clone(), false, false))
                .await;
        }
    }

    /// A correct set-up for `domain`: an MX with an address, SPF with `mx` and our include (next
    /// to an unrelated TXT record), both key records (`v=DKIM1;…` values), a strict DMARC.
    pub async fn publish_good_domain(&self, domain: &str, key001: &str, key002: &str) {
        let spf = format!("v=spf1 mx include:{} -all", self.spf_include());
        let mx = format!("mx.{domain}");
        self.set(
            domain,
            &[
                Rr::Mx(mx.clone()),
                txt(&spf),
                txt("google-site-verification=abc"),
            ],
        )
        .await;
        self.set(&mx, &[Rr::A([127, 0, 0, 1].into())]).await;
        self.set(&format!("key001._domainkey.{domain}"), &[txt(key001)])
            .await;
        self.set(&format!("key002._domainkey.{domain}"), &[txt(key002)])
            .await;
        let dmarc = format!("v=DMARC1; p=reject; rua=mailto:dmarc@{domain}");
        self.set(&format!("_dmarc.{domain}"), &[txt(&dmarc)]).await;
        let token = format!("postkamer-verification={TOKEN}");
        self.set(&format!("_postkamer.{domain}"), &[txt(&token)])
            .await;
    }

    /// Three SPF records under `domain` that include each other and cost 10 lookups together:
    /// `a.<domain>` (mx, a, include:b = 3), `b.<domain>` (a, a, include:c = 3), `c.<domain>`
    /// (a, a, a = 3), plus 1 for including `a` itself. Returns `a.<domain>`.
    pub async fn publish_lookup_chain(&self, domain: &str) -> String {
        let (a, b, c, host) = (
            format!("a.{domain}"),
            format!("b.{domain}"),
            format!("c.{domain}"),
            format!("host.{domain}"),
        );
        self.set(&host, &[Rr::A([192, 0, 2, 1].into())]).await;
        let spf_a = format!("v=spf1 mx a include:{b} -all");
        self.set(
            &a,
            &[
                Rr::Mx(host.clone()),
                Rr::A([192, 0, 2, 2].into()),
                txt(&spf_a),
            ],
        )
        .await;
        self.set(
            &b,
            &[txt(&format!("v=spf1 a:{host} a:{host} include:{c} -all"))],
        )
        .await;
        self.set(
            &c,
            &[txt(&format!("v=spf1 a:{host} a:{host} a:{host} -all"))],
        )
        .await;
        a
    }

    async fn send(&self, message: Message) {
        let bytes = message.to_vec().expect("encode update");
        let mut stream = TcpStream::connect(self.server)
            .await
            .expect("connect to the test DNS server");
        let len = u16::try_from(bytes.len()).expect("update fits in a message");
        stream.write_all(&len.to_be_bytes()).await.expect("send");
        stream.write_all(&bytes).await.expect("send");
        let mut len = [0u8; 2];
        stream.read_exact(&mut len).await.expect("answer length");
        let mut answer = vec![0u8; u16::from_be_bytes(len) as usize];
        stream.read_exact(&mut answer).await.expect("answer");
        let answer = Message::from_vec(&answer).expect("decode answer");
        assert_eq!(
            answer.metadata.response_code,
            ResponseCode::NoError,
            "DNS UPDATE refused: {answer:?}"
        );
    }
}
