//! One mount point's start-up, in the order the reader needs it: the article
//! first, painted; then the counters and the visit; then the code of the
//! rating and comments, loaded when they are needed (`deferred.rs`).
//!
//! Each piece is mounted once into its own element (`mount_to`), not through
//! a reactive branch: a branch would compile a rebuild path for all it shows.

use crate::api::{self, Client};
use crate::clock;
use crate::config::{Config, Parts, Source};
use crate::ctx::{absolute, Ctx};
use crate::deferred::{Deferred, Request};
use crate::error::Error;
use crate::i18n::{Lang, Msg};
use crate::remote::Remote;
use crate::views::swap::Swap;
use crate::views::{article, counters, status};
use crate::visits;
use bantin_protocol::Article;
use futures::channel::{mpsc, oneshot};
use futures::future::{self, Either};
use futures::StreamExt;
use leptos::mount::mount_to;
use leptos::prelude::{ArcRwSignal, Set};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlElement;

/// How long rating, comments and counters wait for a slow article before
/// they are shown anyway (with an article id they need no document).
const REST_AFTER_MS: i32 = 600;

/// Rendering time of the article's body between two yields to the browser
/// (a task over 50 ms blocks the reader's taps and scrolls).
const BODY_SLICE_MS: f64 = 12.0;

/// The elements of one mount point, in page order.
struct Slots {
    /// The mount point itself.
    host: HtmlElement,
    article: HtmlElement,
    parts: HtmlElement,
    counters: HtmlElement,
}

fn slot(root: &HtmlElement, class: &str) -> HtmlElement {
    use wasm_bindgen::JsCast;
    let el: HtmlElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
        .map(JsCast::unchecked_into)
        .unwrap_or_else(|| root.clone());
    if el != *root {
        el.set_class_name(class);
        let _ = root.append_child(&el);
    }
    el
}

impl Slots {
    fn new(root: &HtmlElement, host: &HtmlElement) -> Slots {
        Slots {
            host: host.clone(),
            article: slot(root, "bt-slot"),
            parts: slot(root, "bt-slot"),
            counters: slot(root, "bt-slot"),
        }
    }

    /// The mount point shows what it will show: the space the page reserved
    /// for it until now is released (see `RESERVE_CSS` in xtask/src/dist.rs).
    fn ready(&self) {
        ready(&self.host);
    }
}

pub const READY: &str = "data-bantin-ready";

fn ready(host: &HtmlElement) {
    let _ = host.set_attribute(READY, "");
}

/// Starts one mount point in `root` (inside `host`'s shadow root).
pub fn start(root: HtmlElement, host: HtmlElement, config: Config) {
    let Config {
        source,
        lang,
        parts,
        captcha,
        fallback,
        jsonld,
        ..
    } = config;
    let client = source.api().map(|a| Client::new(&absolute(a)));
    match source {
        Source::Site { .. } => {
            let Some(api) = client else { return };
            // In a task of its own (see `by_id`); after every mount point
            // of the page has named its article (`visits::article`).
            spawn_local(async move {
                clock::yield_now().await;
                let live = visits::track(&api);
                let numbers = ArcRwSignal::new(match fallback {
                    Some(_) => Remote::Loading,
                    None => no_fallback(),
                });
                if let Some(doc) = fallback {
                    spawn_local(site_fallback(live.clone(), numbers.clone(), absolute(&doc)));
                }
                mount_to(root, move || {
                    counters::live_counters_view(live, numbers, lang)
                })
                .forget();
                ready(&host);
            });
        }
        Source::Api { id, url, .. } => {
            // At once, before any visit is sent: the page's visits name
            // the article of the first mount point that shows one.
            if parts.article && client.is_some() {
                visits::article(&id);
            }
            let ctx = Ctx {
                lang,
                api: client,
                captcha,
                base: absolute(&url),
                jsonld: jsonld.clone(),
            };
            let fallback = fallback.map(|doc| absolute(&doc));
            spawn_local(by_id(Slots::new(&root, &host), ctx, parts, id, fallback));
        }
        Source::Document { url, .. } => {
            let ctx = Ctx {
                lang,
                api: client,
                captcha,
                base: absolute(&url),
                jsonld: jsonld.clone(),
            };
            spawn_local(by_document(Slots::new(&root, &host), ctx, parts));
        }
    }
}

