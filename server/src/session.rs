//! Editors' sessions: the [`Editor`] extractor (session cookie with its CSRF
//! token on every change, or the bearer token acting as an admin), the
//! cookie itself, and the throttle of failed sign-ins per account and per
//! client network (in memory, per instance).
//!
//! The cookie holds 32 random bytes (hex); the database holds only their
//! SHA-256, so a copy of the database signs nobody in. A new id is made at
//! every sign-in; a value the client brings is never adopted.

use crate::error::Failure;
use crate::extract::Admin;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use bantin_protocol::admin::{codes, Role, CSRF_HEADER, SESSION_COOKIE};
use bantin_protocol::api::codes as api_codes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Who acts: an account, or `token` for the bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub name: String,
    pub role: Role,
    /// The session's CSRF token and end (none for the bearer token).
    pub session: Option<(String, i64)>,
}

impl Editor {
    pub fn require_admin(&self) -> Result<(), Failure> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Failure::new(
                StatusCode::FORBIDDEN,
                codes::FORBIDDEN,
                "this needs an admin account",
            ))
        }
    }
}

pub fn random_hex(bytes: usize) -> Result<String, Failure> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| Failure::internal(format!("randomness: {e}")))?;
    Ok(crate::hex(&b))
}

pub fn id_hash(id: &str) -> String {
    crate::hex(&crate::sha256(id.as_bytes()))
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// Whether the console is reached over https: `--public-url` says so, or a
/// trusted proxy's `X-Forwarded-Proto`.
fn over_https(state: &AppState, parts: &Parts) -> bool {
    if state
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
    {
        return true;
    }
    let peer_trusted = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|axum::extract::ConnectInfo(a)| state.config.is_trusted_proxy(a.ip()));
    peer_trusted
        && parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// Whether the request came over https ([`over_https`]).
pub struct Https(pub bool);

impl FromRequestParts<Arc<AppState>> for Https {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Failure> {
        Ok(Https(over_https(state, parts)))
    }
}

/// `Set-Cookie` for the session id (`None`: clears it).
pub fn set_cookie(state: &AppState, https: bool, id: Option<&str>) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let v = match id {
        Some(id) => format!(
            "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            state.config.session_max.as_secs()
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("bantin_session="))
}

/// When a session seen at `last_seen`, created at `created_at`, ends.
pub fn expires_at(state: &AppState, created_at: i64, last_seen: i64) -> i64 {
    let idle = state.config.session_idle.as_secs() as i64;
    let max = state.config.session_max.as_secs() as i64;
    (last_seen + idle).min(created_at + max)
}

fn unauthorized(message: &str) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, api_codes::UNAUTHORIZED, message)
}

impl FromRequestParts<Arc<AppState>> for Editor {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Failure> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            if state.admin_token_hash.is_none() {
                return Err(unauthorized(
                    "no bearer token is configured (--admin-token)",
                ));
            }
            Admin::from_request_parts(parts, state).await?;
            return Ok(Editor {
                name: "token".into(),
                role: Role::Admin,
                session: None,
            });
        }
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE).filter(|v| !v.is_empty()) else {
            return Err(unauthorized("sign in first (POST /api/v1/admin/session)"));
        };
        let hash = id_hash(id);
        let Some(s) = state.store.session(&hash).await? else {
            return Err(unauthorized(
                "the session is unknown or ended; sign in again",
            ));
        };
        let now = crate::now_secs();
        let ends = expires_at(state, s.created_at, s.last_seen);
        if now >= ends {
            state.store.delete_session(&hash).await?;
            return Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                codes::SESSION_EXPIRED,
                "the session expired; sign in again",
            ));
        }
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let given = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if given.is_empty() || !bantin_protocol::pow::ct_eq(given.as_bytes(), s.csrf.as_bytes())
            {
                tracing::warn!(account = %s.account, "console change without the session's CSRF token");
                return Err(Failure::new(
                    StatusCode::FORBIDDEN,
                    codes::CSRF_INVALID,
                    format!("a change needs the session's token in the `{CSRF_HEADER}` header"),
                ));
            }
        }
        if now > s.last_seen {
            state.store.touch_session(&hash, now).await?;
        }
        Ok(Editor {
            name: s.account,
            role: s.role,
            session: Some((s.csrf, expires_at(state, s.created_at, now))),
        })
    }
}

