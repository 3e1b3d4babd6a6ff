//! Beheer → Gebruikersinstellingen → Synchronisatie: every user switches relation sync
//! (CardDAV) on or off for themself, reads the values to type into their phone, makes an app
//! password per device and sees which devices synced. The steps per phone are in [`steps`], the
//! app passwords and devices in [`devices`].

mod books;
mod devices;
mod steps;

use crate::api::sync::{
    CreateAppPassword, SyncConnection, SyncOverview, get_sync_settings, revoke_app_password,
    set_sync_enabled,
};
use crate::components::{CopyValue, ErrorBox, SavedSwitch};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use devices::{AppPasswords, Devices};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::Locale;
use steps::{AndroidSteps, IosSteps};

/// The server's configuration profile for iOS (the route is the server's, not the router's).
const MOBILECONFIG: &str = "/beheer/gebruikersinstellingen/synchronisatie/postkamer.mobileconfig";

/// What phones show the account as.
pub(super) use postkamer_domain::relation::SYNC_ACCOUNT_NAME as DESCRIPTION;

type Settings = Resource<Result<SyncOverview, AppError>>;

#[component]
pub fn SyncPage() -> impl IntoView {
    let locale = use_locale();
    // Answers the state the switch is in now; the switch keeps its own state (a refetch would
    // draw it anew and take the keyboard focus away).
    let toggle = Action::new(|enabled: &bool| {
        let enabled = *enabled;
        async move { set_sync_enabled(enabled).await.map(|()| enabled) }
    });
    let create = ServerAction::<CreateAppPassword>::new();
    let revoke = Action::new(|id: &i64| revoke_app_password(*id));
    // Outside every Suspense, so hydration finds its server-rendered data; refetched after
    // each change to the app passwords.
    let settings: Settings = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| get_sync_settings(),
    );
    view! {
        <Title text=move || t(locale.get(), "Synchronisatie", "Synchronisation") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("Gebruikersinstellingen", "User settings")}</p>
        <h1>{tr("Synchronisatie", "Synchronisation")}</h1>
        <p class="muted intro">{tr(
            "Zet uw relaties in de Contacten-app van uw iPhone, iPad of Android-telefoon (CardDAV). Alleen de relaties die gemarkeerd zijn voor synchronisatie komen op uw telefoon; wijzigingen gaan beide kanten op.",
            "Put your relations into the Contacts app of your iPhone, iPad or Android phone (CardDAV). Only the relations marked for synchronisation go to your phone; changes travel both ways.",
        )}</p>
        {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
        {move || revoke.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
        <Loaded settings render=move |o| view! { <SyncSwitch overview=o toggle /> }.into_any() />
        <Loaded settings quiet=true render=|o| view! { <PhoneValues connection=o.connection /> }.into_any() />
        <div class="detail-grid">
            <IosSteps />
            <AndroidSteps />
        </div>
        <books::SelectionBooks />
        <AppPasswords create revoke settings />
        <Loaded settings quiet=true render=|o| view! { <Devices devices=o.devices /> }.into_any() />
        <section class="card" data-test="sync-delete-note">
            <h2>{tr("Contacten verwijderen", "Deleting contacts")}</h2>
            <p>{tr(
                "Verwijdert u een contact op uw telefoon, dan blijft de relatie in Postkamer bestaan; alleen de markering voor synchronisatie wordt uitgezet.",
                "If you delete a contact on your phone, the relation stays in Postkamer; only its mark for synchronisation is switched off.",
            )}</p>
            <p class="muted">{tr(
                "Een contact dat u op uw telefoon aanmaakt, wordt een nieuwe relatie in Postkamer (het bedrijf wordt op naam gezocht of aangemaakt).",
                "A contact you create on your phone becomes a new relation in Postkamer (its company is found by name or created).",
            )}</p>
        </section>
    }
}

