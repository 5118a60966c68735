//! Visit counting with an API: one visit per browser session (shared by the
//! site's tabs, see `storage::session_id`; the server counts a session id
//! once), then a heartbeat about every 60 s while the page is visible, which
//! keeps the reader in the "online" window and the session alive. Started once per
//! page however many mount points it has; every counters part shares the result.

use crate::api::Client;
use crate::clock::sleep;
use crate::remote::Remote;
use crate::{storage, visitor};
use bantin_protocol::api::VisitRequest;
use bantin_protocol::Counters;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;

pub const HEARTBEAT_MS: i32 = 60_000;

fn request(session: &str) -> VisitRequest {
    VisitRequest {
        visitor: visitor::stored().unwrap_or_default(),
        session: session.to_owned(),
        article_id: None,
    }
}

/// `Loading` until the first answer; `Failed` when the calls failed and
/// nothing is known yet (a later failure keeps the last numbers).
pub type Shared = ArcRwSignal<Remote<Counters>>;

thread_local! {
    static STARTED: RefCell<Option<(String, Shared)>> = const { RefCell::new(None) };
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Starts tracking against `api` (once per page) and returns the shared counters.
pub fn track(api: &Client) -> Shared {
    if let Some(shared) = STARTED.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|(a, _)| a == api.base())
            .map(|(_, c)| c.clone())
    }) {
        return shared;
    }
    let shared: Shared = ArcRwSignal::new(Remote::Loading);
    STARTED.with(|s| *s.borrow_mut() = Some((api.base().to_owned(), shared.clone())));
    let (api, out) = (api.clone(), shared.clone());
    spawn_local(async move {
        let session = storage::session_id();
        let mut first = true;
        loop {
            if first || page_visible() {
                // Without a credential the server issues one with the visit
                // (or takes its cookie's); a refused one is dropped and the
                // visit sent again without it.
                let mut result = api.visit(&request(&session)).await;
                if result.as_ref().is_err_and(visitor::is_refused) {
                    visitor::forget();
                    result = api.visit(&request(&session)).await;
                }
                match result {
                    Ok((c, credential)) => {
                        if let Some(token) = credential {
                            visitor::store(&token);
                        }
                        storage::touch_session(&session);
                        out.set(Remote::Ready(c));
                    }
                    Err(e) => {
                        if out.with_untracked(Remote::is_loading) {
                            out.set(Remote::Failed(e));
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
