//! Bounded randomized tests of the protocol's parsers (no extra dependency: a
//! seeded xorshift generator, so every run tries the same inputs and a failure
//! names its case). Each parser gets arbitrary bytes and mutations of valid
//! documents: it must never panic, and what it accepts must hold its rules.

use bantin_protocol::api::NewComment;
use bantin_protocol::credential::{Credential, CredentialError, CREDENTIAL_CHARS};
use bantin_protocol::parse_article;
use bantin_protocol::pow::{self, Payload};

/// Runs per parser: enough to cover the shapes, bounded for CI (well under a second).
const CASES: usize = 3_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `seed` with a few bytes changed, inserted or removed, or random bytes.
    fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut v = seed.to_vec();
        if self.below(8) == 0 {
            return (0..self.below(200)).map(|_| self.next() as u8).collect();
        }
        for _ in 0..1 + self.below(4) {
            let at = self.below(v.len() + 1);
            match self.below(4) {
                0 if at < v.len() => v[at] = self.next() as u8,
                1 => {
                    const BYTES: &[u8] = b"{}[]\",:\\09eE.\xc3\xa9\xff";
                    v.insert(at, BYTES[self.below(BYTES.len())])
                }
                2 if at < v.len() => {
                    v.remove(at);
                }
                _ => v.truncate(at),
            }
        }
        v
    }
}

const ARTICLE: &str = r#"{"id":"a-1","title":"Tiêu đề","summary":"s","lang":"vi",
  "published_at":"2022-11-15T14:00:00+07:00","blocks":[{"type":"paragraph","text":"x"},
  {"type":"heading","level":2,"text":"h"},{"type":"image","src":"a.svg","alt":"","width":800,"height":533},
  {"type":"html","html":"<p>x</p>"},{"type":"unknown"}],"rating":{"count":1,"average":4.5},
  "counters":{"total_visits":3,"online":1},"related":[{"title":"t","url":"https://x.vn/a"}]}"#;

#[test]
fn article_parser_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    assert!(parse_article(ARTICLE).is_ok());
    for case in 0..CASES {
        let input = rng.mutate(ARTICLE.as_bytes());
        let text = String::from_utf8_lossy(&input);
        if let Ok(a) = parse_article(&text) {
            assert!(!a.id.is_empty(), "case {case}: {text}");
        }
    }
}

#[test]
fn new_comment_parser_and_rules_never_panic() {
    let seed = r#"{"author":"An","email":"an@example.vn","body":"Hay\r\nlắm","parent_id":4,
        "captcha":"eyJ9","elapsed_ms":5000,"website":"","client_key":"0b6f0c9e-8a43"}"#;
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for case in 0..CASES {
        let input = rng.mutate(seed.as_bytes());
        let Ok(c) = serde_json::from_slice::<NewComment>(&input) else {
            continue;
        };
        let n = c.normalized();
        // Normalizing twice changes nothing more.
        assert_eq!(n.normalized(), n, "case {case}");
        if n.validate().is_ok() {
            assert!(
                !n.author.trim().is_empty() && !n.body.trim().is_empty(),
                "case {case}"
            );
            assert!(n.author.chars().count() <= bantin_protocol::limits::AUTHOR_MAX_CHARS);
            assert!(!n.body.contains('\r'), "case {case}");
        }
    }
}

#[test]
fn captcha_payloads_verify_only_when_untouched() {
    const KEY: &[u8] = b"fuzz-key-0123456789";
    let now = 1_700_000_000;
    let c = pow::create_issued_challenge(KEY, 50, now + 60, 1, &[3; 12], 17);
    let n = pow::solve(&c.challenge, &c.salt, c.maxnumber).unwrap();
    let good = Payload::new(&c, n, 5);
    let json = serde_json::to_vec(&good).unwrap();
    assert!(pow::verify_payload(KEY, &good.encode(), now).is_ok());
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    for case in 0..CASES {
        // Mutate the JSON inside, or the base64 text itself.
        let text = if rng.below(2) == 0 {
            pow::base64_encode(&rng.mutate(&json))
        } else {
            String::from_utf8_lossy(&rng.mutate(good.encode().as_bytes())).into_owned()
        };
        if let Ok(p) = pow::verify_payload(KEY, &text, now) {
            // Whatever else changed, the signed parts did not: it is the same
            // payload, spent under the same key.
            assert_eq!(
                (p.spend_key(), p.number, p.salt.as_str()),
                (good.spend_key(), good.number, good.salt.as_str()),
                "case {case}: {text}"
            );
        }
    }
}

