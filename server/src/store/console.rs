//! What the editors' console needs from storage ([`ConsoleStore`], a part of
//! [`super::Store`]): accounts and sessions, the queue and its decisions,
//! pins, bans, keyword lists, reports, the audit log. Both backends
//! implement it (`sqlite_console.rs`, `postgres_console.rs`); the queue's
//! filter is built once here ([`queue_where`]) for both.

use super::StoreFuture;
use bantin_protocol::admin::{
    AuditEntry, Ban, BanKind, Delivery, Hold, Keywords, QueueItem, QueueStatus, Role,
};
use bantin_protocol::api::Comment;

/// An editor's account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub name: String,
    pub role: Role,
    pub email: Option<String>,
    /// The PHC string of the argon2id hash.
    pub password_hash: String,
    pub created_at: i64,
}

/// A live session (looked up by the hash of its id) and its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub account: String,
    pub role: Role,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

/// What the server notes about a new comment beside the comment itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotation {
    pub hold: Option<Hold>,
    /// The author's visitor credential id and client network.
    pub visitor: Option<String>,
    pub network: Option<String>,
    pub official: bool,
    /// Author and text folded ([`crate::fold::fold`]) for the search.
    pub folded: String,
    pub has_link: bool,
    pub has_phone: bool,
}

/// The queue's filters, checked and folded by the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueQuery {
    pub status: QueueStatus,
    pub article: Option<String>,
    pub reported: bool,
    pub links: bool,
    pub phones: bool,
    /// Folded search text.
    pub q: Option<String>,
    /// Only this comment.
    pub comment: Option<u64>,
    /// Oldest first, after this id.
    pub after: Option<u64>,
    pub limit: usize,
}

/// What the author of a comment left for bans, replies and pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentOrigin {
    pub article_id: String,
    pub parent_id: Option<u64>,
    pub published: bool,
    pub visitor: Option<String>,
    pub network: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBanRow {
    pub kind: BanKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    /// Counted; `hidden` when this report hid the comment.
    Reported { reports: u32, hidden: bool },
    /// This credential reported the comment before.
    Again,
    /// No published comment with that id on that article.
    NotFound,
}

/// An alert claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: u64,
    /// `webhook` or `email`.
    pub channel: String,
    pub event: String,
    /// The webhook's JSON body, as sent.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// A comment as exported and imported (every stored field but the
/// derived ones).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportComment {
    pub id: u64,
    pub article_id: String,
    #[serde(default)]
    pub parent_id: Option<u64>,
    pub author: String,
    #[serde(default)]
    pub email: Option<String>,
    pub body: String,
    /// `published`, `pending` or `rejected`.
    pub status: String,
    pub created_at: i64,
    #[serde(default)]
    pub edited_at: Option<i64>,
    #[serde(default)]
    pub deleted_at: Option<i64>,
    #[serde(default)]
    pub likes: i64,
    #[serde(default)]
    pub official: bool,
    #[serde(default)]
    pub hold: Option<String>,
    #[serde(default)]
    pub visitor: Option<String>,
    #[serde(default)]
    pub network: Option<String>,
    #[serde(default)]
    pub reports: i64,
}

/// A rating (one credential's vote on one article).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportVote {
    pub article_id: String,
    pub visitor: String,
    pub stars: u8,
    pub updated_at: i64,
}

/// What a reader's deletion removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub comments_deleted: u64,
    /// Comments with others' replies: kept as placeholders without author,
    /// text, e-mail, credential or network.
    pub comments_blanked: u64,
    pub ratings: u64,
    pub reports: u64,
    pub visits: u64,
}

pub trait ConsoleStore {
    /// False when the name is taken.
    fn add_account(&self, account: AccountRow) -> StoreFuture<bool>;
    fn accounts(&self) -> StoreFuture<Vec<AccountRow>>;
    fn account(&self, name: &str) -> StoreFuture<Option<AccountRow>>;
    /// Removes the account and its sessions; false when there is none.
    fn remove_account(&self, name: &str) -> StoreFuture<bool>;
    /// Replaces the hash and ends the account's sessions; false when there is none.
    fn set_password(&self, name: &str, hash: String) -> StoreFuture<bool>;

