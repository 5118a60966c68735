//! The editors' console: `/api/v1/admin/session`, `users`, `queue`,
//! `queue/actions`, official replies, pins, bans, keyword lists and the
//! audit log (paths in [`bantin_protocol::admin::route`]). Every handler
//! takes an [`Editor`] (session cookie + CSRF token, or the bearer token).

use super::ok;
use crate::accounts;
use crate::audit;
use crate::error::{json_response, Failure};
use crate::extract::{ArticleId, ClientIp, CommentId, JsonBody, Query};
use crate::fold;
use crate::moderation::article_title;
use crate::session::{self, Editor, Https};
use crate::store::console::{AccountRow, Annotation, NewBanRow, QueueQuery};
use crate::store::{CommentRecord, InsertOutcome};
use crate::{now_secs, AppState};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bantin_protocol::admin::{
    codes, Action, AuditPage, BanKind, BulkAction, BulkResult, Keywords, Me, NewBan, NewPassword,
    NewUser, OfficialReply, Pin, QueuePage, QueueStatus, SignIn, User, BULK_MAX, CONSOLE_COMMENT,
    KEYWORDS_MAX, KEYWORD_MAX, PASSWORD_MAX, QUEUE_DEFAULT, QUEUE_MAX, SEARCH_MAX,
};
use bantin_protocol::api::{codes as api_codes, CommentCreated, CommentStatus};
use bantin_protocol::article::is_valid_id;
use bantin_protocol::{Invalid, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type S = State<Arc<AppState>>;

fn me(
    state: &AppState,
    name: String,
    role: bantin_protocol::admin::Role,
    csrf: String,
    ends: i64,
) -> Me {
    Me {
        name,
        role,
        csrf,
        expires_at: Timestamp::from_unix_seconds(ends),
        badge: state.config.official_badge.clone(),
    }
}

fn no_comment() -> Failure {
    Failure::not_found(api_codes::COMMENT_NOT_FOUND, "no such comment")
}

// ---------------------------------------------------------------- session

/// `POST /admin/session`: a new session (a new id every time) and its cookie.
pub async fn sign_in(
    State(state): S,
    ip: ClientIp,
    Https(https): Https,
    body: Result<JsonBody<SignIn>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(req) = body?;
    let now = Instant::now();
    let window = state.config.sign_in_window;
    let account_key = format!("account:{}", req.name);
    let network_key = format!("network:{}", crate::visitor::network_key(ip.0));
    // Checked and counted in one step before the password is: parallel
    // guesses each take an attempt, and past the limit they are refused.
    let attempt = state
        .sign_in
        .reserve(
            &[
                (&account_key, state.config.sign_in_failures_per_account),
                (&network_key, state.config.sign_in_failures_per_address),
            ],
            window,
            now,
        )
        .map_err(|retry| {
            tracing::warn!(name = %req.name, ip = %ip.0, "sign-in throttled");
            Failure::rate_limited(retry)
        })?;
    let password_ok = req.password.chars().count() <= PASSWORD_MAX;
    let account = if accounts::check_name(&req.name).is_ok() {
        match state.store.account(&req.name).await {
            Ok(account) => account,
            Err(e) => {
                attempt.give_back();
                return Err(e.into());
            }
        }
    } else {
        None
    };
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| state.decoy_hash.clone());
    let password = req.password.clone();
    let matches = password_ok
        && match tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash))
            .await
        {
            Ok(matches) => matches,
            Err(e) => {
                attempt.give_back();
                return Err(Failure::internal(format!("password check: {e}")));
            }
        };
    let Some(account) = account.filter(|_| matches) else {
        attempt.failed();
        tracing::warn!(name = %req.name, ip = %ip.0, "failed sign-in");
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            api_codes::UNAUTHORIZED,
            "wrong name or password",
        ));
    };
    attempt.succeeded(&account_key);
    let id = session::random_hex(32)?;
    let csrf = session::random_hex(24)?;
    let t = now_secs();
    state
        .store
        .create_session(session::id_hash(&id), account.name.clone(), csrf.clone(), t)
        .await?;
    tracing::info!(account = %account.name, "signed in");
    let ends = session::expires_at(&state, t, t);
    let mut r = ok(&me(&state, account.name, account.role, csrf, ends));
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(&state, https, Some(&id)),
    );
    Ok(r)
}