/// With an API and an article id, only the article waits for the document:
/// the other parts follow its first paint, or [`REST_AFTER_MS`] when it is
/// slow, so a reader's draft is there even when the article cannot be loaded.
/// With a `fallback` document, an API that is not there (a static host)
/// turns the whole mount point to static mode instead of error panels.
async fn by_id(slots: Slots, ctx: Ctx, parts: Parts, id: String, fallback: Option<String>) {
    // Not in the task that mounted the page's mount points: the first call
    // of each wasm function compiles it, so one task doing all of it blocks
    // the reader's taps for long on a slow phone.
    clock::yield_now().await;
    let deferred = Deferred::new(
        Request {
            slot: slots.parts.clone(),
            host: slots.host.clone(),
            article_id: id,
            rating: None,
            after_article: parts.article,
            live: true,
        },
        ctx.lang,
        parts,
    );
    let numbers = ArcRwSignal::new(match fallback {
        Some(_) if parts.article => Remote::Loading,
        _ => no_fallback(),
    });
    let (decided, on_decided) = oneshot::channel::<()>();
    let arrived = Rc::new(Cell::new(false));
    if parts.article {
        let (painted, on_paint) = oneshot::channel();
        let (slot, host, ctx) = (slots.article.clone(), slots.host.clone(), ctx.clone());
        let (shown, numbers, has_arrived) = (deferred.clone(), numbers.clone(), arrived.clone());
        spawn_local(async move {
            let show_rest = || shown.iter().for_each(|d| d.show());
            let fallback = fallback.as_deref();
            let (article, live) =
                load_into(&slot, &host, &ctx, true, fallback, &has_arrived, &show_rest).await;
            if live {
                numbers.set(no_fallback());
            } else {
                numbers.set(Remote::Ready(article.counters.into()));
                shown.iter().for_each(|d| d.go_static(article.rating));
            }
            let _ = decided.send(());
            let _ = painted.send(());
        });
        let slow = clock::sleep(REST_AFTER_MS);
        if let Either::Right((_, on_paint)) = future::select(on_paint, Box::pin(slow)).await {
            // Arrived and being mounted block by block (a busy phone): the
            // page keeps its reserved space until the article is whole.
            if arrived.get() {
                let _ = on_paint.await;
            }
        }
        // The reservation stays until the article or its error panel is
        // there (`load_into`): a skeleton that is not drawn yet holds no space.
    } else {
        let _ = decided.send(());
        slots.ready();
    }
    if let Some(api) = &ctx.api {
        let (live, lang) = (visits::track(api), ctx.lang);
        if parts.counters {
            mount_to(slots.counters, move || {
                counters::live_counters_view(live, numbers, lang)
            })
            .forget();
        }
    }
    if let Some(deferred) = deferred {
        deferred.run(Some(on_decided)).await;
    }
}

/// A counters-only mount point with a `data-static` document: its numbers
/// when the API turns out not to be there.
async fn site_fallback(live: visits::Shared, numbers: visits::Shared, doc: String) {
    use leptos::prelude::WithUntracked;
    // The visit answers within the request deadline; nothing to watch but it.
    let failed = loop {
        match live.with_untracked(|r| match r {
            Remote::Loading => None,
            Remote::Ready(_) => Some(None),
            Remote::Failed(e) => Some(Some(e.no_api())),
        }) {
            Some(outcome) => break outcome,
            None => clock::sleep(50).await,
        }
    };
    numbers.set(match failed {
        Some(true) => match api::article_at(&doc).await {
            Ok(a) => Remote::Ready(a.counters.into()),
            Err(e) => Remote::Failed(e),
        },
        _ => no_fallback(),
    });
}

/// The counters' stand-in when there is none: "unavailable" if the API fails.
fn no_fallback() -> Remote<visits::Numbers> {
    Remote::Failed(Error::Deferred(String::new()))
}

/// With a document URL, every part needs the document (for the id, and in
/// static mode for the numbers it carries).
async fn by_document(slots: Slots, ctx: Ctx, parts: Parts) {
    let (article, _) = load_into(
        &slots.article,
        &slots.host,
        &ctx,
        parts.article,
        None,
        &Cell::new(false),
        &|| (),
    )
    .await;
    let deferred = Deferred::new(
        Request {
            slot: slots.parts.clone(),
            host: slots.host.clone(),
            article_id: article.id.clone(),
            rating: Some(article.rating),
            after_article: parts.article,
            live: ctx.api.is_some(),
        },
        ctx.lang,
        parts,
    );
    if let Some(d) = &deferred {
        d.show();
    }
    slots.ready();
    if parts.counters {
        let (lang, from_article) = (ctx.lang, article.counters);
        match &ctx.api {
            Some(api) => {
                let live = visits::track(api);
                let numbers = ArcRwSignal::new(Remote::Ready(from_article.into()));
                mount_to(slots.counters, move || {
                    counters::live_counters_view(live, numbers, lang)
                })
                .forget();
            }
            None => {
                mount_to(slots.counters, move || {
                    counters::counters_view(from_article, lang)
                })
                .forget();
            }
        }
    } else if let Some(api) = &ctx.api {
        visits::track(api);
    }
    if let Some(deferred) = deferred {
        deferred.run(None).await;
    }
}

