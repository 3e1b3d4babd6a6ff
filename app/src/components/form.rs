//! Form building blocks: the validation errors of a submission, a field's error message, a
//! labelled text input, and an on/off switch saved on the server.

use crate::error::AppError;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use postkamer_domain::ValidationErrors;

/// The validation errors of the last failed submission, if any.
pub fn validation_errors<T, S>(value: S) -> Signal<Option<ValidationErrors>>
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Validation(v))) => Some(v.clone()),
            _ => None,
        })
    })
}

/// The Dutch (or English) message for `field`, shown under the input.
#[component]
pub fn FieldError(
    #[prop(into)] field: String,
    errors: Signal<Option<ValidationErrors>>,
) -> impl IntoView {
    let locale = use_locale();
    let test = format!("error-{field}");
    move || {
        errors
            .get()
            .and_then(|e| e.message_for(&field, locale.get()))
            .map(|message| view! { <p class="field-error" data-test=test.clone() role="alert">{message}</p> })
    }
}

/// A labelled single-line input bound to `value`.
#[component]
pub fn TextField(
    label: &'static str,
    label_en: &'static str,
    /// The field's path in the submitted input (`last_name`, `address.city`).
    field: &'static str,
    value: RwSignal<String>,
    errors: Signal<Option<ValidationErrors>>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Shown in the empty input (e.g. "ongewijzigd" for a stored password).
    #[prop(optional, into)]
    placeholder: Signal<String>,
    /// A line of help under the input.
    #[prop(optional)]
    hint: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("f-{}", field.replace('.', "-"));
    let test = format!("field-{}", field.replace('.', "-"));
    let invalid = move || {
        errors
            .get()
            .is_some_and(|e| e.0.iter().any(|f| f.field == field))
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>
                {move || t(locale.get(), label, label_en)}
                {required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                data-test=test
                aria-invalid=move || invalid().to_string()
                placeholder=move || Some(placeholder.get()).filter(|p| !p.is_empty())
                bind:value=value
            />
            {hint.map(|(nl, en)| view! { <p class="hint">{move || t(locale.get(), nl, en)}</p> })}
            <FieldError field=field errors />
        </div>
    }
}

/// An on/off switch whose state the server keeps. The checkbox follows the server's answer
/// (put back when saving failed), stays focusable while saving (`aria-busy`, clicks ignored:
/// `disabled` would take the keyboard focus away), and is not redrawn by the save.
#[component]
pub fn SavedSwitch(
    /// The state shown; the caller reads it for its own labels.
    on: RwSignal<bool>,
    /// Saves the wanted state and answers it.
    toggle: Action<bool, Result<bool, AppError>>,
    test: &'static str,
    children: Children,
) -> impl IntoView {
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(state)) => on.set(state),
        Some(Err(_)) => on.set(on.get_untracked()),
        None => {}
    });
    view! {
        <label class="switch">
            <input type="checkbox" role="switch" data-test=test prop:checked=move || on.get()
                aria-busy=move || toggle.pending().get().to_string()
                on:click=move |ev| if toggle.pending().get_untracked() { ev.prevent_default(); }
                on:change=move |ev| { toggle.dispatch(event_target_checked(&ev)); } />
            <span class="switch-track" aria-hidden="true"></span>
            {children()}
        </label>
    }
}
