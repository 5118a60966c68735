//! Data ownership: export → import round trips (JSON; CSV for reading),
//! and one reader's data exported and deleted.

use crate::common::*;
use serde_json::{json, Value};

on_both_backends!(
    export_and_import_round_trip,
    csv_exports_and_bad_requests,
    a_readers_data_is_exported_and_deleted,
    the_export_and_import_commands,
    an_import_may_be_larger_than_other_bodies,
    an_import_with_broken_threads_stores_nothing,
);

const PW: &str = "mật khẩu dài đủ";

async fn comment_as(s: &TestServer, visitor: &str, body: &str, parent: Option<u64>) -> u64 {
    let captcha = s.solved_captcha().await;
    let mut j = json!({"author": "Lan", "email": "lan@reader.vn", "body": body,
                       "captcha": captcha, "elapsed_ms": 5000});
    if let Some(p) = parent {
        j["parent_id"] = p.into();
    }
    let r = s
        .post(
            &format!("/api/v1/articles/{ARTICLE}/comments?visitor={visitor}"),
            &j,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_u64().unwrap()
}

/// The comments of an export with ids replaced by their parent's text, so
/// that two databases' exports compare.
fn comparable(doc: &Value) -> Vec<Value> {
    let comments = doc["comments"].as_array().unwrap();
    let body_of = |id: &Value| {
        comments
            .iter()
            .find(|c| c["id"] == *id)
            .map(|c| c["body"].clone())
            .unwrap_or(Value::Null)
    };
    let mut out: Vec<Value> = comments
        .iter()
        .map(|c| {
            let mut c = c.clone();
            let parent = body_of(&c["parent_id"]);
            c["parent_id"] = parent;
            c.as_object_mut().unwrap().remove("id");
            c
        })
        .collect();
    out.sort_by_key(|c| c.to_string());
    out
}

async fn export_and_import_round_trip(b: Backend) {
    let s = TestServer::start(b).await;
    let v = s.visitor().await;
    let top = comment_as(&s, &v, "Bài hay", None).await;
    comment_as(&s, &v, "Đồng ý", Some(top)).await;
    let held = comment_as(&s, &v, "gọi 0912 345 678", None).await;
    let rejected = s.comment(ARTICLE, "B", "bị từ chối", None).await.json()["id"]
        .as_u64()
        .unwrap();
    s.admin_json(
        "POST",
        "/api/v1/admin/queue/actions",
        &json!({"action": "reject", "ids": [rejected]}),
    )
    .await;
    s.admin_json(
        "POST",
        &format!("/api/v1/admin/comments/{top}/reply"),
        &json!({"body": "Cảm ơn"}),
    )
    .await;
    assert_eq!(s.vote(ARTICLE, &v, 4).await.status, 200);
    assert_eq!(s.vote(OTHER, &s.visitor().await, 2).await.status, 200);
    let r = s
        .post(
            "/api/v1/visits",
            &json!({"visitor": v, "session": "session-0001", "article_id": ARTICLE}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let r = s
        .admin("GET", "/api/v1/admin/export?what=all&format=json")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("bantin-all.json"));
    let doc = r.json();
    assert_eq!(doc["format"], "bantin-export");
    assert_eq!(doc["comments"].as_array().unwrap().len(), 5);
    assert_eq!(doc["ratings"].as_array().unwrap().len(), 2);
    assert_eq!(doc["visits"]["total_visits"], 1);
    assert_eq!(
        doc["visits"]["articles"],
        json!([{"article_id": ARTICLE, "views": 1}])
    );
    let statuses: Vec<&str> = doc["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        vec!["published", "published", "pending", "rejected", "published"]
    );
    assert_eq!(doc["comments"][2]["id"].as_u64(), Some(held));
    assert_eq!(doc["comments"][4]["official"], true);

    // Into an empty database of the same kind.
    let t = TestServer::start(b).await;
    let r = t.admin_json("POST", "/api/v1/admin/import", &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"comments": 5, "ratings": 2, "visits": true})
    );
    let again = t.admin("GET", "/api/v1/admin/export?what=all").await.json();
    assert_eq!(comparable(&again), comparable(&doc));
    assert_eq!(again["ratings"], doc["ratings"]);
    assert_eq!(again["visits"], doc["visits"]);
    // What readers see is back: the thread, the badge, the rating, the counts.
    let page = t.get(&comments_path(ARTICLE)).await.json();
    assert_eq!(page["items"][0]["body"], "Bài hay");
    assert_eq!(page["items"][0]["replies"][1]["badge"], "Ban biên tập");
    assert_eq!(
        t.get(&format!("/api/v1/articles/{ARTICLE}/rating"))
            .await
            .json()["count"],
        1
    );
    assert_eq!(t.get("/api/v1/stats").await.json()["total_visits"], 1);
    // And the console's queue and search.
    let q = t.admin("GET", "/api/v1/admin/queue?q=goi").await.json();
    assert_eq!(q["items"][0]["body"], "gọi 0912 345 678");
    assert_eq!(q["items"][0]["has_phone"], true);

    // Bad imports change nothing.
    for (bad, field) in [
        (json!({"format": "other"}), "format"),
        (
            json!({"ratings": [{"article_id": ARTICLE, "visitor": "x", "stars": 9, "updated_at": 1}]}),
            "ratings[0].stars",
        ),
        (
            json!({"comments": [{"id": 1, "article_id": "../x", "author": "a", "body": "b", "status": "published", "created_at": 1}]}),
            "comments[0].article_id",
        ),
    ] {
        let r = t.admin_json("POST", "/api/v1/admin/import", &bad).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{bad}"
        );
        assert!(r.message().starts_with(field), "{}", r.message());
    }
    assert_eq!(
        t.admin("GET", "/api/v1/admin/export?what=comments")
            .await
            .json()["comments"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // Moderators may not import or export.
    t.add_user("lan", "moderator", PW).await;
    let m = t.sign_in("lan", PW).await;
    assert_eq!(
        m.send("POST", "/api/v1/admin/import", &doc).await.status,
        403
    );
    assert_eq!(m.get("/api/v1/admin/export").await.status, 403);
}

async fn csv_exports_and_bad_requests(b: Backend) {
    let s = TestServer::start(b).await;
    s.comment(ARTICLE, "An", "xin chào, \"bạn\"\n=1+1", None)
        .await;
    let r = s
        .admin("GET", "/api/v1/admin/export?what=comments&format=csv")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let mut lines = r.body.split("\r\n");
    assert!(lines
        .next()
        .unwrap()
        .starts_with("id,article_id,parent_id,author,email,body,status"));
    assert!(
        r.body.contains("\"xin chào, \"\"bạn\"\"\n=1+1\""),
        "{}",
        r.body
    );
    let r = s
        .admin("GET", "/api/v1/admin/export?what=visits&format=csv")
        .await;
    assert!(
        r.body
            .starts_with("article_id,views\r\n(site total visits),0\r\n"),
        "{}",
        r.body
    );
    for bad in ["what=users", "format=xml", "what=all&format=csv"] {
        let r = s.admin("GET", &format!("/api/v1/admin/export?{bad}")).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{bad}"
        );
    }
}

