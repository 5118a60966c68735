//! Request parsing with precise, contract-shaped refusals (axum's own
//! rejections are plain text).

use crate::error::Failure;
use crate::ratelimit::Class;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use bantin_protocol::api::codes;
use bantin_protocol::article::is_valid_id;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// A JSON body: 415 unless the `Content-Type` is `application/json` (so a
/// browser cannot send it as `text/plain` and skip the CORS preflight), 413
/// when too large, 400 when not a JSON object, 422 naming the field when the
/// object does not fit `T`.
pub struct JsonBody<T>(pub T);

/// `application/json`, with or without parameters (`; charset=utf-8`).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        if !is_json(req.headers()) {
            return Err(Failure::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA_TYPE,
                "the body must be sent as Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(unreadable_body)?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Why a body could not be read: too large (413), stopped coming for longer
/// than the gap the server allows (`RequestBodyTimeoutLayer`: 408, as a body
/// trickled past the request timeout gets), or broken off (400).
fn unreadable_body(e: BytesRejection) -> Failure {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Failure::too_large();
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if err.is::<tower_http::timeout::TimeoutError>() {
            return Failure::request_timeout();
        }
        source = err.source();
    }
    Failure::malformed(format!("could not read the body: {}", e.body_text()))
}

/// A body that may be left empty (then `T::default()`); when not empty,
/// judged as [`JsonBody`].
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        let json = is_json(req.headers());
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(unreadable_body)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBody(T::default()));
        }
        if !json {
            return Err(Failure::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA_TYPE,
                "the body must be sent as Content-Type: application/json",
            ));
        }
        parse_json(&bytes).map(OptionalJsonBody)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    // JSON is UTF-8 (RFC 8259 §8.1), all of it: serde_json checks only the
    // strings it keeps (an unknown field's passed, a known one's was a 422).
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Failure::malformed(format!(
            "the body is not valid JSON: not UTF-8 at byte {}",
            e.valid_up_to()
        )));
    }
    // Syntax first, so a broken document is a 400 even when a type error comes earlier.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(Failure::malformed(format!(
            "the body is not valid JSON: {}",
            describe(&e)
        )));
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(Failure::malformed("the body must be a JSON object"));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = describe(&inner);
        let field = match message.strip_prefix("missing field `") {
            Some(rest) => rest.split('`').next().unwrap_or_default().to_owned(),
            None if path == "." => "(body)".to_owned(),
            None => path,
        };
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            codes::INVALID_FIELD,
            format!("{field}: {message}"),
        )
    })
}

/// serde_json's message without its ` at line 1 column 5` tail.
fn describe(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// `{id}` of an article path, valid as an article id (else 404).
pub struct ArticleId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ArticleId {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        let not_found = || Failure::not_found(codes::ARTICLE_NOT_FOUND, "no such article");
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        if is_valid_id(&id) {
            Ok(ArticleId(id))
        } else {
            Err(not_found())
        }
    }
}

/// `{id}` of a comment path (else 404).
pub struct CommentId(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for CommentId {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        let not_found = || Failure::not_found(codes::COMMENT_NOT_FOUND, "no such comment");
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        match id.parse::<u64>() {
            Ok(n) if n > 0 && id.bytes().all(|b| b.is_ascii_digit()) => Ok(CommentId(n)),
            _ => Err(not_found()),
        }
    }
}

/// `{id}` and `{comment}` of a comment's path: a valid article id (else
/// `404 article_not_found`) and a comment id (else `404 comment_not_found`).
pub struct ArticleComment(pub String, pub u64);

impl<S: Send + Sync> FromRequestParts<S> for ArticleComment {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        let no_article = || Failure::not_found(codes::ARTICLE_NOT_FOUND, "no such article");
        let Path((id, comment)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| no_article())?;
        if !is_valid_id(&id) {
            return Err(no_article());
        }
        match comment.parse::<u64>() {
            Ok(n) if n > 0 && comment.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(ArticleComment(id, n))
            }
            _ => Err(Failure::not_found(
                codes::COMMENT_NOT_FOUND,
                "no such comment",
            )),
        }
    }
}

/// The query string as decoded `(name, value)` pairs.
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A positive integer parameter, `None` when absent or empty.
    pub fn number(&self, name: &str, max: u64) -> Result<Option<u64>, Failure> {
        match self.get(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(n))
                }
                _ => Err(Failure::bad_parameter(
                    name,
                    &format!("must be a whole number from 1 to {max}"),
                )),
            },
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Failure> {
        let raw = parts.uri.query().unwrap_or("");
        let mut pairs = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = percent_decode(k)
                .ok_or_else(|| Failure::bad_parameter(k, "is not valid percent-encoded UTF-8"))?;
            let v = percent_decode(v)
                .ok_or_else(|| Failure::bad_parameter(&k, "is not valid percent-encoded UTF-8"))?;
            pairs.push((k, v));
        }
        Ok(Query(pairs))
    }
}

