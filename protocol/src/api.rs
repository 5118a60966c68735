//! Requests and responses of the REST API (v1), with their validation.
//!
//! The server deserializes requests into these types and calls their
//! `validate` (or `normalized`) methods; the widget builds the same types and
//! can run the same checks before sending, so both sides agree on every limit.
//!
//! Unknown fields in requests are ignored, so a newer widget can talk to an
//! older server.

use crate::article::is_valid_id;
use crate::error::Invalid;
use crate::limits::*;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use crate::article::{Counters, RatingSummary};

/// The `code` of an [`crate::ApiError`], one constant per case, so the widget
/// can match on them.
pub mod codes {
    /// 400: the body is not well-formed JSON (or not a JSON object).
    pub const MALFORMED_JSON: &str = "malformed_json";
    /// 400: a query parameter is not usable; the message names it.
    pub const INVALID_PARAMETER: &str = "invalid_parameter";
    /// 401: admin endpoint without the right bearer token.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 403: a CORS preflight from an origin that is not allowed, or a write
    /// (`POST`/`PUT`/`DELETE`) from a page of another site: its `Origin` is
    /// neither the server's own nor allowed, or `Sec-Fetch-Site: cross-site`.
    pub const ORIGIN_NOT_ALLOWED: &str = "origin_not_allowed";
    /// 404: unknown path, article or comment (also: admin disabled).
    pub const NOT_FOUND: &str = "not_found";
    pub const ARTICLE_NOT_FOUND: &str = "article_not_found";
    pub const COMMENT_NOT_FOUND: &str = "comment_not_found";
    /// 405: known path, wrong method.
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// 409: the proof-of-work payload was already used once.
    pub const CAPTCHA_REUSED: &str = "captcha_reused";
    /// 409: another comment (other author, e-mail, body or parent) was
    /// stored under this `client_key` on this article: this one is not a
    /// retry of it; send it with a new key.
    pub const CLIENT_KEY_TAKEN: &str = "client_key_taken";
    /// 408: the request (headers and body) took longer than the server allows.
    pub const REQUEST_TIMEOUT: &str = "request_timeout";
    /// 413: the body is larger than [`crate::limits::API_BODY_MAX_BYTES`].
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// 415: a JSON body sent without `Content-Type: application/json`.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    /// 422: valid JSON, but a field is missing, mistyped or breaks a rule; the
    /// message starts with the field's name.
    pub const INVALID_FIELD: &str = "invalid_field";
    /// 422: the server demands a proof-of-work payload and none was sent.
    pub const CAPTCHA_REQUIRED: &str = "captcha_required";
    /// 422: the payload is not a solved challenge of this server (bad base64 or
    /// JSON, wrong number, wrong signature).
    pub const CAPTCHA_INVALID: &str = "captcha_invalid";
    /// 422: the challenge expired; fetch a new one.
    pub const CAPTCHA_EXPIRED: &str = "captcha_expired";
    /// 422: the honeypot field was filled in.
    pub const SPAM_DETECTED: &str = "spam_detected";
    /// 422: submitted sooner after opening the form than the server allows.
    pub const TOO_FAST: &str = "too_fast";
    /// 401: a vote or visit without a visitor credential (neither the
    /// `visitor` field nor the cookie); get one from `POST /visitors`.
    pub const VISITOR_REQUIRED: &str = "visitor_required";
    /// 401: the `visitor` given is not a credential this server issued
    /// (a client-chosen id, a forged or altered token); get a new one.
    pub const VISITOR_INVALID: &str = "visitor_invalid";
    /// 401: the credential was issued by this server but has expired; get a
    /// new one (it has a new id: the old votes stay, but are no longer "yours").
    pub const VISITOR_EXPIRED: &str = "visitor_expired";
    /// 403: editing or deleting a comment without its edit token, or with
    /// another comment's (the token comes with [`super::CommentCreated`]).
    pub const EDIT_FORBIDDEN: &str = "edit_forbidden";
    /// 403: the right edit token, but the comment's edit window
    /// ([`super::CommentCreated::edit_until`]) is over, or the server has
    /// editing off.
    pub const EDIT_WINDOW_CLOSED: &str = "edit_window_closed";
    /// 429: too many writes from this address; see the `Retry-After` header.
    pub const RATE_LIMITED: &str = "rate_limited";
    /// 429: this client network (IPv4 address, IPv6 /64) used up a daily cap:
    /// new visitor credentials, or new votes or comment likes on this article. `Retry-After`
    /// says the seconds until the caps reset (midnight UTC).
    pub const NETWORK_CAP_REACHED: &str = "network_cap_reached";
    /// 503: the server has as many open connections as it takes (in total,
    /// or from this client's address); try again shortly.
    pub const OVERLOADED: &str = "overloaded";
    /// 500: the server's fault (storage failure, broken article file).
    pub const INTERNAL: &str = "internal";
}

