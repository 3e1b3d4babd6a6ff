//! The company form, for a new company and for editing one.

use crate::api::relations::{create_company, update_company};
use crate::components::{ErrorBox, TextField, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use postkamer_domain::CompanyId;
use postkamer_domain::relation::{Address, CompanyInput};

#[component]
pub fn CompanyForm(initial: CompanyInput, id: Option<CompanyId>) -> impl IntoView {
    let locale = use_locale();
    let name = RwSignal::new(initial.name);
    let kvk_number = RwSignal::new(initial.kvk_number);
    let phone = RwSignal::new(initial.phone);
    let website = RwSignal::new(initial.website);
    let domains = RwSignal::new(initial.email_domains.join("\n"));
    let street = RwSignal::new(initial.address.street);
    let postal_code = RwSignal::new(initial.address.postal_code);
    let city = RwSignal::new(initial.address.city);
    let country = RwSignal::new(initial.address.country);

    let save = Action::new(move |input: &CompanyInput| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => update_company(id, input).await,
                None => create_company(input).await,
            }
        }
    });
    let errors = validation_errors(save.value());
    Effect::new(move |_| {
        if let Some(Ok(company)) = save.value().get() {
            use_navigate()(
                &format!("/relaties/bedrijven/{}", company.id),
                Default::default(),
            );
        }
    });
    let domain_errors = move || {
        let locale = locale.get();
        errors.get().map(|e| {
            e.0.iter()
                .filter(|f| f.field.starts_with("email_domains"))
                .map(|f| f.error.message(locale))
                .collect::<Vec<_>>()
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(CompanyInput {
            name: name.get_untracked(),
            kvk_number: kvk_number.get_untracked(),
            phone: phone.get_untracked(),
            website: website.get_untracked(),
            email_domains: domains
                .get_untracked()
                .split(['\n', ',', ';'])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            address: Address {
                street: street.get_untracked(),
                postal_code: postal_code.get_untracked(),
                city: city.get_untracked(),
                country: country.get_untracked(),
            },
        });
    };
    let cancel_href = id.map_or_else(
        || "/relaties/bedrijven".to_owned(),
        |id| format!("/relaties/bedrijven/{id}"),
    );
    view! {
        <form class="card form" on:submit=submit novalidate data-test="company-form">
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            <fieldset>
                <legend>{tr("Bedrijf", "Company")}</legend>
                <TextField label="Naam" label_en="Name" field="name" value=name errors autocomplete="organization" required=true />
                <div class="row">
                    <TextField label="KvK-nummer" label_en="KvK number" field="kvk_number" value=kvk_number errors />
                    <TextField label="Telefoon" label_en="Phone" field="phone" value=phone errors input_type="tel" />
                    <TextField label="Website" label_en="Website" field="website" value=website errors />
                </div>
                <div class="field">
                    <label for="f-email_domains">{tr("E-maildomeinen (één per regel)", "E-mail domains (one per line)")}</label>
                    <textarea id="f-email_domains" data-test="field-email_domains" rows="2" bind:value=domains></textarea>
                    {move || domain_errors().into_iter().flatten().map(|m| view! {
                        <p class="field-error" data-test="error-email_domains" role="alert">{m}</p>
                    }).collect_view()}
                    <p class="hint">{tr(
                        "Nieuwe contactpersonen uit de mail met dit domein krijgen dit bedrijf als voorstel.",
                        "New contact persons found in mail from this domain get this company suggested.",
                    )}</p>
                </div>
            </fieldset>
            <fieldset>
                <legend>{tr("Adres", "Address")}</legend>
                <TextField label="Straat en huisnummer" label_en="Street and number" field="address.street" value=street errors />
                <div class="row">
                    <TextField label="Postcode" label_en="Postal code" field="address.postal_code" value=postal_code errors />
                    <TextField label="Plaats" label_en="City" field="address.city" value=city errors />
                    <TextField label="Land" label_en="Country" field="address.country" value=country errors />
                </div>
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t(locale.get(), "Bezig met opslaan…", "Saving…") } else { t(locale.get(), "Opslaan", "Save") }}
                </button>
                <a class="button" href=cancel_href>{tr("Annuleren", "Cancel")}</a>
            </div>
        </form>
    }
}
