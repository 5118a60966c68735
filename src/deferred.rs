//! The second bundle: rating, comments, both captchas and the proof-of-work
//! solver. `bantin.js` hands [`start`](crate::boot) a loader that imports it
//! (its wasm fetched at low priority); this side decides when to call it,
//! keeps its place in the page until it has mounted, and offers a retry
//! when it cannot be loaded. The article never waits for it.

use crate::clock;
use crate::config::Parts;
use crate::error::Error;
use crate::i18n::{Lang, Msg};
use crate::storage;
use crate::views::status;
use crate::views::swap::Swap;
use bantin_protocol::RatingSummary;
use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    HtmlElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit,
};

/// The name the second bundle exports its mount function under.
pub const MOUNT_EXPORT: &str = "mount_parts";

/// How far below the screen the parts start loading: two screens ahead of
/// the reader, so that the form is there before they can scroll to it.
const NEAR_MARGIN: &str = "200% 0px 200% 0px";

/// How long loaded parts wait to learn whether the API is there (see
/// [`Deferred::run`]) before they are mounted live anyway: a missing API or a
/// static host answers within a round trip, a slow API is still an API.
const DECIDE_WAIT_MS: i32 = 3_000;

thread_local! {
    static LOADER: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Keeps the loader `bantin.js` gave: a function answering a promise of the
/// second bundle's initialised module.
pub fn set_loader(loader: Function) {
    LOADER.with(|l| *l.borrow_mut() = Some(loader));
}

/// What the second bundle needs to mount the parts of one mount point.
pub struct Request {
    /// Where the parts go, inside the shadow root.
    pub slot: HtmlElement,
    /// The mount point: the parts read its `data-*` configuration.
    pub host: HtmlElement,
    pub article_id: String,
    /// The numbers the article document carried, when it was loaded.
    pub rating: Option<RatingSummary>,
    /// An article is shown above the parts: they wait until the reader
    /// comes near them.
    pub after_article: bool,
    /// The API answers (false: static mode, whatever `data-api` says).
    pub live: bool,
}

/// The rating and comments of one mount point until their code is loaded:
/// their skeleton (mounted by [`Deferred::show`], in the same frame as the
/// article so that nothing moves), then the parts, or a message with a retry.
pub struct Deferred {
    request: Request,
    /// Set by [`Deferred::go_static`]: the API is not there.
    static_rating: Cell<Option<RatingSummary>>,
    lang: Lang,
    parts: Parts,
    retry: mpsc::UnboundedSender<()>,
    retries: RefCell<Option<mpsc::UnboundedReceiver<()>>>,
    status: RefCell<Option<Swap>>,
}

impl Deferred {
    /// `None` when the mount point shows neither rating nor comments.
    pub fn new(request: Request, lang: Lang, parts: Parts) -> Option<Rc<Deferred>> {
        if !(parts.rating || parts.comments) {
            return None;
        }
        let (retry, retries) = mpsc::unbounded::<()>();
        Some(Rc::new(Deferred {
            request,
            static_rating: Cell::new(None),
            lang,
            parts,
            retry,
            retries: RefCell::new(Some(retries)),
            status: RefCell::new(None),
        }))
    }

    /// Mounts the skeleton (once).
    pub fn show(&self) {
        if self.status.borrow().is_some() {
            return;
        }
        let Some(el) = make_child(&self.request.slot) else {
            return;
        };
        let status = Swap::new(el);
        self.skeleton(&status);
        *self.status.borrow_mut() = Some(status);
    }

    fn skeleton(&self, status: &Swap) {
        let (lang, rating, comments) = (self.lang, self.parts.rating, self.parts.comments);
        status.show(move || status::deferred_skeleton(lang, rating, comments));
    }

    /// The API is not there: the parts are mounted in static mode, with the
    /// rating of the document that stood in for it.
    pub fn go_static(&self, rating: RatingSummary) {
        self.static_rating.set(Some(rating));
    }

    /// Loads the second bundle when the parts are needed and mounts them
    /// once `decided` says whether the API is there (or after
    /// [`DECIDE_WAIT_MS`]; `None`: known already); a failure shows a
    /// translated message with a retry in their place (the article stays).
    pub async fn run(&self, decided: Option<oneshot::Receiver<()>>) {
        self.show();
        let Some(mut retries) = self.retries.borrow_mut().take() else {
            return;
        };
        let Some(el) = self.status.borrow().as_ref().map(|s| s.element().clone()) else {
            return;
        };
        if self.request.after_article && !has_draft(&self.request.article_id) {
            // The skeleton, not the slot: a slot makes no box (`display: contents`).
            near_screen(&el).await;
        }
        let mut decided = decided;
        loop {
            let result = match load().await {
                Ok(mount) => {
                    if let Some(decided) = decided.take() {
                        let cap = Box::pin(clock::sleep(DECIDE_WAIT_MS));
                        futures::future::select(decided, cap).await;
                    }
                    self.mount_with(&mount)
                }
                Err(e) => Err(e),
            };
            if let Some(status) = self.status.borrow().as_ref() {
                match result {
                    Ok(()) => {
                        status.clear();
                        el.remove();
                        return;
                    }
                    Err(e) => {
                        let (lang, retry) = (self.lang, self.retry.clone());
                        status.show(move || {
                            status::error_panel(lang, Msg::DeferredTitle, e, move || {
                                let _ = retry.unbounded_send(());
                            })
                        });
                    }
                }
            }
            let _ = retries.next().await;
            if let Some(status) = self.status.borrow().as_ref() {
                self.skeleton(status);
            }
        }
    }
}

fn make_child(parent: &HtmlElement) -> Option<HtmlElement> {
    let el = parent.owner_document()?.create_element("div").ok()?;
    parent.append_child(&el).ok()?;
    Some(el.unchecked_into())
}

/// A draft (or a queued comment) must be on screen at once, wherever the
/// form is.
fn has_draft(article_id: &str) -> bool {
    storage::get(&storage::draft_key(article_id)).is_some()
}

/// Resolves when `el` comes within [`NEAR_MARGIN`] of the screen (at once
/// when it already is, or when the browser cannot tell).
async fn near_screen(el: &HtmlElement) {
    let (near, on_near) = oneshot::channel::<()>();
    let near = RefCell::new(Some(near));
    let callback = Closure::<dyn FnMut(Array, IntersectionObserver)>::new(
        move |entries: Array, observer: IntersectionObserver| {
            let seen = entries.iter().any(|e| {
                e.unchecked_into::<IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if seen {
                observer.disconnect();
                if let Some(tx) = near.borrow_mut().take() {
                    let _ = tx.send(());
                }
            }
        },
    );
    let options = IntersectionObserverInit::new();
    options.set_root_margin(NEAR_MARGIN);
    let Ok(observer) =
        IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
    else {
        return;
    };
    observer.observe(el);
    let _ = on_near.await;
    observer.disconnect();
    drop(callback);
}

fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .and_then(|e| e.message().as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// The second bundle's mount function, its code loaded and initialised.
async fn load() -> Result<Function, Error> {
    let loader = LOADER
        .with(|l| l.borrow().clone())
        .ok_or_else(|| Error::Deferred("no loader for the second bundle".into()))?;
    let module = loader.call0(&JsValue::NULL).map_err(fail)?;
    let module = JsFuture::from(Promise::resolve(&module))
        .await
        .map_err(fail)?;
    Reflect::get(&module, &JsValue::from_str(MOUNT_EXPORT))
        .map_err(fail)?
        .dyn_into()
        .map_err(fail)
}

fn fail(e: JsValue) -> Error {
    Error::Deferred(js_text(&e))
}

impl Deferred {
    fn mount_with(&self, mount: &Function) -> Result<(), Error> {
        let request = &self.request;
        let static_rating = self.static_rating.get();
        let (rating, live) = match static_rating {
            Some(r) => (Some(r), false),
            None => (request.rating, request.live),
        };
        let args = Array::of5(
            &request.slot,
            &request.host,
            &JsValue::from_str(&request.article_id),
            &rating.map_or(JsValue::NULL, |r| JsValue::from_f64(r.count as f64)),
            &rating.map_or(JsValue::NULL, |r| JsValue::from_f64(r.average)),
        );
        args.push(&JsValue::from_bool(live));
        mount.apply(&JsValue::NULL, &args).map_err(fail)?;
        Ok(())
    }
}
