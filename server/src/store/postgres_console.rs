//! [`ConsoleStore`] on PostgreSQL.

use super::{clamp_id, params, refs, row, OwnedParams, PostgresStore};
use crate::store::console::*;
use crate::store::paging::COLUMNS;
use crate::store::StoreFuture;
use bantin_protocol::admin::{AuditEntry, Ban, Delivery, Keywords, QueueItem, Role};
use bantin_protocol::api::Comment;
use bantin_protocol::Timestamp;
use tokio_postgres::types::ToSql;

fn account_row(r: &tokio_postgres::Row) -> AccountRow {
    AccountRow {
        name: r.get(0),
        role: Role::parse(r.get(1)).unwrap_or(Role::Moderator),
        email: r.get(2),
        password_hash: r.get(3),
        created_at: r.get(4),
    }
}

fn ban_row(r: &tokio_postgres::Row) -> Ban {
    Ban {
        id: r.get::<_, i64>(0) as u64,
        kind: ban_kind_of(r.get(1)),
        value: r.get(2),
        reason: r.get(3),
        created_by: r.get(4),
        created_at: Timestamp::from_unix_seconds(r.get(5)),
        expires_at: r.get::<_, Option<i64>>(6).map(Timestamp::from_unix_seconds),
    }
}

fn boxed(p: &Param) -> Box<dyn ToSql + Sync + Send> {
    match p {
        Param::Text(s) => Box::new(s.clone()),
        Param::Int(n) => Box::new(*n),
    }
}

const BAN_COLUMNS: &str = "id, kind, value, reason, created_by, created_at, expires_at";

impl ConsoleStore for PostgresStore {
    fn add_account(&self, a: AccountRow) -> StoreFuture<bool> {
        self.execute(
            "INSERT INTO accounts (name, role, email, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
            params![
                a.name,
                a.role.as_str(),
                a.email,
                a.password_hash,
                a.created_at
            ],
            |n| n > 0,
        )
    }

    fn accounts(&self) -> StoreFuture<Vec<AccountRow>> {
        self.query(
            "SELECT name, role, email, password_hash, created_at FROM accounts ORDER BY name",
            params![],
            account_row,
        )
    }

    fn account(&self, name: &str) -> StoreFuture<Option<AccountRow>> {
        self.query_opt(
            "SELECT name, role, email, password_hash, created_at FROM accounts WHERE name = $1",
            params![name.to_owned()],
            account_row,
        )
    }

    fn remove_account(&self, name: &str) -> StoreFuture<bool> {
        self.execute(
            "DELETE FROM accounts WHERE name = $1",
            params![name.to_owned()],
            |n| n > 0,
        )
    }

    fn set_password(&self, name: &str, hash: String) -> StoreFuture<bool> {
        let pool = self.pool.clone();
        let name = name.to_owned();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let n = tx
                .execute(
                    "UPDATE accounts SET password_hash = $2 WHERE name = $1",
                    &[&name, &hash],
                )
                .await?;
            tx.execute("DELETE FROM editor_sessions WHERE account = $1", &[&name])
                .await?;
            tx.commit().await?;
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
        self.execute(
            "INSERT INTO editor_sessions (id_hash, account, csrf, created_at, last_seen)
             VALUES ($1, $2, $3, $4, $4)",
            params![id_hash, account, csrf, now],
            |_| (),
        )
    }

    fn session(&self, id_hash: &str) -> StoreFuture<Option<SessionRow>> {
        self.query_opt(
            "SELECT s.account, a.role, s.csrf, s.created_at, s.last_seen
             FROM editor_sessions s JOIN accounts a ON a.name = s.account
             WHERE s.id_hash = $1",
            params![id_hash.to_owned()],
            |r| SessionRow {
                account: r.get(0),
                role: Role::parse(r.get(1)).unwrap_or(Role::Moderator),
                csrf: r.get(2),
                created_at: r.get(3),
                last_seen: r.get(4),
            },
        )
    }

    fn touch_session(&self, id_hash: &str, now: i64) -> StoreFuture<()> {
        self.execute(
            "UPDATE editor_sessions SET last_seen = $2 WHERE id_hash = $1",
            params![id_hash.to_owned(), now],
            |_| (),
        )
    }

