//! `POST`/`DELETE /articles/{id}/comments/{comment}/like`: one like per
//! credential, idempotent both ways, published comments only, credentials
//! judged as for votes, capped per network per article per day.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::json;

on_both_backends!(
    likes_are_one_per_credential_and_idempotent,
    likes_need_a_valid_credential_and_a_published_comment,
    likes_are_capped_per_network_and_undo_gives_nothing_back,
    likes_are_writes_from_the_portal_only,
    concurrent_likes_of_one_comment_count_exactly,
);

/// The likes each listed comment shows, top-level and replies, by id.
async fn listed_likes(s: &TestServer) -> Vec<(u64, u64)> {
    let page = s
        .get(&format!("{}?limit=100", comments_path(ARTICLE)))
        .await
        .json();
    let mut out = Vec::new();
    for c in page["items"].as_array().unwrap() {
        out.push((c["id"].as_u64().unwrap(), c["likes"].as_u64().unwrap()));
        for r in c["replies"].as_array().unwrap() {
            out.push((r["id"].as_u64().unwrap(), r["likes"].as_u64().unwrap()));
        }
    }
    out
}

async fn likes_are_one_per_credential_and_idempotent(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, _) = posted(&s, ARTICLE, "Hay", None).await;
    let (reply, _) = posted(&s, ARTICLE, "Đồng ý", Some(top)).await;
    let (alice, bob) = (s.visitor().await, s.visitor().await);
    assert_eq!(listed_likes(&s).await, [(top, 0), (reply, 0)]);

    let r = set_like(&s, ARTICLE, top, &alice, true).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"likes": 1, "liked": true}));
    // Twice: still one.
    let r = set_like(&s, ARTICLE, top, &alice, true).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": true}));
    let r = set_like(&s, ARTICLE, top, &bob, true).await;
    assert_eq!(r.json(), json!({"likes": 2, "liked": true}));
    // Replies can be liked too.
    let r = set_like(&s, ARTICLE, reply, &bob, true).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": true}));
    assert_eq!(listed_likes(&s).await, [(top, 2), (reply, 1)]);

    // Undo, undo again, undo one never given: 200 with the state.
    let r = set_like(&s, ARTICLE, top, &alice, false).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": false}));
    let r = set_like(&s, ARTICLE, top, &alice, false).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": false}));
    let r = set_like(&s, ARTICLE, reply, &alice, false).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": false}));
    // Liked again after the undo.
    let r = set_like(&s, ARTICLE, top, &alice, true).await;
    assert_eq!(r.json(), json!({"likes": 2, "liked": true}));
    assert_eq!(listed_likes(&s).await, [(top, 2), (reply, 1)]);

    // The cookie stands in for an empty `visitor`, as for votes.
    let r = s.request("POST", VISITORS, &[], None).await;
    let carol = cookie_of(&r).unwrap();
    let r = s
        .request(
            "POST",
            &like_path(ARTICLE, top),
            &[("content-type", "application/json"), ("cookie", &carol)],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(r.json(), json!({"likes": 3, "liked": true}), "{}", r.body);
    let r = s
        .request(
            "DELETE",
            &like_path(ARTICLE, top),
            &[("content-type", "application/json"), ("cookie", &carol)],
            Some(br#"{"visitor":""}"#.to_vec()),
        )
        .await;
    assert_eq!(r.json(), json!({"likes": 2, "liked": false}));

    // The likes survive a restart.
    let s = s.restart().await;
    assert_eq!(listed_likes(&s).await, [(top, 2), (reply, 1)]);
}

async fn likes_need_a_valid_credential_and_a_published_comment(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let (pending, _) = posted(&s, ARTICLE, "Chờ duyệt", None).await;
    let (published, _) = posted(&s, ARTICLE, "Đã duyệt", None).await;
    assert_eq!(
        s.admin(
            "POST",
            &format!("/api/v1/admin/comments/{published}/approve")
        )
        .await
        .status,
        200
    );
    let v = s.visitor().await;
    for like in [true, false] {
        // Unknown, pending, on another article, not a number.
        for path in [
            like_path(ARTICLE, 999_999),
            like_path(ARTICLE, pending),
            like_path(OTHER, published),
            format!("/api/v1/articles/{ARTICLE}/comments/x1/like"),
            format!("/api/v1/articles/{ARTICLE}/comments/0/like"),
        ] {
            let method = if like { "POST" } else { "DELETE" };
            let r = s.send_json(method, &path, &json!({"visitor": v})).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (404, "comment_not_found"),
                "{method} {path}: {}",
                r.body
            );
        }
        let r = s
            .send_json(
                "POST",
                "/api/v1/articles/..%2Fx/comments/1/like",
                &json!({"visitor": v}),
            )
            .await;
        assert_eq!(r.status, 404);
        // No credential, a made-up one, an altered one.
        let mut altered = v.clone().into_bytes();
        altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        for (body, code) in [
            (json!({}), "visitor_required"),
            (json!({"visitor": ""}), "visitor_required"),
            (json!({"visitor": "alice"}), "visitor_invalid"),
            (json!({"visitor": altered}), "visitor_invalid"),
        ] {
            let method = if like { "POST" } else { "DELETE" };
            let r = s
                .send_json(method, &like_path(ARTICLE, published), &body)
                .await;
            assert_eq!((r.status, r.code().as_str()), (401, code), "{body}");
            assert_eq!(
                r.header("www-authenticate"),
                Some("Visitor realm=\"bantin\"")
            );
        }
    }
    // Malformed bodies.
    for (body, status, code) in [
        (&b"{"[..], 400, "malformed_json"),
        (b"[]", 400, "malformed_json"),
        (br#"{"visitor":7}"#, 422, "invalid_field"),
    ] {
        let r = s
            .request(
                "POST",
                &like_path(ARTICLE, published),
                JSON,
                Some(body.to_vec()),
            )
            .await;
        assert_eq!((r.status, r.code().as_str()), (status, code));
    }
    // Nothing was counted.
    let r = set_like(&s, ARTICLE, published, &v, true).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": true}));
}

async fn likes_are_capped_per_network_and_undo_gives_nothing_back(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        c.likes_per_network = 3;
    })
    .await;
    let (first, _) = posted(&s, ARTICLE, "Một", None).await;
    let (second, _) = posted(&s, ARTICLE, "Hai", None).await;
    let (elsewhere, _) = posted(&s, OTHER, "Ba", None).await;
    let office = [("x-forwarded-for", "203.0.113.50")];
    let like_from = |ip: &'static str, article: &'static str, comment: u64, v: String, like| {
        let s = s.clone_client();
        async move {
            let method = if like { "POST" } else { "DELETE" };
            s.request(
                method,
                &like_path(article, comment),
                &[
                    ("x-forwarded-for", ip),
                    ("content-type", "application/json"),
                ],
                Some(json!({ "visitor": v }).to_string().into_bytes()),
            )
            .await
        }
    };
    let readers = [
        s.visitor_with(&office).await,
        s.visitor_with(&office).await,
        s.visitor_with(&office).await,
    ];
    // Three new likes on the article from the office, across its comments.
    for (v, c) in readers.iter().zip([first, first, second]) {
        let r = like_from("203.0.113.50", ARTICLE, c, v.clone(), true).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // A repeat is no new like; an undo gives nothing back.
    let r = like_from("203.0.113.50", ARTICLE, first, readers[0].clone(), true).await;
    assert_eq!(r.status, 200);
    let r = like_from("203.0.113.50", ARTICLE, first, readers[0].clone(), false).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": false}));
    let r = like_from("203.0.113.50", ARTICLE, first, readers[0].clone(), true).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (429, "network_cap_reached"),
        "{}",
        r.body
    );
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry));
    assert!(r.message().contains("3 new likes"), "{}", r.message());
    let r = like_from("203.0.113.50", ARTICLE, second, readers[1].clone(), true).await;
    assert_eq!(r.status, 429);
    // Nothing was stored by the refused ones.
    assert_eq!(
        like_from("198.51.100.1", ARTICLE, second, readers[1].clone(), false)
            .await
            .json(),
        json!({"likes": 1, "liked": false})
    );
    // Per article, and per network.
    let r = like_from("203.0.113.50", OTHER, elsewhere, readers[0].clone(), true).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = like_from("198.51.100.1", ARTICLE, second, readers[1].clone(), true).await;
    assert_eq!(r.json(), json!({"likes": 2, "liked": true}));
    // Taking a like back is never capped.
    let r = like_from("203.0.113.50", ARTICLE, second, readers[2].clone(), false).await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": false}));
}

