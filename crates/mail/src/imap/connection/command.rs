//! The command loop: a command sent, its answers read up to the tagged reply, and what the
//! server says on its own accord (EXISTS, EXPUNGE, VANISHED, FETCH, BYE) kept track of.

use async_imap::imap_proto::{MailboxDatum, RequestId, Response, Status};
use async_imap::types::UnsolicitedResponse;

use super::{ImapConnection, next_response};
use crate::imap::error::{ImapError, ImapStep, lib_error};
use crate::imap::guard::Allowance;
use crate::imap::syntax::outcome_text;

impl ImapConnection {
    /// Sends `command` and reads answers up to its tagged reply. `on` sees every answer (the
    /// tagged reply last) and returns true for those it took; the others are noted as
    /// unsolicited (EXISTS, EXPUNGE, FETCH, BYE).
    pub(in crate::imap) async fn run(
        &mut self,
        step: ImapStep,
        command: &str,
        on: &mut (dyn FnMut(&Response<'_>) -> bool + Send),
    ) -> Result<(), ImapError> {
        let tag = self.send(step, command).await?;
        self.finish(step, &tag, on).await
    }

    pub(in crate::imap) async fn send(
        &mut self,
        step: ImapStep,
        command: &str,
    ) -> Result<RequestId, ImapError> {
        self.absorb_unsolicited();
        let allowance = self.next_allowance.take().unwrap_or(Allowance::COMMAND);
        self.session.get_mut().expect(allowance);
        self.session
            .run_command(command)
            .await
            .map_err(|error| lib_error(step, error))
    }

    /// Reads answers up to the tagged reply to `tag`; see [`Self::run`].
    pub(in crate::imap) async fn finish(
        &mut self,
        step: ImapStep,
        tag: &RequestId,
        on: &mut (dyn FnMut(&Response<'_>) -> bool + Send),
    ) -> Result<(), ImapError> {
        loop {
            let response = next_response!(self, step);
            let parsed = response.parsed();
            match parsed {
                Response::Done {
                    tag: done_tag,
                    status,
                    outcome,
                } if done_tag == tag => {
                    on(parsed);
                    return match status {
                        Status::Ok => Ok(()),
                        Status::No | Status::Bad => Err(ImapError::Rejected {
                            during: step,
                            server: outcome_text(outcome),
                        }),
                        Status::Bye => Err(ImapError::Closed {
                            during: step,
                            server: outcome_text(outcome),
                        }),
                        Status::PreAuth => {
                            Err(ImapError::Protocol("PREAUTH as a command reply".to_owned()))
                        }
                    };
                }
                Response::Done { .. } => {
                    tracing::debug!("ignoring the reply to another command");
                }
                _ => {
                    if !on(parsed) {
                        self.note(parsed);
                    }
                }
            }
        }
    }

    /// The error for a connection that ended during `step`.
    pub(in crate::imap) fn closed(&mut self, step: ImapStep) -> ImapError {
        ImapError::Closed {
            during: step,
            server: self.bye.take().unwrap_or_default(),
        }
    }

    /// Keeps track of what the server says on its own accord.
    pub(in crate::imap) fn note(&mut self, response: &Response<'_>) {
        match response {
            Response::MailboxData(MailboxDatum::Exists(count)) => {
                if let Some(selected) = &mut self.selected {
                    selected.exists = *count;
                }
                self.changed = true;
            }
            Response::Expunge(_) => {
                if let Some(selected) = &mut self.selected {
                    selected.exists = selected.exists.saturating_sub(1);
                }
                self.changed = true;
            }
            Response::Vanished {
                earlier: false,
                uids,
            } => {
                let gone: u32 = uids
                    .iter()
                    .map(|r| r.end().saturating_sub(*r.start()).saturating_add(1))
                    .sum();
                if let Some(selected) = &mut self.selected {
                    selected.exists = selected.exists.saturating_sub(gone);
                }
                self.changed = true;
            }
            Response::Fetch(..) | Response::Vanished { .. } => self.changed = true,
            Response::Data {
                status: Status::Bye,
                outcome,
            } => self.bye = Some(outcome_text(outcome)),
            _ => {}
        }
    }

    /// Takes in what `async-imap` queued on its own (nothing, normally: every command here reads
    /// its answers itself).
    pub(in crate::imap) fn absorb_unsolicited(&mut self) {
        while let Ok(unsolicited) = self.session.unsolicited_responses.try_recv() {
            match unsolicited {
                UnsolicitedResponse::Exists(count) => {
                    self.note(&Response::MailboxData(MailboxDatum::Exists(count)));
                }
                UnsolicitedResponse::Expunge(seq) => self.note(&Response::Expunge(seq)),
                UnsolicitedResponse::Other(response) => self.note(response.parsed()),
                _ => {}
            }
        }
    }
}
