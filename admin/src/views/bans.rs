//! Bans in force ("Lệnh cấm"), and lifting one.

use super::{Failure, List, Note};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::fmt::date_time;
use crate::i18n::{t1, Msg};
use bantin_protocol::admin::{route, Ban, BanKind};
use gloo_net::http::Method;
use leptos::prelude::*;

#[component]
pub fn Bans() -> impl IntoView {
    let ctx = ctx();
    let bans = RwSignal::new(None::<Vec<Ban>>);
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<String>);
    let load = move || {
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::get::<List<Ban>>(route::BANS).await {
                Ok(list) => bans.set(Some(list.into_vec())),
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    load();
    let lift = move |id: u64, item_error: RwSignal<Option<ApiError>>| {
        item_error.set(None);
        leptos::task::spawn_local(async move {
            let path = route::BAN.replace("{id}", &id.to_string());
            match api::send(Method::DELETE, &path, None).await {
                Ok(_) => {
                    bans.update(|b| {
                        if let Some(b) = b {
                            b.retain(|x| x.id != id)
                        }
                    });
                    note.set(Some(ctx.t(Msg::Lifted).into()));
                }
                Err(e) => {
                    ctx.failed(&e);
                    item_error.set(Some(e));
                }
            }
        });
    };
    view! {
        <Note note=note/>
        <Failure error=error/>
        {move || error.with(Option::is_some).then(|| view! {
            <button type="button" class="secondary" on:click=move |_| load()>{move || ctx.t(Msg::Retry)}</button>
        })}
        {move || match bans.get() {
            None => error.with(Option::is_none).then(|| view! { <p class="loading" role="status">{move || ctx.t(Msg::Loading)}</p> }).into_any(),
            Some(list) if list.is_empty() => view! { <p class="empty">{move || ctx.t(Msg::BansEmpty)}</p> }.into_any(),
            Some(list) => view! {
                <ul class="cards">
                    {list.into_iter().map(|b| {
                        let item_error = RwSignal::new(None::<ApiError>);
                        let lang = move || ctx.lang.get();
                        let (created, expires) = (b.created_at, b.expires_at);
                        let kind = match b.kind { BanKind::Visitor => Msg::BanVisitor, BanKind::Network => Msg::BanNetwork };
                        let id = b.id;
                        view! {
                            <li class="card ban" data-id=id.to_string()>
                                <p><span class="chip">{move || ctx.t(kind)}</span> " " <code class="value">{b.value.clone()}</code></p>
                                {(!b.reason.is_empty()).then(|| view! { <p class="body">{b.reason.clone()}</p> })}
                                <p class="muted small">
                                    {move || t1(lang(), Msg::BanBy, &b.created_by)} " · "
                                    {move || t1(lang(), Msg::BanSince, &date_time(&created, lang()))} " · "
                                    {move || match expires {
                                        Some(e) => t1(lang(), Msg::BanUntil, &date_time(&e, lang())),
                                        None => ctx.t(Msg::BanForever).into(),
                                    }}
                                </p>
                                <div class="actions">
                                    <button type="button" class="secondary" on:click=move |_| lift(id, item_error)>{move || ctx.t(Msg::Lift)}</button>
                                </div>
                                <Failure error=item_error/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
