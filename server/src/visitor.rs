//! Visitor credentials on the server's side: the key they are signed with,
//! where a request carries one (the `visitor` field or `?visitor=`, else the
//! `bantin_visitor` cookie), issuing and renewing them, the cookie that keeps
//! them for readers without localStorage, and the daily caps per client
//! network. The token's format is `bantin_protocol::credential`.

use crate::error::Failure;
use crate::extract::client_ip;
use crate::store::Quota;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use bantin_protocol::api::codes;
use bantin_protocol::credential::{Credential, CredentialError};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The cookie that carries the credential (`HttpOnly`: page scripts never see it).
pub const COOKIE: &str = "bantin_visitor";

/// Quota kinds in the `quotas` table.
pub mod kind {
    /// New credentials issued to a network (subject: empty).
    pub const VISITOR: &str = "visitor";
    /// New votes from a network on one article (subject: the article id).
    pub const VOTE: &str = "vote";
    /// Counted visits of one credential (subject: its id; network: empty).
    pub const VISIT: &str = "visit";
    /// Counted views of one article by one credential (subject: the article
    /// id; network: the credential's id).
    pub const VIEW: &str = "view";
    /// New comment likes from a network on one article (subject: the article id).
    pub const LIKE: &str = "like";
}

const DAY: i64 = 86_400;

/// The key credentials are signed with, derived from the server's HMAC key
/// (the captcha key), so one secret serves both and neither signature can
/// stand in for the other.
pub fn derive_key(hmac_key: &[u8]) -> Vec<u8> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(hmac_key).expect("HMAC accepts keys of any length");
    mac.update(b"bantin visitor credential key v1");
    mac.finalize().into_bytes().to_vec()
}

/// The day a cap counts in: days since the epoch, UTC.
pub fn day_of(now: i64) -> i64 {
    now.div_euclid(DAY)
}

/// Seconds until the caps of `now`'s day reset (midnight UTC), at least 1.
pub fn until_next_day(now: i64) -> u64 {
    (DAY - now.rem_euclid(DAY)).max(1) as u64
}

/// A client network as stored with caps and presence: the IPv4 address, or
/// the IPv6 /64 (`2001:db8:1:2::/64`).
pub fn network_key(ip: IpAddr) -> String {
    match crate::ratelimit::network(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("{v6}/64"),
    }
}

/// A reporter's network, wider than [`network_key`]: an IPv4 /24
/// (`203.0.113.0/24`) or an IPv6 /48. One subscriber or one rented server
/// often holds several addresses of one /24 (or /64s of one /48); reports
/// from those must count toward hiding a comment as one.
pub fn report_network(ip: IpAddr) -> String {
    match crate::ratelimit::network(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let wide = std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 80) - 1));
            format!("{wide}/48")
        }
    }
}

/// The `429 network_cap_reached` answer.
pub fn cap_reached(what: &str, now: i64) -> Failure {
    let mut f = Failure::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::NETWORK_CAP_REACHED,
        format!("{what} from this network today; the caps reset at midnight UTC"),
    );
    f.retry_after = Some(until_next_day(now));
    f
}

fn unauthorized(code: &'static str, message: String) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, code, message)
}

/// A token given explicitly (body or `?visitor=`), judged: `401
/// visitor_invalid` or `visitor_expired` when it is not a valid credential.
pub fn verify(state: &AppState, field: &str, token: &str, now: i64) -> Result<Credential, Failure> {
    Credential::verify(&state.visitor_key, token, now.max(0) as u64).map_err(|e| match e {
        CredentialError::Expired { .. } => unauthorized(
            codes::VISITOR_EXPIRED,
            format!("{field}: the visitor credential {e}; get a new one (POST /api/v1/visitors)"),
        ),
        e => unauthorized(
            codes::VISITOR_INVALID,
            format!("{field}: {e}; get one from POST /api/v1/visitors"),
        ),
    })
}

/// What a request brings for the visitor credential, besides the body.
pub struct VisitorContext {
    pub ip: IpAddr,
    /// [`network_key`] of `ip`.
    pub network: String,
    /// Every `bantin_visitor` cookie value sent (a browser may send a
    /// partitioned and an unpartitioned one).
    cookies: Vec<String>,
    /// Whether the request came from a secure page or over HTTPS.
    secure: bool,
    /// Whether the page is on another origin than the API (`Origin` neither
    /// the server's own nor absent).
    cross_origin: bool,
}

