//! `/admin/comments`: the moderation queue, approve, delete, the token.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::json;

on_both_backends!(moderation_queue_and_admin, admin_is_absent_without_a_token,);

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