/// `GET /admin/session`: who is signed in.
pub async fn whoami(State(state): S, editor: Editor) -> Result<Response, Failure> {
    let (csrf, ends) = editor.session.clone().unwrap_or_default();
    Ok(ok(&me(&state, editor.name, editor.role, csrf, ends)))
}

/// `DELETE /admin/session`: signs out (the session is deleted).
pub async fn sign_out(
    State(state): S,
    editor: Editor,
    Https(https): Https,
    headers: axum::http::HeaderMap,
) -> Result<Response, Failure> {
    if let Some(id) = session::cookie(&headers, bantin_protocol::admin::SESSION_COOKIE) {
        state.store.delete_session(&session::id_hash(id)).await?;
    }
    tracing::info!(account = %editor.name, "signed out");
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, session::set_cookie(&state, https, None));
    Ok(r)
}

// ---------------------------------------------------------------- users

pub async fn list_users(State(state): S, editor: Editor) -> Result<Response, Failure> {
    editor.require_admin()?;
    let users: Vec<User> = state
        .store
        .accounts()
        .await?
        .into_iter()
        .map(|a| User {
            name: a.name,
            role: a.role,
            created_at: Timestamp::from_unix_seconds(a.created_at),
        })
        .collect();
    Ok(ok(&users))
}

async fn hash(state: &AppState, password: String) -> Result<String, Failure> {
    let kib = state.config.argon2_memory_kib;
    tokio::task::spawn_blocking(move || accounts::hash_password(&password, kib))
        .await
        .map_err(|e| Failure::internal(format!("hashing: {e}")))?
        .map_err(Failure::internal)
}

pub async fn add_user(
    State(state): S,
    editor: Editor,
    body: Result<JsonBody<NewUser>, Failure>,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    let JsonBody(u) = body?;
    accounts::check_name(&u.name).map_err(Failure::invalid)?;
    accounts::check_password(&u.password).map_err(Failure::invalid)?;
    if let Some(e) = &u.email {
        accounts::check_email(e).map_err(Failure::invalid)?;
    }
    let created_at = now_secs();
    let password_hash = hash(&state, u.password).await?;
    let added = state
        .store
        .add_account(AccountRow {
            name: u.name.clone(),
            role: u.role,
            email: u.email,
            password_hash,
            created_at,
        })
        .await?;
    if !added {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            codes::NAME_TAKEN,
            format!("an account `{}` exists already", u.name),
        ));
    }
    audit::record(
        &*state.store,
        &editor.name,
        "user_add",
        &format!("user:{}", u.name),
        u.role.as_str(),
    )
    .await;
    Ok(json_response(
        StatusCode::CREATED,
        &User {
            name: u.name,
            role: u.role,
            created_at: Timestamp::from_unix_seconds(created_at),
        },
    ))
}

fn no_user(name: &str) -> Failure {
    Failure::not_found(codes::USER_NOT_FOUND, format!("no account `{name}`"))
}

