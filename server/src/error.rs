//! Every refusal the API gives, in the contract's error shape
//! `{"error": {"code", "message"}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bantin_protocol::api::codes;
use bantin_protocol::{ApiError, ApiErrorBody, Invalid};

#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn invalid(i: Invalid) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            codes::INVALID_FIELD,
            i.to_string(),
        )
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn bad_parameter(name: &str, message: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_PARAMETER,
            format!("{name}: {message}"),
        )
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::MALFORMED_JSON, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than {} bytes",
                bantin_protocol::limits::API_BODY_MAX_BYTES
            ),
        )
    }

    /// The request (its body) did not arrive in time.
    pub fn request_timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            codes::REQUEST_TIMEOUT,
            "the request took too long to arrive",
        )
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Failure {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::RATE_LIMITED,
                format!("too many requests; try again in {} s", retry_after.max(1)),
            )
        }
    }

    /// The server's own fault: logged in full, answered without detail.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(error = %what, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "the server failed; please try again later",
        )
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure::internal(format!("storage: {e}"))
    }
}

pub fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => Failure::internal(format!("serializing a response: {e}")).into_response(),
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = ApiError {
            error: ApiErrorBody {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = json_response(self.status, &body);
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // A 401 names the scheme it wants: the admin token, or a visitor
            // credential (from POST /api/v1/visitors).
            let scheme = if self.code.starts_with("visitor_") {
                "Visitor realm=\"bantin\""
            } else {
                "Bearer"
            };
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(scheme));
        }
        response
    }
}