/// A credential in use for this request.
pub struct InUse {
    pub credential: Credential,
    /// The token the client should hold after this request.
    pub token: String,
    /// True when `token` is not what the request sent in its body or query
    /// (new, renewed, or taken from the cookie): the answer hands it over.
    pub hand_over: bool,
    /// True when the request did not carry `token` in a cookie: the answer
    /// sets the cookie.
    pub set_cookie: bool,
    /// True for a credential issued by this request.
    pub fresh: bool,
    /// For a fresh one: the network's daily quota of new credentials, still
    /// to be taken ([`take_issue_quota`], or with the visit it comes with, in
    /// one transaction); over it the credential must not be handed out.
    pub issue_quota: Option<Quota>,
}

/// Takes a fresh credential's issue quota; `429 network_cap_reached` when
/// the network has had its credentials for the day.
pub async fn take_issue_quota(state: &AppState, u: &mut InUse, now: i64) -> Result<(), Failure> {
    if let Some(quota) = u.issue_quota.take() {
        if !state.store.take_quota(quota.clone()).await? {
            return Err(issue_refused(&quota, now));
        }
    }
    Ok(())
}

/// The answer when `quota` (the issue quota of a network) is full.
pub fn issue_refused(quota: &Quota, now: i64) -> Failure {
    tracing::info!(network = %quota.network, "visitor credential refused: network cap");
    cap_reached(
        &format!("{} new visitor credentials were issued", quota.cap),
        now,
    )
}

impl InUse {
    /// Its id as stored (votes, presence, sessions).
    pub fn id(&self) -> String {
        self.credential.id_hex()
    }
}

impl VisitorContext {
    /// The first cookie that is a valid credential.
    fn valid_cookie(&self, state: &AppState, now: i64) -> Option<(Credential, String)> {
        self.cookies.iter().find_map(|t| {
            Credential::verify(&state.visitor_key, t, now.max(0) as u64)
                .ok()
                .map(|c| (c, t.clone()))
        })
    }

    fn has_cookie(&self, token: &str) -> bool {
        self.cookies.iter().any(|c| c == token)
    }

    fn in_use(&self, credential: Credential, token: String, given: &str) -> InUse {
        InUse {
            hand_over: token != given,
            set_cookie: !self.has_cookie(&token),
            credential,
            token,
            fresh: false,
            issue_quota: None,
        }
    }

    /// The credential of a write that must have one: `given` (the body's
    /// `visitor`) when not empty, judged strictly; else a valid cookie; else
    /// `401 visitor_required`.
    pub fn required(&self, state: &AppState, given: &str, now: i64) -> Result<InUse, Failure> {
        match self.optional(state, "visitor", given, now)? {
            Some(u) => Ok(u),
            None => Err(unauthorized(
                codes::VISITOR_REQUIRED,
                "visitor: a visitor credential is required; get one from POST /api/v1/visitors"
                    .into(),
            )),
        }
    }

    /// `given` when not empty (judged strictly: `401 visitor_*`), else a valid
    /// cookie, else `None`.
    pub fn optional(
        &self,
        state: &AppState,
        field: &str,
        given: &str,
        now: i64,
    ) -> Result<Option<InUse>, Failure> {
        if !given.is_empty() {
            let c = verify(state, field, given, now)?;
            return Ok(Some(self.in_use(c, given.to_owned(), given)));
        }
        Ok(self
            .valid_cookie(state, now)
            .map(|(c, t)| self.in_use(c, t, given)))
    }

    /// The credential of a visit or of `POST /visitors`: the one presented
    /// (see [`Self::optional`]; with `lenient`, a bad `given` falls back to
    /// the cookie instead of a 401), renewed when more than half its lifetime
    /// passed; or a new one, whose [`InUse::issue_quota`] the caller must take.
    pub fn presented_or_new(
        &self,
        state: &AppState,
        given: &str,
        lenient: bool,
        now: i64,
    ) -> Result<InUse, Failure> {
        let presented = match self.optional(state, "visitor", given, now) {
            Ok(p) => p,
            Err(_) if lenient => self.optional(state, "visitor", "", now)?,
            Err(e) => return Err(e),
        };
        if let Some(mut u) = presented {
            if u.credential.renewal_due(now.max(0) as u64) {
                let renewed = self.sign(state, u.credential.id, now);
                u.token = renewed.encode();
                u.credential = renewed;
                u.hand_over = true;
                u.set_cookie = true;
            }
            return Ok(u);
        }
        self.new_credential(state, given, now)
    }

