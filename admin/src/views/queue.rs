//! The queue ("Hàng chờ") and the reported comments ("Bị báo cáo"): filters,
//! cards, one or many actions, official replies, pins and bans.

use super::{Failure, Note};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::fmt::{age, age_of, integer, now_seconds};
use crate::i18n::{t, t1, Msg};
use bantin_protocol::admin::{
    linked_comment, route, Action, BanKind, BulkAction, BulkResult, Hold, NewBan, OfficialReply,
    Pin, QueueFilter, QueueItem, QueuePage, QueueStatus, BULK_MAX, CONSOLE_COMMENT,
};
use bantin_protocol::api::CommentStatus;
use gloo_net::http::Method;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The query string of a filter.
pub fn query(f: &QueueFilter) -> String {
    let mut q = Vec::new();
    if let Some(s) = f.status {
        q.push(format!("status={}", s.as_str()));
    }
    if let Some(a) = f.article.as_deref().filter(|a| !a.is_empty()) {
        q.push(format!("article={}", api::encode(a)));
    }
    for (on, name) in [
        (f.reported, "reported"),
        (f.links, "links"),
        (f.phones, "phones"),
    ] {
        if on {
            q.push(format!("{name}=true"));
        }
    }
    if let Some(s) = f.q.as_deref().filter(|s| !s.is_empty()) {
        q.push(format!("q={}", api::encode(s)));
    }
    if let Some(c) = f.comment {
        q.push(format!("{CONSOLE_COMMENT}={c}"));
    }
    if let Some(c) = &f.cursor {
        q.push(format!("cursor={}", api::encode(c)));
    }
    if let Some(l) = f.limit {
        q.push(format!("limit={l}"));
    }
    if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&"))
    }
}

fn status_matches(filter: Option<QueueStatus>, s: CommentStatus) -> bool {
    match filter.unwrap_or(QueueStatus::Waiting) {
        QueueStatus::All => true,
        QueueStatus::Waiting => s == CommentStatus::Pending,
        QueueStatus::Published => s == CommentStatus::Published,
        QueueStatus::Rejected => s == CommentStatus::Rejected,
    }
}

fn hold_label(h: Hold) -> Msg {
    match h {
        Hold::Queue => Msg::HoldQueue,
        Hold::Link => Msg::HoldLink,
        Hold::Phone => Msg::HoldPhone,
        Hold::Keyword => Msg::HoldKeyword,
        Hold::Reports => Msg::HoldReports,
    }
}

fn status_label(s: CommentStatus) -> Msg {
    match s {
        CommentStatus::Pending => Msg::StatusWaiting,
        CommentStatus::Published => Msg::StatusPublished,
        CommentStatus::Rejected => Msg::StatusRejected,
    }
}

/// One list's state, shared by its filters, cards and bulk bar.
#[derive(Clone, Copy)]
struct Queue {
    /// Kept here: the async tasks that use it run without a reactive owner.
    ctx: crate::Ctx,
    /// The filter of the list shown (what "Xem thêm" continues).
    filter: RwSignal<QueueFilter>,
    items: RwSignal<Vec<QueueItem>>,
    next: RwSignal<Option<String>>,
    total: RwSignal<u64>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    selected: RwSignal<BTreeSet<u64>>,
    bulk_error: RwSignal<Option<ApiError>>,
    note: RwSignal<Option<String>>,
}

