//! Network access: every request goes through [`send`] (timeout, error
//! classification); `fetch_article` and [`request`] interpret the answers.

use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::{parse_article, ApiError, Article, ArticleError};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

/// How long a request may take before the reader is told the server is slow.
pub const TIMEOUT_MS: i32 = 15_000;

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer at all: offline, DNS, refused connection, CORS.
    Network(String),
    Timeout,
    /// An HTTP error; `code` and `message` come from the contract's error body
    /// when the server sent one.
    Status {
        status: u16,
        code: String,
        message: String,
        retry_after: Option<u32>,
    },
    /// A 2xx answer whose body is not the expected document.
    BadBody(String),
}

impl Failure {
    /// Worth retrying later without the reader changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Network(_) | Failure::Timeout => true,
            Failure::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            Failure::BadBody(_) => false,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Failure::Status { code, .. } => code,
            _ => "",
        }
    }

    /// A sentence for the reader about a failed API call.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Network(_) => t(lang, Msg::ErrNetwork).to_owned(),
            Failure::Timeout => t(lang, Msg::ErrTimeout).to_owned(),
            Failure::Status {
                status: 429,
                retry_after,
                ..
            } => t1(
                lang,
                Msg::ErrRateLimited,
                &retry_after.unwrap_or(30).to_string(),
            ),
            Failure::Status { status, .. } if *status >= 500 => {
                t1(lang, Msg::ErrHttp, &status.to_string())
            }
            Failure::Status {
                status, message, ..
            } => {
                let reason = if message.is_empty() {
                    status.to_string()
                } else {
                    message.clone()
                };
                t1(lang, Msg::ErrRefused, &reason)
            }
            Failure::BadBody(_) => t(lang, Msg::ErrBadAnswer).to_owned(),
        }
    }
}

/// Why an article could not be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Network(String),
    Timeout,
    Status(u16),
    /// The body was not JSON (or was cut short).
    Malformed(String),
    /// JSON, but not an article.
    NotArticle(String),
    TooLarge,
}

impl LoadError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadError::Network(_) => t(lang, Msg::ErrNetwork).to_owned(),
            LoadError::Timeout => t(lang, Msg::ErrTimeout).to_owned(),
            LoadError::Status(404) | LoadError::Status(410) => t(lang, Msg::ErrNotFound).to_owned(),
            LoadError::Status(code) => t1(lang, Msg::ErrHttp, &code.to_string()),
            LoadError::Malformed(_) => t(lang, Msg::ErrMalformed).to_owned(),
            LoadError::NotArticle(_) => t(lang, Msg::ErrNotArticle).to_owned(),
            LoadError::TooLarge => t(lang, Msg::ErrTooLarge).to_owned(),
        }
    }

    /// Developer-facing detail (not translated: it quotes the document).
    pub fn detail(&self) -> Option<&str> {
        match self {
            LoadError::Network(d) | LoadError::Malformed(d) | LoadError::NotArticle(d) => {
                Some(d.as_str())
            }
            _ => None,
        }
    }
}

impl From<ArticleError> for LoadError {
    fn from(e: ArticleError) -> Self {
        match e {
            ArticleError::Syntax { .. } => LoadError::Malformed(e.to_string()),
            ArticleError::TooLarge { .. } => LoadError::TooLarge,
            ArticleError::Shape(_) | ArticleError::Invalid(_) => {
                LoadError::NotArticle(e.to_string())
            }
        }
    }
}

fn js_error_text(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| "request failed".to_owned())
}

/// Aborts the request when dropped or when the timer fires first.
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

    fn expired(&self) -> bool {
        self.controller.signal().aborted()
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

/// An HTTP answer: status, `Retry-After` seconds, body text.
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<u32>,
    pub body: String,
}

/// Sends one request (JSON body when given) and reads the whole answer.
pub async fn send(method: &str, url: &str, json_body: Option<&str>) -> Result<Answer, Failure> {
    let window = web_sys::window().ok_or_else(|| Failure::Network("no window".into()))?;
    let deadline = Deadline::new(TIMEOUT_MS);
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(d) = &deadline {
        init.set_signal(Some(&d.controller.signal()));
    }
    if let Some(body) = json_body {
        let headers = web_sys::Headers::new().map_err(|e| Failure::Network(js_error_text(&e)))?;
        let _ = headers.set("Content-Type", "application/json");
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(body));
    }
    let fail = |e: JsValue| {
        if deadline.as_ref().is_some_and(Deadline::expired) {
            Failure::Timeout
        } else {
            Failure::Network(js_error_text(&e))
        }
    };
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(fail)?
        .unchecked_into();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?;
    Ok(Answer {
        status: response.status(),
        retry_after,
        body: text.as_string().unwrap_or_default(),
    })
}

/// GETs the article document and validates it against the contract.
pub async fn fetch_article(url: &str) -> Result<Arc<Article>, LoadError> {
    let answer = send("GET", url, None).await.map_err(|f| match f {
        Failure::Timeout => LoadError::Timeout,
        Failure::Network(d) => LoadError::Network(d),
        // `send` fails only with Network or Timeout.
        _ => LoadError::Network(String::new()),
    })?;
    if !(200..300).contains(&answer.status) {
        return Err(LoadError::Status(answer.status));
    }
    Ok(Arc::new(parse_article(&answer.body)?))
}

/// An API call: JSON in, JSON out, the contract's error body read on failure.
pub async fn request<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<&str>,
) -> Result<T, Failure> {
    let answer = send(method, url, body).await?;
    if (200..300).contains(&answer.status) {
        return serde_json::from_str(&answer.body).map_err(|e| Failure::BadBody(e.to_string()));
    }
    let (code, message) = match serde_json::from_str::<ApiError>(&answer.body) {
        Ok(e) => (e.error.code, e.error.message),
        Err(_) => (String::new(), String::new()),
    };
    Err(Failure::Status {
        status: answer.status,
        code,
        message,
        retry_after: answer.retry_after,
    })
}
