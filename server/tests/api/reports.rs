//! Readers' reports: once per credential, counted in the console, the
//! comment hidden after `--hide-after-reports` until an editor decides.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    reports_count_once_per_credential,
    reported_comments_hide_until_an_editor_decides,
);

const PW: &str = "mật khẩu dài đủ";

fn report_path(id: u64) -> String {
    format!("/api/v1/articles/{ARTICLE}/comments/{id}/report")
}

async fn reports_count_once_per_credential(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    let e = s.sign_in("lan", PW).await;
    let id = s.comment(ARTICLE, "An", "bình luận", None).await.json()["id"]
        .as_u64()
        .unwrap();
    let v = s.visitor().await;
    let r = s
        .post(
            &report_path(id),
            &json!({"visitor": v, "reason": "xúc phạm"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = s.post(&report_path(id), &json!({"visitor": v})).await;
    assert_eq!((r.status, r.code().as_str()), (409, "already_reported"));

    let r = s.post(&report_path(id), &json!({})).await;
    assert_eq!((r.status, r.code().as_str()), (401, "visitor_required"));
    let r = s.post(&report_path(999_999), &json!({"visitor": v})).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let r = s
        .post(
            &report_path(id),
            &json!({"visitor": s.visitor().await, "reason": "x".repeat(501)}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));

    let q = e
        .get("/api/v1/admin/queue?status=all&reported=true")
        .await
        .json();
    assert_eq!(q["total"], 1);
    assert_eq!(q["items"][0]["reports"], 1);
    assert!(q["items"][0]["first_report_at"].is_string());
    assert_eq!(
        e.get("/api/v1/admin/queue?status=published").await.json()["items"][0]["id"].as_u64(),
        Some(id),
        "one report does not hide it"
    );
}

async fn reported_comments_hide_until_an_editor_decides(b: Backend) {
    let s = TestServer::start_with(b, |c| c.hide_after_reports = 2).await;
    s.add_user("lan", "moderator", PW).await;
    let e = s.sign_in("lan", PW).await;
    let id = s.comment(ARTICLE, "An", "gây tranh cãi", None).await.json()["id"]
        .as_u64()
        .unwrap();
    let readers = s.visitors(5).await;
    for v in &readers[..2] {
        let r = s.post(&report_path(id), &json!({"visitor": v})).await;
        assert_eq!(r.status, 204, "{}", r.body);
    }
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    let q = e.get("/api/v1/admin/queue").await.json();
    assert_eq!(q["items"][0]["id"].as_u64(), Some(id));
    assert_eq!(q["items"][0]["hold"], "reports");
    assert_eq!(q["items"][0]["reports"], 2);
    // Hidden: no more reports on it (readers cannot see it).
    let r = s
        .post(&report_path(id), &json!({"visitor": readers[2]}))
        .await;
    assert_eq!(r.status, 404);

    // Approved: shown again, and the old reports do not hide it again.
    let r = e
        .send(
            "POST",
            "/api/v1/admin/queue/actions",
            &json!({"action": "approve", "ids": [id]}),
        )
        .await;
    assert_eq!(r.json()["done"], json!([id]));
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"][0]["id"].as_u64(),
        Some(id)
    );
    let r = s
        .post(&report_path(id), &json!({"visitor": readers[2]}))
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"][0]["id"].as_u64(),
        Some(id),
        "one new report is under the limit"
    );
    let r = s
        .post(&report_path(id), &json!({"visitor": readers[3]}))
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    // Rejected: it stays out.
    e.send(
        "POST",
        "/api/v1/admin/queue/actions",
        &json!({"action": "reject", "ids": [id]}),
    )
    .await;
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    let q = e
        .get("/api/v1/admin/queue?status=rejected&reported=true")
        .await
        .json();
    assert_eq!(q["items"][0]["reports"], 4);
}
