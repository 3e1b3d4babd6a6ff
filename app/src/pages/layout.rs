//! The frame around every signed-in page: main menu, language switch, logout.

use crate::api::auth::{Logout, SetLocale, me};
use crate::components::ErrorBox;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};
use postkamer_domain::{Locale, User};

#[component]
pub fn Layout() -> impl IntoView {
    let me = Resource::new(|| (), |_| me());
    // The language lives in a signal of its own: switching it re-renders the texts in place,
    // without reloading the user (which would rebuild the page and lose what was typed).
    let locale = RwSignal::new(Locale::default());
    provide_context::<Signal<Locale>>(locale.into());
    provide_context(locale);
    provide_context(me);
    view! {
        <Suspense fallback=|| view! { <div class="loading">"…"</div> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        locale.set(user.locale);
                        view! { <Frame user /> }.into_any()
                    }
                    Ok(None) => view! { <ToLogin /> }.into_any(),
                    Err(error) => view! { <main class="content"><ErrorBox error /></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Sends a visitor without a session to the login page.
#[component]
fn ToLogin() -> impl IntoView {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect("/login");
    Effect::new(move |_| use_navigate()("/login", Default::default()));
}

#[component]
fn Frame(user: User) -> impl IntoView {
    let locale = expect_context::<RwSignal<Locale>>();
    let set_locale = ServerAction::<SetLocale>::new();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            // A full load, so no state of the old session survives.
            let _ = window().location().set_href("/login");
        }
    });
    let location = use_location();
    let active = move |href: &'static str| menu_item(&location.pathname.get()) == Some(href);
    let nav = move |href: &'static str, test: &'static str, nl: &'static str, en: &'static str| {
        view! {
            <a href=href data-test=test class:active=move || active(href) aria-current=move || active(href).then_some("page")>
                {move || t(locale.get(), nl, en)}
            </a>
        }
    };
    let other = move || match locale.get() {
        Locale::Nl => Locale::En,
        Locale::En => Locale::Nl,
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Postkamer"</a>
            <nav class="mainmenu" aria-label=move || t(locale.get(), "Hoofdmenu", "Main menu")>
                {nav("/", "nav-postvak", "Postvak IN", "Inbox")}
                {nav("/relaties", "nav-relaties", "Relaties", "Relations")}
                {nav("/dossiers", "nav-dossiers", "Dossiers", "Dossiers")}
                {nav("/taken", "nav-taken", "Taken", "Tasks")}
                {nav("/beheer", "nav-beheer", "Beheer", "Settings")}
            </nav>
            <div class="account">
                <span class="who" data-test="current-user" title=user.email.to_string()>{user.name.clone()}</span>
                <button
                    type="button"
                    class="link"
                    data-test="locale-switch"
                    on:click=move |_| { let next = other();
                        locale.set(next);
                        set_locale.dispatch(SetLocale { locale: next }); }
                >
                    {move || match other() { Locale::En => "English", Locale::Nl => "Nederlands" }}
                </button>
                <button type="button" class="link" data-test="logout" on:click=move |_| { logout.dispatch(Logout {}); }>
                    {move || t(locale.get(), "Uitloggen", "Log out")}
                </button>
            </div>
        </header>
        <main class="content">
            <Outlet />
        </main>
    }
}

/// The top-menu item (its `href`) a page belongs to: Postvak IN for the inbox and messages,
/// else the section the path lies in (by whole segments: `/relatiesx` is no relation page).
pub fn menu_item(path: &str) -> Option<&'static str> {
    const SECTIONS: [&str; 4] = ["/relaties", "/dossiers", "/taken", "/beheer"];
    let path = path.trim_end_matches('/');
    let within = |section: &str| {
        path.strip_prefix(section)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if path.is_empty() || within("/postvak") || within("/postvak-uit") {
        return Some("/");
    }
    SECTIONS.into_iter().find(|section| within(section))
}

#[cfg(test)]
mod tests {
    use super::menu_item;

    #[test]
    fn every_page_marks_its_own_menu_item() {
        for (path, item) in [
            ("/", Some("/")),
            ("/postvak/12", Some("/")),
            ("/postvak-uit", Some("/")),
            ("/relaties", Some("/relaties")),
            ("/relaties/bedrijven/3/bewerken", Some("/relaties")),
            ("/beheer/e-mail/sjablonen", Some("/beheer")),
            ("/beheer/systeem/wachtrij", Some("/beheer")),
            ("/beheer/", Some("/beheer")),
            ("/taken", Some("/taken")),
            ("/relatiesx", None),
            ("/login", None),
        ] {
            assert_eq!(menu_item(path), item, "{path}");
        }
    }
}
