//! Secrets at rest (mailbox passwords; later API keys and DKIM keys) are sealed with the
//! installation's secret key: AES-256-GCM with a random nonce per value, the nonce stored in
//! front of the ciphertext. The key comes from configuration (or a key file the server creates
//! at first start); all instances sharing a database must share the key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use std::fmt;

/// Version byte in front of every sealed value, so the scheme can change later.
const VERSION: u8 = 1;

/// The 32-byte installation key.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

/// A secret key that is not 32 bytes of base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the secret key must be 32 bytes, base64-encoded (generate one with `postkamer secret-key`)"
)]
pub struct BadSecretKey;

/// A sealed value that cannot be opened: wrong key, or damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value cannot be opened with this secret key")]
pub struct Unsealable;

impl SecretKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        // The system RNG does not fail on the platforms we run on; a zero key would be caught
        // by every test that seals twice.
        let _ = SystemRandom::new().fill(&mut key);
        Self(key)
    }

    pub fn from_base64(text: &str) -> Result<Self, BadSecretKey> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| BadSecretKey)?;
        Ok(Self(bytes.try_into().map_err(|_| BadSecretKey)?))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    fn key(&self) -> LessSafeKey {
        // 32 bytes is AES-256's key length: this cannot fail.
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0).unwrap_or_else(|_| unreachable!()))
    }

    /// Encrypts `plain` with a fresh nonce.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        let _ = SystemRandom::new().fill(&mut nonce);
        let mut buf = plain.to_vec();
        // Sealing in place cannot fail for inputs below AES-GCM's 64 GB limit.
        let _ = self.key().seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from([VERSION]),
            &mut buf,
        );
        let mut out = Vec::with_capacity(1 + NONCE_LEN + buf.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&buf);
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, Unsealable> {
        let (&version, rest) = sealed.split_first().ok_or(Unsealable)?;
        if version != VERSION || rest.len() < NONCE_LEN {
            return Err(Unsealable);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Unsealable)?;
        let mut buf = ciphertext.to_vec();
        let plain = self
            .key()
            .open_in_place(nonce, Aad::from([VERSION]), &mut buf)
            .map_err(|_| Unsealable)?;
        Ok(plain.to_vec())
    }

    pub fn seal_str(&self, plain: &str) -> Vec<u8> {
        self.seal(plain.as_bytes())
    }

    pub fn open_str(&self, sealed: &[u8]) -> Result<String, Unsealable> {
        String::from_utf8(self.open(sealed)?).map_err(|_| Unsealable)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let key = SecretKey::generate();
        let a = key.seal_str("geheim wachtwoord");
        let b = key.seal_str("geheim wachtwoord");
        assert_ne!(a, b, "fresh nonce per value");
        assert!(!a.windows(6).any(|w| w == b"geheim"));
        assert_eq!(key.open_str(&a).as_deref(), Ok("geheim wachtwoord"));

        let other = SecretKey::generate();
        assert_eq!(other.open(&a), Err(Unsealable));
        let mut damaged = a.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(key.open(&damaged), Err(Unsealable));
        assert_eq!(key.open(&[]), Err(Unsealable));
        assert_eq!(key.open(&[1, 2, 3]), Err(Unsealable));

        let again = SecretKey::from_base64(&key.to_base64()).expect("round trip");
        assert_eq!(again.open_str(&a).as_deref(), Ok("geheim wachtwoord"));
        assert_eq!(SecretKey::from_base64("dGVzdA==").err(), Some(BadSecretKey));
        assert!(!format!("{key:?}").contains(&key.to_base64()));
    }
}
