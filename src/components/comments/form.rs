//! The comment form. The draft is saved per article as the reader types and
//! removed only once the server accepted the comment; a submission that fails
//! because the API is down or the browser is offline stays queued and is sent
//! again with backoff, when the browser comes back online, and after a reload.

use super::super::widget::Ctx;
use super::captcha::{code_captcha, code_matches, new_code};
use super::list::List;
use crate::api::{self, Failure};
use crate::clock::{now_ms, now_secs, sleep};
use crate::draft::Draft;
use crate::i18n::{t, t1, Lang, Msg};
use crate::{pow, storage};
use bantin_protocol::api::{codes, Comment, CommentCreated, CommentStatus, NewComment};
use bantin_protocol::limits::COMMENT_BODY_MAX_CHARS;
use bantin_protocol::Timestamp;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The server refuses comments sent sooner than this after the form appeared.
const MIN_ELAPSED_MS: f64 = 3_000.0;
const MAX_BACKOFF_MS: f64 = 60_000.0;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Restored,
    Invalid(String),
    CodeWrong,
    Verifying(u8),
    Sending,
    Queued { attempt: u32, reason: String },
    Published,
    Pending,
    Failed(String),
    StaticMode,
}

fn field_message(field: &str, lang: Lang) -> String {
    match field {
        "author" => t(lang, Msg::NameRequired).to_owned(),
        "body" => t(lang, Msg::BodyRequired).to_owned(),
        "email" => t(lang, Msg::EmailInvalid).to_owned(),
        other => t1(lang, Msg::ErrRefused, other),
    }
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Waits before the next attempt: doubling from 2 s up to a minute, cut short
/// when the browser comes back online or the reader presses "Gửi ngay".
async fn wait_for_retry(attempt: u32, retry_now: RwSignal<bool>) {
    let wait = (1000.0 * 2f64.powi(attempt.min(10) as i32)).min(MAX_BACKOFF_MS);
    let until = now_ms() + wait;
    let was_online = online();
    while now_ms() < until {
        sleep(250).await;
        if retry_now.get_untracked() || (!was_online && online()) {
            break;
        }
    }
    retry_now.set(false);
}

pub fn comment_form(
    ctx: &Ctx,
    article_id: &str,
    reply_to: RwSignal<Option<(u64, String)>>,
    list: List,
) -> impl IntoView {
    let lang = ctx.lang;
    let mode = ctx.captcha;
    let post_url = ctx
        .api
        .as_ref()
        .map(|api| format!("{api}/articles/{article_id}/comments"));
    let api_base = ctx.api.clone();
    let static_mode = post_url.is_none();
    let key = Draft::key(article_id);

    let saved = storage::get(&key)
        .and_then(|text| Draft::parse(&text))
        .unwrap_or_default();
    let author = RwSignal::new(if saved.author.is_empty() {
        storage::get("author").unwrap_or_default()
    } else {
        saved.author.clone()
    });
    let email = RwSignal::new(saved.email.clone());
    let body = RwSignal::new(saved.body.clone());
    reply_to.set(saved.reply_to.clone());
    let queued = RwSignal::new(saved.queued && post_url.is_some());
    let client_key = RwSignal::new(saved.client_key.clone());
    let status = RwSignal::new(if !saved.is_empty() && !saved.queued {
        Status::Restored
    } else {
        Status::Idle
    });
    let honeypot = RwSignal::new(String::new());
    let code = RwSignal::new(new_code());
    let typed_code = RwSignal::new(String::new());
    let delivering = RwSignal::new(false);
    let retry_now = RwSignal::new(false);
    let shown_at = now_ms();

    // The one place the draft is written: whenever any part of it changes.
    Effect::new(move |_| {
        let draft = Draft {
            author: author.get(),
            email: email.get(),
            body: body.get(),
            reply_to: reply_to.get(),
            queued: queued.get(),
            client_key: client_key.get(),
        };
        if draft.is_empty() {
            storage::remove(&key);
        } else {
            storage::set(&key, &draft.to_json());
        }
    });

    let deliver = move || {
        let (Some(url), Some(api_base)) = (post_url.clone(), api_base.clone()) else {
            return;
        };
        if delivering.get_untracked() {
            return;
        }
        delivering.set(true);
        spawn_local(async move {
            let mut attempt = 0u32;
            let mut refusals = 0u32;
            loop {
                attempt += 1;
                let waited = now_ms() - shown_at;
                if waited < MIN_ELAPSED_MS {
                    status.set(Status::Sending);
                    sleep((MIN_ELAPSED_MS - waited) as i32).await;
                }
                let captcha = if mode.pow() {
                    status.set(Status::Verifying(0));
                    let progress =
                        |share: f64| status.set(Status::Verifying((share * 100.0) as u8));
                    match pow::solve(&api_base, progress).await {
                        Ok(payload) => payload,
                        Err(f) => {
                            if !on_failure(f, attempt, status, queued, lang) {
                                break;
                            }
                            wait_for_retry(attempt, retry_now).await;
                            continue;
                        }
                    }
                } else {
                    String::new()
                };
                status.set(Status::Sending);
                let request = NewComment {
                    author: author.get_untracked(),
                    email: Some(email.get_untracked()),
                    body: body.get_untracked(),
                    parent_id: reply_to.get_untracked().map(|(id, _)| id),
                    captcha,
                    elapsed_ms: (now_ms() - shown_at).max(0.0) as u64,
                    website: Some(honeypot.get_untracked()).filter(|h| !h.is_empty()),
                    client_key: client_key.get_untracked(),
                }
                .normalized();
                let json = serde_json::to_string(&request).unwrap_or_default();
                match api::request::<CommentCreated>("POST", &url, Some(&json)).await {
                    Ok(created) => {
                        storage::set("author", &request.author);
                        body.set(String::new());
                        reply_to.set(None);
                        queued.set(false);
                        client_key.set(None);
                        if created.status == CommentStatus::Published {
                            list.add(Comment {
                                id: created.id,
                                parent_id: request.parent_id,
                                author: request.author,
                                body: request.body,
                                created_at: Timestamp::from_unix_seconds(now_secs()),
                                replies: Vec::new(),
                            });
                            status.set(Status::Published);
                        } else {
                            status.set(Status::Pending);
                        }
                        break;
                    }
                    // A challenge that expired or was used while queued: solve a new one.
                    Err(f)
                        if refusals < 2
                            && [
                                codes::CAPTCHA_EXPIRED,
                                codes::CAPTCHA_REUSED,
                                codes::CAPTCHA_INVALID,
                                codes::TOO_FAST,
                            ]
                            .contains(&f.code()) =>
                    {
                        refusals += 1;
                    }
                    Err(f) => {
                        if !on_failure(f, attempt, status, queued, lang) {
                            break;
                        }
                        wait_for_retry(attempt, retry_now).await;
                    }
                }
            }
            delivering.set(false);
        });
    };
    if queued.get_untracked() {
        deliver();
    }

    let submit = deliver.clone();
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if delivering.get_untracked() {
            return;
        }
        let candidate = NewComment {
            author: author.get_untracked(),
            email: Some(email.get_untracked()),
            body: body.get_untracked(),
            parent_id: None,
            captcha: String::new(),
            elapsed_ms: 0,
            website: None,
            client_key: None,
        }
        .normalized();
        if let Err(invalid) = candidate.validate() {
            status.set(Status::Invalid(field_message(&invalid.field, lang)));
            return;
        }
        if mode.code() {
            let ok = code_matches(&code.get_untracked(), &typed_code.get_untracked());
            // A code is good for one try: draw a new one either way.
            code.set(new_code());
            typed_code.set(String::new());
            if !ok {
                status.set(Status::CodeWrong);
                return;
            }
        }
        if static_mode {
            status.set(Status::StaticMode);
            return;
        }
        if client_key.get_untracked().is_none() {
            client_key.set(Some(storage::random_id()));
        }
        queued.set(true);
        submit();
    };

    let count = move || body.with(|b| b.chars().count());
    let busy = move || delivering.get();
    let status_view = move || {
        let (class, text) = match status.get() {
            Status::Idle => return None,
            Status::Restored => ("bt-info", t(lang, Msg::DraftRestored).to_owned()),
            Status::Invalid(m) | Status::Failed(m) => ("bt-inline-error", m),
            Status::CodeWrong => ("bt-inline-error", t(lang, Msg::CaptchaWrong).to_owned()),
            Status::Verifying(p) => ("bt-info", format!("{} {p}%", t(lang, Msg::Verifying))),
            Status::Sending => ("bt-info", t(lang, Msg::Sending).to_owned()),
            Status::Queued { attempt, reason } => (
                "bt-warning",
                format!("{} {}", t1(lang, Msg::Queued, &attempt.to_string()), reason),
            ),
            Status::Published => ("bt-success", t(lang, Msg::CommentPublished).to_owned()),
            Status::Pending => ("bt-success", t(lang, Msg::PendingModeration).to_owned()),
            Status::StaticMode => ("bt-warning", t(lang, Msg::CommentsStatic).to_owned()),
        };
        let role = if class == "bt-inline-error" {
            "alert"
        } else {
            "status"
        };
        Some(view! { <p class=format!("bt-form-status {class}") role=role>{text}</p> })
    };
    let queued_now = move || matches!(status.get(), Status::Queued { .. });

    view! {
        <form class="bt-comment-form" novalidate on:submit=on_submit>
            {static_mode.then(|| view! { <p class="bt-notice">{t(lang, Msg::CommentsStatic)}</p> })}
            {move || reply_to.get().map(|(_, who)| view! {
                <p class="bt-replying">
                    {t1(lang, Msg::ReplyingTo, &who)} " "
                    <button type="button" class="bt-link-button" on:click=move |_| reply_to.set(None)>
                        {t(lang, Msg::CancelReply)}
                    </button>
                </p>
            })}
            <div class="bt-field">
                <label for="bt-body">{t(lang, Msg::BodyLabel)}</label>
                <textarea
                    id="bt-body"
                    name="body"
                    class="bt-input bt-textarea"
                    rows="4"
                    required
                    aria-describedby="bt-body-count"
                    prop:value=move || body.get()
                    on:input:target=move |ev| body.set(ev.target().value())
                ></textarea>
                <p id="bt-body-count" class="bt-count" class:bt-over=move || { count() > COMMENT_BODY_MAX_CHARS }>
                    {move || t(lang, Msg::CharCount)
                        .replace("{count}", &crate::format::integer(count() as u64, lang))
                        .replace("{max}", &crate::format::integer(COMMENT_BODY_MAX_CHARS as u64, lang))}
                </p>
            </div>
            <div class="bt-row">
                <div class="bt-field">
                    <label for="bt-name">{t(lang, Msg::NameLabel)}</label>
                    <input
                        id="bt-name"
                        name="author"
                        class="bt-input"
                        autocomplete="name"
                        maxlength="80"
                        required
                        prop:value=move || author.get()
                        on:input:target=move |ev| author.set(ev.target().value())
                    />
                </div>
                <div class="bt-field">
                    <label for="bt-email">{t(lang, Msg::EmailLabel)}</label>
                    <input
                        id="bt-email"
                        name="email"
                        type="email"
                        class="bt-input"
                        autocomplete="email"
                        prop:value=move || email.get()
                        on:input:target=move |ev| email.set(ev.target().value())
                    />
                </div>
            </div>
            <div class="bt-hp" aria-hidden="true">
                <label>
                    {t(lang, Msg::Honeypot)}
                    <input
                        name="website"
                        tabindex="-1"
                        autocomplete="off"
                        prop:value=move || honeypot.get()
                        on:input:target=move |ev| honeypot.set(ev.target().value())
                    />
                </label>
            </div>
            {mode.code().then(|| code_captcha(lang, code, typed_code))}
            <div class="bt-actions">
                <button type="submit" class="bt-button" disabled=busy>
                    {t(lang, Msg::Submit)}
                </button>
                <Show when=queued_now>
                    <button type="button" class="bt-button bt-button-quiet" on:click=move |_| retry_now.set(true)>
                        {t(lang, Msg::SendNow)}
                    </button>
                </Show>
            </div>
            <div aria-live="polite">{status_view}</div>
        </form>
    }
}

/// Records a failed attempt. Returns true when it is worth retrying.
fn on_failure(
    f: Failure,
    attempt: u32,
    status: RwSignal<Status>,
    queued: RwSignal<bool>,
    lang: Lang,
) -> bool {
    if f.is_transient() {
        status.set(Status::Queued {
            attempt,
            reason: f.message(lang),
        });
        true
    } else {
        // Refused for good: the text stays in the form (and the draft) to fix.
        queued.set(false);
        status.set(Status::Failed(f.message(lang)));
        false
    }
}
