//! The embedded SQLite store: one file in WAL mode with `synchronous = FULL`
//! by default (a commit is on disk before it is answered), mode 0600, one
//! connection used by one blocking task at a time (SQLite serializes writers
//! anyway, and every statement here takes microseconds).

#[path = "sqlite_console.rs"]
mod console;

use super::paging::{self, Row, COLUMNS, NAMES};
use super::*;
use crate::config::Synchronous;
use bantin_protocol::api::{AdminComment, ArticleCounts, RatingSummary};
use bantin_protocol::limits::ONLINE_WINDOW_SECS;
use bantin_protocol::limits::REPLIES_INLINE_MAX;
use bantin_protocol::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Schema changes, applied in order; `schema_version` records how many ran.
/// Append new steps, never edit old ones. Public so that tests can build a
/// database as an older release left it.
pub const MIGRATIONS: &[&str] = &[
    // 1: initial schema
    "
    CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE votes (
        article_id TEXT NOT NULL,
        visitor TEXT NOT NULL,
        stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (article_id, visitor)
    ) WITHOUT ROWID;
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        parent_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
        author TEXT NOT NULL,
        email TEXT,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('published', 'pending')),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX comments_by_article ON comments (article_id, status, parent_id, id);
    CREATE INDEX comments_by_parent ON comments (parent_id, status, id);
    CREATE INDEX comments_by_status ON comments (status, id);
    CREATE TABLE used_captchas (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE visit_sessions (
        visitor TEXT NOT NULL,
        session TEXT NOT NULL,
        article_id TEXT,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (visitor, session)
    ) WITHOUT ROWID;
    CREATE INDEX visit_sessions_by_time ON visit_sessions (last_seen);
    CREATE TABLE presence (visitor TEXT PRIMARY KEY, last_seen INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX presence_by_time ON presence (last_seen);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO counters (name, value) VALUES ('total_visits', 0);
    ",
    // 2: the client's idempotency key of a comment, unique per article
    // (NULLs are distinct: comments without a key never collide)
    "
    ALTER TABLE comments ADD COLUMN client_key TEXT;
    CREATE UNIQUE INDEX comments_by_client_key ON comments (article_id, client_key);
    ",
    // 3: each article's rating summary, kept by triggers in the transaction
    // of every vote (reads are one row, not a GROUP BY over all votes)
    "
    CREATE TABLE rating_summary (
        article_id TEXT PRIMARY KEY,
        n1 INTEGER NOT NULL DEFAULT 0, n2 INTEGER NOT NULL DEFAULT 0, n3 INTEGER NOT NULL DEFAULT 0,
        n4 INTEGER NOT NULL DEFAULT 0, n5 INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    INSERT INTO rating_summary (article_id, n1, n2, n3, n4, n5)
        SELECT article_id, SUM(stars = 1), SUM(stars = 2), SUM(stars = 3), SUM(stars = 4), SUM(stars = 5)
        FROM votes GROUP BY article_id;
    CREATE TRIGGER votes_summary_insert AFTER INSERT ON votes BEGIN
        INSERT OR IGNORE INTO rating_summary (article_id) VALUES (NEW.article_id);
        UPDATE rating_summary SET n1 = n1 + (NEW.stars = 1), n2 = n2 + (NEW.stars = 2),
            n3 = n3 + (NEW.stars = 3), n4 = n4 + (NEW.stars = 4), n5 = n5 + (NEW.stars = 5)
        WHERE article_id = NEW.article_id;
    END;
    CREATE TRIGGER votes_summary_update AFTER UPDATE OF stars ON votes BEGIN
        UPDATE rating_summary SET n1 = n1 + (NEW.stars = 1) - (OLD.stars = 1),
            n2 = n2 + (NEW.stars = 2) - (OLD.stars = 2), n3 = n3 + (NEW.stars = 3) - (OLD.stars = 3),
            n4 = n4 + (NEW.stars = 4) - (OLD.stars = 4), n5 = n5 + (NEW.stars = 5) - (OLD.stars = 5)
        WHERE article_id = NEW.article_id;
    END;
    CREATE TRIGGER votes_summary_delete AFTER DELETE ON votes BEGIN
        UPDATE rating_summary SET n1 = n1 - (OLD.stars = 1), n2 = n2 - (OLD.stars = 2),
            n3 = n3 - (OLD.stars = 3), n4 = n4 - (OLD.stars = 4), n5 = n5 - (OLD.stars = 5)
        WHERE article_id = OLD.article_id;
    END;
    ",
    // 4: daily caps per client network (visitor credentials issued, new votes
    // per article) and per credential (counted visits); the network of each
    // online visitor, and the networks that had more online than the cap
    // ("online" is the count less their excess)
    "
    CREATE TABLE quotas (
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        network TEXT NOT NULL,
        day INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (kind, subject, network, day)
    ) WITHOUT ROWID;
    CREATE INDEX quotas_by_day ON quotas (day);
    ALTER TABLE presence ADD COLUMN network TEXT NOT NULL DEFAULT '';
    CREATE INDEX presence_by_network ON presence (network, last_seen);
    CREATE TABLE crowded_networks (network TEXT PRIMARY KEY) WITHOUT ROWID;
    ",
    // 5: comment likes (kept with the sequence numbers of their giving and
    // taking back on the article's like clock, so the liked order of any
    // earlier snapshot can be recomputed), edits and placeholders of deleted
    // comments, views per article (deduplicated per session), and the
    // starting numbers added to live counts
    "
    ALTER TABLE comments ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN edited_at INTEGER;
    ALTER TABLE comments ADD COLUMN deleted_at INTEGER;
    CREATE TABLE like_clocks (article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE comment_likes (
        comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
        visitor TEXT NOT NULL,
        liked_seq INTEGER NOT NULL,
        unliked_seq INTEGER,
        created_at INTEGER NOT NULL,
        removed_at INTEGER
    );
    CREATE UNIQUE INDEX comment_likes_active ON comment_likes (comment_id, visitor)
        WHERE unliked_seq IS NULL;
    CREATE INDEX comment_likes_by_comment ON comment_likes (comment_id, liked_seq);
    CREATE INDEX comment_likes_removed ON comment_likes (removed_at) WHERE removed_at IS NOT NULL;
    CREATE TABLE view_sessions (
        visitor TEXT NOT NULL,
        session TEXT NOT NULL,
        article_id TEXT NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (visitor, session, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX view_sessions_by_time ON view_sessions (last_seen);
    CREATE TABLE article_views (
        article_id TEXT NOT NULL,
        shard INTEGER NOT NULL,
        views INTEGER NOT NULL,
        PRIMARY KEY (article_id, shard)
    ) WITHOUT ROWID;
    CREATE TABLE count_offsets (
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (kind, subject)
    ) WITHOUT ROWID;
    ",
    // 6: the editors' console: accounts and their sessions (only a hash of
    // each session id), why a comment waits (`hold`), rejection (the row
    // stays `pending` with `rejected_at` set, so no public query changes),
    // official replies, the author's credential id and network (for bans),
    // readers' reports (counted on the comment; `reports_cleared` is the
    // count an editor's approval cleared), pins, bans, keyword lists, the
    // audit log, and the webhook deliveries and e-mails waiting to go out
    "
    CREATE TABLE accounts (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('moderator', 'admin')),
        email TEXT,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE editor_sessions (
        id_hash TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX editor_sessions_by_account ON editor_sessions (account);
    ALTER TABLE comments ADD COLUMN hold TEXT;
    ALTER TABLE comments ADD COLUMN rejected_at INTEGER;
    ALTER TABLE comments ADD COLUMN official INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN visitor TEXT;
    ALTER TABLE comments ADD COLUMN network TEXT;
    ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN reports_cleared INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN first_report_at INTEGER;
    ALTER TABLE comments ADD COLUMN folded TEXT;
    ALTER TABLE comments ADD COLUMN has_link INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE comments ADD COLUMN has_phone INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX comments_by_visitor ON comments (visitor);
    CREATE TABLE comment_reports (
        comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
        visitor TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (comment_id, visitor)
    ) WITHOUT ROWID;
    CREATE INDEX comment_reports_by_visitor ON comment_reports (visitor);
    CREATE TABLE pins (
        article_id TEXT PRIMARY KEY,
        comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE bans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('visitor', 'network')),
        value TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER
    );
    CREATE INDEX bans_by_value ON bans (kind, value);
    CREATE TABLE keywords (
        list TEXT NOT NULL CHECK (list IN ('hold', 'refuse')),
        word TEXT NOT NULL,
        PRIMARY KEY (list, word)
    ) WITHOUT ROWID;
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        event TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending',
        next_at INTEGER NOT NULL,
        last_error TEXT
    );
    CREATE INDEX deliveries_due ON deliveries (state, next_at);
    ",
    // 7: each report's network (as the daily caps count it) and its number
    // among the comment's reports (`seq`, compared with `reports_cleared`),
    // so a comment is hidden by reports from enough distinct networks, not
    // by several credentials of one; reports stored before have no network
    // (each counts as one of its own) and are numbered in the order made.
    "
    ALTER TABLE comment_reports ADD COLUMN network TEXT;
    ALTER TABLE comment_reports ADD COLUMN seq INTEGER;
    UPDATE comment_reports SET seq =
        (SELECT reports FROM comments WHERE id = comment_reports.comment_id)
        - (SELECT COUNT(*) FROM comment_reports AS later
           WHERE later.comment_id = comment_reports.comment_id
           AND (later.created_at > comment_reports.created_at
                OR (later.created_at = comment_reports.created_at
                    AND later.visitor > comment_reports.visitor)));
    ",
    // 8: the lists are ordered by time (`created_at`, then id), not by id
    // alone (imported comments get new ids but keep their time): top-level
    // comments of an article by time (a partial index: PostgreSQL does not
    // take `parent_id IS NULL` in the middle of an index as fixing its
    // order), and replies by time instead of by id (every other query of
    // `comments_by_parent` has the same leading columns in the new one).
    // `comments_by_article` stays for the counts (replies included).
    "
    CREATE INDEX comments_top_by_time ON comments (article_id, status, created_at, id)
        WHERE parent_id IS NULL;
    DROP INDEX comments_by_parent;
    CREATE INDEX comments_by_parent_time ON comments (parent_id, status, created_at, id);
    ",
];

/// Likes taken back are kept this long (for the liked order of pages whose
/// first page was read before), then forgotten.
const UNLIKED_KEPT_SECS: i64 = 86_400;

/// A session idle this long is forgotten; coming back later counts a new visit.
const SESSION_IDLE_SECS: i64 = 86_400;

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

impl SqliteStore {
    /// Opens (creating if needed) the database file with `synchronous = FULL`
    /// and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with(path, Synchronous::Full)
    }

    /// Opens with the given durability. The file is created readable by its
    /// owner only (0600: it holds the signing key and readers' e-mails), and
    /// an existing file readable by others is narrowed to 0600; SQLite gives
    /// its `-wal` and `-shm` files the same mode as the database.
    pub fn open_with(path: &Path, synchronous: Synchronous) -> StoreResult<Self> {
        restrict_file(path).map_err(|e| StoreError(format!("{}: {e}", path.display())))?;
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite did not switch to WAL mode");
        }
        conn.execute_batch(&format!(
            "PRAGMA synchronous = {}; PRAGMA foreign_keys = ON;",
            synchronous.pragma()
        ))
        .map_err(err)?;
        migrate(&mut conn).map_err(err)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// `PRAGMA synchronous` of the connection: 2 = FULL, 1 = NORMAL.
    pub fn synchronous(&self) -> StoreFuture<i64> {
        self.run(|c| c.query_row("PRAGMA synchronous", [], |r| r.get(0)))
    }

    /// Runs `f` on the connection in a blocking task.
    fn run<T, F>(&self, f: F) -> StoreFuture<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                f(&mut guard).map_err(err)
            })
            .await
            .map_err(|e| StoreError(format!("storage task failed: {e}")))?
        })
    }
}

