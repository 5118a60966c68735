//! One mount point: loads the article once, then renders the parts it was asked for.

use super::{article, comments, counters, rating, status};
use crate::api::{self, LoadError};
use crate::config::{CaptchaMode, Config, Parts};
use crate::i18n::Lang;
use crate::{clock, visits};
use bantin_protocol::Article;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// What every part of one mount point needs to know.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// API base; `None` is static mode.
    pub api: Option<String>,
    pub captcha: CaptchaMode,
    /// Absolute URL of the article JSON: relative URLs inside it resolve against it.
    pub base: String,
}

#[derive(Clone)]
enum Load {
    Loading,
    Ready,
    Failed(LoadError),
}

/// Loads the article document. The skeleton (after a delay) and the error
/// panel with its retry are reactive; the loaded article is mounted once by
/// `on_ready` into an element of its own instead of through a reactive
/// branch, which would compile a rebuild path for all it shows (the two
/// loaders' branches cost 19 KB of wasm gzip). `settled` runs after every
/// attempt, successful or not.
fn article_loader(
    url: String,
    lang: Lang,
    with_article: bool,
    on_ready: impl Fn(HtmlElement, Arc<Article>) + Clone + Send + Sync + 'static,
    settled: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let state = RwSignal::new(Load::Loading);
    let slot = NodeRef::<leptos::html::Div>::new();
    let wait = status::delayed();
    let load = move || {
        let (url, on_ready, settled) = (url.clone(), on_ready.clone(), settled.clone());
        state.set(Load::Loading);
        spawn_local(async move {
            match api::fetch_article(&url).await {
                Ok(a) => {
                    // The slot exists: this view was mounted before any task ran.
                    if let Some(div) = slot.get_untracked() {
                        on_ready(div.unchecked_into(), a);
                    }
                    state.set(Load::Ready);
                }
                Err(e) => state.set(Load::Failed(e)),
            }
            settled();
        });
    };
    load();
    view! {
        <div class="bt-slot" node_ref=slot></div>
        {move || match state.get() {
            Load::Loading => status::skeleton(lang, with_article, wait).into_any(),
            Load::Failed(e) => status::error_panel(lang, e, load.clone()).into_any(),
            Load::Ready => ().into_any(),
        }}
    }
}

/// Resolves `url` against the page, so relative image paths in the article
/// are taken relative to the article's JSON, not to the host page.
fn absolute(url: &str) -> String {
    let page = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    web_sys::Url::new_with_base(url, &page)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_owned())
}

/// Renders one mount point into `root`. Each branch is mounted as its own
/// view type: joining them with `into_any` would compile a rebuild path for
/// every part that is never rebuilt (several KB of wasm). Everything reactive
/// happens inside `mount_to`, which gives it an owner and starts the executor.
pub fn mount_widget(root: HtmlElement, config: Config) {
    let lang = config.lang;
    let parts = config.parts;
    let api = config.api.as_deref().map(absolute);
    // Visits are counted by any mount point that knows the API, once per page.
    let track = |api: &Option<String>| api.as_deref().map(visits::track);
    let Some(article_url) = config.article_url.as_deref().map(absolute) else {
        // A counters-only mount with an API: no article to load.
        mount_to(root, move || {
            let live = track(&api).expect("config guarantees an API");
            counters::live_counters_view(live, None, lang)
        })
        .forget();
        return;
    };
    let ctx = Ctx {
        lang,
        api,
        captcha: config.captcha,
        base: article_url.clone(),
    };
    if let (Some(id), Some(_)) = (config.article_id.clone(), &ctx.api) {
        mount_to(root, move || by_id_view(ctx, parts, id, article_url)).forget();
        return;
    }
    mount_to(root, move || {
        let live = track(&ctx.api);
        let on_ready = move |slot: HtmlElement, a: Arc<Article>| {
            let (ctx, live) = (ctx.clone(), live.clone());
            mount_to(slot, move || ready_view(&ctx, parts, &a, live, false)).forget();
        };
        article_loader(article_url, lang, parts.article, on_ready, || ())
    })
    .forget();
}

/// With an API and a known article id, only the article part waits for the
/// document: rating, comments and counters talk to the API directly, so a
/// reader's draft is there even when the article cannot be loaded.
fn by_id_view(ctx: Ctx, parts: Parts, id: String, article_url: String) -> impl IntoView {
    let lang = ctx.lang;
    let article_ctx = ctx.clone();
    let article_only = Parts {
        article: true,
        ..Parts::default()
    };
    // The reader came for the article: it is rendered and painted first, and
    // the other parts are mounted after it in a later task (at most
    // REST_AFTER_MS later when the article is slow), so their work does not
    // delay the title. A separate mount, not a reactive branch, because a
    // branch would compile a second (rebuild) copy of every part's view code.
    let rest = NodeRef::<leptos::html::Div>::new();
    let mounted = StoredValue::new(false);
    let mount_rest = move || {
        let Some(div) = rest.get_untracked() else {
            return;
        };
        if mounted.get_value() {
            return;
        }
        mounted.set_value(true);
        let (ctx, id) = (ctx.clone(), id.clone());
        mount_to(div.unchecked_into(), move || {
            // Counting the visit waits too: its code and request are not
            // what the reader is waiting for.
            let live = ctx.api.as_deref().map(visits::track);
            view! {
                {parts.rating.then(|| rating::rating_view(&ctx, &id, None))}
                {parts.comments.then(|| comments::comments_view(&ctx, &id))}
                {parts.counters.then(|| counters::live_counters_view(live.expect("an API"), None, lang))}
            }
        })
        .forget();
    };
    if !parts.article {
        // Nothing to wait for: mounted as soon as its container is.
        let mount_rest = mount_rest.clone();
        rest.on_load(move |_| mount_rest());
    }
    let show_rest = move |wait_ms| {
        let mount_rest = mount_rest.clone();
        spawn_local(async move {
            if wait_ms > 0 {
                clock::sleep(wait_ms).await;
            } else {
                clock::after_paint(100).await;
            }
            mount_rest();
        })
    };
    let article = parts.article.then(|| {
        let on_ready = move |slot: HtmlElement, a: Arc<Article>| {
            let ctx = article_ctx.clone();
            mount_to(slot, move || ready_view(&ctx, article_only, &a, None, true)).forget();
        };
        let settled = {
            let show_rest = show_rest.clone();
            move || show_rest(0)
        };
        show_rest(REST_AFTER_MS);
        article_loader(article_url, lang, true, on_ready, settled)
    });
    view! {
        {article}
        <div class="bt-rest" node_ref=rest></div>
    }
}

/// How long rating, comments and counters wait for a slow article before
/// they are shown anyway.
const REST_AFTER_MS: i32 = 600;

/// `paint_first`: the article's body follows its header a frame later (see
/// [`article::article_view`]); the static mode renders everything at once.
fn ready_view(
    ctx: &Ctx,
    parts: Parts,
    a: &Article,
    live: Option<visits::Shared>,
    paint_first: bool,
) -> impl IntoView {
    let lang = ctx.lang;
    view! {
        {parts.article.then(|| article::article_view(a, &ctx.base, lang, paint_first))}
        {parts.rating.then(|| rating::rating_view(ctx, &a.id, Some(a.rating)))}
        {parts.comments.then(|| comments::comments_view(ctx, &a.id))}
        {parts.counters.then(|| match live {
            Some(shared) => counters::live_counters_view(shared, Some(a.counters), lang).into_any(),
            None => counters::counters_view(a.counters, lang).into_any(),
        })}
    }
}
