//! One HTTP exchange on gloo-net: a deadline, the answer read whole, and
//! failures sorted into [`Error`]s.

use super::js::Js;
use crate::error::Error;
use bantin_protocol::decode::Json;
use gloo_net::http::{Method, RequestBuilder};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::AbortController;

/// How long a request may take before the reader is told the server is slow.
pub const TIMEOUT_MS: i32 = 15_000;

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

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The failure this answer stands for, with the contract's error body
    /// (`{"error": {"code", "message"}}`) read when there is one.
    pub fn into_error(self) -> Error {
        let body = Js::parse(&self.body).ok();
        let error = body.as_ref().and_then(|b| b.member("error"));
        let field = |name: &str| {
            error
                .as_ref()
                .and_then(|e| e.member(name))
                .and_then(|v| v.string())
                .unwrap_or_default()
        };
        Error::Status {
            status: self.status,
            code: field("code"),
            message: field("message"),
            retry_after: self.retry_after,
        }
    }
}

fn gloo_error_text(e: gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(e) => e.message,
        gloo_net::Error::GlooError(m) => m,
        // Never for the bodies sent here (strings); no serde_json messages in the wasm.
        gloo_net::Error::SerdeError(_) => "serialization".into(),
    }
}

/// Whether a request carries the browser's cookies for the API's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cookies {
    /// API calls: the `bantin_visitor` cookie keeps a reader without
    /// localStorage the same visitor (the API must name the page's origin in
    /// `--allowed-origins` when it is another one).
    Include,
    /// Documents that may come from any host (`Access-Control-Allow-Origin: *`).
    SameOrigin,
}

/// Sends one request (with a JSON body when given) and reads the whole answer.
pub async fn send(
    method: Method,
    url: &str,
    json_body: Option<String>,
    cookies: Cookies,
) -> Result<Answer, Error> {
    let deadline = Deadline::new(TIMEOUT_MS);
    let signal = deadline.as_ref().map(|d| d.controller.signal());
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .abort_signal(signal.as_ref());
    if cookies == Cookies::Include {
        builder = builder.credentials(web_sys::RequestCredentials::Include);
    }
    let fail = |text: String| {
        if deadline.as_ref().is_some_and(Deadline::expired) {
            Error::Timeout
        } else {
            Error::Network(text)
        }
    };
    let request = match json_body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|e| Error::Network(gloo_error_text(e)))?;
    let response = request.send().await.map_err(|e| fail(gloo_error_text(e)))?;
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let body = response
        .text()
        .await
        .map_err(|e| fail(gloo_error_text(e)))?;
    Ok(Answer {
        status: response.status(),
        retry_after,
        body,
    })
}