/// Creates `path` with mode 0600 when missing; narrows it to 0600 when it is
/// readable or writable by group or others.
#[cfg(unix)]
fn restrict_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::metadata(path)?;
            let mode = meta.permissions().mode();
            if meta.is_file() && mode & 0o077 != 0 {
                tracing::warn!(file = %path.display(), mode = format!("{:o}", mode & 0o777), "database file readable by others: narrowed to 0600");
                for f in [
                    path.to_path_buf(),
                    sibling(path, "-wal"),
                    sibling(path, "-shm"),
                ] {
                    if f.exists() {
                        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600))?;
                    }
                }
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn restrict_file(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    p.into()
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: Option<i64> = tx
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .optional()?;
    let current = current.unwrap_or_else(|| {
        tx.execute("INSERT INTO schema_version (version) VALUES (0)", [])
            .map(|_| 0)
            .unwrap_or(0)
    }) as usize;
    if current > MIGRATIONS.len() {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(format!(
                "the database has schema version {current}, newer than this server ({})",
                MIGRATIONS.len()
            )),
        ));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current) {
        tx.execute_batch(step)?;
        tx.execute("UPDATE schema_version SET version = ?1", [i as i64 + 1])?;
        tracing::info!(version = i + 1, "database schema migrated");
    }
    tx.commit()
}

