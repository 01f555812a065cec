//! Encryption at rest for the few secrets the database must hold so Gatehouse can use them later:
//! platform credentials, OIDC client secrets, TOTP secrets.
//!
//! XChaCha20-Poly1305 with a random 24-byte nonce per value (random nonces of that size never collide in
//! practice), and the row's identity as associated data, so a ciphertext copied into another row — say,
//! one channel's token into another channel — fails to decrypt instead of being used there.
//! The key comes from `GATEHOUSE_SECRET_KEY` (32 bytes as base64 or hex) or from the file that
//! `GATEHOUSE_SECRET_KEY_FILE` names, and is never printed.

use std::fmt;

use base64::Engine as _;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};

/// The format byte at the start of every stored ciphertext, so a later scheme can be told apart.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// What can go wrong with the key or a ciphertext.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("GATEHOUSE_SECRET_KEY must be 32 bytes as base64 or hex")]
    BadKey,
    #[error("cannot read the key file {path}: {message}")]
    KeyFile { path: String, message: String },
    #[error("GATEHOUSE_SECRET_KEY and GATEHOUSE_SECRET_KEY_FILE are both set; set one")]
    TwoKeys,
    #[error("a stored secret cannot be decrypted (wrong key, or the value was altered or moved)")]
    Undecryptable,
    #[error("the system's random number generator failed")]
    Random,
}

/// The 32-byte key that encrypts secrets at rest. Its `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Fills `buf` from the operating system's generator.
pub(crate) fn random(buf: &mut [u8]) -> Result<(), SecretError> {
    getrandom::fill(buf).map_err(|_| SecretError::Random)
}

impl SecretKey {
    /// Reads the key from `GATEHOUSE_SECRET_KEY` or `GATEHOUSE_SECRET_KEY_FILE`; `None` when neither is set.
    pub fn from_env() -> Result<Option<SecretKey>, SecretError> {
        let direct = std::env::var("GATEHOUSE_SECRET_KEY").ok();
        let file = std::env::var("GATEHOUSE_SECRET_KEY_FILE").ok();
        match (direct, file) {
            (Some(_), Some(_)) => Err(SecretError::TwoKeys),
            (Some(text), None) => SecretKey::parse(&text).map(Some),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| SecretError::KeyFile { path: path.clone(), message: e.to_string() })?;
                SecretKey::parse(&text).map(Some)
            }
            (None, None) => Ok(None),
        }
    }

    /// Reads 32 bytes written as 64 hex digits or as base64 (standard or URL-safe, padded or not).
    pub fn parse(text: &str) -> Result<SecretKey, SecretError> {
        let text = text.trim();
        let mut key = [0u8; 32];
        if text.len() == 64 && hex::decode_to_slice(text, &mut key).is_ok() {
            return Ok(SecretKey(key));
        }
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        let bytes = engines.iter().find_map(|e| e.decode(text).ok()).ok_or(SecretError::BadKey)?;
        Ok(SecretKey(bytes.try_into().map_err(|_| SecretError::BadKey)?))
    }

    /// A fresh random key (for `gatehouse demo` and tests).
    pub fn generate() -> Result<SecretKey, SecretError> {
        let mut key = [0u8; 32];
        random(&mut key)?;
        Ok(SecretKey(key))
    }

    /// The key as base64, to write into a new deployment's key file.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// Encrypts `plaintext`, bound to `context` (the row it belongs in).
    pub fn encrypt(&self, plaintext: &[u8], context: &str) -> Result<Vec<u8>, SecretError> {
        let mut nonce = [0u8; NONCE_LEN];
        random(&mut nonce)?;
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let payload = chacha20poly1305::aead::Payload { msg: plaintext, aad: context.as_bytes() };
        let sealed = cipher.encrypt(&XNonce::from(nonce), payload).map_err(|_| SecretError::Undecryptable)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`SecretKey::encrypt`] produced for the same `context`.
    pub fn decrypt(&self, stored: &[u8], context: &str) -> Result<Vec<u8>, SecretError> {
        let (&version, rest) = stored.split_first().ok_or(SecretError::Undecryptable)?;
        if version != VERSION || rest.len() < NONCE_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Undecryptable)?;
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let payload = chacha20poly1305::aead::Payload { msg: sealed, aad: context.as_bytes() };
        cipher.decrypt(&XNonce::from(nonce), payload).map_err(|_| SecretError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_another_row_or_key() {
        let key = SecretKey::generate().unwrap();
        let sealed = key.encrypt(b"page-token", "channel:a").unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"page-token"));
        assert_eq!(key.decrypt(&sealed, "channel:a").unwrap(), b"page-token");
        assert_eq!(key.decrypt(&sealed, "channel:b"), Err(SecretError::Undecryptable));
        let other = SecretKey::generate().unwrap();
        assert_eq!(other.decrypt(&sealed, "channel:a"), Err(SecretError::Undecryptable));
        assert_eq!(key.decrypt(&[], "channel:a"), Err(SecretError::Undecryptable));
    }

    #[test]
    fn keys_parse_from_hex_and_base64_and_never_print() {
        let key = SecretKey::generate().unwrap();
        let from_b64 = SecretKey::parse(&key.to_base64()).unwrap();
        assert_eq!(from_b64.0, key.0);
        let from_hex = SecretKey::parse(&hex::encode(key.0)).unwrap();
        assert_eq!(from_hex.0, key.0);
        assert_eq!(SecretKey::parse("too short").unwrap_err(), SecretError::BadKey);
        assert_eq!(format!("{key:?}"), "SecretKey(<redacted>)");
    }
}
