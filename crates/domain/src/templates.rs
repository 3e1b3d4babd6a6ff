//! E-mail templates and action types as the UI and the API see them.

use serde::{Deserialize, Serialize};

use crate::validate::Check;
use crate::{ActionTypeId, Locale, TemplateId, ValidationErrors};

/// The action types every organisation has (its own have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionKind {
    /// "E-mail uit": its template is the one a new mail opens with.
    EmailOut,
    EmailIn,
    Phone,
    Note,
    Task,
    Appointment,
}

impl ActionKind {
    pub const ALL: [ActionKind; 6] = [
        ActionKind::EmailOut,
        ActionKind::EmailIn,
        ActionKind::Phone,
        ActionKind::Note,
        ActionKind::Task,
        ActionKind::Appointment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::EmailOut => "email_out",
            ActionKind::EmailIn => "email_in",
            ActionKind::Phone => "phone",
            ActionKind::Note => "note",
            ActionKind::Task => "task",
            ActionKind::Appointment => "appointment",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name a new organisation starts with.
    pub fn default_name(self) -> &'static str {
        match self {
            ActionKind::EmailOut => "E-mail uit",
            ActionKind::EmailIn => "E-mail in",
            ActionKind::Phone => "Telefoon",
            ActionKind::Note => "Notitie",
            ActionKind::Task => "Taak",
            ActionKind::Appointment => "Afspraak",
        }
    }
}

/// A template's id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateRef {
    pub id: TemplateId,
    pub name: String,
}

/// An action type with the template it opens with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionType {
    pub id: ActionTypeId,
    /// One of the six every organisation has; `None` for the organisation's own.
    pub kind: Option<ActionKind>,
    pub name: String,
    pub active: bool,
    pub template: Option<TemplateRef>,
    pub position: i64,
}

/// A template in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSummary {
    pub id: TemplateId,
    pub name: String,
    /// The action types that open with it ("gebruikt door: E-mail uit").
    pub used_by: Vec<String>,
    pub has_inhoud: bool,
    pub updated_at: i64,
    /// Who saved it last (a removed user: `None`).
    pub updated_by: Option<String>,
}

/// A whole template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    /// The subject line, merge fields written `{relatie.voornaam|fallback}`.
    pub subject: String,
    /// The editor's document (ProseMirror JSON).
    pub body: String,
    pub has_inhoud: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

/// An earlier version of a template ("Herstellen").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateVersion {
    pub id: i64,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub saved_at: i64,
    pub saved_by: Option<String>,
}

/// An image kept for the organisation's templates (`cid:<name>` in a document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateImage {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The largest image a template may hold (mail with large images lands in spam folders).
pub const MAX_IMAGE_BYTES: usize = 512 * 1024;

/// The image formats a template may hold, by what the bytes start with (never by the name or
/// the type the browser claims): (content type, file extension).
pub fn image_format(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        b if b.starts_with(PNG) => Some(("image/png", "png")),
        b if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") => Some(("image/gif", "gif")),
        b if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" => {
            Some(("image/webp", "webp"))
        }
        _ => None,
    }
}

/// The longest template or action type name.
pub const MAX_NAME: usize = 100;

/// A template's or action type's name: trimmed, required, at most [`MAX_NAME`] characters, no
/// control characters.
pub fn valid_name(name: &str) -> Result<&str, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    Check {
        errors: &mut errors,
    }
    .text("name", name, MAX_NAME, true);
    errors.into_result(|| name.trim())
}

/// A template as the editor submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateInput {
    pub name: String,
    /// The subject line, merge fields written `{relatie.voornaam|fallback}`.
    #[serde(default)]
    pub subject: String,
    /// The editor's document (ProseMirror JSON, as a string).
    pub body: String,
}

/// An action type as the form submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionTypeInput {
    pub name: String,
    pub active: bool,
    /// The template a new action of this type opens with.
    #[serde(default)]
    pub template: Option<TemplateId>,
}

/// A template filled in for a relation: what the mail would say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A rule of the editor's schema that a template breaks (the templates engine checks them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TemplateRule {
    TooLarge,
    NotATemplate,
    TooDeep,
    MisplacedNode,
    EmptyNode,
    SecondInhoud,
    UnsafeLink,
    ImageSource,
    HeadingLevel,
    FallbackTooLong,
    UnknownField,
    UnclosedField,
    SubjectTooLong,
    SubjectLineBreak,
    /// An upload that is not a PNG, JPEG, GIF or WebP image.
    ImageType,
    /// An upload larger than [`MAX_IMAGE_BYTES`].
    ImageTooLarge,
}

impl TemplateRule {
    pub fn message(self, locale: Locale) -> &'static str {
        use TemplateRule::*;
        let (nl, en) = match self {
            TooLarge => (
                "Het sjabloon is te groot (meer dan 1 MB).",
                "The template is too large (over 1 MB).",
            ),
            NotATemplate => (
                "Het sjabloon bevat iets dat de editor niet kent.",
                "The template holds something the editor does not know.",
            ),
            TooDeep => (
                "Het sjabloon is te diep genest.",
                "The template is nested too deeply.",
            ),
            MisplacedNode => (
                "Het sjabloon heeft een onderdeel op een plek waar het niet kan staan.",
                "The template has a part where it cannot stand.",
            ),
            EmptyNode => (
                "Het sjabloon heeft een leeg onderdeel (een lege lijst, citaat of Inhoud-blok).",
                "The template has an empty part (an empty list, quote or Inhoud block).",
            ),
            SecondInhoud => (
                "Een sjabloon heeft hoogstens één Inhoud-blok.",
                "A template has at most one Inhoud block.",
            ),
            UnsafeLink => (
                "Alleen http-, https-, mailto- en tel-links zijn toegestaan.",
                "Only http, https, mailto and tel links are allowed.",
            ),
            ImageSource => (
                "Een afbeelding moet bij het sjabloon zijn geüpload.",
                "An image must be uploaded with the template.",
            ),
            HeadingLevel => (
                "Een kop heeft niveau 1, 2 of 3.",
                "A heading has level 1, 2 or 3.",
            ),
            FallbackTooLong => (
                "De vervangtekst van een samenvoegveld is te lang (hoogstens 200 tekens).",
                "A merge field's fallback is too long (at most 200 characters).",
            ),
            UnknownField => (
                "Dit samenvoegveld bestaat niet.",
                "This merge field does not exist.",
            ),
            UnclosedField => (
                "Een samenvoegveld is niet afgesloten met }.",
                "A merge field is not closed with }.",
            ),
            SubjectTooLong => (
                "Het onderwerp is te lang (hoogstens 250 tekens).",
                "The subject is too long (at most 250 characters).",
            ),
            SubjectLineBreak => (
                "Het onderwerp moet op één regel staan.",
                "The subject must be on one line.",
            ),
            ImageType => (
                "Dit bestand is geen afbeelding die in e-mail werkt: kies een PNG, JPEG, GIF of WebP.",
                "This file is not an image that works in e-mail: choose a PNG, JPEG, GIF or WebP.",
            ),
            ImageTooLarge => (
                "De afbeelding is te groot (hoogstens 512 KB); verklein haar eerst.",
                "The image is too large (at most 512 KB); make it smaller first.",
            ),
        };
        match locale {
            Locale::Nl => nl,
            Locale::En => en,
        }
    }
}
