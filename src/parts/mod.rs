//! The deferred parts: rating, comments (form, outbox, list), both captchas
//! and the proof-of-work solver. Compiled into the second bundle only.

pub mod alone;
pub mod comments;
pub mod pow;
pub mod rating;

use crate::api::Client;
use crate::config;
use crate::ctx::{absolute, Ctx};
use crate::mount::adopt_css;
use bantin_protocol::RatingSummary;
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::OnceCell;
use web_sys::{CssStyleSheet, HtmlElement, Node};

/// The parts' stylesheet, added to the shadow root beside the first
/// download's.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/parts.min.css"));

thread_local! {
    static SHEET: OnceCell<Option<CssStyleSheet>> = const { OnceCell::new() };
}

/// Mounts into `slot` the parts `host`'s `data-*` attributes ask for.
/// `rating`: `(count, average)` from the article document, when it was read;
/// without `live` they are in static mode (the API is not there).
pub fn mount(
    slot: HtmlElement,
    host: &HtmlElement,
    article_id: String,
    rating: Option<(f64, f64)>,
    live: bool,
) {
    // The first download showed any configuration error already.
    if let Ok(config) = config::parse(|name| host.get_attribute(name)) {
        mount_configured(slot, host, &config, article_id, rating, live);
    }
}

/// [`mount`] with `host`'s configuration read already.
pub fn mount_configured(
    slot: HtmlElement,
    host: &HtmlElement,
    config: &config::Config,
    article_id: String,
    rating: Option<(f64, f64)>,
    live: bool,
) {
    let container: Node = match host.shadow_root() {
        Some(shadow) => shadow.into(),
        None => host.clone().into(),
    };
    adopt_css(&container, CSS, &SHEET);
    let ctx = Ctx {
        lang: config.lang,
        api: config
            .source
            .api()
            .filter(|_| live)
            .map(|a| Client::new(&absolute(a))),
        captcha: config.captcha,
        base: String::new(),
        jsonld: None,
    };
    let from_article = rating.map(|(count, average)| RatingSummary {
        count: count as u64,
        average,
    });
    let parts = config.parts;
    mount_to(slot, move || {
        view! {
            {parts.rating.then(|| rating::rating_view(&ctx, &article_id, from_article))}
            {parts.comments.then(|| comments::comments_view(&ctx, &article_id))}
        }
    })
    .forget();
}
