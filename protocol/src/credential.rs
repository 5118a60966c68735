//! Server-issued visitor credentials: the token a browser gets from
//! `POST /api/v1/visitors` (or with its first `POST /api/v1/visits`) and sends
//! in the `visitor` field of votes and visits and in `?visitor=` of rating
//! reads. Votes, presence ("online") and visits are keyed by its [`id`], which
//! the server chose at random, so a client can no longer vote once per
//! string it makes up.
//!
//! A token is 55 characters of unpadded base64url (`[A-Za-z0-9_-]`, so it
//! fits where a visitor id went before: JSON, a query value, a cookie value,
//! localStorage) of 41 bytes:
//!
//! | bytes | field |
//! |---|---|
//! | 0 | version, [`VERSION`] |
//! | 1..17 | [`id`]: 16 random bytes |
//! | 17..21 | [`issued`]: unix seconds, big-endian u32 |
//! | 21..25 | [`expires`]: unix seconds, big-endian u32 |
//! | 25..41 | the first 16 bytes of `HMAC-SHA-256(key, "bantin-visitor" ‖ bytes 0..25)` |
//!
//! Only one spelling of a credential parses (standard base64 characters,
//! padding or stray bits are refused), and a valid MAC proves the server
//! issued exactly these fields. The widget treats the token as opaque; it may
//! read [`Credential::parse`]'s `expires` to skip sending one it knows has
//! expired. The key lives only on the server, which derives it from its
//! `--hmac-key` (see `server/src/visitor.rs`); this module holds the format
//! and the check, as [`crate::pow`] does for captcha payloads, so the
//! randomized tests in `protocol/tests/parsers.rs` run the very check the
//! server runs.
//!
//! [`id`]: Credential::id
//! [`issued`]: Credential::issued
//! [`expires`]: Credential::expires

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The format's version byte.
pub const VERSION: u8 = 1;
/// Bytes of a decoded credential.
pub const CREDENTIAL_BYTES: usize = 41;
/// Characters of a credential token (unpadded base64url of [`CREDENTIAL_BYTES`]).
pub const CREDENTIAL_CHARS: usize = 55;
/// Bytes of the MAC kept in a token (128 bits).
const MAC_BYTES: usize = 16;
const SIGNED_BYTES: usize = CREDENTIAL_BYTES - MAC_BYTES;
/// Prefixed to the signed bytes, so no other HMAC the server computes with a
/// related key (captcha signatures) can pass for a credential's.
const DOMAIN: &[u8] = b"bantin-visitor";

/// A parsed credential. Parsing checks only the shape; [`Credential::verify`]
/// also checks the MAC and the expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    /// The visitor's identity: votes, presence and visits are keyed by it.
    /// It stays the same when the credential is renewed.
    pub id: [u8; 16],
    /// Unix seconds when this token was issued (or last renewed).
    pub issued: u32,
    /// Unix seconds from which it is refused (`401 visitor_expired`).
    pub expires: u32,
    mac: [u8; MAC_BYTES],
}

/// Why a token is not a valid credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialError {
    /// Not a credential of this format (length, characters, version, times).
    Malformed(&'static str),
    /// Well-formed, but not signed with this server's key.
    BadSignature,
    /// Signed by this server, but its lifetime is over.
    Expired { expires: u32 },
}

impl std::fmt::Display for CredentialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialError::Malformed(why) => write!(f, "is not a visitor credential ({why})"),
            CredentialError::BadSignature => f.write_str("is not a credential this server issued"),
            CredentialError::Expired { expires } => {
                write!(f, "expired at {expires} (unix seconds)")
            }
        }
    }
}

impl std::error::Error for CredentialError {}

impl Credential {
    /// A credential for `id`, valid from `issued` until `expires` (unix
    /// seconds, saturated to what a u32 holds: the year 2106), signed with `key`.
    pub fn issue(key: &[u8], id: [u8; 16], issued: u64, expires: u64) -> Credential {
        let clamp = |t: u64| t.min(u64::from(u32::MAX)) as u32;
        let mut c = Credential {
            id,
            issued: clamp(issued),
            expires: clamp(expires),
            mac: [0; MAC_BYTES],
        };
        c.mac = c.compute_mac(key);
        c
    }

    /// The same identity with a new lifetime (renewal keeps `id`).
    pub fn renewed(&self, key: &[u8], issued: u64, expires: u64) -> Credential {
        Credential::issue(key, self.id, issued, expires)
    }

    /// Reads a token's fields without checking its MAC or expiry.
    pub fn parse(token: &str) -> Result<Credential, CredentialError> {
        if token.len() != CREDENTIAL_CHARS {
            return Err(CredentialError::Malformed("wrong length"));
        }
        let bytes = decode(token).ok_or(CredentialError::Malformed("not base64url"))?;
        let bytes: [u8; CREDENTIAL_BYTES] = bytes
            .try_into()
            .map_err(|_| CredentialError::Malformed("wrong length"))?;
        if bytes[0] != VERSION {
            return Err(CredentialError::Malformed("unknown version"));
        }
        let u32_at =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let c = Credential {
            id: bytes[1..17].try_into().expect("16 bytes"),
            issued: u32_at(17),
            expires: u32_at(21),
            mac: bytes[SIGNED_BYTES..].try_into().expect("16 bytes"),
        };
        if c.expires <= c.issued {
            return Err(CredentialError::Malformed("expires before it was issued"));
        }
        Ok(c)
    }

