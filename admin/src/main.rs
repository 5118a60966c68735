//! Bantin's moderation console: a Leptos CSR app served at `/admin/`, on the
//! same origin as the API (`/api/v1/admin/*`). State is a few signals in a
//! [`Ctx`] given as context; each section keeps its own.

mod api;
mod fmt;
mod i18n;
mod views;

use api::ApiError;
use bantin_protocol::admin::{route, Me, Role};
use i18n::{t, t1, Lang, Msg};
use leptos::prelude::*;

/// The sections of the console, in the order of its menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Queue,
    Reported,
    Bans,
    Keywords,
    Audit,
    Deliveries,
    Data,
    Accounts,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Queue,
        Tab::Reported,
        Tab::Bans,
        Tab::Keywords,
        Tab::Audit,
        Tab::Deliveries,
        Tab::Data,
        Tab::Accounts,
    ];

    pub fn label(self) -> Msg {
        match self {
            Tab::Queue => Msg::TabQueue,
            Tab::Reported => Msg::TabReported,
            Tab::Bans => Msg::TabBans,
            Tab::Keywords => Msg::TabKeywords,
            Tab::Audit => Msg::TabAudit,
            Tab::Deliveries => Msg::TabDeliveries,
            Tab::Data => Msg::TabData,
            Tab::Accounts => Msg::TabAccounts,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Queue => "queue",
            Tab::Reported => "reported",
            Tab::Bans => "bans",
            Tab::Keywords => "keywords",
            Tab::Audit => "audit",
            Tab::Deliveries => "deliveries",
            Tab::Data => "data",
            Tab::Accounts => "accounts",
        }
    }

    /// Accounts, and every data operation (export, import, a reader's
    /// data), are the admins'.
    pub fn admin_only(self) -> bool {
        matches!(self, Tab::Accounts | Tab::Data)
    }
}

/// What every view shares.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    /// Who is signed in; `None` shows the sign-in form.
    pub me: RwSignal<Option<Me>>,
    /// Shown above the sign-in form (why the editor is there).
    pub notice: RwSignal<Option<Msg>>,
    pub tab: RwSignal<Tab>,
}

impl Ctx {
    pub fn t(&self, msg: Msg) -> &'static str {
        t(self.lang.get(), msg)
    }

    pub fn is_admin(&self) -> bool {
        self.me
            .with(|m| m.as_ref().is_some_and(|m| m.role == Role::Admin))
    }

    /// A failed request: a 401 ends the session (back to the sign-in form
    /// with a message); every other failure is shown where it happened.
    pub fn failed(&self, e: &ApiError) {
        if e.status() == Some(401) && self.me.with_untracked(Option::is_some) {
            api::set_csrf("");
            self.notice.set(Some(Msg::SessionEnded));
            self.me.set(None);
        }
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The console's own messages for the contract's error codes it can explain.
fn known(code: &str) -> Option<Msg> {
    use bantin_protocol::admin::codes;
    Some(match code {
        codes::NOTHING_TO_BAN => Msg::ErrNothingToBan,
        codes::NOT_PINNABLE => Msg::ErrNotPinnable,
        codes::NOT_PUBLISHED => Msg::ErrNotPublished,
        codes::NAME_TAKEN => Msg::ErrNameTaken,
        codes::CSRF_INVALID => Msg::ErrCsrf,
        _ => return None,
    })
}

/// The translated text of a failure.
pub fn error_text(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Network => t(lang, Msg::ErrNetwork).into(),
        ApiError::Timeout => t(lang, Msg::ErrTimeout).into(),
        ApiError::Malformed => t(lang, Msg::ErrMalformed).into(),
        ApiError::Status { code, .. } if known(code).is_some() => {
            t(lang, known(code).unwrap_or(Msg::ErrMalformed)).into()
        }
        ApiError::Status {
            status,
            message,
            retry_after,
            ..
        } => match status {
            401 => t(lang, Msg::SessionEnded).into(),
            403 => t(lang, Msg::ErrForbidden).into(),
            404 => t(lang, Msg::ErrNotFound).into(),
            409 => t(lang, Msg::ErrConflict).into(),
            429 => t1(
                lang,
                Msg::TooManyRequests,
                &fmt::integer(u64::from(retry_after.unwrap_or(60)), lang),
            ),
            400 | 413 | 422 if !message.is_empty() => t1(lang, Msg::ErrInvalid, message),
            s => t1(lang, Msg::ErrHttp, &s.to_string()),
        },
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

const LANG_KEY: &str = "bantin-admin-lang";

/// `?lang=` first, then the editor's last choice, then Vietnamese.
fn initial_lang() -> Lang {
    let from_query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("lang=").and_then(Lang::parse))
        });
    from_query
        .or_else(|| {
            storage()
                .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
                .and_then(|v| Lang::parse(&v))
        })
        .unwrap_or_default()
}

#[component]
fn App() -> impl IntoView {
    let ctx = Ctx {
        lang: RwSignal::new(initial_lang()),
        me: RwSignal::new(None),
        notice: RwSignal::new(None),
        tab: RwSignal::new(Tab::Queue),
    };
    provide_context(ctx);
    // <html lang> and the title follow the language.
    Effect::new(move |_| {
        let lang = ctx.lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(html) = doc.document_element() {
                let _ = html.set_attribute("lang", lang.code());
            }
            doc.set_title(t(lang, Msg::Title));
        }
    });
    // Is there a session already?
    let checking = RwSignal::new(true);
    let start_error = RwSignal::new(None::<ApiError>);
    leptos::task::spawn_local(async move {
        match api::get::<Me>(route::SESSION).await {
            Ok(me) => {
                api::set_csrf(&me.csrf);
                ctx.me.set(Some(me));
            }
            Err(e) if e.status() == Some(401) => {}
            Err(e) => start_error.set(Some(e)),
        }
        checking.set(false);
    });
    let signed_in = Memo::new(move |_| ctx.me.with(Option::is_some));
    let toggle = move |_| {
        let next = ctx.lang.get_untracked().other();
        if let Some(s) = storage() {
            let _ = s.set_item(LANG_KEY, next.code());
        }
        ctx.lang.set(next);
    };
    view! {
        <header class="top">
            <p class="brand">{move || ctx.t(Msg::Console)}</p>
            <button type="button" class="link lang" on:click=toggle
                lang=move || ctx.lang.get().other().code()>
                {move || ctx.t(Msg::OtherLang)}
            </button>
        </header>
        <main id="main">
            {move || {
                if checking.get() {
                    view! { <p class="loading" role="status">{move || ctx.t(Msg::Loading)}</p> }.into_any()
                } else if signed_in.get() {
                    view! { <views::Console/> }.into_any()
                } else {
                    view! { <views::signin::SignIn start_error=start_error/> }.into_any()
                }
            }}
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
