//! A template's subject line: text with merge fields written `{relatie.voornaam}` or, with a
//! fallback for an empty value, `{relatie.voornaam|relatie}`. `{{` and `}}` stand for a brace.

use postkamer_domain::merge::MergeField;

use crate::render::Values;
use crate::validate::{Invalid, MAX_FALLBACK};

/// The longest subject line accepted, in characters.
pub const MAX_CHARS: usize = 250;

/// A subject line read into its pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field { field: MergeField, fallback: String },
}

impl Subject {
    /// Reads a subject line; an unknown field, an unclosed `{` or a line break is refused.
    pub fn parse(line: &str) -> Result<Subject, Invalid> {
        if line.chars().count() > MAX_CHARS {
            return Err(Invalid::SubjectTooLong);
        }
        if line.contains(['\r', '\n']) {
            return Err(Invalid::SubjectLineBreak);
        }
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = line;
        while let Some(at) = rest.find(['{', '}']) {
            text.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
                text.push_str(&tail[..1]);
                rest = after;
                continue;
            }
            let Some(body) = tail.strip_prefix('{') else {
                return Err(Invalid::UnclosedField);
            };
            let Some(end) = body.find('}') else {
                return Err(Invalid::UnclosedField);
            };
            let (key, fallback) = body[..end].split_once('|').unwrap_or((&body[..end], ""));
            let field = MergeField::parse(key.trim())
                .ok_or_else(|| Invalid::UnknownField(key.trim().to_owned()))?;
            if fallback.chars().count() > MAX_FALLBACK {
                return Err(Invalid::FallbackTooLong);
            }
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Field {
                field,
                fallback: fallback.to_owned(),
            });
            rest = &body[end + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Subject(pieces))
    }

    /// The subject with its fields filled in, on one line.
    pub fn render(&self, values: &Values) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Field { field, fallback } => {
                    out.push_str(values.field(*field, fallback));
                }
            }
        }
        out.replace(['\r', '\n'], " ").trim().to_owned()
    }

    /// The merge fields it uses, each with its fallback.
    pub fn fields_with_fallback(&self) -> impl Iterator<Item = (MergeField, &str)> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Field { field, fallback } => Some((*field, fallback.as_str())),
            Piece::Text(_) => None,
        })
    }

    /// The merge fields it uses.
    pub fn fields(&self) -> impl Iterator<Item = MergeField> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Field { field, .. } => Some(*field),
            Piece::Text(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_and_without_fallback_and_escaped_braces() {
        let subject =
            Subject::parse("Offerte {{nr}} voor {bedrijf.naam|uw bedrijf}, {relatie.voornaam}")
                .unwrap();
        let mut values = Values::default();
        assert_eq!(subject.render(&values), "Offerte {nr} voor uw bedrijf,");
        values
            .fields
            .insert(MergeField::BedrijfNaam, "Bakkerij 't Hoekje".into());
        values
            .fields
            .insert(MergeField::Voornaam, "Anna\nJansen".into());
        assert_eq!(
            subject.render(&values),
            "Offerte {nr} voor Bakkerij 't Hoekje, Anna Jansen"
        );
        assert_eq!(
            subject.fields().collect::<Vec<_>>(),
            [MergeField::BedrijfNaam, MergeField::Voornaam]
        );
    }

    #[test]
    fn unknown_fields_unclosed_braces_and_line_breaks_are_refused() {
        assert_eq!(
            Subject::parse("Hallo {relatie.iban}"),
            Err(Invalid::UnknownField("relatie.iban".into()))
        );
        assert_eq!(
            Subject::parse("Hallo {relatie.voornaam"),
            Err(Invalid::UnclosedField)
        );
        assert_eq!(Subject::parse("Hallo }"), Err(Invalid::UnclosedField));
        assert_eq!(
            Subject::parse("Hallo\r\nBcc: x@y.nl"),
            Err(Invalid::SubjectLineBreak)
        );
        assert_eq!(
            Subject::parse(&"x".repeat(251)),
            Err(Invalid::SubjectTooLong)
        );
        assert_eq!(Subject::parse("").unwrap().render(&Values::default()), "");
    }
}
