//! The API's answers that the widget reads. The server writes them with serde;
//! protocol/tests/answers.rs checks that this decoder reads what serde reads
//! and refuses what serde refuses.

use super::*;
use crate::api::{
    Comment, CommentCreated, CommentEdited, CommentPage, CommentStatus, LikeResponse,
    RatingResponse,
};
use crate::pow::Challenge;

fn boolean<J: Json>(v: &J, at: &At) -> Result<bool, String> {
    match v.kind() {
        Kind::Bool(b) => Ok(b),
        _ => Err(at.invalid_type(v, "a boolean")),
    }
}

fn u8_of<J: Json>(v: &J, at: &At) -> Result<u8, String> {
    unsigned(v, at, 255, "u8").map(|n| n as u8)
}

fn status<J: Json>(v: &J, at: &At) -> Result<CommentStatus, String> {
    let s = string(v, at)?;
    CommentStatus::parse(&s).ok_or_else(|| {
        at.fail(format!(
            "unknown variant `{s}`, expected one of `published`, `pending`, `rejected`"
        ))
    })
}

fn comment<J: Json>(v: &J, at: &At) -> Result<Comment, String> {
    object(v, at, "struct Comment")?;
    Ok(Comment {
        id: required(v, "id", at, u64_of)?,
        parent_id: optional(v, "parent_id", at, u64_of)?,
        author: required(v, "author", at, string)?,
        body: required(v, "body", at, string)?,
        created_at: required(v, "created_at", at, timestamp)?,
        replies: or_default(v, "replies", at, |r, at| array(r, at, comment))?,
        reply_count: or_default(v, "reply_count", at, u64_of)?,
        likes: or_default(v, "likes", at, u64_of)?,
        edited_at: optional(v, "edited_at", at, timestamp)?,
        deleted: or_default(v, "deleted", at, boolean)?,
        badge: optional(v, "badge", at, string)?,
        pinned: or_default(v, "pinned", at, boolean)?,
    })
}

/// `GET /articles/{id}/comments` and the replies' pages.
pub fn comment_page<J: Json>(v: &J) -> Result<CommentPage, String> {
    let at = &At::ROOT;
    object(v, at, "struct CommentPage")?;
    Ok(CommentPage {
        items: required(v, "items", at, |i, at| array(i, at, comment))?,
        next: optional(v, "next", at, string)?,
    })
}

/// `GET`/`PUT /articles/{id}/rating`.
pub fn rating_answer<J: Json>(v: &J) -> Result<RatingResponse, String> {
    let at = &At::ROOT;
    object(v, at, "struct RatingResponse")?;
    let distribution = |d: &J, at: &At| {
        let counts = array(d, at, u64_of)?;
        let n = counts.len();
        <[u64; 5]>::try_from(counts)
            .map_err(|_| at.fail(format!("invalid length {n}, expected an array of length 5")))
    };
    Ok(RatingResponse {
        count: required(v, "count", at, u64_of)?,
        average: required(v, "average", at, f64_of)?,
        distribution: required(v, "distribution", at, distribution)?,
        your_vote: optional(v, "your_vote", at, u8_of)?,
    })
}

/// `POST /articles/{id}/comments`.
pub fn comment_created<J: Json>(v: &J) -> Result<CommentCreated, String> {
    let at = &At::ROOT;
    object(v, at, "struct CommentCreated")?;
    Ok(CommentCreated {
        id: required(v, "id", at, u64_of)?,
        status: required(v, "status", at, status)?,
        edit_token: optional(v, "edit_token", at, string)?,
        edit_until: optional(v, "edit_until", at, timestamp)?,
    })
}

/// `PUT /articles/{id}/comments/{comment}`.
pub fn comment_edited<J: Json>(v: &J) -> Result<CommentEdited, String> {
    let at = &At::ROOT;
    object(v, at, "struct CommentEdited")?;
    Ok(CommentEdited {
        id: required(v, "id", at, u64_of)?,
        status: required(v, "status", at, status)?,
        body: required(v, "body", at, string)?,
        edited_at: required(v, "edited_at", at, timestamp)?,
    })
}

/// `POST`/`DELETE /articles/{id}/comments/{comment}/like`.
pub fn like_answer<J: Json>(v: &J) -> Result<LikeResponse, String> {
    let at = &At::ROOT;
    object(v, at, "struct LikeResponse")?;
    Ok(LikeResponse {
        likes: required(v, "likes", at, u64_of)?,
        liked: required(v, "liked", at, boolean)?,
    })
}

/// `GET /captcha`.
pub fn challenge<J: Json>(v: &J) -> Result<Challenge, String> {
    let at = &At::ROOT;
    object(v, at, "struct Challenge")?;
    let text = |key| required(v, key, at, string);
    Ok(Challenge {
        algorithm: text("algorithm")?,
        challenge: text("challenge")?,
        maxnumber: required(v, "maxnumber", at, u64_of)?,
        salt: text("salt")?,
        signature: text("signature")?,
    })
}
