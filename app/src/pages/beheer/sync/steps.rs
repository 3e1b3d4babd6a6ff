//! The steps on the phone, as the help texts "Relatie sync - iOS (iPhone & iPad)" and
//! "Relatie sync - Android" give them, with the menu names the phones show.

use super::DESCRIPTION;
use crate::i18n::tr;
use leptos::prelude::*;

/// One numbered step.
fn step(nl: &'static str, en: &'static str) -> impl IntoView {
    view! { <li>{tr(nl, en)}</li> }
}

#[component]
pub fn IosSteps() -> impl IntoView {
    view! {
        <section class="card steps" data-test="sync-ios">
            <h2>{tr("Instellen op uw iPhone of iPad", "Set up on your iPhone or iPad")}</h2>
            <ol>
                {step(
                    "Zet hierboven de relatie-synchronisatie aan.",
                    "Switch relation synchronisation on above.",
                )}
                {step(
                    "Ga op uw iPhone of iPad naar Instellingen → Apps → Contacten → Contacten-accounts.",
                    "On your iPhone or iPad, go to Settings → Apps → Contacts → Contacts Accounts.",
                )}
                {step(
                    "Tik op Nieuwe account → Andere en kies Voeg CardDAV-account toe.",
                    "Tap Add Account → Other and choose Add CardDAV Account.",
                )}
                <li>{tr(
                    "Vul de gegevens van hierboven in: Server, Gebruikersnaam, Wachtwoord en als Beschrijving bijvoorbeeld ",
                    "Enter the details from above: Server, User Name, Password and as Description for example ",
                )}"‘"{DESCRIPTION}"’."</li>
                {step(
                    "Tik op Volgende; de account wordt geverifieerd. Kies Behoud op mijn iPhone, zodat uw bestaande contacten niet verloren gaan, en tik op Bewaar.",
                    "Tap Next; the account is verified. Choose Keep on My iPhone so your existing contacts are not lost, and tap Save.",
                )}
                {step(
                    "Open de app Contacten, tik linksboven op Groepen (Lijsten), kies de account die u net heeft aangemaakt en tik op Klaar.",
                    "Open the Contacts app, tap Groups (Lists) at the top left, choose the account you just created and tap Done.",
                )}
            </ol>
            <p class="muted small">{tr(
                "Uw iPhone haalt wijzigingen op (fetch), standaard elke 15 minuten. Dat stelt u in via Instellingen → Contacten → Accounts → Nieuwe gegevens; bij Handmatig synchroniseert hij zodra u Contacten opent, wat wij aanraden. De eerste keer kan het ongeveer 15 minuten duren.",
                "Your iPhone fetches changes, every 15 minutes by default. Set this in Settings → Contacts → Accounts → Fetch New Data; with Manually it syncs whenever you open Contacts, which we recommend. The first time may take about 15 minutes.",
            )}</p>
        </section>
    }
}

#[component]
pub fn AndroidSteps() -> impl IntoView {
    view! {
        <section class="card steps" data-test="sync-android">
            <h2>{tr("Instellen op Android", "Set up on Android")}</h2>
            <ol>
                {step(
                    "Zet hierboven de relatie-synchronisatie aan.",
                    "Switch relation synchronisation on above.",
                )}
                {step(
                    "Installeer uit de Play Store een app die CardDAV ondersteunt, zoals DAVx5 of CardDAV-Sync.",
                    "Install an app that supports CardDAV from the Play Store, such as DAVx5 or CardDAV-Sync.",
                )}
                {step(
                    "Ga naar Instellingen → Accounts → Account toevoegen en kies CardDAV (in DAVx5: Inloggen met URL en gebruikersnaam).",
                    "Go to Settings → Accounts → Add account and choose CardDAV (in DAVx5: Login with URL and user name).",
                )}
                <li>{tr(
                    "Vul de gegevens van hierboven in: URL, Gebruikersnaam (uw e-mailadres), Wachtwoord en als Accountnaam bijvoorbeeld ",
                    "Enter the details from above: URL, User name (your e-mail address), Password and as Account name for example ",
                )}"‘"{DESCRIPTION}"’."</li>
                {step(
                    "Tik op Volgende; de synchronisatie start vanzelf.",
                    "Tap Next; synchronisation starts by itself.",
                )}
                {step(
                    "Ziet u de relaties niet in Contacten: ga naar Meer → Instellingen → Weer te geven contacten en kies Alle contacten, CardDAV of een eigen lijst met de CardDAV-account.",
                    "If you do not see the relations in Contacts: go to More → Settings → Contacts to display and choose All contacts, CardDAV or a custom list with the CardDAV account.",
                )}
            </ol>
            <p class="muted small">{tr(
                "Het kan ongeveer 15 minuten duren voordat uw relaties op uw telefoon staan. Blijft de lijst na 30 minuten leeg, kijk dan hieronder bij Apparaten of uw telefoon zich heeft gemeld.",
                "It may take about 15 minutes before your relations are on your phone. If the list is still empty after 30 minutes, check under Devices below whether your phone has connected.",
            )}</p>
        </section>
    }
}
