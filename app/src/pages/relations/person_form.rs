//! The contact person form, for a new person and for editing one. Every field lives in a
//! signal, so what the user typed stays on screen when the server refuses it.

use crate::api::relations::{company_options, create_person, update_person};
use crate::components::{ErrorBox, FieldError, TextField, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use postkamer_domain::relation::{
    Address, CompanyRef, EmailInput, PersonInput, PhoneInput, PhoneKind, Salutation,
};
use postkamer_domain::{CompanyId, PersonId};

#[derive(Clone, Copy)]
struct EmailRow {
    address: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct PhoneRow {
    number: RwSignal<String>,
    kind: RwSignal<PhoneKind>,
}

fn salutation_label(salutation: Salutation, locale: postkamer_domain::Locale) -> &'static str {
    match salutation {
        Salutation::Automatisch => t(locale, "Automatisch", "Automatic"),
        Salutation::Informeel => t(locale, "Informeel (Beste …)", "Informal (Beste …)"),
        Salutation::Heer => t(locale, "Geachte heer …", "Geachte heer … (Mr)"),
        Salutation::Mevrouw => t(locale, "Geachte mevrouw …", "Geachte mevrouw … (Ms)"),
        Salutation::Neutraal => t(locale, "Geachte + volledige naam", "Geachte + full name"),
    }
}

fn phone_label(kind: PhoneKind, locale: postkamer_domain::Locale) -> &'static str {
    match kind {
        PhoneKind::Werk => t(locale, "Werk", "Work"),
        PhoneKind::Mobiel => t(locale, "Mobiel", "Mobile"),
        PhoneKind::Prive => t(locale, "Privé", "Home"),
        PhoneKind::Fax => "Fax",
        PhoneKind::Overig => t(locale, "Overig", "Other"),
    }
}

