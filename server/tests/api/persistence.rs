//! What a restart keeps.

use crate::common::*;
use serde_json::json;

on_both_backends!(data_survives_a_restart,);

async fn data_survives_a_restart(b: Backend) {
    // No configured key: the generated one must be persisted too.
    let s = TestServer::start_with(b, |c| c.hmac_key = None).await;
    let alice = s.visitor().await;
    let v = s.visitor().await;
    assert_eq!(s.vote(ARTICLE, &alice, 4).await.status, 200);
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
    assert_eq!(s.visit(&v, "s").await.status, 200);
    let pending_challenge = s.solved_captcha().await;
    let db = s.db();

    let s = s.restart().await;
    assert_eq!(s.db(), db);
    let r = s
        .get(&format!("{}?visitor={alice}", rating_path(ARTICLE)))
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
    // The same session after the restart is still not a new visit: the
    // credential still verifies (the generated key was kept).
    let r = s.visit(&v, "s").await;
    assert_eq!(r.status, 200, "{}", r.body);
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