// ---------------------------------------------------------------- ratings

/// `PUT /articles/{id}/rating`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRequest {
    pub stars: u8,
    /// The visitor credential ([`crate::credential`]) from `POST /visitors`.
    /// Empty or absent: the server uses its `bantin_visitor` cookie, else
    /// answers `401 visitor_required`.
    #[serde(default)]
    pub visitor: String,
}

impl VoteRequest {
    /// The stars. The credential is judged by the server (`401 visitor_*`).
    pub fn validate(&self) -> Result<(), Invalid> {
        if !(STARS_MIN..=STARS_MAX).contains(&self.stars) {
            return Err(Invalid::new(
                "stars",
                format!("must be between {STARS_MIN} and {STARS_MAX}"),
            ));
        }
        Ok(())
    }
}

/// `GET`/`PUT /articles/{id}/rating`: the live rating of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingResponse {
    pub count: u64,
    /// Mean of all votes, rounded to two decimals; 0 when there is none.
    pub average: f64,
    /// Number of votes of 1, 2, 3, 4 and 5 stars.
    pub distribution: [u64; 5],
    /// The asking visitor's own vote, when `?visitor=` (GET) or the body (PUT)
    /// named a visitor who voted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub your_vote: Option<u8>,
}

impl RatingResponse {
    /// Builds the summary from the distribution, computing count and average.
    pub fn from_distribution(distribution: [u64; 5], your_vote: Option<u8>) -> Self {
        let count: u64 = distribution.iter().sum();
        let sum: u64 = distribution
            .iter()
            .zip(1u64..)
            .map(|(n, stars)| n * stars)
            .sum();
        let average = if count == 0 {
            0.0
        } else {
            (sum as f64 / count as f64 * 100.0).round() / 100.0
        };
        Self {
            count,
            average,
            distribution,
            your_vote,
        }
    }
}

// ---------------------------------------------------------------- comments

/// `POST /articles/{id}/comments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    pub author: String,
    /// Kept for the site's editors, never returned by the API. Empty = none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Plain text; line breaks are kept.
    pub body: String,
    /// Set for a reply: the id of a top-level comment of the same article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<u64>,
    /// Base64 proof-of-work payload (see [`crate::pow`]). May be empty when the
    /// server does not demand one.
    #[serde(default)]
    pub captcha: String,
    /// Milliseconds between the form being shown and submitted.
    #[serde(default)]
    pub elapsed_ms: u64,
    /// Honeypot: a field hidden from people. Anything in it marks a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Idempotency key: generated once per comment by the client (a UUID v4 in
    /// practice; the widget sends 32 random hex digits) and sent again with
    /// every retry of it. The server stores a comment once per (article, key)
    /// and answers a repeat of the same comment (author, e-mail, body and
    /// parent as stored) with the stored comment's id, status and edit token
    /// (`200` instead of `201`), and a different comment with the same key
    /// with `409` [`codes::CLIENT_KEY_TAKEN`]. The key is what proves a
    /// retry, so it must be random and kept secret: must be
    /// [`CLIENT_KEY_MIN_CHARS`]..=[`CLIENT_KEY_MAX_CHARS`] characters of
    /// `[A-Za-z0-9_-]` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
}

/// Shortest [`NewComment::client_key`] accepted: 32 (128 random bits as
/// hex digits, what the widget sends; a UUID's 36 fit).
pub const CLIENT_KEY_MIN_CHARS: usize = 32;
/// Longest [`NewComment::client_key`] accepted (a UUID is 36 characters).
pub const CLIENT_KEY_MAX_CHARS: usize = 64;

/// True for a [`NewComment::client_key`]: [`CLIENT_KEY_MIN_CHARS`] to
/// [`CLIENT_KEY_MAX_CHARS`] characters of `[A-Za-z0-9_-]` (a UUID qualifies).
pub fn is_valid_client_key(key: &str) -> bool {
    key.len() >= CLIENT_KEY_MIN_CHARS && is_valid_token(key, CLIENT_KEY_MAX_CHARS)
}

