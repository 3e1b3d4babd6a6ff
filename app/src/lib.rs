#![recursion_limit = "256"]
//! Postkamer's browser UI: the app shell, its pages and the server functions they call.
//!
//! Everything renders on the server first (SSR) and becomes interactive once the wasm in
//! `frontend/` hydrates it. Server-only code sits behind the `ssr` feature.

pub mod api;
mod components;
pub mod csrf;
pub mod error;
pub mod i18n;
mod pages;
mod routes;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod url;

pub use pages::layout::menu_item;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};
use pages::{beheer, layout::Layout, login::LoginPage, simple};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::provide_csp_nonce();
    #[cfg(feature = "ssr")]
    let csrf = ssr::csrf_token().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let csrf = String::new();
    #[cfg(feature = "ssr")]
    let editor = ssr::editor_module(&options.site_root).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let editor = "";
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="csrf-token" content=csrf />
                <meta name=components::EDITOR_MODULE_META content=editor />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/postkamer.css" />
        <Title formatter=|page: String| if page.is_empty() { "Postkamer".to_owned() } else { format!("{page} · Postkamer") } />
        <Router>
            <Routes fallback=|| view! { <simple::NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("/") view={Lazy::<routes::InboxRoute>::new()} />
                    <Route path=path!("/postvak/:id") view={Lazy::<routes::MessageRoute>::new()} />
                    <Route path=path!("/postvak-uit") view={Lazy::<routes::OutboxRoute>::new()} />
                    <Route path=path!("/relaties") view={Lazy::<routes::PersonsRoute>::new()} />
                    <Route path=path!("/relaties/bedrijven") view={Lazy::<routes::CompaniesRoute>::new()} />
                    <Route path=path!("/relaties/personen/nieuw") view={Lazy::<routes::NewPersonRoute>::new()} />
                    <Route path=path!("/relaties/personen/:id") view={Lazy::<routes::PersonRoute>::new()} />
                    <Route path=path!("/relaties/personen/:id/bewerken") view={Lazy::<routes::EditPersonRoute>::new()} />
                    <Route path=path!("/relaties/bedrijven/nieuw") view={Lazy::<routes::NewCompanyRoute>::new()} />
                    <Route path=path!("/relaties/bedrijven/:id") view={Lazy::<routes::CompanyRoute>::new()} />
                    <Route path=path!("/relaties/bedrijven/:id/bewerken") view={Lazy::<routes::EditCompanyRoute>::new()} />
                    <Route path=path!("/dossiers") view=simple::Dossiers />
                    <Route path=path!("/taken") view=simple::Tasks />
                    <Route path=path!("/beheer") view={Lazy::<routes::BeheerRoute>::new()} />
                    <Route path=path!("/beheer/gebruikers") view={Lazy::<routes::UsersRoute>::new()} />
                    <Route path=path!("/beheer/gebruikers/adreskoppelingen") view={Lazy::<routes::AddressLogRoute>::new()} />
                    <Route path=path!("/beheer/crm-voorkeuren/ai-instellingen") view=beheer::AiSettingsPage />
                    <Route path=path!("/beheer/e-mail/sjablonen") view={Lazy::<routes::TemplatesRoute>::new()} />
                    <Route path=path!("/beheer/e-mail/sjablonen/:id") view={Lazy::<routes::TemplateRoute>::new()} />
                    <Route path=path!("/beheer/e-mail/actietypen") view={Lazy::<routes::ActionTypesRoute>::new()} />
                    <Route path=path!("/beheer/e-mail/domeinen") view={Lazy::<routes::DomainsRoute>::new()} />
                    <Route path=path!("/beheer/e-mail/domeinen/:id") view={Lazy::<routes::DomainRoute>::new()} />
                    <Route path=path!("/beheer/gebruikersinstellingen/e-mail") view={Lazy::<routes::MailboxRoute>::new()} />
                    <Route path=path!("/beheer/gebruikersinstellingen/synchronisatie") view={Lazy::<routes::SyncRoute>::new()} />
                    <Route path=path!("/beheer/gebruikersinstellingen/mijn-gegevens") view={Lazy::<routes::DetailsRoute>::new()} />
                    <Route path=path!("/beheer/gebruikersinstellingen/wachtwoord") view={Lazy::<routes::PasswordRoute>::new()} />
                    <Route path=path!("/beheer/gebruikersinstellingen/api-tokens") view={Lazy::<routes::TokensRoute>::new()} />
                    <Route path=path!("/beheer/systeem/wachtrij") view={Lazy::<routes::JobsRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
