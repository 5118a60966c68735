//! The v1 API over real HTTP: the server runs in-process on 127.0.0.1:0 with
//! a temporary database. Every test runs twice: `sqlite::<name>` on a SQLite
//! file and `postgres::<name>` in a schema of its own in the PostgreSQL
//! database of `BANTIN_TEST_POSTGRES_URL` (skipped without it, a failure
//! without it when `CI` is set).

#[macro_use]
mod common;

use bantin_protocol::pow::{self, Payload};
use bantin_server::config::Moderation;
use common::*;
use serde_json::{json, Value};

on_both_backends!(
    article_is_served_validated_with_live_numbers,
    unknown_or_invalid_article_is_404_and_broken_file_is_500,
    any_article_mode_accepts_ids_without_files,
    rating_vote_change_and_your_vote,
    rating_refuses_bad_votes_precisely,
    two_hundred_concurrent_votes_count_exactly,
    comments_post_list_nest_and_page,
    comments_are_stored_as_plain_text,
    comment_fields_are_validated,
    comment_resent_with_its_client_key_is_stored_once,
    comment_resent_with_its_spent_payload_is_the_duplicate_not_a_replay,
    client_key_is_per_article,
    twenty_concurrent_posts_with_one_client_key_store_one_comment,
    invalid_client_key_is_refused_precisely,
    captcha_challenge_has_altcha_shape,
    captcha_payload_is_accepted_once,
    captcha_missing_expired_tampered_or_foreign_is_refused,
    honeypot_and_too_fast_are_refused,
    captcha_can_be_switched_off_and_min_time_configured,
    moderation_queue_and_admin,
    admin_is_absent_without_a_token,
    visits_count_sessions_and_online_visitors,
    rate_limits_answer_429_with_retry_after,
    oversized_and_malformed_bodies_never_give_500,
    unknown_paths_and_methods_answer_in_the_error_shape,
    cors_preflight_allowed_and_refused,
    cors_is_closed_by_default,
    data_survives_a_restart,
    widget_files_are_served_with_mime_types,
    precompressed_copies_are_served_to_clients_that_accept_them,
    rate_limit_keys_on_the_client_address,
);

fn rating_path(id: &str) -> String {
    format!("/api/v1/articles/{id}/rating")
}

fn comments_path(id: &str) -> String {
    format!("/api/v1/articles/{id}/comments")
}

// ------------------------------------------------------------------ articles

