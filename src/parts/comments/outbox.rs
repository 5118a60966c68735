//! The comment being written and its delivery: the draft (saved per article
//! as the reader types, removed only once the server accepted the comment),
//! and the outbox that sends it, retries with backoff, when the browser comes
//! back online, on "Gửi ngay" and after a reload. The form (`form.rs`) only
//! shows this state and feeds it the reader's input.

use super::draft::Draft;
use super::list::List;
use crate::api::Client;
use crate::clock::{after_paint, now_ms, now_secs, sleep};
use crate::config::CaptchaMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang};
use crate::parts::pow;
use crate::storage;
use bantin_protocol::api::{codes, is_valid_client_key, Comment, CommentStatus, NewComment};
use bantin_protocol::limits::COMMENT_BODY_MAX_CHARS;
use bantin_protocol::pow::{salt_expires, Challenge};
use bantin_protocol::Timestamp;
use leptos::prelude::*;
use leptos::task::spawn_local;

const MAX_BACKOFF_MS: f64 = 60_000.0;
/// The server refuses a comment sent sooner than its minimum time (3 s by
/// default) after it issued the challenge: the form waits this long after it
/// received the challenge (a server asking for more answers `too_fast` with
/// `Retry-After`, and the same payload goes again then).
const MIN_WAIT_MS: f64 = 3_000.0;
/// A challenge this close to its expiry is not worth solving.
const CHALLENGE_MARGIN_SECS: u64 = 30;
/// Fresh proofs of work tried when the server refuses one (expired while
/// queued, or spent by another tab).
const CAPTCHA_RETRIES: u32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
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

/// One article's comment form state. `Copy`: signals and stored values only.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub author: RwSignal<String>,
    pub email: RwSignal<String>,
    pub body: RwSignal<String>,
    pub reply_to: RwSignal<Option<(u64, String)>>,
    /// The hidden field only a bot fills in.
    pub honeypot: RwSignal<String>,
    pub status: RwSignal<Status>,
    /// A delivery is running (the send button is disabled).
    pub delivering: RwSignal<bool>,
    /// The browser refused to store the draft (private mode, storage full).
    pub not_saved: RwSignal<bool>,
    /// What this tab last stored as the draft.
    written: StoredValue<Option<String>>,
    queued: RwSignal<bool>,
    client_key: RwSignal<Option<String>>,
    retry_now: RwSignal<bool>,
    shown_at: StoredValue<f64>,
    /// The proof-of-work challenge, fetched when the form is shown: the
    /// server's minimum time before sending runs from its issue.
    /// With the time it arrived (`now_ms`).
    challenge: StoredValue<Option<(Challenge, f64)>>,
    api: StoredValue<Option<Client>>,
    article_id: StoredValue<String>,
    mode: CaptchaMode,
    lang: Lang,
    list: List,
}

