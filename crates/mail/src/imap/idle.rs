//! Waiting for new mail: IDLE (RFC 2177), or polling with NOOP on servers without it.
//!
//! IDLE is spoken here directly (`IDLE`, wait for `+`, read answers, `DONE`) rather than through
//! `async-imap`'s idle handle, so that every EXISTS/EXPUNGE read while idling keeps the message
//! count exact and nothing can be lost in its bounded side channel.

use std::future::Future;
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use tokio::time::Instant;

use super::IdleEvent;
use super::connection::{ImapConnection, next_response};
use super::error::{ImapError, ImapStep, io_error, lib_error};
use super::syntax::outcome_text;

/// How often a server without IDLE is asked for news.
const POLL_INTERVAL: Duration = Duration::from_secs(30);

/// What woke the IDLE loop.
enum Wake<R> {
    Stop,
    Deadline,
    Read(R),
}

impl ImapConnection {
    /// Waits until the server reports a change in the selected folder (normally INBOX), `limit`
    /// passes, or `stop` completes, whichever comes first.
    ///
    /// Returns [`IdleEvent::Changed`] at once when a change was reported after the last
    /// `select`, `uids` or `changed_flags` (see the module documentation). Takes the connection
    /// and gives it back, so that dropping the future cannot leave a connection stuck in IDLE.
    /// Keep `limit` under 29 minutes (RFC 2177) and call again. The connection's inactivity limit
    /// does not apply while idling; it does to starting and ending IDLE.
    ///
    /// Without IDLE on the server, it polls with NOOP every 30 seconds instead.
    #[tracing::instrument(skip_all, fields(limit = ?limit), err)]
    pub async fn idle(
        mut self,
        limit: Duration,
        stop: impl Future<Output = ()>,
    ) -> Result<(Self, IdleEvent), ImapError> {
        self.require_selected()?;
        self.absorb_unsolicited();
        if self.changed {
            return Ok((self, IdleEvent::Changed));
        }
        let event = if self.capabilities.has_idle {
            self.idle_command(limit, stop).await?
        } else {
            self.poll(limit, stop).await?
        };
        Ok((self, event))
    }

    async fn idle_command(
        &mut self,
        limit: Duration,
        stop: impl Future<Output = ()>,
    ) -> Result<IdleEvent, ImapError> {
        let step = ImapStep::Idle;
        let tag = self.send(step, "IDLE").await?;
        loop {
            let response = next_response!(self, step);
            match response.parsed() {
                Response::Continue { .. } => break,
                Response::Done {
                    tag: done_tag,
                    status,
                    outcome,
                } if *done_tag == tag => {
                    // The server ended IDLE before it began.
                    return match status {
                        Status::Ok => Ok(IdleEvent::Changed),
                        _ => Err(ImapError::Rejected {
                            during: step,
                            server: outcome_text(outcome),
                        }),
                    };
                }
                other => self.note(other),
            }
        }

        let mut event = if self.changed {
            Some(IdleEvent::Changed)
        } else {
            None
        };
        if event.is_none() {
            self.set_inactivity_limit(None);
            let deadline = tokio::time::sleep(limit);
            tokio::pin!(deadline);
            tokio::pin!(stop);
            while event.is_none() {
                let wake = tokio::select! {
                    biased;
                    () = &mut stop => Wake::Stop,
                    () = &mut deadline => Wake::Deadline,
                    read = self.session.read_response() => Wake::Read(read),
                };
                event = match wake {
                    Wake::Stop => Some(IdleEvent::Stopped),
                    Wake::Deadline => Some(IdleEvent::Timeout),
                    Wake::Read(Ok(Some(response))) => {
                        let parsed = response.parsed();
                        if let Response::Done { tag: done_tag, .. } = parsed
                            && *done_tag == tag
                        {
                            // The server ended IDLE on its own: look at the folder again.
                            self.set_inactivity_limit(Some(self.timeout));
                            return Ok(IdleEvent::Changed);
                        }
                        // "* OK Still here" and the like leave `changed` alone.
                        self.note(parsed);
                        self.changed.then_some(IdleEvent::Changed)
                    }
                    Wake::Read(Ok(None)) => return Err(self.closed(step)),
                    Wake::Read(Err(error)) => return Err(io_error(step, error)),
                };
            }
            self.set_inactivity_limit(Some(self.timeout));
        }

        self.session
            .run_command_untagged("DONE")
            .await
            .map_err(|error| lib_error(step, error))?;
        // Answers that arrive before the tagged OK are noted, so a change reported just as the
        // time ran out is not lost: the next call returns Changed at once.
        self.finish(step, &tag, &mut |_| false).await?;
        Ok(event.unwrap_or(IdleEvent::Changed))
    }

    /// IDLE's stand-in: NOOP now and every [`POLL_INTERVAL`] until a change, `limit` or `stop`.
    async fn poll(
        &mut self,
        limit: Duration,
        stop: impl Future<Output = ()>,
    ) -> Result<IdleEvent, ImapError> {
        let started = Instant::now();
        tokio::pin!(stop);
        loop {
            self.run(ImapStep::Noop, "NOOP", &mut |_| false).await?;
            if self.changed {
                return Ok(IdleEvent::Changed);
            }
            let remaining = limit.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Ok(IdleEvent::Timeout);
            }
            tokio::select! {
                biased;
                () = &mut stop => return Ok(IdleEvent::Stopped),
                () = tokio::time::sleep(remaining.min(POLL_INTERVAL)) => {}
            }
        }
    }
}
