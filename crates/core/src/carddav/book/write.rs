//! A phone's writes to the book of marked relations: a card made or edited on a phone becomes
//! a relation (its company found or created by name; what the CRM refuses left out rather than
//! the card refused); a card deleted on a phone is unmarked for sync, never deleted.

use postkamer_carddav::vcard::{CardData, ReceivedCard};
use postkamer_carddav::{Condition, StoredCard, WriteError, Written};
use postkamer_domain::ValidationErrors;
use postkamer_domain::relation::{Actor, AddressSource, PersonInput, Salutation};
use postkamer_store::StoreError;

use super::{AddressBook, BOOK_QUOTA_BYTES, stored};

impl AddressBook {
    async fn current(&self, name: &str) -> Result<Option<StoredCard>, WriteError> {
        let org = self.user.org_id;
        let mut cards = self
            .core
            .store
            .synced_cards(org, Some(&[name.to_owned()]))
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        Ok(cards.pop().map(stored))
    }

    /// The person input for a card: the phone's values, cleaned until the CRM accepts them
    /// (invalid addresses and numbers left out, a missing last name taken from the card's other
    /// names), and its company found or created by name. The salutation is the CRM's own (a
    /// vCard has none): the person's present one.
    async fn person_input(
        &self,
        data: &CardData,
        salutation: Salutation,
    ) -> Result<PersonInput, WriteError> {
        let org = self.user.org_id;
        let company_id = match data.organisation.trim() {
            "" => None,
            name => match self.core.store.company_by_name(org, name).await {
                Ok(Some(id)) => Some(id),
                Ok(None) => {
                    let input = postkamer_domain::relation::CompanyInput {
                        name: name.to_owned(),
                        ..Default::default()
                    };
                    let valid = input
                        .validate()
                        .map_err(|e| WriteError::Invalid(validation_text(&e)))?;
                    Some(
                        self.core
                            .store
                            .create_company(org, &valid)
                            .await
                            .map_err(|e| WriteError::Store(e.to_string()))?
                            .id,
                    )
                }
                Err(e) => return Err(WriteError::Store(e.to_string())),
            },
        };
        let mut last_name = data.last_name.clone();
        let mut first_name = data.first_name.clone();
        if last_name.is_empty() {
            // A phone card with only a first name, a company or an address.
            last_name = if !first_name.is_empty() {
                std::mem::take(&mut first_name)
            } else if !data.organisation.is_empty() {
                data.organisation.clone()
            } else {
                data.emails
                    .first()
                    .map(|e| e.address.clone())
                    .unwrap_or_else(|| "(zonder naam)".into())
            };
        }
        let mut input = PersonInput {
            first_name,
            tussenvoegsel: data.tussenvoegsel.clone(),
            last_name,
            job_title: data.job_title.clone(),
            salutation,
            emails: data.emails.clone(),
            phones: data.phones.clone(),
            address: data.address.clone(),
            notes: data.notes.clone(),
            company_id,
            synchroniseren: true,
        };
        input.emails.truncate(PersonInput::MAX_EMAILS);
        input.phones.truncate(PersonInput::MAX_PHONES);
        // Leave out what the CRM refuses, field by field, then the address if it still fails.
        for _ in 0..3 {
            let mut errors = input.validate().err().unwrap_or_default();
            // An address of the organisation itself never becomes a contact person's: left
            // out like an invalid one (the phone keeps it on its card).
            errors.0.extend(
                self.core
                    .own_address_errors(org, &input)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?
                    .0,
            );
            if errors.is_empty() {
                return Ok(input);
            }
            let mut changed = false;
            for error in &errors.0 {
                if let Some(index) = indexed(&error.field, "emails") {
                    if index < input.emails.len() {
                        input.emails[index].address.clear();
                        changed = true;
                    }
                } else if let Some(index) = indexed(&error.field, "phones") {
                    if index < input.phones.len() {
                        input.phones[index].number.clear();
                        changed = true;
                    }
                } else if error.field.starts_with("address") {
                    input.address = Default::default();
                    changed = true;
                }
            }
            input.emails.retain(|e| !e.address.is_empty());
            input.phones.retain(|p| !p.number.is_empty());
            if !input.emails.iter().any(|e| e.primary)
                && let Some(first) = input.emails.first_mut()
            {
                first.primary = true;
            }
            if !changed {
                return Err(WriteError::Invalid(validation_text(&errors)));
            }
        }
        match self.core.valid_person(org, &input).await {
            Ok(_) => Ok(input),
            Err(crate::CoreError::Validation(e)) => Err(WriteError::Invalid(validation_text(&e))),
            Err(e) => Err(WriteError::Store(e.to_string())),
        }
    }