    fn create_session(
        &self,
        id_hash: String,
        account: String,
        csrf: String,
        now: i64,
    ) -> StoreFuture<()>;
    fn session(&self, id_hash: &str) -> StoreFuture<Option<SessionRow>>;
    fn touch_session(&self, id_hash: &str, now: i64) -> StoreFuture<()>;
    fn delete_session(&self, id_hash: &str) -> StoreFuture<()>;
    /// Forgets sessions idle since before `idle_before` or created before
    /// `created_before`.
    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> StoreFuture<()>;

    /// Stores the annotation of comment `id`.
    fn annotate(&self, id: u64, a: Annotation) -> StoreFuture<()>;
    /// Comments without a folded text yet (stored before the console
    /// existed, or edited): id, author, body.
    fn unfolded(&self, limit: usize) -> StoreFuture<Vec<(u64, String, String)>>;
    /// Sets the folded text and the link and phone marks of a comment.
    fn set_folded(
        &self,
        id: u64,
        folded: String,
        has_link: bool,
        has_phone: bool,
    ) -> StoreFuture<()>;

    /// A page of the queue (without titles) and how many match in all.
    fn queue(&self, q: QueueQuery) -> StoreFuture<(Vec<QueueItem>, u64)>;
    /// Publishes; clears the hold, the rejection and the reports counted so
    /// far. False when there is no such comment.
    fn approve(&self, id: u64) -> StoreFuture<bool>;
    /// Unpublishes and marks rejected. False when there is no such comment.
    fn reject(&self, id: u64, now: i64) -> StoreFuture<bool>;
    fn comment_origin(&self, id: u64) -> StoreFuture<Option<CommentOrigin>>;
    /// Comments that are published and approved for the trust rule.
    fn published_by(&self, visitor: &str) -> StoreFuture<u64>;
    /// Which of `ids` are official replies.
    fn officials(&self, ids: Vec<u64>) -> StoreFuture<Vec<u64>>;

    fn set_pin(&self, article: &str, comment: Option<u64>) -> StoreFuture<()>;
    /// The article's pinned comment when it is still published (replies
    /// not filled in), with its published replies' count.
    fn pinned(&self, article: &str) -> StoreFuture<Option<(Comment, u64)>>;

    fn add_ban(&self, ban: NewBanRow) -> StoreFuture<u64>;
    /// Bans in force at `now`, newest first.
    fn bans(&self, now: i64) -> StoreFuture<Vec<Ban>>;
    fn remove_ban(&self, id: u64) -> StoreFuture<bool>;
    /// A ban in force on the credential or the network.
    fn ban_on(
        &self,
        visitor: Option<String>,
        network: String,
        now: i64,
    ) -> StoreFuture<Option<Ban>>;

    fn keywords(&self) -> StoreFuture<Keywords>;
    fn set_keywords(&self, k: Keywords) -> StoreFuture<()>;