impl NewComment {
    /// The comment as it will be stored: author trimmed, body with `\r\n`
    /// turned into `\n`, control characters other than line breaks and tabs
    /// removed, and outer whitespace trimmed; an empty email becomes `None`.
    pub fn normalized(&self) -> NewComment {
        let email = self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned);
        NewComment {
            author: strip_controls(self.author.trim(), false).trim().to_owned(),
            email,
            body: normalize_body(&self.body),
            parent_id: self.parent_id,
            captcha: self.captcha.trim().to_owned(),
            elapsed_ms: self.elapsed_ms,
            website: self.website.clone(),
            client_key: self.client_key.clone(),
        }
    }

    /// Checks a [`normalized`](Self::normalized) comment; returns the first broken rule.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_chars("author", &self.author, AUTHOR_MAX_CHARS)?;
        check_body(&self.body)?;
        if let Some(email) = &self.email {
            if !is_plausible_email(email) {
                return Err(Invalid::new("email", "is not a plausible e-mail address"));
            }
        }
        if self.parent_id == Some(0) {
            return Err(Invalid::new("parent_id", "must be a comment id"));
        }
        if self.captcha.len() > CAPTCHA_PAYLOAD_MAX_BYTES {
            return Err(Invalid::new(
                "captcha",
                format!("is longer than {CAPTCHA_PAYLOAD_MAX_BYTES} bytes"),
            ));
        }
        if let Some(key) = &self.client_key {
            if !is_valid_client_key(key) {
                return Err(Invalid::new(
                    "client_key",
                    format!(
                        "must be {CLIENT_KEY_MIN_CHARS} to {CLIENT_KEY_MAX_CHARS} characters \
                         of A-Z, a-z, 0-9, '-' or '_'"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// True when the honeypot field holds anything but whitespace.
    pub fn honeypot_filled(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }
}

/// Moderation state of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Published,
    Pending,
    /// An editor rejected it: never shown, out of the waiting queue.
    Rejected,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Published => "published",
            CommentStatus::Pending => "pending",
            CommentStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "published" => Some(CommentStatus::Published),
            "pending" => Some(CommentStatus::Pending),
            "rejected" => Some(CommentStatus::Rejected),
            _ => None,
        }
    }
}

/// `201` answer to `POST /articles/{id}/comments` (`200` for a resend with
/// the same `client_key`; also the answer of an admin approval, without the
/// edit fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentCreated {
    pub id: u64,
    /// `pending` when the server holds comments for approval.
    pub status: CommentStatus,
    /// The secret that lets this comment's author edit or delete it
    /// ([`CommentEdit`], [`CommentDelete`]) until [`Self::edit_until`]. Keep
    /// it with the comment (localStorage); it is shown nowhere else. A resend
    /// with the same `client_key` gets the same token. Absent when the server
    /// has editing off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_token: Option<String>,
    /// When editing and deleting stop being accepted: the comment's creation
    /// plus the server's edit window. Absent with [`Self::edit_token`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_until: Option<Timestamp>,
}

impl CommentCreated {
    /// The answer without the edit fields.
    pub fn new(id: u64, status: CommentStatus) -> Self {
        CommentCreated {
            id,
            status,
            edit_token: None,
            edit_until: None,
        }
    }
}

/// `PUT /articles/{id}/comments/{comment}`: the author's new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentEdit {
    /// Plain text, normalized and limited exactly as [`NewComment::body`].
    pub body: String,
    /// [`CommentCreated::edit_token`]. Empty or absent: `403 edit_forbidden`.
    #[serde(default)]
    pub token: String,
}

impl CommentEdit {
    /// The body normalized as a new comment's ([`NewComment::normalized`]).
    pub fn normalized(&self) -> CommentEdit {
        CommentEdit {
            body: normalize_body(&self.body),
            token: self.token.trim().to_owned(),
        }
    }

    /// Checks a [`normalized`](Self::normalized) edit's body (the token is
    /// the server's to judge: `403 edit_forbidden`).
    pub fn validate(&self) -> Result<(), Invalid> {
        check_body(&self.body)
    }
}

/// `200` answer to `PUT /articles/{id}/comments/{comment}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentEdited {
    pub id: u64,
    /// `pending` when the server holds comments for approval: an edited
    /// comment waits for approval again.
    pub status: CommentStatus,
    /// The body as stored (normalized).
    pub body: String,
    pub edited_at: Timestamp,
}

/// `DELETE /articles/{id}/comments/{comment}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDelete {
    /// [`CommentCreated::edit_token`]. Empty or absent: `403 edit_forbidden`.
    #[serde(default)]
    pub token: String,
}

/// The order of a comment list's top-level comments (`?sort=`); replies
/// stay oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentSort {
    /// Newest first (the default, and the order before `sort` existed).
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Most liked first; ties newest first.
    Liked,
}

impl CommentSort {
    pub const ALL: [CommentSort; 3] =
        [CommentSort::Newest, CommentSort::Oldest, CommentSort::Liked];

    /// As written in `?sort=`.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentSort::Newest => "newest",
            CommentSort::Oldest => "oldest",
            CommentSort::Liked => "liked",
        }
    }
}

impl fmt::Display for CommentSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CommentSort {
    type Err = Invalid;

