//! Published comments: loading, paging with a cursor, and rendering as text.

use crate::api::Client;
use crate::clock;
use crate::ctx::Ctx;
use crate::format;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang, Msg as Common};
use crate::remote::Remote;
use bantin_protocol::api::{Comment, CommentEdited, CommentSort, CommentStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Comments (and replies) built in one task (bench/notes.md, "Many comments").
const MOUNT_AT_ONCE: usize = 3;

/// The comments of one page as the server sent it (the reader's own new
/// comments join the first). Each page is rendered apart, so a new page
/// neither clones nor compares the ones above it, and the browser can skip
/// whole pages out of view.
#[derive(Clone)]
struct Page {
    key: u64,
    items: ArcRwSignal<Vec<Comment>>,
}

/// The list's state: plain signals, so it is `Copy` and shared with the form.
#[derive(Clone, Copy)]
pub struct List {
    pages: RwSignal<Vec<Page>>,
    /// The key of the next page made.
    made: StoredValue<u64>,
    /// Counts first-page loads: an answer (or a page being mounted) of an
    /// older one, such as the order before the reader changed it, is dropped.
    generation: StoredValue<u64>,
    /// The reader's own comments added while the first page is on its way:
    /// the server may have built that page before they were stored.
    added: StoredValue<Vec<Comment>>,
    /// The reader's own replies shown under a comment before replies of it
    /// the server has not sent yet: they are no cursor for the next ones.
    ahead: StoredValue<Vec<Comment>>,
    /// The cursor of the page after the last one shown.
    pub next: RwSignal<Option<String>>,
    /// The first page. Nothing is loaded in static mode (no API).
    pub first: RwSignal<Remote<()>>,
    /// The latest "Xem thêm" page: `Ready` when none is loading.
    pub more: RwSignal<Remote<()>>,
    /// The comment whose further replies are loading or failed to load.
    pub replies: RwSignal<Option<(u64, Remote<()>)>>,
    /// The order of top-level comments, the reader's choice.
    pub sort: RwSignal<CommentSort>,
    api: StoredValue<Option<Client>>,
    article_id: StoredValue<String>,
    /// The list's element, where a "Xem thêm" page's first comment is found.
    root: NodeRef<leptos::html::Div>,
}

impl List {
    pub fn new(ctx: &Ctx, article_id: &str) -> List {
        let list = List {
            pages: RwSignal::new(Vec::new()),
            made: StoredValue::new(0),
            generation: StoredValue::new(0),
            added: StoredValue::new(Vec::new()),
            ahead: StoredValue::new(Vec::new()),
            next: RwSignal::new(None),
            first: RwSignal::new(Remote::Loading),
            more: RwSignal::new(Remote::Ready(())),
            replies: RwSignal::new(None),
            sort: RwSignal::new(super::own::sort()),
            api: StoredValue::new(ctx.api.clone()),
            article_id: StoredValue::new(article_id.to_owned()),
            root: NodeRef::new(),
        };
        list.load_first();
        list
    }

    pub fn is_static(&self) -> bool {
        self.api.with_value(Option::is_none)
    }

    pub fn client(&self) -> Option<Client> {
        self.api.get_value()
    }

    pub fn article(&self) -> String {
        self.article_id.get_value()
    }

    /// Shows the comments in another order, from the first page; the
    /// choice is kept for the reader's next visits.
    pub fn sort_by(self, sort: CommentSort) {
        if sort == self.sort.get_untracked() {
            return;
        }
        self.sort.set(sort);
        super::own::set_sort(sort);
        self.next.set(None);
        self.load_first();
    }

    /// (Re)loads the first page: what the list shows is replaced.
    pub fn load_first(self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        self.first.set(Remote::Loading);
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.added.set_value(Vec::new());
        self.ahead.set_value(Vec::new());
        // The "Xem thêm" of what was shown: its failure goes, and a request
        // still on its way is dropped when it answers.
        self.more.set(Remote::Ready(()));
        let (id, sort) = (self.article_id.get_value(), self.sort.get_untracked());
        spawn_local(async move {
            let answer = api.comment_page(&id, sort, None).await;
            if !self.is_current(generation) {
                return;
            }
            match answer {
                Ok(page) => {
                    self.pages.set(Vec::new());
                    if self.append(page.items, generation).await {
                        self.next.set(page.next);
                        self.first.set(Remote::Ready(()));
                        let added = self.added.try_update_value(std::mem::take);
                        for own in added.unwrap_or_default() {
                            self.add(own);
                        }
                    }
                }
                Err(e) => self.first.set(Remote::Failed(e)),
            }
        });
    }

    /// Loads the page after the last one shown; a failure is shown beside
    /// the button, whose retry asks for the same page again.
    pub fn load_more(self) {
        let (Some(api), Some(cursor)) = (self.api.get_value(), self.next.get_untracked()) else {
            return;
        };
        if self.more.with_untracked(Remote::is_loading) {
            return;
        }
        self.more.set(Remote::Loading);
        let generation = self.generation.get_value();
        let (id, sort) = (self.article_id.get_value(), self.sort.get_untracked());
        spawn_local(async move {
            let answer = api.comment_page(&id, sort, Some(&cursor)).await;
            // A page of the list before a new first page: that one has its
            // own cursor and its own "Xem thêm" state; this one is dropped.
            if !self.is_current(generation) {
                return;
            }
            match answer {
                Ok(page) => {
                    // The answer was read and parsed in this task: its
                    // first comments get a task of their own.
                    clock::yield_now().await;
                    let first_new = page
                        .items
                        .iter()
                        .map(|c| c.id)
                        .find(|&c| !self.is_listed(c));
                    if self.append(page.items, generation).await {
                        self.next.set(page.next);
                        self.more.set(Remote::Ready(()));
                        if let Some(id) = first_new {
                            clock::yield_now().await;
                            self.focus_comment(id);
                        }
                    }
                }
                Err(e) => self.more.set(Remote::Failed(e)),
            }
        });
    }

    /// Loads the replies of `parent` after those it shows ("Xem thêm N trả lời").
    pub fn load_replies(self, parent: u64) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        if self
            .replies
            .with_untracked(|r| matches!(r, Some((_, Remote::Loading))))
        {
            return;
        }
        let Some(page) = self.page_of(parent) else {
            return;
        };
        let after = page.items.with_untracked(|items| {
            let c = items.iter().find(|c| c.id == parent)?;
            self.ahead.with_value(|ahead| {
                c.replies
                    .iter()
                    .rev()
                    .map(|r| r.id)
                    .find(|id| ahead.iter().all(|a| a.id != *id))
            })
        });
        self.replies.set(Some((parent, Remote::Loading)));
        let id = self.article_id.get_value();
        spawn_local(async move {
            match api.replies(&id, parent, after).await {
                Ok(more) => {
                    page.items.update(|items| {
                        if let Some(c) = items.iter_mut().find(|c| c.id == parent) {
                            self.ahead.update_value(|ahead| {
                                // The new ones go before the reader's own replies
                                // still ahead of them (the server lists replies oldest first, and
                                // the reader's own are the newest).
                                let mut at = c
                                    .replies
                                    .iter()
                                    .position(|r| ahead.iter().any(|a| a.id == r.id))
                                    .unwrap_or(c.replies.len());
                                for r in more.items {
                                    ahead.retain(|a| a.id != r.id);
                                    match c.replies.iter().position(|known| known.id == r.id) {
                                        Some(known) => at = at.max(known + 1),
                                        None => {
                                            c.replies.insert(at, r);
                                            at += 1;
                                        }
                                    }
                                }
                                if more.next.is_none() {
                                    ahead.retain(|a| c.replies.iter().all(|r| r.id != a.id));
                                }
                            });
                            if more.next.is_none() {
                                // The count may have been stale: what is shown is all there is.
                                c.reply_count = c.reply_count.min(c.replies.len() as u64);
                            }
                        }
                    });
                    self.replies.set(None);
                }
                Err(e) => self.replies.set(Some((parent, Remote::Failed(e)))),
            }
        });
    }

    /// The page showing the top-level comment `id`.
    fn page_of(self, id: u64) -> Option<Page> {
        self.pages.with_untracked(|pages| {
            pages
                .iter()
                .find(|p| {
                    p.items
                        .with_untracked(|items| items.iter().any(|c| c.id == id))
                })
                .cloned()
        })
    }

    fn is_listed(self, id: u64) -> bool {
        self.pages.with_untracked(|pages| {
            pages.iter().any(|p| {
                p.items.with_untracked(|items| {
                    items
                        .iter()
                        .any(|c| c.id == id || c.replies.iter().any(|r| r.id == id))
                })
            })
        })
    }

    fn new_page(self, items: Vec<Comment>) -> Page {
        let key = self.made.get_value();
        self.made.set_value(key + 1);
        Page {
            key,
            items: ArcRwSignal::new(items),
        }
    }

    /// Focus moves to the first comment of a page "Xem thêm" brought: the
    /// button was disabled meanwhile (or is gone after the last page), and
    /// the next Tab would skip the new comments above it.
    fn focus_comment(self, id: u64) {
        use wasm_bindgen::JsCast;
        let found = self.root.get_untracked().and_then(|root| {
            root.query_selector(&format!("li[data-id=\"{id}\"]"))
                .ok()
                .flatten()
        });
        if let Some(li) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = li.set_attribute("tabindex", "-1");
            let _ = li.focus();
        }
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.get_value() == generation
    }

    /// A new page after the others, mounted a few comments per task so
    /// that a page of them is no long task on a slow phone; a comment the
    /// reader just posted may already be listed. `false`: a newer first
    /// page replaced the list meanwhile, and the rest was dropped.
    async fn append(self, comments: Vec<Comment>, generation: u64) -> bool {
        let mut comments = comments.into_iter().peekable();
        let mut page: Option<Page> = None;
        while comments.peek().is_some() {
            if !self.is_current(generation) {
                return false;
            }
            let mut weight = 0;
            let mut slice = Vec::new();
            for c in comments.by_ref() {
                if self.is_listed(c.id) {
                    continue;
                }
                weight += 1 + c.replies.len();
                slice.push(c);
                if weight >= MOUNT_AT_ONCE {
                    break;
                }
            }
            match &page {
                Some(page) => page.items.update(|items| items.extend(slice)),
                None if slice.is_empty() => {}
                None => {
                    let made = self.new_page(slice);
                    self.pages.update(|pages| pages.push(made.clone()));
                    page = Some(made);
                }
            }
            if comments.peek().is_some() {
                clock::yield_now().await;
            }
        }
        self.is_current(generation)
    }

    fn is_empty(self) -> bool {
        self.pages
            .with(|pages| pages.iter().all(|p| p.items.with(Vec::is_empty)))
    }

    /// The reader edited (`Some`) or deleted (`None`) their own comment: if it
    /// waits to be shown again after a first page, it comes back as it is
    /// now, or not at all when it is gone or held for approval again.
    pub fn own_changed(self, id: u64, edit: Option<&CommentEdited>) {
        self.added.update_value(|added| match edit {
            Some(done) if done.status == CommentStatus::Published => {
                if let Some(c) = added.iter_mut().find(|c| c.id == id) {
                    c.body.clone_from(&done.body);
                    c.edited_at = Some(done.edited_at);
                }
            }
            _ => added.retain(|c| c.id != id),
        });
    }

    /// Shows the reader's own new comment; a resent one the list already
    /// holds (its answer was lost, the page reloaded) is not shown twice.
    pub fn add(self, comment: Comment) {
        if self.is_listed(comment.id) {
            return;
        }
        if self.first.with_untracked(Remote::is_loading) {
            self.added.update_value(|added| added.push(comment.clone()));
        }
        match comment.parent_id {
            Some(parent) => {
                if let Some(page) = self.page_of(parent) {
                    page.items.update(|items| {
                        if let Some(p) = items.iter_mut().find(|c| c.id == parent) {
                            if p.reply_count > p.replies.len() as u64 {
                                self.ahead.update_value(|ahead| ahead.push(comment.clone()));
                            }
                            p.replies.push(comment);
                            p.reply_count += 1;
                        }
                    });
                }
            }
            None => match self.pages.with_untracked(|pages| pages.first().cloned()) {
                Some(first) => first.items.update(|items| items.insert(0, comment)),
                None => {
                    let page = self.new_page(vec![comment]);
                    self.pages.update(|pages| pages.push(page));
                }
            },
        }
    }
}

