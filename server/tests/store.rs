//! The stores below HTTP, on both backends (`sqlite::<name>`, `postgres::<name>`):
//! a database as the first release left it migrates and keeps its comments,
//! and a comment's `client_key` stores it once: a duplicate neither inserts
//! nor spends its payload, and racing inserts store one row; daily caps
//! taken at once by two stores on one database stop exactly at the cap;
//! each later migration keeps what was stored before it.

#[macro_use]
mod common;

use bantin_protocol::api::{CommentSort, CommentStatus};
use bantin_server::store::postgres::{PostgresStore, MIGRATIONS as POSTGRES_MIGRATIONS};
use bantin_server::store::sqlite::{SqliteStore, MIGRATIONS as SQLITE_MIGRATIONS};
use bantin_server::store::{
    CaptchaUse, CommentRecord, CommentsQuery, InsertOutcome, LikeOutcome, LikeRecord, Quota, Store,
    VisitRecord, VoteOutcome,
};
use common::*;
use std::collections::BTreeSet;
use std::sync::Arc;

on_both_backends!(
    a_version_1_database_migrates_and_keeps_its_comments,
    a_client_key_stores_one_comment_per_article,
    racing_inserts_with_one_client_key_store_one_comment,
    racing_quota_takes_and_new_votes_stop_exactly_at_the_cap,
    purging_forgets_idle_view_sessions_and_old_taken_back_likes,
    a_version_5_database_gets_the_console_and_its_comments_are_folded,
    a_version_6_database_numbers_its_reports,
    a_version_7_database_gets_the_time_indexes_and_lists_by_time,
);

/// Plain SQL on the store's database, for what the `Store` trait does not show.
enum Raw {
    Sqlite(tempfile::TempDir),
    Postgres(PgSchema, Box<tokio_postgres::Client>),
}

impl Raw {
    async fn new(b: Backend) -> Raw {
        match b {
            Backend::Sqlite => Raw::Sqlite(tempfile::tempdir().unwrap()),
            Backend::Postgres => {
                let base = postgres_url("store").expect("checked by on_both_backends");
                let schema = PgSchema::create(&base).await;
                let (client, conn) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(conn);
                Raw::Postgres(schema, Box::new(client))
            }
        }
    }

    fn sqlite(dir: &tempfile::TempDir) -> rusqlite::Connection {
        rusqlite::Connection::open(dir.path().join("t.db")).unwrap()
    }

    /// Runs `sql`; false when the database refused it.
    async fn execute(&self, sql: &str) -> bool {
        match self {
            Raw::Sqlite(dir) => Raw::sqlite(dir).execute_batch(sql).is_ok(),
            Raw::Postgres(_, c) => c.batch_execute(sql).await.is_ok(),
        }
    }

    /// The one integer `sql` selects.
    async fn number(&self, sql: &str) -> i64 {
        match self {
            Raw::Sqlite(dir) => Raw::sqlite(dir).query_row(sql, [], |r| r.get(0)).unwrap(),
            Raw::Postgres(_, c) => c.query_one(sql, &[]).await.unwrap().get(0),
        }
    }

    /// Today's store on this database (migrating it), with `pool` connections.
    async fn open(&self, pool: usize) -> Arc<dyn Store> {
        match self {
            Raw::Sqlite(dir) => Arc::new(SqliteStore::open(&dir.path().join("t.db")).unwrap()),
            Raw::Postgres(schema, _) => {
                Arc::new(PostgresStore::connect(&schema.url, pool).await.unwrap())
            }
        }
    }

    fn migrations(&self) -> &'static [&'static str] {
        match self {
            Raw::Sqlite(_) => SQLITE_MIGRATIONS,
            Raw::Postgres(..) => POSTGRES_MIGRATIONS,
        }
    }
}

fn keyed(article: &str, key: &str) -> CommentRecord {
    CommentRecord {
        article_id: article.into(),
        parent_id: None,
        author: "An".into(),
        email: Some("an@example.vn".into()),
        body: "Hay".into(),
        status: CommentStatus::Published,
        created_at: 1_700_000_000,
        client_key: Some(key.into()),
    }
}

