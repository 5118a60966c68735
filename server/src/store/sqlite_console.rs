//! [`ConsoleStore`] on SQLite.

use super::{clamp, row, SqliteStore};
use crate::store::console::*;
use crate::store::paging::COLUMNS;
use crate::store::StoreFuture;
use bantin_protocol::admin::{AuditEntry, Ban, Delivery, Keywords, QueueItem, Role};
use bantin_protocol::api::Comment;
use bantin_protocol::Timestamp;
use rusqlite::{params, params_from_iter, OptionalExtension, TransactionBehavior};

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        name: r.get(0)?,
        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Moderator),
        email: r.get(2)?,
        password_hash: r.get(3)?,
        created_at: r.get(4)?,
    })
}

fn ban_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Ban> {
    Ok(Ban {
        id: r.get::<_, i64>(0)? as u64,
        kind: ban_kind_of(&r.get::<_, String>(1)?),
        value: r.get(2)?,
        reason: r.get(3)?,
        created_by: r.get(4)?,
        created_at: Timestamp::from_unix_seconds(r.get(5)?),
        expires_at: r
            .get::<_, Option<i64>>(6)?
            .map(Timestamp::from_unix_seconds),
    })
}

fn to_sql(p: &Param) -> rusqlite::types::Value {
    match p {
        Param::Text(s) => rusqlite::types::Value::Text(s.clone()),
        Param::Int(n) => rusqlite::types::Value::Integer(*n),
    }
}

const BAN_COLUMNS: &str = "id, kind, value, reason, created_by, created_at, expires_at";

