//! The v1 endpoints. See docs/api.md for the contract. Comment likes,
//! the author's edits and the counts of list pages have modules of their own.

pub mod console;
pub mod counts;
pub mod edit;
pub mod likes;

use crate::error::{json_response, Failure};
use crate::extract::{
    Admin, ArticleComment, ArticleId, ClientIp, CommentId, JsonBody, OptionalJsonBody, Query,
};
use crate::ratelimit::Class;
use crate::store::console::{Annotation, ReportOutcome};
use crate::store::{
    CaptchaUse, CommentRecord, CommentsQuery, InsertOutcome, Quota, VisitRecord, VoteOutcome,
};
use crate::visitor::{self, cap_reached, day_of, InUse, VisitorContext};
use crate::{now_millis, now_secs, text, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bantin_protocol::api::{
    codes, CommentCreated, CommentPage, CommentSort, CommentStatus, NewComment, VisitRequest,
    VisitResponse, VisitorIssued, VisitorRequest, VoteRequest,
};
use bantin_protocol::limits::{
    COMMENTS_PAGE_DEFAULT, COMMENTS_PAGE_MAX, REPLIES_PAGE_DEFAULT, REPLIES_PAGE_MAX,
};
use bantin_protocol::pow::{self, PowError};
use bantin_protocol::Timestamp;
use bantin_protocol::{parse_article, ArticleError, Invalid};
use std::sync::Arc;
use std::time::Instant;

type S = State<Arc<AppState>>;

fn ok<T: serde::Serialize>(value: &T) -> Response {
    json_response(StatusCode::OK, value)
}

pub(crate) fn limit(state: &AppState, class: Class, ip: ClientIp) -> Result<(), Failure> {
    let per_minute = match class {
        Class::Comments => state.config.rate_comments,
        Class::Writes => state.config.rate_writes,
        Class::AdminFailures => state.config.rate_admin_failures,
    };
    state
        .limiter
        .check(class, ip.0, per_minute, Instant::now())
        .map_err(|retry| {
            tracing::info!(ip = %ip.0, ?class, "rate limited");
            Failure::rate_limited(retry)
        })
}

/// 404 unless the article has a file in the articles directory (or
/// `any_article` is set).
async fn known_article(state: &AppState, id: &str) -> Result<(), Failure> {
    if state.config.any_article {
        return Ok(());
    }
    let path = state.config.articles_dir.join(format!("{id}.json"));
    match tokio::fs::metadata(&path).await {
        Ok(m) if m.is_file() => Ok(()),
        _ => Err(Failure::not_found(
            codes::ARTICLE_NOT_FOUND,
            format!("no article `{id}`"),
        )),
    }
}

/// `GET /api/v1/articles/{id}`: the article file, validated, with live rating
/// and counters in place of the file's numbers.
pub async fn article(State(state): S, ArticleId(id): ArticleId) -> Result<Response, Failure> {
    let path = state.config.articles_dir.join(format!("{id}.json"));
    let text = match tokio::fs::read_to_string(&path).await {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::not_found(
                codes::ARTICLE_NOT_FOUND,
                format!("no article `{id}`"),
            ))
        }
        Err(e) => {
            return Err(Failure::internal(format!(
                "reading {}: {e}",
                path.display()
            )))
        }
    };
    let mut article = parse_article(&text).map_err(|e: ArticleError| {
        Failure::internal(format!("article file {} is invalid: {e}", path.display()))
    })?;
    let rating = state.store.rating(&id, None).await?;
    article.rating.count = rating.count;
    article.rating.average = rating.average;
    article.counters = state
        .store
        .stats(now_secs(), state.config.online_per_network)
        .await?;
    Ok(ok(&article))
}

/// `GET /api/v1/articles/{id}/rating?visitor=`: `your_vote` for the
/// credential in `?visitor=` (judged strictly), else in the cookie.
pub async fn get_rating(
    State(state): S,
    ArticleId(id): ArticleId,
    ctx: VisitorContext,
    query: Query,
) -> Result<Response, Failure> {
    let given = query.get("visitor").unwrap_or("");
    let visitor = ctx.optional(&state, "visitor", given, now_secs())?;
    known_article(&state, &id).await?;
    let visitor = visitor.as_ref().map(InUse::id);
    Ok(ok(&state.store.rating(&id, visitor.as_deref()).await?))
}