pub async fn remove_user(
    State(state): S,
    editor: Editor,
    Path(name): Path<String>,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    if !state.store.remove_account(&name).await? {
        return Err(no_user(&name));
    }
    audit::record(
        &*state.store,
        &editor.name,
        "user_remove",
        &format!("user:{name}"),
        "",
    )
    .await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn change_password(
    State(state): S,
    editor: Editor,
    Path(name): Path<String>,
    body: Result<JsonBody<NewPassword>, Failure>,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    let JsonBody(p) = body?;
    accounts::check_password(&p.password).map_err(Failure::invalid)?;
    if state.store.account(&name).await?.is_none() {
        return Err(no_user(&name));
    }
    let h = hash(&state, p.password).await?;
    state.store.set_password(&name, h).await?;
    audit::record(
        &*state.store,
        &editor.name,
        "user_passwd",
        &format!("user:{name}"),
        "",
    )
    .await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------- queue

fn flag(query: &Query, name: &str) -> Result<bool, Failure> {
    match query.get(name) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(Failure::bad_parameter(name, "must be true or false")),
    }
}

/// `GET /admin/queue?status=&article=&reported=&links=&phones=&q=&comment=&cursor=&limit=`.
pub async fn queue(State(state): S, _: Editor, query: Query) -> Result<Response, Failure> {
    let status = match query.get("status").filter(|s| !s.is_empty()) {
        None => QueueStatus::Waiting,
        Some(s) => QueueStatus::parse(s).ok_or_else(|| {
            Failure::bad_parameter("status", "must be waiting, published, rejected or all")
        })?,
    };
    let article = match query.get("article").filter(|s| !s.is_empty()) {
        None => None,
        Some(a) if is_valid_id(a) => Some(a.to_owned()),
        Some(_) => return Err(Failure::bad_parameter("article", "is not an article id")),
    };
    let q = match query.get("q").map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(q) if q.chars().count() > SEARCH_MAX => {
            return Err(Failure::bad_parameter(
                "q",
                &format!("must be at most {SEARCH_MAX} characters"),
            ))
        }
        Some(q) => Some(fold::fold(q)),
    };
    let limit = query
        .number("limit", u64::from(QUEUE_MAX))?
        .map_or(QUEUE_DEFAULT as usize, |n| n as usize);
    let after = query.number("cursor", i64::MAX as u64)?;
    let comment = query.number(CONSOLE_COMMENT, i64::MAX as u64)?;
    let (mut items, total) = state
        .store
        .queue(QueueQuery {
            status,
            article,
            reported: flag(&query, "reported")?,
            links: flag(&query, "links")?,
            phones: flag(&query, "phones")?,
            q,
            comment,
            after,
            limit: limit + 1,
        })
        .await?;
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|i| i.id.to_string())
    } else {
        None
    };
    let mut titles: HashMap<String, Option<String>> = HashMap::new();
    for item in &mut items {
        if !titles.contains_key(&item.article_id) {
            let t = article_title(&state, &item.article_id).await;
            titles.insert(item.article_id.clone(), t);
        }
        item.article_title = titles[&item.article_id].clone();
    }
    Ok(ok(&QueuePage { items, next, total }))
}

/// One action on one comment; false when there is no such comment.
pub async fn act(state: &AppState, who: &str, action: Action, id: u64) -> Result<bool, Failure> {
    let done = match action {
        Action::Approve => state.store.approve(id).await?,
        Action::Reject => state.store.reject(id, now_secs()).await?,
        Action::Delete => state.store.delete_comment(id).await?,
    };
    if done {
        let name = match action {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Delete => "delete",
        };
        tracing::info!(id, who, action = name, "comment moderated");
        audit::record(&*state.store, who, name, &format!("comment:{id}"), "").await;
    }
    Ok(done)
}

/// `POST /admin/queue/actions`: one action on up to [`BULK_MAX`] comments.
pub async fn bulk(
    State(state): S,
    editor: Editor,
    body: Result<JsonBody<BulkAction>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(b) = body?;
    if b.ids.is_empty() || b.ids.len() > BULK_MAX {
        return Err(Failure::invalid(Invalid::new(
            "ids",
            format!("must name 1 to {BULK_MAX} comments"),
        )));
    }
    let mut result = BulkResult::default();
    let mut seen = std::collections::HashSet::new();
    for id in b.ids.into_iter().filter(|i| seen.insert(*i)) {
        if id > 0 && act(&state, &editor.name, b.action, id).await? {
            result.done.push(id);
        } else {
            result.missing.push(id);
        }
    }
    Ok(ok(&result))
}

// ---------------------------------------------------------------- replies and pins

