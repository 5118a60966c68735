//! Visit counting with an API: one visit per browser session (shared by the
//! site's tabs, see `storage::session_id`; the server counts a session id
//! once), then a heartbeat about every 60 s while the page is visible, which
//! keeps the reader in the "online" window and the session alive. Started once per
//! page however many mount points it has; every counters part shares the result.
//!
//! The visits name the page's article, the first mount point's that shows
//! one ([`article`]): the server counts its view once per session per article
//! and answers its views ("Lượt xem", in the article's header).

use crate::api::Client;
use crate::clock::sleep;
use crate::remote::Remote;
use crate::{storage, visitor};
use bantin_protocol::api::VisitRequest;
use bantin_protocol::Counters;
use futures::channel::oneshot;
use futures::future::{self, Either};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;

pub const HEARTBEAT_MS: i32 = 60_000;

/// What the page knows from its visits: the site's counters and, once a
/// visit named the page's article, that article's views.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Numbers {
    pub counters: Counters,
    pub views: Option<u64>,
}

impl From<Counters> for Numbers {
    fn from(counters: Counters) -> Numbers {
        Numbers {
            counters,
            views: None,
        }
    }
}

/// `Loading` until the first answer; `Failed` when the calls failed and
/// nothing is known yet (a later failure keeps the last numbers).
pub type Shared = ArcRwSignal<Remote<Numbers>>;

/// The numbers after an answer: an answer without views (a visit sent before
/// the article was known, answered late) keeps the views already known.
pub fn merge(known: Option<&Numbers>, counters: Counters, views: Option<u64>) -> Numbers {
    Numbers {
        counters,
        views: views.or(known.and_then(|n| n.views)),
    }
}

thread_local! {
    static STARTED: RefCell<Option<(String, Shared)>> = const { RefCell::new(None) };
    /// The article the page's visits name (see [`article`]).
    static ARTICLE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Wakes the visit loop out of its wait between heartbeats.
    static WAKE: RefCell<Option<oneshot::Sender<()>>> = const { RefCell::new(None) };
}

fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Whether the page's article is `id`: the first mount point that shows an
/// article names it, at its start (`data-article-id`, before any visit is
/// sent) or when its document came (`data-article`); a visit sent without
/// it is then repeated at once with it.
pub fn article(id: &str) -> bool {
    ARTICLE.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_none() {
            *a = Some(id.to_owned());
            if let Some(wake) = WAKE.with(|w| w.borrow_mut().take()) {
                let _ = wake.send(());
            }
        }
        a.as_deref() == Some(id)
    })
}

fn request(session: &str) -> VisitRequest {
    VisitRequest {
        visitor: visitor::stored().unwrap_or_default(),
        session: session.to_owned(),
        article_id: ARTICLE.with(|a| a.borrow().clone()),
    }
}

/// Starts tracking against `api` (once per page) and returns the shared numbers.
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
            // From before the visit is sent: an article named while it is
            // on its way is sent with the next one, at once.
            let (wake, woken) = oneshot::channel::<()>();
            WAKE.with(|w| *w.borrow_mut() = Some(wake));
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
                    Ok(answer) => {
                        if let Some(token) = &answer.visitor {
                            visitor::store(token);
                        }
                        storage::touch_session(&session);
                        let numbers = out
                            .with_untracked(|r| merge(r.ready(), answer.counters(), answer.views));
                        out.set(Remote::Ready(numbers));
                    }
                    Err(e) => {
                        if out.with_untracked(Remote::is_loading) {
                            out.set(Remote::Failed(e));
                        }
                    }
                }
            }
            first = match future::select(woken, Box::pin(sleep(HEARTBEAT_MS))).await {
                Either::Left((Ok(()), _)) => true,
                // Another API's loop (a second one on the page) took the
                // wake: the heartbeat's wait is waited out.
                Either::Left((Err(_), rest)) => {
                    rest.await;
                    false
                }
                Either::Right(_) => false,
            };
        }
    });
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_without_views_keeps_them() {
        let c = |n| Counters {
            total_visits: n,
            online: 1,
        };
        let known = Numbers {
            counters: c(5),
            views: Some(3),
        };
        assert_eq!(
            merge(Some(&known), c(6), None),
            Numbers {
                counters: c(6),
                views: Some(3)
            }
        );
        assert_eq!(merge(Some(&known), c(6), Some(4)).views, Some(4));
        assert_eq!(merge(None, c(1), None), c(1).into());
    }
}