fn rating_of(
    conn: &Connection,
    article: &str,
    visitor: Option<&str>,
) -> rusqlite::Result<RatingResponse> {
    let distribution = conn
        .prepare_cached("SELECT n1, n2, n3, n4, n5 FROM rating_summary WHERE article_id = ?1")?
        .query_row([article], |r| {
            let mut d = [0u64; 5];
            for (i, n) in d.iter_mut().enumerate() {
                *n = r.get::<_, i64>(i)?.max(0) as u64;
            }
            Ok(d)
        })
        .optional()?
        .unwrap_or([0; 5]);
    let your_vote = match visitor {
        Some(v) => conn
            .prepare_cached("SELECT stars FROM votes WHERE article_id = ?1 AND visitor = ?2")?
            .query_row([article, v], |r| r.get::<_, u8>(0))
            .optional()?,
        None => None,
    };
    Ok(RatingResponse::from_distribution(distribution, your_vote))
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get::<_, i64>(0)? as u64,
        parent_id: r.get::<_, Option<i64>>(1)?.map(|p| p as u64),
        author: r.get(2)?,
        body: r.get(3)?,
        created_at: r.get(4)?,
        likes: r.get(5)?,
        edited_at: r.get(6)?,
        deleted: r.get(7)?,
        score: 0,
    })
}

fn clamp(id: u64) -> i64 {
    id.min(i64::MAX as u64) as i64
}

/// The `IN (…)` list of `n` placeholders from `?{first}` on.
fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The article's views: its shards' sum plus its starting number.
fn views_of(conn: &Connection, article: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COALESCE((SELECT SUM(views) FROM article_views WHERE article_id = ?1), 0)
                  + COALESCE((SELECT MIN(value, 9007199254740991) FROM count_offsets
                              WHERE kind = 'article_views' AND subject = ?1), 0)",
        )?
        .query_row([article], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Runs `sql` with `ids` as its parameters and calls `f` with each row's
/// first column (an article id) and the row.
fn each_row(
    conn: &Connection,
    sql: &str,
    ids: &[String],
    mut f: impl FnMut(&str, &rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(ids))?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        f(&id, r)?;
    }
    Ok(())
}

/// Deletes `parent` when it is a placeholder left without replies.
fn drop_empty_placeholder(conn: &Connection, parent: Option<i64>) -> rusqlite::Result<()> {
    if let Some(p) = parent {
        conn.prepare_cached(
            "DELETE FROM comments WHERE id = ?1 AND deleted_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM comments WHERE parent_id = ?1)",
        )?
        .execute([p])?;
    }
    Ok(())
}

/// Registers `network` as crowded when it has more than `cap` visitors
/// online (counting at most `cap + 1` of them). A network only grows by
/// visits from it, and each visit checks its own, so every network over the
/// cap is registered; purging forgets those with nobody online.
fn note_crowding(conn: &Connection, network: &str, since: i64, cap: u32) -> rusqlite::Result<()> {
    let seen: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM (
                 SELECT 1 FROM presence WHERE network = ?1 AND last_seen > ?2 LIMIT ?3)",
        )?
        .query_row(params![network, since, i64::from(cap) + 1], |r| r.get(0))?;
    if seen > i64::from(cap) {
        conn.prepare_cached("INSERT OR IGNORE INTO crowded_networks (network) VALUES (?1)")?
            .execute([network])?;
    }
    Ok(())
}

/// Adds one to the quota's count when it is below the cap: an upsert whose
/// update is skipped at the cap, so it returns no row then.
fn take(conn: &Connection, q: &Quota) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "INSERT INTO quotas (kind, subject, network, day, n) VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (kind, subject, network, day) DO UPDATE SET n = n + 1 WHERE n < ?5
         RETURNING n",
    )?
    .query_row(
        params![q.kind, q.subject, q.network, q.day, i64::from(q.cap.max(1))],
        |r| r.get::<_, i64>(0),
    )
    .optional()
    .map(|n| n.is_some())
}