fn field_message(field: &str, lang: Lang) -> String {
    match field {
        "author" => t(lang, Msg::NameRequired).to_owned(),
        "body" => t(lang, Msg::BodyRequired).to_owned(),
        "email" => t(lang, Msg::EmailInvalid).to_owned(),
        other => t1(lang, crate::i18n::Msg::ErrRefused, other),
    }
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Outbox {
    /// Restores the article's draft (and resumes delivering it when it was
    /// queued), and keeps it saved from then on.
    pub fn new(
        ctx: &Ctx,
        article_id: &str,
        reply_to: RwSignal<Option<(u64, String)>>,
        list: List,
    ) -> Outbox {
        let key = Draft::key(article_id);
        let saved = storage::get(&key)
            .and_then(|text| Draft::parse(&text))
            .unwrap_or_default();
        let has_api = ctx.api.is_some();
        reply_to.set(saved.reply_to.clone());
        let outbox = Outbox {
            author: RwSignal::new(if saved.author.is_empty() {
                storage::get("author").unwrap_or_default()
            } else {
                saved.author.clone()
            }),
            email: RwSignal::new(saved.email.clone()),
            body: RwSignal::new(saved.body.clone()),
            reply_to,
            honeypot: RwSignal::new(String::new()),
            // Without the API (static mode) a queued comment stays queued, to
            // be delivered on a later visit that has it; here it is a draft.
            status: RwSignal::new(if !saved.is_empty() && (!saved.queued || !has_api) {
                Status::Restored
            } else {
                Status::Idle
            }),
            delivering: RwSignal::new(false),
            not_saved: RwSignal::new(false),
            written: StoredValue::new(storage::get(&key)),
            queued: RwSignal::new(saved.queued),
            // A stored key the server would refuse is replaced, not resent.
            client_key: RwSignal::new(saved.client_key.filter(|k| is_valid_client_key(k))),
            retry_now: RwSignal::new(false),
            shown_at: StoredValue::new(now_ms()),
            challenge: StoredValue::new(None),
            api: StoredValue::new(ctx.api.clone()),
            article_id: StoredValue::new(article_id.to_owned()),
            mode: ctx.captcha,
            lang: ctx.lang,
            list,
        };
        // The one place the draft is written: whenever any part of it changes.
        // An emptied draft is removed only if the stored one is still what
        // this tab wrote: a success here must not erase what another tab of
        // the same article has queued since.
        let stored_key = key.clone();
        Effect::new(move |_| {
            let draft = outbox.draft();
            if draft.is_empty() {
                let ours = storage::get(&stored_key) == outbox.written.get_value();
                if ours {
                    storage::remove(&stored_key);
                }
                outbox.written.set_value(None);
                outbox.not_saved.set(false);
            } else {
                outbox.park_other_tabs_comment(&stored_key, draft.client_key.as_deref());
                let json = draft.to_json();
                let saved = storage::set(&stored_key, &json);
                outbox.not_saved.set(!saved);
                outbox.written.set_value(saved.then_some(json));
            }
        });
        outbox.follow_other_tabs(key);
        outbox.deliver_parked();
        if outbox.queued.get_untracked() {
            outbox.deliver();
        } else {
            outbox.prefetch_challenge();
        }
        outbox
    }

    /// Asks for the next challenge, so that it was issued long enough before
    /// the reader sends (the server measures from then).
    fn prefetch_challenge(self) {
        let Some(api) = self.api.get_value().filter(|_| self.mode.pow()) else {
            return;
        };
        spawn_local(async move {
            // Not in front of the form's first frame.
            after_paint(100).await;
            if let Ok(c) = api.captcha().await {
                self.challenge.set_value(Some((c, now_ms())));
            }
        });
    }

    /// The prefetched challenge while it has time left, else a new one; with
    /// when it arrived.
    async fn challenge(self, api: &Client) -> Result<(Challenge, f64), Error> {
        let fresh = |c: &Challenge| {
            salt_expires(&c.salt)
                .is_some_and(|at| at > now_secs().max(0) as u64 + CHALLENGE_MARGIN_SECS)
        };
        match self.challenge.try_update_value(Option::take).flatten() {
            Some((c, at)) if fresh(&c) => Ok((c, at)),
            _ => Ok((api.captcha().await?, now_ms())),
        }
    }

    /// The stored draft is a comment another tab queued (another key): it is
    /// moved aside before this tab writes its own, so neither is lost.
    fn park_other_tabs_comment(self, key: &str, ours: Option<&str>) {
        let Some(text) = storage::get(key) else {
            return;
        };
        if Some(&text) == self.written.get_value().as_ref() {
            return;
        }
        if let Some(theirs) = Draft::parse(&text).filter(|d| d.queued) {
            if let Some(k) = theirs.client_key.as_deref().filter(|k| Some(*k) != ours) {
                let id = self.article_id.get_value();
                storage::set(&Draft::parked_key(&id, k), &text);
            }
        }
    }

    /// Sends the comments other tabs queued and left behind (moved aside by
    /// [`Outbox::park_other_tabs_comment`]), one after the other, each removed
    /// when the server has it. One that cannot go now waits for the next page
    /// load; one refused for good comes back into an empty form to be fixed.
    fn deliver_parked(self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        let id = self.article_id.get_value();
        let parked = storage::keys_starting(&Draft::parked_prefix(&id));
        if parked.is_empty() {
            return;
        }
        spawn_local(async move {
            for key in parked {
                let Some(d) = storage::get(&key).and_then(|t| Draft::parse(&t)) else {
                    storage::remove(&key);
                    continue;
                };
                let captcha = if self.mode.pow() {
                    let Ok(challenge) = api.captcha().await else {
                        return;
                    };
                    let arrived = now_ms();
                    let Some(payload) = pow::solve_challenge(&challenge, |_| ()).await else {
                        return;
                    };
                    let early = arrived + MIN_WAIT_MS - now_ms();
                    if early > 0.0 {
                        sleep(early as i32).await;
                    }
                    payload
                } else {
                    String::new()
                };
                let comment = d.to_comment(captcha, MIN_WAIT_MS as u64, None);
                match api.post_comment(&id, &comment).await {
                    Ok(created) => {
                        storage::remove(&key);
                        super::own::remember(&id, &created);
                        if created.status == CommentStatus::Published {
                            self.list.add(just_published(created.id, comment));
                        }
                    }
                    Err(e) if e.is_transient() => return,
                    Err(e) => {
                        let empty = self.body.with_untracked(|b| b.trim().is_empty())
                            && !self.delivering.get_untracked();
                        if empty {
                            storage::remove(&key);
                            self.author.set(d.author);
                            self.email.set(d.email);
                            self.body.set(d.body);
                            self.reply_to.set(d.reply_to);
                            self.status.set(Status::Failed(e.message(self.lang)));
                        }
                        return;
                    }
                }
            }
        });
    }

    /// Another tab of this site wrote this article's draft: this tab takes
    /// it when it has nothing of its own (an empty form, nothing on its way),
    /// so a comment queued there is shown and delivered here too; otherwise
    /// it keeps its own text (which it stores again with its next change).
    fn follow_other_tabs(self, key: String) {
        use wasm_bindgen::JsCast;
        let full_key = storage::full_key(&key);
        let on_storage = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::StorageEvent)>::new(
            move |ev: web_sys::StorageEvent| {
                if ev.key().as_deref() != Some(full_key.as_str()) {
                    return;
                }
                let idle = !self.delivering.get_untracked()
                    && self.body.with_untracked(|b| b.trim().is_empty());
                let Some(theirs) = ev.new_value().and_then(|t| Draft::parse(&t)) else {
                    return;
                };
                if !idle || theirs.is_empty() {
                    return;
                }
                self.written.set_value(ev.new_value());
                self.author.set(theirs.author);
                self.email.set(theirs.email);
                self.body.set(theirs.body);
                self.reply_to.set(theirs.reply_to);
                self.client_key
                    .set(theirs.client_key.filter(|k| is_valid_client_key(k)));
                self.queued.set(theirs.queued);
                self.status.set(Status::Restored);
                if theirs.queued {
                    self.deliver();
                }
            },
        );
        if let Some(w) = web_sys::window() {
            let _ =
                w.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        }
        // Listens as long as the page lives, like the form.
        on_storage.forget();
    }

    pub fn is_static(&self) -> bool {
        self.api.with_value(Option::is_none)
    }

    pub fn is_queued(&self) -> bool {
        matches!(self.status.get(), Status::Queued { .. })
    }

    fn draft(&self) -> Draft {
        Draft {
            author: self.author.get(),
            email: self.email.get(),
            body: self.body.get(),
            reply_to: self.reply_to.get(),
            queued: self.queued.get(),
            client_key: self.client_key.get(),
        }
    }

    /// The comment as it would be sent now.
    fn comment(&self, captcha: String) -> NewComment {
        let draft = Draft {
            author: self.author.get_untracked(),
            email: self.email.get_untracked(),
            body: self.body.get_untracked(),
            reply_to: self.reply_to.get_untracked(),
            queued: true,
            client_key: self.client_key.get_untracked(),
        };
        let elapsed = (now_ms() - self.shown_at.get_value()).max(0.0) as u64;
        draft.to_comment(captcha, elapsed, Some(self.honeypot.get_untracked()))
    }

    /// The reader pressed send. `code_ok`: the code captcha, when shown, was
    /// typed right (it is checked by the view, which draws it).
    pub fn submit(self, code_ok: Option<bool>) {
        if self.delivering.get_untracked() {
            return;
        }
        if let Err(invalid) = self.comment(String::new()).validate() {
            let chars = self.body.with_untracked(|b| b.chars().count());
            let message = if invalid.field == "body" && chars > COMMENT_BODY_MAX_CHARS {
                let count = crate::format::integer(chars as u64, self.lang);
                t1(self.lang, Msg::BodyTooLong, &count)
            } else {
                field_message(&invalid.field, self.lang)
            };
            self.status.set(Status::Invalid(message));
            return;
        }
        if code_ok == Some(false) {
            self.status.set(Status::CodeWrong);
            return;
        }
        if self.is_static() {
            self.status.set(Status::StaticMode);
            return;
        }
        if self.client_key.get_untracked().is_none() {
            self.client_key.set(Some(storage::random_id()));
        }
        self.queued.set(true);
        self.deliver();
    }

    pub fn send_now(self) {
        self.retry_now.set(true);
    }

    /// Waits before the next attempt: doubling from 2 s up to a minute, or
    /// what the server's `Retry-After` asked, cut short when the browser comes
    /// back online or the reader presses "Gửi ngay".
    async fn wait_for_retry(self, attempt: u32, retry_after: Option<u32>) {
        let backoff = (1000.0 * 2f64.powi(attempt.min(10) as i32)).min(MAX_BACKOFF_MS);
        let wait = retry_after.map_or(backoff, |s| f64::from(s) * 1000.0);
        let until = now_ms() + wait;
        let was_online = online();
        while now_ms() < until {
            sleep(250).await;
            if self.retry_now.get_untracked() || (!was_online && online()) {
                break;
            }
        }
        self.retry_now.set(false);
    }

    /// Records a failed attempt. Returns true when it is worth retrying.
    fn failed(self, e: &Error, attempt: u32) -> bool {
        if e.is_transient() {
            self.status.set(Status::Queued {
                attempt,
                reason: e.message(self.lang),
            });
            true
        } else {
            // Refused for good: the text stays in the form (and the draft) to fix.
            self.queued.set(false);
            // Another text was stored under this key (the first attempt got
            // through, then the text changed): sent again, it is a comment of
            // its own, with a key of its own.
            let why = if e.code() == codes::CLIENT_KEY_TAKEN {
                self.client_key.set(None);
                t(self.lang, Msg::EarlierVersionPosted).to_owned()
            } else {
                e.message(self.lang)
            };
            self.status.set(Status::Failed(why));
            false
        }
    }

    fn accepted(self, sent: NewComment, id: u64, status: CommentStatus) {
        storage::set("author", &sent.author);
        if let Some(k) = &sent.client_key {
            storage::remove(&Draft::parked_key(&self.article_id.get_value(), k));
        }
        // Text typed while the comment was on its way is kept.
        if self.body.get_untracked() == sent.body {
            self.body.set(String::new());
            self.reply_to.set(None);
        }
        self.queued.set(false);
        self.client_key.set(None);
        if status == CommentStatus::Published {
            self.list.add(just_published(id, sent));
            self.status.set(Status::Published);
        } else {
            self.status.set(Status::Pending);
        }
    }

    fn deliver(self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        if self.delivering.get_untracked() {
            return;
        }
        self.delivering.set(true);
        let id = self.article_id.get_value();
        spawn_local(async move {
            let mut attempt = 0u32;
            let mut refusals = 0u32;
            'attempts: loop {
                attempt += 1;
                let captcha = if self.mode.pow() {
                    self.status.set(Status::Verifying(0));
                    let solved = match self.challenge(&api).await {
                        Ok((challenge, arrived)) => {
                            let progress = |share: f64| {
                                self.status.set(Status::Verifying((share * 100.0) as u8))
                            };
                            let payload = pow::solve_challenge(&challenge, progress).await;
                            let early = arrived + MIN_WAIT_MS - now_ms();
                            if early > 0.0 {
                                self.status.set(Status::Sending);
                                sleep(early as i32).await;
                            }
                            payload.ok_or_else(|| {
                                Error::BadBody("the challenge has no solution".into())
                            })
                        }
                        Err(e) => Err(e),
                    };
                    match solved {
                        Ok(payload) => payload,
                        Err(e) => {
                            if !self.failed(&e, attempt) {
                                break;
                            }
                            self.wait_for_retry(attempt, e.retry_after()).await;
                            continue;
                        }
                    }
                } else {
                    String::new()
                };
                let comment = self.comment(captcha);
                loop {
                    self.status.set(Status::Sending);
                    match api.post_comment(&id, &comment).await {
                        Ok(created) => {
                            super::own::remember(&id, &created);
                            self.accepted(comment, created.id, created.status);
                            break 'attempts;
                        }
                        // Sent before the server's minimum time since the challenge
                        // was issued: the payload is not spent, send it again then.
                        Err(e) if e.code() == codes::TOO_FAST && refusals < CAPTCHA_RETRIES => {
                            refusals += 1;
                            sleep(1000 * e.retry_after().unwrap_or(1).clamp(1, 30) as i32).await;
                        }
                        // A challenge that expired or was spent while queued: solve a new one.
                        Err(e)
                            if refusals < CAPTCHA_RETRIES
                                && [
                                    codes::CAPTCHA_EXPIRED,
                                    codes::CAPTCHA_REUSED,
                                    codes::CAPTCHA_INVALID,
                                ]
                                .contains(&e.code()) =>
                        {
                            refusals += 1;
                            continue 'attempts;
                        }
                        Err(e) => {
                            if !self.failed(&e, attempt) {
                                break 'attempts;
                            }
                            self.wait_for_retry(attempt, e.retry_after()).await;
                            continue 'attempts;
                        }
                    }
                }
            }
            self.prefetch_challenge();
            self.delivering.set(false);
        });
    }
}

/// The reader's comment as the list shows it once the server published it.
fn just_published(id: u64, sent: NewComment) -> Comment {
    Comment {
        id,
        parent_id: sent.parent_id,
        author: sent.author,
        body: sent.body,
        created_at: Timestamp::from_unix_seconds(now_secs()),
        replies: Vec::new(),
        reply_count: 0,
        likes: 0,
        edited_at: None,
        deleted: false,
        badge: None,
        pinned: false,
    }
}
