//! One mount point: loads the article once, then renders the parts it was asked for.

use super::{article, comments, counters, rating, status};
use crate::api::{self, LoadError};
use crate::config::{CaptchaMode, Config, Parts};
use crate::i18n::Lang;
use crate::visits;
use bantin_protocol::Article;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

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
    Ready(Arc<Article>),
    Failed(LoadError),
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

pub fn widget(config: Config) -> impl IntoView {
    let lang = config.lang;
    let parts = config.parts;
    let api = config.api.as_deref().map(absolute);
    // Visits are counted by any mount point that knows the API, once per page.
    let live = api.as_deref().map(visits::track);
    let Some(article_url) = config.article_url.as_deref().map(absolute) else {
        // A counters-only mount with an API: no article to load.
        return counters::live_counters_view(live.expect("config guarantees an API"), None, lang)
            .into_any();
    };
    let ctx = Ctx {
        lang,
        api,
        captcha: config.captcha,
        base: article_url.clone(),
    };
    if let (Some(id), Some(_)) = (config.article_id.clone(), &ctx.api) {
        return by_id_view(ctx, parts, id, article_url, live).into_any();
    }
    let state = RwSignal::new(Load::Loading);
    let load = move || {
        let url = article_url.clone();
        state.set(Load::Loading);
        spawn_local(async move {
            let result = api::fetch_article(&url).await;
            state.set(match result {
                Ok(a) => Load::Ready(a),
                Err(e) => Load::Failed(e),
            });
        });
    };
    load();

    (move || match state.get() {
        Load::Loading => status::skeleton(lang, parts.article).into_any(),
        Load::Failed(e) => status::error_panel(lang, e, load.clone()).into_any(),
        Load::Ready(a) => ready_view(&ctx, parts, &a, live.clone()).into_any(),
    })
    .into_any()
}

/// With an API and a known article id, only the article part waits for the
/// document: rating, comments and counters talk to the API directly, so a
/// reader's draft is there even when the article cannot be loaded.
fn by_id_view(
    ctx: Ctx,
    parts: Parts,
    id: String,
    article_url: String,
    live: Option<visits::Shared>,
) -> impl IntoView {
    let lang = ctx.lang;
    let article_only = Parts {
        article: true,
        ..Parts::default()
    };
    let state = RwSignal::new(Load::Loading);
    let load = move || {
        let url = article_url.clone();
        state.set(Load::Loading);
        spawn_local(async move {
            let result = api::fetch_article(&url).await;
            state.set(match result {
                Ok(a) => Load::Ready(a),
                Err(e) => Load::Failed(e),
            });
        });
    };
    if parts.article {
        load();
    }
    let article_ctx = ctx.clone();
    let article = parts.article.then_some(move || match state.get() {
        Load::Loading => status::skeleton(lang, true).into_any(),
        Load::Failed(e) => status::error_panel(lang, e, load.clone()).into_any(),
        Load::Ready(a) => ready_view(&article_ctx, article_only, &a, None).into_any(),
    });
    view! {
        {article}
        {parts.rating.then(|| rating::rating_view(&ctx, &id, None))}
        {parts.comments.then(|| comments::comments_view(&ctx, &id))}
        {parts.counters.then(|| counters::live_counters_view(live.expect("an API"), None, lang))}
    }
}

fn ready_view(ctx: &Ctx, parts: Parts, a: &Article, live: Option<visits::Shared>) -> impl IntoView {
    let lang = ctx.lang;
    view! {
        {parts.article.then(|| article::article_view(a, &ctx.base, lang))}
        {parts.rating.then(|| rating::rating_view(ctx, &a.id, Some(a.rating)))}
        {parts.comments.then(|| comments::comments_view(ctx, &a.id))}
        {parts.counters.then(|| match live {
            Some(shared) => counters::live_counters_view(shared, Some(a.counters), lang).into_any(),
            None => counters::counters_view(a.counters, lang).into_any(),
        })}
    }
}
