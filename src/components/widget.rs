//! One mount point: loads the article once, then renders the parts it was asked for.

use super::{article, comments, counters, rating, status};
use crate::api::{self, LoadError};
use crate::config::Config;
use bantin_protocol::Article;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

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
    let state = RwSignal::new(Load::Loading);
    let article_url = absolute(&config.article_url);
    let base = article_url.clone();

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

    move || match state.get() {
        Load::Loading => status::skeleton(lang, parts.article).into_any(),
        Load::Failed(e) => status::error_panel(lang, e, load.clone()).into_any(),
        Load::Ready(a) => view! {
            {parts.article.then(|| article::article_view(&a, &base, lang))}
            {parts.rating.then(|| rating::rating_view(a.rating, lang))}
            {parts.comments.then(|| comments::comments_view(lang))}
            {parts.counters.then(|| counters::counters_view(a.counters, lang))}
        }
        .into_any(),
    }
}