fn newest(limit: usize) -> CommentsQuery {
    CommentsQuery {
        sort: CommentSort::Newest,
        snapshot: None,
        after: None,
        limit,
    }
}

fn captcha(key: &str) -> Option<CaptchaUse> {
    Some(CaptchaUse {
        key: key.into(),
        expires_at: i64::MAX,
    })
}

async fn a_version_1_database_migrates_and_keeps_its_comments(b: Backend) {
    let raw = Raw::new(b).await;
    assert!(raw.execute(raw.migrations()[0]).await);
    assert!(
        raw.execute(
            "CREATE TABLE schema_version (version BIGINT NOT NULL);
             INSERT INTO schema_version (version) VALUES (1);
             INSERT INTO comments (article_id, author, body, status, created_at)
             VALUES ('a', 'Old', 'before keys', 'published', 1);",
        )
        .await
    );
    let s = raw.open(4).await;
    assert_eq!(
        raw.number("SELECT version FROM schema_version").await,
        raw.migrations().len() as i64
    );
    let page = s.comments("a", newest(10)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].body, "before keys");
    // What version 5 added: no likes, never edited, not deleted.
    assert_eq!(
        (
            page.items[0].likes,
            page.items[0].edited_at,
            page.items[0].deleted
        ),
        (0, None, false)
    );
    let InsertOutcome::Inserted(id) = s
        .insert_comment(keyed("a", "key-0001"), None)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        s.insert_comment(keyed("a", "key-0001"), None)
            .await
            .unwrap(),
        InsertOutcome::Duplicate(id, CommentStatus::Published, 1_700_000_000)
    );
    assert_eq!(raw.number("SELECT COUNT(*) FROM comments").await, 2);
}

async fn a_client_key_stores_one_comment_per_article(b: Backend) {
    let raw = Raw::new(b).await;
    let s = raw.open(4).await;
    let count = || raw.number("SELECT COUNT(*) FROM comments");
    let InsertOutcome::Inserted(id) = s
        .insert_comment(keyed("a", "key-0001"), captcha("p1"))
        .await
        .unwrap()
    else {
        panic!()
    };
    // A retry with a fresh payload, then with the spent one: the first
    // comment both times, not a replay.
    for payload in ["p2", "p1"] {
        assert_eq!(
            s.insert_comment(keyed("a", "key-0001"), captcha(payload))
                .await
                .unwrap(),
            InsertOutcome::Duplicate(id, CommentStatus::Published, 1_700_000_000)
        );
    }
    assert_eq!(count().await, 1);
    // Another comment under the key is no retry of it: refused, with
    // nothing stored and the payload not spent.
    let changes: [fn(&mut CommentRecord); 4] = [
        |c| c.body = "Khác".into(),
        |c| c.author = "Bình".into(),
        |c| c.email = None,
        |c| c.parent_id = Some(1),
    ];
    for change in changes {
        let mut other = keyed("a", "key-0001");
        change(&mut other);
        assert_eq!(
            s.insert_comment(other, captcha("p2")).await.unwrap(),
            InsertOutcome::KeyTaken
        );
    }
    assert_eq!(count().await, 1);
    // p2 was not spent by the duplicate; p1 is, for a new key.
    assert!(matches!(
        s.insert_comment(keyed("a", "key-0002"), captcha("p2"))
            .await
            .unwrap(),
        InsertOutcome::Inserted(_)
    ));
    assert_eq!(
        s.insert_comment(keyed("a", "key-0003"), captcha("p1"))
            .await
            .unwrap(),
        InsertOutcome::CaptchaReused
    );
    // The refused comment was rolled back: its key is free.
    assert!(matches!(
        s.insert_comment(keyed("a", "key-0003"), None)
            .await
            .unwrap(),
        InsertOutcome::Inserted(_)
    ));
    // The same key on another article, and comments without a key, are new.
    assert!(matches!(
        s.insert_comment(keyed("b", "key-0001"), None)
            .await
            .unwrap(),
        InsertOutcome::Inserted(_)
    ));
    for _ in 0..2 {
        let plain = CommentRecord {
            client_key: None,
            ..keyed("a", "unused-1")
        };
        assert!(matches!(
            s.insert_comment(plain, None).await.unwrap(),
            InsertOutcome::Inserted(_)
        ));
    }
    assert_eq!(count().await, 6);
    // The duplicate reports the current status.
    let pending = CommentRecord {
        status: CommentStatus::Pending,
        ..keyed("a", "key-0004")
    };
    let InsertOutcome::Inserted(p) = s.insert_comment(pending.clone(), None).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        s.insert_comment(pending.clone(), None).await.unwrap(),
        InsertOutcome::Duplicate(p, CommentStatus::Pending, 1_700_000_000)
    );
    assert!(s.approve_comment(p).await.unwrap());
    assert_eq!(
        s.insert_comment(pending, None).await.unwrap(),
        InsertOutcome::Duplicate(p, CommentStatus::Published, 1_700_000_000)
    );
    // The index refuses a second row even past the store's check.
    assert!(
        !raw.execute(
            "INSERT INTO comments (article_id, author, body, status, created_at, client_key)
             VALUES ('a', 'X', 'y', 'published', 1, 'key-0001')",
        )
        .await
    );
}

