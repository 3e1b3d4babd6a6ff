//! The incremental figure: with the mailbox synced, IDLE on INBOX while a second connection
//! delivers one message, then `sync::sync_folder` and the API's message list until it is there.

use crate::fixture::Fixture;
use crate::{Res, TIMEOUT, seed};
use futures::TryStreamExt;
use postkamer_core::mail::MailStorage;
use postkamer_domain::mail::sync::FolderId;
use postkamer_mail::imap::{IdleEvent, ImapAccount, ImapConnection};
use postkamer_mail::sync;
use postkamer_store::Store;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// One delivery: APPEND → listed, and the part of it after IDLE reported the new message (the
/// rest is the server's: Dovecot 2.3 waits 500 ms after a change before it tells IDLE clients).
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub total: Duration,
    pub after_notice: Duration,
    /// The last part of it: `list_messages`, the API's first page.
    pub list: Duration,
}

/// Delivery → visible in the list, `rounds` times; expunges what it delivered.
pub async fn run(
    store: &Store,
    f: &Fixture,
    mut conn: ImapConnection,
    account: &ImapAccount,
    rounds: usize,
) -> Res<Vec<Sample>> {
    let inbox = f.inbox(store).await?;
    // As the worker does: select the inbox and catch up before waiting on it.
    sync::sync_folder(
        &MailStorage::new(store.clone()),
        &mut conn,
        &f.mailbox,
        store.folder(inbox).await?,
        None,
    )
    .await?;
    let first_new_uid = store.folder(inbox).await?.uid_top;
    let mut deliverer = Deliverer::login(account).await?;
    let mut samples = Vec::with_capacity(rounds);
    let outcome = deliver_rounds(store, f, inbox, conn, &mut deliverer, rounds, &mut samples).await;
    if !samples.is_empty() {
        deliverer.expunge_from(first_new_uid).await?;
    }
    deliverer.logout().await;
    outcome?.logout().await?;
    Ok(samples)
}

/// The rounds of [`run`]; gives the connection back.
async fn deliver_rounds(
    store: &Store,
    f: &Fixture,
    inbox: FolderId,
    mut conn: ImapConnection,
    deliverer: &mut Deliverer,
    rounds: usize,
    samples: &mut Vec<Sample>,
) -> Res<ImapConnection> {
    for round in 0..rounds {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let subject = format!("Levering {round} om {now}");
        let raw = seed::live_message(&subject, i64::try_from(now).unwrap_or(0), round);
        // The client API does not say when IDLE is established; the delivery waits a moment so
        // that it lands during IDLE, as new mail does. t0 is taken after that wait.
        let deliver = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let t0 = Instant::now();
            deliverer.append(&raw).await.map(|()| t0)
        };
        let (idle, t0) = tokio::join!(conn.idle(TIMEOUT, std::future::pending()), deliver);
        let (back, mut event) = idle?;
        let noticed = Instant::now();
        conn = back;
        let t0 = t0?;
        loop {
            if event != IdleEvent::Changed {
                return Err(format!("message {round} not seen within {TIMEOUT:?}").into());
            }
            let folder = store.folder(inbox).await?;
            sync::sync_folder(
                &MailStorage::new(store.clone()),
                &mut conn,
                &f.mailbox,
                folder,
                None,
            )
            .await?;
            let listing = Instant::now();
            if f.lists(store, &subject).await? {
                samples.push(Sample {
                    total: t0.elapsed(),
                    after_notice: noticed.elapsed(),
                    list: listing.elapsed(),
                });
                break;
            }
            let (back, next) = conn.idle(TIMEOUT, std::future::pending()).await?;
            conn = back;
            event = next;
        }
    }
    Ok(conn)
}

/// The second connection that delivers (async-imap directly: not the client under test).
struct Deliverer {
    session: async_imap::Session<TcpStream>,
}

impl Deliverer {
    async fn login(account: &ImapAccount) -> Res<Deliverer> {
        let tcp = TcpStream::connect((account.host.as_str(), account.port)).await?;
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await?.ok_or("no IMAP greeting")?;
        let session = client
            .login(&account.login, &account.password)
            .await
            .map_err(|(e, _)| e)?;
        Ok(Deliverer { session })
    }

    async fn append(&mut self, raw: &[u8]) -> Res<()> {
        self.session.append("INBOX", None, None, raw).await?;
        Ok(())
    }

    /// Deletes the messages from `uid` on, so the next run finds the mailbox as seeded.
    async fn expunge_from(&mut self, uid: u32) -> Res<()> {
        self.session.select("INBOX").await?;
        let _: Vec<_> = self
            .session
            .uid_store(format!("{uid}:*"), "+FLAGS.SILENT (\\Deleted)")
            .await?
            .try_collect()
            .await?;
        let _: Vec<_> = self.session.expunge().await?.try_collect().await?;
        Ok(())
    }

    async fn logout(mut self) {
        let _ = self.session.logout().await;
    }
}
