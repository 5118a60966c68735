//! `bantin-server counts set|show`: starting numbers kept in the database,
//! added to the live site visits and article views wherever they are shown
//! (never to comment counts); through the library function the command
//! calls, and through the built binary, on the server's own database.

use crate::common::*;
use bantin_server::config::{CountsAction, CountsSet, Database};
use serde_json::json;
use std::process::{Command, Output};

on_both_backends!(
    starting_numbers_are_added_where_counts_are_shown,
    the_counts_command_of_the_binary,
    starting_numbers_past_the_maximum,
);

fn db_arg(db: &Database) -> String {
    match db {
        Database::Sqlite(path) => path.display().to_string(),
        Database::Postgres(url) => url.clone(),
    }
}

/// `bantin-server <args>` with `--db` of `s`, none of the test run's
/// `BANTIN_*` variables.
fn binary(s: &TestServer, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bantin-server"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BANTIN_") {
            cmd.env_remove(k);
        }
    }
    cmd.args(args)
        .args(["--db", &db_arg(&s.config.db)])
        .output()
        .expect("bantin-server runs")
}

fn set(site_visits: Option<u64>, article: Option<(&str, u64)>) -> CountsAction {
    CountsAction::Set(CountsSet {
        site_visits,
        article: article.map(|(a, _)| a.to_owned()),
        views: article.map(|(_, n)| n),
    })
}

async fn stats_total(s: &TestServer) -> u64 {
    s.get("/api/v1/stats").await.json()["total_visits"]
        .as_u64()
        .unwrap()
}

async fn starting_numbers_are_added_where_counts_are_shown(b: Backend) {
    let s = TestServer::start(b).await;
    let v = s.visitor().await;
    let visit = |session: &str| {
        let (s, body) = (
            s.clone_client(),
            json!({"visitor": v, "session": session, "article_id": ARTICLE}),
        );
        async move { s.post("/api/v1/visits", &body).await.json() }
    };
    assert_eq!(visit("s1").await["views"], 1);
    posted(&s, ARTICLE, "Một", None).await;

    let out = bantin_server::counts_cli::run(&s.config, &set(Some(2_504_500), None))
        .await
        .unwrap();
    assert_eq!(
        out,
        "site visits: starting number set to 2504500 (shown now: 2504501)\n"
    );
    let out = bantin_server::counts_cli::run(&s.config, &set(None, Some((ARTICLE, 1200))))
        .await
        .unwrap();
    assert_eq!(
        out,
        format!("article {ARTICLE} views: starting number set to 1200 (shown now: 1201)\n")
    );
    // Everywhere the counts are shown.
    assert_eq!(stats_total(&s).await, 2_504_501);
    let article = s.get(&format!("/api/v1/articles/{ARTICLE}")).await.json();
    assert_eq!(article["counters"]["total_visits"], 2_504_501);
    let r = visit("s2").await;
    assert_eq!(
        (r["total_visits"].as_u64(), r["views"].as_u64()),
        (Some(2_504_502), Some(1202))
    );
    let counts = s
        .get(&format!("/api/v1/counts?ids={ARTICLE},{OTHER}"))
        .await
        .json();
    assert_eq!(counts[ARTICLE]["views"], 1202);
    assert_eq!(
        counts[ARTICLE]["comments"], 1,
        "comment counts have no offset"
    );
    assert_eq!(counts[OTHER]["views"], 0);
    // Setting replaces, it does not add; both at once; 0 removes.
    let out = bantin_server::counts_cli::run(&s.config, &set(Some(100), Some((ARTICLE, 5))))
        .await
        .unwrap();
    assert_eq!(
        out,
        format!(
            "site visits: starting number set to 100 (shown now: 102)\n\
             article {ARTICLE} views: starting number set to 5 (shown now: 7)\n"
        )
    );
    assert_eq!(stats_total(&s).await, 102);
    let show = bantin_server::counts_cli::run(&s.config, &CountsAction::Show)
        .await
        .unwrap();
    assert_eq!(
        show,
        format!(
            "site visits: starting number 100 (shown now: 102)\n\
             article {ARTICLE} views: starting number 5 (shown now: 7)\n"
        )
    );
    bantin_server::counts_cli::run(&s.config, &set(Some(0), Some((ARTICLE, 0))))
        .await
        .unwrap();
    assert_eq!(stats_total(&s).await, 2);
    let show = bantin_server::counts_cli::run(&s.config, &CountsAction::Show)
        .await
        .unwrap();
    assert_eq!(
        show,
        "site visits: starting number 0 (shown now: 2)\narticle views: no starting numbers\n"
    );
    // A database that cannot be opened is an error, not a panic.
    let mut broken = s.config.clone();
    broken.db = Database::Sqlite(s.dir.path().join("no-such-dir/x.db"));
    let e = bantin_server::counts_cli::run(&broken, &CountsAction::Show)
        .await
        .unwrap_err();
    assert!(e.contains("opening database"), "{e}");
}