/// One part of the page, drawn from the settings once they are there (and kept on screen while
/// they refresh).
#[component]
fn Loaded(
    settings: Settings,
    render: impl Fn(SyncOverview) -> AnyView + Clone + Send + Sync + 'static,
    /// Shows nothing when the settings could not be read (another part says so already).
    #[prop(optional)]
    quiet: bool,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match settings.await {
                        Ok(overview) => render(overview),
                        Err(_) if quiet => ().into_any(),
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

fn marked_text(count: u64, locale: Locale) -> String {
    match (locale, count) {
        (Locale::Nl, 1) => "1 relatie gemarkeerd voor synchronisatie".into(),
        (Locale::Nl, n) => format!("{n} relaties gemarkeerd voor synchronisatie"),
        (Locale::En, 1) => "1 relation marked for synchronisation".into(),
        (Locale::En, n) => format!("{n} relations marked for synchronisation"),
    }
}

/// "Relatie-synchronisatie aan/uit" and how many relations are marked.
#[component]
fn SyncSwitch(
    overview: SyncOverview,
    toggle: Action<bool, Result<bool, AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let enabled = RwSignal::new(overview.enabled);
    let synced = overview.synced;
    view! {
        <section class="card sync-switch" data-test="sync-settings">
            <div class="switch-row">
                <SavedSwitch on=enabled toggle test="sync-toggle">
                    {tr("Relatie-synchronisatie aan/uit", "Relation synchronisation on/off")}
                </SavedSwitch>
                <span class="state-label" class:active=move || enabled.get() data-test="sync-state">
                    {move || if enabled.get() { t(locale.get(), "Aan", "On") } else { t(locale.get(), "Uit", "Off") }}
                </span>
            </div>
            {move || (!enabled.get()).then(|| view! {
                <p class="muted">{tr(
                    "Zolang de synchronisatie uit staat, weigert Postkamer uw telefoons.",
                    "While synchronisation is off, Postkamer refuses your phones.",
                )}</p>
            })}
            <p>
                <span data-test="sync-count">{move || marked_text(synced, locale.get())}</span>
                " · "<a href=format!("/relaties?{}=ja", crate::pages::relations::SYNCED_PARAM) data-test="sync-relations-link">{tr("Relaties markeren", "Mark relations")}</a>
            </p>
            <p class="muted small">{tr(
                "Markeer relaties in de relatielijst (selecteren en ‘Markeren voor synchronisatie’) of op de pagina van een relatie. De markering geldt voor de hele organisatie: wie synchroniseert, krijgt dezelfde relaties.",
                "Mark relations in the relation list (select them and ‘Mark for synchronisation’) or on a relation's page. The mark applies to the whole organisation: everyone who syncs gets the same relations.",
            )}</p>
        </section>
    }
}

/// The values to type into the phone, each with a copy button, and the iOS profile.
#[component]
fn PhoneValues(connection: SyncConnection) -> impl IntoView {
    view! {
        <section class="card" data-test="sync-values">
            <h2>{tr("Gegevens voor uw telefoon", "Details for your phone")}</h2>
            <dl class="sync-values">
                <dt>{tr("Server", "Server")}</dt>
                <dd><CopyValue value=connection.server test="sync-server" label=("Server", "Server") />
                    <p class="hint">{tr("iPhone/iPad: ‘Server’", "iPhone/iPad: ‘Server’")}</p></dd>
                <dt>"URL"</dt>
                <dd><CopyValue value=connection.url test="sync-url" label=("URL", "URL") />
                    <p class="hint">{tr("Android (DAVx5, CardDAV-Sync): ‘URL’", "Android (DAVx5, CardDAV-Sync): ‘URL’")}</p></dd>
                <dt>{tr("Gebruikersnaam", "User name")}</dt>
                <dd><CopyValue value=connection.username test="sync-username" label=("Gebruikersnaam", "User name") /></dd>
                <dt>{tr("Wachtwoord", "Password")}</dt>
                <dd data-test="sync-password">{tr(
                    "Uw Postkamer-wachtwoord, of beter: een app-wachtwoord (hieronder).",
                    "Your Postkamer password, or better: an app password (below).",
                )}</dd>
                <dt>{tr("Beschrijving", "Description")}</dt>
                <dd><CopyValue value=DESCRIPTION.to_owned() test="sync-description" label=("Beschrijving", "Description") /></dd>
            </dl>
            <p class="mobileconfig">
                <a class="button" href=MOBILECONFIG download="postkamer.mobileconfig" rel="external" data-test="mobileconfig">
                    {tr("Configuratieprofiel voor iPhone/iPad downloaden", "Download configuration profile for iPhone/iPad")}
                </a>
            </p>
            <p class="hint">{tr(
                "Open het profiel op uw iPhone of iPad en installeer het via Instellingen → Profiel gedownload; daar vult u ook het wachtwoord in. Dan hoeft u de stappen hieronder niet te doen.",
                "Open the profile on your iPhone or iPad and install it in Settings → Profile Downloaded; you enter the password there. Then you can skip the steps below.",
            )}</p>
        </section>
    }
}