    /// [`parse`](Self::parse), then the MAC under `key` (constant time), then
    /// the expiry against `now` (unix seconds): refused from `expires` on.
    pub fn verify(key: &[u8], token: &str, now: u64) -> Result<Credential, CredentialError> {
        let c = Credential::parse(token)?;
        if !crate::pow::ct_eq(&c.compute_mac(key), &c.mac) {
            return Err(CredentialError::BadSignature);
        }
        if now >= u64::from(c.expires) {
            return Err(CredentialError::Expired { expires: c.expires });
        }
        Ok(c)
    }

    /// The token: unpadded base64url of the 41 bytes.
    pub fn encode(&self) -> String {
        encode(&self.to_bytes())
    }

    /// The id as 32 lowercase hex digits, as the server stores it.
    pub fn id_hex(&self) -> String {
        crate::pow::hex(&self.id)
    }

    /// Seconds of life it was given.
    pub fn lifetime(&self) -> u32 {
        self.expires - self.issued
    }

    /// True once more than half its lifetime has passed: the server then
    /// hands out a renewed one (same id) with the next visit.
    pub fn renewal_due(&self, now: u64) -> bool {
        now.saturating_sub(u64::from(self.issued)) * 2 > u64::from(self.lifetime())
    }

    fn to_bytes(self) -> [u8; CREDENTIAL_BYTES] {
        let mut b = [0u8; CREDENTIAL_BYTES];
        b[..SIGNED_BYTES].copy_from_slice(&self.signed_bytes());
        b[SIGNED_BYTES..].copy_from_slice(&self.mac);
        b
    }

    fn signed_bytes(&self) -> [u8; SIGNED_BYTES] {
        let mut b = [0u8; SIGNED_BYTES];
        b[0] = VERSION;
        b[1..17].copy_from_slice(&self.id);
        b[17..21].copy_from_slice(&self.issued.to_be_bytes());
        b[21..25].copy_from_slice(&self.expires.to_be_bytes());
        b
    }

    fn compute_mac(&self, key: &[u8]) -> [u8; MAC_BYTES] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
        mac.update(DOMAIN);
        mac.update(&self.signed_bytes());
        let full = mac.finalize().into_bytes();
        full[..MAC_BYTES].try_into().expect("16 of 32 bytes")
    }
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url.
fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(B64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Unpadded base64url, canonical only: the one spelling [`encode`] gives.
fn decode(s: &str) -> Option<Vec<u8>> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let bytes = crate::pow::base64_decode(s)?;
    (encode(&bytes) == s).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"credential-test-key-0123";

    #[test]
    fn issue_encode_parse_verify() {
        let c = Credential::issue(KEY, [7; 16], 1_700_000_000, 1_700_000_000 + 86_400);
        let t = c.encode();
        assert_eq!(t.len(), CREDENTIAL_CHARS);
        assert!(crate::api::is_valid_token(
            &t,
            crate::limits::VISITOR_ID_MAX_CHARS
        ));
        assert_eq!(Credential::parse(&t), Ok(c));
        assert_eq!(Credential::verify(KEY, &t, 1_700_000_000), Ok(c));
        assert_eq!(c.id_hex(), "07".repeat(16));
        assert_eq!(
            Credential::verify(KEY, &t, 1_700_086_400),
            Err(CredentialError::Expired {
                expires: 1_700_086_400
            })
        );
        assert_eq!(
            Credential::verify(b"another-key-0123456789", &t, 1_700_000_000),
            Err(CredentialError::BadSignature)
        );
    }

    #[test]
    fn renewal_keeps_the_id() {
        let c = Credential::issue(KEY, [1; 16], 1_000, 1_100);
        assert!(!c.renewal_due(1_050));
        assert!(c.renewal_due(1_051));
        let r = c.renewed(KEY, 1_051, 1_151);
        assert_eq!(r.id, c.id);
        assert_ne!(r.encode(), c.encode());
        assert!(Credential::verify(KEY, &r.encode(), 1_120).is_ok());
    }

    #[test]
    fn only_the_canonical_spelling_parses() {
        let t = Credential::issue(KEY, [0xfb; 16], 10, 20).encode();
        for bad in [
            format!("{t}="),
            t.replace('-', "+").replace('_', "/"),
            t[..54].to_owned(),
            format!("{t}A"),
            String::new(),
            "0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d".to_owned(),
        ] {
            if bad != t {
                assert!(Credential::parse(&bad).is_err(), "{bad}");
            }
        }
        // The last character carries 2 stray bits: another value there is
        // another spelling of the same bytes, refused.
        let mut chars: Vec<char> = t.chars().collect();
        let last = chars[54];
        let i = B64URL.iter().position(|&b| b as char == last).unwrap();
        chars[54] = B64URL[i ^ 1] as char;
        let respelled: String = chars.into_iter().collect();
        assert_eq!(
            Credential::parse(&respelled),
            Err(CredentialError::Malformed("not base64url"))
        );
    }

    #[test]
    fn version_and_times_are_checked() {
        let c = Credential::issue(KEY, [2; 16], 10, 20);
        let mut b = c.to_bytes();
        b[0] = 2;
        assert_eq!(
            Credential::parse(&encode(&b)),
            Err(CredentialError::Malformed("unknown version"))
        );
        let backwards = Credential::issue(KEY, [2; 16], 20, 20).encode();
        assert!(matches!(
            Credential::parse(&backwards),
            Err(CredentialError::Malformed(_))
        ));
        // Saturated, not wrapped.
        let far = Credential::issue(KEY, [2; 16], 10, u64::MAX);
        assert_eq!(far.expires, u32::MAX);
    }
}
