//! Where the first sync's time goes: the work `sync::sync_folder` does for INBOX (fetch in
//! batches of `sync::BATCH`, parse and compress, `Store::store_batch`), one phase at a time
//! instead of overlapped, into another fresh database of the same engine. Parsing and
//! compressing are also timed on their own (so the CPU work is done twice here).

use crate::fixture::{Db, Engine, Fixture};
use crate::{Res, TIMEOUT};
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::{FolderProgress, IncomingMessage, Located};
use postkamer_mail::imap::{ImapAccount, ImapConnection};
use postkamer_mail::{compress, parse, sync};
use postkamer_store::{Store, now_millis};
use std::hint::black_box;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Phases {
    messages: u64,
    bytes: u64,
    fetch: Duration,
    parse: Duration,
    compress: Duration,
    prepare: Duration,
    store: Duration,
    /// Median of a few calls, on the full folder: the fixed costs of every incremental pass.
    folder_uids: Duration,
    uid_search: Duration,
    list: Duration,
}

pub async fn run(engine: Engine, account: &ImapAccount, count: Option<usize>) -> Res<()> {
    let Some(db) = Db::open(engine).await? else {
        return Ok(());
    };
    eprintln!("==> {}: breakdown, one phase at a time", engine.label());
    let result = phases(&db.store, account).await;
    db.close().await;
    let p = result?;
    if let Some(count) = count
        && p.messages != count as u64
    {
        eprintln!("  WARNING: breakdown fetched {} of {count}", p.messages);
    }
    let secs = |d: Duration| d.as_secs_f64();
    let rate = |d: Duration| p.messages as f64 / secs(d).max(1e-9);
    let total = p.fetch + p.prepare + p.store;
    println!(
        "where the time goes, {} ({} msgs, {:.0} MB, phases not overlapped):",
        engine.label(),
        p.messages,
        p.bytes as f64 / 1e6
    );
    let row = |what: &str, d: Duration| {
        println!(
            "  {what:<46} {:>6.2} s {:>7.0} msg/s {:>4.0} %",
            secs(d),
            rate(d),
            100.0 * secs(d) / secs(total).max(1e-9)
        );
    };
    row("IMAP UID FETCH BODY.PEEK[] (Dovecot + client)", p.fetch);
    row("  of prepare: parse (mail-parser)", p.parse);
    row("  of prepare: zstd level 1", p.compress);
    row(
        "prepare = sync::incoming (parse, zstd, keys, index words)",
        p.prepare,
    );
    row("Store::store_batch (100 per transaction)", p.store);
    row("sum of fetch + prepare + store", total);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  fixed costs of an incremental pass on this folder: Store::folder_uids {:.1} ms, \
         UID SEARCH ALL {:.1} ms, Store::list_messages (first page) {:.1} ms",
        ms(p.folder_uids),
        ms(p.uid_search),
        ms(p.list)
    );
    Ok(())
}

async fn phases(store: &Store, account: &ImapAccount) -> Res<Phases> {
    let f = Fixture::create(store, account).await?;
    let folder = store
        .ensure_folder(f.mailbox.settings.id, FolderRole::Inbox, "INBOX")
        .await?;
    let mut conn = ImapConnection::connect(account, TIMEOUT).await?;
    let state = conn.select("INBOX").await?;
    let uids = conn.uids(None).await?;
    let mut progress = FolderProgress {
        uid_top: state.uid_next,
        uid_low: None,
        first_sync_done: false,
        highest_modseq: state.highest_modseq,
        on_server: uids.len() as u64,
    };
    let now = now_millis();
    let mut p = Phases::default();
    // Newest first, as the sync does.
    for chunk in uids.rchunks(sync::BATCH) {
        let t = Instant::now();
        let fetched = conn.fetch(chunk).await?;
        p.fetch += t.elapsed();
        p.messages += fetched.len() as u64;
        p.bytes += fetched.iter().map(|m| m.raw.len() as u64).sum::<u64>();

        let t = Instant::now();
        for m in &fetched {
            black_box(parse::parse(black_box(&m.raw)));
        }
        p.parse += t.elapsed();
        let t = Instant::now();
        for m in &fetched {
            black_box(compress::pack(black_box(&m.raw)));
        }
        p.compress += t.elapsed();

        let t = Instant::now();
        let prepared: Vec<(Located, IncomingMessage)> = fetched
            .iter()
            .map(|m| {
                let located = Located {
                    uid: m.uid,
                    seen: m.flags.seen,
                    flagged: m.flags.flagged,
                    modseq: m.modseq,
                };
                (located, sync::incoming(&m.raw, now))
            })
            .collect();
        p.prepare += t.elapsed();

        progress.uid_low = chunk.first().copied();
        let t = Instant::now();
        store
            .store_batch(f.mailbox.org, folder.id, &prepared, progress)
            .await?;
        p.store += t.elapsed();
    }
    let (mut uids, mut search, mut list) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        store.folder_uids(folder.id).await?;
        uids.push(t.elapsed());
        let t = Instant::now();
        conn.uids(None).await?;
        search.push(t.elapsed());
        let t = Instant::now();
        f.lists(store, "").await?;
        list.push(t.elapsed());
    }
    (p.folder_uids, p.uid_search, p.list) = (median(uids), median(search), median(list));
    conn.logout().await?;
    Ok(p)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}
