//! Browser storage: the session id, drafts, the visitor credential, the
//! reader's own votes (static mode).
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

/// The localStorage key of `key` (what `storage` events name).
pub fn full_key(key: &str) -> String {
    format!("{PREFIX}{key}")
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(&full_key(key)).ok().flatten()
}

/// Returns false when the browser refused to store it.
pub fn set(key: &str, value: &str) -> bool {
    local().is_some_and(|s| s.set_item(&full_key(key), value).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(&full_key(key));
    }
}

/// The keys (without the prefix) that start with `start`.
pub fn keys_starting(start: &str) -> Vec<String> {
    let Some(store) = local() else {
        return Vec::new();
    };
    let want = full_key(start);
    (0..store.length().unwrap_or(0))
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| k.starts_with(&want))
        .map(|k| k[PREFIX.len()..].to_owned())
        .collect()
}

/// Where the comment draft of an article is kept (see `parts::comments::draft`).
pub fn draft_key(article_id: &str) -> String {
    format!("draft:{article_id}")
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

/// A browser session ends after this long without the site open in any tab.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;

/// Id of this browser session, shared by the site's tabs (localStorage, as
/// `id.last-seen-seconds`): a reload or a second tab is the same visit; coming
/// back after [`SESSION_IDLE_SECS`] is a new one. Without localStorage, the
/// tab's sessionStorage (survives reloads, not a new tab).
pub fn session_id() -> String {
    let now = crate::clock::now_secs();
    if let Some(store) = local() {
        let key = format!("{PREFIX}session");
        let stored = store.get_item(&key).ok().flatten();
        let id = live_session(stored.as_deref(), now).unwrap_or_else(random_id);
        if store.set_item(&key, &format!("{id}.{now}")).is_ok() {
            return id;
        }
    }
    stored_id(session(), "session", |f| &mut f.1)
}

/// Marks the session as still in use (called with each heartbeat).
pub fn touch_session(id: &str) {
    if let Some(store) = local() {
        let _ = store.set_item(
            &format!("{PREFIX}session"),
            &format!("{id}.{}", crate::clock::now_secs()),
        );
    }
}

/// The id in a stored `id.last-seen` value when it is valid and was seen less
/// than [`SESSION_IDLE_SECS`] before `now`.
pub fn live_session(stored: Option<&str>, now: i64) -> Option<String> {
    let (id, seen) = stored?.split_once('.')?;
    let seen: i64 = seen.parse().ok()?;
    let fresh = (0..SESSION_IDLE_SECS).contains(&(now - seen));
    (fresh && bantin_protocol::api::is_valid_token(id, 64)).then(|| id.to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lives_until_it_is_idle_for_30_minutes() {
        let id = "0123456789abcdef0123456789abcdef";
        let stored = format!("{id}.1000");
        assert_eq!(live_session(Some(&stored), 1000).as_deref(), Some(id));
        assert_eq!(
            live_session(Some(&stored), 1000 + SESSION_IDLE_SECS - 1).as_deref(),
            Some(id)
        );
        assert_eq!(live_session(Some(&stored), 1000 + SESSION_IDLE_SECS), None);
        // A clock that went back, or garbage, starts a new session.
        assert_eq!(live_session(Some(&stored), 999), None);
        for bad in ["", "abc", ".1000", "0123456789abcdef.x", "bad id!.1000"] {
            assert_eq!(live_session(Some(bad), 1000), None, "{bad}");
        }
        assert_eq!(live_session(None, 1000), None);
    }
}
