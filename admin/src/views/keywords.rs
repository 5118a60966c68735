//! The keyword lists ("Từ khoá"): one entry per line, saved with PUT.

use super::{Failure, Note};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::i18n::{t1, Msg};
use bantin_protocol::admin::{route, Keywords as Lists, KEYWORDS_MAX, KEYWORD_MAX};
use gloo_net::http::Method;
use leptos::prelude::*;

fn lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.iter().any(|o| o == l) {
            out.push(l.to_owned());
        }
    }
    out
}

#[component]
pub fn Keywords() -> impl IntoView {
    let ctx = ctx();
    let hold = RwSignal::new(String::new());
    let refuse = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let problem = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The fields are read-only until the stored lists are in: what an editor
    // typed before would be replaced by them.
    leptos::task::spawn_local(async move {
        match api::get::<Lists>(route::KEYWORDS).await {
            Ok(k) => {
                hold.set(k.hold.join("\n"));
                refuse.set(k.refuse.join("\n"));
                loaded.set(true);
            }
            Err(e) => {
                ctx.failed(&e);
                error.set(Some(e));
            }
        }
    });
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        // Not over lists that could not be read.
        if !loaded.get_untracked() || busy.get_untracked() {
            return;
        }
        let lang = ctx.lang.get_untracked();
        let lists = Lists {
            hold: lines(&hold.get_untracked()),
            refuse: lines(&refuse.get_untracked()),
        };
        note.set(None);
        if lists.hold.len() > KEYWORDS_MAX || lists.refuse.len() > KEYWORDS_MAX {
            problem.set(Some(t1(
                lang,
                Msg::KeywordsTooMany,
                &KEYWORDS_MAX.to_string(),
            )));
            return;
        }
        if lists
            .hold
            .iter()
            .chain(&lists.refuse)
            .any(|k| k.chars().count() > KEYWORD_MAX)
        {
            problem.set(Some(t1(
                lang,
                Msg::KeywordTooLong,
                &KEYWORD_MAX.to_string(),
            )));
            return;
        }
        problem.set(None);
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            // The answer is the lists as stored (cleaned by the server).
            match api::json::<Lists>(Method::PUT, route::KEYWORDS, api::body(&lists)).await {
                Ok(saved) => {
                    hold.set(saved.hold.join("\n"));
                    refuse.set(saved.refuse.join("\n"));
                    note.set(Some(ctx.t(Msg::Saved).into()));
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card keywords" on:submit=submit>
            <p class="muted small" id="kw-help">{move || ctx.t(Msg::KeywordsHelp)}</p>
            <label for="kw-hold">{move || ctx.t(Msg::KeywordsHold)}</label>
            <textarea id="kw-hold" rows="6" aria-describedby="kw-help" spellcheck="false"
                readonly=move || !loaded.get() prop:value=move || hold.get() on:input=move |ev| hold.set(event_target_value(&ev))></textarea>
            <label for="kw-refuse">{move || ctx.t(Msg::KeywordsRefuse)}</label>
            <textarea id="kw-refuse" rows="6" aria-describedby="kw-help" spellcheck="false"
                readonly=move || !loaded.get() prop:value=move || refuse.get() on:input=move |ev| refuse.set(event_target_value(&ev))></textarea>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <Failure error=error/>
            <Note note=note/>
            <button type="submit" class="primary" aria-disabled=move || (busy.get() || !loaded.get()).then_some("true")>
                {move || ctx.t(Msg::Save)}
            </button>
        </form>
    }
}
