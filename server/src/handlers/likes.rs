//! `POST`/`DELETE /api/v1/articles/{id}/comments/{comment}/like`: one like
//! per visitor credential per published comment, new likes capped per
//! article per client network per day (as votes are).

use super::limit;
use crate::error::{json_response, Failure};
use crate::extract::{ArticleComment, ClientIp, JsonBody};
use crate::ratelimit::Class;
use crate::store::{LikeOutcome, LikeRecord, Quota};
use crate::visitor::{self, cap_reached, day_of, VisitorContext};
use crate::{now_secs, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bantin_protocol::api::{codes, LikeRequest, LikeResponse};
use std::sync::Arc;

/// `POST`: likes the comment (a repeat changes nothing).
pub async fn like(
    State(state): State<Arc<AppState>>,
    ArticleComment(id, comment): ArticleComment,
    ctx: VisitorContext,
    body: Result<JsonBody<LikeRequest>, Failure>,
) -> Result<Response, Failure> {
    set(&state, id, comment, ctx, body, true).await
}

/// `DELETE`: takes the like back (none: nothing changes). The cap taken by
/// the like is not given back.
pub async fn unlike(
    State(state): State<Arc<AppState>>,
    ArticleComment(id, comment): ArticleComment,
    ctx: VisitorContext,
    body: Result<JsonBody<LikeRequest>, Failure>,
) -> Result<Response, Failure> {
    set(&state, id, comment, ctx, body, false).await
}

/// Checks in order: rate limit, JSON, credential, comment, cap.
async fn set(
    state: &AppState,
    id: String,
    comment: u64,
    ctx: VisitorContext,
    body: Result<JsonBody<LikeRequest>, Failure>,
    like: bool,
) -> Result<Response, Failure> {
    limit(state, Class::Writes, ClientIp(ctx.ip))?;
    let JsonBody(req) = body?;
    let now = now_secs();
    let visitor = ctx.required(state, &req.visitor, now)?;
    if like {
        crate::moderation::check_ban(state, Some(&visitor.id()), &ctx.network).await?;
    }
    let cap = state.config.likes_per_network;
    let quota = (like && cap > 0).then(|| Quota {
        kind: visitor::kind::LIKE,
        subject: id.clone(),
        network: ctx.network.clone(),
        day: day_of(now),
        cap,
    });
    let record = LikeRecord {
        article: id.clone(),
        comment,
        visitor: visitor.id(),
        like,
        now,
        quota,
    };
    match state.store.like(record).await? {
        LikeOutcome::Done { likes, liked } => Ok(json_response(
            StatusCode::OK,
            &LikeResponse { likes, liked },
        )),
        LikeOutcome::NotFound => Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no published comment with this id on this article",
        )),
        LikeOutcome::CapReached => {
            tracing::info!(article = %id, network = %ctx.network, "like refused: network cap");
            Err(cap_reached(
                &format!("{cap} new likes were given on this article's comments"),
                now,
            ))
        }
    }
}
