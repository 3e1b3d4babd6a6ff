use crate::email::valid_domain;
use crate::relation::{Address, normalise_phone, null_as_empty};
use crate::validate::{Check, Invalid, ValidationErrors};
use crate::{CompanyId, SortDir};
use serde::{Deserialize, Serialize};

/// A company as submitted by a form or an API client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyInput {
    #[serde(deserialize_with = "null_as_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub kvk_number: String,
    #[serde(default)]
    pub address: Address,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub phone: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub website: String,
    /// Domains the company mails from (`voorbeeld.nl`); used to suggest the company for a new
    /// contact person found in mail.
    #[serde(default)]
    pub email_domains: Vec<String>,
}

/// A validated, normalised company ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCompany {
    pub name: String,
    pub kvk_number: Option<String>,
    pub address: Address,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub email_domains: Vec<String>,
}

impl CompanyInput {
    pub const MAX_DOMAINS: usize = 20;

    pub fn validate(&self) -> Result<ValidCompany, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut check = Check {
            errors: &mut errors,
        };
        let name = check.text("name", &self.name, 200, true);
        let kvk_number = check
            .text("kvk_number", &self.kvk_number, 20, false)
            .and_then(|kvk| {
                let digits: String = kvk.chars().filter(|c| !c.is_whitespace()).collect();
                let ok = digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit());
                if !ok {
                    check.errors.push("kvk_number", Invalid::Kvk);
                }
                ok.then_some(digits)
            });
        let phone = check.text("phone", &self.phone, 40, false).and_then(|p| {
            let n = normalise_phone(&p);
            if n.is_none() {
                check.errors.push("phone", Invalid::Phone);
            }
            n
        });
        let website = check
            .text("website", &self.website, 200, false)
            .and_then(|w| {
                let n = normalise_website(&w);
                if n.is_none() {
                    check.errors.push("website", Invalid::Url);
                }
                n
            });
        if self.email_domains.len() > Self::MAX_DOMAINS {
            check.errors.push(
                "email_domains",
                Invalid::TooMany {
                    max: Self::MAX_DOMAINS,
                },
            );
        }
        let mut email_domains: Vec<String> = Vec::new();
        for (i, domain) in self
            .email_domains
            .iter()
            .enumerate()
            .take(Self::MAX_DOMAINS)
        {
            let d = domain
                .trim()
                .trim_start_matches('@')
                .trim_end_matches('.')
                .to_lowercase();
            if d.is_empty() {
                continue;
            }
            if !valid_domain(&d) {
                check
                    .errors
                    .push(format!("email_domains[{i}]"), Invalid::Domain);
            } else if !email_domains.contains(&d) {
                email_domains.push(d);
            }
        }
        let address = self.address.validate("address", &mut errors);
        errors.into_result(|| ValidCompany {
            name: name.unwrap_or_default(),
            kvk_number,
            address,
            phone,
            website,
            email_domains,
        })
    }
}

/// `voorbeeld.nl` → `https://voorbeeld.nl`; keeps an explicit http(s) scheme; rejects the rest.
fn normalise_website(input: &str) -> Option<String> {
    let (scheme, rest) = match input.split_once("://") {
        Some((s, r)) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            (s.to_ascii_lowercase(), r)
        }
        Some(_) => return None,
        None => ("https".to_owned(), input),
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let host_no_port = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    (valid_domain(&host_no_port.to_lowercase()) && !path.chars().any(char::is_whitespace))
        .then(|| format!("{scheme}://{}{path}", host.to_lowercase()))
}

/// A stored company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub kvk_number: Option<String>,
    pub address: Address,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub email_domains: Vec<String>,
    pub person_count: u32,
    /// Unix time in milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl Company {
    /// The input that reproduces this company, to prefill an edit form.
    pub fn to_input(&self) -> CompanyInput {
        CompanyInput {
            name: self.name.clone(),
            kvk_number: self.kvk_number.clone().unwrap_or_default(),
            address: self.address.clone(),
            phone: self.phone.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            email_domains: self.email_domains.clone(),
        }
    }
}

/// A company in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanySummary {
    pub id: CompanyId,
    pub name: String,
    pub city: String,
    pub phone: Option<String>,
    pub kvk_number: Option<String>,
    pub person_count: u32,
}

/// How a company list is ordered; ties are always broken by id, so pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CompanySort {
    #[default]
    Name,
    City,
    Updated,
}

impl CompanySort {
    pub fn parse(s: &str) -> Option<(CompanySort, SortDir)> {
        let (dir, key) = match s.strip_prefix('-') {
            Some(k) => (SortDir::Desc, k),
            None => (SortDir::Asc, s),
        };
        let sort = match key {
            "name" => CompanySort::Name,
            "city" => CompanySort::City,
            "updated" => CompanySort::Updated,
            _ => return None,
        };
        Some((sort, dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn normalises_a_valid_company() {
        let input = CompanyInput {
            name: "  Bakkerij De Vries B.V. ".into(),
            kvk_number: "1234 5678".into(),
            website: "WWW.Bakkerij.nl/over-ons".into(),
            email_domains: vec!["@Bakkerij.NL".into(), "bakkerij.nl".into(), " ".into()],
            address: Address {
                postal_code: "1011ab".into(),
                city: "Amsterdam".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let c = input.validate().unwrap();
        assert_eq!(c.name, "Bakkerij De Vries B.V.");
        assert_eq!(c.kvk_number.as_deref(), Some("12345678"));
        assert_eq!(
            c.website.as_deref(),
            Some("https://www.bakkerij.nl/over-ons")
        );
        assert_eq!(c.email_domains, vec!["bakkerij.nl"]);
        assert_eq!(c.address.postal_code, "1011 AB");
    }

    #[test]
    fn reports_every_invalid_field() {
        let input = CompanyInput {
            name: " ".into(),
            kvk_number: "123".into(),
            phone: "bel me".into(),
            website: "javascript:alert(1)".into(),
            email_domains: vec!["not a domain".into()],
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        assert_eq!(
            fields(&e),
            ["name", "kvk_number", "phone", "website", "email_domains[0]"]
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<CompanyInput>(r#"{"name":"X","colour":"red"}"#);
        assert!(err.unwrap_err().to_string().contains("unknown field"));
    }
}
