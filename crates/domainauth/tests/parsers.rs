//! Property tests: no TXT content, however broken, makes the record parsers panic.

#![allow(clippy::unwrap_used)]

use postkamer_domain::sending::Finding;
use postkamer_domainauth::{dkim, dmarc};
use proptest::prelude::*;

/// Strings that look a bit like records: tag soup, quotes, whitespace, control bytes, non-ASCII.
fn record_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        "(v=DKIM1|v=DMARC1|v=spf1|p=|k=|h=|t=|;| |\t|\n|\"|=|:|[A-Za-z0-9+/]{0,40}|é|ip4:|include:|-all|%\\{i\\}){0,30}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn dkim_diagnosis_never_panics(records in proptest::collection::vec(proptest::collection::vec(record_like(), 1..4), 0..4), cname in proptest::option::of("[a-z.]{1,20}")) {
        let findings = dkim::diagnose(&records, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAn66jq1Zdod", cname.as_deref());
        // Anything that is not exactly our key is not reported as fine.
        prop_assert!(!findings.is_empty() || records.len() == 1);
    }

    #[test]
    fn dmarc_diagnosis_never_panics(records in proptest::collection::vec(record_like(), 0..3)) {
        let texts: Vec<String> = records.iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect();
        let findings = dmarc::diagnose(&texts, "voorbeeld.nl", Some("mail.voorbeeld.nl"));
        if texts.is_empty() {
            let missing = matches!(findings.as_slice(), [Finding::DmarcMissing { .. }]);
            prop_assert!(missing);
        }
    }
}