#[test]
fn base64_round_trips_and_never_panics() {
    let mut rng = Rng(0xE703_7ED1_A0B4_28DB);
    for _ in 0..CASES {
        let data: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        assert_eq!(
            pow::base64_decode(&pow::base64_encode(&data)).as_deref(),
            Some(&data[..])
        );
        let junk = rng.mutate(pow::base64_encode(&data).as_bytes());
        if let Some(decoded) = pow::base64_decode(&String::from_utf8_lossy(&junk)) {
            // Canonical: decoding then encoding gives the input back, padding aside.
            let again = pow::base64_encode(&decoded);
            let plain = |s: &str| s.trim_end_matches('=').replace('-', "+").replace('_', "/");
            assert_eq!(plain(&again), plain(&String::from_utf8_lossy(&junk)));
        }
    }
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[test]
fn credentials_round_trip_and_verify_only_under_their_key_and_lifetime() {
    const KEY: &[u8] = b"fuzz-visitor-key-0123456789";
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for case in 0..CASES {
        let mut id = [0u8; 16];
        id.iter_mut().for_each(|b| *b = rng.next() as u8);
        let issued = rng.next() % u64::from(u32::MAX - 1);
        let expires = issued + 1 + rng.next() % (u64::from(u32::MAX) - issued);
        let c = Credential::issue(KEY, id, issued, expires);
        let token = c.encode();
        assert_eq!(token.len(), CREDENTIAL_CHARS, "case {case}");
        assert!(
            token.bytes().all(|b| B64URL.contains(&b)),
            "case {case}: {token}"
        );
        assert_eq!(Credential::parse(&token), Ok(c), "case {case}");
        assert_eq!(
            (u64::from(c.issued), u64::from(c.expires)),
            (issued, expires)
        );
        assert_eq!(
            Credential::verify(KEY, &token, issued),
            Ok(c),
            "case {case}"
        );
        assert_eq!(
            Credential::verify(KEY, &token, expires),
            Err(CredentialError::Expired { expires: c.expires }),
            "case {case}"
        );
        assert_eq!(
            Credential::verify(b"fuzz-visitor-key-0123456788", &token, issued),
            Err(CredentialError::BadSignature),
            "case {case}"
        );
    }
}

#[test]
fn credential_parser_never_panics_and_only_the_untouched_token_verifies() {
    const KEY: &[u8] = b"fuzz-visitor-key-0123456789";
    let now = 1_700_000_000;
    let good = Credential::issue(KEY, [0x5a; 16], now, now + 3_600);
    let token = good.encode();
    let mut rng = Rng(0x9FB2_1C65_1E98_DF25);
    let mut reached_the_mac = 0;
    for case in 0..CASES {
        // Arbitrary bytes and edits, or characters swapped for other
        // base64url characters (these mostly parse: the MAC must refuse them).
        let input = if rng.below(2) == 0 {
            String::from_utf8_lossy(&rng.mutate(token.as_bytes())).into_owned()
        } else {
            let mut t = token.clone().into_bytes();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(t.len());
                t[at] = B64URL[rng.below(B64URL.len())];
            }
            String::from_utf8(t).unwrap()
        };
        if let Ok(c) = Credential::parse(&input) {
            // One spelling per credential.
            assert_eq!(c.encode(), input, "case {case}");
        }
        match Credential::verify(KEY, &input, now) {
            Ok(c) => {
                assert_eq!((&input, c), (&token, good), "case {case}: {input}");
            }
            Err(CredentialError::BadSignature) => reached_the_mac += 1,
            Err(_) => {}
        }
    }
    assert!(reached_the_mac > CASES / 4, "{reached_the_mac}");
}