    fn add_audit(
        &self,
        at: i64,
        who: String,
        action: String,
        target: String,
        detail: String,
    ) -> StoreFuture<()>;
    /// Newest first, before the id `before`.
    fn audit(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<AuditEntry>>;

    /// Stores an alert to send at `next_at_ms` (unix milliseconds).
    fn enqueue_delivery(
        &self,
        channel: &'static str,
        event: String,
        payload: String,
        created_at: i64,
        next_at_ms: i64,
    ) -> StoreFuture<u64>;
    /// Alerts due at `now_ms`, oldest first, each leased until
    /// `now_ms + lease_ms` (another instance does not take them meanwhile).
    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> StoreFuture<Vec<DeliveryRow>>;
    /// Records an attempt: `state` `pending` (retried at `next_at_ms`),
    /// `delivered` or `failed`.
    fn finish_delivery(
        &self,
        id: u64,
        attempts: u32,
        state: &'static str,
        next_at_ms: i64,
        last_error: Option<String>,
    ) -> StoreFuture<()>;
    /// The delivery log, newest first, before the id `before`.
    fn deliveries(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<Delivery>>;
    /// When the next pending alert is due (unix milliseconds).
    fn next_delivery_at(&self) -> StoreFuture<Option<i64>>;
    /// Forgets delivered and failed alerts created before `before` (they
    /// hold comments' text).
    fn purge_deliveries(&self, before: i64) -> StoreFuture<()>;
    /// The e-mail addresses of the accounts that have one.
    fn alert_emails(&self) -> StoreFuture<Vec<String>>;

    /// Every comment, oldest first.
    fn export_comments(&self) -> StoreFuture<Vec<ExportComment>>;
    fn export_votes(&self) -> StoreFuture<Vec<ExportVote>>;
    /// Live views per article (offsets not included).
    fn live_views(&self) -> StoreFuture<Vec<(String, u64)>>;
    /// Adds exported comments (new ids; parents before replies, replies
    /// re-pointed to their parents' new ids) and votes (replacing the
    /// credential's vote on the article), in one transaction.
    fn import(
        &self,
        comments: Vec<ExportComment>,
        votes: Vec<ExportVote>,
    ) -> StoreFuture<(u64, u64)>;
    /// One reader's comments (by e-mail or credential id) and votes.
    fn reader_data(
        &self,
        email: Option<String>,
        visitor: Option<String>,
    ) -> StoreFuture<(Vec<ExportComment>, Vec<ExportVote>)>;
    /// Deletes one reader's data (see [`Erased`]).
    fn erase_reader(
        &self,
        email: Option<String>,
        visitor: Option<String>,
        now: i64,
    ) -> StoreFuture<Erased>;

    /// A reader's report: once per credential, each counted on the comment
    /// (the queue's count); when the reports since the last approval come
    /// from `hide_after` distinct networks (0 = never) the comment is hidden
    /// (pending, hold `reports`). `network`: the reporter's, as
    /// [`network_key`](crate::visitor::network_key) gives it.
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        article: &str,
        comment: u64,
        visitor: &str,
        network: &str,
        reason: String,
        now: i64,
        hide_after: u32,
    ) -> StoreFuture<ReportOutcome>;
}

/// A value bound to a placeholder of [`queue_where`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Text(String),
    Int(i64),
}

/// `LIKE` pattern for `text` anywhere, with `\` escaping `%`, `_` and `\`.
pub fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The queue's `WHERE` clause (without the cursor), with placeholders made
/// by `ph` from their 1-based number, and the values to bind.
pub fn queue_where(q: &QueueQuery, ph: impl Fn(usize) -> String) -> (String, Vec<Param>) {
    let mut clauses = vec![match q.status {
        QueueStatus::Waiting => {
            "status = 'pending' AND rejected_at IS NULL AND deleted_at IS NULL".to_owned()
        }
        QueueStatus::Published => "status = 'published' AND deleted_at IS NULL".to_owned(),
        QueueStatus::Rejected => "rejected_at IS NOT NULL AND deleted_at IS NULL".to_owned(),
        QueueStatus::All => "deleted_at IS NULL".to_owned(),
    }];
    let mut params = Vec::new();
    let mut bind = |clauses: &mut Vec<String>, sql: &str, p: Param| {
        params.push(p);
        clauses.push(sql.replace('?', &ph(params.len())));
    };
    if let Some(a) = &q.article {
        bind(&mut clauses, "article_id = ?", Param::Text(a.clone()));
    }
    if let Some(id) = q.comment {
        bind(
            &mut clauses,
            "id = ?",
            Param::Int(id.min(i64::MAX as u64) as i64),
        );
    }
    if q.reported {
        clauses.push("reports > 0".into());
    }
    if q.links {
        clauses.push("has_link <> 0".into());
    }
    if q.phones {
        clauses.push("has_phone <> 0".into());
    }
    if let Some(text) = &q.q {
        bind(
            &mut clauses,
            "folded LIKE ? ESCAPE '\\'",
            Param::Text(contains_pattern(text)),
        );
    }
    (clauses.join(" AND "), params)
}

/// The columns both stores select for a [`QueueItem`], in the order
/// [`QueueItemRow`] reads them.
pub const QUEUE_COLUMNS: &str = "id, article_id, parent_id, author, body, created_at, status, \
     rejected_at IS NOT NULL, hold, reports, first_report_at, has_link, has_phone, official, \
     visitor, network, EXISTS (SELECT 1 FROM pins WHERE pins.comment_id = comments.id)";