impl Queue {
    /// Loads the first page (`more`: the next page, added below).
    fn load(self, more: bool) {
        let ctx = self.ctx;
        let mut f = self.filter.get_untracked();
        f.cursor = if more {
            self.next.get_untracked()
        } else {
            None
        };
        self.loading.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let r = api::get::<QueuePage>(&format!("{}{}", route::QUEUE, query(&f))).await;
            match r {
                Ok(page) => {
                    if more {
                        self.items.update(|v| {
                            for item in page.items {
                                if !v.iter().any(|i| i.id == item.id) {
                                    v.push(item);
                                }
                            }
                        });
                    } else {
                        self.items.set(page.items);
                        self.selected.set(BTreeSet::new());
                    }
                    self.next.set(page.next);
                    self.total.set(page.total);
                }
                Err(e) => {
                    ctx.failed(&e);
                    self.error.set(Some(e));
                }
            }
            self.loading.set(false);
        });
    }

    /// Applies what an action did to the list shown.
    fn applied(self, action: Action, r: &BulkResult) {
        let lang = self.ctx.lang.get_untracked();
        let status = self.filter.with_untracked(|f| f.status);
        let mut removed = 0u64;
        self.items.update(|items| {
            items.retain_mut(|i| {
                if r.missing.contains(&i.id) {
                    removed += 1;
                    return false;
                }
                if !r.done.contains(&i.id) {
                    return true;
                }
                i.status = match action {
                    Action::Approve => CommentStatus::Published,
                    Action::Reject => CommentStatus::Rejected,
                    Action::Delete => {
                        removed += 1;
                        return false;
                    }
                };
                i.hold = None;
                let keep = status_matches(status, i.status);
                if !keep {
                    removed += 1;
                }
                keep
            })
        });
        self.total.update(|t| *t = t.saturating_sub(removed));
        self.selected.update(|s| {
            for id in r.done.iter().chain(&r.missing) {
                s.remove(id);
            }
        });
        let mut note = match (action, r.done.len()) {
            (Action::Approve, 1) => t(lang, Msg::Approved).to_owned(),
            (Action::Reject, 1) => t(lang, Msg::Rejected).to_owned(),
            (Action::Delete, 1) => t(lang, Msg::Deleted).to_owned(),
            (_, n) => t1(lang, Msg::Done, &integer(n as u64, lang)),
        };
        if !r.missing.is_empty() {
            note.push(' ');
            note.push_str(&t1(
                lang,
                Msg::Missing,
                &integer(r.missing.len() as u64, lang),
            ));
        }
        self.note.set(Some(note));
    }
}

fn linked_here() -> Option<u64> {
    linked_comment(&web_sys::window()?.location().search().ok()?)
}