async fn article_is_served_validated_with_live_numbers(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get(&format!("/api/v1/articles/{ARTICLE}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let a = r.json();
    assert_eq!(a["id"], ARTICLE);
    assert_eq!(a["blocks"][0]["text"], "Đoạn một.");
    // The file's numbers are replaced by the database's.
    assert_eq!(a["rating"]["count"], 0);
    assert_eq!(a["counters"]["total_visits"], 0);

    s.put(&rating_path(ARTICLE), &json!({"stars": 5, "visitor": "v1"}))
        .await;
    s.post("/api/v1/visits", &json!({"visitor": "v1", "session": "s1"}))
        .await;
    let a = s.get(&format!("/api/v1/articles/{ARTICLE}")).await.json();
    assert_eq!(a["rating"]["count"], 1);
    assert_eq!(a["rating"]["average"], 5.0);
    assert_eq!(a["counters"]["total_visits"], 1);
    assert_eq!(a["counters"]["online"], 1);
}

async fn unknown_or_invalid_article_is_404_and_broken_file_is_500(b: Backend) {
    let s = TestServer::start(b).await;
    for path in [
        "/api/v1/articles/no-such-article",
        "/api/v1/articles/bad%20id",
        "/api/v1/articles/..",
        "/api/v1/articles/no-such-article/rating",
        "/api/v1/articles/no-such-article/comments",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(r.code(), "article_not_found", "{path}");
    }
    let r = s
        .put(
            &rating_path("no-such-article"),
            &json!({"stars": 3, "visitor": "v"}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (404, "article_not_found"));
    // The server's own broken data is its fault, not the client's.
    let r = s.get("/api/v1/articles/broken").await;
    assert_eq!((r.status, r.code().as_str()), (500, "internal"));
    assert!(
        !r.body.contains("broken.json"),
        "no internals leak: {}",
        r.body
    );
}

async fn any_article_mode_accepts_ids_without_files(b: Backend) {
    let s = TestServer::start_with(b, |c| c.any_article = true).await;
    let r = s
        .put(
            &rating_path("portal-article-42"),
            &json!({"stars": 2, "visitor": "v"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["count"], 1);
    let r = s.get("/api/v1/articles/portal-article-42").await;
    assert_eq!(r.status, 404);
}

// ------------------------------------------------------------------ ratings

async fn rating_vote_change_and_your_vote(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get(&rating_path(ARTICLE)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"count": 0, "average": 0.0, "distribution": [0, 0, 0, 0, 0]})
    );

    let r = s
        .put(
            &rating_path(ARTICLE),
            &json!({"stars": 4, "visitor": "alice"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"count": 1, "average": 4.0, "distribution": [0, 0, 0, 1, 0], "your_vote": 4})
    );
    // Idempotent, then changed: still one vote.
    s.put(
        &rating_path(ARTICLE),
        &json!({"stars": 4, "visitor": "alice"}),
    )
    .await;
    let r = s
        .put(
            &rating_path(ARTICLE),
            &json!({"stars": 2, "visitor": "alice"}),
        )
        .await;
    assert_eq!(r.json()["count"], 1);
    assert_eq!(r.json()["distribution"], json!([0, 1, 0, 0, 0]));
    s.put(
        &rating_path(ARTICLE),
        &json!({"stars": 5, "visitor": "bob"}),
    )
    .await;

    let r = s
        .get(&format!("{}?visitor=alice", rating_path(ARTICLE)))
        .await;
    assert_eq!(
        r.json(),
        json!({"count": 2, "average": 3.5, "distribution": [0, 1, 0, 0, 1], "your_vote": 2})
    );
    let r = s
        .get(&format!("{}?visitor=carol", rating_path(ARTICLE)))
        .await;
    assert!(r.json().get("your_vote").is_none());
    // Votes are per article.
    let r = s.get(&rating_path(OTHER)).await;
    assert_eq!(r.json()["count"], 0);

    let r = s
        .get(&format!("{}?visitor=not%20valid", rating_path(ARTICLE)))
        .await;
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_parameter"));
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
        (r#"{"stars":5}"#, 422, "invalid_field", "visitor"),
        (
            r#"{"stars":5,"visitor":""}"#,
            422,
            "invalid_field",
            "visitor",
        ),
        (
            r#"{"stars":5,"visitor":"a b"}"#,
            422,
            "invalid_field",
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
                &[],
                Some(body.as_bytes().to_vec()),
            )
            .await;
        assert_eq!(r.status, *status, "{body}: {}", r.body);
        assert_eq!(r.code(), *code, "{body}");
        assert!(r.message().starts_with(field), "{body}: {}", r.message());
    }
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 0);
}

async fn two_hundred_concurrent_votes_count_exactly(b: Backend) {
    let s = TestServer::start(b).await;
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            let body = json!({"stars": i % 5 + 1, "visitor": format!("visitor-{i}")});
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

// ------------------------------------------------------------------ comments

async fn comments_post_list_nest_and_page(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get(&comments_path(ARTICLE)).await;
    assert_eq!(r.json(), json!({"items": [], "next": null}));

    let mut ids = Vec::new();
    for i in 0..5 {
        let r = s
            .comment(
                ARTICLE,
                &format!("Người {i}"),
                &format!("Bình luận {i}\ndòng hai"),
                None,
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["status"], "published");
        ids.push(r.json()["id"].as_u64().unwrap());
    }
    let reply = s.comment(ARTICLE, "Đáp", "Trả lời", Some(ids[4])).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let reply_id = reply.json()["id"].as_u64().unwrap();

    // Newest first, replies nested under their parent.
    let page = s
        .get(&format!("{}?limit=2", comments_path(ARTICLE)))
        .await
        .json();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"].as_u64(), Some(ids[4]));
    assert_eq!(items[0]["body"], "Bình luận 4\ndòng hai");
    assert_eq!(items[0]["author"], "Người 4");
    assert!(items[0]["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(items[0]["replies"][0]["id"].as_u64(), Some(reply_id));
    assert_eq!(items[0]["replies"][0]["parent_id"].as_u64(), Some(ids[4]));
    assert_eq!(items[1]["id"].as_u64(), Some(ids[3]));
    let next = page["next"].as_str().unwrap().to_owned();

    let page2 = s
        .get(&format!("{}?limit=2&cursor={next}", comments_path(ARTICLE)))
        .await
        .json();
    let got: Vec<u64> = page2["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, vec![ids[2], ids[1]]);
    let page3 = s
        .get(&format!(
            "{}?limit=2&cursor={}",
            comments_path(ARTICLE),
            page2["next"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(page3["items"].as_array().unwrap().len(), 1);
    assert_eq!(page3["next"], Value::Null);

    // Replies only to top-level comments of the same article.
    let r = s
        .comment(ARTICLE, "X", "reply to reply", Some(reply_id))
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
    assert!(r.message().starts_with("parent_id"));
    let r = s.comment(OTHER, "X", "cross-article", Some(ids[0])).await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
    let r = s.comment(ARTICLE, "X", "no parent", Some(999_999)).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        s.get(&comments_path(OTHER)).await.json()["items"],
        json!([])
    );

    for q in ["limit=0", "limit=101", "limit=abc", "cursor=-1", "cursor=x"] {
        let r = s.get(&format!("{}?{q}", comments_path(ARTICLE))).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{q}"
        );
    }

    // The e-mail sent with every comment never came back.
    for body in s.seen.lock().unwrap().iter() {
        assert!(!body.contains("secret.reader"), "email leaked: {body}");
    }
}

async fn comments_are_stored_as_plain_text(b: Backend) {
    let s = TestServer::start(b).await;
    let body = "<script>alert(1)</script> & <b>x</b>";
    let r = s.comment(ARTICLE, "<i>An</i>", body, None).await;
    assert_eq!(r.status, 201);
    let items = s.get(&comments_path(ARTICLE)).await.json()["items"].clone();
    assert_eq!(items[0]["body"], body);
    assert_eq!(items[0]["author"], "<i>An</i>");
    let raw = s.get(&comments_path(ARTICLE)).await;
    assert!(raw
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

async fn comment_fields_are_validated(b: Backend) {
    let s = TestServer::start(b).await;
    let long_author = "ư".repeat(81);
    let long_body = "b".repeat(2001);
    let cases = [
        (json!({"author": long_author, "body": "x"}), "author"),
        (json!({"author": "   ", "body": "x"}), "author"),
        (json!({"author": "An", "body": " \n "}), "body"),
        (json!({"author": "An", "body": long_body}), "body"),
        (
            json!({"author": "An", "body": "x", "email": "not-an-email"}),
            "email",
        ),
        (json!({"body": "x"}), "author"),
        (
            json!({"author": "An", "body": "x", "parent_id": "7"}),
            "parent_id",
        ),
        (
            json!({"author": "An", "body": "x", "elapsed_ms": -1}),
            "elapsed_ms",
        ),
    ];
    for (mut body, field) in cases {
        body["captcha"] = s.solved_captcha().await.into();
        if body.get("elapsed_ms").is_none() {
            body["elapsed_ms"] = 5000.into();
        }
        let r = s.post(&comments_path(ARTICLE), &body).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{body}"
        );
        assert!(r.message().starts_with(field), "{field}: {}", r.message());
    }
    // Exactly at the limits is fine.
    let r = s
        .comment(ARTICLE, &"ư".repeat(80), &"đ".repeat(2000), None)
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

// ------------------------------------------------------------------ idempotent comments

const CLIENT_KEY: &str = "0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d";

fn keyed_comment(key: &str, captcha: &str, body: &str) -> Value {
    json!({
        "author": "An", "email": "secret.reader@example.vn", "body": body,
        "captcha": captcha, "elapsed_ms": 5_000, "website": "", "client_key": key
    })
}

/// Ids of the comments listed on `article` (top level, newest first).
async fn listed_ids(s: &TestServer, article: &str) -> Vec<u64> {
    s.get(&format!("{}?limit=100", comments_path(article)))
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect()
}

async fn comment_resent_with_its_client_key_is_stored_once(b: Backend) {
    let s = TestServer::start(b).await;
    let first = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &s.solved_captcha().await, "Một lần thôi"),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let id = first.json()["id"].as_u64().unwrap();
    assert_eq!(first.json(), json!({"id": id, "status": "published"}));

    // The answer got lost; the widget retries with a freshly solved payload.
    let fresh = s.solved_captcha().await;
    let again = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &fresh, "Một lần thôi"),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json(), json!({"id": id, "status": "published"}));
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![id]);
    // The duplicate did not spend the fresh payload.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment("another-key-0001", &fresh, "Khác"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(listed_ids(&s, ARTICLE).await.len(), 2);

    // Held for moderation: the duplicate answers with the stored status,
    // then with the status after approval.
    let q = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let post = |captcha: String| {
        let q = &q;
        async move {
            q.post(
                &comments_path(ARTICLE),
                &keyed_comment(CLIENT_KEY, &captcha, "Chờ duyệt"),
            )
            .await
        }
    };
    let r = post(q.solved_captcha().await).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let pending = r.json()["id"].as_u64().unwrap();
    let r = post(q.solved_captcha().await).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"id": pending, "status": "pending"}));
    let r = q
        .admin("POST", &format!("/api/v1/admin/comments/{pending}/approve"))
        .await;
    assert_eq!(r.status, 200);
    let r = post(q.solved_captcha().await).await;
    assert_eq!(r.json(), json!({"id": pending, "status": "published"}));
    assert_eq!(listed_ids(&q, ARTICLE).await, vec![pending]);
    let all = q.admin("GET", "/api/v1/admin/comments?status=all").await;
    assert_eq!(all.json()["items"].as_array().unwrap().len(), 1);

    for body in s.seen.lock().unwrap().iter() {
        assert!(!body.contains("secret.reader"), "email leaked: {body}");
    }
}

async fn comment_resent_with_its_spent_payload_is_the_duplicate_not_a_replay(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let body = keyed_comment(CLIENT_KEY, &captcha, "Gửi lại y nguyên");
    let first = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let id = first.json()["id"].as_u64().unwrap();
    // The very same request again (its payload is spent now).
    for _ in 0..2 {
        let r = s.post(&comments_path(ARTICLE), &body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json(), json!({"id": id, "status": "published"}));
    }
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![id]);
    // The spent payload with another key (or none) is still a replay.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment("another-key-0001", &captcha, "x"),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "captcha_reused"));
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "An", "body": "x", "captcha": captcha, "elapsed_ms": 4000}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "captcha_reused"));
    // A bad payload is refused even with a known key: the captcha still guards the endpoint.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, "bm90IGpzb24=", "x"),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![id]);

    // Without a captcha demanded, a key alone deduplicates too.
    let open = TestServer::start_with(b, |c| c.captcha = false).await;
    let body = json!({"author": "An", "body": "x", "elapsed_ms": 4000, "client_key": CLIENT_KEY});
    let r = open.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r2 = open.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(r2.status, 200, "{}", r2.body);
    assert_eq!(r.json()["id"], r2.json()["id"]);
}