/// The visit total, and "online": the visitors seen in the window, less what
/// each crowded network has beyond `online_cap`. Only networks registered in
/// `crowded_networks` (by [`note_crowding`]) are counted one by one, so the
/// cost stays one index range plus a count per crowded network, not a
/// grouping of everyone online.
fn counters(conn: &Connection, now: i64, online_cap: u32) -> rusqlite::Result<Counters> {
    let total: i64 = conn
        .prepare_cached(
            "SELECT value + COALESCE((SELECT MIN(value, 9007199254740991) FROM count_offsets
                                      WHERE kind = 'site_visits' AND subject = ''), 0)
             FROM counters WHERE name = 'total_visits'",
        )?
        .query_row([], |r| r.get(0))?;
    let since = now - ONLINE_WINDOW_SECS as i64;
    let mut online: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM presence WHERE last_seen > ?1")?
        .query_row([since], |r| r.get(0))?;
    if online_cap > 0 {
        let excess: i64 = conn
            .prepare_cached(
                "SELECT COALESCE(SUM(MAX(n - ?2, 0)), 0) FROM (
                     SELECT (SELECT COUNT(*) FROM presence AS p
                             WHERE p.network = c.network AND p.last_seen > ?1) AS n
                     FROM crowded_networks AS c)",
            )?
            .query_row(params![since, i64::from(online_cap)], |r| r.get(0))?;
        online -= excess;
    }
    Ok(Counters {
        total_visits: total as u64,
        online: online as u64,
    })
}

fn status_of(s: &str) -> CommentStatus {
    CommentStatus::parse(s).unwrap_or(CommentStatus::Pending)
}

impl Store for SqliteStore {
    fn rating(&self, article: &str, visitor: Option<&str>) -> StoreFuture<RatingResponse> {
        let (article, visitor) = (article.to_owned(), visitor.map(str::to_owned));
        self.run(move |c| rating_of(c, &article, visitor.as_deref()))
    }

    fn vote(
        &self,
        article: &str,
        visitor: &str,
        stars: u8,
        now: i64,
        quota: Option<Quota>,
    ) -> StoreFuture<VoteOutcome> {
        let (article, visitor) = (article.to_owned(), visitor.to_owned());
        self.run(move |c| {
            // IMMEDIATE: no other writer between the look for an existing vote,
            // the cap and the insert.
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(q) = &quota {
                let exists = tx
                    .prepare_cached("SELECT 1 FROM votes WHERE article_id = ?1 AND visitor = ?2")?
                    .query_row([&article, &visitor], |r| r.get::<_, i64>(0))
                    .optional()?
                    .is_some();
                if !exists && !take(&tx, q)? {
                    return Ok(VoteOutcome::CapReached);
                }
            }
            tx.prepare_cached(
                "INSERT INTO votes (article_id, visitor, stars, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (article_id, visitor) DO UPDATE
                 SET stars = excluded.stars, updated_at = excluded.updated_at",
            )?
            .execute(params![article, visitor, stars, now])?;
            let summary = rating_of(&tx, &article, Some(&visitor))?;
            tx.commit()?;
            Ok(VoteOutcome::Voted(summary))
        })
    }

    fn take_quota(&self, quota: Quota) -> StoreFuture<bool> {
        self.run(move |c| take(c, &quota))
    }

