//! Storage behind a small object-safe trait, so the handlers do not know
//! which database they talk to. SQLite ([`sqlite::SqliteStore`]) is the
//! embedded default; [`postgres::PostgresStore`] is for several instances
//! sharing one database.
//!
//! Methods return `'static` boxed futures: an implementation copies what it
//! needs from the arguments before it starts, so handlers can hold an
//! `Arc<dyn Store>` and await freely.

pub mod console;
pub mod paging;
pub mod postgres;
pub mod sqlite;

use bantin_protocol::api::{
    AdminCommentList, Comment, CommentPage, CommentSort, CommentStatus, Counters, CountsResponse,
    RatingResponse,
};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

#[derive(Debug)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;
pub type StoreFuture<T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'static>>;

/// A comment to store (already validated and normalized).
#[derive(Debug, Clone)]
pub struct CommentRecord {
    pub article_id: String,
    pub parent_id: Option<u64>,
    pub author: String,
    pub email: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    /// Unix seconds.
    pub created_at: i64,
    /// The client's idempotency key ([`bantin_protocol::api::NewComment::client_key`]):
    /// at most one comment per (article, key).
    pub client_key: Option<String>,
}

/// A verified proof-of-work payload to spend together with the comment.
#[derive(Debug, Clone)]
pub struct CaptchaUse {
    /// Identifies the payload: its challenge ([`bantin_protocol::pow::Payload::spend_key`]),
    /// what the HMAC signed, however the client spelled the rest.
    pub key: String,
    /// Unix seconds after which it can be forgotten (it is refused as expired).
    pub expires_at: i64,
}

/// One daily cap: adds one to the count of (`kind`, `subject`, `network`,
/// `day`) when it is below `cap` (at least 1), in one atomic statement, so it
/// holds across connections and instances sharing the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub kind: &'static str,
    /// What is capped within the kind (an article id, a visitor id, or empty).
    pub subject: String,
    /// The client network (`crate::visitor::network_key`), or empty.
    pub network: String,
    /// Days since the epoch (UTC).
    pub day: i64,
    pub cap: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VoteOutcome {
    /// Stored (new or changed); the summary after it.
    Voted(RatingResponse),
    /// A new vote over its network's cap: nothing was stored.
    CapReached,
}

/// A visit or heartbeat to record.
#[derive(Debug, Clone)]
pub struct VisitRecord {
    /// The credential's id.
    pub visitor: String,
    pub session: String,
    pub article: Option<String>,
    /// The client network, for the per-network cap of "online".
    pub network: String,
    pub now: i64,
    /// The network's quota of new credentials, when the visit comes with a
    /// new one: taken first; when it is full nothing is recorded.
    pub issue: Option<Quota>,
    /// Counted only when this has room (a new session beyond it is recorded,
    /// not counted); `None`: always counted.
    pub quota: Option<Quota>,
    /// Visitors counted online per network at most (0 = no cap).
    pub online_cap: u32,
    /// With an article: a new view of it is counted only when this has
    /// room (the credential's views of the article today); `None`: always.
    pub view_quota: Option<Quota>,
}

/// The comment stored under a `client_key`, as [`Store::insert_comment`]
/// compares it with a resent one.
pub(crate) struct KeyedComment {
    pub id: u64,
    pub status: CommentStatus,
    pub created_at: i64,
    pub author: String,
    pub email: Option<String>,
    pub body: String,
    pub parent_id: Option<u64>,
}

