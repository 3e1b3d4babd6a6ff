//! E-mail templates and action types (Beheer → E-mail → E-mailsjablonen, Actietypen): everyone
//! in the organisation may read and use them, SuperAdmins change them. A template's document
//! and subject are checked by the templates engine before they are stored, and rendered by it
//! for a relation (the preview, and the mail a new action opens with).

mod images;

use postkamer_domain::calendar::dutch_long_date;
use postkamer_domain::merge::MergeField;
use postkamer_domain::relation::Person;
use postkamer_domain::templates::valid_name;
use postkamer_domain::templates::{
    ActionType, Template, TemplateRule, TemplateSummary, TemplateVersion,
};
pub use postkamer_domain::templates::{ActionTypeInput, Rendered, TemplateInput};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{ActionTypeId, PersonId, TemplateId, User, ValidationErrors};
use postkamer_store::templates::{ActionTypeWrite, TemplateWrite};
use postkamer_templates::{Subject, Values};

use crate::{Core, CoreResult, require_superadmin};

fn rule(field: &str, invalid: &postkamer_templates::Invalid) -> ValidationErrors {
    tracing::debug!(%invalid, "template refused");
    ValidationErrors::single(
        field,
        Invalid::Template {
            rule: invalid.rule(),
        },
    )
}

/// A name the organisation already uses is a field error, not a conflict.
fn name_taken(err: postkamer_store::StoreError) -> crate::CoreError {
    match err {
        postkamer_store::StoreError::AlreadyExists("name") => {
            ValidationErrors::single("name", Invalid::NameTaken).into()
        }
        other => other.into(),
    }
}

/// The template to store, checked: the name, the subject's merge fields and the document
/// (returned too, for the checks that need the store).
fn checked(
    input: &TemplateInput,
) -> Result<(TemplateWrite<'_>, postkamer_templates::Document), ValidationErrors> {
    let name = valid_name(&input.name)?;
    Subject::parse(&input.subject).map_err(|e| rule("subject", &e))?;
    let doc = postkamer_templates::parse(&input.body).map_err(|e| rule("body", &e))?;
    let write = TemplateWrite {
        name,
        subject: input.subject.trim(),
        body: &input.body,
        has_inhoud: has_inhoud(&doc),
    };
    Ok((write, doc))
}

fn has_inhoud(doc: &postkamer_templates::Document) -> bool {
    doc.0
        .children()
        .iter()
        .any(|n| matches!(n, postkamer_templates::Node::Inhoud { .. }))
}

impl Core {
    pub async fn templates(&self, caller: &User) -> CoreResult<Vec<TemplateSummary>> {
        Ok(self.store.templates(caller.org_id).await?)
    }

    pub async fn template(&self, caller: &User, id: TemplateId) -> CoreResult<Template> {
        Ok(self.store.template(caller.org_id, id).await?)
    }

    pub async fn create_template(
        &self,
        caller: &User,
        input: &TemplateInput,
    ) -> CoreResult<Template> {
        require_superadmin(caller)?;
        let (write, doc) = checked(input)?;
        self.check_images(caller, &doc).await?;
        self.store
            .create_template(caller.org_id, caller.id, &write)
            .await
            .map_err(name_taken)
    }

    /// "Opslaan": the new state, kept as the newest version.
    pub async fn update_template(
        &self,
        caller: &User,
        id: TemplateId,
        input: &TemplateInput,
    ) -> CoreResult<Template> {
        require_superadmin(caller)?;
        let (write, doc) = checked(input)?;
        self.check_images(caller, &doc).await?;
        self.store
            .update_template(caller.org_id, id, caller.id, &write)
            .await
            .map_err(name_taken)
    }

    /// "Dupliceren": a copy named "… (kopie)", or "… (kopie 2)" and on when that is taken.
    pub async fn duplicate_template(&self, caller: &User, id: TemplateId) -> CoreResult<Template> {
        require_superadmin(caller)?;
        let original = self.store.template(caller.org_id, id).await?;
        let taken: Vec<String> = self
            .store
            .templates(caller.org_id)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        let name = (1..)
            .map(|n| match n {
                1 => format!("{} (kopie)", original.name),
                n => format!("{} (kopie {n})", original.name),
            })
            .find(|name| !taken.contains(name))
            .unwrap_or_default();
        let write = TemplateWrite {
            name: &name,
            subject: &original.subject,
            body: &original.body,
            has_inhoud: original.has_inhoud,
        };
        Ok(self
            .store
            .create_template(caller.org_id, caller.id, &write)
            .await?)
    }

    /// "Verwijderen": refused (`Conflict("template_in_use")`) while an action type uses it.
    pub async fn delete_template(&self, caller: &User, id: TemplateId) -> CoreResult<()> {
        require_superadmin(caller)?;
        Ok(self.store.delete_template(caller.org_id, id).await?)
    }

    pub async fn template_versions(
        &self,
        caller: &User,
        id: TemplateId,
    ) -> CoreResult<Vec<TemplateVersion>> {
        require_superadmin(caller)?;
        Ok(self.store.template_versions(caller.org_id, id).await?)
    }