async fn the_counts_command_of_the_binary(b: Backend) {
    let s = TestServer::start(b).await;
    let v = s.visitor().await;
    s.visit(&v, "s1").await;
    let out = binary(&s, &["counts", "set", "--site-visits", "2504500"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "site visits: starting number set to 2504500 (shown now: 2504501)\n"
    );
    // The running server shows it at once.
    assert_eq!(stats_total(&s).await, 2_504_501);
    let out = binary(
        &s,
        &["counts", "set", "--article", ARTICLE, "--views", "1200"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("article {ARTICLE} views: starting number set to 1200 (shown now: 1200)\n")
    );
    let out = binary(&s, &["counts", "show"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "site visits: starting number 2504500 (shown now: 2504501)\n\
             article {ARTICLE} views: starting number 1200 (shown now: 1200)\n"
        )
    );
    // Refused: nothing to set, views without an article, a bad id, a negative number.
    for args in [
        &["counts", "set"][..],
        &["counts", "set", "--views", "5"],
        &["counts", "set", "--article", "../x", "--views", "5"],
        &["counts", "set", "--site-visits", "-5"],
        &["counts", "bogus"],
    ] {
        let out = binary(&s, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
    assert_eq!(stats_total(&s).await, 2_504_501);
}

/// Starting numbers and imported counts are at most 2^53 − 1 (exact as a
/// browser's JSON number; live counts added to it never overflow): more is
/// refused with nothing stored (API 422, CLI exit 2); one stored before the
/// bound (up to 2^63 − 1) is read as the maximum, never a 500.
async fn starting_numbers_past_the_maximum(b: Backend) {
    /// `bantin_protocol::limits::STARTING_NUMBER_MAX`.
    const MAX: u64 = (1 << 53) - 1;
    let s = TestServer::start(b).await;
    let v = s.visitor().await;
    s.visit(&v, "s1").await;
    for (doc, field) in [
        (
            json!({"visits": {"total_visits": i64::MAX, "articles": []}}),
            "visits.total_visits",
        ),
        (
            json!({"visits": {"total_visits": 0, "articles": [{"article_id": ARTICLE, "views": MAX + 1}]}}),
            "visits.articles[0].views",
        ),
    ] {
        let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{doc}"
        );
        assert!(r.message().starts_with(field), "{}", r.message());
    }
    assert_eq!(stats_total(&s).await, 1, "nothing stored");
    for args in [
        &["counts", "set", "--site-visits", "9223372036854775807"][..],
        &["counts", "set", "--site-visits", "9007199254740992"],
        &[
            "counts",
            "set",
            "--article",
            ARTICLE,
            "--views",
            "9007199254740992",
        ],
    ] {
        let out = binary(&s, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    assert!(
        bantin_server::counts_cli::run(&s.config, &set(Some(MAX + 1), None))
            .await
            .is_err()
    );
    assert_eq!(stats_total(&s).await, 1, "nothing stored");
    let counts = s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await.json();
    assert_eq!(counts[ARTICLE]["views"], 0);

    // The maximum itself is taken; an import adding to it stays at it.
    let out = binary(&s, &["counts", "set", "--site-visits", &MAX.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json!({"visits": {"total_visits": MAX, "articles": [{"article_id": ARTICLE, "views": MAX}]}});
    let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shown = bantin_server::counts_cli::run(&s.config, &CountsAction::Show)
        .await
        .unwrap();
    assert!(
        shown.starts_with(&format!("site visits: starting number {MAX} ")),
        "{shown}"
    );
    assert_eq!(stats_total(&s).await, MAX + 1);

    // An old database holding more: read as the maximum, the live counts added.
    let store = bantin_server::open_store(&s.config).await.unwrap();
    for kind in [
        bantin_server::store::OffsetKind::SiteVisits,
        bantin_server::store::OffsetKind::ArticleViews(ARTICLE.into()),
    ] {
        store.set_offset(kind, i64::MAX as u64).await.unwrap();
    }
    assert_eq!(stats_total(&s).await, MAX + 1);
    let r = s.get(&format!("/api/v1/articles/{ARTICLE}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["counters"]["total_visits"], MAX + 1);
    let r = s
        .post(
            "/api/v1/visits",
            &json!({"visitor": v, "session": "s2", "article_id": ARTICLE}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = r.json();
    assert_eq!(
        (r["total_visits"].as_u64(), r["views"].as_u64()),
        (Some(MAX + 2), Some(MAX + 1))
    );
    let counts = s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await;
    assert_eq!(counts.status, 200, "{}", counts.body);
    assert_eq!(counts.json()[ARTICLE]["views"], MAX + 1);
    let r = s.admin("GET", "/api/v1/admin/export?what=visits").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["visits"]["total_visits"], MAX + 2);
}
