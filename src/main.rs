//! The first download: finds the page's mount points and renders the article
//! and the counters. `bantin.js` calls [`start`] with the loader of the
//! deferred parts.

// On wasm no `main`: a bin's `main` brings std's start-up and stdout with it,
// and bantin.js calls the exports itself.
#![cfg_attr(target_arch = "wasm32", no_main)]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn start(load_parts: js_sys::Function) {
    bantin::deferred::set_loader(load_parts);
    bantin::mount_all();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
