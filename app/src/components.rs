//! Small building blocks shared by the pages.

use crate::error::AppError;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use postkamer_domain::{Page, ValidationErrors};

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

/// Marks the document once the page around it has hydrated (the wasm has taken over), so
/// browser tests can wait for it. Every route renders one; for a lazy route it runs only once
/// the route's own chunk has loaded and hydrated.
#[component]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

/// A message box for a failed load or save.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    match &error {
        AppError::Forbidden => crate::ssr::set_status(http::StatusCode::FORBIDDEN),
        AppError::NotFound => crate::ssr::set_status(http::StatusCode::NOT_FOUND),
        AppError::Unauthenticated => crate::ssr::set_status(http::StatusCode::UNAUTHORIZED),
        _ => {}
    }
    let test = match &error {
        AppError::Forbidden => "forbidden",
        AppError::NotFound => "not-found",
        _ => "error",
    };
    let title = move || match test {
        "forbidden" => t(locale.get(), "Geen toegang", "No access"),
        "not-found" => t(locale.get(), "Niet gevonden", "Not found"),
        _ => t(locale.get(), "Er ging iets mis", "Something went wrong"),
    };
    let error = StoredValue::new(error);
    view! {
        <div class="notice error" data-test=test role="alert">
            <strong>{title}</strong>
            <p>{move || error.with_value(|e| e.message(locale.get()))}</p>
        </div>
    }
}

/// Previous / next links for a paginated list; keeps the other query parameters.
#[component]
pub fn Pager<T: Clone + Send + Sync + 'static>(
    page: Page<T>,
    base: String,
    /// The page's query parameter (`page` unless the page has two lists, or a Dutch name).
    #[prop(optional)]
    param: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let param = param.unwrap_or("page");
    let link = move |n: u32| {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}{param}={n}")
    };
    let (current, count, total) = (page.page, page.page_count(), page.total);
    view! {
        <nav class="pager" aria-label="Paginering">
            {page.has_prev().then(|| view! { <a data-test="page-prev" href=link(current - 1)>"‹ "{move || t(locale.get(), "Vorige", "Previous")}</a> })}
            <span data-test="page-info">
                {move || match locale.get() {
                    postkamer_domain::Locale::Nl => format!("Pagina {current} van {count} · {total} totaal"),
                    postkamer_domain::Locale::En => format!("Page {current} of {count} · {total} total"),
                }}
            </span>
            {page.has_next().then(|| view! { <a data-test="page-next" href=link(current + 1)>{move || t(locale.get(), "Volgende", "Next")}" ›"</a> })}
        </nav>
    }
}

/// A page that a later release fills in, saying so plainly.
#[component]
pub fn ComingSoon(
    title: &'static str,
    title_en: &'static str,
    text: &'static str,
    text_en: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <HydrationMark />
        <h1>{move || t(locale.get(), title, title_en)}</h1>
        <div class="notice" data-test="coming-soon">
            <p>{move || t(locale.get(), text, text_en)}</p>
        </div>
    }
}

/// "27-11-2026 10:31" in the browser's zone is not known on the server; show UTC dates.
pub fn format_date(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let rem = secs.rem_euclid(86_400);
    format!("{d:02}-{m:02}-{y} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// A moment as a Dutch user reads it: Europe/Amsterdam time, "27-11-2026 10:51". Computed the
/// same way on the server and in the browser (no time-zone database needed: CET, and CEST from
/// the last Sunday of March to the last Sunday of October, switching at 01:00 UTC).
pub fn format_local_date(millis: i64) -> String {
    format_date(millis.saturating_add(amsterdam_offset_secs(millis) * 1000))
}

fn amsterdam_offset_secs(millis: i64) -> i64 {
    let secs = millis.div_euclid(1000);
    let (year, _, _) = civil_from_days(secs.div_euclid(86_400));
    let summer_from = last_sunday(year, 3) * 86_400 + 3600;
    let summer_until = last_sunday(year, 10) * 86_400 + 3600;
    if (summer_from..summer_until).contains(&secs) {
        7200
    } else {
        3600
    }
}

/// The day number (days since 1970-01-01) of the last Sunday of a 31-day month.
fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 4 when Sunday is 0.
    last - (last + 4).rem_euclid(7)
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "12 KB", "1,4 MB" (Dutch decimal comma).
pub fn format_size(bytes: u64, locale: postkamer_domain::Locale) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        return format!("{} KB", bytes.div_ceil(1024).max(1));
    }
    let tenths = (bytes * 10 + MB / 2) / MB;
    let text = format!("{}.{}", tenths / 10, tenths % 10);
    match locale {
        postkamer_domain::Locale::Nl => format!("{} MB", text.replace('.', ",")),
        postkamer_domain::Locale::En => format!("{text} MB"),
    }
}

/// Runs `tick` every `period` in the browser while the calling component is on screen (never
/// on the server): to refetch a list so new mail appears without a reload.
pub fn poll_every(period: std::time::Duration, tick: impl Fn() + Clone + 'static) {
    Effect::new(move |_| {
        let tick = tick.clone();
        if let Ok(handle) = set_interval_with_handle(tick, period) {
            on_cleanup(move || handle.clear());
        }
    });
}

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

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_dates() {
        assert_eq!(super::format_date(0), "01-01-1970 00:00");
        assert_eq!(super::format_date(1_795_776_660_000), "27-11-2026 10:51");
    }

    #[test]
    fn dates_in_dutch_time() {
        use super::format_local_date as local;
        assert_eq!(local(1_795_773_060_000), "27-11-2026 10:51");
        assert_eq!(local(1_782_907_200_000), "01-07-2026 14:00");
        // Summer time starts 29 March 2026 at 01:00 UTC and ends 25 October 2026 at 01:00 UTC.
        assert_eq!(local(1_774_745_940_000), "29-03-2026 01:59");
        assert_eq!(local(1_774_746_000_000), "29-03-2026 03:00");
        assert_eq!(local(1_792_889_940_000), "25-10-2026 02:59");
        assert_eq!(local(1_792_890_000_000), "25-10-2026 02:00");
        assert_eq!(super::days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn sizes() {
        use postkamer_domain::Locale;
        assert_eq!(super::format_size(10, Locale::Nl), "1 KB");
        assert_eq!(super::format_size(12_000, Locale::Nl), "12 KB");
        assert_eq!(super::format_size(1_468_006, Locale::Nl), "1,4 MB");
        assert_eq!(super::format_size(1_468_006, Locale::En), "1.4 MB");
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