/// `PUT /api/v1/articles/{id}/rating`: one vote per credential, which may
/// be changed; new votes capped per article per client network per day.
pub async fn put_rating(
    State(state): S,
    ArticleId(id): ArticleId,
    ctx: VisitorContext,
    body: Result<JsonBody<VoteRequest>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Writes, ClientIp(ctx.ip))?;
    let JsonBody(vote) = body?;
    vote.validate().map_err(Failure::invalid)?;
    let now = now_secs();
    let visitor = ctx.required(&state, &vote.visitor, now)?;
    known_article(&state, &id).await?;
    crate::moderation::check_ban(&state, Some(&visitor.id()), &ctx.network).await?;
    let cap = state.config.votes_per_network;
    let quota = (cap > 0).then(|| Quota {
        kind: visitor::kind::VOTE,
        subject: id.clone(),
        network: ctx.network.clone(),
        day: day_of(now),
        cap,
    });
    match state
        .store
        .vote(&id, &visitor.id(), vote.stars, now, quota)
        .await?
    {
        VoteOutcome::Voted(summary) => Ok(ok(&summary)),
        VoteOutcome::CapReached => {
            tracing::info!(article = %id, network = %ctx.network, "vote refused: network cap");
            Err(cap_reached(
                &format!("{cap} new votes were cast on this article"),
                now,
            ))
        }
    }
}

/// `POST /api/v1/visitors`: the credential presented (body `visitor`, else
/// the cookie), renewed when due, with `200`; or a new one with `201`,
/// capped per client network per day.
pub async fn visitors(
    State(state): S,
    ctx: VisitorContext,
    body: Result<OptionalJsonBody<VisitorRequest>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Writes, ClientIp(ctx.ip))?;
    let OptionalJsonBody(req) = body?;
    let now = now_secs();
    let mut visitor = ctx.presented_or_new(&state, &req.visitor, true, now)?;
    visitor::take_issue_quota(&state, &mut visitor, now).await?;
    let status = if visitor.fresh {
        tracing::debug!(network = %ctx.network, "visitor credential issued");
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let issued = VisitorIssued {
        visitor: visitor.token.clone(),
        expires_at: Timestamp::from_unix_seconds(i64::from(visitor.credential.expires)),
    };
    let mut response = json_response(status, &issued);
    if let Some(cookie) = ctx.set_cookie(&state, &visitor, now) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `GET /api/v1/articles/{id}/comments?sort=&cursor=&limit=`.
pub async fn list_comments(
    State(state): S,
    ArticleId(id): ArticleId,
    query: Query,
) -> Result<Response, Failure> {
    let sort = match query.get("sort").filter(|s| !s.is_empty()) {
        None => CommentSort::default(),
        Some(s) => s
            .parse()
            .map_err(|e: Invalid| Failure::bad_parameter("sort", &e.message))?,
    };
    let limit = query
        .number("limit", COMMENTS_PAGE_MAX as u64)?
        .map_or(COMMENTS_PAGE_DEFAULT, |n| n as usize);
    let (snapshot, after) = match query.get("cursor").filter(|c| !c.is_empty()) {
        None => (None, None),
        Some(c) => {
            let (snapshot, after) = crate::cursor::decode(&state.cursor_key, &id, sort, c)?;
            (snapshot, Some(after))
        }
    };
    known_article(&state, &id).await?;
    let query = CommentsQuery {
        sort,
        snapshot,
        after,
        limit,
    };
    let first_page = query.after.is_none();
    let page = state.store.comments(&id, query).await?;
    let next = page
        .next
        .map(|after| crate::cursor::encode(&state.cursor_key, &id, sort, page.snapshot, after));
    let mut items = page.items;
    // The pinned comment: first on the first page, in every order; not
    // repeated on the others.
    if let Some((mut pinned, reply_count)) = state.store.pinned(&id).await? {
        items.retain(|c| c.id != pinned.id);
        if first_page {
            if let Some(replies) = state
                .store
                .replies(
                    &id,
                    pinned.id,
                    None,
                    bantin_protocol::limits::REPLIES_INLINE_MAX,
                )
                .await?
            {
                pinned.replies = replies.items;
            }
            pinned.reply_count = reply_count;
            pinned.pinned = true;
            items.insert(0, pinned);
        }
    }
    badge(&state, &mut items).await?;
    Ok(ok(&CommentPage { items, next }))
}

/// Marks the official replies among `items` (and their inline replies).
async fn badge(
    state: &AppState,
    items: &mut [bantin_protocol::api::Comment],
) -> Result<(), Failure> {
    let ids: Vec<u64> = items
        .iter()
        .flat_map(|c| std::iter::once(c.id).chain(c.replies.iter().map(|r| r.id)))
        .collect();
    let official = state.store.officials(ids).await?;
    if official.is_empty() {
        return Ok(());
    }
    let text = &state.config.official_badge;
    for c in items.iter_mut() {
        if official.contains(&c.id) {
            c.badge = Some(text.clone());
        }
        for r in c.replies.iter_mut() {
            if official.contains(&r.id) {
                r.badge = Some(text.clone());
            }
        }
    }
    Ok(())
}

/// `POST /api/v1/articles/{id}/comments/{comment}/report`: a reader's
/// report, once per credential; the comment is hidden when reports from
/// `--hide-after-reports` distinct networks came in, until an editor decides.
pub async fn report(
    State(state): S,
    ArticleComment(id, comment): ArticleComment,
    ctx: VisitorContext,
    body: Result<JsonBody<bantin_protocol::admin::Report>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Writes, ClientIp(ctx.ip))?;
    let JsonBody(r) = body?;
    let reason = r.reason.trim().to_owned();
    if reason.chars().count() > 500 {
        return Err(Failure::invalid(Invalid::new(
            "reason",
            "must be at most 500 characters",
        )));
    }
    let now = now_secs();
    let visitor = ctx.required(&state, &r.visitor, now)?;
    known_article(&state, &id).await?;
    crate::moderation::check_ban(&state, Some(&visitor.id()), &ctx.network).await?;
    match state
        .store
        .report(
            &id,
            comment,
            &visitor.id(),
            &crate::visitor::report_network(ctx.ip),
            reason,
            now,
            state.config.hide_after_reports,
        )
        .await?
    {
        ReportOutcome::Reported { reports, hidden } => {
            tracing::info!(article = %id, comment, reports, hidden, "comment reported");
            crate::alerts::raise(&state, crate::alerts::REPORTED, comment).await;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ReportOutcome::Again => Err(Failure::new(
            StatusCode::CONFLICT,
            bantin_protocol::admin::codes::ALREADY_REPORTED,
            "this reader reported this comment already",
        )),
        ReportOutcome::NotFound => Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no published comment with this id on this article",
        )),
    }
}