async fn client_key_is_per_article(b: Backend) {
    let s = TestServer::start(b).await;
    let mut ids = Vec::new();
    for article in [ARTICLE, OTHER] {
        let r = s
            .post(
                &comments_path(article),
                &keyed_comment(CLIENT_KEY, &s.solved_captcha().await, "Hai bài"),
            )
            .await;
        assert_eq!(r.status, 201, "{article}: {}", r.body);
        ids.push(r.json()["id"].as_u64().unwrap());
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![ids[0]]);
    assert_eq!(listed_ids(&s, OTHER).await, vec![ids[1]]);
    // Each is deduplicated on its own article.
    let r = s
        .post(
            &comments_path(OTHER),
            &keyed_comment(CLIENT_KEY, &s.solved_captcha().await, "Hai bài"),
        )
        .await;
    assert_eq!((r.status, r.json()["id"].as_u64()), (200, Some(ids[1])));
    // Comments without a key are never merged.
    for _ in 0..2 {
        assert_eq!(s.comment(ARTICLE, "An", "Hai bài", None).await.status, 201);
    }
    assert_eq!(listed_ids(&s, ARTICLE).await.len(), 3);
}

async fn twenty_concurrent_posts_with_one_client_key_store_one_comment(b: Backend) {
    let s = TestServer::start(b).await;
    // Twenty tabs or retries, each with a payload of its own, all at once.
    let mut bodies = Vec::new();
    for _ in 0..20 {
        bodies.push(keyed_comment(CLIENT_KEY, &s.solved_captcha().await, "Đua").to_string());
    }
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let addr = s.addr;
            tokio::spawn(async move {
                send(
                    addr,
                    "POST",
                    &comments_path(ARTICLE),
                    &[("content-type", "application/json")],
                    Some(body.into_bytes()),
                )
                .await
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => created += 1,
            200 => {}
            _ => panic!("{} {}", r.status, r.body),
        }
        assert_eq!(r.json()["status"], "published");
        ids.insert(r.json()["id"].as_u64().unwrap());
    }
    assert_eq!(created, 1, "exactly one request created the comment");
    assert_eq!(ids.len(), 1, "every answer names the same comment: {ids:?}");
    assert_eq!(
        listed_ids(&s, ARTICLE).await,
        ids.into_iter().collect::<Vec<_>>()
    );
}

