//! Loading skeletons and error panels.

use crate::error::Error;
use crate::i18n::{t, Lang, Msg};
use leptos::prelude::*;

/// Grey bars in the shape of an article, shown while a slow one loads.
pub fn article_skeleton(lang: Lang) -> impl IntoView {
    view! {
        <div class="bt-skeleton bt-skeleton-article" role="status" aria-live="polite">
            <span class="bt-visually-hidden">{t(lang, Msg::Loading)}</span>
            <div class="bt-sk bt-sk-meta"></div>
            <div class="bt-sk bt-sk-title"></div>
            <div class="bt-sk bt-sk-title bt-sk-short"></div>
            <div class="bt-sk bt-sk-line"></div>
            <div class="bt-sk bt-sk-image"></div>
            <div class="bt-sk bt-sk-line"></div>
            <div class="bt-sk bt-sk-line bt-sk-short"></div>
        </div>
    }
}

/// How long the article may take before its skeleton is drawn.
pub const SKELETON_AFTER_MS: i32 = 150;

/// What went wrong, in the reader's language, and a retry button. `title`
/// names what could not be loaded.
pub fn error_panel(
    lang: Lang,
    title: Msg,
    error: Error,
    retry: impl Fn() + Clone + Send + 'static,
) -> impl IntoView {
    let detail = error.detail().map(str::to_owned);
    view! {
        <div class="bt-error" role="alert">
            <p class="bt-error-title">{t(lang, title)}</p>
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

/// The place of the rating and comments until their code has loaded: the
/// headings they will have and bars of the form's size, so that nothing
/// below moves when they arrive.
pub fn deferred_skeleton(lang: Lang, rating: bool, comments: bool) -> impl IntoView {
    view! {
        <div class="bt-deferred" role="status" aria-busy="true">
            <span class="bt-visually-hidden">{t(lang, Msg::DeferredLoading)}</span>
            {rating.then(|| view! {
                <div class="bt-deferred-rating">
                    <p class="bt-part-title">{t(lang, Msg::RatingHeading)} ":"</p>
                    <div class="bt-sk bt-sk-stars"></div>
                    <div class="bt-sk bt-sk-line bt-sk-short"></div>
                </div>
            })}
            {comments.then(|| view! {
                <div class="bt-deferred-comments">
                    <p class="bt-part-title">{t(lang, Msg::CommentsHeading)}</p>
                    <div class="bt-sk bt-sk-textarea"></div>
                    <div class="bt-sk bt-sk-input"></div>
                    <div class="bt-sk bt-sk-input"></div>
                    <div class="bt-sk bt-sk-button"></div>
                </div>
            })}
        </div>
    }
}
