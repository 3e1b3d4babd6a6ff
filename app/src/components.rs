//! Small building blocks shared by the pages.

use crate::error::AppError;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use postkamer_domain::Page;

mod copy;
mod editor;
mod form;
mod format;
mod unsaved;

pub use copy::CopyValue;
pub use editor::{Editor, EditorHandle, MODULE_META as EDITOR_MODULE_META, field_label};
pub use form::{FieldError, SavedSwitch, TextField, validation_errors};
pub use format::{format_date, format_local_date, format_size};
pub use unsaved::UnsavedGuard;

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

/// Mail HTML as the whole document of a sandboxed frame: a policy that loads nothing but images
/// (and those only when the sanitiser left them in) and inline styles, and a readable default.
pub fn frame_document(html: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'\">\
         <style>body{{margin:8px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1d2733;overflow-wrap:break-word}}img{{max-width:100%;height:auto}}</style>\
         </head><body>{html}</body></html>"
    )
}
