//! A domain's page at `/beheer/e-mail/domeinen/:id`: the records to publish with what the latest
//! check found, "Nu controleren", the DKIM selectors (switch, new key), the history, delete.

use super::record::{FindingList, RecordCard};
use super::{BASE, StatusBadge};
use crate::api::domains::{
    check_domain_now, delete_domain, generate_domain_key, get_domain, set_signing_selector,
};
use crate::components::{ErrorBox, format_local_date};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use postkamer_domain::sending::{DomainState, DomainView, HistoryEntry, Selector};
use postkamer_domain::{Locale, SendingDomainId};

#[component]
pub fn DomainPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<SendingDomainId>().ok())
    });
    let domain = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_domain(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <p class="crumbs">
            <a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("E-mail", "E-mail")}" › "
            <a href=BASE data-test="domains-link">{tr("Domeinen", "Domains")}</a>
        </p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match domain.await {
                    Ok(view) => view! { <DomainDetail view /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the last button did, shown above the records.
#[derive(Debug, Clone, PartialEq)]
enum Feedback {
    Checked,
    Switched(Selector),
    NewKey(Selector),
    Deleted,
    Failed(AppError),
}

#[component]
fn DomainDetail(view: DomainView) -> impl IntoView {
    let locale = use_locale();
    let id = view.summary.id;
    let name = view.summary.domain.clone();
    // The page's data: replaced by what each action answers, so no reload is needed.
    let current = RwSignal::new(view);
    let feedback = RwSignal::new(None::<Feedback>);
    let answer = move |result: Result<DomainView, AppError>, done: Feedback| match result {
        Ok(view) => {
            current.set(view);
            feedback.set(Some(done));
        }
        Err(error) => feedback.set(Some(Feedback::Failed(error))),
    };
    let check = Action::new(move |_: &()| async move {
        answer(check_domain_now(id).await, Feedback::Checked);
    });
    let switch = Action::new(move |selector: &Selector| {
        let selector = *selector;
        async move {
            answer(
                set_signing_selector(id, selector).await,
                Feedback::Switched(selector),
            );
        }
    });
    let new_key = Action::new(move |selector: &Selector| {
        let selector = *selector;
        async move {
            answer(
                generate_domain_key(id, selector).await,
                Feedback::NewKey(selector),
            );
        }
    });
    let delete = Action::new(move |_: &()| async move {
        feedback.set(Some(match delete_domain(id).await {
            Ok(()) => Feedback::Deleted,
            Err(error) => Feedback::Failed(error),
        }));
    });
    Effect::new(move |_| {
        if feedback.with(|f| f == &Some(Feedback::Deleted)) {
            use_navigate()(BASE, Default::default());
        }
    });
    let busy = Signal::derive(move || {
        check.pending().get()
            || switch.pending().get()
            || new_key.pending().get()
            || delete.pending().get()
    });
    let delete_name = name.clone();
    let on_delete = move |_| {
        let question = match locale.get_untracked() {
            Locale::Nl => format!(
                "Domein {delete_name} verwijderen? E-mail van dit domein wordt dan niet meer met DKIM ondertekend. De records bij uw DNS-provider blijven staan."
            ),
            Locale::En => format!(
                "Delete the domain {delete_name}? E-mail from this domain is then no longer DKIM-signed. The records at your DNS provider stay."
            ),
        };
        if window().confirm_with_message(&question).unwrap_or(false) {
            delete.dispatch(());
        }
    };
    view! {
        <Title text=name.clone() />
        <div class="page-head domain-head">
            <h1 class="domain-name">{name}</h1>
            <span class=move || format!("state-label {}", current.with(|v| v.summary.state.as_str())) data-test="domain-state">
                {move || current.with(|v| v.summary.state.label(locale.get()))}
            </span>
        </div>
        <p class="muted intro">{tr(
            "Dit is een eenmalige instelling per domein. Maak bij uw DNS-provider (bijvoorbeeld TransIP of Cloudflare) de TXT-records hieronder aan, met precies deze waarden, elk op één regel. De verificatiecode is die van uw organisatie: DKIM wordt pas actief als ook die gevonden is. Bij sommige DNS-providers wordt het domein automatisch aan de hostnaam toegevoegd: vul dan alleen de korte naam in. DNS-wijzigingen kunnen enkele minuten (soms langer) duren; klik daarna op ‘Nu controleren’.",
            "This is a one-time set-up per domain. At your DNS provider (for example TransIP or Cloudflare), create the TXT records below with exactly these values, each on one line. The verification token is your organisation's: DKIM becomes active only once it is found too. Some DNS providers add the domain to the host name themselves: then enter only the short name. DNS changes can take a few minutes (sometimes longer); then click ‘Check now’.",
        )}</p>
        <div class="card check-bar">
            <div class="check-summary">
                {move || view! { <StatusBadge status=current.with(|v| v.summary.status) /> }}
                <span class="muted">" "{tr("Laatst gecontroleerd:", "Last checked:")}" "
                    <span data-test="last-checked">{move || current.with(|v| v.summary.last_checked_at.map_or_else(|| "—".to_owned(), format_local_date))}</span>
                </span>
                {move || current.with(|v| (!v.mx.is_empty()).then(|| format!("MX: {}", v.mx.join(", "))))
                    .map(|mx| view! { <div class="muted small mx">{mx}</div> })}
            </div>
            <button type="button" class="primary" data-test="check-now" disabled=busy
                aria-busy=move || check.pending().get().to_string()
                on:click=move |_| { check.dispatch(()); }>
                {move || if check.pending().get() {
                    t(locale.get(), "Bezig met controleren…", "Checking…")
                } else {
                    t(locale.get(), "Nu controleren", "Check now")
                }}
            </button>
        </div>
        {move || feedback.get().map(|f| view! { <FeedbackNotice feedback=f /> })}
        {move || {
            let findings = current.with(|v| v.findings.clone());
            (!findings.is_empty()).then(|| view! {
                <section class="card domain-findings" data-test="domain-findings">
                    <h2>{tr("Het domein", "The domain")}</h2>
                    <FindingList findings />
                </section>
            })
        }}
        {move || current.with(|v| v.records.clone()).into_iter().map(|record| view! { <RecordCard record /> }).collect_view()}
        <DkimSection current busy switch new_key />
        <History current />
        <div class="form-actions danger-zone">
            <button type="button" class="danger" data-test="delete-domain" disabled=busy on:click=on_delete>
                {tr("Domein verwijderen", "Delete domain")}
            </button>
        </div>
    }
}

#[component]
fn FeedbackNotice(feedback: Feedback) -> impl IntoView {
    let locale = use_locale();
    let ok = move |text: String| {
        view! { <p class="notice ok" data-test="domain-feedback">{text}</p> }.into_any()
    };
    match feedback {
        Feedback::Checked => ok(t(
            locale.get_untracked(),
            "Gecontroleerd tegen de live DNS.",
            "Checked against live DNS.",
        )
        .to_owned()),
        Feedback::Switched(s) => ok(match locale.get_untracked() {
            Locale::Nl => format!("E-mail van dit domein wordt nu ondertekend met {s}."),
            Locale::En => format!("E-mail from this domain is now signed with {s}."),
        }),
        Feedback::NewKey(s) => ok(match locale.get_untracked() {
            Locale::Nl => format!(
                "Er is een nieuwe sleutel voor {s}. Publiceer de nieuwe waarde van DKIM {s} en klik daarna op ‘Nu controleren’."
            ),
            Locale::En => format!(
                "There is a new key for {s}. Publish the new value of DKIM {s}, then click ‘Check now’."
            ),
        }),
        // The page is being left for the list.
        Feedback::Deleted => ok(t(
            locale.get_untracked(),
            "Het domein is verwijderd.",
            "The domain has been deleted.",
        )
        .to_owned()),
        Feedback::Failed(error) => view! { <ErrorBox error /> }.into_any(),
    }
}

/// Which selector signs, switching to the other once it verifies, and a new key for the other.
#[component]
fn DkimSection(
    current: RwSignal<DomainView>,
    busy: Signal<bool>,
    switch: Action<Selector, ()>,
    new_key: Action<Selector, ()>,
) -> impl IntoView {
    let locale = use_locale();
    let signing = move || current.with(|v| v.summary.signing_selector);
    let on_new_key = move |_| {
        let other = signing().other();
        let question = match locale.get_untracked() {
            Locale::Nl => format!(
                "Nieuwe sleutel voor {other} maken? Het DNS-record DKIM {other} klopt daarna niet meer: publiceer de nieuwe waarde bij uw DNS-provider voordat u met {other} gaat ondertekenen. Ondertekenen met {} gaat gewoon door.",
                signing()
            ),
            Locale::En => format!(
                "Make a new key for {other}? The DNS record DKIM {other} is then out of date: publish the new value at your DNS provider before you sign with {other}. Signing with {} carries on.",
                signing()
            ),
        };
        if window().confirm_with_message(&question).unwrap_or(false) {
            new_key.dispatch(other);
        }
    };
    view! {
        <section class="card dkim" data-test="dkim-section">
            <h2>{tr("DKIM-sleutels", "DKIM keys")}</h2>
            <p data-test="signing">{move || {
                let (state, s) = current.with(|v| (v.summary.state, v.summary.signing_selector));
                match (state, locale.get()) {
                    (DomainState::Active, Locale::Nl) => format!("E-mail van dit domein wordt ondertekend met {s}."),
                    (DomainState::Active, Locale::En) => format!("E-mail from this domain is signed with {s}."),
                    (DomainState::Pending, Locale::Nl) => format!("Zodra beide DKIM-records kloppen, wordt e-mail van dit domein ondertekend met {s}."),
                    (DomainState::Pending, Locale::En) => format!("As soon as both DKIM records are correct, e-mail from this domain is signed with {s}."),
                    (DomainState::Broken, Locale::Nl) => format!("Het record van {s} klopt niet meer: e-mail van dit domein wordt nu niet ondertekend."),
                    (DomainState::Broken, Locale::En) => format!("The record of {s} is no longer correct: e-mail from this domain is not signed now."),
                }
            }}</p>
            {move || {
                let keys = current.with(|v| v.own_keys.iter().map(|s| s.as_str()).collect::<Vec<_>>());
                (!keys.is_empty()).then(|| view! {
                    <p class="muted small">{tr("Eigen sleutel van dit domein:", "This domain's own key:")}" "{keys.join(", ")}</p>
                })
            }}
            <p class="muted">{move || {
                let other = signing().other();
                match locale.get() {
                    Locale::Nl => format!("Sleutel wisselen: maak een nieuwe sleutel voor {other}, publiceer het nieuwe record, klik op ‘Nu controleren’ en onderteken daarna met {other}."),
                    Locale::En => format!("Rotating the key: make a new key for {other}, publish the new record, click ‘Check now’, then sign with {other}."),
                }
            }}</p>
            <div class="form-actions wrap">
                {move || current.with(|v| v.can_switch_to).map(|target| view! {
                    <button type="button" class="primary" data-test="switch-selector" disabled=busy
                        on:click=move |_| { switch.dispatch(target); }>
                        {move || match locale.get() {
                            Locale::Nl => format!("Ondertekenen met {target}"),
                            Locale::En => format!("Sign with {target}"),
                        }}
                    </button>
                })}
                <button type="button" data-test="new-key" disabled=busy on:click=on_new_key>
                    {move || {
                        let other = signing().other();
                        match locale.get() {
                            Locale::Nl => format!("Nieuwe sleutel voor {other}"),
                            Locale::En => format!("New key for {other}"),
                        }
                    }}
                </button>
            </div>
        </section>
    }
}

fn reason_label(reason: &str, locale: Locale) -> String {
    match reason {
        "added" => t(locale, "toegevoegd", "added").to_owned(),
        "manual" => t(locale, "handmatig", "manual").to_owned(),
        "scheduled" => t(locale, "automatisch", "automatic").to_owned(),
        other => other.to_owned(),
    }
}

/// The latest checks, newest first.
#[component]
fn History(current: RwSignal<DomainView>) -> impl IntoView {
    let locale = use_locale();
    let row = move |entry: HistoryEntry| {
        let reason = entry.reason;
        view! {
            <tr data-test="history-row">
                <td>{format_local_date(entry.checked_at)}</td>
                <td><StatusBadge status=Some(entry.status) /></td>
                <td>{move || reason_label(&reason, locale.get())}</td>
                <td class="num">{entry.problems}</td>
            </tr>
        }
    };
    view! {
        <section class="card" data-test="history">
            <h2>{tr("Geschiedenis", "History")}</h2>
            {move || {
                let history = current.with(|v| v.history.clone());
                if history.is_empty() {
                    view! { <p class="muted">{tr("Nog niet gecontroleerd.", "Not checked yet.")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll"><table class="list history">
                            <thead><tr>
                                <th>{tr("Gecontroleerd", "Checked")}</th>
                                <th>{tr("Status", "Status")}</th>
                                <th>{tr("Aanleiding", "Reason")}</th>
                                <th class="num">{tr("Problemen", "Problems")}</th>
                            </tr></thead>
                            <tbody>{history.into_iter().map(row).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }
            }}
        </section>
    }
}