async fn a_readers_data_is_exported_and_deleted(b: Backend) {
    let s = TestServer::start(b).await;
    let v = s.visitor().await;
    let top = comment_as(&s, &v, "của Lan", None).await;
    let alone = comment_as(&s, &v, "cũng của Lan", None).await;
    let other = s
        .comment(ARTICLE, "Minh", "trả lời Lan", Some(top))
        .await
        .json()["id"]
        .as_u64()
        .unwrap();
    s.vote(ARTICLE, &v, 5).await;
    let id = s
        .admin("GET", "/api/v1/admin/queue?status=all")
        .await
        .json()["items"][0]["visitor"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = s
        .admin("GET", "/api/v1/admin/privacy?email=lan@reader.vn")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["comments"].as_array().unwrap().len(), 2);
    // By credential (its id, or the reader's token): the ratings too.
    for given in [id.as_str(), v.as_str()] {
        let r = s
            .admin("GET", &format!("/api/v1/admin/privacy?visitor={given}"))
            .await;
        assert_eq!(r.json()["comments"].as_array().unwrap().len(), 2);
        assert_eq!(r.json()["ratings"][0]["stars"], 5);
    }
    for bad in [
        "",
        "?email=nope",
        "?email=a@b.vn&visitor=ab",
        "?visitor=not%20hex",
    ] {
        let r = s.admin("GET", &format!("/api/v1/admin/privacy{bad}")).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{bad}"
        );
    }

    let r = s
        .admin("DELETE", &format!("/api/v1/admin/privacy?visitor={id}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"comments_deleted": 1, "comments_blanked": 1, "ratings": 1, "reports": 0, "visits": 0})
    );
    let after = s
        .admin("GET", &format!("/api/v1/admin/privacy?visitor={id}"))
        .await
        .json();
    assert_eq!(after, json!({"comments": [], "ratings": []}));
    // Others' replies stay, under a placeholder without the reader's text.
    let page = s.get(&comments_path(ARTICLE)).await.json();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"].as_u64(), Some(top));
    assert_eq!(items[0]["deleted"], true);
    assert_eq!(items[0]["body"], "");
    assert_eq!(items[0]["replies"][0]["id"].as_u64(), Some(other));
    assert!(items.iter().all(|c| c["id"].as_u64() != Some(alone)));
    assert_eq!(
        s.get(&format!("/api/v1/articles/{ARTICLE}/rating"))
            .await
            .json()["count"],
        0
    );
    let audit = s.admin("GET", "/api/v1/admin/audit").await.json();
    // The export after it, then the deletion.
    assert_eq!(audit["items"][0]["action"], "privacy_export");
    assert_eq!(audit["items"][1]["action"], "privacy_delete");
    assert_eq!(audit["items"][1]["who"], "token");
    assert_eq!(audit["items"][1]["target"], format!("visitor:{id}"));
}

