//! Finding mount points and giving each its own Shadow DOM root and app.

use crate::boot;
use crate::config;
use crate::views::status;
use leptos::mount::mount_to;
use std::cell::OnceCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, Element, HtmlElement, Node, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

/// The stylesheet of the first download (base, article, counters, status),
/// placed inside each shadow root so that the portal's CSS cannot reach in and
/// ours cannot leak out. The deferred parts add their own (`parts::CSS`).
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/base.min.css"));

thread_local! {
    /// One constructed stylesheet shared by every shadow root of the page
    /// (parsed once); `None` where the browser cannot construct stylesheets.
    static SHEET: OnceCell<Option<CssStyleSheet>> = const { OnceCell::new() };
}

/// Gives `shadow` the stylesheet `css` (parsed once per page into `cell`),
/// after the sheets it has. A constructed stylesheet in `adoptedStyleSheets`
/// is not an inline style for Content-Security-Policy, so it works under a
/// strict `style-src 'self'`; browsers without constructable stylesheets
/// (Safari before 16.4) get a `<style>` element.
pub fn adopt_css(
    shadow: &Node,
    css: &'static str,
    cell: &'static std::thread::LocalKey<OnceCell<Option<CssStyleSheet>>>,
) {
    let sheet = cell.with(|c| {
        c.get_or_init(|| {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(css).ok()?;
            Some(sheet)
        })
        .clone()
    });
    let key = JsValue::from_str("adoptedStyleSheets");
    let adopted = shadow
        .dyn_ref::<ShadowRoot>()
        .and_then(|_| js_sys::Reflect::get(shadow, &key).ok())
        .filter(js_sys::Array::is_array);
    match (sheet, adopted) {
        (Some(sheet), Some(list)) => {
            let list = js_sys::Array::from(&list);
            list.push(&sheet);
            let _ = js_sys::Reflect::set(shadow, &key, &list);
        }
        _ => {
            if let Some(style) = shadow
                .owner_document()
                .and_then(|d| d.create_element("style").ok())
            {
                style.set_text_content(Some(css));
                let _ = shadow.append_child(&style);
            }
        }
    }
}

pub const SELECTOR: &str = "[data-bantin]";
const MOUNTED: &str = "data-bantin-mounted";

/// Mounts every `[data-bantin]` element of the page that is not mounted yet.
pub fn mount_all() {
    // Started by the first `mount_to` otherwise; the start-up sequence spawns before it.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    for host in hosts() {
        mount(&host);
    }
}

/// Mounts one element. Each mount point has its own reactive owner, so one
/// failing or misconfigured instance never affects another.
pub fn mount(host: &HtmlElement) {
    let Some(root) = attach(host) else {
        return;
    };
    match config::parse(|name| Element::get_attribute(host, name)) {
        Ok(cfg) => {
            let _ = root.set_attribute("lang", cfg.lang.code());
            boot::start(root, host.clone(), cfg);
        }
        Err((lang, error)) => {
            let _ = root.set_attribute("lang", lang.code());
            let message = error.message(lang);
            mount_to(root, move || status::config_error_panel(lang, message)).forget();
            let _ = host.set_attribute(boot::READY, "");
        }
    }
}

/// Gives `host` its shadow root with the first download's stylesheet and
/// the widget's root element, and marks it mounted; `None` when it is
/// mounted already.
pub fn attach(host: &HtmlElement) -> Option<HtmlElement> {
    // A shadow root without the attribute: the page re-synced the element's
    // attributes from fresh HTML (morphdom and the like) and kept the widget.
    if host.has_attribute(MOUNTED) || host.shadow_root().is_some() {
        return None;
    }
    let doc = host.owner_document()?;
    let _ = host.set_attribute(MOUNTED, "");
    // Elements such as <a> or <img> cannot host a shadow root: render in place
    // then (no isolation possible; the CSS goes in as a <style> element).
    let container: Node = match host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
        Ok(shadow) => shadow.into(),
        Err(_) => {
            host.set_text_content(None);
            host.clone().into()
        }
    };
    adopt_css(&container, CSS, &SHEET);
    let root = doc.create_element("div").ok()?;
    root.set_class_name("bt-root");
    let _ = container.append_child(&root);
    Some(root.unchecked_into())
}

/// The page's mount points, in page order.
pub fn hosts() -> Vec<HtmlElement> {
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|doc| doc.query_selector_all(SELECTOR).ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()))
        .collect()
}