    fn insert_comment(
        &self,
        comment: CommentRecord,
        captcha: Option<CaptchaUse>,
    ) -> StoreFuture<InsertOutcome> {
        self.run(move |c| {
            // IMMEDIATE takes the write lock first, so between this check for the
            // key and the insert no other writer (connection or process) can
            // store the same key; the unique index backs it up.
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(parent) = comment.parent_id {
                let ok: Option<i64> = tx
                    .query_row(
                        "SELECT 1 FROM comments WHERE id = ?1 AND article_id = ?2
                         AND parent_id IS NULL AND status = 'published' AND deleted_at IS NULL",
                        params![parent as i64, comment.article_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if ok.is_none() {
                    return Ok(InsertOutcome::BadParent);
                }
            }
            if let Some(key) = &comment.client_key {
                let existing = tx
                    .prepare_cached(
                        "SELECT id, status, created_at, author, email, body, parent_id
                         FROM comments WHERE article_id = ?1 AND client_key = ?2",
                    )?
                    .query_row(params![comment.article_id, key], |r| {
                        Ok(KeyedComment {
                            id: r.get::<_, i64>(0)? as u64,
                            status: status_of(&r.get::<_, String>(1)?),
                            created_at: r.get(2)?,
                            author: r.get(3)?,
                            email: r.get(4)?,
                            body: r.get(5)?,
                            parent_id: r.get::<_, Option<i64>>(6)?.map(|p| p as u64),
                        })
                    })
                    .optional()?;
                if let Some(stored) = existing {
                    return Ok(stored.outcome(&comment));
                }
            }
            if let Some(captcha) = &captcha {
                let fresh = tx.execute(
                    "INSERT OR IGNORE INTO used_captchas (key, expires_at) VALUES (?1, ?2)",
                    params![captcha.key, captcha.expires_at],
                )?;
                if fresh == 0 {
                    return Ok(InsertOutcome::CaptchaReused);
                }
            }
            tx.execute(
                "INSERT INTO comments
                     (article_id, parent_id, author, email, body, status, created_at, client_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    comment.article_id,
                    comment.parent_id.map(|p| p as i64),
                    comment.author,
                    comment.email,
                    comment.body,
                    comment.status.as_str(),
                    comment.created_at,
                    comment.client_key
                ],
            )?;
            let id = tx.last_insert_rowid() as u64;
            tx.commit()?;
            Ok(InsertOutcome::Inserted(id))
        })
    }

    fn comments(&self, article: &str, query: CommentsQuery) -> StoreFuture<CommentsPage> {
        let article = article.to_owned();
        self.run(move |c| {
            // One read transaction: one snapshot for the clock and the pages.
            let tx = c.transaction()?;
            let limit = query.limit;
            let descending = query.sort != CommentSort::Oldest;
            // Where the page starts: `(score, created_at, id)`, the time
            // looked up for a cursor of before (which had none).
            let after = match query.after {
                None => None,
                Some(a) => {
                    let at = match a.created_at {
                        Some(at) => at,
                        None => tx
                            .prepare_cached(&legacy_anchor_sql(
                                "article_id = ?1 AND parent_id IS NULL",
                                "?2",
                                descending,
                            ))?
                            .query_row(params![article, clamp(a.id)], |r| {
                                r.get::<_, Option<i64>>(0)
                            })?
                            .unwrap_or(past_the_end(descending)),
                    };
                    Some((a.score, at, clamp(a.id)))
                }
            };
            let listed = "article_id = ?1 AND parent_id IS NULL AND status = 'published'
                AND (deleted_at IS NULL OR EXISTS (SELECT 1 FROM comments AS r
                     WHERE r.parent_id = c.id AND r.status = 'published'))";
            let mut snapshot = 0;
            let tops: Vec<Row> = match query.sort {
                CommentSort::Newest | CommentSort::Oldest => {
                    let (cmp, order, from) = match query.sort {
                        CommentSort::Oldest => (">", "ASC", (i64::MIN, i64::MIN)),
                        _ => ("<", "DESC", (i64::MAX, i64::MAX)),
                    };
                    let (at, id) = after.map_or(from, |(_, at, id)| (at, id));
                    tx.prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM comments AS c
                         WHERE {listed} AND (created_at, id) {cmp} (?2, ?3)
                         ORDER BY created_at {order}, id {order} LIMIT ?4"
                    ))?
                    .query_map(params![article, at, id, limit as i64 + 1], row)?
                    .collect::<Result<_, _>>()?
                }
                CommentSort::Liked => {
                    snapshot = match query.snapshot {
                        Some(s) => s,
                        None => tx
                            .prepare_cached("SELECT seq FROM like_clocks WHERE article_id = ?1")?
                            .query_row([&article], |r| r.get(0))
                            .optional()?
                            .unwrap_or(0),
                    };
                    let (score, at, id) = after.unwrap_or((i64::MAX, i64::MAX, i64::MAX));
                    // The score is the likes as of the snapshot: today's count kept with
                    // the comment (imported likes included, which have no rows), less
                    // the likes given since, plus those taken back since. A like changes
                    // `likes` and its row in one transaction, so the count less the
                    // active rows (the imported base) is the same in every page of a
                    // snapshot, and so is each comment's score.
                    tx.prepare_cached(&format!(
                        "SELECT {NAMES}, score FROM (
                             SELECT {COLUMNS}, c.likes + (
                                 SELECT COALESCE(SUM(CASE WHEN l.unliked_seq IS NULL THEN -1 ELSE 1 END), 0)
                                 FROM comment_likes AS l
                                 WHERE l.comment_id = c.id AND (
                                     (l.unliked_seq IS NULL AND l.liked_seq > ?2)
                                     OR (l.liked_seq <= ?2 AND l.unliked_seq > ?2))
                             ) AS score
                             FROM comments AS c WHERE {listed}
                         ) WHERE score < ?3 OR (score = ?3 AND (created_at, id) < (?4, ?5))
                         ORDER BY score DESC, created_at DESC, id DESC LIMIT ?6"
                    ))?
                    .query_map(
                        params![article, snapshot, score, at, id, limit as i64 + 1],
                        |r| {
                            let mut top = row(r)?;
                            top.score = r.get(8)?;
                            Ok(top)
                        },
                    )?
                    .collect::<Result<_, _>>()?
                }
            };
            let mut replies = Vec::new();
            if !tops.is_empty() {
                let ids: Vec<i64> = tops.iter().take(limit).map(|c| c.id as i64).collect();
                let sql = format!(
                    "SELECT {NAMES}, n FROM (
                         SELECT {COLUMNS},
                                ROW_NUMBER() OVER (
                                    PARTITION BY parent_id ORDER BY created_at, id
                                ) AS rn,
                                COUNT(*) OVER (PARTITION BY parent_id) AS n
                         FROM comments WHERE parent_id IN ({}) AND status = 'published'
                     ) WHERE rn <= {REPLIES_INLINE_MAX} ORDER BY created_at ASC, id ASC",
                    marks(1, ids.len())
                );
                let mut stmt = tx.prepare(&sql)?;
                let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
                    Ok((row(r)?, r.get::<_, i64>(8)? as u64))
                })?;
                for r in rows {
                    replies.push(r?);
                }
            }
            Ok(paging::comment_page(tops, limit, replies, snapshot))
        })
    }

    fn replies(
        &self,
        article: &str,
        parent: u64,
        after: Option<u64>,
        limit: usize,
    ) -> StoreFuture<Option<CommentPage>> {
        let article = article.to_owned();
        self.run(move |c| {
            let tx = c.transaction()?;
            let parent = parent.min(i64::MAX as u64) as i64;
            let exists: Option<i64> = tx
                .prepare_cached(
                    "SELECT 1 FROM comments WHERE id = ?1 AND article_id = ?2
                     AND parent_id IS NULL AND status = 'published'",
                )?
                .query_row(params![parent, article], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Ok(None);
            }
            let (at, id) = match after {
                None => (i64::MIN, i64::MIN),
                Some(a) => {
                    let at = tx
                        .prepare_cached(&legacy_anchor_sql("parent_id = ?1", "?2", false))?
                        .query_row(params![parent, clamp(a)], |r| r.get::<_, Option<i64>>(0))?
                        .unwrap_or(past_the_end(false));
                    (at, clamp(a))
                }
            };
            let rows: Vec<Row> = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM comments
                     WHERE parent_id = ?1 AND status = 'published' AND (created_at, id) > (?2, ?3)
                     ORDER BY created_at ASC, id ASC LIMIT ?4"
                ))?
                .query_map(params![parent, at, id, limit as i64 + 1], row)?
                .collect::<Result<_, _>>()?;
            Ok(Some(paging::reply_page(rows, limit)))
        })
    }

    fn admin_comments(
        &self,
        status: Option<CommentStatus>,
        after: Option<u64>,
        limit: usize,
    ) -> StoreFuture<AdminCommentList> {
        self.run(move |c| {
            let items: Vec<AdminComment> = c
                .prepare_cached(
                    "SELECT id, article_id, parent_id, author, body, created_at, status
                     FROM comments WHERE (?1 IS NULL OR status = ?1) AND id > ?2
                     ORDER BY id ASC LIMIT ?3",
                )?
                .query_map(
                    params![
                        status.map(CommentStatus::as_str),
                        after.map_or(0, |a| a.min(i64::MAX as u64) as i64),
                        limit as i64 + 1
                    ],
                    |r| {
                        Ok(AdminComment {
                            id: r.get::<_, i64>(0)? as u64,
                            article_id: r.get(1)?,
                            parent_id: r.get::<_, Option<i64>>(2)?.map(|p| p as u64),
                            author: r.get(3)?,
                            body: r.get(4)?,
                            created_at: Timestamp::from_unix_seconds(r.get(5)?),
                            status: status_of(&r.get::<_, String>(6)?),
                        })
                    },
                )?
                .collect::<Result<_, _>>()?;
            let (items, next) = paging::cut(items, limit, |c| c.id);
            Ok(AdminCommentList { items, next })
        })
    }

    fn approve_comment(&self, id: u64) -> StoreFuture<bool> {
        self.run(move |c| {
            let n = c.execute(
                "UPDATE comments SET status = 'published' WHERE id = ?1",
                [id.min(i64::MAX as u64) as i64],
            )?;
            Ok(n > 0)
        })
    }

    fn delete_comment(&self, id: u64) -> StoreFuture<bool> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let parent: Option<Option<i64>> = tx
                .query_row(
                    "SELECT parent_id FROM comments WHERE id = ?1",
                    [clamp(id)],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(parent) = parent else {
                return Ok(false);
            };
            tx.execute("DELETE FROM comments WHERE id = ?1", [clamp(id)])?;
            drop_empty_placeholder(&tx, parent)?;
            tx.commit()?;
            Ok(true)
        })
    }

    /// One transaction, one commit (one disk flush with `synchronous =
    /// FULL`), a new credential's issue quota included.
    fn record_visit(&self, v: VisitRecord) -> StoreFuture<Option<VisitCounts>> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(q) = &v.issue {
                if !take(&tx, q)? {
                    return Ok(None);
                }
            }
            let new = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO visit_sessions (visitor, session, article_id, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                )?
                .execute(params![v.visitor, v.session, v.article, v.now])?;
            if new == 1 {
                let counted = match &v.quota {
                    Some(q) => take(&tx, q)?,
                    None => true,
                };
                if counted {
                    tx.prepare_cached(
                        "UPDATE counters SET value = value + 1 WHERE name = 'total_visits'",
                    )?
                    .execute([])?;
                }
            } else {
                tx.prepare_cached(
                    "UPDATE visit_sessions SET last_seen = ?3 WHERE visitor = ?1 AND session = ?2",
                )?
                .execute(params![v.visitor, v.session, v.now])?;
            }
            tx.prepare_cached(
                "INSERT INTO presence (visitor, last_seen, network) VALUES (?1, ?2, ?3)
                 ON CONFLICT (visitor) DO UPDATE
                 SET last_seen = MAX(last_seen, excluded.last_seen), network = excluded.network",
            )?
            .execute(params![v.visitor, v.now, v.network])?;
            if v.online_cap > 0 {
                let since = v.now - ONLINE_WINDOW_SECS as i64;
                note_crowding(&tx, &v.network, since, v.online_cap)?;
            }
            let views = match &v.article {
                None => None,
                Some(article) => {
                    let fresh = tx
                        .prepare_cached(
                            "INSERT OR IGNORE INTO view_sessions (visitor, session, article_id, last_seen)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![v.visitor, v.session, article, v.now])?
                        == 1;
                    if !fresh {
                        tx.prepare_cached(
                            "UPDATE view_sessions SET last_seen = MAX(last_seen, ?4)
                             WHERE visitor = ?1 AND session = ?2 AND article_id = ?3",
                        )?
                        .execute(params![v.visitor, v.session, article, v.now])?;
                    }
                    let counted = fresh
                        && match &v.view_quota {
                            Some(q) => take(&tx, q)?,
                            None => true,
                        };
                    if counted {
                        tx.prepare_cached(
                            "INSERT INTO article_views (article_id, shard, views) VALUES (?1, 0, 1)
                             ON CONFLICT (article_id, shard) DO UPDATE SET views = views + 1",
                        )?
                        .execute([article])?;
                    }
                    Some(views_of(&tx, article)?)
                }
            };
            let counters = counters(&tx, v.now, v.online_cap)?;
            tx.commit()?;
            Ok(Some(VisitCounts { counters, views }))
        })
    }

    fn stats(&self, now: i64, online_cap: u32) -> StoreFuture<Counters> {
        self.run(move |c| counters(c, now, online_cap))
    }

    fn secret(&self, name: &str, generated: Vec<u8>) -> StoreFuture<Vec<u8>> {
        let name = name.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO settings (name, value) VALUES (?1, ?2)",
                params![name, generated],
            )?;
            c.query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
        })
    }

    fn purge(&self, now: i64) -> StoreFuture<()> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM used_captchas WHERE expires_at < ?1", [now])?;
            tx.execute(
                "DELETE FROM visit_sessions WHERE last_seen < ?1",
                [now - SESSION_IDLE_SECS],
            )?;
            tx.execute(
                "DELETE FROM presence WHERE last_seen <= ?1",
                [now - ONLINE_WINDOW_SECS as i64],
            )?;
            tx.execute(
                "DELETE FROM crowded_networks WHERE NOT EXISTS (
                     SELECT 1 FROM presence AS p WHERE p.network = crowded_networks.network)",
                [],
            )?;
            tx.execute(
                "DELETE FROM quotas WHERE day < ?1",
                [crate::visitor::day_of(now)],
            )?;
            tx.execute(
                "DELETE FROM view_sessions WHERE last_seen < ?1",
                [now - SESSION_IDLE_SECS],
            )?;
            tx.execute(
                "DELETE FROM comment_likes WHERE removed_at IS NOT NULL AND removed_at < ?1",
                [now - UNLIKED_KEPT_SECS],
            )?;
            tx.commit()
        })
    }

    /// IMMEDIATE: no other writer between the look at the comment and the
    /// like, the cap and the clock; the clock's sequence is the commit order.
    fn like(&self, l: LikeRecord) -> StoreFuture<LikeOutcome> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = clamp(l.comment);
            let likes: Option<i64> = tx
                .prepare_cached(
                    "SELECT likes FROM comments WHERE id = ?1 AND article_id = ?2
                     AND status = 'published' AND deleted_at IS NULL
                     AND (parent_id IS NULL OR EXISTS (SELECT 1 FROM comments AS parent
                          WHERE parent.id = comments.parent_id AND parent.status = 'published'))",
                )?
                .query_row(params![id, l.article], |r| r.get(0))
                .optional()?;
            let Some(likes) = likes else {
                return Ok(LikeOutcome::NotFound);
            };
            let active = tx
                .prepare_cached(
                    "SELECT 1 FROM comment_likes
                     WHERE comment_id = ?1 AND visitor = ?2 AND unliked_seq IS NULL",
                )?
                .query_row(params![id, l.visitor], |r| r.get::<_, i64>(0))
                .optional()?
                .is_some();
            if active == l.like {
                return Ok(LikeOutcome::Done {
                    likes: likes.max(0) as u64,
                    liked: active,
                });
            }
            if l.like {
                if let Some(q) = &l.quota {
                    if !take(&tx, q)? {
                        return Ok(LikeOutcome::CapReached);
                    }
                }
            }
            let seq: i64 = tx
                .prepare_cached(
                    "INSERT INTO like_clocks (article_id, seq) VALUES (?1, 1)
                     ON CONFLICT (article_id) DO UPDATE SET seq = seq + 1 RETURNING seq",
                )?
                .query_row([&l.article], |r| r.get(0))?;
            if l.like {
                tx.prepare_cached(
                    "INSERT INTO comment_likes (comment_id, visitor, liked_seq, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, l.visitor, seq, l.now])?;
            } else {
                tx.prepare_cached(
                    "UPDATE comment_likes SET unliked_seq = ?3, removed_at = ?4
                     WHERE comment_id = ?1 AND visitor = ?2 AND unliked_seq IS NULL",
                )?
                .execute(params![id, l.visitor, seq, l.now])?;
            }
            let likes: i64 = tx
                .prepare_cached(
                    "UPDATE comments SET likes = likes + ?2 WHERE id = ?1 RETURNING likes",
                )?
                .query_row(params![id, if l.like { 1 } else { -1 }], |r| r.get(0))?;
            tx.commit()?;
            Ok(LikeOutcome::Done {
                likes: likes.max(0) as u64,
                liked: l.like,
            })
        })
    }

    fn counts(&self, ids: Vec<String>) -> StoreFuture<CountsResponse> {
        self.run(move |c| {
            let tx = c.transaction()?;
            let mut out: CountsResponse = ids
                .iter()
                .map(|id| (id.clone(), ArticleCounts::default()))
                .collect();
            let list = marks(1, ids.len());
            each_row(
                &tx,
                &format!(
                    "SELECT article_id, COUNT(*) FROM comments
                     WHERE article_id IN ({list}) AND status = 'published' AND deleted_at IS NULL
                     AND (parent_id IS NULL OR EXISTS (SELECT 1 FROM comments AS parent
                          WHERE parent.id = comments.parent_id AND parent.status = 'published'))
                     GROUP BY article_id"
                ),
                &ids,
                |id, r| {
                    if let Some(a) = out.get_mut(id) {
                        a.comments = r.get::<_, i64>(1)?.max(0) as u64;
                    }
                    Ok(())
                },
            )?;
            each_row(
                &tx,
                &format!(
                    "SELECT article_id, n1, n2, n3, n4, n5 FROM rating_summary
                     WHERE article_id IN ({list})"
                ),
                &ids,
                |id, r| {
                    if let Some(a) = out.get_mut(id) {
                        let mut d = [0u64; 5];
                        for (i, n) in d.iter_mut().enumerate() {
                            *n = r.get::<_, i64>(i + 1)?.max(0) as u64;
                        }
                        let summary = RatingResponse::from_distribution(d, None);
                        a.rating = RatingSummary {
                            count: summary.count,
                            average: summary.average,
                        };
                    }
                    Ok(())
                },
            )?;
            for sql in [
                format!(
                    "SELECT article_id, SUM(views) FROM article_views
                     WHERE article_id IN ({list}) GROUP BY article_id"
                ),
                format!(
                    "SELECT subject, MIN(value, 9007199254740991) FROM count_offsets
                     WHERE kind = 'article_views' AND subject IN ({list})"
                ),
            ] {
                each_row(&tx, &sql, &ids, |id, r| {
                    if let Some(a) = out.get_mut(id) {
                        a.views = a.views.saturating_add(r.get::<_, i64>(1)?.max(0) as u64);
                    }
                    Ok(())
                })?;
            }
            tx.commit()?;
            Ok(out)
        })
    }

    fn comment_meta(&self, article: &str, id: u64) -> StoreFuture<Option<CommentMeta>> {
        let article = article.to_owned();
        self.run(move |c| {
            c.prepare_cached(
                "SELECT id, created_at, status FROM comments
                 WHERE id = ?1 AND article_id = ?2 AND deleted_at IS NULL",
            )?
            .query_row(params![clamp(id), article], |r| {
                Ok(CommentMeta {
                    id: r.get::<_, i64>(0)? as u64,
                    created_at: r.get(1)?,
                    status: status_of(&r.get::<_, String>(2)?),
                })
            })
            .optional()
        })
    }

    fn edit_comment(
        &self,
        article: &str,
        id: u64,
        body: String,
        status: CommentStatus,
        now: i64,
    ) -> StoreFuture<bool> {
        let article = article.to_owned();
        self.run(move |c| {
            let n = c
                .prepare_cached(
                    "UPDATE comments SET body = ?3, status = ?4, edited_at = ?5
                     WHERE id = ?1 AND article_id = ?2 AND deleted_at IS NULL",
                )?
                .execute(params![clamp(id), article, body, status.as_str(), now])?;
            Ok(n > 0)
        })
    }

    fn delete_own_comment(&self, article: &str, id: u64, now: i64) -> StoreFuture<DeleteOutcome> {
        let article = article.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = clamp(id);
            let parent: Option<Option<i64>> = tx
                .query_row(
                    "SELECT parent_id FROM comments
                     WHERE id = ?1 AND article_id = ?2 AND deleted_at IS NULL",
                    params![id, article],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(parent) = parent else {
                return Ok(DeleteOutcome::NotFound);
            };
            let has_replies = tx
                .query_row(
                    "SELECT 1 FROM comments WHERE parent_id = ?1 LIMIT 1",
                    [id],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?
                .is_some();
            let outcome = if has_replies {
                tx.execute(
                    "UPDATE comments SET author = '', body = '', email = NULL, client_key = NULL,
                         edited_at = NULL, deleted_at = ?2
                     WHERE id = ?1",
                    params![id, now],
                )?;
                DeleteOutcome::Placeholder
            } else {
                tx.execute("DELETE FROM comments WHERE id = ?1", [id])?;
                drop_empty_placeholder(&tx, parent)?;
                DeleteOutcome::Removed
            };
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn set_offset(&self, kind: OffsetKind, value: u64) -> StoreFuture<()> {
        self.run(move |c| {
            let (kind, subject) = kind.key();
            if value == 0 {
                c.execute(
                    "DELETE FROM count_offsets WHERE kind = ?1 AND subject = ?2",
                    params![kind, subject],
                )?;
            } else {
                c.execute(
                    "INSERT INTO count_offsets (kind, subject, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (kind, subject) DO UPDATE SET value = excluded.value",
                    params![kind, subject, clamp(value)],
                )?;
            }
            Ok(())
        })
    }

    fn offsets(&self) -> StoreFuture<Offsets> {
        self.run(|c| {
            let mut out = Offsets::default();
            let mut stmt =
                c.prepare("SELECT kind, subject, value FROM count_offsets ORDER BY kind, subject")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (kind, subject, value): (String, String, i64) =
                    (r.get(0)?, r.get(1)?, r.get(2)?);
                let value = offset::bounded(value);
                match kind.as_str() {
                    offset::SITE_VISITS => out.site_visits = value,
                    offset::ARTICLE_VIEWS => out.article_views.push((subject, value)),
                    _ => {}
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(article: &str, parent: Option<u64>) -> CommentRecord {
        CommentRecord {
            article_id: article.into(),
            parent_id: parent,
            author: "An".into(),
            email: Some("an@example.vn".into()),
            body: "Hay".into(),
            status: CommentStatus::Published,
            created_at: 1_700_000_000,
            client_key: None,
        }
    }

    #[tokio::test]
    async fn migrates_once_and_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let s = SqliteStore::open(&path).unwrap();
        s.vote("a", "v1", 4, 1, None).await.unwrap();
        drop(s);
        let s = SqliteStore::open(&path).unwrap();
        let r = s.rating("a", Some("v1")).await.unwrap();
        assert_eq!((r.count, r.your_vote), (1, Some(4)));
        let c = Connection::open(&path).unwrap();
        let v: i64 = c
            .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    /// The pages of both time orders and of replies are read in order from
    /// an index (no sort of the article's comments), as migration 8 made it.
    #[test]
    fn the_time_orders_are_read_from_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        drop(SqliteStore::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        let plan = |sql: &str| -> String {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows = st.query_map([], |r| r.get::<_, String>(3)).unwrap();
            rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
        };
        for order in ["DESC", "ASC"] {
            let cmp = if order == "DESC" { "<" } else { ">" };
            let p = plan(&format!(
                "SELECT {COLUMNS} FROM comments AS c WHERE article_id = 'a' AND parent_id IS NULL
                 AND status = 'published' AND (created_at, id) {cmp} (5, 5)
                 ORDER BY created_at {order}, id {order} LIMIT 21"
            ));
            assert!(p.contains("comments_top_by_time"), "{p}");
            assert!(!p.contains("TEMP B-TREE"), "{p}");
        }
        let p = plan(&format!(
            "SELECT {COLUMNS} FROM comments WHERE parent_id = 1 AND status = 'published'
             AND (created_at, id) > (5, 5) ORDER BY created_at ASC, id ASC LIMIT 21"
        ));
        assert!(p.contains("comments_by_parent_time"), "{p}");
        assert!(!p.contains("TEMP B-TREE"), "{p}");
    }

    #[tokio::test]
    async fn replies_nest_and_delete_cascades() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let InsertOutcome::Inserted(top) = s.insert_comment(record("a", None), None).await.unwrap()
        else {
            panic!()
        };
        let InsertOutcome::Inserted(reply) = s
            .insert_comment(record("a", Some(top)), None)
            .await
            .unwrap()
        else {
            panic!()
        };
        // No replies to replies, nor across articles.
        assert_eq!(
            s.insert_comment(record("a", Some(reply)), None)
                .await
                .unwrap(),
            InsertOutcome::BadParent
        );
        assert_eq!(
            s.insert_comment(record("b", Some(top)), None)
                .await
                .unwrap(),
            InsertOutcome::BadParent
        );
        let page = s
            .comments(
                "a",
                CommentsQuery {
                    sort: CommentSort::Newest,
                    snapshot: None,
                    after: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].replies[0].id, reply);
        assert_eq!(page.items[0].reply_count, 1);
        assert!(s.delete_comment(top).await.unwrap());
        assert!(!s.delete_comment(reply).await.unwrap());
        let use_ = CaptchaUse {
            key: "sig".into(),
            expires_at: 10,
        };
        assert!(matches!(
            s.insert_comment(record("a", None), Some(use_.clone()))
                .await
                .unwrap(),
            InsertOutcome::Inserted(_)
        ));
        assert_eq!(
            s.insert_comment(record("a", None), Some(use_.clone()))
                .await
                .unwrap(),
            InsertOutcome::CaptchaReused
        );
        s.purge(11).await.unwrap();
        assert!(matches!(
            s.insert_comment(record("a", None), Some(use_))
                .await
                .unwrap(),
            InsertOutcome::Inserted(_)
        ));
    }
}