async fn racing_inserts_with_one_client_key_store_one_comment(b: Backend) {
    let raw = Raw::new(b).await;
    let store = raw.open(8).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .insert_comment(keyed("c", "race-key-1"), captcha(&format!("race-{i}")))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut ids = BTreeSet::new();
    let mut inserted = 0;
    for t in tasks {
        match t.await.unwrap() {
            InsertOutcome::Inserted(id) => {
                inserted += 1;
                ids.insert(id);
            }
            InsertOutcome::Duplicate(id, _, _) => {
                ids.insert(id);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((inserted, ids.len()), (1, 1));
    assert_eq!(raw.number("SELECT COUNT(*) FROM comments").await, 1);
    // Only the winner's payload was spent.
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM used_captchas WHERE key LIKE 'race-%'")
            .await,
        1
    );
}

fn quota(kind: &'static str, subject: &str, cap: u32) -> Quota {
    Quota {
        kind,
        subject: subject.into(),
        network: "203.0.113.9".into(),
        day: 20_000,
        cap,
    }
}

async fn racing_quota_takes_and_new_votes_stop_exactly_at_the_cap(b: Backend) {
    let raw = Raw::new(b).await;
    // Two stores on one database: two instances (SQLite: two connections to
    // one file), taking from the same quota at once.
    let stores = [raw.open(8).await, raw.open(8).await];
    let takes: Vec<_> = (0..60)
        .map(|i| {
            let store = stores[i % 2].clone();
            tokio::spawn(async move { store.take_quota(quota("visitor", "", 25)).await.unwrap() })
        })
        .collect();
    let mut taken = 0;
    for t in takes {
        taken += usize::from(t.await.unwrap());
    }
    assert_eq!(taken, 25);
    assert_eq!(raw.number("SELECT MAX(n) FROM quotas").await, 25);
    // Another subject, network or day is another count.
    assert!(stores[0]
        .take_quota(quota("visitor", "x", 25))
        .await
        .unwrap());
    assert!(stores[1]
        .take_quota(Quota {
            day: 20_001,
            ..quota("visitor", "", 25)
        })
        .await
        .unwrap());

    // 40 new voters at once, 10 allowed: exactly 10 votes stored, the
    // summary agrees, and a refused vote left nothing behind.
    let votes: Vec<_> = (0..40)
        .map(|i| {
            let store = stores[i % 2].clone();
            tokio::spawn(async move {
                let visitor = format!("voter-{i}");
                let outcome = store
                    .vote("a", &visitor, 4, 1, Some(quota("vote", "a", 10)))
                    .await
                    .unwrap();
                (visitor, outcome)
            })
        })
        .collect();
    let mut voted = Vec::new();
    for t in votes {
        if let (visitor, VoteOutcome::Voted(_)) = t.await.unwrap() {
            voted.push(visitor);
        }
    }
    assert_eq!(voted.len(), 10);
    assert_eq!(raw.number("SELECT COUNT(*) FROM votes").await, 10);
    assert_eq!(stores[0].rating("a", None).await.unwrap().count, 10);
    // A change is no new vote: it passes the full cap, and twice at once
    // still counts once.
    let changes: Vec<_> = (0..2)
        .map(|i| {
            let (store, v) = (stores[i].clone(), voted[0].clone());
            tokio::spawn(async move {
                store
                    .vote("a", &v, 1, 2, Some(quota("vote", "a", 10)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for c in changes {
        assert!(matches!(c.await.unwrap(), VoteOutcome::Voted(_)));
    }
    let r = stores[1].rating("a", Some(&voted[0])).await.unwrap();
    assert_eq!((r.count, r.your_vote), (10, Some(1)));
    assert_eq!(
        stores[0]
            .vote("a", "late", 4, 3, Some(quota("vote", "a", 10)))
            .await
            .unwrap(),
        VoteOutcome::CapReached
    );
    // A first vote raced by the same visitor takes the quota once.
    let twins: Vec<_> = (0..2)
        .map(|i| {
            let store = stores[i].clone();
            tokio::spawn(async move {
                store
                    .vote("b", "twin", 4, 4, Some(quota("vote", "b", 10)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in twins {
        assert!(matches!(t.await.unwrap(), VoteOutcome::Voted(_)));
    }
    assert_eq!(
        raw.number("SELECT n FROM quotas WHERE kind = 'vote' AND subject = 'b'")
            .await,
        1
    );

    // Visits past a credential's quota are recorded, not counted.
    let visit = |session: &str| VisitRecord {
        visitor: "reader".into(),
        session: session.into(),
        article: None,
        network: "203.0.113.9".into(),
        now: 1_728_000_000,
        issue: None,
        quota: Some(quota("visit", "reader", 2)),
        online_cap: 0,
        view_quota: None,
    };
    let mut totals = Vec::new();
    for (i, session) in ["s1", "s2", "s3", "s1"].into_iter().enumerate() {
        totals.push(
            stores[i % 2]
                .record_visit(visit(session))
                .await
                .unwrap()
                .unwrap()
                .counters
                .total_visits,
        );
    }
    assert_eq!(totals, [1, 2, 2, 2]);
    // A visit that comes with a new credential, when the network's issue
    // quota is full (taken 25 of 25 above): nothing recorded.
    let refused = VisitRecord {
        visitor: "newcomer".into(),
        issue: Some(quota("visitor", "", 25)),
        ..visit("s9")
    };
    assert_eq!(stores[1].record_visit(refused).await.unwrap(), None);
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM visit_sessions WHERE visitor = 'newcomer'")
            .await,
        0
    );
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM presence WHERE visitor = 'newcomer'")
            .await,
        0
    );
    // The caps of past days are purged.
    stores[0].purge(20_001 * 86_400).await.unwrap();
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM quotas WHERE day < 20001")
            .await,
        0
    );
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM quotas WHERE day = 20001")
            .await,
        1
    );
}

async fn purging_forgets_idle_view_sessions_and_old_taken_back_likes(b: Backend) {
    let raw = Raw::new(b).await;
    let s = raw.open(4).await;
    let InsertOutcome::Inserted(id) = s
        .insert_comment(keyed("a", "key-0001"), None)
        .await
        .unwrap()
    else {
        panic!()
    };
    let like = |visitor: &str, like: bool| LikeRecord {
        article: "a".into(),
        comment: id,
        visitor: visitor.into(),
        like,
        now: 1_000,
        quota: None,
    };
    for (visitor, liked, expected) in [("v1", true, 1), ("v1", false, 0), ("v2", true, 1)] {
        assert_eq!(
            s.like(like(visitor, liked)).await.unwrap(),
            LikeOutcome::Done {
                likes: expected,
                liked
            }
        );
    }
    // A like on another article's path is no like.
    let elsewhere = LikeRecord {
        article: "b".into(),
        ..like("v3", true)
    };
    assert_eq!(s.like(elsewhere).await.unwrap(), LikeOutcome::NotFound);
    let visit = VisitRecord {
        visitor: "reader".into(),
        session: "s1".into(),
        article: Some("a".into()),
        network: "203.0.113.9".into(),
        now: 1_000,
        issue: None,
        quota: None,
        online_cap: 0,
        view_quota: None,
    };
    let counted = s.record_visit(visit).await.unwrap().unwrap();
    assert_eq!(counted.views, Some(1));
    s.purge(1_000 + 86_400 + 1).await.unwrap();
    // The like taken back a day ago is forgotten, the one given stays; the
    // session's memory of its articles goes, the views stay.
    assert_eq!(raw.number("SELECT COUNT(*) FROM comment_likes").await, 1);
    assert_eq!(raw.number("SELECT COUNT(*) FROM view_sessions").await, 0);
    assert_eq!(
        raw.number("SELECT CAST(SUM(views) AS BIGINT) FROM article_views")
            .await,
        1
    );
    let page = s.comments("a", newest(10)).await.unwrap();
    assert_eq!(page.items[0].likes, 1);
}

async fn a_version_5_database_gets_the_console_and_its_comments_are_folded(b: Backend) {
    use bantin_protocol::admin::QueueStatus;
    use bantin_server::store::console::QueueQuery;
    let raw = Raw::new(b).await;
    for step in &raw.migrations()[..5] {
        assert!(raw.execute(step).await);
    }
    assert!(
        raw.execute(
            "CREATE TABLE schema_version (version BIGINT NOT NULL);
             INSERT INTO schema_version (version) VALUES (5);
             INSERT INTO comments (article_id, author, body, status, created_at)
             VALUES ('a', 'Bà Lành', 'Đường ở Hà Nội, gọi 0912 345 678', 'pending', 1);",
        )
        .await
    );
    let s = raw.open(4).await;
    assert_eq!(
        raw.number("SELECT version FROM schema_version").await,
        raw.migrations().len() as i64
    );
    let query = |q: Option<&str>, phones: bool| QueueQuery {
        status: QueueStatus::Waiting,
        article: None,
        reported: false,
        links: false,
        phones,
        q: q.map(bantin_server::fold::fold),
        comment: None,
        after: None,
        limit: 10,
    };
    let (items, total) = s.queue(query(None, false)).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(items[0].author, "Bà Lành");
    assert_eq!(
        items[0].visitor, None,
        "nothing recorded before the console"
    );
    // Not folded yet: the server folds old comments when it starts.
    assert_eq!(s.queue(query(Some("ha noi"), false)).await.unwrap().1, 0);
    for (id, author, body) in s.unfolded(10).await.unwrap() {
        let folded = bantin_server::fold::fold(&format!("{author}\n{body}"));
        s.set_folded(
            id,
            folded,
            bantin_server::fold::has_link(&body),
            bantin_server::fold::has_phone(&body),
        )
        .await
        .unwrap();
    }
    assert!(s.unfolded(10).await.unwrap().is_empty());
    assert_eq!(s.queue(query(Some("ha noi"), false)).await.unwrap().1, 1);
    assert_eq!(s.queue(query(Some("LÀNH"), true)).await.unwrap().1, 1);
}

/// Version 7 records each report's network and number: the reports of a
/// version-6 database are numbered in the order made (the last one as the
/// comment's count), have no network (each counts as one of its own), and
/// only those since the last approval count toward hiding.
async fn a_version_6_database_numbers_its_reports(b: Backend) {
    use bantin_server::store::console::ReportOutcome;
    let raw = Raw::new(b).await;
    for step in &raw.migrations()[..6] {
        assert!(raw.execute(step).await);
    }
    // Four reports (one later erased with its reader), two cleared by an approval.
    assert!(
        raw.execute(
            "CREATE TABLE schema_version (version BIGINT NOT NULL);
             INSERT INTO schema_version (version) VALUES (6);
             INSERT INTO comments (id, article_id, author, body, status, created_at,
                                   reports, reports_cleared)
             VALUES (1, 'a', 'An', 'Hay', 'published', 1, 4, 2);
             INSERT INTO comment_reports (comment_id, visitor, reason, created_at)
             VALUES (1, 'v-b', '', 20), (1, 'v-a', '', 20), (1, 'v-c', '', 30);",
        )
        .await
    );
    let s = raw.open(4).await;
    assert_eq!(
        raw.number("SELECT version FROM schema_version").await,
        raw.migrations().len() as i64
    );
    for (visitor, seq) in [("v-a", 2), ("v-b", 3), ("v-c", 4)] {
        assert_eq!(
            raw.number(&format!(
                "SELECT seq FROM comment_reports WHERE visitor = '{visitor}'"
            ))
            .await,
            seq,
            "{visitor}"
        );
    }
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM comment_reports WHERE network IS NULL")
            .await,
        3
    );
    // Since the approval: v-b and v-c (two networks of their own), then one
    // from 192.0.2.1 makes three; another credential of it adds none.
    let report = |visitor: &'static str, network: &'static str| {
        let s = s.clone();
        async move {
            s.report("a", 1, visitor, network, String::new(), 40, 4)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        report("v-d", "192.0.2.1").await,
        ReportOutcome::Reported {
            reports: 5,
            hidden: false
        }
    );
    assert_eq!(
        report("v-e", "192.0.2.1").await,
        ReportOutcome::Reported {
            reports: 6,
            hidden: false
        }
    );
    assert_eq!(
        raw.number("SELECT seq FROM comment_reports WHERE visitor = 'v-e'")
            .await,
        6
    );
    assert_eq!(
        report("v-f", "2001:db8::/64").await,
        ReportOutcome::Reported {
            reports: 7,
            hidden: true
        }
    );
}

/// Version 8 orders by time: a version-7 database (its comments' ids not in
/// time order, as an import leaves them) gets an index of top-level comments
/// by `(created_at, id)` and one of replies replacing the one by id, and
/// lists its comments and replies by time.
async fn a_version_7_database_gets_the_time_indexes_and_lists_by_time(b: Backend) {
    let raw = Raw::new(b).await;
    for step in &raw.migrations()[..7] {
        assert!(raw.execute(step).await);
    }
    assert!(
        raw.execute(
            "CREATE TABLE schema_version (version BIGINT NOT NULL);
             INSERT INTO schema_version (version) VALUES (7);
             INSERT INTO comments (id, article_id, parent_id, author, body, status, created_at)
             VALUES (1, 'a', NULL, 'An', 'hôm nay', 'published', 2000),
                    (2, 'a', NULL, 'An', 'năm xưa', 'published', 1000),
                    (3, 'a', 2, 'An', 'trả lời sau', 'published', 1200),
                    (4, 'a', 2, 'An', 'trả lời trước', 'published', 1100);",
        )
        .await
    );
    let index = |name: &str| match &raw {
        Raw::Sqlite(_) => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{name}'")
        }
        Raw::Postgres(..) => format!(
            "SELECT COUNT(*) FROM pg_indexes
             WHERE schemaname = current_schema() AND indexname = '{name}'"
        ),
    };
    assert_eq!(raw.number(&index("comments_by_parent")).await, 1);
    let s = raw.open(4).await;
    assert_eq!(
        raw.number("SELECT version FROM schema_version").await,
        raw.migrations().len() as i64
    );
    assert_eq!(raw.migrations().len(), 8);
    for (name, n) in [
        ("comments_by_article", 1),
        ("comments_by_parent", 0),
        ("comments_top_by_time", 1),
        ("comments_by_parent_time", 1),
    ] {
        assert_eq!(raw.number(&index(name)).await, n, "{name}");
    }
    let page = s.comments("a", newest(10)).await.unwrap();
    let ids: Vec<u64> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [1, 2]);
    let replies: Vec<u64> = page.items[1].replies.iter().map(|c| c.id).collect();
    assert_eq!(replies, [4, 3]);
    let more = s.replies("a", 2, Some(4), 10).await.unwrap().unwrap();
    assert_eq!(more.items.iter().map(|c| c.id).collect::<Vec<_>>(), [3]);
}