impl KeyedComment {
    /// [`InsertOutcome::Duplicate`] when `sent` is the same comment again,
    /// else [`InsertOutcome::KeyTaken`].
    pub(crate) fn outcome(&self, sent: &CommentRecord) -> InsertOutcome {
        let same = self.author == sent.author
            && self.email == sent.email
            && self.body == sent.body
            && self.parent_id == sent.parent_id;
        if same {
            InsertOutcome::Duplicate(self.id, self.status, self.created_at)
        } else {
            InsertOutcome::KeyTaken
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted(u64),
    /// A comment with the same article and `client_key`, and the same
    /// author, e-mail, text and parent, was stored before (the sender's own
    /// retry): its id, current status and creation time (unix seconds).
    /// Nothing was inserted and the captcha payload was not spent.
    Duplicate(u64, CommentStatus, i64),
    /// A comment with the same article and `client_key` but another author,
    /// e-mail, text or parent was stored before: not a retry of it. Nothing
    /// was inserted and the captcha payload was not spent.
    KeyTaken,
    /// `parent_id` is not a published top-level comment of the same article.
    BadParent,
    /// The payload was spent before.
    CaptchaReused,
}

/// Where a page of top-level comments continues: after the comment `id`
/// posted at `created_at` (and, in the liked order, its like count `score`
/// as of the page's snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAfter {
    pub id: u64,
    /// Likes as of the snapshot (liked order only; 0 otherwise).
    pub score: i64,
    /// The comment's `created_at` (unix seconds). `None`: a cursor of a
    /// server that ordered by id (`n.<id>.<mac>`, a bare id, …); the store
    /// reads the time of the comment `id`, or when it is gone that of its
    /// neighbour in id order ([`legacy_anchor_sql`]).
    pub created_at: Option<i64>,
}

/// The query giving the time a cursor without one stands for: among the
/// comments matching `scope` (top-level comments of the article, or replies
/// of one parent), that of the comment `id` (the placeholder `id`).
///
/// Before, lists were ordered by id alone, so the pages a client has seen end
/// at the comment `id`. Its own `created_at` continues exactly; when it was
/// deleted since, the nearest comment on the side not yet shown (the next
/// lower id for the descending orders, the next higher for ascending ones)
/// is used, with `id` as the tie-break: exact as long as ids and times agree
/// (all the comments posted on this server). No such comment: nothing is
/// left on that side ([`past_the_end`]).
pub fn legacy_anchor_sql(scope: &str, id: &str, descending: bool) -> String {
    let (cmp, order) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    // The comment itself by its key first: the neighbour's scan is for the
    // rare cursor whose comment was deleted.
    format!(
        "SELECT COALESCE(
             (SELECT created_at FROM comments WHERE id = {id} AND {scope}),
             (SELECT created_at FROM comments WHERE {scope} AND id {cmp} {id}
              ORDER BY id {order} LIMIT 1))"
    )
}

/// The time standing for a missing neighbour: past the end of the list.
pub fn past_the_end(descending: bool) -> i64 {
    if descending {
        i64::MIN
    } else {
        i64::MAX
    }
}

/// Which top-level comments of an article to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentsQuery {
    pub sort: CommentSort,
    /// Liked order: the like clock of the first page
    /// ([`CommentsPage::snapshot`]); `None` on the first page: now.
    pub snapshot: Option<i64>,
    /// `None`: from the first.
    pub after: Option<PageAfter>,
    pub limit: usize,
}

/// A page of top-level comments, each with its first replies.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentsPage {
    pub items: Vec<Comment>,
    /// Liked order: the article's like clock the order was computed at (the
    /// likes with a sequence number up to it); 0 for the other orders.
    pub snapshot: i64,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PageAfter>,
}

/// A like given or taken back.
#[derive(Debug, Clone)]
pub struct LikeRecord {
    pub article: String,
    pub comment: u64,
    /// The credential's id.
    pub visitor: String,
    /// True: like; false: take the like back.
    pub like: bool,
    pub now: i64,
    /// A new like must fit in it (when given), in the same transaction.
    pub quota: Option<Quota>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeOutcome {
    /// The state after it (unchanged when it was a repeat).
    Done { likes: u64, liked: bool },
    /// No published comment with that id on that article.
    NotFound,
    /// A new like over its network's cap: nothing stored.
    CapReached,
}

/// What the author's edit or deletion needs to know of a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentMeta {
    pub id: u64,
    /// Unix seconds.
    pub created_at: i64,
    pub status: CommentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The comment (and a deleted parent left with no replies) is gone.
    Removed,
    /// It has replies: kept as a placeholder without author or text.
    Placeholder,
    /// No such comment (or already deleted).
    NotFound,
}

