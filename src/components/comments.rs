//! The comments part. Without an API (static mode) it says why posting is off.

use crate::i18n::{t, Lang, Msg};
use leptos::prelude::*;

pub fn comments_view(lang: Lang) -> impl IntoView {
    view! {
        <section class="bt-comments" aria-label=t(lang, Msg::CommentsHeading)>
            <h2 class="bt-part-title">{t(lang, Msg::CommentsHeading)}</h2>
            <p class="bt-notice">{t(lang, Msg::CommentsStatic)}</p>
        </section>
    }
}
