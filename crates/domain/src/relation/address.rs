use crate::relation::null_as_empty;
use crate::validate::{Check, Invalid, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A postal address. Empty strings mean "not filled in".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    #[serde(deserialize_with = "null_as_empty")]
    pub street: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub postal_code: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub city: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub country: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self.street.is_empty()
            && self.postal_code.is_empty()
            && self.city.is_empty()
            && self.country.is_empty()
    }

    /// A Dutch address (country empty or Nederland/NL) must have a postal code like `1234 AB`;
    /// it is stored as `1234 AB`.
    pub(crate) fn validate(&self, prefix: &str, errors: &mut ValidationErrors) -> Address {
        let mut check = Check { errors };
        let field = |name: &str| format!("{prefix}.{name}");
        let street = check.text(&field("street"), &self.street, 200, false);
        let city = check.text(&field("city"), &self.city, 100, false);
        let country = check.text(&field("country"), &self.country, 100, false);
        let dutch = country.as_deref().is_none_or(|c| {
            matches!(
                c.to_lowercase().as_str(),
                "nederland" | "nl" | "the netherlands" | "netherlands"
            )
        });
        let postal_code = check
            .text(&field("postal_code"), &self.postal_code, 12, false)
            .and_then(|code| {
                if !dutch {
                    return Some(code);
                }
                let normalised = normalise_dutch_postcode(&code);
                if normalised.is_none() {
                    check.errors.push(field("postal_code"), Invalid::PostalCode);
                }
                normalised
            });
        Address {
            street: street.unwrap_or_default(),
            postal_code: postal_code.unwrap_or_default(),
            city: city.unwrap_or_default(),
            country: country.unwrap_or_default(),
        }
    }
}

fn normalise_dutch_postcode(code: &str) -> Option<String> {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let (digits, letters) = compact.split_at_checked(4)?;
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
        && letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_alphabetic());
    ok.then(|| format!("{digits} {}", letters.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_postcodes_are_normalised() {
        assert_eq!(
            normalise_dutch_postcode("1234ab").as_deref(),
            Some("1234 AB")
        );
        assert_eq!(
            normalise_dutch_postcode("1234 AB").as_deref(),
            Some("1234 AB")
        );
        assert_eq!(normalise_dutch_postcode("0234 AB"), None);
        assert_eq!(normalise_dutch_postcode("123 ABC"), None);
    }

    #[test]
    fn foreign_postcodes_are_kept() {
        let mut errors = ValidationErrors::default();
        let a = Address {
            postal_code: "B-2000".into(),
            country: "België".into(),
            ..Default::default()
        };
        assert_eq!(a.validate("address", &mut errors).postal_code, "B-2000");
        assert!(errors.is_empty());
    }
}
