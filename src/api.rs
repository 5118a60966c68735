//! Network access: fetching documents with a timeout and classifying failures
//! into errors a reader can act on.

use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::{parse_article, Article, ArticleError};
use std::sync::Arc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

/// How long a request may take before the reader is told the server is slow.
pub const TIMEOUT_MS: i32 = 15_000;

#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// No answer at all: offline, DNS, refused connection, CORS.
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

/// GETs `url` and returns its body as text, or why it could not.
pub async fn get_text(url: &str) -> Result<String, LoadError> {
    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    let deadline = Deadline::new(TIMEOUT_MS);
    let init = web_sys::RequestInit::new();
    if let Some(d) = &deadline {
        init.set_signal(Some(&d.controller.signal()));
    }
    let fail = |e: JsValue| {
        if deadline.as_ref().is_some_and(Deadline::expired) {
            LoadError::Timeout
        } else {
            LoadError::Network(js_error_text(&e))
        }
    };
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(fail)?
        .unchecked_into();
    if !response.ok() {
        return Err(LoadError::Status(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?;
    Ok(text.as_string().unwrap_or_default())
}

pub async fn fetch_article(url: &str) -> Result<Arc<Article>, LoadError> {
    let text = get_text(url).await?;
    Ok(Arc::new(parse_article(&text)?))
}