/// "Xem thêm N trả lời" under a comment with replies not shown yet; a failure
/// to load them is said beside it.
fn more_replies(list: List, c: &Comment, lang: Lang) -> Option<AnyView> {
    let hidden = c.reply_count.saturating_sub(c.replies.len() as u64);
    if hidden == 0 || c.parent_id.is_some() {
        return None;
    }
    let id = c.id;
    let state = move || list.replies.get().filter(|(p, _)| *p == id).map(|(_, s)| s);
    let label = t1(lang, Msg::MoreReplies, &format::integer(hidden, lang));
    Some(
        view! {
            <div class="bt-more-replies">
                <button
                    type="button"
                    class="bt-link-button"
                    on:click=move |_| list.load_replies(id)
                    disabled=move || matches!(state(), Some(Remote::Loading))
                >
                    {label}
                </button>
                {move || match state() {
                    Some(Remote::Failed(e)) => Some(view! {
                        <p class="bt-inline-error" role="alert">{t1(lang, Msg::CommentsLoadFailed, &e.message(lang))}</p>
                    }),
                    _ => None,
                }}
            </div>
        }
        .into_any(),
    )
}

fn failed_view(lang: Lang, e: &crate::error::Error, retry: impl Fn() + 'static) -> AnyView {
    view! {
        <div class="bt-inline-error" role="alert">
            <p>{t1(lang, Msg::CommentsLoadFailed, &e.message(lang))}</p>
            <button type="button" class="bt-button bt-button-quiet" on:click=move |_| retry()>
                {t(lang, Common::Retry)}
            </button>
        </div>
    }
    .into_any()
}

