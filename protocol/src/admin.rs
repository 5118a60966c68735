//! The editors' side of the contract: what the console at `/admin/` and the
//! server's `/api/v1/admin/*` endpoints exchange (accounts, the moderation
//! queue, official replies, bans, keyword lists, the audit log, alert
//! deliveries, export). The reader widget uses only [`Report`] (its route
//! is the public `paths::route::REPORT`).
//!
//! Sign-in is a session cookie ([`SESSION_COOKIE`]); every change made with
//! it carries the session's CSRF token in [`CSRF_HEADER`]. Scripts keep the
//! bearer token (`--admin-token`), which acts as an `admin` and needs no CSRF
//! token.

use crate::api::CommentStatus;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The console's session cookie: HttpOnly, SameSite=Strict, Path=/, and
/// Secure when the server is reached over https.
pub const SESSION_COOKIE: &str = "bantin_session";
/// The header that carries [`Me::csrf`] on every `POST`, `PUT` and `DELETE`
/// made with the session cookie.
pub const CSRF_HEADER: &str = "x-bantin-csrf";

/// Error codes of the console's endpoints (beside those of
/// [`crate::api::codes`]).
pub mod codes {
    /// A moderator asked for an admin's endpoint (`403`).
    pub const FORBIDDEN: &str = "forbidden";
    /// A change made with the session cookie without its CSRF token, or with
    /// another (`403`).
    pub const CSRF_INVALID: &str = "csrf_invalid";
    /// The session's idle or absolute limit passed (`401`).
    pub const SESSION_EXPIRED: &str = "session_expired";
    /// `POST /admin/users` with a name in use (`409`).
    pub const NAME_TAKEN: &str = "name_taken";
    pub const USER_NOT_FOUND: &str = "user_not_found";
    pub const BAN_NOT_FOUND: &str = "ban_not_found";
    /// The reader's credential or network is banned (`403`): comments,
    /// reports, votes and likes are refused.
    pub const BANNED: &str = "banned";
    /// The comment contains a word of the "refuse" list (`422`).
    pub const KEYWORD_REFUSED: &str = "keyword_refused";
    /// This credential reported this comment before (`409`).
    pub const ALREADY_REPORTED: &str = "already_reported";
    /// A pin of a comment that is not a published top-level comment of the
    /// article (`422`).
    pub const NOT_PINNABLE: &str = "not_pinnable";
    /// A ban from a comment whose author's credential or network was not
    /// recorded (comments stored before the console) (`422`).
    pub const NOTHING_TO_BAN: &str = "nothing_to_ban";
    /// An official reply to a comment readers cannot see (`422`).
    pub const NOT_PUBLISHED: &str = "not_published";
}

/// Account names: 1–[`NAME_MAX`] characters of `[a-z0-9._-]`, lowercase.
pub const NAME_MAX: usize = 32;
/// Passwords: at least [`PASSWORD_MIN`] characters (counted as chars).
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;
/// Items per queue page at most (the default is [`QUEUE_DEFAULT`]).
pub const QUEUE_MAX: u32 = 100;
pub const QUEUE_DEFAULT: u32 = 30;
/// Comments one bulk action may name at most.
pub const BULK_MAX: usize = 100;
/// Keyword list entries at most, and the length of one.
pub const KEYWORDS_MAX: usize = 500;
pub const KEYWORD_MAX: usize = 64;
/// The search text (`?q=`) at most, in chars.
pub const SEARCH_MAX: usize = 100;

pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= NAME_MAX
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// An editor's role. A `moderator` works the queue, bans and keyword lists;
/// an `admin` also manages accounts, imports, and deletes readers' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Moderator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "moderator" => Some(Role::Moderator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- session

/// `POST /admin/session`: signs in. Answered with [`Me`] and the session
/// cookie; `401` for a wrong name or password (the same answer for both),
/// `429` with `Retry-After` once the account's or the address's failures
/// are used up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

/// `GET /admin/session`: who is signed in (`401` when nobody is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub role: Role,
    /// To send in [`CSRF_HEADER`] with every change.
    pub csrf: String,
    /// When the session ends unless renewed by use.
    pub expires_at: Timestamp,
    /// The text of the badge on official replies (`--official-badge`).
    pub badge: String,
}

/// `GET /admin/users` (admin): the accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
}

// ---------------------------------------------------------------- queue

