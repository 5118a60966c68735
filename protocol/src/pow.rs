//! Proof-of-work captcha in the ALTCHA v1 format.
//!
//! The server hands out a [`Challenge`]: `challenge = hex(SHA-256(salt + number))`
//! for a secret `number` in `0..=maxnumber`, and
//! `signature = hex(HMAC-SHA-256(key, challenge))`. The salt carries its expiry
//! as `?expires=<unix seconds>&` and ends with `&`, so digits cannot be moved
//! between the expiry and the number. The browser finds the number with
//! [`solve`] (or [`solve_range`] in slices) and sends
//! `base64(JSON {algorithm, challenge, number, salt, signature, took})`, built by
//! [`Payload::encode`]; the server checks it with [`verify_payload`].
//!
//! Nothing here reads a clock or a random source: callers pass `now`, the
//! expiry and the random bytes, so the module runs unchanged in WebAssembly.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};
use std::fmt;

/// The only algorithm this crate issues and accepts.
pub const ALGORITHM: &str = "SHA-256";

/// What `GET /api/v1/captcha` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub algorithm: String,
    /// Hex SHA-256 of `salt` followed by the decimal number.
    pub challenge: String,
    /// The number lies in `0..=maxnumber`.
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

/// A solved challenge, as sent (base64-encoded JSON) in a comment's `captcha`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
    /// Milliseconds the solving took (informative).
    #[serde(default)]
    pub took: u64,
}

impl Payload {
    /// The payload for `challenge` solved by `number`.
    pub fn new(challenge: &Challenge, number: u64, took_ms: u64) -> Self {
        Payload {
            algorithm: challenge.algorithm.clone(),
            challenge: challenge.challenge.clone(),
            number,
            salt: challenge.salt.clone(),
            signature: challenge.signature.clone(),
            took: took_ms,
        }
    }

    /// Base64 (standard alphabet, padded) of the payload's JSON.
    pub fn encode(&self) -> String {
        base64_encode(crate::encode::ToJson::to_json(self).as_bytes())
    }

    /// Expiry (unix seconds) carried in the salt.
    pub fn expires(&self) -> Option<u64> {
        salt_expires(&self.salt)
    }

    /// When the challenge was issued (unix milliseconds), for challenges made
    /// by [`create_issued_challenge`].
    pub fn issued_ms(&self) -> Option<u64> {
        salt_param(&self.salt, "issued")
    }

    /// What spends this payload: the challenge, i.e. what the HMAC signed (in
    /// its canonical spelling, checked by [`verify_payload`]), not the text the
    /// client sent. One challenge, one comment.
    pub fn spend_key(&self) -> &str {
        &self.challenge
    }
}

/// Why a payload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PowError {
    /// Not base64, not JSON of the payload's shape, or too long.
    Malformed(String),
    /// An algorithm other than [`ALGORITHM`].
    Algorithm,
    /// The signature was not made by this key for this challenge.
    Signature,
    /// The number does not solve the challenge (or the salt was changed).
    Number,
    /// The salt carries no `expires=` parameter, or is not terminated by `&`.
    NoExpiry,
    /// The challenge expired at the given unix second.
    Expired { expired_at: u64 },
    /// `challenge` or `signature` is not in its one canonical spelling (64
    /// lowercase hex digits), so the payload could be re-spelled into "new" ones.
    NotCanonical(&'static str),
}

impl fmt::Display for PowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PowError::Malformed(m) => write!(f, "malformed payload: {m}"),
            PowError::Algorithm => write!(f, "unsupported algorithm, expected {ALGORITHM}"),
            PowError::Signature => f.write_str("the signature does not match the challenge"),
            PowError::Number => f.write_str("the number does not solve the challenge"),
            PowError::NoExpiry => f.write_str("the salt carries no expiry"),
            PowError::Expired { expired_at } => {
                write!(f, "the challenge expired at {expired_at} (unix seconds)")
            }
            PowError::NotCanonical(field) => {
                write!(f, "{field} must be 64 lowercase hex digits")
            }
        }
    }
}

impl std::error::Error for PowError {}

/// Creates a challenge signed with `key`.
///
/// `salt_random` becomes the hex start of the salt (12 to 32 bytes is plenty);
/// `secret_number` is reduced into `0..=maxnumber`; `expires_at` is a unix
/// second. All three come from the caller, who owns the clock and the RNG.
pub fn create_challenge(
    key: &[u8],
    maxnumber: u64,
    expires_at: u64,
    salt_random: &[u8],
    secret_number: u64,
) -> Challenge {
    let salt = format!("{}?expires={expires_at}&", hex(salt_random));
    let number = secret_number % maxnumber.saturating_add(1).max(1);
    let challenge = hash_hex(&salt, number);
    let signature = sign(key, &challenge);
    Challenge {
        algorithm: ALGORITHM.to_owned(),
        challenge,
        maxnumber,
        salt,
        signature,
    }
}

