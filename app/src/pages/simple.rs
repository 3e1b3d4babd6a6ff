//! Pages that later releases fill in, and the 404 page.

use crate::components::{ComingSoon, HydrationMark};
use crate::i18n::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Dossiers() -> impl IntoView {
    view! {
        <Title text="Dossiers" />
        <ComingSoon
            title="Dossiers"
            title_en="Dossiers"
            text="Dossiers bundelen mail, notities en taken rond één onderwerp. Dit onderdeel volgt in een latere release."
            text_en="Dossiers gather mail, notes and tasks around one subject. This part follows in a later release."
        />
    }
}

#[component]
pub fn Tasks() -> impl IntoView {
    view! {
        <Title text="Taken" />
        <ComingSoon
            title="Taken"
            title_en="Tasks"
            text="Taken (ook vanuit een e-mail aangemaakt) volgen in een latere release."
            text_en="Tasks (also created from an e-mail) follow in a later release."
        />
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text="Niet gevonden" />
        <HydrationMark />
        <main class="content">
            <h1>{tr("Pagina niet gevonden", "Page not found")}</h1>
            <p><a href="/">{tr("Naar Postvak IN", "To the inbox")}</a></p>
        </main>
    }
}
