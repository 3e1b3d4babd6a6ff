//! Property tests: no input — body, path, method, headers — makes the engine panic; each gets an
//! answer.

#![allow(clippy::unwrap_used)]

mod support;

use postkamer_carddav::{Dav, Principal, Request, vcard, xml};
use proptest::prelude::*;
use support::memory::MemoryStore;

fn vcard_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        "(BEGIN:VCARD\r\n|END:VCARD\r\n|VERSION:[34].0\r\n|UID:[a-z0-9-]{0,12}\r\n|N:[^\r\n]{0,20}\r\n|FN:[^\r\n]{0,20}\r\n|EMAIL;TYPE=[A-Z,]{0,10}:[^\r\n]{0,20}\r\n|TEL:[0-9 +]{0,12}\r\n|ADR:[^\r\n]{0,30}\r\n|item1\\.X-ABLabel:x\r\n|PHOTO;ENCODING=b:[A-Za-z0-9+/=]{0,40}\r\n| [^\r\n]{0,10}\r\n|[A-Z-]{1,8};[A-Z]{1,5}=[^:]{0,5}:[^\r\n]{0,10}\r\n){0,20}"
            .prop_map(String::into_bytes),
    ]
}

fn xml_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "(<[a-z:]{1,6}( xmlns(:[a-z]{1,3})?=\"(DAV:|urn:ietf:params:xml:ns:carddav|x)\")?>|</[a-z:]{1,6}>|<[a-z:]{1,8}/>|&[a-z#0-9]{0,4};|<!DOCTYPE x>|text){0,25}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn vcards_never_panic(bytes in vcard_like()) {
        if let Ok(card) = vcard::parse(&bytes) {
            // Whatever was accepted can be written and read back to the same CRM data.
            let text = vcard::render(&card.data, Some(&card.original), vcard::Version::V3);
            let again = vcard::parse(text.as_bytes());
            prop_assert!(again.is_ok(), "{:?}", again);
        }
    }

    #[test]
    fn xml_never_panics(bytes in xml_like()) {
        let _ = xml::propfind(&bytes);
        let _ = xml::report(&bytes);
    }

    #[test]
    fn requests_never_panic(
        method in "(PROPFIND|REPORT|GET|PUT|DELETE|OPTIONS|MKCOL|[A-Z]{1,8})",
        path in "(/|/principals/7/|/addressbooks/7/|/addressbooks/7/default/|/addressbooks/7/default/[a-z%0-9]{0,6}\\.vcf|/[^ ]{0,20})",
        depth in proptest::option::of("(0|1|infinity|[a-z0-9]{0,3})"),
        body in prop_oneof![xml_like(), vcard_like()],
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let dav = Dav::new(MemoryStore::default(), "/dav", "test");
        let user = Principal { id: "7".into(), display_name: "A".into(), email: "a@b.nl".into() };
        let response = runtime.block_on(dav.handle(&user, &Request {
            method: &method,
            path: &path,
            depth: depth.as_deref(),
            body: &body,
            ..Request::default()
        }));
        prop_assert!((200..600).contains(&response.status));
        prop_assert!(response.status != 500, "{} {} → 500", method, path);
    }
}
