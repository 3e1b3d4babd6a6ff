use serde::{Deserialize, Serialize};

/// The language of the UI and of validation messages. Dutch is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    Nl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    /// Parses a stored or submitted code; anything unknown falls back to Dutch.
    pub fn from_code(code: &str) -> Locale {
        match code.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Locale::En,
            _ => Locale::Nl,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Locale {
        header
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .find_map(
                |tag| match tag.get(..2).map(str::to_ascii_lowercase).as_deref() {
                    Some("nl") => Some(Locale::Nl),
                    Some("en") => Some(Locale::En),
                    _ => None,
                },
            )
            .unwrap_or_default()
    }
}