/// `GET /api/v1/articles/{id}/comments/{comment}/replies?cursor=&limit=`:
/// the replies of a top-level comment after those listed with it.
pub async fn list_replies(
    State(state): S,
    ArticleComment(id, comment): ArticleComment,
    query: Query,
) -> Result<Response, Failure> {
    let limit = query
        .number("limit", REPLIES_PAGE_MAX as u64)?
        .map_or(REPLIES_PAGE_DEFAULT, |n| n as usize);
    let cursor = query.number("cursor", i64::MAX as u64)?;
    known_article(&state, &id).await?;
    match state.store.replies(&id, comment, cursor, limit).await? {
        Some(mut page) => {
            badge(&state, &mut page.items).await?;
            Ok(ok(&page))
        }
        None => Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no published top-level comment with this id on this article",
        )),
    }
}

/// `POST /api/v1/articles/{id}/comments`: `201` with the new comment's id and
/// status; `200` with the stored one's when its `client_key` was seen before
/// on this article with the same author, e-mail, text and parent (a retry
/// whose answer got lost); `409 client_key_taken` when another comment was
/// stored under the key (no edit token for someone who has only the key).
pub async fn post_comment(
    State(state): S,
    ArticleId(id): ArticleId,
    ip: ClientIp,
    ctx: VisitorContext,
    query: Query,
    body: Result<JsonBody<NewComment>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Comments, ip)?;
    // The author's credential (`?visitor=`, else the cookie), for bans,
    // trust and the console. A comment does not need one: a stale or forged
    // one falls back to the cookie, never refuses the comment (a reader who
    // wants to shed a ban can clear storage anyway; network bans hold).
    let now = now_secs();
    let visitor = match ctx.optional(&state, "visitor", query.get("visitor").unwrap_or(""), now) {
        Ok(v) => v,
        Err(_) => ctx.optional(&state, "visitor", "", now)?,
    }
    .map(|v| v.id());
    let JsonBody(raw) = body?;
    let mut c = raw.normalized();
    c.author =
        text::clean_author(&c.author, &state.config.reserved_names).map_err(Failure::invalid)?;
    c.body = text::clean_body(&c.body);
    c.validate().map_err(Failure::invalid)?;
    if c.honeypot_filled() {
        tracing::info!(article = %id, "comment refused: honeypot filled");
        return Err(Failure::unprocessable(
            codes::SPAM_DETECTED,
            "the comment looks automated",
        ));
    }
    let min_ms = state.config.min_submit.as_millis() as u64;
    let too_fast = |waited: u64, what: &str| {
        let mut f = Failure::unprocessable(
            codes::TOO_FAST,
            format!("sent {waited} ms after {what}; wait at least {min_ms} ms"),
        );
        f.retry_after = Some((min_ms - waited).div_ceil(1000).max(1));
        f
    };
    // Without a captcha, only the client's own `elapsed_ms` is there to judge.
    if !state.config.captcha && c.elapsed_ms < min_ms {
        return Err(too_fast(c.elapsed_ms, "the form opened"));
    }
    known_article(&state, &id).await?;
    crate::moderation::check_ban(&state, visitor.as_deref(), &ctx.network).await?;
    let verdict = crate::moderation::judge(&state, &c.author, &c.body, visitor.as_deref()).await?;
    let captcha = if state.config.captcha {
        if c.captcha.is_empty() {
            return Err(Failure::unprocessable(
                codes::CAPTCHA_REQUIRED,
                "captcha: a solved proof-of-work challenge (GET /api/v1/captcha) is required",
            ));
        }
        let payload = pow::verify_payload(&state.hmac_key, &c.captcha, now_secs() as u64).map_err(
            |e| match e {
                PowError::Expired { .. } => Failure::unprocessable(
                    codes::CAPTCHA_EXPIRED,
                    format!("captcha: {e}; fetch a new challenge"),
                ),
                e => Failure::unprocessable(codes::CAPTCHA_INVALID, format!("captcha: {e}")),
            },
        )?;
        // The minimum time runs from when this server issued the challenge
        // (the widget fetches it when the form is shown), by the server's
        // clock; `elapsed_ms` only for challenges issued before that existed.
        let waited = match payload.issued_ms() {
            Some(issued) => now_millis().saturating_sub(issued),
            None => c.elapsed_ms,
        };
        if waited < min_ms {
            return Err(too_fast(waited, "the challenge was issued"));
        }
        Some(CaptchaUse {
            expires_at: payload.expires().unwrap_or(0) as i64,
            key: payload.spend_key().to_owned(),
        })
    } else {
        None
    };
    let status = match verdict.hold {
        None => CommentStatus::Published,
        Some(_) => CommentStatus::Pending,
    };
    let created_at = now_secs();
    let folded = crate::fold::fold(&format!("{}\n{}", c.author, c.body));
    let record = CommentRecord {
        article_id: id.clone(),
        parent_id: c.parent_id,
        author: c.author,
        email: c.email,
        body: c.body,
        status,
        created_at,
        client_key: c.client_key,
    };
    // A comment already stored under the same `client_key` is answered before
    // the payload is spent or found spent (see `Store::insert_comment`).
    match state.store.insert_comment(record, captcha).await? {
        InsertOutcome::Inserted(new_id) => {
            tracing::info!(article = %id, id = new_id, status = status.as_str(), "comment stored");
            state
                .store
                .annotate(
                    new_id,
                    Annotation {
                        hold: verdict.hold,
                        visitor,
                        network: Some(ctx.network.clone()),
                        official: false,
                        folded,
                        has_link: verdict.has_link,
                        has_phone: verdict.has_phone,
                    },
                )
                .await?;
            if verdict.hold.is_some() {
                crate::alerts::raise(&state, crate::alerts::HELD, new_id).await;
            }
            Ok(json_response(
                StatusCode::CREATED,
                &edit::created(&state, &id, new_id, status, created_at),
            ))
        }
        InsertOutcome::Duplicate(old_id, old_status, old_created_at) => {
            tracing::info!(article = %id, id = old_id, "comment resent: answered with the stored one");
            Ok(json_response(
                StatusCode::OK,
                &edit::created(&state, &id, old_id, old_status, old_created_at),
            ))
        }
        InsertOutcome::KeyTaken => {
            tracing::info!(article = %id, "comment refused: its client_key belongs to another comment");
            Err(Failure::new(
                StatusCode::CONFLICT,
                codes::CLIENT_KEY_TAKEN,
                "client_key: a different comment was sent with this key; send this one with a new key",
            ))
        }
        InsertOutcome::BadParent => Err(Failure::invalid(Invalid::new(
            "parent_id",
            "is not a published top-level comment of this article",
        ))),
        InsertOutcome::CaptchaReused => Err(Failure::new(
            StatusCode::CONFLICT,
            codes::CAPTCHA_REUSED,
            "captcha: this solved challenge was used already; fetch a new one",
        )),
    }
}

