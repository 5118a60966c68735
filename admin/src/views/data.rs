//! Data ("Dữ liệu", admin only): export links, import of an export, and
//! one reader's data exported or deleted.

use super::{Failure, Note};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::i18n::Msg;
use bantin_protocol::admin::route;
use gloo_net::http::Method;
use leptos::prelude::*;

#[component]
pub fn Data() -> impl IntoView {
    let ctx = ctx();
    let exports = [
        ("comments", Msg::ExportComments),
        ("ratings", Msg::ExportRatings),
        ("visits", Msg::ExportVisits),
    ];
    view! {
        <section class="card" aria-labelledby="export-h">
            <h2 id="export-h">{move || ctx.t(Msg::Export)}</h2>
            <ul class="exports">
                {exports.into_iter().map(|(what, label)| view! {
                    <li>
                        <span class="what">{move || ctx.t(label)}</span>
                        {["json", "csv"].into_iter().map(|format| view! {
                            <a class="button secondary" download=format!("bantin-{what}.{format}")
                                href=api::url(&format!("{}?what={what}&format={format}", route::EXPORT))>
                                {format.to_uppercase()}
                            </a>
                        }).collect_view()}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <Import/>
        <Privacy/>
    }
}

#[component]
fn Import() -> impl IntoView {
    let ctx = ctx();
    let input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else {
            problem.set(Some(Msg::ImportNoFile));
            return;
        };
        problem.set(None);
        error.set(None);
        note.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text {
                None => error.set(Some(ApiError::Malformed)),
                Some(text) => match api::send(Method::POST, route::IMPORT, Some(text)).await {
                    Ok(_) => note.set(Some(ctx.t(Msg::ImportDone).into())),
                    Err(e) => {
                        ctx.failed(&e);
                        error.set(Some(e));
                    }
                },
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" on:submit=submit aria-labelledby="import-h">
            <h2 id="import-h">{move || ctx.t(Msg::Import)}</h2>
            <label for="import-file">{move || ctx.t(Msg::ImportFile)}</label>
            <input id="import-file" type="file" accept="application/json,.json" node_ref=input/>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{ctx.t(m)}</p> })}
            <Failure error=error/>
            <Note note=note/>
            <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>{move || ctx.t(Msg::ImportSubmit)}</button>
        </form>
    }
}

#[component]
fn Privacy() -> impl IntoView {
    let ctx = ctx();
    let email = RwSignal::new(String::new());
    let visitor = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<Msg>);
    let query = move || {
        let (e, v) = (email.get(), visitor.get());
        if !e.trim().is_empty() {
            Some(format!("?email={}", api::encode(e.trim())))
        } else if !v.trim().is_empty() {
            Some(format!("?visitor={}", api::encode(v.trim())))
        } else {
            None
        }
    };
    let delete = move |_| {
        let Some(q) = query() else {
            problem.set(Some(Msg::PrivacyNeed));
            return;
        };
        confirm.set(false);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::send(Method::DELETE, &format!("{}{q}", route::PRIVACY), None).await {
                Ok(_) => {
                    email.set(String::new());
                    visitor.set(String::new());
                    note.set(Some(ctx.t(Msg::PrivacyDone).into()));
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    let ask = move |_| {
        if query().is_none() {
            problem.set(Some(Msg::PrivacyNeed));
        } else {
            problem.set(None);
            note.set(None);
            confirm.set(true);
        }
    };
    view! {
        <section class="card" aria-labelledby="privacy-h">
            <h2 id="privacy-h">{move || ctx.t(Msg::Privacy)}</h2>
            <label for="pv-email">{move || ctx.t(Msg::PrivacyEmail)}</label>
            <input id="pv-email" type="email" autocomplete="off" prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))/>
            <label for="pv-visitor">{move || ctx.t(Msg::PrivacyVisitor)}</label>
            <input id="pv-visitor" autocomplete="off" spellcheck="false" prop:value=move || visitor.get()
                on:input=move |ev| visitor.set(event_target_value(&ev))/>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{ctx.t(m)}</p> })}
            <Failure error=error/>
            <Note note=note/>
            <div class="actions">
                {move || query().map(|q| view! {
                    <a class="button secondary" download="bantin-reader.json" href=api::url(&format!("{}{q}", route::PRIVACY))>
                        {move || ctx.t(Msg::PrivacyExport)}
                    </a>
                })}
                <button type="button" class="danger" on:click=ask>{move || ctx.t(Msg::PrivacyDelete)}</button>
            </div>
            {move || confirm.get().then(|| view! {
                <div class="confirm" role="group" aria-label=move || ctx.t(Msg::PrivacyConfirm)>
                    <p>{move || ctx.t(Msg::PrivacyConfirm)}</p>
                    <button type="button" class="danger" on:click=delete>{move || ctx.t(Msg::DeleteYes)}</button>
                    <button type="button" class="secondary" on:click=move |_| confirm.set(false)>{move || ctx.t(Msg::Cancel)}</button>
                </div>
            })}
        </section>
    }
}
