//! The first download: finds the page's mount points and renders the article
//! and the counters. `bantin.js` calls [`start`] with the loader of the
//! deferred parts.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn start(load_parts: js_sys::Function) {
    bantin::deferred::set_loader(load_parts);
    bantin::mount_all();
}

fn main() {}
