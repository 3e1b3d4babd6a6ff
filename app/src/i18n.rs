//! Dutch first, English second. Texts sit where they are used, as `t(locale, nl, en)`; the
//! locale is the signed-in user's choice, provided as a context signal by the layout.

use leptos::prelude::*;
use postkamer_domain::Locale;

/// Picks the text for `locale`.
pub fn t(locale: Locale, nl: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Nl => nl,
        Locale::En => en,
    }
}

/// The UI language as pages read it: the layout's signal, read without ever panicking.
///
/// When a client goes away mid-render (a navigation before the server finished streaming the
/// page), the page's reactive owner is torn down while a pending part may still render; reading
/// the disposed signal would panic there. The output goes nowhere at that point, so Dutch will
/// do.
#[derive(Debug, Clone, Copy)]
pub struct UiLocale(Signal<Locale>);

impl UiLocale {
    /// The language now, tracked (re-renders on the language switch).
    pub fn get(self) -> Locale {
        self.0.try_get().unwrap_or_default()
    }

    /// The language now, not tracked.
    pub fn get_untracked(self) -> Locale {
        self.0.try_get_untracked().unwrap_or_default()
    }
}

/// The current UI language (Dutch when nobody provided one).
pub fn use_locale() -> UiLocale {
    UiLocale(use_context::<Signal<Locale>>().unwrap_or_else(|| Signal::stored(Locale::Nl)))
}

/// A reactive text: `tr("Opslaan", "Save")` follows the language switch.
pub fn tr(
    nl: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_locale();
    move || t(locale.get(), nl, en)
}
