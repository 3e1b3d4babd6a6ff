//! Writing mail in Postkamer: a draft starts from the template of the action type E-mail uit
//! (a new mail, on a relation with its person in To; a reply with the original quoted below
//! the Inhoud block; a forward with the original and its attachments), is saved as its writer
//! types, checked before it goes (the merge fields that would come out empty for the relation
//! of the first To address), and sent through the outbox after the time to undo it.
//!
//! A draft is its writer's only: every call takes the caller's own drafts, and a reply or
//! forward can only start from a message the caller may see.

mod quote;

use postkamer_domain::mail::draft::{
    ComposeStart, Draft, DraftAddress, DraftFile, DraftInput, DraftSummary, MAX_BODY_BYTES,
    MAX_RECIPIENTS, MAX_SUBJECT, SendCheck, Sending,
};
use postkamer_domain::mail::{AddressKind, MailAddress};
use postkamer_domain::templates::{ActionKind, TemplateRule};
use postkamer_domain::{
    DraftFileId, DraftId, EmailAddress, Invalid, Page, PageRequest, PersonId, User,
    ValidationErrors,
};
use postkamer_store::StoreError;
use postkamer_store::drafts::{DraftRecord, NewDraft};
use postkamer_templates::{Subject, Values};

use crate::sending::{Mailbox, NewMail, Part};
use crate::{Core, CoreError, CoreResult};

/// The document a draft starts with when E-mail uit has no template: the Inhoud block.
const PLAIN_BODY: &str =
    r#"{"type":"doc","content":[{"type":"inhoud","content":[{"type":"paragraph"}]}]}"#;