    /// A new credential for this network, with its issue quota to take.
    fn new_credential(&self, state: &AppState, given: &str, now: i64) -> Result<InUse, Failure> {
        let cap = state.config.visitors_per_network;
        let issue_quota = (cap > 0).then(|| Quota {
            kind: kind::VISITOR,
            subject: String::new(),
            network: self.network.clone(),
            day: day_of(now),
            cap,
        });
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| Failure::internal(format!("randomness: {e}")))?;
        let credential = self.sign(state, id, now);
        let token = credential.encode();
        Ok(InUse {
            hand_over: token != given,
            set_cookie: true,
            credential,
            token,
            fresh: true,
            issue_quota,
        })
    }

    fn sign(&self, state: &AppState, id: [u8; 16], now: i64) -> Credential {
        let now = now.max(0) as u64;
        Credential::issue(
            &state.visitor_key,
            id,
            now,
            now + state.config.visitor_ttl.as_secs(),
        )
    }

    /// The `Set-Cookie` for `u`, when the server sets cookies and the request
    /// did not already carry it. Same-site pages get `SameSite=Lax`; a page
    /// of another origin served over HTTPS gets `SameSite=None; Secure;
    /// Partitioned` (a third-party cookie kept per top-level site, where the
    /// browser keeps such cookies at all).
    pub fn set_cookie(&self, state: &AppState, u: &InUse, now: i64) -> Option<HeaderValue> {
        if !state.config.visitor_cookie || !u.set_cookie {
            return None;
        }
        let max_age = (i64::from(u.credential.expires) - now).max(0);
        let attributes = if self.cross_origin && self.secure {
            "; Secure; SameSite=None; Partitioned"
        } else if self.secure {
            "; Secure; SameSite=Lax"
        } else {
            "; SameSite=Lax"
        };
        HeaderValue::from_str(&format!(
            "{COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly{attributes}",
            u.token
        ))
        .ok()
    }
}

/// The `bantin_visitor` values of the `Cookie` headers.
fn cookie_values(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name.trim() == COOKIE).then(|| value.trim().trim_matches('"').to_owned())
        })
        .filter(|v| !v.is_empty() && v.len() <= 256)
        .take(4)
        .collect()
}

impl FromRequestParts<Arc<AppState>> for VisitorContext {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Failure> {
        let ip = client_ip(&state.config, parts);
        let peer_trusted = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(a)| state.config.is_trusted_proxy(a.ip()));
        let origin = parts
            .headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|o| *o != "null");
        let forwarded_https = peer_trusted
            && parts
                .headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        let secure = forwarded_https
            || origin.is_some_and(|o| o.to_ascii_lowercase().starts_with("https://"));
        let public_url = state.config.public_url.as_deref();
        let cross_origin = origin
            .is_some_and(|o| !crate::is_own_origin_of(&parts.headers, peer_trusted, public_url, o));
        Ok(VisitorContext {
            ip,
            network: network_key(ip),
            cookies: cookie_values(&parts.headers),
            secure,
            cross_origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_days() {
        assert_eq!(network_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(
            network_key("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
        assert_eq!(
            network_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        let report = |ip: &str| report_network(ip.parse().unwrap());
        assert_eq!(report("203.0.113.7"), "203.0.113.0/24");
        assert_eq!(report("::ffff:203.0.113.250"), "203.0.113.0/24");
        assert_eq!(report("2001:db8:1:2:aaaa::1"), "2001:db8:1::/48");
        assert_ne!(report("2001:db8:1::1"), report("2001:db8:2::1"));
        assert_eq!(day_of(86_399), 0);
        assert_eq!(day_of(86_400), 1);
        assert_eq!(until_next_day(86_400), 86_400);
        assert_eq!(until_next_day(86_399), 1);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            "a=1; bantin_visitor=tok1 ; b=2".parse().unwrap(),
        );
        h.append(header::COOKIE, "bantin_visitor=\"tok2\"".parse().unwrap());
        h.append(header::COOKIE, "bantin_visitorx=no; =; x".parse().unwrap());
        assert_eq!(cookie_values(&h), ["tok1", "tok2"]);
    }

    #[test]
    fn the_derived_key_differs_from_the_key() {
        let k = derive_key(b"0123456789abcdef");
        assert_eq!(k.len(), 32);
        assert_ne!(&k[..16], b"0123456789abcdef");
    }
}