/// `GET /api/v1/captcha`.
pub async fn captcha(State(state): S) -> Result<Response, Failure> {
    let mut random = [0u8; 20];
    getrandom::fill(&mut random).map_err(|e| Failure::internal(format!("randomness: {e}")))?;
    let (salt, secret) = random.split_at(12);
    let secret = u64::from_le_bytes(secret.try_into().expect("8 bytes"));
    let expires = now_secs() as u64 + state.config.captcha_ttl.as_secs();
    let challenge = pow::create_issued_challenge(
        &state.hmac_key,
        state.config.captcha_maxnumber,
        expires,
        now_millis(),
        salt,
        secret,
    );
    Ok(ok(&challenge))
}

/// `POST /api/v1/visits`: with the credential in `visitor` (judged
/// strictly), else the cookie's, else a new one (capped per network), which
/// the answer hands over.
pub async fn visit(
    State(state): S,
    ctx: VisitorContext,
    body: Result<JsonBody<VisitRequest>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Writes, ClientIp(ctx.ip))?;
    let JsonBody(v) = body?;
    v.validate().map_err(Failure::invalid)?;
    let now = now_secs();
    let mut visitor = ctx.presented_or_new(&state, &v.visitor, false, now)?;
    let issue = visitor.issue_quota.take();
    let id = visitor.id();
    let cap = state.config.visits_per_visitor;
    let quota = (cap > 0).then(|| Quota {
        kind: visitor::kind::VISIT,
        subject: id.clone(),
        network: String::new(),
        day: day_of(now),
        cap,
    });
    // A view of the article counts once per session, and at most `cap`
    // times a day per credential (as its visits do): new sessions are free
    // to make, credentials are capped per network.
    let view_quota = match &v.article_id {
        Some(article) if cap > 0 => Some(Quota {
            kind: visitor::kind::VIEW,
            subject: article.clone(),
            network: id.clone(),
            day: day_of(now),
            cap,
        }),
        _ => None,
    };
    let record = VisitRecord {
        view_quota,
        visitor: id,
        session: v.session,
        article: v.article_id,
        network: ctx.network.clone(),
        now,
        issue: issue.clone(),
        quota,
        online_cap: state.config.online_per_network,
    };
    let Some(counters) = state.store.record_visit(record).await? else {
        return Err(match &issue {
            Some(q) => visitor::issue_refused(q, now),
            None => Failure::internal("a visit without an issue quota was refused"),
        });
    };
    let answer = VisitResponse {
        total_visits: counters.counters.total_visits,
        online: counters.counters.online,
        visitor: visitor.hand_over.then(|| visitor.token.clone()),
        views: counters.views,
    };
    let mut response = ok(&answer);
    if let Some(cookie) = ctx.set_cookie(&state, &visitor, now) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `GET /api/v1/stats`.
