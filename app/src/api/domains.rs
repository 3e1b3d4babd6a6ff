//! Beheer → E-mail → Domeinen (SuperAdmin only): the sending domains, the exact DNS records to
//! publish, the checks against live DNS and the DKIM key rotation. Thin calls into
//! `postkamer_core::domains`; the core refuses every call of a non-SuperAdmin.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::sending::{DomainSummary, DomainView, Selector};
use postkamer_domain::{Locale, SendingDomainId};
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// Notice kind: an active domain's signing key no longer verifies (the core's
/// `NOTICE_DOMAIN_BROKEN`).
pub const NOTICE_DOMAIN_BROKEN: &str = "domain_broken";

/// Notice kind: a held domain's verification token is gone (the core's
/// `NOTICE_DOMAIN_UNVERIFIED`).
pub const NOTICE_DOMAIN_UNVERIFIED: &str = "domain_unverified";

/// An open notice for the SuperAdmins, as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainNotice {
    pub domain: Option<SendingDomainId>,
    pub domain_name: Option<String>,
    pub kind: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

impl DomainNotice {
    /// The sentence for the alert at the top of the domain list.
    pub fn text(&self, locale: Locale) -> String {
        let name = self.domain_name.as_deref().unwrap_or("?");
        match (self.kind.as_str(), locale) {
            (NOTICE_DOMAIN_BROKEN, Locale::Nl) => {
                format!("DKIM van {name} werkt niet meer — controleer de DNS-records.")
            }
            (NOTICE_DOMAIN_BROKEN, Locale::En) => {
                format!("DKIM of {name} no longer works — check the DNS records.")
            }
            (NOTICE_DOMAIN_UNVERIFIED, Locale::Nl) => format!(
                "De verificatiecode van {name} staat niet meer in de DNS: e-mail van dit domein wordt niet meer ondertekend. Zet de code terug op _postkamer."
            ),
            (NOTICE_DOMAIN_UNVERIFIED, Locale::En) => format!(
                "The verification token of {name} is no longer in DNS: mail from this domain is no longer signed. Put the token back at _postkamer."
            ),
            (_, Locale::Nl) => format!("{name}: er is iets dat uw aandacht vraagt."),
            (_, Locale::En) => format!("{name}: something needs your attention."),
        }
    }
}

/// The list page in one answer: the domains and the open notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainsOverview {
    pub domains: Vec<DomainSummary>,
    pub notices: Vec<DomainNotice>,
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_domains() -> Result<DomainsOverview, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let domains = state.core.list_domains(&caller).await?;
    let notices = state
        .core
        .admin_notices(&caller)
        .await?
        .into_iter()
        .map(|n| DomainNotice {
            domain: n.domain,
            domain_name: n.domain_name,
            kind: n.kind,
            created_at: n.created_at,
        })
        .collect();
    Ok(DomainsOverview { domains, notices })
}

/// "Domein toevoegen": stores the domain and runs its first check at once.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn add_domain(domain: String) -> Result<DomainView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.add_domain(&caller, &domain).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_domain(id: SendingDomainId) -> Result<DomainView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.domain_view(&caller, id).await?)
}

/// "Nu controleren".
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn check_domain_now(id: SendingDomainId) -> Result<DomainView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.check_domain_now(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_domain(id: SendingDomainId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_domain(&caller, id).await?)
}

/// "Ondertekenen met keyXXX": only once that selector's record verifies.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_signing_selector(
    id: SendingDomainId,
    selector: Selector,
) -> Result<DomainView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .set_signing_selector(&caller, id, selector)
        .await?)
}

/// "Nieuwe sleutel voor keyXXX": a new key for the selector that does not sign.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn generate_domain_key(
    id: SendingDomainId,
    selector: Selector,
) -> Result<DomainView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .generate_domain_key(&caller, id, selector)
        .await?)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn notice_kinds_are_the_cores() {
        assert_eq!(
            super::NOTICE_DOMAIN_BROKEN,
            postkamer_core::domains::NOTICE_DOMAIN_BROKEN
        );
        assert_eq!(
            super::NOTICE_DOMAIN_UNVERIFIED,
            postkamer_core::domains::NOTICE_DOMAIN_UNVERIFIED
        );
    }
}
