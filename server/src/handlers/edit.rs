//! The author's own edits: `PUT`/`DELETE /api/v1/articles/{id}/comments/{comment}`
//! with the edit token handed out when the comment was posted, within
//! `--edit-window` of its creation.
//!
//! The token is not stored: it is `HMAC-SHA-256(edit key, article ‖ id ‖
//! created_at)` (the edit key derived from the server's HMAC key), so a
//! resend of the comment (same `client_key`, author, e-mail, text and
//! parent) is answered with the same token, and the database holds nothing
//! that would let anyone edit.

use super::limit;
use crate::config::Moderation;
use crate::error::{json_response, Failure};
use crate::extract::{ArticleComment, ClientIp, JsonBody};
use crate::ratelimit::Class;
use crate::store::{CommentMeta, DeleteOutcome};
use crate::{now_secs, text, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bantin_protocol::api::{
    codes, CommentCreated, CommentDelete, CommentEdit, CommentEdited, CommentStatus,
};
use bantin_protocol::Timestamp;
use std::sync::Arc;

/// Bytes of the HMAC in a token (192 bits, 48 hex digits).
const TOKEN_BYTES: usize = 24;

/// The edit token of a comment.
pub fn token(state: &AppState, article: &str, id: u64, created_at: i64) -> String {
    let mac = crate::hmac(
        &state.edit_key,
        &[
            article.as_bytes(),
            &id.to_be_bytes(),
            &created_at.to_be_bytes(),
        ],
    );
    crate::hex(&mac[..TOKEN_BYTES])
}

/// The answer to a posted comment: with its edit token and the end of its
/// window, when editing is on.
pub fn created(
    state: &AppState,
    article: &str,
    id: u64,
    status: CommentStatus,
    created_at: i64,
) -> CommentCreated {
    let window = state.config.edit_window.as_secs() as i64;
    if window == 0 {
        return CommentCreated::new(id, status);
    }
    CommentCreated {
        edit_token: Some(token(state, article, id, created_at)),
        edit_until: Some(Timestamp::from_unix_seconds(
            created_at.saturating_add(window),
        )),
        ..CommentCreated::new(id, status)
    }
}

/// The comment, when `given` is its token and its window is open: `404
/// comment_not_found`, `403 edit_forbidden`, `403 edit_window_closed`.
async fn authorized(
    state: &AppState,
    article: &str,
    id: u64,
    given: &str,
    now: i64,
) -> Result<CommentMeta, Failure> {
    let Some(meta) = state.store.comment_meta(article, id).await? else {
        return Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no comment with this id on this article",
        ));
    };
    let expected = token(state, article, id, meta.created_at);
    if given.is_empty() || !bantin_protocol::pow::ct_eq(expected.as_bytes(), given.as_bytes()) {
        tracing::info!(article, id, "comment edit refused: wrong token");
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            codes::EDIT_FORBIDDEN,
            "token: is not this comment's edit token",
        ));
    }
    let window = state.config.edit_window.as_secs() as i64;
    if window == 0 || now > meta.created_at.saturating_add(window) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            codes::EDIT_WINDOW_CLOSED,
            if window == 0 {
                "comments cannot be edited or deleted on this server".to_owned()
            } else {
                format!("the comment can be edited or deleted only in the first {window} s")
            },
        ));
    }
    Ok(meta)
}

/// `PUT`: the new body, normalized and checked as a new comment's; with
/// `--moderation queue` the comment waits for approval again.
/// Checks in order: rate limit (comments), JSON, body, comment, token, window.
pub async fn edit(
    State(state): State<Arc<AppState>>,
    ArticleComment(article, id): ArticleComment,
    ip: ClientIp,
    body: Result<JsonBody<CommentEdit>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Comments, ip)?;
    let JsonBody(raw) = body?;
    let mut edit = raw.normalized();
    edit.body = text::clean_body(&edit.body);
    edit.validate().map_err(Failure::invalid)?;
    let now = now_secs();
    let meta = authorized(&state, &article, id, &edit.token, now).await?;
    // The new text is judged as a new comment's (keywords, links, phones);
    // the author's credential and trust stay as recorded.
    let verdict = crate::moderation::judge(&state, "", &edit.body, None).await?;
    let status = match (verdict.hold, state.config.moderation) {
        (Some(_), _) | (None, Moderation::Queue) => CommentStatus::Pending,
        (None, Moderation::Auto) => meta.status,
    };
    if !state
        .store
        .edit_comment(&article, id, edit.body.clone(), status, now)
        .await?
    {
        return Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no comment with this id on this article",
        ));
    }
    let held = verdict.hold.is_some();
    state
        .store
        .annotate(
            id,
            crate::store::console::Annotation {
                hold: verdict.hold,
                folded: crate::fold::fold(&edit.body),
                has_link: verdict.has_link,
                has_phone: verdict.has_phone,
                ..Default::default()
            },
        )
        .await?;
    if held {
        crate::alerts::raise(&state, crate::alerts::HELD, id).await;
    }
    tracing::info!(
        article,
        id,
        status = status.as_str(),
        "comment edited by its author"
    );
    Ok(json_response(
        StatusCode::OK,
        &CommentEdited {
            id,
            status,
            body: edit.body,
            edited_at: Timestamp::from_unix_seconds(now),
        },
    ))
}

/// `DELETE`: `204`. A comment with replies stays as a placeholder (no
/// author, no text) so that its replies keep their place.
/// Checks in order: rate limit (writes), JSON, comment, token, window.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    ArticleComment(article, id): ArticleComment,
    ip: ClientIp,
    body: Result<JsonBody<CommentDelete>, Failure>,
) -> Result<Response, Failure> {
    limit(&state, Class::Writes, ip)?;
    let JsonBody(req) = body?;
    let now = now_secs();
    authorized(&state, &article, id, req.token.trim(), now).await?;
    match state.store.delete_own_comment(&article, id, now).await? {
        DeleteOutcome::NotFound => Err(Failure::not_found(
            codes::COMMENT_NOT_FOUND,
            "no comment with this id on this article",
        )),
        outcome => {
            tracing::info!(article, id, ?outcome, "comment deleted by its author");
            Ok(StatusCode::NO_CONTENT.into_response())
        }
    }
}