/// Loads the article into `slot` until it succeeds: a skeleton while it
/// loads (after a short delay), an error panel with a retry when it fails
/// (`host` is ready then). With `show`, the article is rendered (and
/// `with_it` mounts what goes in the same frame) and this resolves after its
/// first paint. When no API answers, the `fallback` document is read instead
/// (the answer's flag is false then: static mode). `arrived` is set once the
/// document is here and being mounted.
async fn load_into(
    slot: &HtmlElement,
    host: &HtmlElement,
    ctx: &Ctx,
    show: bool,
    fallback: Option<&str>,
    arrived: &Cell<bool>,
    with_it: &dyn Fn(),
) -> (Article, bool) {
    let content = self::slot(slot, "bt-article-slot");
    let status = Swap::new(self::slot(slot, "bt-status-slot"));
    let lang = ctx.lang;
    let (retry, mut retries) = mpsc::unbounded::<()>();
    let mut retried = false;
    loop {
        // A skeleton only for a slow document (building and drawing it would
        // cost the first frame of content that was already on its way: the
        // page's preload of the article), at once for a retry.
        let mut document = Box::pin(fetch_document(ctx, fallback));
        let result = if show {
            let after = if retried {
                0
            } else {
                status::SKELETON_AFTER_MS
            };
            let slow = Box::pin(clock::sleep(after));
            match future::select(document.as_mut(), slow).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => {
                    status.show(move || status::article_skeleton(lang));
                    document.await
                }
            }
        } else {
            document.await
        };
        match result {
            Ok((a, base, live)) => {
                arrived.set(true);
                status.clear();
                if show {
                    // Its views when the page's visits name it (live only);
                    // the visit starts with the header, not after the body.
                    let views = match &ctx.api {
                        Some(api) if live && visits::article(&a.id) => Some(visits::track(api)),
                        _ => None,
                    };
                    show_article(&content, &a, base, lang, views).await;
                    if let (Some(publisher), Some(doc)) = (&ctx.jsonld, slot.owner_document()) {
                        crate::jsonld::publish(&doc, &a, base, publisher);
                    }
                    // In the frame of the body, so that nothing moves: what
                    // follows the article, and the page reserved no more space.
                    with_it();
                    ready(host);
                    clock::after_paint(100).await;
                }
                return (a, live);
            }
            Err(e) => {
                let retry = retry.clone();
                status.show(move || {
                    status::error_panel(lang, Msg::ErrorTitle, e, move || {
                        let _ = retry.unbounded_send(());
                    })
                });
                ready(host);
                let _ = retries.next().await;
                retried = true;
            }
        }
    }
}

/// The API's document, then (when no API answered) the stand-in `fallback`;
/// with the URL it came from and whether it came from the API.
async fn fetch_document<'a>(
    ctx: &'a Ctx,
    fallback: Option<&'a str>,
) -> Result<(Article, &'a str, bool), Error> {
    let mut result = Err(Error::Timeout);
    for (url, live) in [(Some(&*ctx.base), true), (fallback, false)] {
        let Some(url) = url else { break };
        match api::article_at(url).await {
            Ok(a) => {
                result = Ok((a, url, live));
                break;
            }
            Err(e) if live => {
                let no_api = e.no_api();
                result = Err(e);
                if !no_api {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    result
}

/// The header first, painted alone; then the body.
async fn show_article(
    content: &HtmlElement,
    a: &Article,
    base: &str,
    lang: Lang,
    views: Option<visits::Shared>,
) {
    let shell = a.clone();
    let base_of_shell = base.to_owned();
    mount_to(content.clone(), move || {
        article::article_view(&shell, &base_of_shell, lang, false, views)
    })
    .forget();
    clock::after_paint(100).await;
    let body = content
        .query_selector(".bt-body")
        .ok()
        .flatten()
        .map(wasm_bindgen::JsCast::unchecked_into::<HtmlElement>);
    let article = content
        .query_selector("article")
        .ok()
        .flatten()
        .map(wasm_bindgen::JsCast::unchecked_into::<HtmlElement>);
    if let (Some(body), Some(article)) = (body, article) {
        let (blocks, related, base) = (a.blocks.clone(), a.related.clone(), base.to_owned());
        let base_of_related = base.clone();
        // Block by block, yielding to the browser every few milliseconds: a
        // long article on a slow phone is not one long task.
        let mut slice = clock::now_ms();
        for block in blocks {
            if clock::now_ms() - slice > BODY_SLICE_MS {
                clock::yield_now().await;
                slice = clock::now_ms();
            }
            let base = base.clone();
            mount_to(body.clone(), move || article::block_view(&block, &base)).forget();
        }
        mount_to(article.clone(), move || {
            article::related_view(&related, &base_of_related, lang)
        })
        .forget();
        let _ = article.class_list().remove_1(article::PENDING);
    }
}
