//! `POST /visits`, `GET /stats`: visits, heartbeats, online.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    visits_count_sessions_and_online_visitors,
    views_count_once_per_session_per_article,
    views_per_credential_are_capped_like_visits,
);

async fn visits_count_sessions_and_online_visitors(b: Backend) {
    let s = TestServer::start(b).await;
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 0, "online": 0})
    );
    let (v1, v2) = (s.visitor().await, s.visitor().await);
    let visit = |v: &str, sess: &str| json!({"visitor": v, "session": sess, "article_id": ARTICLE});
    let r = s.post("/api/v1/visits", &visit(&v1, "s1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The credential sent is current: nothing to hand over.
    assert_eq!(
        r.json(),
        json!({"total_visits": 1, "online": 1, "views": 1})
    );
    // Same session again: a heartbeat, not a visit.
    let r = s.post("/api/v1/visits", &visit(&v1, "s1")).await;
    assert_eq!(
        r.json(),
        json!({"total_visits": 1, "online": 1, "views": 1})
    );
    // New session of the same visitor: a visit, still one person online.
    let r = s.post("/api/v1/visits", &visit(&v1, "s2")).await;
    assert_eq!(
        r.json(),
        json!({"total_visits": 2, "online": 1, "views": 2})
    );
    let r = s.visit(&v2, "s1").await;
    assert_eq!(r.json(), json!({"total_visits": 3, "online": 2}));
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 3, "online": 2})
    );
    for (body, field) in [
        (json!({"visitor": v1}), "session"),
        (json!({"visitor": v1, "session": "x".repeat(65)}), "session"),
        (
            json!({"visitor": v1, "session": "s", "article_id": "../x"}),
            "article_id",
        ),
    ] {
        let r = s.post("/api/v1/visits", &body).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{body}"
        );
        assert!(r.message().starts_with(field), "{}", r.message());
    }
    // A visitor id the client made up counts nothing.
    let r = s.visit("v1", "s9").await;
    assert_eq!((r.status, r.code().as_str()), (401, "visitor_invalid"));
    assert_eq!(s.get("/api/v1/stats").await.json()["total_visits"], 3);
}

async fn views_count_once_per_session_per_article(b: Backend) {
    let s = TestServer::start(b).await;
    let (v1, v2) = (s.visitor().await, s.visitor().await);
    let visit = |v: &str, session: &str, article: Option<&str>| {
        let mut body = json!({"visitor": v, "session": session});
        if let Some(a) = article {
            body["article_id"] = a.into();
        }
        let s = s.clone_client();
        async move {
            let r = s.post("/api/v1/visits", &body).await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()
        }
    };
    // A page without an article: no views in the answer.
    let r = visit(&v1, "s1", None).await;
    assert!(r.get("views").is_none(), "{r}");
    // The article in the same session: counted once, however often it is
    // reloaded or its heartbeats come.
    for _ in 0..3 {
        assert_eq!(visit(&v1, "s1", Some(ARTICLE)).await["views"], 1);
    }
    // Another article in the same session counts once for that article.
    assert_eq!(visit(&v1, "s1", Some(OTHER)).await["views"], 1);
    assert_eq!(visit(&v1, "s1", Some(OTHER)).await["views"], 1);
    // Back to the first: still once.
    assert_eq!(visit(&v1, "s1", Some(ARTICLE)).await["views"], 1);
    // Another session, another reader: counted.
    assert_eq!(visit(&v1, "s2", Some(ARTICLE)).await["views"], 2);
    assert_eq!(visit(&v2, "s1", Some(ARTICLE)).await["views"], 3);
    // An article nobody has a file for is counted too (the id is valid).
    assert_eq!(visit(&v2, "s1", Some("bai-moi")).await["views"], 1);
    // The counts endpoint says the same.
    let c = s
        .get(&format!("/api/v1/counts?ids={ARTICLE},{OTHER}"))
        .await
        .json();
    assert_eq!(
        (c[ARTICLE]["views"].as_u64(), c[OTHER]["views"].as_u64()),
        (Some(3), Some(1))
    );
    // Concurrent first visits of new sessions: each counts exactly once.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (s, v) = (
            s.clone_client(),
            if i % 2 == 0 { v1.clone() } else { v2.clone() },
        );
        tasks.push(tokio::spawn(async move {
            let body = json!({"visitor": v, "session": format!("p{}", i / 2), "article_id": OTHER});
            s.post("/api/v1/visits", &body).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(visit(&v1, "s1", Some(OTHER)).await["views"], 41);
    // Views and their sessions are kept across a restart.
    let s = s.restart().await;
    assert_eq!(
        s.post(
            "/api/v1/visits",
            &json!({"visitor": v1, "session": "s1", "article_id": ARTICLE})
        )
        .await
        .json()["views"],
        3
    );
}

async fn views_per_credential_are_capped_like_visits(b: Backend) {
    let s = TestServer::start_with(b, |c| c.visits_per_visitor = 3).await;
    let v = s.visitor().await;
    let mut views = Vec::new();
    for i in 0..5 {
        let r = s
            .post(
                "/api/v1/visits",
                &json!({"visitor": v, "session": format!("s{i}"), "article_id": ARTICLE}),
            )
            .await;
        views.push(r.json()["views"].as_u64().unwrap());
    }
    // Fresh sessions cost nothing to make: one credential counts at most
    // `--visits-per-visitor` views of an article a day.
    assert_eq!(views, [1, 2, 3, 3, 3]);
    let r = s
        .post(
            "/api/v1/visits",
            &json!({"visitor": v, "session": "s9", "article_id": OTHER}),
        )
        .await;
    assert_eq!(r.json()["views"], 1, "per article");
    let other = s.visitor().await;
    let r = s
        .post(
            "/api/v1/visits",
            &json!({"visitor": other, "session": "s1", "article_id": ARTICLE}),
        )
        .await;
    assert_eq!(r.json()["views"], 4, "per credential");
}
