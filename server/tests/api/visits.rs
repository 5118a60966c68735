//! `POST /visits`, `GET /stats`: visits, heartbeats, online.

use crate::common::*;
use serde_json::json;

on_both_backends!(visits_count_sessions_and_online_visitors,);

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
    assert_eq!(r.json(), json!({"total_visits": 1, "online": 1}));
    // Same session again: a heartbeat, not a visit.
    let r = s.post("/api/v1/visits", &visit(&v1, "s1")).await;
    assert_eq!(r.json(), json!({"total_visits": 1, "online": 1}));
    // New session of the same visitor: a visit, still one person online.
    let r = s.post("/api/v1/visits", &visit(&v1, "s2")).await;
    assert_eq!(r.json(), json!({"total_visits": 2, "online": 1}));
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