async fn invalid_client_key_is_refused_precisely(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let too_long = "k".repeat(65);
    for key in [
        json!(""),
        json!("1234567"),
        json!(too_long),
        json!("0b6f0c9e 8a43"),
        json!("0b6f0c9e.8a43-4a52"),
        json!("khóa-bình-luận"),
    ] {
        let mut body = keyed_comment("placeholder", &captcha, "x");
        body["client_key"] = key.clone();
        let r = s.post(&comments_path(ARTICLE), &body).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{key}: {}",
            r.body
        );
        assert_eq!(
            r.message(),
            "client_key: must be 8 to 64 characters of A-Z, a-z, 0-9, '-' or '_'",
            "{key}"
        );
    }
    // Mistyped: the JSON layer names the field too.
    for key in [json!(12345678), json!(["0b6f0c9e-8a43"])] {
        let mut body = keyed_comment("placeholder", &captcha, "x");
        body["client_key"] = key.clone();
        let r = s.post(&comments_path(ARTICLE), &body).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{key}"
        );
        assert!(r.message().starts_with("client_key"), "{}", r.message());
    }
    assert_eq!(listed_ids(&s, ARTICLE).await, Vec::<u64>::new());
    // None of the refusals spent the payload; null means no key.
    let mut body = keyed_comment("placeholder", &captcha, "x");
    body["client_key"] = Value::Null;
    let r = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The limits themselves are fine.
    for key in ["12345678".to_string(), "k".repeat(64)] {
        let r = s
            .post(
                &comments_path(ARTICLE),
                &keyed_comment(&key, &s.solved_captcha().await, "x"),
            )
            .await;
        assert_eq!(r.status, 201, "{key}: {}", r.body);
    }
}

