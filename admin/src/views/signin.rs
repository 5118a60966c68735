//! The sign-in form: name and password, `POST /admin/session`.

use super::Failure;
use crate::api::{self, ApiError};
use crate::ctx;
use crate::fmt::integer;
use crate::i18n::{t1, Msg};
use bantin_protocol::admin::{route, Me, SignIn as Credentials};
use gloo_net::http::Method;
use leptos::prelude::*;

#[component]
pub fn SignIn(start_error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let ctx = ctx();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Wrong name or password, or too many attempts: said in the form.
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let lang = ctx.lang.get_untracked();
        let creds = Credentials {
            name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if creds.name.is_empty() || creds.password.is_empty() {
            problem.set(Some(ctx.t(Msg::SignInRequired).into()));
            return;
        }
        busy.set(true);
        problem.set(None);
        start_error.set(None);
        leptos::task::spawn_local(async move {
            match api::json::<Me>(Method::POST, route::SESSION, api::body(&creds)).await {
                Ok(me) => {
                    api::set_csrf(&me.csrf);
                    ctx.notice.set(None);
                    ctx.me.set(Some(me));
                }
                Err(ApiError::Status { status: 401, .. }) => {
                    problem.set(Some(ctx.t(Msg::SignInWrong).into()));
                }
                Err(ApiError::Status {
                    status: 429,
                    retry_after,
                    ..
                }) => {
                    let secs = integer(u64::from(retry_after.unwrap_or(60)), lang);
                    problem.set(Some(t1(lang, Msg::TooManyAttempts, &secs)));
                }
                Err(e) => start_error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card signin" on:submit=submit novalidate>
            <h1>{move || ctx.t(Msg::SignInTitle)}</h1>
            {move || ctx.notice.get().map(|m| view! { <p class="notice" role="status">{ctx.t(m)}</p> })}
            <label for="si-name">{move || ctx.t(Msg::SignInName)}</label>
            <input id="si-name" name="username" autocomplete="username" autocapitalize="none"
                spellcheck="false" required
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="si-password">{move || ctx.t(Msg::SignInPassword)}</label>
            <input id="si-password" name="password" type="password" autocomplete="current-password" required
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <Failure error=start_error/>
            <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { ctx.t(Msg::SigningIn) } else { ctx.t(Msg::SignInSubmit) }}
            </button>
        </form>
    }
}