/// "Sắp xếp: Mới nhất / Cũ nhất / Được thích nhất".
fn sort_control(list: List, lang: Lang) -> impl IntoView {
    let options = [
        (CommentSort::Newest, Msg::SortNewest),
        (CommentSort::Oldest, Msg::SortOldest),
        (CommentSort::Liked, Msg::SortLiked),
    ]
    .map(|(sort, label)| {
        view! {
            <option value=sort.as_str() selected=move || list.sort.get() == sort>{t(lang, label)}</option>
        }
    });
    let choose = move |ev| {
        if let Ok(sort) = event_target_value(&ev).parse::<CommentSort>() {
            list.sort_by(sort);
        }
    };
    view! {
        <label class="bt-sort">
            {t(lang, Msg::SortLabel)} " "
            <select class="bt-input bt-sort-select" on:change=choose>{options}</select>
        </label>
    }
}

pub fn list_view(
    list: List,
    reply_to: RwSignal<Option<(u64, String)>>,
    lang: Lang,
) -> impl IntoView {
    let first_state = move || {
        match list.first.get() {
        _ if list.is_static() => ().into_any(),
        // Comments are shown: the first of a page being mounted, or the
        // old order until the new one arrives.
        Remote::Loading if list.pages.with(|p| !p.is_empty()) => ().into_any(),
        Remote::Loading => view! {
            <div class="bt-skeleton"><div class="bt-sk bt-sk-line"></div><div class="bt-sk bt-sk-line bt-sk-short"></div></div>
        }
        .into_any(),
        Remote::Failed(e) => failed_view(lang, &e, move || list.load_first()),
        Remote::Ready(()) if list.is_empty() => {
            view! { <p class="bt-muted">{t(lang, Msg::CommentsEmpty)}</p> }.into_any()
        }
        Remote::Ready(()) => ().into_any(),
    }
    };
    let more_failed = move || match list.more.get() {
        Remote::Failed(e) => Some(failed_view(lang, &e, move || list.load_more())),
        _ => None,
    };
    let loading_more = move || list.more.with(Remote::is_loading);
    view! {
        {(!list.is_static()).then(|| sort_control(list, lang))}
        <div class="bt-comment-list" node_ref=list.root aria-live="polite" aria-busy=move || list.first.with(Remote::is_loading).to_string()>
            {first_state}
            <div class="bt-comment-items">
                <For
                    each=move || list.pages.get()
                    key=|p| p.key
                    children=move |p| page_view(list, p, reply_to, lang)
                />
            </div>
            {more_failed}
            <Show when=move || list.next.with(Option::is_some)>
                <button
                    type="button"
                    class="bt-button bt-button-quiet bt-more"
                    on:click=move |_| list.load_more()
                    disabled=loading_more
                >
                    {move || if loading_more() { t(lang, Msg::LoadingMore) } else { t(lang, Msg::MoreComments) }}
                </button>
            </Show>
        </div>
    }
}

fn page_view(
    list: List,
    page: Page,
    reply_to: RwSignal<Option<(u64, String)>>,
    lang: Lang,
) -> impl IntoView {
    let items = page.items;
    view! {
        <ul class="bt-comment-page">
            <For
                each=move || items.get()
                key=|c| (c.id, c.replies.len(), c.reply_count)
                children=move |c| {
                    let more = more_replies(list, &c, lang);
                    super::item::comment_view(c, list, Some(reply_to), more, lang)
                }
            />
        </ul>
    }
}
