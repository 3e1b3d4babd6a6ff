use super::batch::batches;
use super::*;
use crate::compress;

#[test]
fn copies_are_stored_apart_but_read_alike() {
    let sent = b"Message-ID: <a@x>\r\nFrom: a@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let received = b"Received: from mx by mx\r\nDelivered-To: b@y.nl\r\nMessage-ID: <a@x>\r\nFrom: a@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let other = b"Message-ID: <a@x>\r\nFrom: evil@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nbody";
    let doctored = b"Message-ID: <a@x>\r\nFrom: a@x.nl\r\nDate: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: s\r\n\r\nother body";
    let (a, b, c, d) = (
        incoming(sent, 0),
        incoming(received, 0),
        incoming(other, 0),
        incoming(doctored, 0),
    );
    // Each copy is its own row (keyed on its bytes) …
    assert_ne!(a.dedupe_key, b.dedupe_key);
    assert_eq!(a.dedupe_key, incoming(sent, 5).dedupe_key);
    // … and the copies of one message are recognised for display; same headers with another
    // sender or body are another message.
    assert_eq!(a.display_key, b.display_key);
    assert_ne!(a.display_key, c.display_key);
    assert_ne!(a.display_key, d.display_key);
    assert_ne!(a.dedupe_key, d.dedupe_key);
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
    let uids_of = |batches: Vec<Vec<(u32, u32)>>| -> Vec<Vec<u32>> {
        batches
            .into_iter()
            .map(|b| b.into_iter().map(|(uid, _)| uid).collect())
            .collect()
    };
    assert_eq!(
        uids_of(batches(&uids, &sizes, options, 1000)),
        [vec![9, 8, 7], vec![6, 5], vec![4], vec![3]]
    );
    // A message over the cap counts as the header fetched of it (256 kB > 100: alone).
    assert_eq!(
        batches(&[2, 1], &[(1, 5), (2, 2_000_000)], options, 1000),
        [vec![(2, 2_000_000)], vec![(1, 5)]]
    );
    assert!(batches(&[], &[], options, 1000).is_empty());
    // Unknown sizes (gone from the server) count as nothing.
    assert_eq!(uids_of(batches(&[2, 1], &[], options, 1000)), [vec![2, 1]]);
}

#[test]
fn dates() {
    assert_eq!(parse_date("2025-01-31"), Some((2025, 1, 31)));
    assert_eq!(parse_date("2025-13-01"), None);
    assert_eq!(parse_date("gisteren"), None);
}