/// Decodes `%XX` and `+` (form encoding); `None` for bad escapes or non-UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The client's address: the peer's, or, when the peer is one of the
/// `--trusted-proxies`, the rightmost `X-Forwarded-For` entry that is not a
/// trusted proxy itself (the entries to its left are whatever the client sent).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// [`ClientIp`] from a request's parts.
pub fn client_ip(config: &crate::config::Config, parts: &Parts) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| crate::config::canonical_ip(a.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !config.is_trusted_proxy(peer) {
        return peer;
    }
    let mut client = peer;
    let entries = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for entry in entries.iter().rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = crate::config::canonical_ip(ip);
                if !config.is_trusted_proxy(client) {
                    break;
                }
            }
            // Garbage where an address should be: the proxy itself is the client.
            Err(_) => break,
        }
    }
    client
}

impl FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Failure> {
        Ok(ClientIp(client_ip(&state.config, parts)))
    }
}

/// Passes only with `Authorization: Bearer <admin token>`. Without a
/// configured token the admin endpoints do not exist (404). Wrong tokens are
/// throttled per client address (`--rate-admin-failures` a minute): once they
/// are used up, every admin request from there gets 429, the right token too,
/// until the bucket refills.
pub struct Admin;

impl FromRequestParts<Arc<AppState>> for Admin {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Failure> {
        let Some(expected) = &state.admin_token_hash else {
            return Err(Failure::not_found(codes::NOT_FOUND, "no such endpoint"));
        };
        let ip = client_ip(&state.config, parts);
        let per_minute = state.config.rate_admin_failures;
        let now = std::time::Instant::now();
        if let Err(retry) = state
            .limiter
            .peek(Class::AdminFailures, ip, per_minute, now)
        {
            return Err(Failure::rate_limited(retry));
        }
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| crate::sha256(t.trim().as_bytes()));
        match given {
            Some(h) if bantin_protocol::pow::ct_eq(&h, expected) => Ok(Admin),
            _ => {
                tracing::warn!(%ip, "admin request with a wrong or missing token");
                if let Err(retry) = state
                    .limiter
                    .check(Class::AdminFailures, ip, per_minute, now)
                {
                    return Err(Failure::rate_limited(retry));
                }
                Err(Failure::new(
                    StatusCode::UNAUTHORIZED,
                    codes::UNAUTHORIZED,
                    "a valid `Authorization: Bearer <token>` header is required",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        stars: u8,
        visitor: String,
    }

    fn err(body: &str) -> (u16, String) {
        let e = parse_json::<T>(body.as_bytes()).unwrap_err();
        (e.status.as_u16(), e.message)
    }

    #[test]
    fn json_errors_are_precise() {
        assert!(parse_json::<T>(br#"{"stars":5,"visitor":"v"}"#).is_ok());
        assert_eq!(err("").0, 400);
        assert_eq!(err("{\"stars\":5,").0, 400);
        assert_eq!(err("{\"stars\":\"x\",}").0, 400);
        assert_eq!(err("[5,\"v\"]").0, 400);
        let (s, m) = err(r#"{"visitor":"v"}"#);
        assert_eq!((s, m.as_str()), (422, "stars: missing field `stars`"));
        let (s, m) = err(r#"{"stars":300,"visitor":"v"}"#);
        assert_eq!(s, 422);
        assert!(m.starts_with("stars: invalid value"), "{m}");
        let (s, m) = err(r#"{"stars":5,"visitor":7}"#);
        assert_eq!(s, 422);
        assert!(m.starts_with("visitor: invalid type"), "{m}");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_malformed() {
        for body in [
            &b"{\"stars\":4,\"visitor\":\"\xff\"}"[..],
            b"{\"stars\":4,\"visitor\":\"v\",\"other\":\"\xc3\"}",
            b"{\"stars\":4,\"visitor\":\"v\"}\xed\xa0\x80",
            b"\xef\xbb\xbf\xfe{\"stars\":4,\"visitor\":\"v\"}",
        ] {
            let e = parse_json::<T>(body).unwrap_err();
            assert_eq!(
                (e.status.as_u16(), e.code),
                (400, codes::MALFORMED_JSON),
                "{body:?}"
            );
            assert!(e.message.contains("not UTF-8"), "{}", e.message);
        }
        // Vietnamese in UTF-8 is fine.
        assert!(parse_json::<T>("{\"stars\":4,\"visitor\":\"Nguyễn\"}".as_bytes()).is_ok());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c").as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%C3%A9").as_deref(), Some("é"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
