//! The comment form's view: the fields, the captcha and the status line of
//! the [`Outbox`] that holds the draft and delivers it.

use super::captcha::{code_captcha, code_matches, new_code};
use super::outbox::{Outbox, Status};
use crate::config::CaptchaMode;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang};
use bantin_protocol::limits::COMMENT_BODY_MAX_CHARS;
use leptos::prelude::*;

fn status_line(status: Status, lang: Lang) -> Option<(&'static str, String)> {
    Some(match status {
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
    })
}

pub fn comment_form(outbox: Outbox, mode: CaptchaMode, lang: Lang) -> impl IntoView {
    let Outbox {
        body,
        reply_to,
        status,
        delivering,
        not_saved,
        ..
    } = outbox;
    let code = RwSignal::new(new_code());
    let typed_code = RwSignal::new(String::new());
    let static_mode = outbox.is_static();
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if delivering.get_untracked() {
            return;
        }
        let code_ok = mode.code().then(|| {
            let ok = code_matches(&code.get_untracked(), &typed_code.get_untracked());
            // A code is good for one try: draw a new one either way.
            code.set(new_code());
            typed_code.set(String::new());
            ok
        });
        outbox.submit(code_ok);
    };
    let count = move || body.with(|b| b.chars().count());
    let busy = move || delivering.get();
    let status_view = move || {
        let (class, text) = status_line(status.get(), lang)?;
        let role = if class == "bt-inline-error" {
            "alert"
        } else {
            "status"
        };
        Some(view! { <p class=format!("bt-form-status {class}") role=role>{text}</p> })
    };
    let queued_now = move || outbox.is_queued();

    view! {
        <form class="bt-comment-form" novalidate on:submit=on_submit>
            {static_mode.then(|| view! { <p class="bt-notice">{t(lang, Msg::CommentsStatic)}</p> })}
            {move || reply_to.get().map(|(_, who)| view! {
                <p class="bt-replying" id="bt-replying">
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
                    aria-describedby="bt-replying bt-body-count"
                    prop:value=move || body.get()
                    on:input:target=move |ev| body.set(ev.target().value())
                ></textarea>
                <p id="bt-body-count" class="bt-count" class:bt-over=move || { count() > COMMENT_BODY_MAX_CHARS }>
                    {move || t(lang, Msg::CharCount)
                        .replace("{count}", &crate::format::integer(count() as u64, lang))
                        .replace("{max}", &crate::format::integer(COMMENT_BODY_MAX_CHARS as u64, lang))}
                </p>
            </div>
            {reader_fields(outbox, lang)}
            {mode.code().then(|| code_captcha(lang, code, typed_code))}
            <div class="bt-actions">
                <button type="submit" class="bt-button" disabled=busy>
                    {t(lang, Msg::Submit)}
                </button>
                <Show when=queued_now>
                    <button type="button" class="bt-button bt-button-quiet" on:click=move |_| outbox.send_now()>
                        {t(lang, Msg::SendNow)}
                    </button>
                </Show>
            </div>
            <div aria-live="polite">{status_view}</div>
            <p class="bt-form-note bt-warning" role="status" hidden=move || !not_saved.get()>
                {t(lang, Msg::DraftNotSaved)}
            </p>
        </form>
    }
}

/// Name, e-mail, and the field only a bot fills in (named so that no
/// browser autofills it for an honest reader).
fn reader_fields(outbox: Outbox, lang: Lang) -> impl IntoView {
    let Outbox {
        author,
        email,
        honeypot,
        ..
    } = outbox;
    view! {
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
                    name="bantin-leave-empty"
                    tabindex="-1"
                    autocomplete="off"
                    prop:value=move || honeypot.get()
                    on:input:target=move |ev| honeypot.set(ev.target().value())
                />
            </label>
        </div>
    }
}