async fn likes_are_writes_from_the_portal_only(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, _) = posted(&s, ARTICLE, "Hay", None).await;
    let v = s.visitor().await;
    let body = json!({ "visitor": v }).to_string().into_bytes();
    for method in ["POST", "DELETE"] {
        let r = s
            .request(
                method,
                &like_path(ARTICLE, top),
                &[
                    ("origin", "https://evil.example"),
                    ("content-type", "application/json"),
                ],
                Some(body.clone()),
            )
            .await;
        assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
        let r = s
            .request(
                method,
                &like_path(ARTICLE, top),
                &[("content-type", "text/plain")],
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (415, "unsupported_media_type")
        );
    }
    let r = s
        .request(
            "POST",
            &like_path(ARTICLE, top),
            &[
                ("origin", &format!("http://{}", s.addr)),
                ("content-type", "application/json"),
            ],
            Some(body),
        )
        .await;
    assert_eq!(r.json(), json!({"likes": 1, "liked": true}));
    let r = s.get(&like_path(ARTICLE, top)).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
}

async fn concurrent_likes_of_one_comment_count_exactly(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, _) = posted(&s, ARTICLE, "Hay", None).await;
    let (other, _) = posted(&s, ARTICLE, "Cũng hay", None).await;
    let readers = s.visitors(40).await;
    // Each reader likes both comments twice at once, then half take one back.
    let mut tasks = Vec::new();
    for v in &readers {
        for c in [top, top, other, other] {
            let (s, v) = (s.clone_client(), v.clone());
            tasks.push(tokio::spawn(async move {
                set_like(&s, ARTICLE, c, &v, true).await.status
            }));
        }
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let mut tasks = Vec::new();
    for v in readers.iter().step_by(2) {
        let (s, v) = (s.clone_client(), v.clone());
        tasks.push(tokio::spawn(async move {
            set_like(&s, ARTICLE, top, &v, false).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let likes = listed_likes(&s).await;
    assert_eq!(likes, [(other, 40), (top, 20)]);
}
