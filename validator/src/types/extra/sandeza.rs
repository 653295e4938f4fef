//! Hand-written items of [`crate::types::sandeza`] (re-exported there by the
//! generated module): the request signature and the request time.
//!
//! The signature is computed here once; the validator's
//! `signature-mismatch` and `unix-time` rules call the same function.

use super::super::sandeza::{SendRequestUsername, Signature, UnixSeconds};
use sha2::{Digest, Sha256};
use std::fmt;

/// A Sandeza account password, for [`signature`]. Its `Debug` never shows
/// it, and it has no `Display`: a password cannot end up in a log line or
/// a panic message by accident.
///
/// ```
/// use preflight::types::sandeza::Password;
///
/// let password = Password::new("rahasia123");
/// assert_eq!(format!("{password:?}"), "Password(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    #[must_use]
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// The password itself, for computing a signature elsewhere.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Self(password)
    }
}

impl From<&str> for Password {
    fn from(password: &str) -> Self {
        Self(password.to_string())
    }
}

/// The `signature` of a Sandeza request: hex(sha256(username + password +
/// time)), lowercase, no separators, for the same `username` and `time`
/// the request sends (Sandeza's doc: "Encrypted (Username+Password+Time),
/// time refers to time field").
///
/// ```
/// use preflight::types::sandeza::{self, Password};
///
/// let username = "kebunsegar".parse()?;
/// let time = "1764135529".parse()?;
/// let signature = sandeza::signature(&username, &Password::new("rahasia123"), &time);
/// assert_eq!(signature.len(), 64);
/// # Ok::<(), preflight::types::ConstraintError>(())
/// ```
#[must_use]
pub fn signature(
    username: &SendRequestUsername,
    password: &Password,
    time: &UnixSeconds,
) -> Signature {
    Signature::new_unchecked(signature_hex(username, password.expose(), time))
}

/// [`signature`] on plain strings: what the validator's rules compare with.
pub(crate) fn signature_hex(username: &str, password: &str, time: &str) -> String {
    let digest = Sha256::digest(format!("{username}{password}{time}").as_bytes());
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

impl UnixSeconds {
    /// The request time: now, as whole Unix seconds (`"1764135529"`), the
    /// value Sandeza's `time` field carries and [`signature`] is computed
    /// from. A clock set before 1970 gives `"0"`.
    #[must_use]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::new_unchecked(secs.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::signature_hex;

    #[test]
    fn hex_of_sha256() {
        // sha256("abc"), split over the three parts.
        assert_eq!(
            signature_hex("a", "b", "c"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