/// `POST /admin/comments/{id}/reply`: an official reply, published at once
/// under the badge's name (to the comment, or to its parent when it is a reply).
pub async fn reply(
    State(state): S,
    editor: Editor,
    CommentId(id): CommentId,
    body: Result<JsonBody<OfficialReply>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(r) = body?;
    let text = crate::text::clean_body(&r.body);
    let n = text.chars().count();
    if n == 0 || n > bantin_protocol::limits::COMMENT_BODY_MAX_CHARS {
        return Err(Failure::invalid(Invalid::new(
            "body",
            format!(
                "must be 1 to {} characters",
                bantin_protocol::limits::COMMENT_BODY_MAX_CHARS
            ),
        )));
    }
    let Some(origin) = state.store.comment_origin(id).await? else {
        return Err(no_comment());
    };
    if !origin.published {
        return Err(Failure::unprocessable(
            codes::NOT_PUBLISHED,
            "approve the comment before answering it",
        ));
    }
    let parent = origin.parent_id.unwrap_or(id);
    let created_at = now_secs();
    let record = CommentRecord {
        article_id: origin.article_id.clone(),
        parent_id: Some(parent),
        author: state.config.official_badge.clone(),
        email: None,
        body: text.clone(),
        status: CommentStatus::Published,
        created_at,
        client_key: None,
    };
    let new_id = match state.store.insert_comment(record, None).await? {
        InsertOutcome::Inserted(n) => n,
        InsertOutcome::BadParent => {
            return Err(Failure::unprocessable(
                codes::NOT_PUBLISHED,
                "the comment answered is not published",
            ))
        }
        other => return Err(Failure::internal(format!("official reply: {other:?}"))),
    };
    state
        .store
        .annotate(
            new_id,
            Annotation {
                official: true,
                folded: fold::fold(&format!("{}\n{text}", state.config.official_badge)),
                has_link: fold::has_link(&text),
                has_phone: fold::has_phone(&text),
                ..Annotation::default()
            },
        )
        .await?;
    audit::record(
        &*state.store,
        &editor.name,
        "reply",
        &format!("comment:{id}"),
        &format!("reply:{new_id}"),
    )
    .await;
    Ok(json_response(
        StatusCode::CREATED,
        &CommentCreated::new(new_id, CommentStatus::Published),
    ))
}

/// `PUT /admin/articles/{id}/pin`: pins a published top-level comment of
/// the article (or none).
pub async fn pin(
    State(state): S,
    editor: Editor,
    ArticleId(article): ArticleId,
    body: Result<JsonBody<Pin>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(p) = body?;
    if let Some(id) = p.comment {
        let origin = state.store.comment_origin(id).await?;
        let pinnable = origin
            .as_ref()
            .is_some_and(|o| o.article_id == article && o.parent_id.is_none() && o.published);
        if !pinnable {
            return Err(Failure::unprocessable(
                codes::NOT_PINNABLE,
                "only a published top-level comment of this article can be pinned",
            ));
        }
    }
    state.store.set_pin(&article, p.comment).await?;
    let detail = p
        .comment
        .map_or("none".to_owned(), |c| format!("comment:{c}"));
    audit::record(
        &*state.store,
        &editor.name,
        "pin",
        &format!("article:{article}"),
        &detail,
    )
    .await;
    Ok(ok(&p))
}

// ---------------------------------------------------------------- bans

pub async fn list_bans(State(state): S, _: Editor) -> Result<Response, Failure> {
    Ok(ok(&state.store.bans(now_secs()).await?))
}

/// A network as the server computes them ([`crate::visitor::network_key`]).
fn network_value(v: &str) -> Option<String> {
    let ip: std::net::IpAddr = v.trim().trim_end_matches("/64").parse().ok()?;
    Some(crate::visitor::network_key(crate::config::canonical_ip(ip)))
}

pub async fn add_ban(
    State(state): S,
    editor: Editor,
    body: Result<JsonBody<NewBan>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(b) = body?;
    if b.reason.chars().count() > 500 {
        return Err(Failure::invalid(Invalid::new(
            "reason",
            "must be at most 500 characters",
        )));
    }
    if b.hours > 24 * 366 * 10 {
        return Err(Failure::invalid(Invalid::new(
            "hours",
            "must be at most 10 years (0 = until lifted)",
        )));
    }
    let value = match (&b.comment, &b.value) {
        (Some(id), None) => {
            let Some(o) = state.store.comment_origin(*id).await? else {
                return Err(no_comment());
            };
            let v = match b.kind {
                BanKind::Visitor => o.visitor,
                BanKind::Network => o.network,
            };
            v.ok_or_else(|| {
                Failure::unprocessable(
                    codes::NOTHING_TO_BAN,
                    "this comment's author left no credential or network to ban",
                )
            })?
        }
        (None, Some(v)) => match b.kind {
            BanKind::Visitor => {
                let v = v.trim();
                if v.is_empty() || v.len() > 128 || !v.bytes().all(|c| c.is_ascii_hexdigit()) {
                    return Err(Failure::invalid(Invalid::new(
                        "value",
                        "must be a visitor credential id (hex, as the queue shows it)",
                    )));
                }
                v.to_ascii_lowercase()
            }
            BanKind::Network => network_value(v).ok_or_else(|| {
                Failure::invalid(Invalid::new("value", "must be an IPv4 or IPv6 address"))
            })?,
        },
        _ => {
            return Err(Failure::invalid(Invalid::new(
                "comment",
                "give either `comment` or `value`",
            )))
        }
    };
    let now = now_secs();
    let kind = b.kind;
    let id = state
        .store
        .add_ban(NewBanRow {
            kind,
            value: value.clone(),
            reason: b.reason.clone(),
            created_by: editor.name.clone(),
            created_at: now,
            expires_at: (b.hours > 0).then(|| now + i64::from(b.hours) * 3600),
        })
        .await?;
    audit::record(
        &*state.store,
        &editor.name,
        "ban",
        &format!("ban:{id}"),
        &format!(
            "{}:{value} {}h",
            crate::store::console::ban_kind_str(kind),
            b.hours
        ),
    )
    .await;
    let ban = state
        .store
        .bans(now)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Failure::internal("a new ban was not found"))?;
    Ok(json_response(StatusCode::CREATED, &ban))
}