// ------------------------------------------------------------------ captcha

async fn captcha_challenge_has_altcha_shape(b: Backend) {
    let s = TestServer::start_with(b, |c| c.captcha_maxnumber = 5_000).await;
    let r = s.get("/api/v1/captcha").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let c = r.json();
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], 5_000);
    assert_eq!(c["challenge"].as_str().unwrap().len(), 64);
    assert_eq!(c["signature"].as_str().unwrap().len(), 64);
    let salt = c["salt"].as_str().unwrap();
    assert!(salt.ends_with('&'), "{salt}");
    let expires = pow::salt_expires(salt).unwrap();
    assert!((now() + 590..=now() + 610).contains(&expires), "{expires}");
    // Signed with the configured key.
    assert_eq!(
        pow::sign(KEY, c["challenge"].as_str().unwrap()),
        c["signature"].as_str().unwrap()
    );
    // Two challenges differ.
    let c2 = s.get("/api/v1/captcha").await.json();
    assert_ne!(c["salt"], c2["salt"]);
}

async fn captcha_payload_is_accepted_once(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let body = json!({"author": "An", "body": "Một lần", "captcha": captcha, "elapsed_ms": 4000});
    let r = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!((r.status, r.code().as_str()), (409, "captcha_reused"));
    // Also on another article.
    let r = s.post(&comments_path(OTHER), &body).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn captcha_missing_expired_tampered_or_foreign_is_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let post = |captcha: String| {
        let s = &s;
        async move {
            s.post(
                &comments_path(ARTICLE),
                &json!({"author": "An", "body": "x", "captcha": captcha, "elapsed_ms": 4000}),
            )
            .await
        }
    };
    let r = post(String::new()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_required"));

    // Correctly signed and solved, but expired.
    let c = pow::create_challenge(KEY, 1_000, now() - 5, &[1; 12], 77);
    let r = post(solve(&c)).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (422, "captcha_expired"),
        "{}",
        r.body
    );

    // A wrong number.
    let c: pow::Challenge = serde_json::from_str(&s.get("/api/v1/captcha").await.body).unwrap();
    let n = pow::solve(&c.challenge, &c.salt, c.maxnumber).unwrap();
    let r = post(Payload::new(&c, n + 1, 1).encode()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    // The expiry pushed into the future.
    let mut p = Payload::new(&c, n, 1);
    p.salt = p.salt.replace("?expires=", "?expires=9");
    let r = post(p.encode()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    // A self-made challenge signed with another key.
    let forged = pow::create_challenge(b"attacker-key-xxxxxxxx", 1_000, now() + 60, &[2; 12], 5);
    let r = post(solve(&forged)).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    for junk in ["%%%", "bm90IGpzb24=", "e30="] {
        let r = post(junk.into()).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "captcha_invalid"),
            "{junk}"
        );
    }
    // The untouched payload still works: refusals did not spend it.
    let r = post(Payload::new(&c, n, 1).encode()).await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn honeypot_and_too_fast_are_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "Bot", "body": "spam", "captcha": captcha, "elapsed_ms": 9000,
                    "website": "http://spam.example"}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "spam_detected"));
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "Bot", "body": "spam", "captcha": captcha, "elapsed_ms": 2999}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "too_fast"));
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    // Neither refusal spent the payload.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "An", "body": "ok", "captcha": captcha, "elapsed_ms": 3000}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn captcha_can_be_switched_off_and_min_time_configured(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.captcha = false;
        c.min_submit = std::time::Duration::ZERO;
    })
    .await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "An", "body": "no pow"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

