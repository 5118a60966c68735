//! Finding mount points and giving each its own Shadow DOM root and app.

use crate::components::{status, widget};
use crate::config;
use leptos::mount::mount_to;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, placed inside each shadow root so that the
/// portal's CSS cannot reach in and ours cannot leak out.
pub const CSS: &str = include_str!("../style/bantin.css");

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
        Ok(shadow) => shadow.into(),
        Err(_) => {
            host.set_text_content(None);
            host.clone().into()
        }
    };
    let (Ok(style), Ok(root)) = (doc.create_element("style"), doc.create_element("div")) else {
        return;
    };
    style.set_text_content(Some(CSS));
    root.set_class_name("bt-root");
    let _ = container.append_child(&style);
    let _ = container.append_child(&root);
    let root: HtmlElement = root.unchecked_into();

    let attr = |name: &str| Element::get_attribute(host, name);
    match config::parse(attr) {
        Ok(cfg) => {
            let _ = root.set_attribute("lang", cfg.lang.code());
            mount_to(root, move || widget::widget(cfg)).forget();
        }
        Err((lang, error)) => {
            let _ = root.set_attribute("lang", lang.code());
            let message = error.message(lang);
            mount_to(root, move || status::config_error_panel(lang, message)).forget();
        }
    }
}
