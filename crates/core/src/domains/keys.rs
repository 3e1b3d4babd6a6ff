//! The DKIM keys: the installation's pair per selector (from the configuration or made once),
//! a domain's own new keys, what a check expects, and the key the sending pipeline signs with.

use postkamer_domain::sending::{DomainReport, DomainState, PublishRecord, Selector};
use postkamer_domain::{Clock, OrgId, SendingDomainId, SystemClock, ValidationErrors};
use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, Expected, ExpectedKeys, check_domain, normalise_domain,
    records_to_publish,
};
use postkamer_store::domains::{DomainRecord, StoredKey};

use super::SigningKey;
use crate::{Core, CoreError, CoreResult};

impl Core {
    /// Makes sure the installation has a key pair for both selectors: the configured ones
    /// (replacing stored ones that differ), else the stored ones, else new ones (generated on a
    /// blocking thread, sealed). Safe with several instances starting at once.
    pub async fn ensure_dkim_keys(&self, configured: &[(Selector, DkimKeyPair)]) -> CoreResult<()> {
        let stored = self.store.dkim_keys(None).await?;
        for selector in Selector::ALL {
            let current = stored.iter().find(|k| k.selector == selector);
            if let Some((_, key)) = configured.iter().find(|(s, _)| *s == selector) {
                if current.is_none_or(|c| c.public_key != key.public_key_b64()) {
                    let sealed = self.seal_key(key)?;
                    self.store
                        .replace_installation_key(selector, &sealed, key.public_key_b64())
                        .await?;
                    tracing::info!(%selector, "DKIM key loaded from configuration");
                }
                continue;
            }
            if current.is_some() {
                continue;
            }
            let key = generate_key().await?;
            let sealed = self.seal_key(&key)?;
            if self
                .store
                .insert_installation_key(selector, &sealed, key.public_key_b64())
                .await?
            {
                tracing::info!(%selector, bits = key.bits(), "DKIM key generated");
            }
        }
        Ok(())
    }

    pub(crate) fn seal_key(&self, key: &DkimKeyPair) -> CoreResult<Vec<u8>> {
        let der = key
            .private_pkcs8_der()
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(self.config.secret.seal(&der)?)
    }

    /// The public keys a domain must publish (its own rotated keys before the installation's).
    pub(crate) async fn expected_keys(
        &self,
        domain: SendingDomainId,
    ) -> CoreResult<(ExpectedKeys, Vec<Selector>)> {
        let mut keys = self.store.dkim_keys(Some(domain)).await?;
        if keys.iter().filter(|k| k.domain.is_none()).count() < Selector::ALL.len() {
            // An installation that never ran `serve` (tests, the CLI): make the keys now.
            self.ensure_dkim_keys(&[]).await?;
            keys = self.store.dkim_keys(Some(domain)).await?;
        }
        let pick = |selector: Selector| -> CoreResult<&StoredKey> {
            keys.iter()
                .filter(|k| k.selector == selector)
                .max_by_key(|k| k.domain.is_some())
                .ok_or_else(|| {
                    CoreError::Internal(format!("no DKIM key for {selector}: run ensure_dkim_keys"))
                })
        };
        let own = Selector::ALL
            .into_iter()
            .filter(|s| keys.iter().any(|k| k.selector == *s && k.domain.is_some()))
            .collect();
        Ok((
            ExpectedKeys {
                key001: pick(Selector::Key001)?.public_key.clone(),
                key002: pick(Selector::Key002)?.public_key.clone(),
            },
            own,
        ))
    }

    /// The organisation's verification token (made at first use): the value of its
    /// `_postkamer.<domain>` records.
    pub(crate) async fn domain_token(&self, org: OrgId) -> CoreResult<String> {
        use crate::secrets::{Entropy as _, SystemEntropy};
        let mut bytes = [0u8; 16];
        SystemEntropy.fill(&mut bytes)?;
        Ok(self.store.domain_token(org, &hex::encode(bytes)).await?)
    }

