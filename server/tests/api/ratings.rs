//! `GET`/`PUT /articles/{id}/rating`: votes, changes, refusals, concurrency.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    rating_vote_change_and_your_vote,
    rating_refuses_bad_votes_precisely,
    two_hundred_concurrent_votes_count_exactly,
);

async fn rating_vote_change_and_your_vote(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get(&rating_path(ARTICLE)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"count": 0, "average": 0.0, "distribution": [0, 0, 0, 0, 0]})
    );
    let (alice, bob, carol) = (s.visitor().await, s.visitor().await, s.visitor().await);

    let r = s.vote(ARTICLE, &alice, 4).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"count": 1, "average": 4.0, "distribution": [0, 0, 0, 1, 0], "your_vote": 4})
    );
    // Idempotent, then changed: still one vote.
    s.vote(ARTICLE, &alice, 4).await;
    let r = s.vote(ARTICLE, &alice, 2).await;
    assert_eq!(r.json()["count"], 1);
    assert_eq!(r.json()["distribution"], json!([0, 1, 0, 0, 0]));
    s.vote(ARTICLE, &bob, 5).await;

    let r = s
        .get(&format!("{}?visitor={alice}", rating_path(ARTICLE)))
        .await;
    assert_eq!(
        r.json(),
        json!({"count": 2, "average": 3.5, "distribution": [0, 1, 0, 0, 1], "your_vote": 2})
    );
    let r = s
        .get(&format!("{}?visitor={carol}", rating_path(ARTICLE)))
        .await;
    assert!(r.json().get("your_vote").is_none());
    // Votes are per article.
    let r = s.get(&rating_path(OTHER)).await;
    assert_eq!(r.json()["count"], 0);

    // Not a credential: refused, not silently read without `your_vote`.
    for bad in ["not%20valid", "alice"] {
        let r = s
            .get(&format!("{}?visitor={bad}", rating_path(ARTICLE)))
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_invalid"),
            "{bad}"
        );
        assert!(r.message().starts_with("visitor"), "{}", r.message());
    }
}

async fn rating_refuses_bad_votes_precisely(b: Backend) {
    let s = TestServer::start(b).await;
    let cases: &[(&str, u16, &str, &str)] = &[
        (
            r#"{"stars":6,"visitor":"v"}"#,
            422,
            "invalid_field",
            "stars",
        ),
        (
            r#"{"stars":0,"visitor":"v"}"#,
            422,
            "invalid_field",
            "stars",
        ),
        (
            r#"{"stars":300,"visitor":"v"}"#,
            422,
            "invalid_field",
            "stars",
        ),
        (
            r#"{"stars":"5","visitor":"v"}"#,
            422,
            "invalid_field",
            "stars",
        ),
        (r#"{"visitor":"v"}"#, 422, "invalid_field", "stars"),
        (
            r#"{"stars":5,"visitor":7}"#,
            422,
            "invalid_field",
            "visitor",
        ),
        (r#"{"stars":5}"#, 401, "visitor_required", "visitor"),
        (
            r#"{"stars":5,"visitor":""}"#,
            401,
            "visitor_required",
            "visitor",
        ),
        (
            r#"{"stars":5,"visitor":"a b"}"#,
            401,
            "visitor_invalid",
            "visitor",
        ),
        (
            r#"{"stars":5,"visitor":"0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d"}"#,
            401,
            "visitor_invalid",
            "visitor",
        ),
        (r#"{"stars":5,"visitor":"v""#, 400, "malformed_json", ""),
        (r#"not json"#, 400, "malformed_json", ""),
        (r#"[5,"v"]"#, 400, "malformed_json", ""),
        (r#""#, 400, "malformed_json", ""),
    ];
    for (body, status, code, field) in cases {
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                JSON,
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.status, *status, "{body}: {}", r.body);
        assert_eq!(r.code(), *code, "{body}");
        assert!(r.message().starts_with(field), "{body}: {}", r.message());
        if *status == 401 {
            assert_eq!(
                r.header("www-authenticate"),
                Some("Visitor realm=\"bantin\"")
            );
        }
    }
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 0);
}

async fn two_hundred_concurrent_votes_count_exactly(b: Backend) {
    let s = TestServer::start(b).await;
    let visitors = s.visitors(200).await;
    let mut tasks = Vec::new();
    for (i, visitor) in visitors.into_iter().enumerate() {
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            let body = json!({"stars": i % 5 + 1, "visitor": visitor});
            send(
                addr,
                "PUT",
                &rating_path(ARTICLE),
                &[("content-type", "application/json")],
                Some(body.to_string().into_bytes()),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let r = s.get(&rating_path(ARTICLE)).await.json();
    assert_eq!(r["count"], 200);
    assert_eq!(r["distribution"], json!([40, 40, 40, 40, 40]));
    assert_eq!(r["average"], 3.0);
}
