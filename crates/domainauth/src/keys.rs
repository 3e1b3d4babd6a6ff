//! DKIM key pairs: RSA 2048, generated here (ring cannot generate RSA keys, the `rsa` crate can)
//! or loaded from PEM; stored as PKCS#8 DER; published as one `v=DKIM1;h=sha256;k=rsa;p=…` line;
//! handed to mail-auth (ring) for signing.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_auth::common::crypto::{RsaKey, Sha256};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Bits of a key this installation generates.
pub const KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("RSA key generation failed: {0}")]
    Generate(String),
    #[error(
        "not an RSA private key in PEM (PKCS#8 \"PRIVATE KEY\" or PKCS#1 \"RSA PRIVATE KEY\"): {0}"
    )]
    Pem(String),
    #[error("not an RSA private key in PKCS#8 DER: {0}")]
    Der(String),
    #[error("RSA key of {0} bits; DKIM needs at least 1024")]
    TooShort(usize),
    #[error("RSA key of {0} bits: DKIM signing here takes keys of 2048 to 4096 bits")]
    UnsupportedSize(usize),
    #[error("the key cannot be used for signing: {0}")]
    Signing(String),
}

/// An RSA key pair for one DKIM selector.
#[derive(Clone)]
pub struct DkimKeyPair {
    private: RsaPrivateKey,
    public_b64: String,
}

impl std::fmt::Debug for DkimKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DkimKeyPair")
            .field("bits", &self.bits())
            .field("public", &self.public_b64)
            .finish_non_exhaustive()
    }
}

impl DkimKeyPair {
    /// A new RSA 2048 key pair from the operating system's random source. Takes a moment (tens of
    /// milliseconds to a few seconds): call it from a blocking thread.
    pub fn generate() -> Result<DkimKeyPair, KeyError> {
        let mut rng = rsa::rand_core::OsRng;
        let private = RsaPrivateKey::new(&mut rng, KEY_BITS)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        DkimKeyPair::from_private(private)
    }

    /// A key from PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`) or PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Result<DkimKeyPair, KeyError> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| KeyError::Pem(e.to_string()))?;
        DkimKeyPair::from_private(private)
    }

    /// A key as [`DkimKeyPair::private_pkcs8_der`] stored it.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<DkimKeyPair, KeyError> {
        let private =
            RsaPrivateKey::from_pkcs8_der(der).map_err(|e| KeyError::Der(e.to_string()))?;
        DkimKeyPair::from_private(private)
    }

    fn from_private(private: RsaPrivateKey) -> Result<DkimKeyPair, KeyError> {
        let bits = private.size() * 8;
        if bits < 1024 {
            return Err(KeyError::TooShort(bits));
        }
        if !(2048..=4096).contains(&bits) {
            return Err(KeyError::UnsupportedSize(bits));
        }
        let public = RsaPublicKey::from(&private);
        let spki = public
            .to_public_key_der()
            .map_err(|e| KeyError::Der(e.to_string()))?;
        let pair = DkimKeyPair {
            private,
            public_b64: BASE64.encode(spki.as_bytes()),
        };
        // Refused here, when the key is configured, rather than at the first send: ring signs
        // with RSA keys of 2048 to 4096 bits only.
        pair.signing_key()?;
        Ok(pair)
    }

    pub fn bits(&self) -> usize {
        self.private.size() * 8
    }

    /// The private key as PKCS#8 DER, for sealed storage.
    pub fn private_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        Ok(self
            .private
            .to_pkcs8_der()
            .map_err(|e| KeyError::Der(e.to_string()))?
            .as_bytes()
            .to_vec())
    }

    /// The public key (SubjectPublicKeyInfo, base64): the `p=` value.
    pub fn public_key_b64(&self) -> &str {
        &self.public_b64
    }

    /// The TXT value to publish at `<selector>._domainkey.<domain>`, one line.
    pub fn dns_record(&self) -> String {
        dns_record(&self.public_b64)
    }

    /// The key in mail-auth's form, for the sending pipeline's DKIM signer.
    pub fn signing_key(&self) -> Result<RsaKey<Sha256>, KeyError> {
        let der = self.private_pkcs8_der()?;
        RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)))
            .map_err(|e| KeyError::Signing(e.to_string()))
    }
}

/// `v=DKIM1;h=sha256;k=rsa;p=<public key>`: the exact form the help text shows.
pub fn dns_record(public_b64: &str) -> String {
    format!("v=DKIM1;h=sha256;k=rsa;p={public_b64}")
}

/// Bits of an RSA public key given as DER (SubjectPublicKeyInfo, or bare PKCS#1 as some
/// generators publish), or `None` when the bytes are not an RSA key.
pub(crate) fn public_key_bits(der: &[u8]) -> Option<usize> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    RsaPublicKey::from_public_key_der(der)
        .or_else(|_| RsaPublicKey::from_pkcs1_der(der))
        .ok()
        .map(|key| key.size() * 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_round_trips_through_storage_and_publishes_one_line() {
        let key = DkimKeyPair::generate().unwrap();
        assert_eq!(key.bits(), 2048);
        let stored = key.private_pkcs8_der().unwrap();
        let again = DkimKeyPair::from_pkcs8_der(&stored).unwrap();
        assert_eq!(again.public_key_b64(), key.public_key_b64());
        let record = key.dns_record();
        assert!(record.starts_with("v=DKIM1;h=sha256;k=rsa;p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"));
        assert!(!record.contains(char::is_whitespace));
        key.signing_key().unwrap();
        let der = BASE64.decode(key.public_key_b64()).unwrap();
        assert_eq!(public_key_bits(&der), Some(2048));
    }

    #[test]
    fn a_key_the_signer_cannot_use_is_refused_when_loaded() {
        use rsa::pkcs8::LineEnding;
        let mut rng = rsa::rand_core::OsRng;
        let short = RsaPrivateKey::new(&mut rng, 1024).unwrap();
        let pem = short.to_pkcs8_pem(LineEnding::LF).unwrap();
        let err = DkimKeyPair::from_pem(&pem).unwrap_err();
        assert!(matches!(err, KeyError::UnsupportedSize(1024)), "{err}");
        assert!(err.to_string().contains("2048 to 4096"), "{err}");
    }

    #[test]
    fn pem_that_is_no_key_is_refused_clearly() {
        let err =
            DkimKeyPair::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .unwrap_err();
        assert!(matches!(err, KeyError::Pem(_)), "{err}");
        assert!(DkimKeyPair::from_pkcs8_der(b"garbage").is_err());
    }
}
