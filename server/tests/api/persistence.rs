//! What a restart keeps.

use crate::common::*;
use serde_json::json;

on_both_backends!(data_survives_a_restart,);

async fn data_survives_a_restart(b: Backend) {
    // No configured key: the generated one must be persisted too.
    let s = TestServer::start_with(b, |c| c.hmac_key = None).await;
    s.put(
        &rating_path(ARTICLE),
        &json!({"stars": 4, "visitor": "alice"}),
    )
    .await;
    let r = s.comment(ARTICLE, "An", "Còn đây", None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let spent = s.solved_captcha().await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "B", "body": "y", "captcha": spent, "elapsed_ms": 4000}),
        )
        .await;
    assert_eq!(r.status, 201);
    s.post("/api/v1/visits", &json!({"visitor": "v", "session": "s"}))
        .await;
    let pending_challenge = s.solved_captcha().await;
    let db = s.db();

    let s = s.restart().await;
    assert_eq!(s.db(), db);
    let r = s
        .get(&format!("{}?visitor=alice", rating_path(ARTICLE)))
        .await
        .json();
    assert_eq!(
        (r["count"].as_u64(), r["your_vote"].as_u64()),
        (Some(1), Some(4))
    );
    let items = s.get(&comments_path(ARTICLE)).await.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 2);
    assert_eq!(items[1]["body"], "Còn đây");
    assert_eq!(s.get("/api/v1/stats").await.json()["total_visits"], 1);
    // The same session after the restart is still not a new visit.
    let r = s
        .post("/api/v1/visits", &json!({"visitor": "v", "session": "s"}))
        .await;
    assert_eq!(r.json()["total_visits"], 1);
    // A challenge issued before the restart still verifies (same key) ...
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "C", "body": "z", "captcha": pending_challenge, "elapsed_ms": 4000}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // ... and a payload spent before it is still refused.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "B", "body": "y", "captcha": spent, "elapsed_ms": 4000}),
        )
        .await;
    assert_eq!(r.status, 409);
}