/// The visit's counters, and the article's views when it named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitCounts {
    pub counters: Counters,
    pub views: Option<u64>,
}

/// A starting number added to a live count where it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetKind {
    /// The site's total visits.
    SiteVisits,
    /// One article's views.
    ArticleViews(String),
}

impl OffsetKind {
    /// `(kind, subject)` as stored in `count_offsets`.
    pub fn key(&self) -> (&'static str, &str) {
        match self {
            OffsetKind::SiteVisits => (offset::SITE_VISITS, ""),
            OffsetKind::ArticleViews(id) => (offset::ARTICLE_VIEWS, id),
        }
    }
}

/// Kinds of `count_offsets` rows.
pub mod offset {
    pub const SITE_VISITS: &str = "site_visits";
    pub const ARTICLE_VIEWS: &str = "article_views";
    // Every read of a starting number in the stores' SQL takes at most
    // 9007199254740991 (`MIN`/`LEAST`), the maximum: one stored before there
    // was a bound (up to 2^63 − 1) cannot overflow its sum with the live count.
    const _: () = assert!(bantin_protocol::limits::STARTING_NUMBER_MAX == 9_007_199_254_740_991);

    /// A starting number as read: at most the maximum.
    pub fn bounded(value: i64) -> u64 {
        (value.max(0) as u64).min(bantin_protocol::limits::STARTING_NUMBER_MAX)
    }
}

/// The stored offsets: the site's visits, and each article's views (by id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offsets {
    pub site_visits: u64,
    pub article_views: Vec<(String, u64)>,
}

