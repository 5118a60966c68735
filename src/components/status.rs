//! Loading skeleton and error panels.

use crate::api::LoadError;
use crate::i18n::{t, Lang, Msg};
use leptos::prelude::*;

/// Grey bars shown while loading: the shape of an article, or two short
/// lines for a mount point without the article (a sidebar's counters).
/// `hidden` while `wait` holds: see [`delayed`].
pub fn skeleton(lang: Lang, with_article: bool, wait: RwSignal<bool>) -> impl IntoView {
    let article = with_article.then(|| {
        view! {
            <div class="bt-sk bt-sk-meta"></div>
            <div class="bt-sk bt-sk-title"></div>
            <div class="bt-sk bt-sk-title bt-sk-short"></div>
            <div class="bt-sk bt-sk-line"></div>
            <div class="bt-sk bt-sk-image"></div>
        }
    });
    view! {
        <div class="bt-skeleton" role="status" aria-live="polite" hidden=move || wait.get()>
            <span class="bt-visually-hidden">{t(lang, Msg::Loading)}</span>
            {article}
            <div class="bt-sk bt-sk-line"></div>
            <div class="bt-sk bt-sk-line bt-sk-short"></div>
        </div>
    }
}

/// `true` for the first [`SKELETON_AFTER_MS`], then `false`. A skeleton only
/// for a slow load: drawing it costs a frame before content that was already
/// on its way (the page's preload of the article).
pub fn delayed() -> RwSignal<bool> {
    let wait = RwSignal::new(true);
    leptos::task::spawn_local(async move {
        crate::clock::sleep(SKELETON_AFTER_MS).await;
        wait.set(false);
    });
    wait
}

const SKELETON_AFTER_MS: i32 = 150;

/// A failed load: what went wrong, in the reader's language, and a retry button.
pub fn error_panel(
    lang: Lang,
    error: LoadError,
    retry: impl Fn() + Clone + Send + 'static,
) -> impl IntoView {
    let detail = error.detail().map(str::to_owned);
    view! {
        <div class="bt-error" role="alert">
            <p class="bt-error-title">{t(lang, Msg::ErrorTitle)}</p>
            <p class="bt-error-message">{error.message(lang)}</p>
            {detail.map(|d| view! {
                <details class="bt-error-detail">
                    <summary>{t(lang, Msg::TechnicalDetails)}</summary>
                    <code>{d}</code>
                </details>
            })}
            <button type="button" class="bt-button" on:click=move |_| retry()>
                {t(lang, Msg::Retry)}
            </button>
        </div>
    }
}

/// A mount point whose attributes are wrong: says which and how to fix it.
pub fn config_error_panel(lang: Lang, message: String) -> impl IntoView {
    view! {
        <div class="bt-error bt-config-error" role="alert">
            <p class="bt-error-title">{t(lang, Msg::ConfigTitle)}</p>
            <p class="bt-error-message">{message}</p>
        </div>
    }
}
