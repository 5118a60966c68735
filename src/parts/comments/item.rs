//! One comment: its text, the like button, the reply button, and the
//! author's own edit and delete while the server's window is open.

use super::list::List;
use super::own;
use crate::clock::{now_secs, sleep};
use crate::error::Error;
use crate::format;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang};
use crate::visitor;
use bantin_protocol::api::{codes, Comment, CommentEdit, CommentStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What one shown comment can change into; `Copy`, shared by its handlers.
#[derive(Clone, Copy)]
struct Item {
    id: u64,
    list: List,
    lang: Lang,
    likes: RwSignal<u64>,
    liked: RwSignal<bool>,
    liking: RwSignal<bool>,
    body: RwSignal<String>,
    edited: RwSignal<bool>,
    gone: RwSignal<bool>,
    /// The reader wrote it and the server's window is open.
    own: RwSignal<bool>,
    editing: RwSignal<bool>,
    confirming: RwSignal<bool>,
    busy: RwSignal<bool>,
    /// "Báo cáo vi phạm": asked to confirm, being sent, done.
    reporting: RwSignal<bool>,
    reported: RwSignal<bool>,
    draft: RwSignal<String>,
    note: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
}

impl Item {
    fn new(c: &Comment, list: List, lang: Lang) -> Item {
        let article = list.article();
        let editable = own::editable(&article, c.id);
        let item = Item {
            id: c.id,
            list,
            lang,
            likes: RwSignal::new(c.likes),
            liked: RwSignal::new(own::is_liked(&article, c.id)),
            liking: RwSignal::new(false),
            body: RwSignal::new(c.body.clone()),
            edited: RwSignal::new(c.edited_at.is_some()),
            gone: RwSignal::new(c.deleted),
            own: RwSignal::new(editable.is_some() && !c.deleted),
            editing: RwSignal::new(false),
            confirming: RwSignal::new(false),
            busy: RwSignal::new(false),
            reporting: RwSignal::new(false),
            reported: RwSignal::new(false),
            draft: RwSignal::new(String::new()),
            note: RwSignal::new(None),
            problem: RwSignal::new(None),
        };
        if let Some((_, until)) = editable {
            // The buttons go when the window closes.
            let left_ms = (until - now_secs()).clamp(0, 86_400) * 1000;
            spawn_local(async move {
                sleep(left_ms as i32).await;
                if item.editing.get_untracked() {
                    item.closed();
                } else {
                    item.own.set(false);
                }
            });
        }
        item
    }

    fn toggle_like(self) {
        let Some(api) = self.list.client() else {
            return;
        };
        if self.liking.get_untracked() {
            return;
        }
        let (was, count) = (self.liked.get_untracked(), self.likes.get_untracked());
        let on = !was;
        // Shown at once, put back if the server says no.
        self.liked.set(on);
        self.likes.set(if on {
            count + 1
        } else {
            count.saturating_sub(1)
        });
        self.liking.set(true);
        let (article, id, lang) = (self.list.article(), self.id, self.lang);
        spawn_local(async move {
            let result = visitor::with_credential(&api, |token| {
                let (api, article) = (api.clone(), article.clone());
                async move { api.like(&article, id, token, on).await }
            })
            .await;
            match result {
                Ok(r) => {
                    self.likes.set(r.likes);
                    self.liked.set(r.liked);
                    own::set_liked(&article, id, r.liked);
                    self.problem.set(None);
                }
                Err(e) => {
                    self.liked.set(was);
                    self.likes.set(count);
                    let why = if e.code() == codes::NETWORK_CAP_REACHED {
                        t(lang, Msg::LikeCapReached).to_owned()
                    } else {
                        t1(lang, Msg::LikeFailed, &e.message(lang))
                    };
                    self.problem.set(Some(why));
                }
            }
            self.liking.set(false);
        });
    }

    fn report(self) {
        let Some(api) = self.list.client() else {
            return;
        };
        self.busy.set(true);
        let (article, id, lang) = (self.list.article(), self.id, self.lang);
        spawn_local(async move {
            let result = visitor::with_credential(&api, |token| {
                let (api, article) = (api.clone(), article.clone());
                async move { api.report(&article, id, token).await }
            })
            .await;
            match result {
                // 409: this reader reported it before; once is enough.
                Err(e) if e.status() != Some(409) => {
                    self.problem
                        .set(Some(t1(lang, Msg::ReportFailed, &e.message(lang))))
                }
                _ => {
                    self.reporting.set(false);
                    self.reported.set(true);
                    self.problem.set(None);
                    self.note.set(Some(t(lang, Msg::Reported).to_owned()));
                }
            }
            self.busy.set(false);
        });
    }

    /// The window closed (or the server does not know the secret): the
    /// buttons go, with a word why.
    fn closed(self) {
        own::forget(&self.list.article(), self.id, false);
        self.own.set(false);
        self.confirming.set(false);
        // Text the reader edited stays in its box, to be copied ("Huỷ" closes it).
        let kept = self.editing.get_untracked();
        let message = if kept {
            Msg::EditClosedKept
        } else {
            Msg::EditClosed
        };
        self.problem.set(Some(t(self.lang, message).to_owned()));
    }

    fn refused(self, e: &Error) -> bool {
        let closed = [codes::EDIT_WINDOW_CLOSED, codes::EDIT_FORBIDDEN].contains(&e.code());
        if closed {
            self.closed();
        }
        closed
    }

    fn save(self) {
        let (Some(api), article) = (self.list.client(), self.list.article()) else {
            return;
        };
        let Some((token, _)) = own::editable(&article, self.id) else {
            return self.closed();
        };
        let body = self.draft.get_untracked();
        if body.trim().is_empty() {
            let required = crate::i18n::t(self.lang, Msg::BodyRequired).to_owned();
            return self.problem.set(Some(required));
        }
        self.busy.set(true);
        let (id, lang) = (self.id, self.lang);
        spawn_local(async move {
            match api
                .edit_comment(&article, id, &CommentEdit { body, token })
                .await
            {
                Ok(done) => {
                    self.list.own_changed(id, Some(&done));
                    self.body.set(done.body);
                    self.edited.set(true);
                    self.editing.set(false);
                    self.problem.set(None);
                    let pending = done.status == CommentStatus::Pending;
                    self.note
                        .set(pending.then(|| t(lang, Msg::EditPending).to_owned()));
                }
                Err(e) if self.refused(&e) => {}
                Err(e) => self
                    .problem
                    .set(Some(t1(lang, Msg::EditFailed, &e.message(lang)))),
            }
            self.busy.set(false);
        });
    }

    fn delete(self) {
        let (Some(api), article) = (self.list.client(), self.list.article()) else {
            return;
        };
        let Some((token, _)) = own::editable(&article, self.id) else {
            return self.closed();
        };
        self.busy.set(true);
        let (id, lang) = (self.id, self.lang);
        spawn_local(async move {
            match api.delete_comment(&article, id, &token).await {
                Ok(()) => {
                    self.list.own_changed(id, None);
                    own::forget(&article, id, true);
                    self.own.set(false);
                    self.confirming.set(false);
                    self.problem.set(None);
                    self.gone.set(true);
                }
                Err(e) if self.refused(&e) => {}
                Err(e) => self
                    .problem
                    .set(Some(t1(lang, Msg::EditFailed, &e.message(lang)))),
            }
            self.busy.set(false);
        });
    }
}

fn like_button(item: Item) -> impl IntoView {
    let lang = item.lang;
    let label = move || match item.likes.get() {
        0 => t(lang, Msg::Like).to_owned(),
        n => format!("{} · {}", t(lang, Msg::Like), format::integer(n, lang)),
    };
    let title = move || {
        t1(
            lang,
            Msg::LikeCount,
            &format::integer(item.likes.get(), lang),
        )
    };
    view! {
        <button
            type="button"
            class="bt-link-button bt-like"
            aria-pressed=move || item.liked.get().to_string()
            title=title
            on:click=move |_| item.toggle_like()
        >
            {label}
        </button>
    }
}

/// "Sửa" and "Xoá" for the author, the edit box, and the delete question:
/// built once, shown and hidden (a reactive branch would compile a rebuild
/// path for each of them).
fn own_tools(item: Item) -> impl IntoView {
    let lang = item.lang;
    let start_edit = move |_| {
        item.draft.set(item.body.get_untracked());
        item.note.set(None);
        item.problem.set(None);
        item.editing.set(true);
    };
    let idle = move || !item.own.get() || item.editing.get() || item.confirming.get();
    view! {
        <button type="button" class="bt-link-button" hidden=idle on:click=start_edit>{t(lang, Msg::Edit)}</button>
        <button type="button" class="bt-link-button" hidden=idle on:click=move |_| item.confirming.set(true)>
            {t(lang, Msg::Delete)}
        </button>
        <div class="bt-edit" hidden=move || !item.editing.get()>
            <textarea
                class="bt-input"
                rows="4"
                maxlength=bantin_protocol::limits::COMMENT_BODY_MAX_CHARS.to_string()
                aria-label=t(lang, Msg::EditLabel)
                prop:value=move || item.draft.get()
                on:input=move |ev| item.draft.set(event_target_value(&ev))
            ></textarea>
            <div class="bt-edit-actions">
                <button type="button" class="bt-button" disabled=move || item.busy.get() || !item.own.get() on:click=move |_| item.save()>
                    {t(lang, Msg::Save)}
                </button>
                <button type="button" class="bt-button bt-button-quiet" on:click=move |_| item.editing.set(false)>
                    {t(lang, Msg::Cancel)}
                </button>
            </div>
        </div>
        {question(item, Msg::ConfirmDelete, Msg::Delete, item.confirming, Item::delete)}
    }
}

/// "Xoá bình luận này?" and the like: the question, the button that does
/// it, and "Huỷ"; shown while `open`.
fn question(item: Item, ask: Msg, yes: Msg, open: RwSignal<bool>, act: fn(Item)) -> impl IntoView {
    let lang = item.lang;
    view! {
        <div class="bt-edit-actions" role="group" aria-label=t(lang, ask) hidden=move || !open.get()>
            <span>{t(lang, ask)}</span>
            <button type="button" class="bt-button" disabled=move || item.busy.get() on:click=move |_| act(item)>
                {t(lang, yes)}
            </button>
            <button type="button" class="bt-button bt-button-quiet" on:click=move |_| open.set(false)>
                {t(lang, Msg::Cancel)}
            </button>
        </div>
    }
}

/// "Báo cáo vi phạm" and its question, for other readers' comments.
fn report_tools(item: Item) -> impl IntoView {
    let lang = item.lang;
    let idle = move || item.reporting.get() || item.reported.get();
    view! {
        <button type="button" class="bt-link-button" hidden=idle on:click=move |_| item.reporting.set(true)>
            {t(lang, Msg::Report)}
        </button>
        {question(item, Msg::ConfirmReport, Msg::SendReport, item.reporting, Item::report)}
    }
}

/// A comment and its replies. `reply_to` is given for top-level comments
/// (they can be answered); `more` is their "Xem thêm N trả lời".
pub fn comment_view(
    c: Comment,
    list: List,
    reply_to: Option<RwSignal<Option<(u64, String)>>>,
    more: Option<AnyView>,
    lang: Lang,
) -> AnyView {
    let item = Item::new(&c, list, lang);
    let ago = format::relative(
        now_secs() - c.created_at.unix_seconds(),
        &c.created_at,
        lang,
    );
    let exact = format::date_time(&c.created_at, lang);
    let reply = reply_to.filter(|_| !c.deleted).map(|target| {
        let who = c.author.clone();
        let id = c.id;
        view! {
            <button
                type="button"
                class="bt-link-button"
                on:click=move |ev| {
                    target.set(Some((id, who.clone())));
                    focus_reply_box(&ev);
                }
            >
                {t(lang, Msg::Reply)}
            </button>
        }
    });
    let replies = (!c.replies.is_empty()).then(|| {
        let items = c
            .replies
            .into_iter()
            .map(|r| comment_view(r, list, None, None, lang))
            .collect_view();
        view! { <ul class="bt-replies">{items}</ul> }
    });
    let live = list.client().is_some();
    let tools = item.own.get_untracked().then(|| own_tools(item));
    // Not for one's own comment, also once it cannot be edited any more.
    let report = (live && !c.deleted && c.badge.is_none() && !own::authored(&list.article(), c.id))
        .then(|| report_tools(item));
    // An official reply signed with the badge's own text names it once.
    let badge_only = c.badge.as_deref() == Some(c.author.as_str());
    let badge = c.badge.map(|b| view! { <span class="bt-badge">{b}</span> });
    let pinned = c
        .pinned
        .then(|| view! { <span class="bt-pinned">{t(lang, Msg::Pinned)}</span> });
    let gone = move || item.gone.get();
    let text_of = |s: RwSignal<Option<String>>| move || s.get().unwrap_or_default();
    let none = |s: RwSignal<Option<String>>| move || s.with(Option::is_none);
    view! {
        <li class="bt-comment" class:bt-comment-pinned=c.pinned data-id=c.id.to_string()>
            <p class="bt-muted bt-comment-deleted" hidden=move || !gone()>{t(lang, Msg::Deleted)}</p>
            <p class="bt-comment-meta" hidden=gone>
                <strong class="bt-comment-author" hidden=badge_only>{c.author}</strong>
                {badge}
                {pinned}
                " · "
                <time datetime=c.created_at.to_string() title=exact>{ago}</time>
                <span class="bt-edited" hidden=move || !item.edited.get()>
                    " · " {t(lang, Msg::Edited)}
                </span>
            </p>
            <p class="bt-comment-body" hidden=move || gone() || item.editing.get()>{move || item.body.get()}</p>
            <div class="bt-comment-actions" hidden=gone>
                {(live && !c.deleted).then(|| like_button(item))}
                {reply}
                {tools}
                {report}
            </div>
            <p class="bt-notice" role="status" hidden=none(item.note)>{text_of(item.note)}</p>
            <p class="bt-inline-error" role="alert" hidden=none(item.problem)>{text_of(item.problem)}</p>
            {replies}
            {more}
        </li>
    }
    .into_any()
}

/// "Trả lời": the form's text box is focused, which brings it into view on a
/// phone and reads out the "Đang trả lời …" line above it (its description).
fn focus_reply_box(ev: &web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    let body = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".bt-comments").ok().flatten())
        .and_then(|section| section.query_selector("#bt-body").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(body) = body {
        let _ = body.focus();
    }
}