// ------------------------------------------------------------------ moderation and admin

async fn moderation_queue_and_admin(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let r = s.comment(ARTICLE, "An", "Chờ duyệt", None).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["status"], "pending");
    let id = r.json()["id"].as_u64().unwrap();
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    // No reply to a comment readers cannot see.
    let r = s.comment(ARTICLE, "B", "reply", Some(id)).await;
    assert_eq!(r.status, 422);

    // Admin: token required.
    let r = s.get("/api/v1/admin/comments?status=pending").await;
    assert_eq!((r.status, r.code().as_str()), (401, "unauthorized"));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = s
        .request(
            "GET",
            "/api/v1/admin/comments",
            &[("authorization", "Bearer wrong-token-0000000000")],
            None,
        )
        .await;
    assert_eq!(r.status, 401);

    let r = s
        .admin("GET", "/api/v1/admin/comments?status=pending")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["id"].as_u64(), Some(id));
    assert_eq!(items[0]["article_id"], ARTICLE);
    assert_eq!(items[0]["status"], "pending");
    let r = s.admin("GET", "/api/v1/admin/comments?status=bogus").await;
    assert_eq!(r.status, 400);

    let r = s
        .admin("POST", &format!("/api/v1/admin/comments/{id}/approve"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"id": id, "status": "published"}));
    let listed = s.get(&comments_path(ARTICLE)).await.json();
    assert_eq!(listed["items"][0]["id"].as_u64(), Some(id));
    let r = s
        .admin("GET", "/api/v1/admin/comments?status=pending")
        .await;
    assert_eq!(r.json()["items"], json!([]));

    for (method, path) in [
        ("POST", "/api/v1/admin/comments/999999/approve".to_string()),
        ("DELETE", "/api/v1/admin/comments/999999".to_string()),
        ("DELETE", "/api/v1/admin/comments/abc".to_string()),
    ] {
        let r = s.admin(method, &path).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (404, "comment_not_found"),
            "{path}"
        );
    }
    let r = s
        .admin("DELETE", &format!("/api/v1/admin/comments/{id}"))
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    let r = s
        .admin("DELETE", &format!("/api/v1/admin/comments/{id}"))
        .await;
    assert_eq!(r.status, 404);

    for body in s.seen.lock().unwrap().iter() {
        assert!(!body.contains("secret.reader"), "email leaked: {body}");
    }
}

async fn admin_is_absent_without_a_token(b: Backend) {
    let s = TestServer::start_with(b, |c| c.admin_token = None).await;
    let r = s.admin("GET", "/api/v1/admin/comments").await;
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
}

// ------------------------------------------------------------------ visits