pub async fn stats(State(state): S) -> Result<Response, Failure> {
    Ok(ok(&state
        .store
        .stats(now_secs(), state.config.online_per_network)
        .await?))
}

/// `GET /api/v1/admin/comments?status=pending|published|all&cursor=&limit=`.
pub async fn admin_list(State(state): S, _: Admin, query: Query) -> Result<Response, Failure> {
    let status = match query.get("status").unwrap_or("pending") {
        "all" => None,
        s => Some(CommentStatus::parse(s).ok_or_else(|| {
            Failure::bad_parameter("status", "must be pending, published or all")
        })?),
    };
    let limit = query
        .number("limit", COMMENTS_PAGE_MAX as u64)?
        .map_or(COMMENTS_PAGE_MAX, |n| n as usize);
    let cursor = query.number("cursor", i64::MAX as u64)?;
    Ok(ok(&state
        .store
        .admin_comments(status, cursor, limit)
        .await?))
}

/// `POST /api/v1/admin/comments/{id}/approve`.
pub async fn admin_approve(
    State(state): S,
    _: Admin,
    CommentId(id): CommentId,
) -> Result<Response, Failure> {
    if console::act(&state, "token", bantin_protocol::admin::Action::Approve, id).await? {
        Ok(ok(&CommentCreated::new(id, CommentStatus::Published)))
    } else {
        Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no such comment",
        ))
    }
}

/// `DELETE /api/v1/admin/comments/{id}`: the comment and its replies.
pub async fn admin_delete(
    State(state): S,
    _: Admin,
    CommentId(id): CommentId,
) -> Result<Response, Failure> {
    if console::act(&state, "token", bantin_protocol::admin::Action::Delete, id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no such comment",
        ))
    }
}

pub async fn api_not_found() -> Failure {
    Failure::not_found(codes::NOT_FOUND, "no such endpoint")
}

pub async fn method_not_allowed() -> Failure {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method",
    )
}
