//! A value to copy elsewhere (a DNS record, a phone's settings screen), with a copy button once
//! the page is interactive.

use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// What the copy button last did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser copies")
)]
enum Copied {
    No,
    Yes,
    /// No clipboard access (a plain-http address, or refused): the text is selected instead.
    Selected,
}

/// A value to copy elsewhere (a DNS record, a phone's settings screen), read-only on one line (it
/// scrolls inside the field, not the page), with a "Kopiëren" button. Without JavaScript the field is there to select and copy by hand; the
/// button appears only once the page is interactive.
#[component]
pub fn CopyValue(
    value: String,
    test: &'static str,
    /// What the value is, for screen readers (Dutch, English); "Waarde" when not given.
    #[prop(optional)]
    label: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let (label_nl, label_en) = label.unwrap_or(("Waarde", "Value"));
    let locale = use_locale();
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let copied = RwSignal::new(Copied::No);
    let input = NodeRef::<leptos::html::Input>::new();
    let text = StoredValue::new(value.clone());
    let select = move |_| {
        if let Some(el) = input.get_untracked() {
            el.select();
        }
    };
    view! {
        <div class="copy-field">
            <input type="text" readonly=true class="mono" value=value data-test=test node_ref=input
                spellcheck="false" aria-label=move || t(locale.get(), label_nl, label_en) on:focus=select />
            {move || interactive.get().then(|| view! {
                <button type="button" class="copy" data-test="copy"
                    on:click=move |_| text.with_value(|v| copy_to_clipboard(v, input, copied))>
                    {move || match copied.get() {
                        Copied::No => t(locale.get(), "Kopiëren", "Copy"),
                        Copied::Yes => t(locale.get(), "Gekopieerd ✓", "Copied ✓"),
                        Copied::Selected => t(locale.get(), "Geselecteerd: Ctrl+C", "Selected: Ctrl+C"),
                    }}
                </button>
            })}
        </div>
    }
}

/// Puts `value` on the clipboard; selects the field's text either way (the fallback is Ctrl+C).
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(value: &str, input: NodeRef<leptos::html::Input>, copied: RwSignal<Copied>) {
    if let Some(el) = input.get_untracked() {
        el.select();
    }
    let clipboard = window().navigator().clipboard();
    // `navigator.clipboard` is undefined outside a secure context (https or localhost).
    if clipboard.is_undefined() {
        copied.set(Copied::Selected);
        return;
    }
    let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(value));
    leptos::task::spawn_local(async move {
        let outcome = match written.await {
            Ok(_) => Copied::Yes,
            Err(_) => Copied::Selected,
        };
        let _ = copied.try_set(outcome);
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(
    _value: &str,
    _input: NodeRef<leptos::html::Input>,
    _copied: RwSignal<Copied>,
) {
}