/// Why a comment waits for an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// `--moderation queue`: every comment waits.
    Queue,
    /// It contains a link (`--hold-links`).
    Link,
    /// It contains a phone number (`--hold-phones`).
    Phone,
    /// It matches a keyword of the "hold" list.
    Keyword,
    /// Readers reported it `--hide-after-reports` times: hidden until an
    /// editor decides.
    Reports,
}

/// What the queue shows: `waiting` (pending, oldest first) by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueStatus {
    Waiting,
    Published,
    Rejected,
    All,
}

impl QueueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueStatus::Waiting => "waiting",
            QueueStatus::Published => "published",
            QueueStatus::Rejected => "rejected",
            QueueStatus::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<QueueStatus> {
        match s {
            "waiting" => Some(QueueStatus::Waiting),
            "published" => Some(QueueStatus::Published),
            "rejected" => Some(QueueStatus::Rejected),
            "all" => Some(QueueStatus::All),
            _ => None,
        }
    }
}

/// `GET /admin/queue` filters, as query parameters. Absent fields do not
/// filter; `q` matches author and text, with or without diacritics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<QueueStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// Only comments readers reported.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reported: bool,
    /// Only comments with a link.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub links: bool,
    /// Only comments with a phone number.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub phones: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this comment: the queue the link of an alert opens
    /// ([`console_link`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One comment as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: u64,
    pub article_id: String,
    /// The article's title, when the server knows the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<u64>,
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
    pub status: CommentStatus,
    /// Why it waits (with `status: pending`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    /// Readers' reports, and when the first came.
    #[serde(default)]
    pub reports: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_report_at: Option<Timestamp>,
    pub has_link: bool,
    pub has_phone: bool,
    /// Written by an editor as the portal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub official: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// The author's visitor credential id and client network, for a ban.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
}

/// `GET /admin/queue`: one page, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next: Option<String>,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// "Duyệt": publish.
    Approve,
    /// Keep it unpublished, and out of the waiting queue.
    Reject,
    /// Remove it and its replies.
    Delete,
}

/// `POST /admin/queue/actions`: one action on up to [`BULK_MAX`] comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkAction {
    pub action: Action,
    pub ids: Vec<u64>,
}

/// What a bulk action did: `done` changed, `missing` did not exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    pub done: Vec<u64>,
    pub missing: Vec<u64>,
}

/// `POST /admin/users` (admin): a new account (`201` with [`User`]; `409
/// name_taken` when the name is in use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub password: String,
    /// Where alerts go (`--smtp-url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `PUT /admin/users/{name}` (admin): a new password; the account's
/// sessions end (`204`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    pub password: String,
}

/// `POST /admin/comments/{id}/reply`: an official reply, published at once,
/// shown with the badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialReply {
    pub body: String,
}

/// `PUT /admin/articles/{id}/pin`: the article's pinned comment (a
/// published top-level one), or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub comment: Option<u64>,
}

// ---------------------------------------------------------------- bans

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BanKind {
    /// One visitor credential.
    Visitor,
    /// A client network (IPv4 address, IPv6 /64).
    Network,
}

/// `POST /admin/bans`: bans the credential or network of comment `comment`
/// (the console's way), or `value` as given. `hours`: 0 = until lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBan {
    pub kind: BanKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub hours: u32,
    #[serde(default)]
    pub reason: String,
}

/// `GET /admin/bans`: the bans in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub id: u64,
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: Timestamp,
    /// `None`: until lifted (`DELETE /admin/bans/{id}`).
    pub expires_at: Option<Timestamp>,
}

// ---------------------------------------------------------------- keywords

/// `GET`/`PUT /admin/keywords`: comments matching a `hold` entry wait for an
/// editor; those matching a `refuse` entry are refused (`422`). Matched as
/// words, case-insensitively, with and without Vietnamese diacritics ("đ" is
/// "d", tone marks ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keywords {
    pub hold: Vec<String>,
    pub refuse: Vec<String>,
}

// ---------------------------------------------------------------- audit

/// `GET /admin/audit?cursor=`: what editors did, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    pub at: Timestamp,
    /// The account, or `token` for the bearer token.
    pub who: String,
    /// `approve`, `reject`, `delete`, `reply`, `pin`, `ban`, `unban`,
    /// `keywords`, `import`, `privacy_delete`, `user_add`, `user_remove`, …
    pub action: String,
    /// What it acted on: `comment:12`, `ban:3`, `user:lan`, …
    pub target: String,
    #[serde(default)]
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next: Option<String>,
}

