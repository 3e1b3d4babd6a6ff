use crate::api::auth::Login;
use crate::components::HydrationMark;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use postkamer_domain::Locale;

/// Only same-site paths are followed after login: one leading `/`, and no backslash, control
/// character or space anywhere (browsers drop tabs and newlines, which would turn `/\t/x` into
/// the foreign `//x`).
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.chars().any(|c| c == '\\' || c <= ' ' || c == '\u{7f}')
    })
    .unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/relaties?q=jan".into())), "/relaties?q=jan");
        for evil in [
            "//evil.nl",
            "/\t/evil.nl",
            "/\\evil.nl",
            "https://evil.nl",
            "/ /evil.nl",
            "/\n/evil.nl",
        ] {
            assert_eq!(safe_next(Some(evil.into())), "/", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let login = ServerAction::<Login>::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    Effect::new(move |_| {
        if login.value().get().is_some_and(|r| r.is_ok()) {
            let next = safe_next(query.read_untracked().get("next"));
            // A full load: the new session cookie and CSRF token apply to everything after.
            let _ = window().location().set_href(&next);
        }
    });
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.message(Locale::Nl))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch(Login {
            email: email.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <Title text="Inloggen" />
        <HydrationMark />
        <main class="login">
            <form class="card" on:submit=submit novalidate>
                <h1>"Postkamer"</h1>
                <p class="muted">{tr("Log in met uw e-mailadres en wachtwoord.", "Sign in with your e-mail address and password.")}</p>
                {move || error().map(|e| view! { <p class="notice error" data-test="login-error" role="alert">{e}</p> })}
                <div class="field">
                    <label for="login-email">{tr("E-mailadres", "E-mail address")}</label>
                    <input id="login-email" type="email" autocomplete="username" data-test="login-email" bind:value=email required />
                </div>
                <div class="field">
                    <label for="login-password">{tr("Wachtwoord", "Password")}</label>
                    <input id="login-password" type="password" autocomplete="current-password" data-test="login-password" bind:value=password required />
                </div>
                <button type="submit" class="primary" data-test="login-submit" disabled=move || login.pending().get()>
                    {tr("Inloggen", "Sign in")}
                </button>
            </form>
        </main>
    }
}