pub trait Store: console::ConsoleStore + Send + Sync + 'static {
    /// Rating summary of an article, with `visitor`'s own vote if any.
    fn rating(&self, article: &str, visitor: Option<&str>) -> StoreFuture<RatingResponse>;
    /// Sets (or changes) `visitor`'s vote and returns the new summary. A new
    /// vote (not a change) must first fit in `quota` (when given), in the same
    /// transaction: over it nothing is stored ([`VoteOutcome::CapReached`]).
    fn vote(
        &self,
        article: &str,
        visitor: &str,
        stars: u8,
        now: i64,
        quota: Option<Quota>,
    ) -> StoreFuture<VoteOutcome>;
    /// Adds one to a daily count if it is below its cap; false when it is not.
    fn take_quota(&self, quota: Quota) -> StoreFuture<bool>;
    /// Checks the parent, spends the captcha and inserts, all or nothing.
    ///
    /// Order: parent, then `client_key`, then captcha. A comment already
    /// stored under the same article and `client_key` makes the answer
    /// [`InsertOutcome::Duplicate`] (same author, e-mail, text and parent)
    /// or [`InsertOutcome::KeyTaken`] (any of them differs) before the
    /// payload is touched (so it is not spent, and a spent one is no
    /// [`InsertOutcome::CaptchaReused`]);
    /// concurrent calls with one key store exactly one comment (the unique
    /// index on `(article_id, client_key)` decides).
    fn insert_comment(
        &self,
        comment: CommentRecord,
        captcha: Option<CaptchaUse>,
    ) -> StoreFuture<InsertOutcome>;
    /// Published top-level comments in `query.sort` order after
    /// `query.after`, each with its first published replies (at most
    /// [`bantin_protocol::limits::REPLIES_INLINE_MAX`], oldest first by
    /// `(created_at, id)`) and their count.
    /// Placeholders of deleted comments are listed while they have a
    /// published reply. `newest`/`oldest` order by `(created_at, id)`
    /// descending/ascending (not by id: imported comments get new ids but
    /// keep their time). The liked order is by the likes as of the page's
    /// snapshot of the article's like clock (those imported with a comment,
    /// kept in its count without a row each, included), ties newest first by
    /// `(created_at, id)`, so the pages of one snapshot neither repeat nor
    /// skip a comment however likes change in between.
    fn comments(&self, article: &str, query: CommentsQuery) -> StoreFuture<CommentsPage>;
    /// Published replies of `parent` after the reply `after` (an id), oldest
    /// first by `(created_at, id)`: after that reply's time, or when it is
    /// gone its neighbour's ([`legacy_anchor_sql`], within `parent`);
    /// `None` when `parent` is not a published top-level comment of `article`.
    fn replies(
        &self,
        article: &str,
        parent: u64,
        after: Option<u64>,
        limit: usize,
    ) -> StoreFuture<Option<CommentPage>>;
    /// Comments of any article with `status` (all when `None`), oldest first,
    /// after the id `after`.
    fn admin_comments(
        &self,
        status: Option<CommentStatus>,
        after: Option<u64>,
        limit: usize,
    ) -> StoreFuture<AdminCommentList>;
    /// Publishes a comment; false when there is no such comment.
    fn approve_comment(&self, id: u64) -> StoreFuture<bool>;
    /// Deletes a comment and its replies; false when there is no such comment.
    fn delete_comment(&self, id: u64) -> StoreFuture<bool>;
    /// Counts a visit the first time a (visitor, session) pair is seen (when
    /// its quota has room); later calls are heartbeats. Marks the visitor
    /// online from its network. Returns the counters after it, or `None`
    /// when the visit's `issue` quota was full (nothing recorded).
    ///
    /// With an article: counts a view the first time a (visitor, session,
    /// article) is seen, when its `view_quota` has room, and returns the
    /// article's views (offset included).
    fn record_visit(&self, visit: VisitRecord) -> StoreFuture<Option<VisitCounts>>;
    /// The visit total (with its offset), and the visitors seen in the
    /// online window, at most `online_cap` per network (0 = no cap).
    fn stats(&self, now: i64, online_cap: u32) -> StoreFuture<Counters>;
    /// Likes a comment (once per visitor) or takes the like back; a repeat
    /// changes nothing. Only published comments of `article`.
    fn like(&self, like: LikeRecord) -> StoreFuture<LikeOutcome>;
    /// Published comments (replies included), views (with offsets) and
    /// rating of each of `ids`; zeros for those without any. One query per
    /// table, whatever the number of ids.
    fn counts(&self, ids: Vec<String>) -> StoreFuture<CountsResponse>;
    /// A comment of `article` that is not deleted, any status.
    fn comment_meta(&self, article: &str, id: u64) -> StoreFuture<Option<CommentMeta>>;
    /// Replaces the body of a comment of `article` that is not deleted,
    /// sets `edited_at` and its status; false when there is no such comment.
    fn edit_comment(
        &self,
        article: &str,
        id: u64,
        body: String,
        status: CommentStatus,
        now: i64,
    ) -> StoreFuture<bool>;
    /// The author's deletion: removes the comment when it has no replies
    /// (and its parent when that is a placeholder left with none), else
    /// keeps a placeholder without author, text, e-mail or key.
    fn delete_own_comment(&self, article: &str, id: u64, now: i64) -> StoreFuture<DeleteOutcome>;
    /// Sets (replaces) a starting number; 0 removes it.
    fn set_offset(&self, kind: OffsetKind, value: u64) -> StoreFuture<()>;
    /// Every starting number stored.
    fn offsets(&self) -> StoreFuture<Offsets>;
    /// The stored secret `name`; stores `generated` first when there is none.
    fn secret(&self, name: &str, generated: Vec<u8>) -> StoreFuture<Vec<u8>>;
    /// Forgets expired captcha payloads, stale sessions (and the articles
    /// they viewed) and presence, the caps of past days, and likes taken
    /// back more than a day ago.
    fn purge(&self, now: i64) -> StoreFuture<()>;
}