/// [`create_challenge`] that also records when it was issued
/// (`issued_ms`, unix milliseconds) in the salt, as `&issued=<ms>` after the
/// expiry. The salt is bound to the signature (through the challenge), so the
/// server can later measure, by its own clock, how long the reader took
/// ([`Payload::issued_ms`]).
pub fn create_issued_challenge(
    key: &[u8],
    maxnumber: u64,
    expires_at: u64,
    issued_ms: u64,
    salt_random: &[u8],
    secret_number: u64,
) -> Challenge {
    let salt = format!(
        "{}?expires={expires_at}&issued={issued_ms}&",
        hex(salt_random)
    );
    let number = secret_number % maxnumber.saturating_add(1).max(1);
    let challenge = hash_hex(&salt, number);
    let signature = sign(key, &challenge);
    Challenge {
        algorithm: ALGORITHM.to_owned(),
        challenge,
        maxnumber,
        salt,
        signature,
    }
}

/// Checks a base64 payload against `key` at unix second `now`. Returns the
/// decoded payload; [`Payload::spend_key`] identifies it, to refuse a replay
/// until [`Payload::expires`].
///
/// Only the canonical spelling is accepted: `challenge` and `signature` must
/// be 64 lowercase hex digits (what [`create_challenge`] issues). Everything
/// else a client could vary (the base64 alphabet or padding, the JSON's
/// spacing, key order, `took`, unknown keys) leaves the challenge the same, so
/// a payload spent under its challenge stays spent however it is re-spelled.
pub fn verify_payload(key: &[u8], payload: &str, now: u64) -> Result<Payload, PowError> {
    if payload.len() > crate::limits::CAPTCHA_PAYLOAD_MAX_BYTES {
        return Err(PowError::Malformed("too long".into()));
    }
    let json =
        base64_decode(payload.trim()).ok_or_else(|| PowError::Malformed("not base64".into()))?;
    let p: Payload =
        serde_json::from_slice(&json).map_err(|e| PowError::Malformed(e.to_string()))?;
    if p.algorithm != ALGORITHM {
        return Err(PowError::Algorithm);
    }
    if !is_canonical_hex(&p.signature) {
        return Err(PowError::NotCanonical("signature"));
    }
    if !is_canonical_hex(&p.challenge) {
        return Err(PowError::NotCanonical("challenge"));
    }
    let signature = unhex(&p.signature).ok_or(PowError::Signature)?;
    let mut mac = new_mac(key);
    mac.update(p.challenge.as_bytes());
    // Constant time.
    mac.verify_slice(&signature)
        .map_err(|_| PowError::Signature)?;
    let expected = Sha256::new()
        .chain_update(p.salt.as_bytes())
        .chain_update(p.number.to_string().as_bytes())
        .finalize();
    let given = unhex(&p.challenge).ok_or(PowError::Number)?;
    if !ct_eq(&expected, &given) {
        return Err(PowError::Number);
    }
    let expires = salt_expires(&p.salt).ok_or(PowError::NoExpiry)?;
    if now > expires {
        return Err(PowError::Expired {
            expired_at: expires,
        });
    }
    Ok(p)
}

/// Finds the number in `0..=maxnumber` that solves `challenge` for `salt`.
pub fn solve(challenge: &str, salt: &str, maxnumber: u64) -> Option<u64> {
    solve_range(challenge, salt, 0, maxnumber.saturating_add(1))
}

