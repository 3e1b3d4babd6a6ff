//! Signed mail checked by an independent verifier: dkimpy (`POSTKAMER_TEST_DKIM_VERIFY`, from
//! scripts/lib/smtp.sh) looks the key up on the test DNS server, where each test publishes it.

use postkamer_domain::sending::Selector;
use postkamer_domainauth::sign;

use crate::keys;
use crate::support::dkimpy::dkimpy;
use crate::support::dns::{TestDns, txt};

const MESSAGE: &str = "From: =?utf-8?q?Jos=C3=A9?= <jose@DOMAIN>\r\n\
To: klant@example.com\r\n\
Subject: =?utf-8?q?Offerte_caf=C3=A9?=\r\n\
Date: Mon, 7 Dec 2026 10:00:00 +0100\r\n\
Message-ID: <sign-1@DOMAIN>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Beste klant,  \r\n\
caf=C3=A9\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Beste klant,</p>\r\n\
--b1--\r\n";

async fn signed_domain(dns: &TestDns, tag: &str, selector: Selector) -> (String, Vec<u8>) {
    let domain = dns.domain(tag);
    let (key001, key002) = keys();
    let key = match selector {
        Selector::Key001 => key001,
        Selector::Key002 => key002,
    };
    dns.set(
        &format!("{selector}._domainkey.{domain}"),
        &[txt(&key.dns_record())],
    )
    .await;
    let message = MESSAGE.replace("DOMAIN", &domain);
    let signed = sign(message.as_bytes(), key, &domain, selector).unwrap();
    (domain, signed)
}

#[tokio::test]
async fn dkimpy_passes_what_we_sign_with_either_selector() {
    let dns = TestDns::from_env();
    for selector in [Selector::Key001, Selector::Key002] {
        let (_, signed) = signed_domain(&dns, "signed", selector).await;
        assert_eq!(dkimpy(&signed), Ok(()), "{selector}");
    }
}

#[tokio::test]
async fn dkimpy_fails_a_message_altered_after_signing() {
    let dns = TestDns::from_env();
    let (domain, signed) = signed_domain(&dns, "altered", Selector::Key001).await;
    let text = String::from_utf8(signed).unwrap();

    let body = text.replace(
        "<p>Beste klant,</p>",
        "<p>Beste klant, betaal op NL00BANK</p>",
    );
    assert!(dkimpy(body.as_bytes()).is_err(), "an altered body");

    let subject = text.replace("Offerte_caf", "Factuur_caf");
    assert!(dkimpy(subject.as_bytes()).is_err(), "an altered subject");

    let added = text.replacen(
        "To: klant@example.com\r\n",
        "To: klant@example.com\r\nCc: ander@example.com\r\n",
        1,
    );
    assert!(
        dkimpy(added.as_bytes()).is_err(),
        "a Cc added after signing"
    );

    // Relaxed canonicalisation: whitespace changes on the way do not break it.
    let folded = text.replace("Subject: ", "Subject:  ");
    assert_eq!(dkimpy(folded.as_bytes()), Ok(()));

    // Without the key in DNS nothing verifies.
    dns.set(&format!("key001._domainkey.{domain}"), &[]).await;
    assert!(dkimpy(text.as_bytes()).is_err(), "no published key");
}