async fn visits_count_sessions_and_online_visitors(b: Backend) {
    let s = TestServer::start(b).await;
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 0, "online": 0})
    );
    let visit = |v: &str, sess: &str| json!({"visitor": v, "session": sess, "article_id": ARTICLE});
    let r = s.post("/api/v1/visits", &visit("v1", "s1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"total_visits": 1, "online": 1}));
    // Same session again: a heartbeat, not a visit.
    let r = s.post("/api/v1/visits", &visit("v1", "s1")).await;
    assert_eq!(r.json(), json!({"total_visits": 1, "online": 1}));
    // New session of the same visitor: a visit, still one person online.
    let r = s.post("/api/v1/visits", &visit("v1", "s2")).await;
    assert_eq!(r.json(), json!({"total_visits": 2, "online": 1}));
    let r = s
        .post("/api/v1/visits", &json!({"visitor": "v2", "session": "s1"}))
        .await;
    assert_eq!(r.json(), json!({"total_visits": 3, "online": 2}));
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 3, "online": 2})
    );
    for (body, field) in [
        (json!({"visitor": "v1"}), "session"),
        (json!({"visitor": "", "session": "s"}), "visitor"),
        (
            json!({"visitor": "v", "session": "x".repeat(65)}),
            "session",
        ),
        (
            json!({"visitor": "v", "session": "s", "article_id": "../x"}),
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
}

// ------------------------------------------------------------------ protection

async fn rate_limits_answer_429_with_retry_after(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.rate_comments = 2;
        c.rate_writes = 3;
    })
    .await;
    for _ in 0..2 {
        assert_eq!(s.comment(ARTICLE, "An", "x", None).await.status, 201);
    }
    let r = s.comment(ARTICLE, "An", "x", None).await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");

    for i in 0..3 {
        let r = s
            .put(
                &rating_path(ARTICLE),
                &json!({"stars": 3, "visitor": format!("v{i}")}),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    let r = s
        .post("/api/v1/visits", &json!({"visitor": "v", "session": "s"}))
        .await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    // Reads are not limited.
    assert_eq!(s.get(&rating_path(ARTICLE)).await.status, 200);
}

async fn oversized_and_malformed_bodies_never_give_500(b: Backend) {
    let s = TestServer::start(b).await;
    let big = format!(
        r#"{{"author":"An","body":"{}","elapsed_ms":5000}}"#,
        "x".repeat(20_000)
    );
    let r = s
        .request("POST", &comments_path(ARTICLE), &[], Some(big.into_bytes()))
        .await;
    assert_eq!((r.status, r.code().as_str()), (413, "payload_too_large"));
    let r = s
        .request("PUT", &rating_path(ARTICLE), &[], Some(vec![b' '; 70_000]))
        .await;
    assert_eq!(r.status, 413);

    let junk: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"a\":1}",
        b"\xff\xfe",
        b"{\"author\":null,\"body\":null}",
        b"{\"stars\":1e400}",
        b"{\"visitor\":{\"$gt\":\"\"},\"session\":[1]}",
        b"{\"author\":\"A\",\"body\":\"B\",\"parent_id\":18446744073709551615,\"elapsed_ms\":9999}",
    ];
    let targets = [
        ("PUT", rating_path(ARTICLE)),
        ("POST", comments_path(ARTICLE)),
        ("POST", "/api/v1/visits".to_string()),
    ];
    for (method, path) in &targets {
        for body in &junk {
            let r = s.request(method, path, &[], Some(body.to_vec())).await;
            assert!(
                matches!(r.status, 400 | 413 | 422),
                "{method} {path} {:?}: {} {}",
                String::from_utf8_lossy(body),
                r.status,
                r.body
            );
            r.code();
        }
    }
}

async fn unknown_paths_and_methods_answer_in_the_error_shape(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get("/api/v1/nothing").await;
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
    let r = s.get("/api/v2/stats").await;
    assert_eq!(r.status, 404);
    let r = s.request("DELETE", "/api/v1/stats", &[], None).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
    let r = s.request("POST", &rating_path(ARTICLE), &[], None).await;
    assert_eq!(r.status, 405);
    r.code();
}