// ---------------------------------------------------------------- alerts

/// One webhook delivery, as the console's delivery log shows it
/// (`GET /admin/deliveries`, newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    /// `webhook` or `email`.
    #[serde(default)]
    pub channel: String,
    /// `comment.held` or `comment.reported`.
    pub event: String,
    pub created_at: Timestamp,
    pub attempts: u32,
    /// `pending` (will be retried), `delivered` or `failed` (gave up).
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

// ---------------------------------------------------------------- reports

/// `POST /articles/{id}/comments/{comment}/report` (public, with the
/// visitor credential; once per credential: `409` after that).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Empty: the credential of the `bantin_visitor` cookie.
    #[serde(default)]
    pub visitor: String,
    #[serde(default)]
    pub reason: String,
}

/// Where the console is served, on the API's origin.
pub const CONSOLE_PATH: &str = "/admin/";
/// The console's query parameter naming one comment: the queue opens on it
/// alone, whatever its status.
pub const CONSOLE_COMMENT: &str = "comment";

/// The console's address of comment `id` (in alerts), under the server's
/// public URL `base` (empty: a path on the same origin).
pub fn console_link(base: &str, id: u64) -> String {
    format!(
        "{}{CONSOLE_PATH}?{CONSOLE_COMMENT}={id}",
        base.trim_end_matches('/')
    )
}

/// The comment a console address names ([`console_link`]), from its query
/// string (with or without the `?`).
pub fn linked_comment(query: &str) -> Option<u64> {
    query.trim_start_matches('?').split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == CONSOLE_COMMENT).then(|| v.parse().ok()).flatten()
    })
}

/// Route templates relative to [`crate::paths::PREFIX`].
pub mod route {
    pub const SESSION: &str = "/admin/session";
    pub const USERS: &str = "/admin/users";
    pub const USER: &str = "/admin/users/{name}";
    pub const QUEUE: &str = "/admin/queue";
    pub const ACTIONS: &str = "/admin/queue/actions";
    pub const REPLY: &str = "/admin/comments/{id}/reply";
    pub const PIN: &str = "/admin/articles/{id}/pin";
    pub const BANS: &str = "/admin/bans";
    pub const BAN: &str = "/admin/bans/{id}";
    pub const KEYWORDS: &str = "/admin/keywords";
    pub const AUDIT: &str = "/admin/audit";
    pub const DELIVERIES: &str = "/admin/deliveries";
    /// `?what=comments|ratings|visits&format=json|csv`.
    pub const EXPORT: &str = "/admin/export";
    pub const IMPORT: &str = "/admin/import";
    /// `GET` exports, `DELETE` deletes one reader's data: `?email=` or
    /// `?visitor=`.
    pub const PRIVACY: &str = "/admin/privacy";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_ascii_words() {
        assert!(is_valid_name("lan.nguyen-2"));
        for bad in ["", "Lan", "lan nguyen", "lân", &"a".repeat(NAME_MAX + 1)] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_console_link_names_one_comment() {
        let link = console_link("https://portal.vn/", 42);
        assert_eq!(link, "https://portal.vn/admin/?comment=42");
        let query = link.split_once('?').unwrap().1;
        assert_eq!(linked_comment(query), Some(42));
        assert_eq!(linked_comment("?lang=en&comment=7"), Some(7));
        for none in [
            "",
            "?comment=",
            "?comment=x",
            "?comment=-1",
            "?comments=7",
            "?lang=en",
        ] {
            assert_eq!(linked_comment(none), None, "{none}");
        }
        assert_eq!(console_link("", 1), "/admin/?comment=1");
    }

    #[test]
    fn filters_travel_as_query_fields() {
        let f: QueueFilter =
            serde_json::from_str(r#"{"status":"waiting","reported":true}"#).unwrap();
        assert_eq!(f.status, Some(QueueStatus::Waiting));
        assert!(f.reported && !f.links);
        for s in [
            QueueStatus::Waiting,
            QueueStatus::Published,
            QueueStatus::Rejected,
            QueueStatus::All,
        ] {
            assert_eq!(QueueStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
