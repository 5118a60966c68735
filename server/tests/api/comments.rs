//! `GET`/`POST /articles/{id}/comments`: posting, listing, nesting, paging, validation, `client_key`.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::{json, Value};

on_both_backends!(
    comments_post_list_nest_and_page,
    comments_are_stored_as_plain_text,
    comment_fields_are_validated,
    comment_resent_with_its_client_key_is_stored_once,
    comment_resent_with_its_spent_payload_is_the_duplicate_not_a_replay,
    client_key_is_per_article,
    twenty_concurrent_posts_with_one_client_key_store_one_comment,
    invalid_client_key_is_refused_precisely,
);

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
    assert_eq!(first.json()["status"], "published");
    assert!(first.json()["edit_token"].is_string());

    // The answer got lost; the widget retries with a freshly solved payload.
    let fresh = s.solved_captcha().await;
    let again = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &fresh, "Một lần thôi"),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    // The same answer, the same edit token included.
    assert_eq!(again.json(), first.json());
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![id]);
    // The duplicate did not spend the fresh payload.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment("another-key-0001-0123456789abcdef", &fresh, "Khác"),
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
    assert_eq!(
        (r.json()["id"].as_u64(), r.json()["status"].as_str()),
        (Some(pending), Some("pending"))
    );
    let r = q
        .admin("POST", &format!("/api/v1/admin/comments/{pending}/approve"))
        .await;
    assert_eq!(r.status, 200);
    let r = post(q.solved_captcha().await).await;
    assert_eq!(
        (r.json()["id"].as_u64(), r.json()["status"].as_str()),
        (Some(pending), Some("published"))
    );
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
        assert_eq!(r.json(), first.json());
    }
    assert_eq!(listed_ids(&s, ARTICLE).await, vec![id]);
    // The spent payload with another key (or none) is still a replay.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment("another-key-0001-0123456789abcdef", &captcha, "x"),
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
        json!("12345678"),
        json!("0b6f0c9e8a434a529d3c2c1a1f0e9b7"),
        json!(too_long),
        json!("0b6f0c9e 8a43-4a52-9d3c-2c1a1f0e9b7d"),
        json!("0b6f0c9e.8a43-4a52-9d3c-2c1a1f0e9b7d"),
        json!("khóa-bình-luận-khóa-bình-luận-khóa"),
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
            "client_key: must be 32 to 64 characters of A-Z, a-z, 0-9, '-' or '_'",
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
    for key in [
        "0b6f0c9e8a434a529d3c2c1a1f0e9b7d".to_string(),
        "k".repeat(64),
    ] {
        let r = s
            .post(
                &comments_path(ARTICLE),
                &keyed_comment(&key, &s.solved_captcha().await, "x"),
            )
            .await;
        assert_eq!(r.status, 201, "{key}: {}", r.body);
    }
}