    /// "Herstellen": an earlier version saved again as the newest.
    pub async fn restore_template(
        &self,
        caller: &User,
        id: TemplateId,
        version: i64,
    ) -> CoreResult<Template> {
        let versions = self.template_versions(caller, id).await?;
        let old = versions
            .into_iter()
            .find(|v| v.id == version)
            .ok_or(crate::CoreError::NotFound)?;
        let input = TemplateInput {
            name: old.name,
            subject: old.subject,
            body: old.body,
        };
        self.update_template(caller, id, &input).await
    }

    /// The template filled in for `person` (none: every relation field empty, showing its
    /// fallback), sent by the caller.
    pub async fn render_template(
        &self,
        caller: &User,
        id: TemplateId,
        person: Option<PersonId>,
    ) -> CoreResult<Rendered> {
        let template = self.store.template(caller.org_id, id).await?;
        // Stored templates were checked when saved; one that no longer reads is damaged.
        let damaged = |e: postkamer_templates::Invalid| {
            crate::CoreError::Internal(format!("stored template {id} does not read: {e}"))
        };
        let doc = postkamer_templates::parse(&template.body).map_err(damaged)?;
        let subject = Subject::parse(&template.subject).map_err(damaged)?;
        self.render(caller, &subject, &doc, person, Default::default())
            .await
    }

    /// "Voorbeeld" in the editor: the template as it stands, not yet saved, filled in for
    /// `person`; checked as saving would check it.
    pub async fn preview_template(
        &self,
        caller: &User,
        input: &TemplateInput,
        person: Option<PersonId>,
    ) -> CoreResult<Rendered> {
        let subject = Subject::parse(&input.subject).map_err(|e| rule("subject", &e))?;
        let doc = postkamer_templates::parse(&input.body).map_err(|e| rule("body", &e))?;
        let images = self.inline_images(caller, &doc).await?;
        self.render(caller, &subject, &doc, person, images).await
    }

    async fn render(
        &self,
        caller: &User,
        subject: &Subject,
        doc: &postkamer_templates::Document,
        person: Option<PersonId>,
        image_sources: std::collections::HashMap<String, String>,
    ) -> CoreResult<Rendered> {
        let person = match person {
            Some(id) => Some(self.store.person(caller.org_id, id).await?),
            None => None,
        };
        let company = match person.as_ref().and_then(|p| p.company.as_ref()) {
            Some(c) => Some(self.store.company(caller.org_id, c.id).await?),
            None => None,
        };
        let values = Values {
            image_sources,
            ..self.merge_values(caller, person.as_ref(), company.as_ref())
        };
        Ok(Rendered {
            subject: subject.render(&values),
            html: postkamer_templates::html(doc, &values),
            text: postkamer_templates::text(doc, &values),
        })
    }

    pub(crate) fn merge_values(
        &self,
        caller: &User,
        person: Option<&Person>,
        company: Option<&postkamer_domain::relation::Company>,
    ) -> Values {
        let mut values = Values::default();
        let mut set = |field, value: Option<&str>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                values.fields.insert(field, value.to_owned());
            }
        };
        if let Some(p) = person {
            set(MergeField::Aanhef, Some(&p.greeting()));
            set(MergeField::Voornaam, p.first_name.as_deref());
            set(MergeField::Tussenvoegsel, p.tussenvoegsel.as_deref());
            set(MergeField::Achternaam, Some(&p.last_name));
            set(MergeField::VolledigeNaam, Some(&p.display_name));
            set(MergeField::Functie, p.job_title.as_deref());
        }
        if let Some(c) = company {
            set(MergeField::BedrijfNaam, Some(&c.name));
            set(MergeField::BedrijfPlaats, Some(&c.address.city));
        }
        set(MergeField::GebruikerNaam, Some(&caller.name));
        set(MergeField::GebruikerFunctie, caller.job_title.as_deref());
        set(MergeField::GebruikerEmail, Some(caller.email.as_str()));
        set(MergeField::GebruikerTelefoon, caller.phone.as_deref());
        set(MergeField::Vandaag, Some(&dutch_long_date(self.now())));
        values
    }

    /// The action types in their order, each with its template.
    pub async fn action_types(&self, caller: &User) -> CoreResult<Vec<ActionType>> {
        Ok(self.store.action_types(caller.org_id).await?)
    }

    pub async fn create_action_type(&self, caller: &User, name: &str) -> CoreResult<ActionType> {
        require_superadmin(caller)?;
        let name = valid_name(name)?;
        self.store
            .create_action_type(caller.org_id, name)
            .await
            .map_err(name_taken)
    }

    /// Renames, switches on or off, and chooses the template of an action type.
    pub async fn update_action_type(
        &self,
        caller: &User,
        id: ActionTypeId,
        input: &ActionTypeInput,
    ) -> CoreResult<ActionType> {
        require_superadmin(caller)?;
        let name = valid_name(&input.name)?;
        let write = ActionTypeWrite {
            name,
            active: input.active,
            template: input.template,
        };
        match self
            .store
            .update_action_type(caller.org_id, id, &write)
            .await
        {
            Err(postkamer_store::StoreError::UnknownReference(_)) => Err(ValidationErrors::single(
                "template",
                Invalid::Template {
                    rule: TemplateRule::NotATemplate,
                },
            )
            .into()),
            other => other.map_err(name_taken),
        }
    }
}
