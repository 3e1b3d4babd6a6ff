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
                bind:value=value
            />
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
pub fn Pager<T: Clone + Send + Sync + 'static>(page: Page<T>, base: String) -> impl IntoView {
    let locale = use_locale();
    let link = move |n: u32| {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}page={n}")
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
}
