//! What every part of one mount point needs to know, resolved from its
//! [`Config`](crate::config::Config) against the page.

use crate::api::Client;
use crate::config::{CaptchaMode, Publisher};
use crate::i18n::Lang;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// `None` is static mode.
    pub api: Option<Client>,
    pub captcha: CaptchaMode,
    /// Absolute URL of the article document: relative URLs inside it resolve
    /// against it.
    pub base: String,
    /// The shown article's JSON-LD goes into the page's head (`None`: off).
    pub jsonld: Option<Publisher>,
}

/// Resolves `url` against the page, so relative paths in the article are
/// taken relative to the article's JSON, not to the host page.
pub fn absolute(url: &str) -> String {
    let page = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    web_sys::Url::new_with_base(url, &page)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_owned())
}