impl ConsoleStore for SqliteStore {
    fn add_account(&self, a: AccountRow) -> StoreFuture<bool> {
        self.run(move |c| {
            let n = c.execute(
                "INSERT OR IGNORE INTO accounts (name, role, email, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    a.name,
                    a.role.as_str(),
                    a.email,
                    a.password_hash,
                    a.created_at
                ],
            )?;
            Ok(n > 0)
        })
    }

    fn accounts(&self) -> StoreFuture<Vec<AccountRow>> {
        self.run(|c| {
            c.prepare(
                "SELECT name, role, email, password_hash, created_at FROM accounts ORDER BY name",
            )?
            .query_map([], account_row)?
            .collect()
        })
    }

    fn account(&self, name: &str) -> StoreFuture<Option<AccountRow>> {
        let name = name.to_owned();
        self.run(move |c| {
            c.query_row(
                "SELECT name, role, email, password_hash, created_at FROM accounts WHERE name = ?1",
                [name],
                account_row,
            )
            .optional()
        })
    }

    fn remove_account(&self, name: &str) -> StoreFuture<bool> {
        let name = name.to_owned();
        self.run(move |c| Ok(c.execute("DELETE FROM accounts WHERE name = ?1", [name])? > 0))
    }

    fn set_password(&self, name: &str, hash: String) -> StoreFuture<bool> {
        let name = name.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "UPDATE accounts SET password_hash = ?2 WHERE name = ?1",
                params![name, hash],
            )?;
            tx.execute("DELETE FROM editor_sessions WHERE account = ?1", [&name])?;
            tx.commit()?;
            Ok(n > 0)
        })
    }

    fn create_session(
        &self,
        id_hash: String,
        account: String,
        csrf: String,
        now: i64,
    ) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO editor_sessions (id_hash, account, csrf, created_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id_hash, account, csrf, now],
            )?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str) -> StoreFuture<Option<SessionRow>> {
        let id_hash = id_hash.to_owned();
        self.run(move |c| {
            c.query_row(
                "SELECT s.account, a.role, s.csrf, s.created_at, s.last_seen
                 FROM editor_sessions s JOIN accounts a ON a.name = s.account
                 WHERE s.id_hash = ?1",
                [id_hash],
                |r| {
                    Ok(SessionRow {
                        account: r.get(0)?,
                        role: Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Moderator),
                        csrf: r.get(2)?,
                        created_at: r.get(3)?,
                        last_seen: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    fn touch_session(&self, id_hash: &str, now: i64) -> StoreFuture<()> {
        let id_hash = id_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE editor_sessions SET last_seen = ?2 WHERE id_hash = ?1",
                params![id_hash, now],
            )?;
            Ok(())
        })
    }

    fn delete_session(&self, id_hash: &str) -> StoreFuture<()> {
        let id_hash = id_hash.to_owned();
        self.run(move |c| {
            c.execute("DELETE FROM editor_sessions WHERE id_hash = ?1", [id_hash])?;
            Ok(())
        })
    }

    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "DELETE FROM editor_sessions WHERE last_seen < ?1 OR created_at < ?2",
                params![idle_before, created_before],
            )?;
            Ok(())
        })
    }

    fn annotate(&self, id: u64, a: Annotation) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "UPDATE comments SET hold = ?2, visitor = COALESCE(visitor, ?3),
                     network = COALESCE(network, ?4), official = ?5, folded = ?6,
                     has_link = ?7, has_phone = ?8
                 WHERE id = ?1",
                params![
                    clamp(id),
                    a.hold.map(hold_str),
                    a.visitor,
                    a.network,
                    a.official as i64,
                    a.folded,
                    a.has_link as i64,
                    a.has_phone as i64
                ],
            )?;
            Ok(())
        })
    }

    fn unfolded(&self, limit: usize) -> StoreFuture<Vec<(u64, String, String)>> {
        self.run(move |c| {
            c.prepare("SELECT id, author, body FROM comments WHERE folded IS NULL LIMIT ?1")?
                .query_map([limit as i64], |r| {
                    Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
                })?
                .collect()
        })
    }

    fn set_folded(
        &self,
        id: u64,
        folded: String,
        has_link: bool,
        has_phone: bool,
    ) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "UPDATE comments SET folded = ?2, has_link = ?3, has_phone = ?4 WHERE id = ?1",
                params![clamp(id), folded, has_link as i64, has_phone as i64],
            )?;
            Ok(())
        })
    }

    fn queue(&self, q: QueueQuery) -> StoreFuture<(Vec<QueueItem>, u64)> {
        self.run(move |c| {
            let (clause, mut binds) = queue_where(&q, |i| format!("?{i}"));
            let total: i64 = c.query_row(
                &format!("SELECT COUNT(*) FROM comments WHERE {clause}"),
                params_from_iter(binds.iter().map(to_sql)),
                |r| r.get(0),
            )?;
            binds.push(Param::Int(q.after.map_or(0, clamp)));
            let after = binds.len();
            binds.push(Param::Int(q.limit as i64 + 1));
            let sql = format!(
                "SELECT {QUEUE_COLUMNS} FROM comments WHERE {clause} AND id > ?{after}
                 ORDER BY id ASC LIMIT ?{}",
                after + 1
            );
            let items = c
                .prepare(&sql)?
                .query_map(params_from_iter(binds.iter().map(to_sql)), |r| {
                    Ok(QueueItem::from(QueueItemRow {
                        id: r.get(0)?,
                        article_id: r.get(1)?,
                        parent_id: r.get(2)?,
                        author: r.get(3)?,
                        body: r.get(4)?,
                        created_at: r.get(5)?,
                        status: r.get(6)?,
                        rejected: r.get(7)?,
                        hold: r.get(8)?,
                        reports: r.get(9)?,
                        first_report_at: r.get(10)?,
                        has_link: r.get(11)?,
                        has_phone: r.get(12)?,
                        official: r.get(13)?,
                        visitor: r.get(14)?,
                        network: r.get(15)?,
                        pinned: r.get(16)?,
                    }))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((items, total.max(0) as u64))
        })
    }

    fn approve(&self, id: u64) -> StoreFuture<bool> {
        self.run(move |c| {
            Ok(c.execute(
                "UPDATE comments SET status = 'published', hold = NULL, rejected_at = NULL,
                     reports_cleared = reports
                 WHERE id = ?1 AND deleted_at IS NULL",
                [clamp(id)],
            )? > 0)
        })
    }

    fn reject(&self, id: u64, now: i64) -> StoreFuture<bool> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "UPDATE comments SET status = 'pending', hold = NULL, rejected_at = ?2
                 WHERE id = ?1 AND deleted_at IS NULL",
                params![clamp(id), now],
            )?;
            tx.execute("DELETE FROM pins WHERE comment_id = ?1", [clamp(id)])?;
            tx.commit()?;
            Ok(n > 0)
        })
    }

    fn comment_origin(&self, id: u64) -> StoreFuture<Option<CommentOrigin>> {
        self.run(move |c| {
            c.query_row(
                "SELECT article_id, parent_id, status = 'published', visitor, network
                 FROM comments WHERE id = ?1 AND deleted_at IS NULL",
                [clamp(id)],
                |r| {
                    Ok(CommentOrigin {
                        article_id: r.get(0)?,
                        parent_id: r.get::<_, Option<i64>>(1)?.map(|p| p as u64),
                        published: r.get(2)?,
                        visitor: r.get(3)?,
                        network: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    fn published_by(&self, visitor: &str) -> StoreFuture<u64> {
        let visitor = visitor.to_owned();
        self.run(move |c| {
            let n: i64 = c.query_row(
                "SELECT COUNT(*) FROM comments
                 WHERE visitor = ?1 AND status = 'published' AND official = 0",
                [visitor],
                |r| r.get(0),
            )?;
            Ok(n.max(0) as u64)
        })
    }

    fn officials(&self, ids: Vec<u64>) -> StoreFuture<Vec<u64>> {
        self.run(move |c| {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let list = ids
                .iter()
                .map(|i| clamp(*i).to_string())
                .collect::<Vec<_>>()
                .join(",");
            c.prepare(&format!(
                "SELECT id FROM comments WHERE official <> 0 AND id IN ({list})"
            ))?
            .query_map([], |r| Ok(r.get::<_, i64>(0)? as u64))?
            .collect()
        })
    }

    fn set_pin(&self, article: &str, comment: Option<u64>) -> StoreFuture<()> {
        let article = article.to_owned();
        self.run(move |c| {
            match comment {
                Some(id) => c.execute(
                    "INSERT INTO pins (article_id, comment_id) VALUES (?1, ?2)
                     ON CONFLICT (article_id) DO UPDATE SET comment_id = excluded.comment_id",
                    params![article, clamp(id)],
                )?,
                None => c.execute("DELETE FROM pins WHERE article_id = ?1", [article])?,
            };
            Ok(())
        })
    }

    fn pinned(&self, article: &str) -> StoreFuture<Option<(Comment, u64)>> {
        let article = article.to_owned();
        self.run(move |c| {
            let found = c
                .query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM comments
                         WHERE id = (SELECT comment_id FROM pins WHERE article_id = ?1)
                         AND article_id = ?1 AND parent_id IS NULL AND status = 'published'
                         AND deleted_at IS NULL"
                    ),
                    [&article],
                    row,
                )
                .optional()?;
            let Some(r) = found else {
                return Ok(None);
            };
            let replies: i64 = c.query_row(
                "SELECT COUNT(*) FROM comments WHERE parent_id = ?1 AND status = 'published'",
                [r.id as i64],
                |x| x.get(0),
            )?;
            Ok(Some((Comment::from(r), replies.max(0) as u64)))
        })
    }

    fn add_ban(&self, b: NewBanRow) -> StoreFuture<u64> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO bans (kind, value, reason, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    ban_kind_str(b.kind),
                    b.value,
                    b.reason,
                    b.created_by,
                    b.created_at,
                    b.expires_at
                ],
            )?;
            Ok(c.last_insert_rowid() as u64)
        })
    }

    fn bans(&self, now: i64) -> StoreFuture<Vec<Ban>> {
        self.run(move |c| {
            c.prepare(&format!(
                "SELECT {BAN_COLUMNS} FROM bans WHERE expires_at IS NULL OR expires_at > ?1
                 ORDER BY id DESC"
            ))?
            .query_map([now], ban_row)?
            .collect()
        })
    }

    fn remove_ban(&self, id: u64) -> StoreFuture<bool> {
        self.run(move |c| Ok(c.execute("DELETE FROM bans WHERE id = ?1", [clamp(id)])? > 0))
    }

    fn ban_on(
        &self,
        visitor: Option<String>,
        network: String,
        now: i64,
    ) -> StoreFuture<Option<Ban>> {
        self.run(move |c| {
            c.query_row(
                &format!(
                    "SELECT {BAN_COLUMNS} FROM bans
                     WHERE ((kind = 'visitor' AND value = ?1) OR (kind = 'network' AND value = ?2))
                     AND (expires_at IS NULL OR expires_at > ?3)
                     ORDER BY id DESC LIMIT 1"
                ),
                params![visitor, network, now],
                ban_row,
            )
            .optional()
        })
    }

    fn keywords(&self) -> StoreFuture<Keywords> {
        self.run(|c| {
            let mut k = Keywords::default();
            let mut st = c.prepare("SELECT list, word FROM keywords ORDER BY list, word")?;
            let rows =
                st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for r in rows {
                let (list, word) = r?;
                if list == "hold" {
                    k.hold.push(word);
                } else {
                    k.refuse.push(word);
                }
            }
            Ok(k)
        })
    }

    fn set_keywords(&self, k: Keywords) -> StoreFuture<()> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM keywords", [])?;
            for (list, words) in [("hold", &k.hold), ("refuse", &k.refuse)] {
                for w in words {
                    tx.execute(
                        "INSERT OR IGNORE INTO keywords (list, word) VALUES (?1, ?2)",
                        params![list, w],
                    )?;
                }
            }
            tx.commit()
        })
    }

    fn add_audit(
        &self,
        at: i64,
        who: String,
        action: String,
        target: String,
        detail: String,
    ) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO audit_log (at, who, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![at, who, action, target, detail],
            )?;
            Ok(())
        })
    }

    fn audit(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<AuditEntry>> {
        self.run(move |c| {
            c.prepare(
                "SELECT id, at, who, action, target, detail FROM audit_log
                 WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(params![before.map_or(i64::MAX, clamp), limit as i64], |r| {
                Ok(AuditEntry {
                    id: r.get::<_, i64>(0)? as u64,
                    at: Timestamp::from_unix_seconds(r.get(1)?),
                    who: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: r.get(5)?,
                })
            })?
            .collect()
        })
    }

    fn report(
        &self,
        article: &str,
        comment: u64,
        visitor: &str,
        network: &str,
        reason: String,
        now: i64,
        hide_after: u32,
    ) -> StoreFuture<ReportOutcome> {
        let article = article.to_owned();
        let visitor = visitor.to_owned();
        let network = network.to_owned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM comments WHERE id = ?1 AND article_id = ?2
                     AND status = 'published' AND deleted_at IS NULL
                     AND (parent_id IS NULL OR EXISTS (SELECT 1 FROM comments AS parent
                          WHERE parent.id = comments.parent_id AND parent.status = 'published'))",
                    params![clamp(comment), article],
                    |r| r.get(0),
                )
                .optional()?;
            if found.is_none() {
                return Ok(ReportOutcome::NotFound);
            }
            let fresh = tx.execute(
                "INSERT OR IGNORE INTO comment_reports
                     (comment_id, visitor, reason, created_at, network, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                         (SELECT reports + 1 FROM comments WHERE id = ?1))",
                params![clamp(comment), visitor, reason, now, network],
            )?;
            if fresh == 0 {
                return Ok(ReportOutcome::Again);
            }
            let (reports, cleared): (i64, i64) = tx.query_row(
                "UPDATE comments SET reports = reports + 1,
                     first_report_at = COALESCE(first_report_at, ?2)
                 WHERE id = ?1 RETURNING reports, reports_cleared",
                params![clamp(comment), now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // Networks, not credentials: several credentials of one network
            // count once toward hiding (a report without a network, stored
            // before they were recorded, counts as one of its own).
            let networks: i64 = tx.query_row(
                "SELECT COUNT(DISTINCT COALESCE(network, 'credential ' || visitor))
                 FROM comment_reports WHERE comment_id = ?1 AND seq > ?2",
                params![clamp(comment), cleared],
                |r| r.get(0),
            )?;
            let hidden = hide_after > 0 && networks >= i64::from(hide_after);
            if hidden {
                tx.execute(
                    "UPDATE comments SET status = 'pending', hold = 'reports' WHERE id = ?1",
                    [clamp(comment)],
                )?;
            }
            tx.commit()?;
            Ok(ReportOutcome::Reported {
                reports: reports.clamp(0, u32::MAX as i64) as u32,
                hidden,
            })
        })
    }

    fn enqueue_delivery(
        &self,
        channel: &'static str,
        event: String,
        payload: String,
        created_at: i64,
        next_at_ms: i64,
    ) -> StoreFuture<u64> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO deliveries (channel, event, payload, created_at, next_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![channel, event, payload, created_at, next_at_ms],
            )?;
            Ok(c.last_insert_rowid() as u64)
        })
    }

    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> StoreFuture<Vec<DeliveryRow>> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let rows: Vec<DeliveryRow> = tx
                .prepare(
                    "SELECT id, channel, event, payload, attempts FROM deliveries
                     WHERE state = 'pending' AND next_at <= ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map(params![now_ms, limit as i64], |r| {
                    Ok(DeliveryRow {
                        id: r.get::<_, i64>(0)? as u64,
                        channel: r.get(1)?,
                        event: r.get(2)?,
                        payload: r.get(3)?,
                        attempts: r.get::<_, i64>(4)?.clamp(0, u32::MAX as i64) as u32,
                    })
                })?
                .collect::<Result<_, _>>()?;
            for r in &rows {
                tx.execute(
                    "UPDATE deliveries SET next_at = ?2 WHERE id = ?1",
                    params![r.id as i64, now_ms + lease_ms],
                )?;
            }
            tx.commit()?;
            Ok(rows)
        })
    }

    fn finish_delivery(
        &self,
        id: u64,
        attempts: u32,
        state: &'static str,
        next_at_ms: i64,
        last_error: Option<String>,
    ) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "UPDATE deliveries SET attempts = ?2, state = ?3, next_at = ?4, last_error = ?5
                 WHERE id = ?1",
                params![clamp(id), attempts, state, next_at_ms, last_error],
            )?;
            Ok(())
        })
    }

    fn deliveries(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<Delivery>> {
        self.run(move |c| {
            c.prepare(
                "SELECT id, channel, event, created_at, attempts, state, last_error FROM deliveries
                 WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(params![before.map_or(i64::MAX, clamp), limit as i64], |r| {
                Ok(Delivery {
                    id: r.get::<_, i64>(0)? as u64,
                    channel: r.get(1)?,
                    event: r.get(2)?,
                    created_at: Timestamp::from_unix_seconds(r.get(3)?),
                    attempts: r.get::<_, i64>(4)?.clamp(0, u32::MAX as i64) as u32,
                    state: r.get(5)?,
                    last_error: r.get(6)?,
                })
            })?
            .collect()
        })
    }

    fn next_delivery_at(&self) -> StoreFuture<Option<i64>> {
        self.run(|c| {
            c.query_row(
                "SELECT MIN(next_at) FROM deliveries WHERE state = 'pending'",
                [],
                |r| r.get(0),
            )
        })
    }

    fn purge_deliveries(&self, before: i64) -> StoreFuture<()> {
        self.run(move |c| {
            c.execute(
                "DELETE FROM deliveries WHERE state <> 'pending' AND created_at < ?1",
                [before],
            )?;
            Ok(())
        })
    }

    fn alert_emails(&self) -> StoreFuture<Vec<String>> {
        self.run(|c| {
            c.prepare("SELECT email FROM accounts WHERE email IS NOT NULL ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect()
        })
    }

    fn export_comments(&self) -> StoreFuture<Vec<ExportComment>> {
        self.run(|c| {
            c.prepare(&format!(
                "SELECT {EXPORT_COLUMNS} FROM comments ORDER BY id"
            ))?
            .query_map([], export_row)?
            .collect()
        })
    }

    fn export_votes(&self) -> StoreFuture<Vec<ExportVote>> {
        self.run(|c| {
            c.prepare(
                "SELECT article_id, visitor, stars, updated_at FROM votes ORDER BY article_id, visitor",
            )?
            .query_map([], vote_row)?
            .collect()
        })
    }

    fn live_views(&self) -> StoreFuture<Vec<(String, u64)>> {
        self.run(|c| {
            c.prepare(
                "SELECT article_id, SUM(views) FROM article_views GROUP BY article_id ORDER BY article_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
            .collect()
        })
    }

    fn import(
        &self,
        comments: Vec<ExportComment>,
        votes: Vec<ExportVote>,
    ) -> StoreFuture<(u64, u64)> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ids = std::collections::HashMap::new();
            let mut n = 0;
            for x in parents_first(comments) {
                let parent = match x.parent_id {
                    None => None,
                    Some(p) => match ids.get(&p) {
                        Some(new) => Some(*new),
                        None => continue,
                    },
                };
                let rejected = x.status == "rejected";
                let status = if x.status == "published" { "published" } else { "pending" };
                tx.execute(
                    "INSERT INTO comments (article_id, parent_id, author, email, body, status,
                         created_at, edited_at, deleted_at, likes, official, hold, visitor, network,
                         reports, rejected_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                    params![
                        x.article_id,
                        parent,
                        x.author,
                        x.email,
                        x.body,
                        status,
                        x.created_at,
                        x.edited_at,
                        x.deleted_at,
                        x.likes,
                        x.official as i64,
                        x.hold,
                        x.visitor,
                        x.network,
                        x.reports,
                        rejected.then_some(x.created_at)
                    ],
                )?;
                ids.insert(x.id, tx.last_insert_rowid());
                n += 1;
            }
            let mut v = 0;
            for x in votes {
                v += tx.execute(
                    "INSERT INTO votes (article_id, visitor, stars, updated_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (article_id, visitor) DO UPDATE
                     SET stars = excluded.stars, updated_at = excluded.updated_at",
                    params![x.article_id, x.visitor, x.stars, x.updated_at],
                )? as u64;
            }
            tx.commit()?;
            Ok((n, v))
        })
    }

    fn reader_data(
        &self,
        email: Option<String>,
        visitor: Option<String>,
    ) -> StoreFuture<(Vec<ExportComment>, Vec<ExportVote>)> {
        self.run(move |c| {
            let comments = c
                .prepare(&format!(
                    "SELECT {EXPORT_COLUMNS} FROM comments
                     WHERE (?1 IS NOT NULL AND email = ?1) OR (?2 IS NOT NULL AND visitor = ?2)
                     ORDER BY id"
                ))?
                .query_map(params![email, visitor], export_row)?
                .collect::<Result<Vec<_>, _>>()?;
            let votes = c
                .prepare(
                    "SELECT article_id, visitor, stars, updated_at FROM votes
                     WHERE ?1 IS NOT NULL AND visitor = ?1 ORDER BY article_id",
                )?
                .query_map(params![visitor], vote_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((comments, votes))
        })
    }

    fn erase_reader(
        &self,
        email: Option<String>,
        visitor: Option<String>,
        now: i64,
    ) -> StoreFuture<Erased> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mine = "((?1 IS NOT NULL AND email = ?1) OR (?2 IS NOT NULL AND visitor = ?2))";
            let blanked = tx.execute(
                &format!(
                    "UPDATE comments SET author = '', body = '', email = NULL, visitor = NULL,
                         network = NULL, client_key = NULL, folded = '',
                         deleted_at = COALESCE(deleted_at, ?3)
                     WHERE {mine} AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)"
                ),
                params![email, visitor, now],
            )? as u64;
            let deleted = tx.execute(
                &format!("DELETE FROM comments WHERE {mine}"),
                params![email, visitor],
            )? as u64;
            let (mut ratings, mut reports, mut visits) = (0, 0, 0);
            if let Some(v) = &visitor {
                ratings = tx.execute("DELETE FROM votes WHERE visitor = ?1", [v])? as u64;
                reports = tx.execute("DELETE FROM comment_reports WHERE visitor = ?1", [v])? as u64;
                visits = tx.execute("DELETE FROM visit_sessions WHERE visitor = ?1", [v])? as u64;
                tx.execute("DELETE FROM view_sessions WHERE visitor = ?1", [v])?;
                tx.execute("DELETE FROM presence WHERE visitor = ?1", [v])?;
            }
            tx.commit()?;
            Ok(Erased {
                comments_deleted: deleted,
                comments_blanked: blanked,
                ratings,
                reports,
                visits,
            })
        })
    }
}

fn export_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportComment> {
    Ok(ExportComment {
        id: r.get::<_, i64>(0)? as u64,
        article_id: r.get(1)?,
        parent_id: r.get::<_, Option<i64>>(2)?.map(|p| p as u64),
        author: r.get(3)?,
        email: r.get(4)?,
        body: r.get(5)?,
        status: r.get(6)?,
        created_at: r.get(7)?,
        edited_at: r.get(8)?,
        deleted_at: r.get(9)?,
        likes: r.get(10)?,
        official: r.get::<_, i64>(11)? != 0,
        hold: r.get(12)?,
        visitor: r.get(13)?,
        network: r.get(14)?,
        reports: r.get(15)?,
    })
}

fn vote_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportVote> {
    Ok(ExportVote {
        article_id: r.get(0)?,
        visitor: r.get(1)?,
        stars: r.get(2)?,
        updated_at: r.get(3)?,
    })
}
