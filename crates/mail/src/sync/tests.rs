use super::batch::batches;
use super::*;
use crate::compress;

#[test]
fn sent_and_received_copies_share_a_key_but_not_a_hash() {
    let sent = b"Message-ID: <a@x>\r\nFrom: a@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let received = b"Received: from mx by mx\r\nDelivered-To: b@y.nl\r\nMessage-ID: <a@x>\r\nFrom: a@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let other = b"Message-ID: <a@x>\r\nFrom: evil@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let (a, b, c) = (incoming(sent, 0), incoming(received, 0), incoming(other, 0));
    assert_eq!(a.dedupe_key, b.dedupe_key);
    assert_ne!(a.content_hash, b.content_hash);
    assert_ne!(a.dedupe_key, c.dedupe_key);
    assert_eq!(compress::unpack(&a.raw_compressed).expect("unpack"), sent);
}

#[test]
fn batches_are_bounded_by_count_and_bytes() {
    let options = SyncOptions {
        batch: 3,
        batch_bytes: 100,
    };
    let uids = [9, 8, 7, 6, 5, 4, 3];
    let sizes = [
        (3, 10),
        (4, 500),
        (5, 10),
        (6, 40),
        (7, 40),
        (8, 40),
        (9, 10),
    ];
    assert_eq!(
        batches(&uids, &sizes, options),
        [vec![9, 8, 7], vec![6, 5], vec![4], vec![3]]
    );
    assert!(batches(&[], &[], options).is_empty());
    // Unknown sizes (gone from the server) count as nothing.
    assert_eq!(batches(&[2, 1], &[], options), [vec![2, 1]]);
}

#[test]
fn dates() {
    assert_eq!(parse_date("2025-01-31"), Some((2025, 1, 31)));
    assert_eq!(parse_date("2025-13-01"), None);
    assert_eq!(parse_date("gisteren"), None);
}
