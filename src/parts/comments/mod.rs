//! The comments part: the form (with captcha, drafts and an outbox) above the
//! list (newest first, one level of replies, "Xem thêm" paging).

mod captcha;
pub mod draft;
mod form;
mod item;
mod list;
pub mod outbox;
pub mod own;

pub use captcha::{code_matches, new_code};

use crate::ctx::Ctx;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

pub fn comments_view(ctx: &Ctx, article_id: &str) -> impl IntoView {
    let lang = ctx.lang;
    let list = list::List::new(ctx, article_id);
    let reply_to = RwSignal::new(None::<(u64, String)>);
    let outbox = outbox::Outbox::new(ctx, article_id, reply_to, list);
    view! {
        <section class="bt-comments" aria-labelledby="bt-comments-title">
            <h2 class="bt-part-title" id="bt-comments-title">{t(lang, Msg::CommentsHeading)}</h2>
            {form::comment_form(outbox, ctx.captcha, lang)}
            {list::list_view(list, reply_to, lang)}
        </section>
    }
}