    fn delete_session(&self, id_hash: &str) -> StoreFuture<()> {
        self.execute(
            "DELETE FROM editor_sessions WHERE id_hash = $1",
            params![id_hash.to_owned()],
            |_| (),
        )
    }

    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> StoreFuture<()> {
        self.execute(
            "DELETE FROM editor_sessions WHERE last_seen < $1 OR created_at < $2",
            params![idle_before, created_before],
            |_| (),
        )
    }

    fn annotate(&self, id: u64, a: Annotation) -> StoreFuture<()> {
        self.execute(
            "UPDATE comments SET hold = $2, visitor = COALESCE(visitor, $3),
                 network = COALESCE(network, $4), official = $5, folded = $6,
                 has_link = $7, has_phone = $8
             WHERE id = $1",
            params![
                clamp_id(id),
                a.hold.map(hold_str),
                a.visitor,
                a.network,
                a.official as i64,
                a.folded,
                a.has_link as i64,
                a.has_phone as i64,
            ],
            |_| (),
        )
    }

    fn unfolded(&self, limit: usize) -> StoreFuture<Vec<(u64, String, String)>> {
        self.query(
            "SELECT id, author, body FROM comments WHERE folded IS NULL LIMIT $1",
            params![limit as i64],
            |r| (r.get::<_, i64>(0) as u64, r.get(1), r.get(2)),
        )
    }

    fn set_folded(
        &self,
        id: u64,
        folded: String,
        has_link: bool,
        has_phone: bool,
    ) -> StoreFuture<()> {
        self.execute(
            "UPDATE comments SET folded = $2, has_link = $3, has_phone = $4 WHERE id = $1",
            params![clamp_id(id), folded, has_link as i64, has_phone as i64],
            |_| (),
        )
    }

    fn queue(&self, q: QueueQuery) -> StoreFuture<(Vec<QueueItem>, u64)> {
        let pool = self.pool.clone();
        Box::pin(async move {
            let client = pool.get().await?;
            let (clause, mut binds) = queue_where(&q, |i| format!("${i}"));
            let values: OwnedParams = binds.iter().map(boxed).collect();
            let total: i64 = client
                .query_one(
                    &format!("SELECT COUNT(*) FROM comments WHERE {clause}"),
                    &refs(&values),
                )
                .await?
                .get(0);
            binds.push(Param::Int(q.after.map_or(0, clamp_id)));
            let after = binds.len();
            binds.push(Param::Int(q.limit as i64 + 1));
            let values: OwnedParams = binds.iter().map(boxed).collect();
            let sql = format!(
                "SELECT {QUEUE_COLUMNS} FROM comments WHERE {clause} AND id > ${after}
                 ORDER BY id ASC LIMIT ${}",
                after + 1
            );
            let rows = client.query(&sql, &refs(&values)).await?;
            let items = rows
                .iter()
                .map(|r| {
                    QueueItem::from(QueueItemRow {
                        id: r.get(0),
                        article_id: r.get(1),
                        parent_id: r.get(2),
                        author: r.get(3),
                        body: r.get(4),
                        created_at: r.get(5),
                        status: r.get(6),
                        rejected: r.get(7),
                        hold: r.get(8),
                        reports: r.get(9),
                        first_report_at: r.get(10),
                        has_link: r.get(11),
                        has_phone: r.get(12),
                        official: r.get(13),
                        visitor: r.get(14),
                        network: r.get(15),
                        pinned: r.get(16),
                    })
                })
                .collect();
            Ok((items, total.max(0) as u64))
        })
    }

    fn approve(&self, id: u64) -> StoreFuture<bool> {
        self.execute(
            "UPDATE comments SET status = 'published', hold = NULL, rejected_at = NULL,
                 reports_cleared = reports
             WHERE id = $1 AND deleted_at IS NULL",
            params![clamp_id(id)],
            |n| n > 0,
        )
    }

