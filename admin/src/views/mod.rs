//! The signed-in console: who is signed in, the menu, and one section.

pub mod accounts;
pub mod bans;
pub mod data;
pub mod keywords;
pub mod logs;
pub mod queue;
pub mod signin;

use crate::api::{self, ApiError};
use crate::i18n::Msg;
use crate::{ctx, error_text, Tab};
use bantin_protocol::admin::{route, Role};
use gloo_net::http::Method;
use leptos::prelude::*;
use serde::Deserialize;

/// A list the server may send bare or as a page.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum List<T> {
    Plain(Vec<T>),
    Page { items: Vec<T> },
}

impl<T> List<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            List::Plain(v) | List::Page { items: v } => v,
        }
    }
}

/// A failure, translated, in place (an alert: screen readers say it).
#[component]
pub fn Failure(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let ctx = ctx();
    move || {
        error.get().map(|e| {
            let details = match &e {
                ApiError::Status { code, message, .. } if !code.is_empty() => {
                    Some(format!("{code}: {message}"))
                }
                _ => None,
            };
            view! {
                <div class="error" role="alert">
                    <p>{error_text(ctx.lang.get(), &e)}</p>
                    {details.map(|d| view! { <p class="muted small">{d}</p> })}
                </div>
            }
        })
    }
}

/// A short confirmation of what was done (a polite live region).
#[component]
pub fn Note(note: RwSignal<Option<String>>) -> impl IntoView {
    view! { <p class="note" role="status">{move || note.get()}</p> }
}

#[component]
pub fn Console() -> impl IntoView {
    let ctx = ctx();
    let out_error = RwSignal::new(None::<ApiError>);
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            match api::send(Method::DELETE, route::SESSION, None).await {
                Ok(_) => {}
                Err(e) if e.status() == Some(401) => {}
                Err(e) => {
                    out_error.set(Some(e));
                    return;
                }
            }
            api::set_csrf("");
            ctx.notice.set(Some(Msg::SignedOut));
            ctx.me.set(None);
        });
    };
    let who = move || ctx.me.get().map(|m| m.name).unwrap_or_default();
    let role = move || {
        ctx.me.get().map(|m| match m.role {
            Role::Admin => ctx.t(Msg::RoleAdmin),
            Role::Moderator => ctx.t(Msg::RoleModerator),
        })
    };
    let tabs = move || {
        Tab::ALL
            .into_iter()
            .filter(|t| !t.admin_only() || ctx.is_admin())
            .map(|tab| {
                view! {
                    <li>
                        <button type="button" class="tab" id=format!("tab-{}", tab.id())
                            aria-current=move || (ctx.tab.get() == tab).then_some("page")
                            on:click=move |_| ctx.tab.set(tab)>
                            {move || ctx.t(tab.label())}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="session">
            <p class="who">
                <span class="muted">{move || ctx.t(Msg::SignedInAs)}</span>" "
                <strong class="me-name">{who}</strong>" "
                <span class="chip role">{role}</span>
            </p>
            <button type="button" class="secondary" on:click=sign_out>{move || ctx.t(Msg::SignOut)}</button>
        </div>
        <Failure error=out_error/>
        <nav class="tabs" aria-label=move || ctx.t(Msg::Sections)>
            <ul>{tabs}</ul>
        </nav>
        <section class="panel" aria-labelledby=move || format!("tab-{}", ctx.tab.get().id())>
            <h1>{move || ctx.t(ctx.tab.get().label())}</h1>
            {move || match ctx.tab.get() {
                Tab::Queue => view! { <queue::QueueView reported=false/> }.into_any(),
                Tab::Reported => view! { <queue::QueueView reported=true/> }.into_any(),
                Tab::Bans => view! { <bans::Bans/> }.into_any(),
                Tab::Keywords => view! { <keywords::Keywords/> }.into_any(),
                Tab::Audit => view! { <logs::Audit/> }.into_any(),
                Tab::Deliveries => view! { <logs::Deliveries/> }.into_any(),
                Tab::Data => view! { <data::Data/> }.into_any(),
                Tab::Accounts => view! { <accounts::Accounts/> }.into_any(),
            }}
        </section>
    }
}
