//! The widget's one error type: why a request, a document or a deferred part
//! gave nothing usable, and what the reader is told about it.

use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::ArticleError;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
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
    /// A 2xx answer whose body is not the expected document (a captive
    /// portal's HTML page, a cut-off body).
    BadBody(String),
    /// The article text is not JSON.
    Malformed(String),
    /// JSON, but not an article of the contract.
    NotArticle(String),
    TooLarge,
    /// The code of the rating and comments could not be loaded.
    Deferred(String),
}

impl Error {
    /// Worth retrying later without the reader changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network(_) | Error::Timeout | Error::BadBody(_) | Error::Deferred(_) => true,
            Error::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            Error::Malformed(_) | Error::NotArticle(_) | Error::TooLarge => false,
        }
    }

    /// No Bantin API answered: nothing at the address (offline, refused,
    /// too slow), or something else did (a static host's 404 or 405 page,
    /// a proxy's 502, an HTML page for every path). An answer in the
    /// contract's words, even a refusal, is the API.
    pub fn no_api(&self) -> bool {
        match self {
            Error::Status { code, .. } => code.is_empty(),
            Error::Network(_)
            | Error::Timeout
            | Error::BadBody(_)
            | Error::Malformed(_)
            | Error::NotArticle(_) => true,
            Error::TooLarge | Error::Deferred(_) => false,
        }
    }

    /// The contract's error code, when the server sent one.
    pub fn code(&self) -> &str {
        match self {
            Error::Status { code, .. } => code,
            _ => "",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Seconds the server asked us to wait (`Retry-After`).
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Error::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A sentence for the reader.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Network(_) => t(lang, Msg::ErrNetwork).to_owned(),
            Error::Timeout => t(lang, Msg::ErrTimeout).to_owned(),
            Error::Status { status: 429, .. } => t1(
                lang,
                Msg::ErrRateLimited,
                &self.retry_after().unwrap_or(30).to_string(),
            ),
            Error::Status {
                status: 404 | 410, ..
            } => t(lang, Msg::ErrNotFound).to_owned(),
            Error::Status { status, .. } if *status >= 500 => {
                t1(lang, Msg::ErrHttp, &status.to_string())
            }
            Error::Status {
                status, message, ..
            } => {
                let reason = if message.is_empty() {
                    status.to_string()
                } else {
                    message.clone()
                };
                t1(lang, Msg::ErrRefused, &reason)
            }
            Error::BadBody(_) => t(lang, Msg::ErrBadAnswer).to_owned(),
            Error::Malformed(_) => t(lang, Msg::ErrMalformed).to_owned(),
            Error::NotArticle(_) => t(lang, Msg::ErrNotArticle).to_owned(),
            Error::TooLarge => t(lang, Msg::ErrTooLarge).to_owned(),
            Error::Deferred(_) => t(lang, Msg::ErrDeferred).to_owned(),
        }
    }

    /// Developer-facing detail (not translated: it quotes the document).
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::Network(d)
            | Error::Malformed(d)
            | Error::NotArticle(d)
            | Error::BadBody(d)
            | Error::Deferred(d) => Some(d.as_str()).filter(|d| !d.is_empty()),
            _ => None,
        }
    }
}

impl From<ArticleError> for Error {
    fn from(e: ArticleError) -> Self {
        match e {
            ArticleError::Syntax { .. } => Error::Malformed(e.to_string()),
            ArticleError::TooLarge { .. } => Error::TooLarge,
            ArticleError::Shape(_) | ArticleError::Invalid(_) => Error::NotArticle(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, message: &str) -> Error {
        Error::Status {
            status,
            code: String::new(),
            message: message.into(),
            retry_after: None,
        }
    }

    #[test]
    fn what_is_worth_retrying() {
        assert!(Error::Timeout.is_transient());
        assert!(Error::BadBody("<html>".into()).is_transient());
        assert!(status(503, "").is_transient());
        assert!(status(429, "").is_transient());
        assert!(!status(422, "").is_transient());
        assert!(!Error::NotArticle(String::new()).is_transient());
    }

    #[test]
    fn only_an_answer_in_the_contract_is_the_api() {
        assert!(Error::Network("refused".into()).no_api());
        assert!(status(404, "").no_api());
        assert!(status(502, "").no_api());
        assert!(Error::Malformed("<!doctype html>".into()).no_api());
        let refused = Error::Status {
            status: 404,
            code: "article_not_found".into(),
            message: String::new(),
            retry_after: None,
        };
        assert!(!refused.no_api());
        assert!(!Error::TooLarge.no_api());
    }

    #[test]
    fn messages_are_translated() {
        assert_eq!(
            status(404, "").message(Lang::Vi),
            t(Lang::Vi, Msg::ErrNotFound)
        );
        assert!(status(422, "body: too long")
            .message(Lang::En)
            .contains("body: too long"));
        let limited = Error::Status {
            status: 429,
            code: String::new(),
            message: String::new(),
            retry_after: Some(12),
        };
        assert!(limited.message(Lang::Vi).contains("12 giây"));
    }
}