fn draft_view(record: DraftRecord) -> Draft {
    Draft {
        id: record.id,
        content: record.content,
        reply_of: record.reply_of,
        forward_of: record.forward_of,
        files: record.files,
        sending: record.sending,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn template_error(field: &str, invalid: &postkamer_templates::Invalid) -> CoreError {
    ValidationErrors::single(
        field,
        Invalid::Template {
            rule: invalid.rule(),
        },
    )
    .into()
}

/// What a draft may hold at all (kept as typed otherwise: addresses are checked when sent).
fn check_size(input: &DraftInput) -> CoreResult<()> {
    let mut errors = ValidationErrors::default();
    if input.to.len() + input.cc.len() + input.bcc.len() > MAX_RECIPIENTS {
        errors.push(
            "to",
            Invalid::TooMany {
                max: MAX_RECIPIENTS,
            },
        );
    }
    if input.subject.chars().count() > MAX_SUBJECT {
        errors.push("subject", Invalid::TooLong { max: MAX_SUBJECT });
    }
    if input.body.len() > MAX_BODY_BYTES {
        let rule = TemplateRule::TooLarge;
        errors.push("body", Invalid::Template { rule });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

fn mailboxes(list: &[DraftAddress]) -> Vec<Mailbox> {
    list.iter()
        .map(|a| Mailbox {
            name: a.name.clone().filter(|n| !n.trim().is_empty()),
            address: a.address.trim().to_owned(),
        })
        .collect()
}

impl Core {
    /// "Nieuwe e-mail", "Beantwoorden", "Allen beantwoorden", "Doorsturen": a new draft of the
    /// caller.
    pub async fn start_draft(&self, caller: &User, start: ComposeStart) -> CoreResult<Draft> {
        let (subject, body, template) = self.email_out_template(caller).await?;
        let mut new = NewDraft {
            content: DraftInput {
                subject,
                body,
                template,
                ..DraftInput::default()
            },
            ..NewDraft::default()
        };
        let mut files = Vec::new();
        match start {
            ComposeStart::New { person } => {
                if let Some(person) = person {
                    let person = self.store.person(caller.org_id, person).await?;
                    if let Some(email) = person
                        .emails
                        .iter()
                        .find(|e| e.primary)
                        .or(person.emails.first())
                    {
                        new.content.to.push(DraftAddress {
                            name: Some(person.display_name.clone()),
                            address: email.address.as_str().to_owned(),
                        });
                    }
                }
            }
            ComposeStart::Reply { message, all } => {
                let original = self.original(caller, message).await?;
                new.content.to =
                    original.reply_recipients(caller, all, &self.own_logins(caller).await?);
                if all {
                    new.content.cc =
                        original.reply_cc(caller, &new.content.to, &self.own_logins(caller).await?);
                }
                new.content.subject = quote::prefixed("Re: ", &original.subject);
                new.content.body = quote::appended(&new.content.body, &original.quoted())?;
                new.in_reply_to = original.message_id.clone();
                new.references = original.references_for_reply();
                new.reply_of = Some(message);
            }
            ComposeStart::Forward { message } => {
                let original = self.original(caller, message).await?;
                new.content.subject = quote::prefixed("Fwd: ", &original.subject);
                new.content.body = quote::appended(&new.content.body, &original.forwarded())?;
                new.forward_of = Some(message);
                files = original.attachments;
            }
        }
        let id = self
            .store
            .create_draft(caller.org_id, caller.id, &new)
            .await?;
        for part in files {
            self.store
                .add_draft_file(id, &part.name, &part.content_type, &part.bytes)
                .await?;
        }
        self.draft(caller, id).await
    }

    /// The subject, document and id of the template of the action type E-mail uit (the plain
    /// Inhoud block without one).
    async fn email_out_template(
        &self,
        caller: &User,
    ) -> CoreResult<(String, String, Option<postkamer_domain::TemplateId>)> {
        let types = self.store.action_types(caller.org_id).await?;
        let template = types
            .into_iter()
            .find(|t| t.kind == Some(ActionKind::EmailOut))
            .and_then(|t| t.template);
        match template {
            Some(t) => {
                let template = self.store.template(caller.org_id, t.id).await?;
                Ok((template.subject, template.body, Some(template.id)))
            }
            None => Ok((String::new(), PLAIN_BODY.to_owned(), None)),
        }
    }

    /// The addresses that are the caller's own (their login and IMAP login), which a reply to
    /// all leaves out.
    async fn own_logins(&self, caller: &User) -> CoreResult<Vec<String>> {
        let mut own = vec![caller.email.as_str().to_owned()];
        if let Some(mailbox) = self.store.mailbox_of_user(caller.org_id, caller.id).await? {
            own.push(mailbox.settings.login.to_ascii_lowercase());
        }
        Ok(own)
    }

    /// A message the caller may see, as a reply or forward needs it.
    async fn original(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
    ) -> CoreResult<quote::Original> {
        let record = self.store.message(caller.org_id, caller.id, id).await?;
        let raw = if record.truncated {
            None
        } else {
            Some(crate::mail::unpack(&record)?)
        };
        let raw = match raw {
            Some(raw) if !record.owned => {
                Some(postkamer_mail::parse::without_recipient_headers(&raw))
            }
            other => other,
        };
        tokio::task::spawn_blocking(move || quote::Original::read(&record, raw.as_deref()))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))
    }

    /// One draft of the caller.
    pub async fn draft(&self, caller: &User, id: DraftId) -> CoreResult<Draft> {
        Ok(draft_view(
            self.store.draft(caller.org_id, caller.id, id).await?,
        ))
    }

    /// Concepten: the caller's drafts, last changed first.
    pub async fn drafts(&self, caller: &User, page: PageRequest) -> CoreResult<Page<DraftSummary>> {
        Ok(self.store.drafts(caller.org_id, caller.id, page).await?)
    }

    /// Saves what the compose window holds, as typed. `Conflict("draft_sending")` while it is
    /// being sent (undo sending first).
    pub async fn save_draft(
        &self,
        caller: &User,
        id: DraftId,
        input: &DraftInput,
    ) -> CoreResult<Draft> {
        check_size(input)?;
        if !self
            .store
            .save_draft(caller.org_id, caller.id, id, input)
            .await?
        {
            return Err(CoreError::Conflict("draft_sending"));
        }
        self.draft(caller, id).await
    }

    pub async fn delete_draft(&self, caller: &User, id: DraftId) -> CoreResult<()> {
        self.store.draft(caller.org_id, caller.id, id).await?;
        if !self
            .store
            .delete_draft(caller.org_id, caller.id, id)
            .await?
        {
            return Err(CoreError::Conflict("draft_sending"));
        }
        Ok(())
    }

    /// A draft of the caller that can be changed.
    async fn editable_draft(&self, caller: &User, id: DraftId) -> CoreResult<DraftRecord> {
        let draft = self.store.draft(caller.org_id, caller.id, id).await?;
        if draft.sending.is_some() {
            return Err(CoreError::Conflict("draft_sending"));
        }
        Ok(draft)
    }

    /// Attaches a file; `Conflict("attachments_too_large")` when the draft's files would weigh
    /// more than a message may.
    pub async fn attach_file(
        &self,
        caller: &User,
        id: DraftId,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> CoreResult<DraftFile> {
        self.editable_draft(caller, id).await?;
        let name = clean_file_name(name);
        let content_type = clean_content_type(content_type);
        let total = self.store.draft_files_size(id).await?;
        let limit = self.config.sending.max_message_bytes as u64;
        if total.saturating_add(bytes.len() as u64) > limit {
            return Err(CoreError::Conflict("attachments_too_large"));
        }
        Ok(self
            .store
            .add_draft_file(id, &name, &content_type, bytes)
            .await?)
    }

    pub async fn remove_file(
        &self,
        caller: &User,
        id: DraftId,
        file: DraftFileId,
    ) -> CoreResult<()> {
        self.editable_draft(caller, id).await?;
        if !self.store.remove_draft_file(id, file).await? {
            return Err(CoreError::NotFound);
        }
        Ok(())
    }

    /// One file of a draft of the caller, with its bytes.
    pub async fn draft_file(
        &self,
        caller: &User,
        id: DraftId,
        file: DraftFileId,
    ) -> CoreResult<(DraftFile, Vec<u8>)> {
        self.store.draft(caller.org_id, caller.id, id).await?;
        self.store
            .draft_file_bytes(id, Some(file))
            .await?
            .into_iter()
            .next()
            .ok_or(CoreError::NotFound)
    }

    /// The pre-send check: the merge fields that would come out empty for the relation of the
    /// first To address, and whether it goes out signed.
    pub async fn check_draft(&self, caller: &User, id: DraftId) -> CoreResult<SendCheck> {
        let draft = self.store.draft(caller.org_id, caller.id, id).await?;
        let (subject, doc) = read(&draft.content)?;
        let person = self.first_relation(caller, &draft.content.to).await?;
        let values = self.values_for(caller, person).await?;
        let signed_with = self
            .signing_key(caller.org_id, caller.email.domain())
            .await?
            .map(|key| format!("{} {}", key.selector, key.domain));
        Ok(SendCheck {
            person,
            empty_fields: postkamer_templates::unfilled(&subject, &doc, &values),
            signed_with,
        })
    }

    /// "Verzenden": the draft filled in for the relation of its first To address, built,
    /// signed when due and queued; it goes after [`crate::sending::SendingConfig::undo_window`]
    /// unless [`Core::undo_send`] comes first.
    pub async fn send_draft(&self, caller: &User, id: DraftId) -> CoreResult<Sending> {
        let draft = self.editable_draft(caller, id).await?;
        let (subject, doc) = read(&draft.content)?;
        let person = self.first_relation(caller, &draft.content.to).await?;
        let values = self.values_for(caller, person).await?;
        let mut inline = Vec::new();
        for name in doc.images() {
            match self.store.template_image(caller.org_id, name).await {
                Ok(image) => inline.push(Part {
                    name: name.to_owned(),
                    content_type: image.content_type,
                    bytes: image.bytes,
                }),
                Err(StoreError::NotFound) => {
                    let rule = TemplateRule::ImageSource;
                    return Err(ValidationErrors::single("body", Invalid::Template { rule }).into());
                }
                Err(err) => return Err(err.into()),
            }
        }
        let attachments = self
            .store
            .draft_file_bytes(id, None)
            .await?
            .into_iter()
            .map(|(file, bytes)| Part {
                name: file.name,
                content_type: file.content_type,
                bytes,
            })
            .collect();
        let action_type = self
            .store
            .action_types(caller.org_id)
            .await?
            .into_iter()
            .find(|t| t.kind == Some(ActionKind::EmailOut))
            .map(|t| t.id);
        let hold = self.config.sending.undo_window;
        let mail = NewMail {
            to: mailboxes(&draft.content.to),
            cc: mailboxes(&draft.content.cc),
            bcc: mailboxes(&draft.content.bcc),
            subject: subject.render(&values),
            text: postkamer_templates::text(&doc, &values),
            html: postkamer_templates::html(&doc, &values),
            inline,
            attachments,
            in_reply_to: draft.in_reply_to,
            references: draft.references,
            hold,
            draft: Some(id),
            action_type,
        };
        let queued = self.send_mail(caller, mail).await?;
        Ok(Sending {
            draft: id,
            outbox: queued.id,
            send_at: queued
                .created_at
                .saturating_add(postkamer_domain::clock::millis(hold)),
        })
    }

    /// "Verzenden ongedaan maken": the message stays home and the draft is a draft again.
    /// `Conflict("outbox_not_waiting")` once it is on its way.
    pub async fn undo_send(&self, caller: &User, id: DraftId) -> CoreResult<Draft> {
        let draft = self.store.draft(caller.org_id, caller.id, id).await?;
        let Some(outbox) = draft.sending else {
            return Err(CoreError::Conflict("draft_not_sending"));
        };
        self.cancel_outgoing(caller, outbox).await?;
        self.draft(caller, id).await
    }

    /// The contact person of the first To address, if it is one's.
    async fn first_relation(
        &self,
        caller: &User,
        to: &[DraftAddress],
    ) -> CoreResult<Option<PersonId>> {
        let Some(first) = to.first() else {
            return Ok(None);
        };
        let Ok(email) = EmailAddress::parse(first.address.trim()) else {
            return Ok(None);
        };
        Ok(self
            .store
            .persons_by_email(caller.org_id, &email)
            .await?
            .into_iter()
            .next())
    }

    async fn values_for(&self, caller: &User, person: Option<PersonId>) -> CoreResult<Values> {
        let person = match person {
            Some(id) => Some(self.store.person(caller.org_id, id).await?),
            None => None,
        };
        let company = match person.as_ref().and_then(|p| p.company.as_ref()) {
            Some(c) => Some(self.store.company(caller.org_id, c.id).await?),
            None => None,
        };
        Ok(self.merge_values(caller, person.as_ref(), company.as_ref()))
    }
}

/// The draft's subject and document, read (a broken one is a field error, kept as it is).
fn read(content: &DraftInput) -> CoreResult<(Subject, postkamer_templates::Document)> {
    let subject = Subject::parse(&content.subject).map_err(|e| template_error("subject", &e))?;
    let doc = postkamer_templates::parse(&content.body).map_err(|e| template_error("body", &e))?;
    Ok((subject, doc))
}

/// A file name as a mail may carry it: no path, no control characters, not empty.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    match clean.trim() {
        "" => "bijlage".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

fn clean_content_type(content_type: &str) -> String {
    let t = content_type.trim();
    if t.contains('/') && t.is_ascii() && !t.contains(['\r', '\n']) && t.len() <= 200 {
        t.to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

/// Reply and reply-all recipients.
impl quote::Original {
    /// Reply-To, else From; with `all` To and Cc are added in [`Self::reply_cc`].
    fn reply_recipients(&self, _caller: &User, all: bool, own: &[String]) -> Vec<DraftAddress> {
        let of = |kind| {
            self.addresses
                .iter()
                .filter(move |a: &&MailAddress| a.kind == kind)
        };
        let mut to: Vec<&MailAddress> = of(AddressKind::ReplyTo).collect();
        if to.is_empty() {
            to = of(AddressKind::From).collect();
        }
        // Answering one's own sent mail: back to whom it went.
        if !all && to.iter().all(|a| own.contains(&a.email)) {
            to = of(AddressKind::To).collect();
        }
        if all {
            to.extend(of(AddressKind::To));
        }
        distinct(to, own, &[])
    }

    /// Reply-all's Cc: the original Cc, minus the caller and those already in To.
    fn reply_cc(&self, _caller: &User, to: &[DraftAddress], own: &[String]) -> Vec<DraftAddress> {
        let cc: Vec<&MailAddress> = self
            .addresses
            .iter()
            .filter(|a| a.kind == AddressKind::Cc)
            .collect();
        distinct(cc, own, to)
    }
}

/// The addresses once each, without the caller's own and those in `besides`.
fn distinct(
    list: Vec<&MailAddress>,
    own: &[String],
    besides: &[DraftAddress],
) -> Vec<DraftAddress> {
    let mut out: Vec<DraftAddress> = Vec::new();
    for a in list {
        let email = a.email.to_ascii_lowercase();
        if own.contains(&email)
            || besides
                .iter()
                .any(|b| b.address.eq_ignore_ascii_case(&email))
            || out.iter().any(|b| b.address.eq_ignore_ascii_case(&email))
        {
            continue;
        }
        out.push(DraftAddress {
            name: a.name.clone(),
            address: a.email.clone(),
        });
    }
    out
}
