//! Browser storage: visitor and session ids, drafts, the reader's own votes.
//! Storage can be missing or refuse writes (private mode, quota, cookies off):
//! every function degrades to "nothing stored" instead of failing.

use std::cell::RefCell;
use web_sys::Storage;

const PREFIX: &str = "bantin:";

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(&format!("{PREFIX}{key}")).ok().flatten()
}

/// Returns false when the browser refused to store it.
pub fn set(key: &str, value: &str) -> bool {
    local().is_some_and(|s| s.set_item(&format!("{PREFIX}{key}"), value).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// 128 random bits as 32 hex digits (crypto.getRandomValues works on plain
/// http too, unlike crypto.randomUUID).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

thread_local! {
    static FALLBACK: RefCell<(Option<String>, Option<String>)> = const { RefCell::new((None, None)) };
}

/// Stable id of this browser (localStorage), or of this page load when storage is off.
pub fn visitor_id() -> String {
    stored_id(local(), "visitor", |f| &mut f.0)
}

/// Id of this browser session (sessionStorage): survives reloads, not a new tab.
pub fn session_id() -> String {
    stored_id(session(), "session", |f| &mut f.1)
}

fn stored_id(
    storage: Option<Storage>,
    name: &str,
    slot: impl Fn(&mut (Option<String>, Option<String>)) -> &mut Option<String>,
) -> String {
    let key = format!("{PREFIX}{name}");
    if let Some(id) = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
    {
        if bantin_protocol::api::is_valid_token(&id, 64) {
            return id;
        }
    }
    let id = random_id();
    if storage.is_some_and(|s| s.set_item(&key, &id).is_ok()) {
        return id;
    }
    FALLBACK.with(|f| slot(&mut f.borrow_mut()).get_or_insert(id).clone())
}
