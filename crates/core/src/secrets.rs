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

/// The system's random number generator failed, or sealing did: nothing was produced (never
/// a key or nonce of zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the system random number generator failed")]
    Random,
    #[error("encrypting the value failed")]
    Seal,
}

/// Where keys and nonces come from: the operating system's generator, or a test's.
pub trait Entropy {
    fn fill(&self, dest: &mut [u8]) -> Result<(), SealError>;
}

/// The operating system's cryptographic random number generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEntropy;

impl Entropy for SystemEntropy {
    fn fill(&self, dest: &mut [u8]) -> Result<(), SealError> {
        SystemRandom::new()
            .fill(dest)
            .map_err(|_| SealError::Random)
    }
}

/// A sealed value that cannot be opened: wrong key, or damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value cannot be opened with this secret key")]
pub struct Unsealable;

impl SecretKey {
    /// A fresh key from the system's random number generator.
    pub fn generate() -> Result<Self, SealError> {
        Self::generate_from(&SystemEntropy)
    }

    pub fn generate_from(entropy: &dyn Entropy) -> Result<Self, SealError> {
        let mut key = [0u8; 32];
        entropy.fill(&mut key)?;
        Ok(Self(key))
    }

    /// A key of all zeros is refused: it is what a generator that silently failed leaves.
    pub fn from_base64(text: &str) -> Result<Self, BadSecretKey> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| BadSecretKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| BadSecretKey)?;
        if key == [0u8; 32] {
            return Err(BadSecretKey);
        }
        Ok(Self(key))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    fn key(&self) -> LessSafeKey {
        // 32 bytes is AES-256's key length: this cannot fail.
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0).unwrap_or_else(|_| unreachable!()))
    }

    /// Encrypts `plain` with a fresh nonce from the system's generator.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, SealError> {
        self.seal_from(&SystemEntropy, plain)
    }

    pub fn seal_from(&self, entropy: &dyn Entropy, plain: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        entropy.fill(&mut nonce)?;
        let mut buf = plain.to_vec();
        self.key()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from([VERSION]),
                &mut buf,
            )
            .map_err(|_| SealError::Seal)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + buf.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&buf);
        Ok(out)
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

    pub fn seal_str(&self, plain: &str) -> Result<Vec<u8>, SealError> {
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
        let key = SecretKey::generate().unwrap();
        let a = key.seal_str("geheim wachtwoord").unwrap();
        let b = key.seal_str("geheim wachtwoord").unwrap();
        assert_ne!(a, b, "fresh nonce per value");
        assert!(!a.windows(6).any(|w| w == b"geheim"));
        assert_eq!(key.open_str(&a).as_deref(), Ok("geheim wachtwoord"));

        let other = SecretKey::generate().unwrap();
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
        assert_eq!(
            SecretKey::from_base64(&STANDARD.encode([0u8; 32])).err(),
            Some(BadSecretKey),
            "a key of zeros is what a failed generator leaves"
        );
    }

    /// A generator that fails (as getrandom can, e.g. in a sandbox without /dev/urandom).
    struct Broken;
    impl Entropy for Broken {
        fn fill(&self, dest: &mut [u8]) -> Result<(), SealError> {
            dest.fill(0xAA);
            Err(SealError::Random)
        }
    }

    #[test]
    fn a_failing_generator_is_an_error_never_a_weak_key_or_nonce() {
        assert_eq!(
            SecretKey::generate_from(&Broken).err(),
            Some(SealError::Random)
        );
        let key = SecretKey::generate().unwrap();
        assert_eq!(
            key.seal_from(&Broken, b"geheim"),
            Err(SealError::Random),
            "no value sealed with a nonce the generator did not produce"
        );
    }
}