    /// Creates or updates the card `name` of the marked relations.
    pub(super) async fn write_card(
        &self,
        name: &str,
        card: ReceivedCard,
        condition: Condition,
    ) -> Result<Written, WriteError> {
        let org = self.user.org_id;
        let store = &self.core.store;
        let current = self.current(name).await?;
        match (&condition, &current) {
            (Condition::IfNoneMatchAny, Some(_)) => return Err(WriteError::PreconditionFailed),
            (Condition::IfMatch(_), None) => return Err(WriteError::PreconditionFailed),
            (Condition::IfMatch(etag), Some(c)) if etag != "*" && *etag != c.meta.etag => {
                return Err(WriteError::PreconditionFailed);
            }
            _ => {}
        }
        let grows = card.original.len()
            > current
                .as_ref()
                .and_then(|c| c.original.as_ref())
                .map_or(0, String::len);
        if grows {
            let used = store
                .card_bytes(org)
                .await
                .map_err(|e| WriteError::Store(e.to_string()))?;
            if used + card.original.len() as u64 > BOOK_QUOTA_BYTES {
                return Err(WriteError::QuotaExceeded);
            }
        }
        let uid = card.data.uid.clone();
        // The person: this card's, else the one with the card's UID (a CRM card the phone
        // re-creates under another name), else a new one.
        let by_name = store
            .person_by_card(org, name)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        let by_uid = store
            .person_org_by_uid(&uid)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        // The person to write, and whether it already carries the card's UID.
        let (person, has_uid) = match (by_name, by_uid) {
            (Some((id, person_uid, _)), other) => {
                if person_uid != uid && other.is_some() {
                    return Err(WriteError::Conflict(format!(
                        "UID {uid} hoort al bij een ander contact"
                    )));
                }
                (Some(id), person_uid == uid)
            }
            (None, Some((owner, id))) if owner == org => {
                // In the book under another name: the same contact twice. Refused, naming the
                // existing card (RFC 6352 no-uid-conflict); taking it over would let a delete
                // of this new resource remove the first contact.
                if let Some((_, existing, true)) = store
                    .person_card_by_uid(org, &uid)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?
                {
                    return Err(WriteError::UidConflict { existing });
                }
                (Some(id), true)
            }
            (None, Some(_)) => {
                return Err(WriteError::Conflict(format!("UID {uid} is al in gebruik")));
            }
            (None, None) => (None, false),
        };
        let salutation = match person {
            Some(id) => {
                store
                    .person(org, id)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?
                    .salutation
            }
            None => Salutation::default(),
        };
        let input = self.person_input(&card.data, salutation).await?;
        let valid = input
            .validate()
            .map_err(|e| WriteError::Invalid(validation_text(&e)))?;
        let by = Actor::user(self.user.id, AddressSource::Phone);
        let id = match person {
            Some(id) => {
                store
                    .update_person(org, id, &valid, by)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?;
                id
            }
            None => {
                let created = store
                    .create_person(org, &valid, by)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?;
                created.id
            }
        };
        if !has_uid {
            store
                .set_person_uid(org, id, &uid)
                .await
                .map_err(|e| match e {
                    StoreError::AlreadyExists(_) => {
                        WriteError::Conflict(format!("UID {uid} is al in gebruik"))
                    }
                    other => WriteError::Store(other.to_string()),
                })?;
        }
        let card_name = (name != uid).then_some(name);
        store
            .set_card(org, id, card_name, &card.original)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        let now = self
            .current(name)
            .await?
            .ok_or_else(|| WriteError::Store("the card is gone after writing".into()))?;
        Ok(Written {
            created: current.is_none(),
            altered: now.data != card.data,
            etag: now.meta.etag,
        })
    }

    /// A card deleted on a phone: the relation is unmarked for sync, never deleted.
    pub(super) async fn unmark_card(
        &self,
        name: &str,
        condition: Condition,
    ) -> Result<(), WriteError> {
        let Some(current) = self.current(name).await? else {
            return Err(WriteError::NotFound);
        };
        if let Condition::IfMatch(etag) = &condition
            && etag != "*"
            && *etag != current.meta.etag
        {
            return Err(WriteError::PreconditionFailed);
        }
        let Some((id, _, _)) = self
            .core
            .store
            .person_by_card(self.user.org_id, name)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?
        else {
            return Err(WriteError::NotFound);
        };
        self.core
            .store
            .set_synced(self.user.org_id, &[id], false)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        Ok(())
    }
}

fn indexed(field: &str, list: &str) -> Option<usize> {
    field
        .strip_prefix(list)?
        .strip_prefix('[')?
        .split(']')
        .next()?
        .parse()
        .ok()
}

fn validation_text(errors: &ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field,
                e.error.message(postkamer_domain::Locale::Nl)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