    /// Exactly `newest`, `oldest` or `liked`.
    fn from_str(s: &str) -> Result<Self, Invalid> {
        CommentSort::ALL
            .into_iter()
            .find(|sort| sort.as_str() == s)
            .ok_or_else(|| Invalid::new("sort", "must be newest, oldest or liked"))
    }
}

/// `POST`/`DELETE /articles/{id}/comments/{comment}/like` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikeRequest {
    /// The visitor credential, as for [`VoteRequest::visitor`]. Empty or
    /// absent: the server uses its `bantin_visitor` cookie, else answers
    /// `401 visitor_required`.
    #[serde(default)]
    pub visitor: String,
}

/// `POST`/`DELETE /articles/{id}/comments/{comment}/like` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikeResponse {
    /// The comment's likes after this request.
    pub likes: u64,
    /// Whether this credential likes it now.
    pub liked: bool,
}

/// A published comment as listed to readers. Never carries the email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<u64>,
    pub author: String,
    /// Plain text with `\n` line breaks; render as text, never as HTML.
    pub body: String,
    /// UTC.
    pub created_at: Timestamp,
    /// Published replies, oldest first (only on top-level comments): at most
    /// [`REPLIES_INLINE_MAX`] of them; the others come from
    /// [`crate::paths::Endpoints::replies`] as a [`CommentPage`].
    #[serde(default)]
    pub replies: Vec<Comment>,
    /// All published replies of a top-level comment (0 on replies).
    #[serde(default)]
    pub reply_count: u64,
    /// Readers who like it ("Thích") now.
    #[serde(default)]
    pub likes: u64,
    /// When its author last edited it; absent when never edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<Timestamp>,
    /// A top-level comment its author deleted while it had replies: kept in
    /// place, with empty `author` and `body`, so its replies stay; show it as
    /// "deleted". Absent (false) otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// Written by the portal's editors (an official reply): show this badge
    /// ("Ban biên tập" by default) beside the author. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
    /// The article's pinned comment: the first of the first page in every
    /// order, and not repeated after it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

/// `GET /articles/{id}/comments`: top-level comments in the order asked
/// ([`CommentSort`], newest first by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    pub items: Vec<Comment>,
    /// Pass as `?cursor=` (with the same `sort`) to get the next page; opaque;
    /// `null` on the last one.
    pub next: Option<String>,
}

/// A comment as the admin endpoints list it (still without the email).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminComment {
    pub id: u64,
    pub article_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<u64>,
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
    pub status: CommentStatus,
}

/// `GET /admin/comments`: oldest first, so a queue is worked in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminCommentList {
    pub items: Vec<AdminComment>,
    pub next: Option<String>,
}

// ---------------------------------------------------------------- visits

/// `POST /visits`: a page view or a heartbeat. Answered with [`VisitResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRequest {
    /// The visitor credential ([`crate::credential`]), kept in localStorage.
    /// Empty or absent: the server uses its `bantin_visitor` cookie, or issues
    /// a new credential (capped per network) and returns it in
    /// [`VisitResponse::visitor`].
    #[serde(default)]
    pub visitor: String,
    /// New per browser session (kept in sessionStorage); the first request of a
    /// session counts a visit, the later ones are heartbeats.
    pub session: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<String>,
}

impl VisitRequest {
    /// The session and article id. The credential is judged by the server.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_token("session", &self.session, SESSION_ID_MAX_CHARS)?;
        if let Some(id) = &self.article_id {
            if !is_valid_id(id) {
                return Err(Invalid::new("article_id", "is not a valid article id"));
            }
        }
        Ok(())
    }
}

/// `POST /visits` answer: the site's counters, and a credential when the
/// client should store a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitResponse {
    pub total_visits: u64,
    pub online: u64,
    /// Set when the visit was made with another token than this one: a new
    /// credential (none was sent), a renewed one (more than half its lifetime
    /// had passed; same id), or the cookie's (none was sent in the body).
    /// Store it in place of the old one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
    /// When the visit named an `article_id`: that article's views after
    /// counting this one ("Lượt xem"; once per browser session per article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<u64>,
}

impl VisitResponse {
    pub fn counters(&self) -> Counters {
        Counters {
            total_visits: self.total_visits,
            online: self.online,
        }
    }
}

// ---------------------------------------------------------------- visitors

/// `POST /visitors` body (optional: an empty body is `{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorRequest {
    /// A stored credential to keep: when it is valid, the answer is the same
    /// identity (renewed when more than half its lifetime passed) and no new
    /// one is counted against the network's cap.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub visitor: String,
}

/// `POST /visitors` answer: `201` for a new credential, `200` for the one
/// presented (body or cookie), possibly renewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorIssued {
    /// The credential to send as `visitor` (see [`crate::credential`]).
    pub visitor: String,
    /// When it stops being accepted (UTC).
    pub expires_at: Timestamp,
}