/// One queue row as both stores read it.
pub struct QueueItemRow {
    pub id: i64,
    pub article_id: String,
    pub parent_id: Option<i64>,
    pub author: String,
    pub body: String,
    pub created_at: i64,
    pub status: String,
    pub rejected: bool,
    pub hold: Option<String>,
    pub reports: i64,
    pub first_report_at: Option<i64>,
    pub has_link: i64,
    pub has_phone: i64,
    pub official: i64,
    pub visitor: Option<String>,
    pub network: Option<String>,
    pub pinned: bool,
}

pub fn hold_of(s: &str) -> Option<Hold> {
    match s {
        "queue" => Some(Hold::Queue),
        "link" => Some(Hold::Link),
        "phone" => Some(Hold::Phone),
        "keyword" => Some(Hold::Keyword),
        "reports" => Some(Hold::Reports),
        _ => None,
    }
}

pub fn hold_str(h: Hold) -> &'static str {
    match h {
        Hold::Queue => "queue",
        Hold::Link => "link",
        Hold::Phone => "phone",
        Hold::Keyword => "keyword",
        Hold::Reports => "reports",
    }
}

pub fn ban_kind_str(k: BanKind) -> &'static str {
    match k {
        BanKind::Visitor => "visitor",
        BanKind::Network => "network",
    }
}

pub fn ban_kind_of(s: &str) -> BanKind {
    if s == "network" {
        BanKind::Network
    } else {
        BanKind::Visitor
    }
}

impl From<QueueItemRow> for QueueItem {
    fn from(r: QueueItemRow) -> QueueItem {
        use bantin_protocol::api::CommentStatus;
        use bantin_protocol::Timestamp;
        let status = if r.rejected {
            CommentStatus::Rejected
        } else if r.status == "published" {
            CommentStatus::Published
        } else {
            CommentStatus::Pending
        };
        QueueItem {
            id: r.id as u64,
            article_id: r.article_id,
            article_title: None,
            parent_id: r.parent_id.map(|p| p as u64),
            author: r.author,
            body: r.body,
            created_at: Timestamp::from_unix_seconds(r.created_at),
            status,
            hold: match status {
                CommentStatus::Pending => r.hold.as_deref().and_then(hold_of).or(Some(Hold::Queue)),
                _ => None,
            },
            reports: r.reports.clamp(0, u32::MAX as i64) as u32,
            first_report_at: r.first_report_at.map(Timestamp::from_unix_seconds),
            has_link: r.has_link != 0,
            has_phone: r.has_phone != 0,
            official: r.official != 0,
            pinned: r.pinned,
            visitor: r.visitor,
            network: r.network,
        }
    }
}

/// The columns both stores select for an [`ExportComment`], in its order.
pub const EXPORT_COLUMNS: &str = "id, article_id, parent_id, author, email, body, \
     CASE WHEN rejected_at IS NOT NULL THEN 'rejected' ELSE status END, created_at, edited_at, \
     deleted_at, likes, official, hold, visitor, network, reports";

/// Comments ordered so that every parent comes before its replies.
pub fn parents_first(mut c: Vec<ExportComment>) -> Vec<ExportComment> {
    c.sort_by_key(|x| (x.parent_id.is_some(), x.id));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_binds_what_it_names() {
        let q = QueueQuery {
            status: QueueStatus::Waiting,
            article: Some("a".into()),
            reported: true,
            links: false,
            phones: true,
            q: Some("50%_off".into()),
            comment: Some(7),
            after: None,
            limit: 10,
        };
        let (sql, params) = queue_where(&q, |i| format!("${i}"));
        assert!(sql.contains("article_id = $1"), "{sql}");
        assert!(sql.contains("id = $2"), "{sql}");
        assert!(sql.contains("folded LIKE $3"), "{sql}");
        assert!(sql.contains("reports > 0") && sql.contains("has_phone <> 0"));
        assert_eq!(
            params,
            vec![
                Param::Text("a".into()),
                Param::Int(7),
                Param::Text("%50\\%\\_off%".into())
            ]
        );
    }
}