/// Takes `?comment=` out of the address, so that a reload shows the queue.
fn forget_link() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let (Ok(path), Ok(search)) = (loc.pathname(), loc.search()) else {
        return;
    };
    let rest: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(CONSOLE_COMMENT))
        .collect();
    let url = if rest.is_empty() {
        path
    } else {
        format!("{path}?{}", rest.join("&"))
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

async fn act(action: Action, ids: Vec<u64>) -> Result<BulkResult, ApiError> {
    let body = api::body(&BulkAction { action, ids });
    api::json(Method::POST, route::ACTIONS, body).await
}

#[component]
pub fn QueueView(reported: bool) -> impl IntoView {
    let ctx = ctx();
    // An alert's link (`?comment=`) opens the queue on that comment alone,
    // whatever its status by now.
    let linked = (!reported).then(linked_here).flatten();
    let preset = QueueFilter {
        status: (reported || linked.is_some()).then_some(QueueStatus::All),
        reported,
        comment: linked,
        ..QueueFilter::default()
    };
    let q = Queue {
        ctx,
        filter: RwSignal::new(preset.clone()),
        items: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        total: RwSignal::new(0),
        loading: RwSignal::new(false),
        error: RwSignal::new(None),
        selected: RwSignal::new(BTreeSet::new()),
        bulk_error: RwSignal::new(None),
        note: RwSignal::new(None),
    };
    q.load(false);
    // The filter form edits a draft; "Lọc" makes it the list's filter.
    let draft = RwSignal::new(preset);
    let apply = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let mut f = draft.get_untracked();
        f.article = f
            .article
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty());
        f.q = f.q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        q.filter.set(f);
        q.note.set(None);
        q.load(false);
    };
    let pfx = if reported { "rp" } else { "q" };
    let status_value = move || draft.with(|f| f.status.unwrap_or(QueueStatus::Waiting).as_str());
    let text_input = move |get: fn(&QueueFilter) -> Option<String>,
                           set: fn(&mut QueueFilter, Option<String>)| {
        (
            move || draft.with(|f| get(f).unwrap_or_default()),
            move |ev| {
                let v = event_target_value(&ev);
                draft.update(|f| set(f, Some(v)))
            },
        )
    };
    let (article_v, article_in) = text_input(|f| f.article.clone(), |f, v| f.article = v);
    let (search_v, search_in) = text_input(|f| f.q.clone(), |f, v| f.q = v);
    let check =
        move |label: Msg, get: fn(&QueueFilter) -> bool, set: fn(&mut QueueFilter, bool)| {
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || draft.with(get)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|f| set(f, on))
                        }/>
                    <span>{move || ctx.t(label)}</span>
                </label>
            }
        };
    let page_ids = move || q.items.with(|v| v.iter().map(|i| i.id).collect::<Vec<_>>());
    let all_selected = move || {
        let ids = page_ids();
        !ids.is_empty() && q.selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let confirm_bulk_delete = RwSignal::new(false);
    let bulk = move |action: Action| {
        let ids: Vec<u64> = q.selected.with_untracked(|s| s.iter().copied().collect());
        if ids.is_empty() {
            return;
        }
        q.bulk_error.set(None);
        confirm_bulk_delete.set(false);
        leptos::task::spawn_local(async move {
            // At most BULK_MAX a request: more selected ("Xem thêm") go in
            // turns; what was done before a failure is shown done.
            let mut all = BulkResult::default();
            let mut failure = None;
            for chunk in ids.chunks(BULK_MAX) {
                match act(action, chunk.to_vec()).await {
                    Ok(r) => {
                        all.done.extend(r.done);
                        all.missing.extend(r.missing);
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            if !all.done.is_empty() || !all.missing.is_empty() {
                q.applied(action, &all);
            }
            if let Some(e) = failure {
                ctx.failed(&e);
                q.bulk_error.set(Some(e));
            }
        });
    };
    let count = move || q.selected.with(BTreeSet::len);
    let whole_queue = move |_| {
        for f in [draft, q.filter] {
            f.update(|f| {
                f.comment = None;
                f.status = None;
            });
        }
        forget_link();
        q.note.set(None);
        q.load(false);
    };
    view! {
        {move || q.filter.with(|f| f.comment).map(|id| view! {
            <p class="linked card" role="status">
                <span>{move || t1(ctx.lang.get(), Msg::OnlyComment, &id.to_string())}</span>
                <button type="button" class="link" on:click=whole_queue>{move || ctx.t(Msg::WholeQueue)}</button>
            </p>
        })}
        <form class="filters card" on:submit=apply aria-label=move || ctx.t(Msg::Filters)>
            <div class="row">
                <label class="field">
                    <span>{move || ctx.t(Msg::FilterStatus)}</span>
                    <select prop:value=status_value on:change=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|f| f.status = QueueStatus::parse(&v));
                    }>
                        {[QueueStatus::Waiting, QueueStatus::Published, QueueStatus::Rejected, QueueStatus::All]
                            .into_iter()
                            .map(|s| {
                                let label = match s {
                                    QueueStatus::Waiting => Msg::StatusWaiting,
                                    QueueStatus::Published => Msg::StatusPublished,
                                    QueueStatus::Rejected => Msg::StatusRejected,
                                    QueueStatus::All => Msg::StatusAll,
                                };
                                view! { <option value=s.as_str() selected=move || status_value() == s.as_str()>{move || ctx.t(label)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || ctx.t(Msg::FilterArticle)}</span>
                    <input name=format!("{pfx}-article") autocapitalize="none" spellcheck="false"
                        prop:value=article_v on:input=article_in/>
                </label>
                <label class="field grow">
                    <span>{move || ctx.t(Msg::Search)}</span>
                    <input type="search" name=format!("{pfx}-q") maxlength="100"
                        prop:value=search_v on:input=search_in/>
                </label>
            </div>
            <div class="row">
                {(!reported).then(|| check(Msg::FilterReported, |f| f.reported, |f, v| f.reported = v))}
                {check(Msg::FilterLinks, |f| f.links, |f, v| f.links = v)}
                {check(Msg::FilterPhones, |f| f.phones, |f, v| f.phones = v)}
                <button type="submit" class="primary">{move || ctx.t(Msg::Apply)}</button>
            </div>
        </form>
        <div class="listhead">
            <label class="check">
                <input type="checkbox" class="select-all" prop:checked=all_selected
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let ids = page_ids();
                        q.selected.update(|s| for id in ids {
                            if on { s.insert(id); } else { s.remove(&id); }
                        });
                    }/>
                <span>{move || ctx.t(Msg::SelectAll)}</span>
            </label>
            <p class="total" role="status">{move || t1(ctx.lang.get(), Msg::Total, &integer(q.total.get(), ctx.lang.get()))}</p>
        </div>
        <Note note=q.note/>
        {move || (count() > 0).then(|| view! {
            <div class="bulkbar" role="region" aria-label=move || ctx.t(Msg::BulkActions)>
                <p class="count">{move || t1(ctx.lang.get(), Msg::Selected, &integer(count() as u64, ctx.lang.get()))}</p>
                {move || if confirm_bulk_delete.get() {
                    view! {
                        <p class="confirm">{move || t1(ctx.lang.get(), Msg::DeleteManyConfirm, &integer(count() as u64, ctx.lang.get()))}</p>
                        <button type="button" class="danger" on:click=move |_| bulk(Action::Delete)>{move || ctx.t(Msg::DeleteYes)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirm_bulk_delete.set(false)>{move || ctx.t(Msg::Cancel)}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="primary" on:click=move |_| bulk(Action::Approve)>{move || ctx.t(Msg::Approve)}</button>
                        <button type="button" class="secondary" on:click=move |_| bulk(Action::Reject)>{move || ctx.t(Msg::Reject)}</button>
                        <button type="button" class="danger" on:click=move |_| confirm_bulk_delete.set(true)>{move || ctx.t(Msg::Delete)}</button>
                        <button type="button" class="link" on:click=move |_| q.selected.set(BTreeSet::new())>{move || ctx.t(Msg::ClearSelection)}</button>
                    }.into_any()
                }}
                <Failure error=q.bulk_error/>
            </div>
        })}
        <Failure error=q.error/>
        <ul class="cards">
            <For each=move || q.items.get()
                key=|i| (i.id, i.status.as_str(), i.pinned)
                children=move |item| view! { <Card item=item q=q reported=reported/> }/>
        </ul>
        {move || (!q.loading.get() && q.error.with(Option::is_none) && q.items.with(Vec::is_empty))
            .then(|| view! { <p class="empty">{move || ctx.t(Msg::Empty)}</p> })}
        {move || q.loading.get().then(|| view! { <p class="loading" role="status">{move || ctx.t(Msg::Loading)}</p> })}
        {move || (q.next.with(Option::is_some) && !q.loading.get()).then(|| view! {
            <button type="button" class="secondary more" on:click=move |_| q.load(true)>{move || ctx.t(Msg::More)}</button>
        })}
    }
}

/// What a card has open below its text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    ConfirmDelete,
    Reply,
    Ban,
}

#[component]
fn Card(item: QueueItem, q: Queue, reported: bool) -> impl IntoView {
    let ctx = ctx();
    let id = item.id;
    let open = RwSignal::new(Open::Nothing);
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let one = move |action: Action| {
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match act(action, vec![id]).await {
                Ok(r) => q.applied(action, &r),
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let article = item.article_id.clone();
    let pinned = item.pinned;
    let pin = move |_| {
        let article = article.clone();
        error.set(None);
        leptos::task::spawn_local(async move {
            let body = api::body(&Pin {
                comment: (!pinned).then_some(id),
            });
            let path = route::PIN.replace("{id}", &api::encode(&article));
            match api::send(Method::PUT, &path, body).await {
                Ok(_) => {
                    let lang = ctx.lang.get_untracked();
                    q.note.set(Some(
                        t(
                            lang,
                            if pinned {
                                Msg::UnpinnedDone
                            } else {
                                Msg::PinnedDone
                            },
                        )
                        .into(),
                    ));
                    q.items.update(|v| {
                        for i in v.iter_mut().filter(|i| i.article_id == article) {
                            i.pinned = !pinned && i.id == id;
                        }
                    });
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    let title = item
        .article_title
        .clone()
        .unwrap_or_else(|| item.article_id.clone());
    let created = item.created_at;
    let first_report = item.first_report_at;
    let status = item.status;
    let can_pin = status == CommentStatus::Published && item.parent_id.is_none();
    let has_visitor = item.visitor.is_some();
    let can_ban = has_visitor || item.network.is_some();
    let lang = move || ctx.lang.get();
    let selected = move || q.selected.with(|s| s.contains(&id));
    view! {
        <li class="card item" class:selected=selected id=format!("c-{id}") data-id=id.to_string()>
            <div class="itemhead">
                <label class="check pick">
                    <input type="checkbox" prop:checked=selected
                        aria-label=move || t1(lang(), Msg::Select, &id.to_string())
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            q.selected.update(|s| if on { s.insert(id); } else { s.remove(&id); });
                        }/>
                </label>
                <div class="meta">
                    <p class="article"><span class="visually-hidden">{move || ctx.t(Msg::Article)}": "</span>{title}</p>
                    <p class="byline">
                        <span class="author">{item.author.clone()}</span>
                        " · "
                        <time datetime=created.to_string() title=move || crate::fmt::date_time(&created, lang())>
                            {move || age_of(&created, lang())}
                        </time>
                        " · #"{id}
                    </p>
                </div>
            </div>
            <p class="chips">
                {(status != CommentStatus::Pending || reported).then(|| view! {
                    <span class=format!("chip status-{}", status.as_str())>{move || ctx.t(status_label(status))}</span>
                })}
                {item.hold.map(|h| view! { <span class="chip hold">{move || ctx.t(hold_label(h))}</span> })}
                {(item.reports > 0).then(|| {
                    let n = item.reports;
                    view! { <span class="chip reports">{move || if n == 1 { ctx.t(Msg::ReportOne).to_owned() } else { t1(lang(), Msg::Reports, &integer(n.into(), lang())) }}</span> }
                })}
                {item.official.then(|| view! { <span class="chip official">{move || ctx.t(Msg::Official)}</span> })}
                {item.pinned.then(|| view! { <span class="chip pinned">{move || ctx.t(Msg::PinnedChip)}</span> })}
                {item.parent_id.map(|p| view! { <span class="chip">{move || t1(lang(), Msg::IsReply, &p.to_string())}</span> })}
            </p>
            <p class="body">{item.body.clone()}</p>
            {first_report.map(|at| {
                let overdue = now_seconds() - at.unix_seconds() > 24 * 3600;
                view! {
                    <p class="first-report" class:overdue=overdue>
                        {move || t1(lang(), Msg::FirstReport, &age(now_seconds() - at.unix_seconds(), lang()))}
                        {overdue.then(|| view! { " " <strong class="chip overdue">{move || ctx.t(Msg::Overdue)}</strong> })}
                    </p>
                }
            })}
            <div class="actions">
                {(status != CommentStatus::Published).then(|| view! {
                    <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| one(Action::Approve)>{move || ctx.t(Msg::Approve)}</button>
                })}
                {(status != CommentStatus::Rejected).then(|| view! {
                    <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| one(Action::Reject)>{move || ctx.t(Msg::Reject)}</button>
                })}
                <button type="button" class="danger" aria-expanded=move || (open.get() == Open::ConfirmDelete).to_string()
                    on:click=move |_| open.set(Open::ConfirmDelete)>{move || ctx.t(Msg::Delete)}</button>
                <button type="button" class="secondary" aria-expanded=move || (open.get() == Open::Reply).to_string()
                    on:click=move |_| open.update(|o| *o = if *o == Open::Reply { Open::Nothing } else { Open::Reply })>{move || ctx.t(Msg::Reply)}</button>
                {can_pin.then(|| view! {
                    <button type="button" class="secondary" on:click=pin.clone()>{move || ctx.t(if pinned { Msg::Unpin } else { Msg::Pin })}</button>
                })}
                {can_ban.then(|| view! {
                    <button type="button" class="secondary" aria-expanded=move || (open.get() == Open::Ban).to_string()
                        on:click=move |_| open.update(|o| *o = if *o == Open::Ban { Open::Nothing } else { Open::Ban })>{move || ctx.t(Msg::Ban)}</button>
                })}
            </div>
            <Failure error=error/>
            <Note note=note/>
            {move || match open.get() {
                Open::Nothing => ().into_any(),
                Open::ConfirmDelete => view! {
                    <div class="confirm" role="group" aria-label=move || ctx.t(Msg::DeleteConfirm)>
                        <p>{move || ctx.t(Msg::DeleteConfirm)}</p>
                        <button type="button" class="danger" on:click=move |_| { open.set(Open::Nothing); one(Action::Delete) }>{move || ctx.t(Msg::DeleteYes)}</button>
                        <button type="button" class="secondary" on:click=move |_| open.set(Open::Nothing)>{move || ctx.t(Msg::Cancel)}</button>
                    </div>
                }.into_any(),
                Open::Reply => view! { <ReplyBox id=id open=open note=note/> }.into_any(),
                Open::Ban => view! { <BanBox id=id open=open note=note has_visitor=has_visitor/> }.into_any(),
            }}
        </li>
    }
}

#[component]
fn ReplyBox(id: u64, open: RwSignal<Open>, note: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let problem = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_owned();
        if body.is_empty() {
            problem.set(Some(Msg::ReplyEmpty));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = route::REPLY.replace("{id}", &id.to_string());
            match api::send(Method::POST, &path, api::body(&OfficialReply { body })).await {
                Ok(_) => {
                    note.set(Some(ctx.t(Msg::ReplyDone).into()));
                    open.set(Open::Nothing);
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let badge = move || ctx.me.get().map(|m| m.badge).unwrap_or_default();
    let field = format!("reply-{id}");
    view! {
        <form class="subform reply" on:submit=submit>
            <label for=field.clone()>{move || ctx.t(Msg::ReplyLabel)}</label>
            <p class="muted small" id=format!("{field}-hint")>
                {move || t1(ctx.lang.get(), Msg::ReplyBadge, &badge())}
                " " <span class="chip official">{badge}</span>
            </p>
            <textarea id=field.clone() rows="4" aria-describedby=format!("{field}-hint")
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{ctx.t(m)}</p> })}
            <Failure error=error/>
            <div class="actions">
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || if busy.get() { ctx.t(Msg::Sending) } else { ctx.t(Msg::ReplySend) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| open.set(Open::Nothing)>{move || ctx.t(Msg::Cancel)}</button>
            </div>
        </form>
    }
}

/// The ban durations offered, in hours (0: until lifted).
pub const DURATIONS: [(u32, Msg); 4] = [
    (24, Msg::Day1),
    (24 * 7, Msg::Day7),
    (24 * 30, Msg::Day30),
    (0, Msg::Permanent),
];

#[component]
fn BanBox(
    id: u64,
    open: RwSignal<Open>,
    note: RwSignal<Option<String>>,
    has_visitor: bool,
) -> impl IntoView {
    let ctx = ctx();
    // The credential when the author had one, else the network.
    let kind = RwSignal::new(if has_visitor {
        BanKind::Visitor
    } else {
        BanKind::Network
    });
    let hours = RwSignal::new(24u32);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        busy.set(true);
        let ban = NewBan {
            kind: kind.get_untracked(),
            comment: Some(id),
            value: None,
            hours: hours.get_untracked(),
            reason: reason.get_untracked().trim().to_owned(),
        };
        leptos::task::spawn_local(async move {
            match api::send(Method::POST, route::BANS, api::body(&ban)).await {
                Ok(_) => {
                    note.set(Some(ctx.t(Msg::BanDone).into()));
                    open.set(Open::Nothing);
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let radio = move |k: BanKind, label: Msg| {
        view! {
            <label class="check">
                <input type="radio" name=format!("ban-kind-{id}") prop:checked=move || kind.get() == k
                    on:change=move |_| kind.set(k)/>
                <span>{move || ctx.t(label)}</span>
            </label>
        }
    };
    view! {
        <form class="subform ban" on:submit=submit>
            <fieldset>
                <legend>{move || t1(ctx.lang.get(), Msg::BanTitle, &id.to_string())}</legend>
                <p class="muted small">{move || ctx.t(Msg::BanKindLabel)}</p>
                <div class="row">
                    {has_visitor.then(|| radio(BanKind::Visitor, Msg::BanVisitor))}
                    {radio(BanKind::Network, Msg::BanNetwork)}
                </div>
                <label class="field">
                    <span>{move || ctx.t(Msg::BanDuration)}</span>
                    <select prop:value=move || hours.get().to_string()
                        on:change=move |ev| hours.set(event_target_value(&ev).parse().unwrap_or(24))>
                        {DURATIONS.into_iter().map(|(h, m)| view! {
                            <option value=h.to_string() selected=move || hours.get() == h>{move || ctx.t(m)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || ctx.t(Msg::BanReason)}</span>
                    <input maxlength="200" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
            </fieldset>
            <Failure error=error/>
            <div class="actions">
                <button type="submit" class="danger" aria-disabled=move || busy.get().then_some("true")>{move || ctx.t(Msg::BanSubmit)}</button>
                <button type="button" class="secondary" on:click=move |_| open.set(Open::Nothing)>{move || ctx.t(Msg::Cancel)}</button>
            </div>
        </form>
    }
}
