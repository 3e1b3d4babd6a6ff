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

/// The current UI language (Dutch when nobody provided one).
pub fn use_locale() -> Signal<Locale> {
    use_context::<Signal<Locale>>().unwrap_or_else(|| Signal::stored(Locale::Nl))
}

/// A reactive text: `tr("Opslaan", "Save")` follows the language switch.
pub fn tr(
    nl: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_locale();
    move || t(locale.get(), nl, en)
}
