//! The deferred bundle: rating, comments, captchas and the proof of work,
//! mounted by the first download (`deferred.rs`) once the article is painted,
//! or on its own on a page with nothing else (`parts::alone`).

// On wasm no `main`: a bin's `main` brings std's start-up and stdout with it,
// and bantin.js calls the exports itself.
#![cfg_attr(target_arch = "wasm32", no_main)]

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlElement;

/// Mounts the parts `host`'s configuration asks for into `slot`. `count` and
/// `average`: the rating the article document carried (absent: unknown).
/// `live`: the API answers (false: static mode, whatever `data-api` says).
#[wasm_bindgen]
pub fn mount_parts(
    slot: HtmlElement,
    host: HtmlElement,
    article_id: String,
    count: Option<f64>,
    average: Option<f64>,
    live: bool,
) {
    bantin::parts::mount(slot, &host, article_id, count.zip(average), live);
}

/// Mounts the page's mount points when this bundle can show each of them
/// alone (a rating and comments, no article or counters); `false`: nothing
/// was done, the first download mounts them.
#[wasm_bindgen]
pub fn mount_alone() -> bool {
    bantin::parts::alone::mount_alone()
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
