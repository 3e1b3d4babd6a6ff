//! Random secrets (session cookies, API tokens) and the hashes the store keeps of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes from the OS, URL-safe base64.
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256, hex. Secrets are 256 random bits, so a fast hash is enough.
pub(crate) fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The CSRF token of a signed-in session: derived from the session secret (which only the
/// session's browser holds, in an HttpOnly cookie), so a token is worth nothing in another
/// session and changes with every login. Domain-separated from [`hash_secret`], the form the
/// database stores.
pub fn session_csrf_token(session_secret: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(b"postkamer csrf v1\0");
    digest.update(session_secret.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.finalize())
}