// ---------------------------------------------------------------- counts

/// One article's numbers in [`CountsResponse`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ArticleCounts {
    /// Published comments, replies included.
    #[serde(default)]
    pub comments: u64,
    /// Views ("Lượt xem"), as [`VisitResponse::views`].
    #[serde(default)]
    pub views: u64,
    #[serde(default)]
    pub rating: RatingSummary,
}

/// `GET /counts?ids=a,b,c`: every id asked for, zeros for unknown ones.
pub type CountsResponse = BTreeMap<String, ArticleCounts>;

/// The `ids` of `GET /counts`: comma-separated article ids
/// ([`is_valid_id`]), 1 to [`COUNTS_IDS_MAX`] of them (duplicates count
/// once); returned sorted, without duplicates.
pub fn parse_counts_ids(ids: &str) -> Result<Vec<String>, Invalid> {
    if ids.is_empty() {
        return Err(Invalid::new(
            "ids",
            format!("must list 1 to {COUNTS_IDS_MAX} article ids, comma-separated"),
        ));
    }
    let mut out = std::collections::BTreeSet::new();
    for (i, id) in ids.split(',').enumerate() {
        if i >= COUNTS_IDS_MAX {
            return Err(Invalid::new(
                "ids",
                format!("lists more than {COUNTS_IDS_MAX} article ids"),
            ));
        }
        if !is_valid_id(id) {
            let shown: String = id.chars().take(40).collect();
            return Err(Invalid::new(
                "ids",
                format!("`{shown}` (item {}) is not a valid article id", i + 1),
            ));
        }
        out.insert(id.to_owned());
    }
    Ok(out.into_iter().collect())
}

// ---------------------------------------------------------------- helpers

/// True for visitor and session ids: 1 to `max` characters of
/// `[A-Za-z0-9_-]` (a UUID qualifies).
pub fn is_valid_token(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_token(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    if is_valid_token(value, max) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("must be 1 to {max} characters of A-Z, a-z, 0-9, '-' or '_'"),
        ))
    }
}

fn check_chars(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Invalid::new(
            field,
            format!("is {n} characters long, the limit is {max}"),
        ));
    }
    Ok(())
}

/// A comment body as stored: `\r\n` turned into `\n`, control characters
/// other than line breaks and tabs removed (and zero-width and bidi marks,
/// except the joiners), outer whitespace trimmed.
pub fn normalize_body(body: &str) -> String {
    strip_controls(&body.replace("\r\n", "\n"), true)
        .trim()
        .to_owned()
}

/// The rule of a normalized comment body: not empty, at most
/// [`COMMENT_BODY_MAX_CHARS`] characters.
pub fn check_body(body: &str) -> Result<(), Invalid> {
    check_chars("body", body, COMMENT_BODY_MAX_CHARS)
}

/// `body`: line breaks, tabs and the zero-width (non-)joiners stay (emoji
/// sequences and some scripts need the joiners).
fn strip_controls(s: &str, body: bool) -> String {
    s.chars()
        .filter(|&c| match c {
            '\n' | '\t' | '\u{200C}' | '\u{200D}' => body,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => false,
            c => !c.is_control(),
        })
        .collect()
}

