//! Readers' reports: once per credential, counted in the console, the
//! comment hidden after `--hide-after-reports` until an editor decides.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    reports_count_once_per_credential,
    reported_comments_hide_until_an_editor_decides,
    reports_hide_a_comment_only_from_enough_networks,
);

const PW: &str = "mật khẩu dài đủ";

fn report_path(id: u64) -> String {
    format!("/api/v1/articles/{ARTICLE}/comments/{id}/report")
}

/// A report by `visitor` from the client address `ip` (`X-Forwarded-For`,
/// the server trusting 127.0.0.1 as its proxy).
async fn report_from(s: &TestServer, id: u64, visitor: &str, ip: &str) -> Resp {
    let body = serde_json::to_vec(&json!({ "visitor": visitor })).unwrap();
    s.request(
        "POST",
        &report_path(id),
        &[
            ("content-type", "application/json"),
            ("x-forwarded-for", ip),
        ],
        Some(body),
    )
    .await
}

fn behind_proxy(c: &mut bantin_server::config::Config) {
    c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
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
    let s = TestServer::start_with(b, |c| {
        c.hide_after_reports = 2;
        behind_proxy(c);
    })
    .await;
    s.add_user("lan", "moderator", PW).await;
    let e = s.sign_in("lan", PW).await;
    let id = s.comment(ARTICLE, "An", "gây tranh cãi", None).await.json()["id"]
        .as_u64()
        .unwrap();
    let readers = s.visitors(5).await;
    for (v, ip) in readers[..2].iter().zip(["192.0.2.1", "198.51.100.2"]) {
        let r = report_from(&s, id, v, ip).await;
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
    let r = report_from(&s, id, &readers[2], "203.0.113.3").await;
    assert_eq!(r.status, 204);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"][0]["id"].as_u64(),
        Some(id),
        "one new report is under the limit"
    );
    // From a network that reported before the approval: counted anew.
    let r = report_from(&s, id, &readers[3], "192.0.2.1").await;
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

/// Several credentials of one network (an IPv4 /24, an IPv6 /48) hide
/// nothing by themselves: their reports all count in the console, but
/// toward hiding as one.
async fn reports_hide_a_comment_only_from_enough_networks(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.hide_after_reports = 3;
        behind_proxy(c);
    })
    .await;
    let id = s.comment(ARTICLE, "An", "bị nhắm tới", None).await.json()["id"]
        .as_u64()
        .unwrap();
    let listed = |s: &TestServer| {
        let s = s.clone_client();
        async move {
            let page = s.get(&comments_path(ARTICLE)).await.json();
            let counts = s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await.json();
            (
                page["items"].as_array().unwrap().len(),
                counts[ARTICLE]["comments"].as_u64(),
            )
        }
    };
    let readers = s.visitors(8).await;
    // Three credentials from three addresses of one /24: counted, not hidden.
    for (v, ip) in readers[..3]
        .iter()
        .zip(["203.0.113.7", "203.0.113.8", "203.0.113.250"])
    {
        let r = report_from(&s, id, v, ip).await;
        assert_eq!(r.status, 204, "{}", r.body);
    }
    assert_eq!(listed(&s).await, (1, Some(1)), "one network hides nothing");
    // Two /64s of one IPv6 /48: one more network.
    for (v, ip) in readers[3..5]
        .iter()
        .zip(["2001:db8:1:2::5", "2001:db8:1:ffff::9"])
    {
        let r = report_from(&s, id, v, ip).await;
        assert_eq!(r.status, 204, "{}", r.body);
    }
    assert_eq!(listed(&s).await, (1, Some(1)), "two networks hide nothing");
    let q = s
        .admin("GET", "/api/v1/admin/queue?status=all&reported=true")
        .await
        .json();
    assert_eq!(
        q["items"][0]["reports"], 5,
        "every report counts in the queue"
    );
    // A third network hides it.
    let r = report_from(&s, id, &readers[5], "198.51.100.4").await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(listed(&s).await, (0, Some(0)));
    let q = s.admin("GET", "/api/v1/admin/queue").await.json();
    assert_eq!(
        (q["items"][0]["id"].as_u64(), q["items"][0]["hold"].as_str()),
        (Some(id), Some("reports"))
    );
}