async fn cors_preflight_allowed_and_refused(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.allowed_origins = vec!["https://portal.example".into()]
    })
    .await;
    let preflight = |origin: &'static str| {
        let s = &s;
        async move {
            s.request(
                "OPTIONS",
                &comments_path(ARTICLE),
                &[
                    ("origin", origin),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type"),
                ],
                None,
            )
            .await
        }
    };
    let r = preflight("https://portal.example").await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("content-type"));

    let r = preflight("https://evil.example").await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    assert!(r.header("access-control-allow-origin").is_none());

    let r = s
        .request(
            "GET",
            &rating_path(ARTICLE),
            &[("origin", "https://portal.example")],
            None,
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
    let r = s
        .request(
            "GET",
            &rating_path(ARTICLE),
            &[("origin", "https://evil.example")],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

async fn cors_is_closed_by_default(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s
        .request(
            "OPTIONS",
            "/api/v1/stats",
            &[
                ("origin", "https://portal.example"),
                ("access-control-request-method", "GET"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.header("access-control-allow-origin").is_none());
}

// ------------------------------------------------------------------ persistence

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

// ------------------------------------------------------------------ the widget's files

async fn widget_files_are_served_with_mime_types(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get("/").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("Bantin"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));

    let r = s.get(&format!("/{WASM}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));

    let r = s.get("/bantin.js").await;
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let r = s.get("/images/a.svg").await;
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));

    let etag = s.get("/bantin.js").await.header("etag").unwrap().to_owned();
    let r = s
        .request("GET", "/bantin.js", &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(r.status, 304);
    let r = s.request("HEAD", &format!("/{WASM}"), &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("8"));

    for path in [
        "/missing.js",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/images/..%2f..%2fsecret.txt",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("outside dist"));
    }
    let r = s.request("POST", "/index.html", &[], None).await;
    assert_eq!(r.status, 405);
    let r = s.get("/images").await;
    assert_eq!(r.status, 301);
}

async fn precompressed_copies_are_served_to_clients_that_accept_them(b: Backend) {
    let s = TestServer::start(b).await;
    let dist = s.config.dist_dir.clone();
    // The server never decodes them: markers are enough to tell which file went out.
    std::fs::write(dist.join("bantin.js.br"), "BROTLI").unwrap();
    std::fs::write(dist.join("bantin.js.gz"), "GZIP").unwrap();
    let get = |accept: &'static str| {
        let s = &s;
        async move {
            let headers: &[(&str, &str)] = if accept.is_empty() {
                &[]
            } else {
                &[("accept-encoding", accept)]
            };
            s.request("GET", "/bantin.js", headers, None).await
        }
    };
    let r = get("gzip, deflate, br").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "BROTLI");
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let br_etag = r.header("etag").unwrap().to_owned();

    let r = get("gzip").await;
    assert_eq!(r.body, "GZIP");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_ne!(r.header("etag"), Some(br_etag.as_str()));

    for accept in ["", "identity", "br;q=0, gzip;q=0"] {
        let r = get(accept).await;
        assert_eq!(r.body, "export default 1;", "{accept:?}");
        assert_eq!(r.header("content-encoding"), None, "{accept:?}");
    }
    let r = s
        .request("HEAD", "/bantin.js", &[("accept-encoding", "br")], None)
        .await;
    assert_eq!(r.header("content-length"), Some("6"));

    // Type and caching are those of the file asked for, not of its copy.
    std::fs::write(dist.join(format!("{WASM}.br")), "WASM-BROTLI").unwrap();
    let r = s
        .request(
            "GET",
            &format!("/{WASM}"),
            &[("accept-encoding", "br")],
            None,
        )
        .await;
    assert_eq!(r.body, "WASM-BROTLI");
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));

    // A copy older than its file (a rebuild that did not compress) is stale.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for stale in ["bantin.js.br", "bantin.js.gz"] {
        let f = std::fs::File::options()
            .write(true)
            .open(dist.join(stale))
            .unwrap();
        f.set_modified(old).unwrap();
    }
    let r = get("gzip, br").await;
    assert_eq!(r.body, "export default 1;");
    assert_eq!(r.header("content-encoding"), None);
}

async fn rate_limit_keys_on_the_client_address(b: Backend) {
    let vote = |ip: &'static str, i: u32| {
        let body = json!({"stars": 3, "visitor": format!("v{i}")}).to_string();
        (ip, body)
    };
    // Behind a trusted proxy: the last X-Forwarded-For entry is the client.
    let s = TestServer::start_with(b, |c| {
        c.rate_writes = 1;
        c.trust_proxy = true;
    })
    .await;
    for (i, ip) in ["198.51.100.1", "198.51.100.2"].into_iter().enumerate() {
        let (ip, body) = vote(ip, i as u32);
        let xff = format!("10.0.0.9, {ip}");
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &[("x-forwarded-for", &xff)],
                Some(body.into_bytes()),
            )
            .await;
        assert_eq!(r.status, 200, "{ip}");
    }
    let (_, body) = vote("", 9);
    let r = s
        .request(
            "PUT",
            &rating_path(ARTICLE),
            &[("x-forwarded-for", "203.0.113.5, 198.51.100.1")],
            Some(body.into_bytes()),
        )
        .await;
    assert_eq!(r.status, 429);

    // Not trusted: the header is ignored, everything comes from 127.0.0.1.
    let s = TestServer::start_with(b, |c| c.rate_writes = 1).await;
    for (i, (ip, expected)) in [("198.51.100.1", 200), ("198.51.100.2", 429)]
        .into_iter()
        .enumerate()
    {
        let (ip, body) = vote(ip, i as u32);
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &[("x-forwarded-for", ip)],
                Some(body.into_bytes()),
            )
            .await;
        assert_eq!(r.status, expected, "{ip}");
    }
}