/// A light check that catches typos, not a full RFC 5322 parser: one `@`, a
/// non-empty local part, a dotted domain, no whitespace or control characters.
pub fn is_plausible_email(email: &str) -> bool {
    if email.chars().count() > EMAIL_MAX_CHARS
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(author: &str, body: &str) -> NewComment {
        NewComment {
            author: author.into(),
            email: None,
            body: body.into(),
            parent_id: None,
            captcha: String::new(),
            elapsed_ms: 5_000,
            website: None,
            client_key: None,
        }
    }

    #[test]
    fn vote_limits() {
        let ok = VoteRequest {
            stars: 5,
            visitor: "0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d".into(),
        };
        assert!(ok.validate().is_ok());
        for stars in [0, 6, 255] {
            let e = VoteRequest {
                stars,
                ..ok.clone()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.field, "stars");
        }
        // The credential is the server's to judge (401 visitor_*), not a shape rule.
        for visitor in ["", "a b", "x".repeat(65).as_str()] {
            assert!(VoteRequest {
                visitor: visitor.into(),
                ..ok.clone()
            }
            .validate()
            .is_ok());
        }
        // Absent: the cookie may carry it.
        let v: VoteRequest = serde_json::from_str(r#"{"stars":3}"#).unwrap();
        assert_eq!(v.visitor, "");
    }

    #[test]
    fn comment_author_and_body_limits_count_characters_after_trim() {
        let c = comment(&format!("  {}  ", "ư".repeat(80)), "Xin chào").normalized();
        assert_eq!(c.author.chars().count(), 80);
        assert!(c.validate().is_ok());
        let e = comment(&"ư".repeat(81), "x")
            .normalized()
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "author");
        let e = comment("   ", "x").normalized().validate().unwrap_err();
        assert_eq!(e.field, "author");
        let e = comment("An", " \n\t ").normalized().validate().unwrap_err();
        assert_eq!(e.field, "body");
        assert!(comment("An", &"đ".repeat(2000))
            .normalized()
            .validate()
            .is_ok());
        let e = comment("An", &"đ".repeat(2001))
            .normalized()
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "body");
    }

    #[test]
    fn comment_body_keeps_line_breaks_and_drops_controls() {
        let c = comment("An\u{0}\u{202E}", "\r\n dòng 1\r\ndòng\u{7}\u{200B} 2\n\n").normalized();
        assert_eq!(c.author, "An");
        assert_eq!(c.body, "dòng 1\ndòng 2");
        // Markup stays text: the server stores it as written, the widget renders text nodes.
        let c = comment("An", "<b>đậm</b> & <script>").normalized();
        assert_eq!(c.body, "<b>đậm</b> & <script>");
    }

    #[test]
    fn email_is_optional_and_plausible() {
        let mut c = comment("An", "x");
        c.email = Some("  ".into());
        assert_eq!(c.normalized().email, None);
        for ok in ["an@example.vn", "a.b+c@mail.example.org"] {
            c.email = Some(ok.into());
            assert!(c.normalized().validate().is_ok(), "{ok}");
        }
        for bad in [
            "an",
            "an@",
            "@example.vn",
            "an@localhost",
            "a n@example.vn",
            "an@@example.vn",
            "an@example..vn",
            "an@.example.vn",
        ] {
            c.email = Some(bad.into());
            assert_eq!(
                c.normalized().validate().unwrap_err().field,
                "email",
                "{bad}"
            );
        }
    }

    #[test]
    fn honeypot_and_parent() {
        let mut c = comment("An", "x");
        assert!(!c.honeypot_filled());
        c.website = Some(" ".into());
        assert!(!c.honeypot_filled());
        c.website = Some("http://spam".into());
        assert!(c.honeypot_filled());
        c.parent_id = Some(0);
        assert_eq!(c.validate().unwrap_err().field, "parent_id");
    }

    #[test]
    fn new_comment_json_defaults() {
        let c: NewComment = serde_json::from_str(r#"{"author":"An","body":"Hay"}"#).unwrap();
        assert_eq!(c.captcha, "");
        assert_eq!(c.elapsed_ms, 0);
        assert_eq!(c.parent_id, None);
        assert_eq!(c.client_key, None);
        assert!(serde_json::from_str::<NewComment>(r#"{"body":"Hay"}"#).is_err());
    }

    #[test]
    fn client_key_is_optional_and_a_token_of_32_to_64_characters() {
        let mut c = comment("An", "x");
        assert!(c.validate().is_ok());
        for ok in [
            "0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d",
            "0b6f0c9e8a434a529d3c2c1a1f0e9b7d",
            &"abcdEFGH".repeat(4),
            &"a_b-c_d-".repeat(4),
            &"k".repeat(64),
        ] {
            c.client_key = Some(ok.into());
            let n = c.normalized();
            assert_eq!(n.client_key.as_deref(), Some(ok), "kept as is");
            assert!(n.validate().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1234567",
            "12345678",
            "0b6f0c9e8a434a529d3c2c1a1f0e9b7",
            &"k".repeat(65),
            " 0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d ",
            "0b6f0c9e 8a43-4a52-9d3c-2c1a1f0e9b7d",
            "0b6f0c9e.8a43-4a52-9d3c-2c1a1f0e9b7d",
            "0b6f0c9e/8a43-4a52-9d3c-2c1a1f0e9b7d",
            "ümlautümlautümlautümlautümlautümlaut",
            "0b6f0c9e\n8a43-4a52-9d3c-2c1a1f0e9b7d",
            "{0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d}",
        ] {
            c.client_key = Some(bad.into());
            let e = c.normalized().validate().unwrap_err();
            assert_eq!(e.field, "client_key", "{bad:?}");
            assert_eq!(
                e.to_string(),
                "client_key: must be 32 to 64 characters of A-Z, a-z, 0-9, '-' or '_'"
            );
        }
        // The other fields are checked first.
        c.author = String::new();
        assert_eq!(c.validate().unwrap_err().field, "author");
    }

    #[test]
    fn client_key_json_round_trip() {
        let c: NewComment = serde_json::from_str(
            r#"{"author":"An","body":"Hay","client_key":"0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d"}"#,
        )
        .unwrap();
        assert_eq!(
            c.client_key.as_deref(),
            Some("0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d")
        );
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains(r#""client_key":"0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d""#),
            "{json}"
        );
        let c: NewComment =
            serde_json::from_str(r#"{"author":"An","body":"Hay","client_key":null}"#).unwrap();
        assert_eq!(c.client_key, None);
        // Left out when absent, so an older server never sees it.
        assert!(!serde_json::to_string(&comment("An", "x"))
            .unwrap()
            .contains("client_key"));
        assert!(serde_json::from_str::<NewComment>(
            r#"{"author":"An","body":"Hay","client_key":7}"#
        )
        .is_err());
    }

    #[test]
    fn visit_limits() {
        let ok = VisitRequest {
            visitor: "v-1".into(),
            session: "s_1".into(),
            article_id: Some("ky-anh-2022-11-15".into()),
        };
        assert!(ok.validate().is_ok());
        let v: VisitRequest = serde_json::from_str(r#"{"session":"s"}"#).unwrap();
        assert_eq!(v.visitor, "");
        let r: VisitResponse = serde_json::from_str(r#"{"total_visits":3,"online":1}"#).unwrap();
        assert_eq!(r.visitor, None);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"total_visits":3,"online":1}"#
        );
        let e = VisitRequest {
            session: String::new(),
            ..ok.clone()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "session");
        let e = VisitRequest {
            article_id: Some("../etc".into()),
            ..ok
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "article_id");
    }

    #[test]
    fn rating_summary_from_distribution() {
        let r = RatingResponse::from_distribution([1, 0, 0, 2, 9], Some(4));
        assert_eq!(r.count, 12);
        assert_eq!(r.average, 4.5);
        let r = RatingResponse::from_distribution([0, 0, 1, 1, 1], None);
        assert_eq!(r.average, 4.0);
        let r = RatingResponse::from_distribution([1, 1, 0, 0, 1], None);
        assert_eq!(r.average, 2.67);
        let json = serde_json::to_string(&RatingResponse::from_distribution([0; 5], None)).unwrap();
        assert_eq!(
            json,
            r#"{"count":0,"average":0.0,"distribution":[0,0,0,0,0]}"#
        );
    }

    #[test]
    fn comment_json_shape() {
        let c = Comment {
            id: 7,
            parent_id: None,
            author: "An".into(),
            body: "Hay".into(),
            created_at: Timestamp::from_unix_seconds(1_668_495_600),
            replies: vec![],
            reply_count: 0,
            likes: 0,
            edited_at: None,
            deleted: false,
            badge: None,
            pinned: false,
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"id":7,"author":"An","body":"Hay","created_at":"2022-11-15T07:00:00Z","replies":[],"reply_count":0,"likes":0}"#
        );
        // Older servers send no reply_count: 0.
        let old: Comment = serde_json::from_str(
            r#"{"id":7,"author":"An","body":"Hay","created_at":"2022-11-15T07:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!((old.reply_count, old.replies.len()), (0, 0));
        assert_eq!((old.likes, old.edited_at, old.deleted), (0, None, false));
        let s = serde_json::to_string(&CommentCreated::new(3, CommentStatus::Pending)).unwrap();
        assert_eq!(s, r#"{"id":3,"status":"pending"}"#);
    }
    #[test]
    fn comment_sort_names_and_default() {
        assert_eq!(CommentSort::default(), CommentSort::Newest);
        for sort in CommentSort::ALL {
            assert_eq!(sort.as_str().parse::<CommentSort>(), Ok(sort));
            assert_eq!(
                serde_json::to_string(&sort).unwrap(),
                format!("\"{}\"", sort.as_str())
            );
            assert_eq!(sort.to_string(), sort.as_str());
        }
        assert_eq!(
            serde_json::from_str::<CommentSort>(r#""liked""#).unwrap(),
            CommentSort::Liked
        );
        for bad in ["", "Newest", "top", "liked ", "oldest,liked"] {
            let e = bad.parse::<CommentSort>().unwrap_err();
            assert_eq!(
                e.to_string(),
                "sort: must be newest, oldest or liked",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn likes_json() {
        let l: LikeRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(l.visitor, "");
        assert_eq!(
            serde_json::to_string(&LikeResponse {
                likes: 3,
                liked: true
            })
            .unwrap(),
            r#"{"likes":3,"liked":true}"#
        );
    }

    #[test]
    fn comment_with_likes_edit_and_placeholder() {
        let c: Comment = serde_json::from_str(
            r#"{"id":7,"author":"","body":"","created_at":"2022-11-15T07:00:00Z","likes":4,
                "edited_at":"2022-11-15T07:05:00Z","deleted":true}"#,
        )
        .unwrap();
        assert_eq!(c.likes, 4);
        assert_eq!(
            c.edited_at,
            Some(Timestamp::from_unix_seconds(1_668_495_900))
        );
        assert!(c.deleted);
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains(r#""likes":4,"edited_at":"2022-11-15T07:05:00Z","deleted":true"#),
            "{json}"
        );
    }

    #[test]
    fn edit_tokens_and_edits() {
        let created = CommentCreated {
            edit_token: Some("ab".repeat(24)),
            edit_until: Some(Timestamp::from_unix_seconds(1_668_496_200)),
            ..CommentCreated::new(9, CommentStatus::Published)
        };
        let json = serde_json::to_string(&created).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"id":9,"status":"published","edit_token":"{}","edit_until":"2022-11-15T07:10:00Z"}}"#,
                "ab".repeat(24)
            )
        );
        assert_eq!(
            serde_json::from_str::<CommentCreated>(&json).unwrap(),
            created
        );
        let old: CommentCreated = serde_json::from_str(r#"{"id":9,"status":"pending"}"#).unwrap();
        assert_eq!(old, CommentCreated::new(9, CommentStatus::Pending));

        let e: CommentEdit = serde_json::from_str(r#"{"body":"  mới\r\nhai\u0007 "}"#).unwrap();
        assert_eq!(e.token, "");
        let n = e.normalized();
        assert_eq!(n.body, "mới\nhai");
        assert!(n.validate().is_ok());
        let long = CommentEdit {
            body: "đ".repeat(COMMENT_BODY_MAX_CHARS + 1),
            token: "t".into(),
        };
        assert_eq!(long.normalized().validate().unwrap_err().field, "body");
        let blank = CommentEdit {
            body: " \n ".into(),
            token: "t".into(),
        };
        assert_eq!(
            blank.normalized().validate().unwrap_err().to_string(),
            "body: must not be empty"
        );
        assert!(serde_json::from_str::<CommentEdit>(r#"{"token":"t"}"#).is_err());
        let d: CommentDelete = serde_json::from_str("{}").unwrap();
        assert_eq!(d.token, "");
        let edited = CommentEdited {
            id: 9,
            status: CommentStatus::Pending,
            body: "mới".into(),
            edited_at: Timestamp::from_unix_seconds(1_668_495_900),
        };
        assert_eq!(
            serde_json::to_string(&edited).unwrap(),
            r#"{"id":9,"status":"pending","body":"mới","edited_at":"2022-11-15T07:05:00Z"}"#
        );
    }

    #[test]
    fn visit_views_are_optional() {
        let r = VisitResponse {
            total_visits: 3,
            online: 1,
            visitor: None,
            views: Some(12),
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"total_visits":3,"online":1,"views":12}"#
        );
        let r: VisitResponse = serde_json::from_str(r#"{"total_visits":3,"online":1}"#).unwrap();
        assert_eq!(r.views, None);
    }

    #[test]
    fn counts_ids_and_json() {
        assert_eq!(
            parse_counts_ids("b,a,b,a-1").unwrap(),
            vec!["a".to_owned(), "a-1".into(), "b".into()]
        );
        let max: Vec<String> = (0..COUNTS_IDS_MAX).map(|i| format!("id-{i}")).collect();
        assert_eq!(
            parse_counts_ids(&max.join(",")).unwrap().len(),
            COUNTS_IDS_MAX
        );
        let over = format!("{},id-x", max.join(","));
        assert_eq!(
            parse_counts_ids(&over).unwrap_err().to_string(),
            "ids: lists more than 100 article ids"
        );
        // Duplicates still count as listed: 101 of them is too many.
        assert!(parse_counts_ids(&vec!["a"; 101].join(",")).is_err());
        assert_eq!(
            parse_counts_ids("").unwrap_err().to_string(),
            "ids: must list 1 to 100 article ids, comma-separated"
        );
        for (bad, item) in [
            ("a,,b", 2),
            ("a,b,", 3),
            ("../x", 1),
            ("a,b c", 2),
            ("..", 1),
        ] {
            let e = parse_counts_ids(bad).unwrap_err();
            assert_eq!(e.field, "ids");
            assert!(
                e.message
                    .ends_with(&format!("(item {item}) is not a valid article id")),
                "{bad}: {e}"
            );
        }
        let mut counts = CountsResponse::new();
        counts.insert(
            "a".into(),
            ArticleCounts {
                comments: 2,
                views: 10,
                rating: RatingSummary {
                    count: 3,
                    average: 4.33,
                },
            },
        );
        counts.insert("b".into(), ArticleCounts::default());
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"a":{"comments":2,"views":10,"rating":{"count":3,"average":4.33}},"b":{"comments":0,"views":0,"rating":{"count":0,"average":0.0}}}"#
        );
    }
}
