//! The warning before unsaved changes are lost: the browser's own question when the tab is
//! closed or reloaded, and a confirmation when a link inside the app would leave the page.

use crate::i18n::t;
use leptos::prelude::*;
use postkamer_domain::Locale;

/// While `dirty`, leaving the page asks first. Renders nothing.
#[component]
pub fn UnsavedGuard(#[prop(into)] dirty: Signal<bool>, locale: Locale) -> impl IntoView {
    let question = t(
        locale,
        "Er zijn niet-opgeslagen wijzigingen. Wilt u de pagina verlaten zonder op te slaan?",
        "There are unsaved changes. Leave the page without saving?",
    );
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;

        let unload = window_event_listener(leptos::ev::beforeunload, move |e| {
            if dirty.try_get_untracked().unwrap_or(false) {
                e.prevent_default();
                e.set_return_value(question);
            }
        });
        // In the capture phase, before the router's own click handler (which leaves a click
        // whose default was prevented alone).
        let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |e: web_sys::MouseEvent| {
            if !dirty.try_get_untracked().unwrap_or(false) || e.default_prevented() {
                return;
            }
            let link = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten());
            if link.is_some() && !window().confirm_with_message(question).unwrap_or(true) {
                e.prevent_default();
                e.stop_propagation();
            }
        });
        let _ = document().add_event_listener_with_callback_and_bool(
            "click",
            click.as_ref().unchecked_ref(),
            true,
        );
        let click = send_wrapper::SendWrapper::new(click);
        on_cleanup(move || {
            unload.remove();
            let _ = document().remove_event_listener_with_callback_and_bool(
                "click",
                click.as_ref().unchecked_ref(),
                true,
            );
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (dirty, question);
}