#[component]
pub fn PersonForm(
    initial: PersonInput,
    id: Option<PersonId>,
    /// The person's company now, offered even when it is not among the picker's first companies.
    current_company: Option<CompanyRef>,
) -> impl IntoView {
    let locale = use_locale();
    let first_name = RwSignal::new(initial.first_name);
    let tussenvoegsel = RwSignal::new(initial.tussenvoegsel);
    let last_name = RwSignal::new(initial.last_name);
    let job_title = RwSignal::new(initial.job_title);
    let salutation = RwSignal::new(initial.salutation);
    let street = RwSignal::new(initial.address.street);
    let postal_code = RwSignal::new(initial.address.postal_code);
    let city = RwSignal::new(initial.address.city);
    let country = RwSignal::new(initial.address.country);
    let notes = RwSignal::new(initial.notes);
    let company_id = RwSignal::new(initial.company_id);
    let synchroniseren = RwSignal::new(initial.synchroniseren);
    let primary = RwSignal::new(initial.emails.iter().position(|e| e.primary).unwrap_or(0));
    let mut email_rows: Vec<EmailRow> = initial
        .emails
        .into_iter()
        .map(|e| EmailRow {
            address: RwSignal::new(e.address),
        })
        .collect();
    if email_rows.is_empty() {
        email_rows.push(EmailRow {
            address: RwSignal::new(String::new()),
        });
    }
    let emails = RwSignal::new(email_rows);
    let mut phone_rows: Vec<PhoneRow> = initial
        .phones
        .into_iter()
        .map(|p| PhoneRow {
            number: RwSignal::new(p.number),
            kind: RwSignal::new(p.kind),
        })
        .collect();
    if phone_rows.is_empty() {
        phone_rows.push(PhoneRow {
            number: RwSignal::new(String::new()),
            kind: RwSignal::new(PhoneKind::Werk),
        });
    }
    let phones = RwSignal::new(phone_rows);

    let save = Action::new(move |input: &PersonInput| {
        let input = input.clone();
        async move {
            match id {
                Some(id) => update_person(id, input).await,
                None => create_person(input).await,
            }
        }
    });
    let errors = validation_errors(save.value());
    Effect::new(move |_| {
        if let Some(Ok(person)) = save.value().get() {
            // A new person with e-mail addresses: their page says how much earlier mail
            // came along (linking is immediate).
            let announce = if id.is_none() && !person.emails.is_empty() {
                "?nieuw=1"
            } else {
                ""
            };
            use_navigate()(
                &format!("/relaties/personen/{}{announce}", person.id),
                Default::default(),
            );
        }
    });

    let collect = move || PersonInput {
        first_name: first_name.get_untracked(),
        tussenvoegsel: tussenvoegsel.get_untracked(),
        last_name: last_name.get_untracked(),
        job_title: job_title.get_untracked(),
        salutation: salutation.get_untracked(),
        emails: emails
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, row)| EmailInput {
                address: row.address.get_untracked(),
                primary: i == primary.get_untracked(),
            })
            .collect(),
        phones: phones
            .get_untracked()
            .iter()
            .map(|row| PhoneInput {
                number: row.number.get_untracked(),
                kind: row.kind.get_untracked(),
            })
            .collect(),
        address: Address {
            street: street.get_untracked(),
            postal_code: postal_code.get_untracked(),
            city: city.get_untracked(),
            country: country.get_untracked(),
        },
        notes: notes.get_untracked(),
        company_id: company_id.get_untracked(),
        synchroniseren: synchroniseren.get_untracked(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(collect());
    };

    let companies = Resource::new(|| (), |_| company_options());
    let current_company = StoredValue::new(current_company);
    let cancel_href = id.map_or_else(
        || "/relaties".to_owned(),
        |id| format!("/relaties/personen/{id}"),
    );

    view! {
        <form class="card form" on:submit=submit novalidate data-test="person-form">
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            <fieldset>
                <legend>{tr("Naam", "Name")}</legend>
                <div class="row">
                    <TextField label="Voornaam" label_en="First name" field="first_name" value=first_name errors autocomplete="given-name" />
                    <TextField label="Tussenvoegsel" label_en="Name prefix" field="tussenvoegsel" value=tussenvoegsel errors />
                    <TextField label="Achternaam" label_en="Last name" field="last_name" value=last_name errors autocomplete="family-name" required=true />
                </div>
                <div class="row">
                    <div class="field">
                        <label for="f-salutation">{tr("Aanhef", "Salutation")}</label>
                        <select id="f-salutation" data-test="field-salutation"
                            on:change=move |ev| salutation.set(Salutation::parse(&event_target_value(&ev)))>
                            {Salutation::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=move || salutation.get() == s>{move || salutation_label(s, locale.get())}</option>
                            }).collect_view()}
                        </select>
                        // What the merge field relatie.aanhef will say, as the names are typed.
                        <p class="hint" data-test="salutation-example">
                            {move || {
                                let first = first_name.get();
                                let particle = tussenvoegsel.get();
                                let last = last_name.get();
                                (!last.trim().is_empty()).then(|| {
                                    salutation.get().greeting(Some(&first), Some(&particle), &last) + ","
                                })
                            }}
                        </p>
                    </div>
                    <TextField label="Functie" label_en="Job title" field="job_title" value=job_title errors />
                    <div class="field">
                        <label for="f-company_id">{tr("Bedrijf", "Company")}</label>
                        <Suspense fallback=|| view! { <select disabled=true><option>"…"</option></select> }>
                            {move || Suspend::new(async move {
                                let mut options = companies.await.unwrap_or_default();
                                if let Some(current) = current_company.get_value()
                                    && !options.iter().any(|c| c.id == current.id)
                                {
                                    options.insert(0, current);
                                }
                                view! {
                                    <select
                                        id="f-company_id"
                                        data-test="field-company_id"
                                        on:change=move |ev| company_id.set(event_target_value(&ev).parse().ok().map(CompanyId))
                                    >
                                        <option value="" selected=move || company_id.get().is_none()>{tr("— geen —", "— none —")}</option>
                                        {options.into_iter().map(|c| {
                                            let cid = c.id;
                                            view! { <option value=cid.to_string() selected=move || company_id.get() == Some(cid)>{c.name}</option> }
                                        }).collect_view()}
                                    </select>
                                }
                            })}
                        </Suspense>
                        <FieldError field="company_id" errors />
                    </div>
                </div>
            </fieldset>
            <fieldset>
                <legend>{tr("E-mailadressen", "E-mail addresses")}</legend>
                <FieldError field="emails" errors />
                {move || emails.get().into_iter().enumerate().map(|(i, row)| {
                    let count = emails.with(Vec::len);
                    view! {
                        <div class="multi-row">
                            <input
                                type="email"
                                aria-label=move || format!("{} {}", t(locale.get(), "E-mailadres", "E-mail address"), i + 1)
                                data-test=format!("email-{i}")
                                bind:value=row.address
                            />
                            <label class="inline">
                                <input type="radio" name="primary-email" data-test=format!("email-primary-{i}")
                                    prop:checked=move || primary.get() == i on:change=move |_| primary.set(i) />
                                {tr("primair", "primary")}
                            </label>
                            {(count > 1).then(|| view! {
                                <button type="button" class="link" data-test=format!("remove-email-{i}") on:click=move |_| {
                                    emails.update(|rows| { rows.remove(i); });
                                    primary.update(|p| if *p >= i && *p > 0 { *p -= 1 });
                                }>{tr("verwijderen", "remove")}</button>
                            })}
                            <FieldError field=format!("emails[{i}].address") errors />
                            <FieldError field=format!("emails[{i}].primary") errors />
                        </div>
                    }
                }).collect_view()}
                <button type="button" class="link" data-test="add-email"
                    on:click=move |_| emails.update(|rows| rows.push(EmailRow { address: RwSignal::new(String::new()) }))>
                    {tr("+ e-mailadres toevoegen", "+ add e-mail address")}
                </button>
            </fieldset>
            <fieldset>
                <legend>{tr("Telefoonnummers", "Phone numbers")}</legend>
                <FieldError field="phones" errors />
                {move || phones.get().into_iter().enumerate().map(|(i, row)| view! {
                    <div class="multi-row">
                        <input type="tel" data-test=format!("phone-{i}") bind:value=row.number
                            aria-label=move || format!("{} {}", t(locale.get(), "Telefoonnummer", "Phone number"), i + 1) />
                        <select data-test=format!("phone-kind-{i}") on:change=move |ev| row.kind.set(PhoneKind::parse(&event_target_value(&ev)))>
                            {PhoneKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=move || row.kind.get() == k>{move || phone_label(k, locale.get())}</option>
                            }).collect_view()}
                        </select>
                        <FieldError field=format!("phones[{i}].number") errors />
                    </div>
                }).collect_view()}
                <button type="button" class="link" data-test="add-phone"
                    on:click=move |_| phones.update(|rows| rows.push(PhoneRow { number: RwSignal::new(String::new()), kind: RwSignal::new(PhoneKind::Mobiel) }))>
                    {tr("+ telefoonnummer toevoegen", "+ add phone number")}
                </button>
            </fieldset>
            <fieldset>
                <legend>{tr("Adres", "Address")}</legend>
                <TextField label="Straat en huisnummer" label_en="Street and number" field="address.street" value=street errors autocomplete="street-address" />
                <div class="row">
                    <TextField label="Postcode" label_en="Postal code" field="address.postal_code" value=postal_code errors autocomplete="postal-code" />
                    <TextField label="Plaats" label_en="City" field="address.city" value=city errors autocomplete="address-level2" />
                    <TextField label="Land" label_en="Country" field="address.country" value=country errors autocomplete="country-name" />
                </div>
            </fieldset>
            <fieldset>
                <legend>{tr("Overig", "Other")}</legend>
                <div class="field">
                    <label for="f-notes">{tr("Notities", "Notes")}</label>
                    <textarea id="f-notes" data-test="field-notes" rows="4" bind:value=notes></textarea>
                    <FieldError field="notes" errors />
                </div>
                <label class="inline">
                    <input type="checkbox" data-test="field-synchroniseren" bind:checked=synchroniseren />
                    {tr("Synchroniseren met telefoons (CardDAV)", "Synchronise to phones (CardDAV)")}
                </label>
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
