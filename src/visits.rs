//! Visit counting with an API: one visit per browser session (shared by the
//! site's tabs, see `storage::session_id`; the server counts a session id
//! once), then a heartbeat about every 60 s while the page is visible, which
//! keeps the reader in the "online" window and the session alive. Started once per
//! page however many mount points it has; every counters part shares the result.

use crate::api;
use crate::clock::sleep;
use crate::storage;
use bantin_protocol::api::VisitRequest;
use bantin_protocol::Counters;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;

pub const HEARTBEAT_MS: i32 = 60_000;

/// `None` until the first answer; `Some(Err(()))` when the last call failed and
/// nothing is known yet.
pub type Shared = ArcRwSignal<Option<Result<Counters, ()>>>;

thread_local! {
    static STARTED: RefCell<Option<(String, Shared)>> = const { RefCell::new(None) };
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Starts tracking against `api` (once per page) and returns the shared counters.
pub fn track(api: &str) -> Shared {
    if let Some(shared) = STARTED.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|(a, _)| a == api)
            .map(|(_, c)| c.clone())
    }) {
        return shared;
    }
    let shared: Shared = ArcRwSignal::new(None);
    STARTED.with(|s| *s.borrow_mut() = Some((api.to_owned(), shared.clone())));
    let url = format!("{api}/visits");
    let out = shared.clone();
    spawn_local(async move {
        let session = storage::session_id();
        let body = serde_json::to_string(&VisitRequest {
            visitor: storage::visitor_id(),
            session: session.clone(),
            article_id: None,
        })
        .unwrap_or_default();
        let mut first = true;
        loop {
            if first || page_visible() {
                match api::request::<Counters>("POST", &url, Some(&body)).await {
                    Ok(c) => {
                        storage::touch_session(&session);
                        out.set(Some(Ok(c)));
                    }
                    Err(_) => {
                        if out.with_untracked(|c| c.is_none()) {
                            out.set(Some(Err(())));
                        }
                    }
                }
                first = false;
            }
            sleep(HEARTBEAT_MS).await;
        }
    });
    shared
}