pub async fn remove_ban(
    State(state): S,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let missing = || Failure::not_found(codes::BAN_NOT_FOUND, "no such ban");
    let id: u64 = id.parse().map_err(|_| missing())?;
    if !state.store.remove_ban(id).await? {
        return Err(missing());
    }
    audit::record(
        &*state.store,
        &editor.name,
        "unban",
        &format!("ban:{id}"),
        "",
    )
    .await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------- keywords

pub async fn keywords(State(state): S, _: Editor) -> Result<Response, Failure> {
    Ok(ok(&state.store.keywords().await?))
}

fn clean_list(field: &str, words: Vec<String>) -> Result<Vec<String>, Failure> {
    if words.len() > KEYWORDS_MAX {
        return Err(Failure::invalid(Invalid::new(
            field,
            format!("must have at most {KEYWORDS_MAX} entries"),
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, w) in words.into_iter().enumerate() {
        let w = w.trim().to_lowercase();
        if w.is_empty() || w.chars().count() > KEYWORD_MAX {
            return Err(Failure::invalid(Invalid::new(
                format!("{field}[{i}]"),
                format!("must be 1 to {KEYWORD_MAX} characters"),
            )));
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

pub async fn set_keywords(
    State(state): S,
    editor: Editor,
    body: Result<JsonBody<Keywords>, Failure>,
) -> Result<Response, Failure> {
    let JsonBody(k) = body?;
    let k = Keywords {
        hold: clean_list("hold", k.hold)?,
        refuse: clean_list("refuse", k.refuse)?,
    };
    state.store.set_keywords(k.clone()).await?;
    audit::record(
        &*state.store,
        &editor.name,
        "keywords",
        "keywords",
        &format!("hold {}, refuse {}", k.hold.len(), k.refuse.len()),
    )
    .await;
    Ok(ok(&state.store.keywords().await?))
}

// ---------------------------------------------------------------- audit

pub async fn audit_log(State(state): S, _: Editor, query: Query) -> Result<Response, Failure> {
    let limit = query.number("limit", 200)?.map_or(50, |n| n as usize);
    let before = query.number("cursor", i64::MAX as u64)?;
    let mut items = state.store.audit(before, limit + 1).await?;
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(ok(&AuditPage { items, next }))
}

// ---------------------------------------------------------------- deliveries

/// `GET /admin/deliveries?cursor=&limit=`: the alerts' delivery log, newest
/// first (`cursor`: the last id of the previous answer).
pub async fn deliveries(State(state): S, _: Editor, query: Query) -> Result<Response, Failure> {
    let limit = query.number("limit", 200)?.map_or(50, |n| n as usize);
    let before = query.number("cursor", i64::MAX as u64)?;
    Ok(ok(&state.store.deliveries(before, limit).await?))
}

// ---------------------------------------------------------------- data

/// `GET /admin/export?what=comments|ratings|visits|all&format=json|csv` (admin).
pub async fn export(State(state): S, editor: Editor, query: Query) -> Result<Response, Failure> {
    use crate::export::{self, What};
    editor.require_admin()?;
    let what = What::parse(query.get("what").unwrap_or("all")).ok_or_else(|| {
        Failure::bad_parameter("what", "must be comments, ratings, visits or all")
    })?;
    let format = query.get("format").unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(Failure::bad_parameter("format", "must be json or csv"));
    }
    if format == "csv" && what == What::All {
        return Err(Failure::bad_parameter(
            "what",
            "CSV holds one of comments, ratings or visits",
        ));
    }
    let doc = export::build(&*state.store, what)
        .await
        .map_err(Failure::internal)?;
    audit::record(
        &*state.store,
        &editor.name,
        "export",
        query.get("what").unwrap_or("all"),
        format,
    )
    .await;
    let name = query.get("what").unwrap_or("all");
    let (body, kind) = if format == "csv" {
        (export::csv(&doc).into_bytes(), "text/csv; charset=utf-8")
    } else {
        (
            serde_json::to_vec(&doc).map_err(Failure::internal)?,
            "application/json",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bantin-{name}.{format}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `POST /admin/import` (admin): a JSON export, added in one transaction.
pub async fn import(
    State(state): S,
    editor: Editor,
    body: Result<JsonBody<crate::export::Export>, Failure>,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    let JsonBody(doc) = body?;
    crate::export::check(&doc).map_err(|m| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            api_codes::INVALID_FIELD,
            m,
        )
    })?;
    let done = crate::export::import(&*state.store, doc)
        .await
        .map_err(Failure::internal)?;
    audit::record(
        &*state.store,
        &editor.name,
        "import",
        "export",
        &format!("{} comments, {} ratings", done.comments, done.ratings),
    )
    .await;
    Ok(ok(&serde_json::json!({
        "comments": done.comments,
        "ratings": done.ratings,
        "visits": done.visits,
    })))
}

/// `?email=` or `?visitor=` (a credential id as the queue shows it, or a
/// reader's credential token), exactly one.
fn reader(
    state: &AppState,
    query: &Query,
) -> Result<(Option<String>, Option<String>, String), Failure> {
    let email = query.get("email").map(str::trim).filter(|s| !s.is_empty());
    let visitor = query
        .get("visitor")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (email, visitor) {
        (Some(e), None) => {
            accounts::check_email(e)
                .map_err(|_| Failure::bad_parameter("email", "is not an e-mail address"))?;
            Ok((Some(e.to_owned()), None, format!("email:{e}")))
        }
        (None, Some(v)) => {
            let id = match crate::visitor::verify(state, "visitor", v, now_secs()) {
                Ok(c) => c.id_hex(),
                Err(_) if v.len() <= 128 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    v.to_ascii_lowercase()
                }
                Err(_) => {
                    return Err(Failure::bad_parameter(
                        "visitor",
                        "must be a visitor credential or its id",
                    ))
                }
            };
            Ok((None, Some(id.clone()), format!("visitor:{id}")))
        }
        _ => Err(Failure::bad_parameter(
            "email",
            "give exactly one of email or visitor",
        )),
    }
}

/// `GET /admin/privacy?email=|visitor=` (admin): one reader's comments and ratings.
pub async fn privacy_export(
    State(state): S,
    editor: Editor,
    query: Query,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    let (email, visitor, target) = reader(&state, &query)?;
    let (comments, ratings) = state.store.reader_data(email, visitor).await?;
    audit::record(&*state.store, &editor.name, "privacy_export", &target, "").await;
    Ok(ok(
        &serde_json::json!({"comments": comments, "ratings": ratings}),
    ))
}

/// `DELETE /admin/privacy?email=|visitor=` (admin): deletes one reader's data.
pub async fn privacy_delete(
    State(state): S,
    editor: Editor,
    query: Query,
) -> Result<Response, Failure> {
    editor.require_admin()?;
    let (email, visitor, target) = reader(&state, &query)?;
    let erased = state.store.erase_reader(email, visitor, now_secs()).await?;
    audit::record(
        &*state.store,
        &editor.name,
        "privacy_delete",
        &target,
        &format!(
            "{} comments deleted, {} blanked, {} ratings",
            erased.comments_deleted, erased.comments_blanked, erased.ratings
        ),
    )
    .await;
    Ok(ok(&erased))
}