    fn reject(&self, id: u64, now: i64) -> StoreFuture<bool> {
        let pool = self.pool.clone();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let n = tx
                .execute(
                    "UPDATE comments SET status = 'pending', hold = NULL, rejected_at = $2
                     WHERE id = $1 AND deleted_at IS NULL",
                    &[&clamp_id(id), &now],
                )
                .await?;
            tx.execute("DELETE FROM pins WHERE comment_id = $1", &[&clamp_id(id)])
                .await?;
            tx.commit().await?;
            Ok(n > 0)
        })
    }

    fn comment_origin(&self, id: u64) -> StoreFuture<Option<CommentOrigin>> {
        self.query_opt(
            "SELECT article_id, parent_id, status = 'published', visitor, network
             FROM comments WHERE id = $1 AND deleted_at IS NULL",
            params![clamp_id(id)],
            |r| CommentOrigin {
                article_id: r.get(0),
                parent_id: r.get::<_, Option<i64>>(1).map(|p| p as u64),
                published: r.get(2),
                visitor: r.get(3),
                network: r.get(4),
            },
        )
    }

    fn published_by(&self, visitor: &str) -> StoreFuture<u64> {
        self.query_one(
            "SELECT COUNT(*) FROM comments
             WHERE visitor = $1 AND status = 'published' AND official = 0",
            params![visitor.to_owned()],
            |r| r.get::<_, i64>(0).max(0) as u64,
        )
    }

    fn officials(&self, ids: Vec<u64>) -> StoreFuture<Vec<u64>> {
        if ids.is_empty() {
            return Box::pin(async { Ok(Vec::new()) });
        }
        let ids: Vec<i64> = ids.into_iter().map(clamp_id).collect();
        self.query(
            "SELECT id FROM comments WHERE official <> 0 AND id = ANY($1)",
            params![ids],
            |r| r.get::<_, i64>(0) as u64,
        )
    }

    fn set_pin(&self, article: &str, comment: Option<u64>) -> StoreFuture<()> {
        let article = article.to_owned();
        match comment {
            Some(id) => self.execute(
                "INSERT INTO pins (article_id, comment_id) VALUES ($1, $2)
                 ON CONFLICT (article_id) DO UPDATE SET comment_id = EXCLUDED.comment_id",
                params![article, clamp_id(id)],
                |_| (),
            ),
            None => self.execute(
                "DELETE FROM pins WHERE article_id = $1",
                params![article],
                |_| (),
            ),
        }
    }

    fn pinned(&self, article: &str) -> StoreFuture<Option<(Comment, u64)>> {
        let pool = self.pool.clone();
        let article = article.to_owned();
        Box::pin(async move {
            let client = pool.get().await?;
            let found = client
                .query_opt(
                    &format!(
                        "SELECT {COLUMNS} FROM comments
                         WHERE id = (SELECT comment_id FROM pins WHERE article_id = $1)
                         AND article_id = $1 AND parent_id IS NULL AND status = 'published'
                         AND deleted_at IS NULL"
                    ),
                    &[&article],
                )
                .await?;
            let Some(r) = found.as_ref().map(row) else {
                return Ok(None);
            };
            let replies: i64 = client
                .query_one(
                    "SELECT COUNT(*) FROM comments WHERE parent_id = $1 AND status = 'published'",
                    &[&(r.id as i64)],
                )
                .await?
                .get(0);
            Ok(Some((Comment::from(r), replies.max(0) as u64)))
        })
    }

    fn add_ban(&self, b: NewBanRow) -> StoreFuture<u64> {
        self.query_one(
            "INSERT INTO bans (kind, value, reason, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            params![
                ban_kind_str(b.kind),
                b.value,
                b.reason,
                b.created_by,
                b.created_at,
                b.expires_at,
            ],
            |r| r.get::<_, i64>(0) as u64,
        )
    }

    fn bans(&self, now: i64) -> StoreFuture<Vec<Ban>> {
        self.query(
            format!(
                "SELECT {BAN_COLUMNS} FROM bans WHERE expires_at IS NULL OR expires_at > $1
                 ORDER BY id DESC"
            ),
            params![now],
            ban_row,
        )
    }

    fn remove_ban(&self, id: u64) -> StoreFuture<bool> {
        self.execute(
            "DELETE FROM bans WHERE id = $1",
            params![clamp_id(id)],
            |n| n > 0,
        )
    }

    fn ban_on(
        &self,
        visitor: Option<String>,
        network: String,
        now: i64,
    ) -> StoreFuture<Option<Ban>> {
        self.query_opt(
            format!(
                "SELECT {BAN_COLUMNS} FROM bans
                 WHERE ((kind = 'visitor' AND value = $1) OR (kind = 'network' AND value = $2))
                 AND (expires_at IS NULL OR expires_at > $3)
                 ORDER BY id DESC LIMIT 1"
            ),
            params![visitor, network, now],
            ban_row,
        )
    }

    fn keywords(&self) -> StoreFuture<Keywords> {
        let words = self.query(
            "SELECT list, word FROM keywords ORDER BY list, word",
            params![],
            |r| (r.get::<_, String>(0), r.get::<_, String>(1)),
        );
        Box::pin(async move {
            let mut k = Keywords::default();
            for (list, word) in words.await? {
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
        let pool = self.pool.clone();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            tx.execute("DELETE FROM keywords", &[]).await?;
            for (list, words) in [("hold", &k.hold), ("refuse", &k.refuse)] {
                for w in words {
                    tx.execute(
                        "INSERT INTO keywords (list, word) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        &[&list, w],
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
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
        self.execute(
            "INSERT INTO audit_log (at, who, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
            params![at, who, action, target, detail],
            |_| (),
        )
    }

    fn audit(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<AuditEntry>> {
        self.query(
            "SELECT id, at, who, action, target, detail FROM audit_log
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
            params![before.map_or(i64::MAX, clamp_id), limit as i64],
            |r| AuditEntry {
                id: r.get::<_, i64>(0) as u64,
                at: Timestamp::from_unix_seconds(r.get(1)),
                who: r.get(2),
                action: r.get(3),
                target: r.get(4),
                detail: r.get(5),
            },
        )
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
        let pool = self.pool.clone();
        let article = article.to_owned();
        let visitor = visitor.to_owned();
        let network = network.to_owned();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let id = clamp_id(comment);
            let found = tx
                .query_opt(
                    "SELECT 1 FROM comments WHERE id = $1 AND article_id = $2
                     AND status = 'published' AND deleted_at IS NULL
                     AND (parent_id IS NULL OR EXISTS (SELECT 1 FROM comments AS parent
                          WHERE parent.id = comments.parent_id AND parent.status = 'published'))
                     FOR UPDATE",
                    &[&id, &article],
                )
                .await?;
            if found.is_none() {
                return Ok(ReportOutcome::NotFound);
            }
            let fresh = tx
                .execute(
                    "INSERT INTO comment_reports
                         (comment_id, visitor, reason, created_at, network, seq)
                     VALUES ($1, $2, $3, $4, $5, (SELECT reports + 1 FROM comments WHERE id = $1))
                     ON CONFLICT DO NOTHING",
                    &[&id, &visitor, &reason, &now, &network],
                )
                .await?;
            if fresh == 0 {
                return Ok(ReportOutcome::Again);
            }
            let r = tx
                .query_one(
                    "UPDATE comments SET reports = reports + 1,
                         first_report_at = COALESCE(first_report_at, $2)
                     WHERE id = $1 RETURNING reports, reports_cleared",
                    &[&id, &now],
                )
                .await?;
            let (reports, cleared): (i64, i64) = (r.get(0), r.get(1));
            // Networks, not credentials: several credentials of one network
            // count once toward hiding (a report without a network, stored
            // before they were recorded, counts as one of its own).
            let networks: i64 = tx
                .query_one(
                    "SELECT COUNT(DISTINCT COALESCE(network, 'credential ' || visitor))
                     FROM comment_reports WHERE comment_id = $1 AND seq > $2",
                    &[&id, &cleared],
                )
                .await?
                .get(0);
            let hidden = hide_after > 0 && networks >= i64::from(hide_after);
            if hidden {
                tx.execute(
                    "UPDATE comments SET status = 'pending', hold = 'reports' WHERE id = $1",
                    &[&id],
                )
                .await?;
            }
            tx.commit().await?;
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
        self.query_one(
            "INSERT INTO deliveries (channel, event, payload, created_at, next_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![channel, event, payload, created_at, next_at_ms],
            |r| r.get::<_, i64>(0) as u64,
        )
    }

    fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> StoreFuture<Vec<DeliveryRow>> {
        // SKIP LOCKED: instances claiming at once take different rows.
        let claimed = self.query(
            "UPDATE deliveries SET next_at = $2 WHERE id IN (
                 SELECT id FROM deliveries WHERE state = 'pending' AND next_at <= $1
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, channel, event, payload, attempts",
            params![now_ms, now_ms + lease_ms, limit as i64],
            |r| DeliveryRow {
                id: r.get::<_, i64>(0) as u64,
                channel: r.get(1),
                event: r.get(2),
                payload: r.get(3),
                attempts: r.get::<_, i64>(4).clamp(0, u32::MAX as i64) as u32,
            },
        );
        Box::pin(async move {
            let mut out = claimed.await?;
            out.sort_by_key(|r| r.id);
            Ok(out)
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
        self.execute(
            "UPDATE deliveries SET attempts = $2, state = $3, next_at = $4, last_error = $5
             WHERE id = $1",
            params![
                clamp_id(id),
                i64::from(attempts),
                state,
                next_at_ms,
                last_error,
            ],
            |_| (),
        )
    }

    fn deliveries(&self, before: Option<u64>, limit: usize) -> StoreFuture<Vec<Delivery>> {
        self.query(
            "SELECT id, channel, event, created_at, attempts, state, last_error FROM deliveries
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
            params![before.map_or(i64::MAX, clamp_id), limit as i64],
            |r| Delivery {
                id: r.get::<_, i64>(0) as u64,
                channel: r.get(1),
                event: r.get(2),
                created_at: Timestamp::from_unix_seconds(r.get(3)),
                attempts: r.get::<_, i64>(4).clamp(0, u32::MAX as i64) as u32,
                state: r.get(5),
                last_error: r.get(6),
            },
        )
    }

    fn next_delivery_at(&self) -> StoreFuture<Option<i64>> {
        self.query_one(
            "SELECT MIN(next_at) FROM deliveries WHERE state = 'pending'",
            params![],
            |r| r.get(0),
        )
    }

    fn purge_deliveries(&self, before: i64) -> StoreFuture<()> {
        self.execute(
            "DELETE FROM deliveries WHERE state <> 'pending' AND created_at < $1",
            params![before],
            |_| (),
        )
    }

    fn alert_emails(&self) -> StoreFuture<Vec<String>> {
        self.query(
            "SELECT email FROM accounts WHERE email IS NOT NULL ORDER BY name",
            params![],
            |r| r.get(0),
        )
    }

    fn export_comments(&self) -> StoreFuture<Vec<ExportComment>> {
        self.query(
            format!("SELECT {EXPORT_COLUMNS} FROM comments ORDER BY id"),
            params![],
            export_row,
        )
    }

    fn export_votes(&self) -> StoreFuture<Vec<ExportVote>> {
        self.query(
            "SELECT article_id, visitor, stars, updated_at FROM votes ORDER BY article_id, visitor",
            params![],
            vote_row,
        )
    }

    fn live_views(&self) -> StoreFuture<Vec<(String, u64)>> {
        self.query(
            "SELECT article_id, SUM(views)::BIGINT FROM article_views
             GROUP BY article_id ORDER BY article_id",
            params![],
            |r| (r.get(0), r.get::<_, i64>(1).max(0) as u64),
        )
    }

    fn import(
        &self,
        comments: Vec<ExportComment>,
        votes: Vec<ExportVote>,
    ) -> StoreFuture<(u64, u64)> {
        let pool = self.pool.clone();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let mut ids = std::collections::HashMap::new();
            let mut n = 0;
            for x in parents_first(comments) {
                let parent: Option<i64> = match x.parent_id {
                    None => None,
                    Some(p) => match ids.get(&p) {
                        Some(new) => Some(*new),
                        None => continue,
                    },
                };
                let rejected = (x.status == "rejected").then_some(x.created_at);
                let status = if x.status == "published" {
                    "published"
                } else {
                    "pending"
                };
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO comments (article_id, parent_id, author, email, body, status,
                             created_at, edited_at, deleted_at, likes, official, hold, visitor,
                             network, reports, rejected_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                         RETURNING id",
                        &[
                            &x.article_id,
                            &parent,
                            &x.author,
                            &x.email,
                            &x.body,
                            &status,
                            &x.created_at,
                            &x.edited_at,
                            &x.deleted_at,
                            &x.likes,
                            &(x.official as i64),
                            &x.hold,
                            &x.visitor,
                            &x.network,
                            &x.reports,
                            &rejected,
                        ],
                    )
                    .await?
                    .get(0);
                ids.insert(x.id, id);
                n += 1;
            }
            let mut v = 0;
            for x in votes {
                v += tx
                    .execute(
                        "INSERT INTO votes (article_id, visitor, stars, updated_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (article_id, visitor) DO UPDATE
                         SET stars = EXCLUDED.stars, updated_at = EXCLUDED.updated_at",
                        &[&x.article_id, &x.visitor, &i16::from(x.stars), &x.updated_at],
                    )
                    .await?;
            }
            tx.commit().await?;
            Ok((n, v))
        })
    }

    fn reader_data(
        &self,
        email: Option<String>,
        visitor: Option<String>,
    ) -> StoreFuture<(Vec<ExportComment>, Vec<ExportVote>)> {
        let pool = self.pool.clone();
        Box::pin(async move {
            let client = pool.get().await?;
            let comments = client
                .query(
                    &format!(
                        "SELECT {EXPORT_COLUMNS} FROM comments
                         WHERE ($1::TEXT IS NOT NULL AND email = $1) OR ($2::TEXT IS NOT NULL AND visitor = $2)
                         ORDER BY id"
                    ),
                    &[&email, &visitor],
                )
                .await?;
            let votes = client
                .query(
                    "SELECT article_id, visitor, stars, updated_at FROM votes
                     WHERE $1::TEXT IS NOT NULL AND visitor = $1 ORDER BY article_id",
                    &[&visitor],
                )
                .await?;
            Ok((
                comments.iter().map(export_row).collect(),
                votes.iter().map(vote_row).collect(),
            ))
        })
    }

    fn erase_reader(
        &self,
        email: Option<String>,
        visitor: Option<String>,
        now: i64,
    ) -> StoreFuture<Erased> {
        let pool = self.pool.clone();
        Box::pin(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let mine =
                "(($1::TEXT IS NOT NULL AND email = $1) OR ($2::TEXT IS NOT NULL AND visitor = $2))";
            let blanked = tx
                .execute(
                    &format!(
                        "UPDATE comments SET author = '', body = '', email = NULL, visitor = NULL,
                             network = NULL, client_key = NULL, folded = '',
                             deleted_at = COALESCE(deleted_at, $3)
                         WHERE {mine} AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)"
                    ),
                    &[&email, &visitor, &now],
                )
                .await?;
            let deleted = tx
                .execute(
                    &format!("DELETE FROM comments WHERE {mine}"),
                    &[&email, &visitor],
                )
                .await?;
            let (mut ratings, mut reports, mut visits) = (0, 0, 0);
            if let Some(v) = &visitor {
                ratings = tx
                    .execute("DELETE FROM votes WHERE visitor = $1", &[v])
                    .await?;
                reports = tx
                    .execute("DELETE FROM comment_reports WHERE visitor = $1", &[v])
                    .await?;
                visits = tx
                    .execute("DELETE FROM visit_sessions WHERE visitor = $1", &[v])
                    .await?;
                tx.execute("DELETE FROM view_sessions WHERE visitor = $1", &[v])
                    .await?;
                tx.execute("DELETE FROM presence WHERE visitor = $1", &[v])
                    .await?;
            }
            tx.commit().await?;
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

fn export_row(r: &tokio_postgres::Row) -> ExportComment {
    ExportComment {
        id: r.get::<_, i64>(0) as u64,
        article_id: r.get(1),
        parent_id: r.get::<_, Option<i64>>(2).map(|p| p as u64),
        author: r.get(3),
        email: r.get(4),
        body: r.get(5),
        status: r.get(6),
        created_at: r.get(7),
        edited_at: r.get(8),
        deleted_at: r.get(9),
        likes: r.get(10),
        official: r.get::<_, i64>(11) != 0,
        hold: r.get(12),
        visitor: r.get(13),
        network: r.get(14),
        reports: r.get(15),
    }
}

fn vote_row(r: &tokio_postgres::Row) -> ExportVote {
    ExportVote {
        article_id: r.get(0),
        visitor: r.get(1),
        stars: r.get::<_, i16>(2).clamp(1, 5) as u8,
        updated_at: r.get(3),
    }
}
