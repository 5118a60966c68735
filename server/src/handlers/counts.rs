//! `GET /api/v1/counts?ids=a,b,c`: comments, views and rating of the
//! articles of a list page, in one request that browsers and CDNs may
//! cache (`Cache-Control: public, max-age`, a strong `ETag`, `304` on
//! `If-None-Match`).

use crate::error::Failure;
use crate::extract::Query;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bantin_protocol::api::parse_counts_ids;
use bantin_protocol::limits::COUNTS_IDS_MAX;
use std::sync::Arc;

/// The encodings the API's compression gives a body, as the `ETag` of
/// such an answer carries them (`"<tag>-br"`).
const ENCODINGS: [&str; 2] = ["br", "gzip"];

pub async fn counts(
    State(state): State<Arc<AppState>>,
    query: Query,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let ids = match query.get("ids") {
        None => {
            return Err(Failure::bad_parameter(
                "ids",
                &format!("is required: 1 to {COUNTS_IDS_MAX} article ids, comma-separated"),
            ))
        }
        Some(ids) => {
            parse_counts_ids(ids).map_err(|e| Failure::bad_parameter("ids", &e.message))?
        }
    };
    let counts = state.store.counts(ids).await?;
    let body = serde_json::to_vec(&counts)
        .map_err(|e| Failure::internal(format!("serializing counts: {e}")))?;
    let tag = crate::hex(&crate::sha256(&body)[..16]);
    let cache = HeaderValue::from_str(&format!("public, max-age={}", state.config.counts_max_age))
        .expect("a valid header value");
    if let Some(matched) = matching_tag(&headers, &tag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        let h = r.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&matched) {
            h.insert(header::ETAG, v);
        }
        h.insert(header::CACHE_CONTROL, cache);
        return Ok(r);
    }
    let mut r = crate::error::json_response(StatusCode::OK, &counts);
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, cache);
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&format!("\"{tag}\"")).expect("hex is a valid header value"),
    );
    Ok(r)
}

/// The entity tag of `If-None-Match` that names the current body (`tag`,
/// or a compressed copy of it, `tag-br`/`tag-gzip`), as the client sent it:
/// a `304` carries the tag of the copy the client holds. Weak tags compare
/// too (`W/`), as RFC 9110 has it for `If-None-Match`.
fn matching_tag(headers: &HeaderMap, tag: &str) -> Option<String> {
    crate::static_files::if_none_match(headers)
        .find(|given| {
            if *given == "*" {
                return true;
            }
            let opaque = given.strip_prefix("W/").unwrap_or(given);
            let Some(inner) = opaque.strip_prefix('"').and_then(|o| o.strip_suffix('"')) else {
                return false;
            };
            inner == tag
                || ENCODINGS.iter().any(|e| {
                    inner
                        .strip_suffix(e)
                        .and_then(|rest| rest.strip_suffix('-'))
                        == Some(tag)
                })
        })
        .map(|given| {
            if given == "*" {
                format!("\"{tag}\"")
            } else {
                given.to_owned()
            }
        })
}

/// Outside the API's compression: an answer compressed on the way out gets
/// its own strong `ETag` (`"<tag>-br"`), since its bytes are not the ones
/// the handler's tag names.
pub async fn etag_per_encoding(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut response = next.run(req).await;
    if !api {
        return response;
    }
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .filter(|e| ENCODINGS.contains(e))
        .map(str::to_owned);
    let (Some(encoding), Some(tag)) = (
        encoding,
        response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .and_then(|t| t.strip_prefix('"')?.strip_suffix('"'))
            .map(str::to_owned),
    ) else {
        return response;
    };
    if let Ok(v) = HeaderValue::from_str(&format!("\"{tag}-{encoding}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_names_the_body_or_a_compressed_copy() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, v.parse().unwrap());
            matching_tag(&h, "abc")
        };
        assert_eq!(with("\"abc\"").as_deref(), Some("\"abc\""));
        assert_eq!(with("\"x\", \"abc-br\"").as_deref(), Some("\"abc-br\""));
        assert_eq!(with("W/\"abc-gzip\"").as_deref(), Some("W/\"abc-gzip\""));
        assert_eq!(with("*").as_deref(), Some("\"abc\""));
        for other in ["\"abd\"", "abc", "\"abc-zstd\"", "\"abcbr\"", "\"\"", ""] {
            assert_eq!(with(other), None, "{other}");
        }
        assert_eq!(matching_tag(&HeaderMap::new(), "abc"), None);
    }
}