fn command(s: &TestServer, args: &[&str]) -> (bool, String, String) {
    let db = match s.db() {
        bantin_server::config::Database::Sqlite(p) => p.display().to_string(),
        bantin_server::config::Database::Postgres(u) => u,
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bantin-server"))
        .env_clear()
        .args(["--db", &db])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn the_export_and_import_commands(b: Backend) {
    let s = TestServer::start(b).await;
    s.comment(ARTICLE, "An", "một", None).await;
    s.comment(ARTICLE, "Bình", "hai", None).await;
    let (ok, json_out, err) = command(&s, &["export", "--what", "comments"]);
    assert!(ok, "{err}");
    let (ok, csv_out, err) = command(&s, &["export", "--what", "comments", "--format", "csv"]);
    assert!(ok, "{err}");
    assert_eq!(csv_out.lines().count(), 3, "{csv_out}");
    let (ok, _, err) = command(&s, &["export", "--what", "all", "--format", "csv"]);
    assert!(!ok && err.contains("--format csv"), "{err}");

    let t = TestServer::start(b).await;
    let file = t.dir.path().join("export.json");
    std::fs::write(&file, &json_out).unwrap();
    let (ok, out, err) = command(&t, &["import", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(out, "imported 2 comments, 0 ratings\n");
    let page = t.get(&comments_path(ARTICLE)).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    std::fs::write(&file, "{\"comments\": 5}").unwrap();
    let (ok, _, err) = command(&t, &["import", file.to_str().unwrap()]);
    assert!(!ok && err.contains("export.json"), "{err}");
}

async fn an_import_may_be_larger_than_other_bodies(b: Backend) {
    let s = TestServer::start(b).await;
    let comments: Vec<Value> = (1..=300)
        .map(|i| {
            json!({"id": i, "article_id": ARTICLE, "author": "An", "body": "chữ ".repeat(60),
                   "status": "published", "created_at": 1_700_000_000 + i})
        })
        .collect();
    let doc = json!({"format": "bantin-export", "version": 1, "comments": comments});
    assert!(doc.to_string().len() > 64 * 1024);
    let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["comments"], 300);
    // Other endpoints keep their limit.
    let r = s
        .admin_json(
            "PUT",
            "/api/v1/admin/keywords",
            &json!({"hold": vec!["x".repeat(60); 400], "refuse": []}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (413, "payload_too_large"));
}

/// An imported reply's parent is a top-level comment of the same article in
/// the same import, and likes and reports are not negative: otherwise `422
/// invalid_field` names the first bad entry and nothing is stored (a reply
/// without its parent was dropped, a reply to a reply stored two levels
/// deep, a reply across articles stored, negative likes kept).
async fn an_import_with_broken_threads_stores_nothing(b: Backend) {
    let s = TestServer::start(b).await;
    let c = |id: u64, article: &str, parent: Option<u64>| {
        json!({"id": id, "article_id": article, "parent_id": parent, "author": "An",
               "body": format!("bình luận {id}"), "status": "published", "created_at": 1_700_000_000 + id})
    };
    let with_likes = |likes: i64| {
        let mut x = c(1, ARTICLE, None);
        x["likes"] = json!(likes);
        x
    };
    let with_reports = {
        let mut x = c(2, ARTICLE, None);
        x["reports"] = json!(-3);
        x
    };
    for (comments, message) in [
        (
            vec![c(1, ARTICLE, None), c(2, ARTICLE, Some(9))],
            "comments[1].parent_id: no comment with id 9 in this import",
        ),
        (
            vec![
                c(1, ARTICLE, None),
                c(2, ARTICLE, Some(1)),
                c(3, ARTICLE, Some(2)),
            ],
            "comments[2].parent_id: comment 2 is a reply (replies are one level deep)",
        ),
        (
            vec![c(1, ARTICLE, Some(1))],
            "comments[0].parent_id: comment 1 is a reply (replies are one level deep)",
        ),
        (
            vec![c(1, OTHER, None), c(2, ARTICLE, Some(1))],
            "comments[1].parent_id: comment 1 is on another article",
        ),
        (
            vec![c(1, ARTICLE, None), c(1, ARTICLE, None)],
            "comments[1].id: 1 is the id of comments[0] too",
        ),
        (
            vec![with_likes(-1)],
            "comments[0].likes: must not be negative",
        ),
        (
            vec![with_likes(i64::MAX)],
            "comments[0].likes: must be at most 9007199254740991",
        ),
        (
            vec![c(1, ARTICLE, None), with_reports],
            "comments[1].reports: must not be negative",
        ),
    ] {
        let doc = json!({ "comments": comments });
        let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
        assert_eq!(
            (r.status, r.code().as_str(), r.message().as_str()),
            (422, "invalid_field", message),
            "{doc}"
        );
    }
    let stored = s
        .admin("GET", "/api/v1/admin/export?what=comments")
        .await
        .json();
    assert_eq!(stored["comments"], json!([]), "nothing stored");
    // The command refuses them as well.
    let file = s.dir.path().join("broken.json");
    let doc = json!({"comments": [c(1, ARTICLE, None), c(2, ARTICLE, Some(9))]});
    std::fs::write(&file, doc.to_string()).unwrap();
    let (ok, _, err) = command(&s, &["import", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("comments[1].parent_id"), "{err}");

    // A whole thread, listed in any order, goes in; its reply is listed and counted.
    let mut liked = c(3, ARTICLE, Some(2));
    liked["likes"] = json!(4);
    let doc = json!({"comments": [liked, c(2, ARTICLE, None), c(5, OTHER, None)]});
    let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["comments"], 3);
    let page = s.get(&comments_path(ARTICLE)).await.json();
    assert_eq!(page["items"][0]["replies"][0]["body"], "bình luận 3");
    assert_eq!(page["items"][0]["replies"][0]["likes"], 4);
    let counts = s
        .get(&format!("/api/v1/counts?ids={ARTICLE},{OTHER}"))
        .await
        .json();
    assert_eq!(
        (
            counts[ARTICLE]["comments"].as_u64(),
            counts[OTHER]["comments"].as_u64()
        ),
        (Some(2), Some(1))
    );
}
