//! Accounts ("Tài khoản", admin only): list, add, remove, change password.

use super::{Failure, List, Note};
use crate::api::{self, ApiError};
use crate::ctx;
use crate::fmt::date_time;
use crate::i18n::{t1, Msg};
use bantin_protocol::admin::{
    is_valid_name, route, NewPassword, NewUser, Role, User, NAME_MAX, PASSWORD_MIN,
};
use gloo_net::http::Method;
use leptos::prelude::*;

#[component]
pub fn Accounts() -> impl IntoView {
    let ctx = ctx();
    let users = RwSignal::new(None::<Vec<User>>);
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<String>);
    let load = move || {
        leptos::task::spawn_local(async move {
            match api::get::<List<User>>(route::USERS).await {
                Ok(l) => users.set(Some(l.into_vec())),
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    load();
    view! {
        <AddUser note=note reload=load/>
        <Note note=note/>
        <Failure error=error/>
        {move || users.get().map(|list| view! {
            <ul class="cards">
                {list.into_iter().map(|u| view! { <UserCard user=u note=note users=users/> }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn AddUser(note: RwSignal<Option<String>>, reload: impl Fn() + Copy + 'static) -> impl IntoView {
    let ctx = ctx();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Moderator);
    let problem = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let user = NewUser {
            name: name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            role: role.get_untracked(),
            email: None,
        };
        if !is_valid_name(&user.name) {
            problem.set(Some(t1(lang, Msg::NameInvalid, &NAME_MAX.to_string())));
            return;
        }
        if user.password.chars().count() < PASSWORD_MIN {
            problem.set(Some(t1(
                lang,
                Msg::PasswordShort,
                &PASSWORD_MIN.to_string(),
            )));
            return;
        }
        problem.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::send(Method::POST, route::USERS, api::body(&user)).await {
                Ok(_) => {
                    name.set(String::new());
                    password.set(String::new());
                    note.set(Some(ctx.t(Msg::AccountAdded).into()));
                    reload();
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="card" on:submit=submit aria-labelledby="add-h">
            <h2 id="add-h">{move || ctx.t(Msg::AccountsAdd)}</h2>
            <label for="nu-name">{move || ctx.t(Msg::SignInName)}</label>
            <input id="nu-name" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="32"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="nu-password">{move || ctx.t(Msg::SignInPassword)}</label>
            <input id="nu-password" type="password" autocomplete="new-password"
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            <label for="nu-role">{move || ctx.t(Msg::AccountRole)}</label>
            <select id="nu-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Moderator))>
                <option value="moderator" selected=move || role.get() == Role::Moderator>{move || ctx.t(Msg::RoleModerator)}</option>
                <option value="admin" selected=move || role.get() == Role::Admin>{move || ctx.t(Msg::RoleAdmin)}</option>
            </select>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <Failure error=error/>
            <button type="submit" class="primary">{move || ctx.t(Msg::AccountsAdd)}</button>
        </form>
    }
}

#[component]
fn UserCard(
    user: User,
    note: RwSignal<Option<String>>,
    users: RwSignal<Option<Vec<User>>>,
) -> impl IntoView {
    let ctx = ctx();
    let name = user.name.clone();
    let created = user.created_at;
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let problem = RwSignal::new(None::<String>);
    let path = route::USER.replace("{name}", &api::encode(&name));
    let (p1, p2) = (path.clone(), path);
    let set_password = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        let pw = password.get_untracked();
        if pw.chars().count() < PASSWORD_MIN {
            problem.set(Some(t1(
                lang,
                Msg::PasswordShort,
                &PASSWORD_MIN.to_string(),
            )));
            return;
        }
        problem.set(None);
        error.set(None);
        let path = p1.clone();
        leptos::task::spawn_local(async move {
            match api::send(Method::PUT, &path, api::body(&NewPassword { password: pw })).await {
                Ok(_) => {
                    password.set(String::new());
                    note.set(Some(ctx.t(Msg::PasswordChanged).into()));
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    let n = name.clone();
    let remove = move |_| {
        let (path, n) = (p2.clone(), n.clone());
        confirm.set(false);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::send(Method::DELETE, &path, None).await {
                Ok(_) => {
                    users.update(|u| {
                        if let Some(u) = u {
                            u.retain(|x| x.name != n)
                        }
                    });
                    note.set(Some(ctx.t(Msg::AccountRemoved).into()));
                }
                Err(e) => {
                    ctx.failed(&e);
                    error.set(Some(e));
                }
            }
        });
    };
    let field = format!("pw-{}", name.replace('.', "_"));
    let (n1, n2) = (name.clone(), name.clone());
    let is_me = move || ctx.me.with(|m| m.as_ref().is_some_and(|m| m.name == n2));
    view! {
        <li class="card user">
            <p>
                <strong class="name">{name.clone()}</strong> " "
                <span class="chip role">{move || ctx.t(if user.role == Role::Admin { Msg::RoleAdmin } else { Msg::RoleModerator })}</span>
            </p>
            <p class="muted small">{move || t1(ctx.lang.get(), Msg::AccountCreated, &date_time(&created, ctx.lang.get()))}</p>
            <form class="subform" on:submit=set_password>
                <label for=field.clone()>{move || ctx.t(Msg::AccountNewPassword)}</label>
                <input id=field.clone() type="password" autocomplete="new-password"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <div class="actions">
                    <button type="submit" class="secondary">{move || ctx.t(Msg::AccountSetPassword)}</button>
                    {move || (!is_me()).then(|| view! {
                        <button type="button" class="danger" on:click=move |_| confirm.set(true)>{move || ctx.t(Msg::AccountRemove)}</button>
                    })}
                </div>
            </form>
            <Failure error=error/>
            {move || confirm.get().then(|| {
                let remove = remove.clone();
                let n1 = n1.clone();
                view! {
                    <div class="confirm" role="group">
                        <p>{move || t1(ctx.lang.get(), Msg::AccountRemoveConfirm, &n1)}</p>
                        <button type="button" class="danger" on:click=remove>{move || ctx.t(Msg::DeleteYes)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirm.set(false)>{move || ctx.t(Msg::Cancel)}</button>
                    </div>
                }
            })}
        </li>
    }
}
