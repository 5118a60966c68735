//! The console's exchanges with `/api/v1/admin/*` on gloo-net: a deadline,
//! the session's CSRF token on every change, and failures sorted into
//! [`ApiError`]s the views translate.

use bantin_protocol::admin::CSRF_HEADER;
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::AbortController;

/// How long a request may take before the editor is told the server is slow.
pub const TIMEOUT_MS: i32 = 15_000;

thread_local! {
    /// `/api/v1` on the page's origin unless `<html data-api>` says otherwise.
    static BASE: String = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-api"))
        .unwrap_or_else(|| bantin_protocol::paths::PREFIX.to_owned());
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The URL of `route` (a path under the API prefix).
pub fn url(route: &str) -> String {
    BASE.with(|b| format!("{}{route}", b.trim_end_matches('/')))
}

/// Remembers the session's CSRF token (empty: signed out).
pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_owned());
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Network,
    Timeout,
    /// The answer was not the JSON expected.
    Malformed,
    Status {
        status: u16,
        code: String,
        message: String,
        retry_after: Option<u32>,
    },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

struct Deadline {
    controller: AbortController,
    timer: i32,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Deadline {
    fn new(ms: i32) -> Option<Deadline> {
        let controller = AbortController::new().ok()?;
        let c = controller.clone();
        let on_timeout = Closure::<dyn FnMut()>::new(move || c.abort());
        let timer = web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                ms,
            )
            .ok()?;
        Some(Deadline {
            controller,
            timer,
            _on_timeout: on_timeout,
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.timer);
        }
        self.controller.abort();
    }
}

/// The API's error document, read when there is one.
fn error_of(status: u16, retry_after: Option<u32>, body: &str) -> ApiError {
    let doc: Option<bantin_protocol::ApiError> = serde_json::from_str(body).ok();
    let (code, message) = doc
        .map(|d| (d.error.code, d.error.message))
        .unwrap_or_default();
    ApiError::Status {
        status,
        code,
        message,
        retry_after,
    }
}

/// Sends one request and returns the answer's body text when it is a 2xx.
pub async fn send(method: Method, route: &str, body: Option<String>) -> Result<String, ApiError> {
    let deadline = Deadline::new(TIMEOUT_MS);
    let signal = deadline.as_ref().map(|d| d.controller.signal());
    let changes = !matches!(method, Method::GET | Method::HEAD);
    let mut builder = RequestBuilder::new(&url(route))
        .method(method)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .abort_signal(signal.as_ref())
        .header("Accept", "application/json");
    if changes {
        let token = CSRF.with(|c| c.borrow().clone());
        if !token.is_empty() {
            builder = builder.header(CSRF_HEADER, &token);
        }
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let expired = || {
        deadline
            .as_ref()
            .is_some_and(|d| d.controller.signal().aborted())
    };
    let fail = || {
        if expired() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let response = request.send().await.map_err(|_| fail())?;
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let status = response.status();
    let text = response.text().await.map_err(|_| fail())?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(error_of(status, retry_after, &text))
    }
}

/// A request whose answer is a JSON document of type `T`.
pub async fn json<T: DeserializeOwned>(
    method: Method,
    route: &str,
    body: Option<String>,
) -> Result<T, ApiError> {
    let text = send(method, route, body).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Malformed)
}

pub async fn get<T: DeserializeOwned>(route: &str) -> Result<T, ApiError> {
    json(Method::GET, route, None).await
}

/// The JSON text of a request body.
pub fn body<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

/// `s` for a query string (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    bantin_protocol::paths::encode_query(s)
}