/// Tries the numbers `start..end` only, so a UI thread can solve in slices.
pub fn solve_range(challenge: &str, salt: &str, start: u64, end: u64) -> Option<u64> {
    let target: [u8; 32] = unhex(challenge)?.try_into().ok()?;
    // The hot loop of the browser's solver, so SHA-256 is driven by hand: the
    // salt's whole 64-byte blocks are hashed once, and each number costs one
    // or two calls of the block function on a buffer padded in place, with no
    // hasher state to clone and no digest to serialize. `hash_hex` (the
    // server's side) is the reference it is tested against.
    let mut target_words = [0u32; 8];
    for (w, chunk) in target_words.iter_mut().zip(target.chunks_exact(4)) {
        *w = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    let salt = salt.as_bytes();
    let whole = salt.len() / 64 * 64;
    let mut midstate = SHA256_H0;
    for block in salt[..whole].chunks_exact(64) {
        sha2::compress256(&mut midstate, &[*GenericArray::from_slice(block)]);
    }
    let tail = &salt[whole..];
    let mut blocks = [0u8; 128];
    blocks[..tail.len()].copy_from_slice(tail);
    let mut buf = [0u8; 20];
    (start..end).find(|&n| {
        let digits = decimal(n, &mut buf);
        let len = tail.len() + digits.len();
        blocks[tail.len()..len].copy_from_slice(digits);
        // Padding: 0x80, zeros, then the message length in bits (big-endian)
        // at the end of the last block; one block when it fits, else two.
        let used = if len + 9 <= 64 { 64 } else { 128 };
        blocks[len] = 0x80;
        blocks[len + 1..used - 8].fill(0);
        blocks[used - 8..used]
            .copy_from_slice(&((salt.len() + digits.len()) as u64 * 8).to_be_bytes());
        let mut state = midstate;
        sha2::compress256(&mut state, &[*GenericArray::from_slice(&blocks[..64])]);
        if used == 128 {
            sha2::compress256(&mut state, &[*GenericArray::from_slice(&blocks[64..])]);
        }
        state == target_words
    })
}

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const SHA256_H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// `hex(SHA-256(salt + number))`.
pub fn hash_hex(salt: &str, number: u64) -> String {
    let mut buf = [0u8; 20];
    hex(&Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update(decimal(number, &mut buf))
        .finalize())
}

/// `hex(HMAC-SHA-256(key, challenge))`.
pub fn sign(key: &[u8], challenge: &str) -> String {
    let mut mac = new_mac(key);
    mac.update(challenge.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// The `expires` parameter of a salt such as `abc?expires=1700000000&`.
/// `None` unless the salt has a `?`, ends with `&` and carries a decimal expiry.
pub fn salt_expires(salt: &str) -> Option<u64> {
    salt_param(salt, "expires")
}

/// The decimal parameter `name` of a salt such as `abc?expires=1&issued=2&`.
fn salt_param(salt: &str, name: &str) -> Option<u64> {
    let (_, params) = salt.split_once('?')?;
    let params = params.strip_suffix('&')?;
    params.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        if k != name || v.is_empty() || v.len() > 20 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v.parse().ok()
    })
}

/// 64 lowercase hex digits: a SHA-256 as this module spells it.
fn is_canonical_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Compares without an early exit (the length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Decodes hex of either case; `None` for odd length or another character.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding (what the browser's `btoa` produces).
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard or URL-safe base64, padded or not. `None` on anything else.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding, or the text was not canonical.
    if acc != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test-key";
    const SALT: &str = "a1b2c3d4e5f6a7b8c9d0e1f2?expires=1700000600&";
    // Computed independently (Python hashlib/hmac/base64).
    const CHALLENGE: &str = "c0dd3b7ffbcf060b5046bc4945dec0eed73aec94d810100d1a49be3b4e95d962";
    const SIGNATURE: &str = "08164ee43967b362340283e3791f91fa0690d5e5bb937825a626d1eab57dbc84";
    const PAYLOAD: &str = "eyJhbGdvcml0aG0iOiJTSEEtMjU2IiwiY2hhbGxlbmdlIjoiYzBkZDNiN2ZmYmNmMDYwYjUwNDZiYzQ5NDVkZWMwZWVkNzNhZWM5NGQ4MTAxMDBkMWE0OWJlM2I0ZTk1ZDk2MiIsIm51bWJlciI6NDI0Miwic2FsdCI6ImExYjJjM2Q0ZTVmNmE3YjhjOWQwZTFmMj9leHBpcmVzPTE3MDAwMDA2MDAmIiwic2lnbmF0dXJlIjoiMDgxNjRlZTQzOTY3YjM2MjM0MDI4M2UzNzkxZjkxZmEwNjkwZDVlNWJiOTM3ODI1YTYyNmQxZWFiNTdkYmM4NCIsInRvb2siOjEyfQ==";
    const NOW: u64 = 1_700_000_000;

    fn reference() -> Payload {
        Payload {
            algorithm: ALGORITHM.into(),
            challenge: CHALLENGE.into(),
            number: 4242,
            salt: SALT.into(),
            signature: SIGNATURE.into(),
            took: 12,
        }
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")), // FIPS 180-2, appendix B.1
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hash_hex("ab", 3), // SHA-256("ab3")
            "c4bba1914e2444a5051c12903e945fa6e83072eabb34ec29ebab9d2442c1ac91"
        );
        // RFC 4231, test case 2.
        let mut mac = new_mac(b"Jefe");
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(hash_hex(SALT, 4242), CHALLENGE);
        assert_eq!(sign(KEY, CHALLENGE), SIGNATURE);
        assert_eq!(reference().encode(), PAYLOAD);
        let c = create_challenge(
            KEY,
            100_000,
            1_700_000_600,
            &unhex("a1b2c3d4e5f6a7b8c9d0e1f2").unwrap(),
            4242,
        );
        assert_eq!(c.salt, SALT);
        assert_eq!(c.challenge, CHALLENGE);
        assert_eq!(c.signature, SIGNATURE);
        assert_eq!(c.maxnumber, 100_000);
    }

    #[test]
    fn reference_payload_verifies_and_solves() {
        assert_eq!(verify_payload(KEY, PAYLOAD, NOW), Ok(reference()));
        assert_eq!(solve(CHALLENGE, SALT, 100_000), Some(4242));
        assert_eq!(solve(CHALLENGE, SALT, 4241), None);
        assert_eq!(solve_range(CHALLENGE, SALT, 4000, 4243), Some(4242));
        assert_eq!(solve_range(CHALLENGE, SALT, 4243, 9000), None);
        assert_eq!(solve("zz", SALT, 10), None);
    }

    #[test]
    fn solve_range_agrees_with_the_reference_hash_for_every_salt_length() {
        // Salt lengths around every padding boundary (one block, two blocks,
        // whole salt blocks hashed ahead) and numbers of 1 to 7 digits.
        for salt_len in (0..=140).chain([191, 192, 200]) {
            let salt: String = (0..salt_len)
                .map(|i| (b'a' + (i % 26) as u8) as char)
                .collect();
            for number in [0, 7, 42, 999, 12_345, 654_321, 9_999_999] {
                let challenge = hash_hex(&salt, number);
                let from = number.saturating_sub(3);
                assert_eq!(
                    solve_range(&challenge, &salt, from, number + 3),
                    Some(number),
                    "salt of {salt_len} bytes, number {number}"
                );
                assert_eq!(
                    solve_range(&challenge, &salt, number + 1, number + 50),
                    None
                );
            }
        }
    }

    #[test]
    fn round_trip_with_solver() {
        let c = create_challenge(KEY, 5_000, NOW + 60, &[7; 12], 123_456_789);
        let n = solve(&c.challenge, &c.salt, c.maxnumber).expect("solvable");
        assert!(n <= 5_000);
        let p = Payload::new(&c, n, 3).encode();
        let ok = verify_payload(KEY, &p, NOW).unwrap();
        assert_eq!(ok.expires(), Some(NOW + 60));
        assert_eq!(ok.signature, c.signature);
    }

    #[test]
    fn wrong_key_or_signature_is_refused() {
        assert_eq!(
            verify_payload(b"other-key", PAYLOAD, NOW),
            Err(PowError::Signature)
        );
        let mut p = reference();
        p.signature = format!("{}00", &SIGNATURE[..62]);
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::Signature)
        );
        p.signature = "not hex".into();
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::NotCanonical("signature"))
        );
    }

    #[test]
    fn only_the_canonical_spelling_is_accepted() {
        // The probe: the same payload with the signature upper-cased.
        let mut p = reference();
        p.signature = SIGNATURE.to_uppercase();
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::NotCanonical("signature"))
        );
        // One letter is enough.
        let mut p = reference();
        p.signature = SIGNATURE.replacen('e', "E", 1);
        assert!(verify_payload(KEY, &p.encode(), NOW).is_err());
        let mut p = reference();
        p.challenge = CHALLENGE.to_uppercase();
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::NotCanonical("challenge"))
        );
        // Other spellings of the same payload verify, and spend the same key.
        let json = serde_json::to_string(&reference()).unwrap();
        let spaced = json
            .replace(',', " , ")
            .replace("\"took\":12", "\"took\":999");
        let url_safe = base64_encode(spaced.as_bytes())
            .replace('+', "-")
            .replace('/', "_")
            .trim_end_matches('=')
            .to_owned();
        let a = verify_payload(KEY, PAYLOAD, NOW).unwrap();
        let b = verify_payload(KEY, &url_safe, NOW).unwrap();
        assert_eq!(a.spend_key(), b.spend_key());
        assert_eq!(a.spend_key(), CHALLENGE);
    }

    #[test]
    fn issued_challenges_carry_their_time() {
        let c = create_issued_challenge(KEY, 1_000, NOW + 60, 1_700_000_000_123, &[9; 12], 5);
        assert!(
            c.salt
                .ends_with("?expires=1700000060&issued=1700000000123&"),
            "{}",
            c.salt
        );
        let n = solve(&c.challenge, &c.salt, c.maxnumber).unwrap();
        let p = verify_payload(KEY, &Payload::new(&c, n, 1).encode(), NOW).unwrap();
        assert_eq!(p.issued_ms(), Some(1_700_000_000_123));
        assert_eq!(p.expires(), Some(NOW + 60));
        // Moving the time changes the salt, so the number no longer solves it.
        let mut forged = Payload::new(&c, n, 1);
        forged.salt = forged.salt.replace("issued=17", "issued=16");
        assert_eq!(
            verify_payload(KEY, &forged.encode(), NOW),
            Err(PowError::Number)
        );
        assert_eq!(reference().issued_ms(), None);
    }

    #[test]
    fn expired_is_refused() {
        assert!(verify_payload(KEY, PAYLOAD, 1_700_000_600).is_ok());
        assert_eq!(
            verify_payload(KEY, PAYLOAD, 1_700_000_601),
            Err(PowError::Expired {
                expired_at: 1_700_000_600
            })
        );
    }

    #[test]
    fn tampered_number_salt_or_challenge_is_refused() {
        let mut p = reference();
        p.number = 4243;
        assert_eq!(verify_payload(KEY, &p.encode(), NOW), Err(PowError::Number));
        // Moving the expiry: the salt changes, so the hash no longer matches.
        let mut p = reference();
        p.salt = SALT.replace("1700000600", "1800000600");
        assert_eq!(verify_payload(KEY, &p.encode(), NOW), Err(PowError::Number));
        // A different challenge needs a signature the client cannot make.
        let mut p = reference();
        p.challenge = hash_hex(SALT, 1);
        p.number = 1;
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::Signature)
        );
        let mut p = reference();
        p.algorithm = "SHA-1".into();
        assert_eq!(
            verify_payload(KEY, &p.encode(), NOW),
            Err(PowError::Algorithm)
        );
    }

    #[test]
    fn salt_without_expiry_or_terminator_is_refused() {
        for salt in ["abc", "abc?expires=1700000600", "abc?expires=&", "abc?x=1&"] {
            assert_eq!(salt_expires(salt), None, "{salt}");
            let number = 1;
            let challenge = hash_hex(salt, number);
            let p = Payload {
                algorithm: ALGORITHM.into(),
                signature: sign(KEY, &challenge),
                challenge,
                number,
                salt: salt.into(),
                took: 0,
            };
            assert_eq!(
                verify_payload(KEY, &p.encode(), NOW),
                Err(PowError::NoExpiry)
            );
        }
        assert_eq!(salt_expires("abc?a=b&expires=42&"), Some(42));
    }

    #[test]
    fn malformed_payloads_are_refused() {
        for bad in [
            "",
            "!!!!",
            "bm90IGpzb24=",
            &base64_encode(b"{\"number\":1}"),
        ] {
            assert!(
                matches!(verify_payload(KEY, bad, NOW), Err(PowError::Malformed(_))),
                "{bad}"
            );
        }
        let long = "A".repeat(crate::limits::CAPTCHA_PAYLOAD_MAX_BYTES + 4);
        assert!(matches!(
            verify_payload(KEY, &long, NOW),
            Err(PowError::Malformed(_))
        ));
    }

    #[test]
    fn base64_round_trips_and_matches_reference() {
        assert_eq!(base64_encode(b"hello world!?"), "aGVsbG8gd29ybGQhPw==");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_encode(b""), "");
        for len in 0..40u8 {
            let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
            let e = base64_encode(&data);
            assert_eq!(base64_decode(&e).as_deref(), Some(&data[..]));
            assert_eq!(
                base64_decode(e.trim_end_matches('=')).as_deref(),
                Some(&data[..])
            );
        }
        assert_eq!(base64_decode("_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(base64_decode("A"), None);
        assert_eq!(base64_decode("YW*="), None);
        assert_eq!(base64_decode("YWJ="), None); // non-zero padding bits
    }

    #[test]
    fn ct_eq_and_hex() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert_eq!(unhex("0aFf"), Some(vec![10, 255]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("0g"), None);
        assert_eq!(hex(&[0, 171]), "00ab");
    }
}