    /// Checks any domain without storing anything (the CLI's `postkamer domain check`): when an
    /// organisation holds it, against that organisation's keys and token; else against the
    /// installation's keys, without a token row.
    pub async fn inspect_domain(
        &self,
        input: &str,
        check: &CheckConfig,
    ) -> CoreResult<(DomainReport, Vec<PublishRecord>)> {
        let domain = normalise_domain(input)
            .map_err(|e| CoreError::Validation(ValidationErrors::single("domain", e)))?;
        let (keys, token) = match self.store.domain_holder(&domain).await? {
            Some(record) => (
                self.expected_keys(record.id).await?.0,
                Some(self.domain_token(record.org).await?),
            ),
            None => {
                self.ensure_dkim_keys(&[]).await?;
                let stored = self.store.dkim_keys(None).await?;
                let get = |selector: Selector| {
                    stored
                        .iter()
                        .find(|k| k.selector == selector)
                        .map(|k| k.public_key.clone())
                        .ok_or_else(|| CoreError::Internal(format!("no DKIM key for {selector}")))
                };
                let keys = ExpectedKeys {
                    key001: get(Selector::Key001)?,
                    key002: get(Selector::Key002)?,
                };
                (keys, None)
            }
        };
        let expected = Expected {
            keys: &keys,
            token: token.as_deref(),
        };
        let report = check_domain(check, &domain, expected, self.now()).await;
        let publish = records_to_publish(&domain, &check.spf_include, expected, Some(&report));
        Ok((report, publish))
    }

    /// Is mail of organisation `org` from `domain` to be DKIM-signed: does `org` hold the
    /// domain, active?
    pub async fn is_dkim_active(&self, org: OrgId, domain: &str) -> CoreResult<bool> {
        Ok(self.active_holder(org, domain).await?.is_some())
    }

    pub(crate) async fn active_holder(
        &self,
        org: OrgId,
        domain: &str,
    ) -> CoreResult<Option<DomainRecord>> {
        let Ok(domain) = normalise_domain(domain) else {
            return Ok(None);
        };
        Ok(self
            .store
            .domain_holder(&domain)
            .await?
            .filter(|d| d.org == org && d.state == DomainState::Active))
    }

    /// The key to sign mail of organisation `org` from `domain` with, when `org` holds the
    /// domain with DKIM active.
    pub async fn signing_key(&self, org: OrgId, domain: &str) -> CoreResult<Option<SigningKey>> {
        let Some(record) = self.active_holder(org, domain).await? else {
            return Ok(None);
        };
        let name = record.domain.clone();
        let keys = self.store.dkim_keys(Some(record.id)).await?;
        let Some(stored) = keys
            .iter()
            .filter(|k| k.selector == record.signing_selector)
            .max_by_key(|k| k.domain.is_some())
        else {
            return Ok(None);
        };
        let der = self
            .config
            .secret
            .open(&stored.private_sealed)
            .map_err(|e| CoreError::Internal(format!("DKIM key: {e}")))?;
        let key =
            DkimKeyPair::from_pkcs8_der(&der).map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(Some(SigningKey {
            domain: name,
            selector: record.signing_selector,
            key,
        }))
    }
}

pub(crate) async fn generate_key() -> CoreResult<DkimKeyPair> {
    tokio::task::spawn_blocking(DkimKeyPair::generate)
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
        .map_err(|e| CoreError::Internal(e.to_string()))
}

/// Checks a domain against given DKIM keys (the installation's key files), with no database:
/// `postkamer domain check` on a machine that only has the configuration (no organisation, so
/// no verification token to expect).
pub async fn inspect_domain_with_keys(
    input: &str,
    check: &CheckConfig,
    keys: &ExpectedKeys,
) -> CoreResult<(DomainReport, Vec<PublishRecord>)> {
    let domain = normalise_domain(input)
        .map_err(|e| CoreError::Validation(ValidationErrors::single("domain", e)))?;
    let expected = Expected { keys, token: None };
    let report = check_domain(check, &domain, expected, SystemClock.now_millis()).await;
    let publish = records_to_publish(&domain, &check.spf_include, expected, Some(&report));
    Ok((report, publish))
}
