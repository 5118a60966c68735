//! Finding mount points and giving each its own Shadow DOM root and app.

use crate::components::{status, widget};
use crate::config;
use leptos::mount::mount_to;
use std::cell::OnceCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, Document, Element, HtmlElement, Node, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

/// The widget's stylesheet, placed inside each shadow root so that the
/// portal's CSS cannot reach in and ours cannot leak out.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/bantin.min.css"));

thread_local! {
    /// One constructed stylesheet shared by every shadow root of the page
    /// (parsed once); `None` where the browser cannot construct stylesheets.
    static SHEET: OnceCell<Option<CssStyleSheet>> = const { OnceCell::new() };
}

fn shared_sheet() -> Option<CssStyleSheet> {
    SHEET.with(|cell| {
        cell.get_or_init(|| {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(CSS).ok()?;
            Some(sheet)
        })
        .clone()
    })
}

/// Gives `shadow` the widget's CSS. A constructed stylesheet in
/// `adoptedStyleSheets` is not an inline style for Content-Security-Policy,
/// so it works under a strict `style-src 'self'`; browsers without
/// constructable stylesheets (Safari before 16.4) get a `<style>` element.
fn style_shadow(shadow: &ShadowRoot, doc: &Document) {
    let adoptable =
        js_sys::Reflect::has(shadow, &JsValue::from_str("adoptedStyleSheets")).unwrap_or(false);
    if let Some(sheet) = shared_sheet().filter(|_| adoptable) {
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    } else if let Ok(style) = doc.create_element("style") {
        style.set_text_content(Some(CSS));
        let _ = shadow.append_child(&style);
    }
}

pub const SELECTOR: &str = "[data-bantin]";
const MOUNTED: &str = "data-bantin-mounted";

/// Mounts every `[data-bantin]` element of the page that is not mounted yet.
pub fn mount_all() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(list) = doc.query_selector_all(SELECTOR) else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            mount(&el);
        }
    }
}

/// Mounts one element. Each mount point has its own reactive owner, so one
/// failing or misconfigured instance never affects another.
pub fn mount(host: &HtmlElement) {
    if host.has_attribute(MOUNTED) {
        return;
    }
    let Some(doc) = host.owner_document() else {
        return;
    };
    let _ = host.set_attribute(MOUNTED, "");
    // Elements such as <a> or <img> cannot host a shadow root: render in place then.
    let container: Node = match host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
        Ok(shadow) => {
            style_shadow(&shadow, &doc);
            shadow.into()
        }
        Err(_) => {
            // No isolation possible here: the CSS goes in as a <style> element.
            host.set_text_content(None);
            if let Ok(style) = doc.create_element("style") {
                style.set_text_content(Some(CSS));
                let _ = host.append_child(&style);
            }
            host.clone().into()
        }
    };
    let Ok(root) = doc.create_element("div") else {
        return;
    };
    root.set_class_name("bt-root");
    let _ = container.append_child(&root);
    let root: HtmlElement = root.unchecked_into();

    let attr = |name: &str| Element::get_attribute(host, name);
    match config::parse(attr) {
        Ok(cfg) => {
            let _ = root.set_attribute("lang", cfg.lang.code());
            widget::mount_widget(root, cfg);
        }
        Err((lang, error)) => {
            let _ = root.set_attribute("lang", lang.code());
            let message = error.message(lang);
            mount_to(root, move || status::config_error_panel(lang, message)).forget();
        }
    }
}
