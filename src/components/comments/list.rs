//! Published comments: loading, paging with a cursor, and rendering as text.

use super::super::widget::Ctx;
use crate::api;
use crate::clock::now_secs;
use crate::format;
use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::api::{Comment, CommentPage};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub const PAGE_SIZE: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub enum ListStatus {
    /// Static mode: there is no list to load.
    Offline,
    Loading,
    Ready,
    Failed(String),
}

/// The list's state: plain signals, so it is `Copy` and shared with the form.
#[derive(Clone, Copy)]
pub struct List {
    pub items: RwSignal<Vec<Comment>>,
    pub next: RwSignal<Option<String>>,
    pub status: RwSignal<ListStatus>,
    pub loading_more: RwSignal<bool>,
    url: StoredValue<Option<String>>,
    lang: Lang,
}

impl List {
    pub fn new(ctx: &Ctx, article_id: &str) -> List {
        let url = ctx
            .api
            .as_ref()
            .map(|api| format!("{api}/articles/{article_id}/comments"));
        let list = List {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            status: RwSignal::new(if url.is_some() {
                ListStatus::Loading
            } else {
                ListStatus::Offline
            }),
            loading_more: RwSignal::new(false),
            url: StoredValue::new(url),
            lang: ctx.lang,
        };
        list.load(None);
        list
    }

    /// Loads the first page (`cursor` = None) or the page after `cursor`.
    pub fn load(self, cursor: Option<String>) {
        let Some(url) = self.url.get_value() else {
            return;
        };
        let first = cursor.is_none();
        if first {
            self.status.set(ListStatus::Loading);
        } else {
            self.loading_more.set(true);
        }
        let mut url = format!("{url}?limit={PAGE_SIZE}");
        if let Some(c) = &cursor {
            url.push_str("&cursor=");
            url.push_str(&String::from(js_sys::encode_uri_component(c)));
        }
        spawn_local(async move {
            match api::request::<CommentPage>("GET", &url, None).await {
                Ok(page) => {
                    self.items.update(|items| {
                        if first {
                            items.clear();
                        }
                        // A comment the reader just posted may already be listed.
                        for c in page.items {
                            if !items.iter().any(|i| i.id == c.id) {
                                items.push(c);
                            }
                        }
                    });
                    self.next.set(page.next);
                    self.status.set(ListStatus::Ready);
                }
                Err(f) if first => self.status.set(ListStatus::Failed(f.message(self.lang))),
                Err(f) => self.status.set(ListStatus::Failed(f.message(self.lang))),
            }
            self.loading_more.set(false);
        });
    }

    /// Shows a comment the server has just published.
    /// Shows the reader's own new comment; a resent one the list already
    /// holds (its answer was lost, the page reloaded) is not shown twice.
    pub fn add(self, comment: Comment) {
        self.items.update(|items| {
            let known = items
                .iter()
                .any(|c| c.id == comment.id || c.replies.iter().any(|r| r.id == comment.id));
            if known {
                return;
            }
            match comment.parent_id {
                Some(parent) => {
                    if let Some(p) = items.iter_mut().find(|c| c.id == parent) {
                        p.replies.push(comment);
                    }
                }
                None => items.insert(0, comment),
            }
        });
    }
}

fn comment_view(
    c: Comment,
    reply_to: Option<RwSignal<Option<(u64, String)>>>,
    lang: Lang,
) -> AnyView {
    let ago = format::relative(
        now_secs() - c.created_at.unix_seconds(),
        &c.created_at,
        lang,
    );
    let exact = format::date_time(&c.created_at, lang);
    let reply = reply_to.map(|target| {
        let who = c.author.clone();
        let id = c.id;
        view! {
            <button
                type="button"
                class="bt-link-button"
                on:click=move |_| target.set(Some((id, who.clone())))
            >
                {t(lang, Msg::Reply)}
            </button>
        }
    });
    let replies = (!c.replies.is_empty()).then(|| {
        let items = c
            .replies
            .into_iter()
            .map(|r| comment_view(r, None, lang))
            .collect_view();
        view! { <ul class="bt-replies">{items}</ul> }
    });
    view! {
        <li class="bt-comment" data-id=c.id.to_string()>
            <p class="bt-comment-meta">
                <strong class="bt-comment-author">{c.author}</strong>
                " · "
                <time datetime=c.created_at.to_string() title=exact>{ago}</time>
            </p>
            <p class="bt-comment-body">{c.body}</p>
            {reply}
            {replies}
        </li>
    }
    .into_any()
}

pub fn list_view(
    list: List,
    reply_to: RwSignal<Option<(u64, String)>>,
    lang: Lang,
) -> impl IntoView {
    let more = move |_| {
        if let Some(cursor) = list.next.get_untracked() {
            list.load(Some(cursor));
        }
    };
    view! {
        <div class="bt-comment-list" aria-live="polite" aria-busy=move || (list.status.get() == ListStatus::Loading).to_string()>
            {move || match list.status.get() {
                ListStatus::Offline => ().into_any(),
                ListStatus::Loading => view! {
                    <div class="bt-skeleton"><div class="bt-sk bt-sk-line"></div><div class="bt-sk bt-sk-line bt-sk-short"></div></div>
                }.into_any(),
                ListStatus::Failed(message) => view! {
                    <div class="bt-inline-error" role="alert">
                        <p>{t1(lang, Msg::CommentsLoadFailed, &message)}</p>
                        <button type="button" class="bt-button bt-button-quiet" on:click=move |_| list.load(None)>
                            {t(lang, Msg::Retry)}
                        </button>
                    </div>
                }.into_any(),
                ListStatus::Ready if list.items.with(Vec::is_empty) => view! {
                    <p class="bt-muted">{t(lang, Msg::CommentsEmpty)}</p>
                }.into_any(),
                ListStatus::Ready => ().into_any(),
            }}
            <ul class="bt-comment-items">
                <For
                    each=move || list.items.get()
                    key=|c| (c.id, c.replies.len())
                    children=move |c| comment_view(c, Some(reply_to), lang)
                />
            </ul>
            <Show when=move || list.next.with(Option::is_some)>
                <button
                    type="button"
                    class="bt-button bt-button-quiet bt-more"
                    on:click=more
                    disabled=move || list.loading_more.get()
                >
                    {move || if list.loading_more.get() { t(lang, Msg::LoadingMore) } else { t(lang, Msg::MoreComments) }}
                </button>
            </Show>
        </div>
    }
}
