//! The audit log ("Nhật ký") and the webhook delivery log.

use super::{Failure, List};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::fmt::date_time;
use crate::i18n::{t1, Msg};
use bantin_protocol::admin::{route, AuditEntry, AuditPage, Delivery};
use leptos::prelude::*;

#[component]
pub fn Audit() -> impl IntoView {
    let ctx = ctx();
    let items = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let load = move |more: bool| {
        let cursor = if more { next.get_untracked() } else { None };
        loading.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let path = match cursor {
                Some(c) => format!("{}?cursor={}", route::AUDIT, api::encode(&c)),
                None => route::AUDIT.to_owned(),
            };
            match api::get::<AuditPage>(&path).await {
                Ok(page) => {
                    items.update(|v| v.extend(page.items));
                    next.set(page.next);
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
            loading.set(false);
        });
    };
    load(false);
    view! {
        <Failure error=error/>
        <ul class="cards log">
            <For each=move || items.get() key=|e| e.id children=move |e| {
                let at = e.at;
                view! {
                    <li class="card entry">
                        <p>
                            <strong class="who">{e.who.clone()}</strong> " "
                            <span class="chip action">{e.action.clone()}</span> " "
                            <code class="target">{e.target.clone()}</code>
                        </p>
                        {(!e.detail.is_empty()).then(|| view! { <p class="body">{e.detail.clone()}</p> })}
                        <p class="muted small"><time datetime=at.to_string()>{move || date_time(&at, ctx.lang.get())}</time></p>
                    </li>
                }
            }/>
        </ul>
        {move || (!loading.get() && error.with(Option::is_none) && items.with(Vec::is_empty))
            .then(|| view! { <p class="empty">{move || ctx.t(Msg::AuditEmpty)}</p> })}
        {move || loading.get().then(|| view! { <p class="loading" role="status">{move || ctx.t(Msg::Loading)}</p> })}
        {move || (next.with(Option::is_some) && !loading.get()).then(|| view! {
            <button type="button" class="secondary more" on:click=move |_| load(true)>{move || ctx.t(Msg::More)}</button>
        })}
    }
}

#[component]
pub fn Deliveries() -> impl IntoView {
    let ctx = ctx();
    let items = RwSignal::new(None::<Vec<Delivery>>);
    let error = RwSignal::new(None::<ApiError>);
    leptos::task::spawn_local(async move {
        match api::get::<List<Delivery>>(route::DELIVERIES).await {
            Ok(l) => items.set(Some(l.into_vec())),
            Err(e) => {
                ctx.failed(&e);
                error.set(Some(e));
            }
        }
    });
    view! {
        <Failure error=error/>
        {move || match items.get() {
            None => error.with(Option::is_none).then(|| view! { <p class="loading" role="status">{move || ctx.t(Msg::Loading)}</p> }).into_any(),
            Some(v) if v.is_empty() => view! { <p class="empty">{move || ctx.t(Msg::DeliveriesEmpty)}</p> }.into_any(),
            Some(v) => view! {
                <ul class="cards log">
                    {v.into_iter().map(|d| {
                        let at = d.created_at;
                        let state = match d.state.as_str() {
                            "delivered" => Some(Msg::DeliveryDelivered),
                            "failed" => Some(Msg::DeliveryFailed),
                            "pending" => Some(Msg::DeliveryPending),
                            _ => None,
                        };
                        let raw_state = d.state.clone();
                        let attempts = d.attempts;
                        view! {
                            <li class="card delivery">
                                <p>
                                    {(!d.channel.is_empty()).then(|| view! { <span class="chip">{d.channel.clone()}</span> " " })}
                                    <code>{d.event.clone()}</code> " "
                                    <span class=format!("chip state-{}", d.state)>{move || state.map(|m| ctx.t(m).to_owned()).unwrap_or_else(|| raw_state.clone())}</span>
                                </p>
                                <p class="muted small">
                                    <time datetime=at.to_string()>{move || date_time(&at, ctx.lang.get())}</time>
                                    " · " {move || t1(ctx.lang.get(), Msg::Attempts, &attempts.to_string())}
                                </p>
                                {d.last_error.clone().map(|e| view! { <p class="body small">{e}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