/// Failed sign-ins per key (`account:NAME`, `network:NET`) in a sliding window.
#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

/// A sign-in attempt counted in advance against each of its keys (see
/// [`SignInThrottle::reserve`]). It stays counted unless
/// [`Attempt::succeeded`] or [`Attempt::give_back`] says otherwise: also
/// when the request is dropped half-way (the client went away during the
/// password check), so guesses that disconnect still count, and their
/// password checks (argon2's memory each) are throttled too.
pub struct Attempt<'a> {
    throttle: &'a SignInThrottle,
    keys: Vec<String>,
    at: Instant,
}

impl Attempt<'_> {
    /// The attempt failed: it stays counted.
    pub fn failed(self) {}

    /// The attempt succeeded: `clear`'s count is cleared, the attempt given
    /// back on the other keys (a success is no failure).
    pub fn succeeded(self, clear: &str) {
        self.throttle.clear(clear);
        self.give_back();
    }

    /// Not counted after all (the server failed before the password was
    /// judged).
    pub fn give_back(self) {
        let mut map = self.throttle.lock();
        for key in &self.keys {
            if let Some(list) = map.get_mut(key) {
                if let Some(i) = list.iter().rposition(|t| *t == self.at) {
                    list.remove(i);
                }
                if list.is_empty() {
                    map.remove(key);
                }
            }
        }
    }
}

impl SignInThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks and counts in one step, under one lock: `Err(seconds)` until
    /// the oldest counted failure leaves the window when `limit` (0 =
    /// unlimited) failures are in any key's window (nothing is counted
    /// then); otherwise the attempt is counted against every key at once,
    /// before the password is checked, so that parallel guesses cannot all
    /// pass the check before the first one is counted.
    pub fn reserve(
        &self,
        keys: &[(&str, u32)],
        window: Duration,
        now: Instant,
    ) -> Result<Attempt<'_>, u64> {
        let mut map = self.lock();
        for (key, limit) in keys {
            if *limit == 0 {
                continue;
            }
            let Some(list) = map.get_mut(*key) else {
                continue;
            };
            list.retain(|t| now.saturating_duration_since(*t) < window);
            if list.len() >= *limit as usize {
                let oldest = list[0];
                let left = window.saturating_sub(now.saturating_duration_since(oldest));
                return Err(left.as_secs().max(1));
            }
        }
        if map.len() > 100_000 {
            map.retain(|_, l| {
                l.last()
                    .is_some_and(|t| now.saturating_duration_since(*t) < window)
            });
        }
        for (key, _) in keys {
            map.entry((*key).to_owned()).or_default().push(now);
        }
        Ok(Attempt {
            throttle: self,
            keys: keys.iter().map(|(k, _)| (*k).to_owned()).collect(),
            at: now,
        })
    }

    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_counts_failures_in_the_window() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        let w = Duration::from_secs(60);
        let keys = [("account:lan", 3), ("network:n", 100)];
        for _ in 0..3 {
            t.reserve(&keys, w, now).unwrap().failed();
        }
        assert_eq!(t.reserve(&keys, w, now).err(), Some(60));
        assert!(t.reserve(&keys, w, now + w).is_ok());
        t.clear("account:lan");
        assert!(t.reserve(&keys, w, now).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_and_successes_give_theirs_back() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        let w = Duration::from_secs(60);
        let keys = [("account:lan", 5), ("network:n", 2)];
        // Two attempts in flight at once fill the address's limit.
        let a = t.reserve(&keys, w, now).unwrap();
        let b = t.reserve(&keys, w, now).unwrap();
        assert!(t.reserve(&keys, w, now).is_err());
        // A success gives its attempt back on the address and clears the
        // account; so does a server failure.
        a.succeeded("account:lan");
        b.give_back();
        assert!(t.lock().is_empty());
        // A dropped attempt (the client went away) stays counted.
        t.reserve(&keys, w, now).unwrap().failed();
        drop(t.reserve(&keys, w, now).unwrap());
        assert!(t.reserve(&keys, w, now).is_err());
        assert_eq!(t.lock()["account:lan"].len(), 2);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; bantin_session=xyz; b=2"),
        );
        assert_eq!(cookie(&h, "bantin_session"), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
