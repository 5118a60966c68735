//! The console's queue: filters, search (with and without diacritics),
//! paging, bulk actions, official replies, pins, bans, keyword lists,
//! link and phone holds, trust, and the audit log.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::{json, Value};

on_both_backends!(
    the_queue_filters_searches_and_pages,
    bulk_actions_approve_reject_and_delete,
    official_replies_carry_the_badge,
    a_pinned_comment_comes_first_once,
    bans_refuse_comments_reports_and_votes,
    keywords_hold_and_refuse_with_or_without_diacritics,
    links_and_phones_wait_for_review,
    trusted_readers_skip_the_queue,
    an_edit_is_judged_again,
    a_stale_credential_does_not_refuse_a_comment,
);

const PW: &str = "mật khẩu dài đủ";

async fn editor(s: &TestServer) -> Session {
    s.add_user("lan", "moderator", PW).await;
    s.sign_in("lan", PW).await
}

fn ids(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect()
}

async fn post(s: &TestServer, article: &str, author: &str, body: &str) -> u64 {
    let r = s.comment(article, author, body, None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_u64().unwrap()
}

/// A comment with a visitor credential (`?visitor=`).
async fn post_as(s: &TestServer, visitor: &str, body: &str) -> Resp {
    let captcha = s.solved_captcha().await;
    s.post(
        &format!("/api/v1/articles/{ARTICLE}/comments?visitor={visitor}"),
        &json!({"author": "Khách", "body": body, "captcha": captcha, "elapsed_ms": 5000}),
    )
    .await
}

async fn the_queue_filters_searches_and_pages(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let e = editor(&s).await;
    let a = post(&s, ARTICLE, "Nguyễn Văn An", "Đường phố Hà Nội đông quá").await;
    let c = post(&s, OTHER, "Bình", "ghé shop-re.vn nhé").await;
    let d = post(&s, ARTICLE, "Chi", "gọi 0912 345 678").await;
    let f = post(&s, ARTICLE, "Dũng", "bài hay").await;

    let page = e.get("/api/v1/admin/queue").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let page = page.json();
    assert_eq!(ids(&page), vec![a, c, d, f], "oldest first");
    assert_eq!(page["total"], 4);
    let first = &page["items"][0];
    assert_eq!(first["article_title"], format!("Tiêu đề {ARTICLE}"));
    assert_eq!(first["author"], "Nguyễn Văn An");
    assert_eq!(first["status"], "pending");
    assert_eq!(first["hold"], "queue");
    assert_eq!(first["network"], "127.0.0.1");
    assert_eq!(page["items"][1]["hold"], "link");
    assert_eq!(page["items"][1]["has_link"], true);
    assert_eq!(page["items"][2]["hold"], "phone");
    assert_eq!(page["items"][2]["has_phone"], true);

    let q = |p: &str| format!("/api/v1/admin/queue?{p}");
    assert_eq!(
        ids(&e.get(&q(&format!("article={OTHER}"))).await.json()),
        vec![c]
    );
    assert_eq!(ids(&e.get(&q("links=true")).await.json()), vec![c]);
    assert_eq!(ids(&e.get(&q("phones=true")).await.json()), vec![d]);
    // Search in author and text, with or without diacritics, either way.
    for text in ["ha%20noi", "H%C3%A0%20N%E1%BB%99i", "DUONG", "nguyen%20van"] {
        assert_eq!(
            ids(&e.get(&q(&format!("q={text}"))).await.json()),
            vec![a],
            "{text}"
        );
    }
    assert_eq!(ids(&e.get(&q("q=d%C5%A9ng")).await.json()), vec![f]);
    assert_eq!(ids(&e.get(&q("q=100%25")).await.json()), Vec::<u64>::new());

    // Pages with a cursor; `total` counts them all.
    let p1 = e.get(&q("limit=3")).await.json();
    assert_eq!(ids(&p1), vec![a, c, d]);
    assert_eq!(p1["total"], 4);
    let next = p1["next"].as_str().unwrap();
    let p2 = e.get(&q(&format!("limit=3&cursor={next}"))).await.json();
    assert_eq!(ids(&p2), vec![f]);
    assert!(p2["next"].is_null());

    // One comment, as an alert's link opens it: in its status only.
    let one = e.get(&q(&format!("comment={d}"))).await.json();
    assert_eq!((ids(&one), one["total"].as_u64()), (vec![d], Some(1)));
    assert_eq!(
        ids(&e.get(&q(&format!("status=all&comment={c}"))).await.json()),
        vec![c]
    );
    assert_eq!(
        ids(&e
            .get(&q(&format!("status=published&comment={c}")))
            .await
            .json()),
        Vec::<u64>::new()
    );
    assert_eq!(
        ids(&e.get(&q(&format!("comment={}", f + 1000))).await.json()),
        Vec::<u64>::new()
    );

    for bad in [
        "status=old",
        "comment=x",
        "comment=-1",
        "limit=0",
        "limit=101",
        "reported=yes",
        "article=..%2F",
        "cursor=x",
    ] {
        let r = e.get(&q(bad)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{bad}"
        );
    }
    let r = e.get(&q(&format!("q={}", "a".repeat(101)))).await;
    assert_eq!(r.status, 400);
}

async fn bulk_actions_approve_reject_and_delete(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let e = editor(&s).await;
    let mut ids_ = Vec::new();
    for i in 0..5 {
        ids_.push(post(&s, ARTICLE, "An", &format!("bình luận {i}")).await);
    }
    let act = |action: &str, list: &[u64]| json!({"action": action, "ids": list});
    let r = e
        .send(
            "POST",
            "/api/v1/admin/queue/actions",
            &act("approve", &[ids_[0], ids_[1], 999_999]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"done": [ids_[0], ids_[1]], "missing": [999_999]})
    );
    let r = e
        .send(
            "POST",
            "/api/v1/admin/queue/actions",
            &act("reject", &[ids_[2]]),
        )
        .await;
    assert_eq!(r.json()["done"], json!([ids_[2]]));
    let r = e
        .send(
            "POST",
            "/api/v1/admin/queue/actions",
            &act("delete", &[ids_[3]]),
        )
        .await;
    assert_eq!(r.json()["done"], json!([ids_[3]]));

    let public = s.get(&comments_path(ARTICLE)).await.json();
    let mut shown = ids(&public);
    shown.sort();
    assert_eq!(shown, vec![ids_[0], ids_[1]]);
    assert_eq!(
        ids(&e.get("/api/v1/admin/queue").await.json()),
        vec![ids_[4]]
    );
    let rejected = e.get("/api/v1/admin/queue?status=rejected").await.json();
    assert_eq!(ids(&rejected), vec![ids_[2]]);
    assert_eq!(rejected["items"][0]["status"], "rejected");
    assert_eq!(
        e.get("/api/v1/admin/queue?status=all").await.json()["total"],
        4
    );
    // An approved rejection is published.
    e.send(
        "POST",
        "/api/v1/admin/queue/actions",
        &act("approve", &[ids_[2]]),
    )
    .await;
    assert_eq!(ids(&s.get(&comments_path(ARTICLE)).await.json()).len(), 3);

    for (body, code) in [
        (act("approve", &[]), "invalid_field"),
        (
            act("approve", &(1..=101).collect::<Vec<u64>>()),
            "invalid_field",
        ),
        (json!({"action": "burn", "ids": [1]}), "invalid_field"),
    ] {
        let r = e.send("POST", "/api/v1/admin/queue/actions", &body).await;
        assert_eq!((r.status, r.code().as_str()), (422, code));
    }
    // The old token endpoints still work.
    let r = s
        .admin(
            "POST",
            &format!("/api/v1/admin/comments/{}/approve", ids_[4]),
        )
        .await;
    assert_eq!(r.status, 200);

    let audit = e.get("/api/v1/admin/audit?limit=3").await.json();
    let entries: Vec<String> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            format!(
                "{} {} {}",
                x["who"].as_str().unwrap(),
                x["action"].as_str().unwrap(),
                x["target"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            format!("token approve comment:{}", ids_[4]),
            format!("lan approve comment:{}", ids_[2]),
            format!("lan delete comment:{}", ids_[3]),
        ]
    );
    let older = e
        .get(&format!(
            "/api/v1/admin/audit?limit=3&cursor={}",
            audit["next"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(older["items"][0]["action"], "reject");
    assert!(older["items"][0]["at"].is_string());
}

async fn official_replies_carry_the_badge(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.reserved_names = vec!["Ban biên tập".into()];
    })
    .await;
    let e = editor(&s).await;
    let top = post(&s, ARTICLE, "An", "Khi nào có kết quả?").await;
    // Readers cannot take the badge's name.
    assert_eq!(
        s.comment(ARTICLE, "Ban biên tập", "giả mạo", None)
            .await
            .status,
        422
    );
    let r = e
        .send(
            "POST",
            &format!("/api/v1/admin/comments/{top}/reply"),
            &json!({"body": "Tuần sau, thưa bạn."}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["status"], "published");
    let reply = r.json()["id"].as_u64().unwrap();
    let page = s.get(&comments_path(ARTICLE)).await.json();
    let shown = &page["items"][0]["replies"][0];
    assert_eq!(shown["id"].as_u64(), Some(reply));
    assert_eq!(shown["author"], "Ban biên tập");
    assert_eq!(shown["badge"], "Ban biên tập");
    assert!(page["items"][0].get("badge").is_none());
    let replies = s
        .get(&format!(
            "/api/v1/articles/{ARTICLE}/comments/{top}/replies"
        ))
        .await
        .json();
    assert_eq!(replies["items"][0]["badge"], "Ban biên tập");

    let held = s
        .comment(ARTICLE, "B", "xem https://a.example", None)
        .await
        .json()["id"]
        .as_u64()
        .unwrap();
    let r = e
        .send(
            "POST",
            &format!("/api/v1/admin/comments/{held}/reply"),
            &json!({"body": "x"}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "not_published"));
    let r = e
        .send(
            "POST",
            "/api/v1/admin/comments/999999/reply",
            &json!({"body": "x"}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let r = e
        .send(
            "POST",
            &format!("/api/v1/admin/comments/{top}/reply"),
            &json!({"body": "  "}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
    let audit = e.get("/api/v1/admin/audit").await.json();
    assert_eq!(audit["items"][0]["action"], "reply");
    assert_eq!(audit["items"][0]["target"], format!("comment:{top}"));
}

async fn a_pinned_comment_comes_first_once(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    let mut all = Vec::new();
    for i in 0..5 {
        all.push(post(&s, ARTICLE, "An", &format!("thứ {i}")).await);
    }
    let pinned = all[1];
    let pin_path = format!("/api/v1/admin/articles/{ARTICLE}/pin");
    let r = e.send("PUT", &pin_path, &json!({"comment": pinned})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for sort in ["newest", "oldest", "liked"] {
        let mut seen = Vec::new();
        let p1 = s
            .get(&format!("{}?sort={sort}&limit=2", comments_path(ARTICLE)))
            .await
            .json();
        assert_eq!(p1["items"][0]["id"].as_u64(), Some(pinned), "{sort}");
        assert_eq!(p1["items"][0]["pinned"], true);
        seen.extend(ids(&p1));
        let mut next = p1["next"].as_str().map(str::to_owned);
        while let Some(c) = next {
            let p = s
                .get(&format!(
                    "{}?sort={sort}&limit=2&cursor={c}",
                    comments_path(ARTICLE)
                ))
                .await
                .json();
            assert!(!ids(&p).contains(&pinned), "{sort}: repeated");
            seen.extend(ids(&p));
            next = p["next"].as_str().map(str::to_owned);
        }
        seen.sort();
        assert_eq!(seen, all, "{sort}: every comment once");
    }
    // Not pinnable: a reply, another article's, unknown.
    let reply = s.comment(ARTICLE, "B", "đáp", Some(all[0])).await.json()["id"]
        .as_u64()
        .unwrap();
    let other = post(&s, OTHER, "C", "khác").await;
    for id in [reply, other, 999_999] {
        let r = e.send("PUT", &pin_path, &json!({"comment": id})).await;
        assert_eq!((r.status, r.code().as_str()), (422, "not_pinnable"));
    }
    let r = e.send("PUT", &pin_path, &json!({"comment": null})).await;
    assert_eq!(r.status, 200);
    let p1 = s.get(&comments_path(ARTICLE)).await.json();
    assert!(p1["items"][0].get("pinned").is_none());
}

async fn bans_refuse_comments_reports_and_votes(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    let visitor = s.visitor().await;
    let r = post_as(&s, &visitor, "bình thường").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_u64().unwrap();
    let item = &e.get("/api/v1/admin/queue?status=published").await.json()["items"][0];
    let credential_id = item["visitor"].as_str().unwrap().to_owned();

    let r = e
        .send(
            "POST",
            "/api/v1/admin/bans",
            &json!({"kind": "visitor", "comment": id, "hours": 24, "reason": "spam"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let ban = r.json();
    assert_eq!(ban["value"], credential_id);
    assert_eq!(ban["created_by"], "lan");
    assert!(ban["expires_at"].is_string());

    let r = post_as(&s, &visitor, "lại đây").await;
    assert_eq!((r.status, r.code().as_str()), (403, "banned"));
    let r = s
        .post(
            &format!("/api/v1/articles/{ARTICLE}/comments/{id}/report"),
            &json!({"visitor": visitor}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "banned"));
    let r = s.vote(ARTICLE, &visitor, 5).await;
    assert_eq!((r.status, r.code().as_str()), (403, "banned"));
    // Another reader on another credential is fine.
    let other = s.visitor().await;
    assert_eq!(post_as(&s, &other, "tôi khác").await.status, 201);

    // Lifting it.
    let ban_id = ban["id"].as_u64().unwrap();
    assert_eq!(
        e.get("/api/v1/admin/bans")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = e
        .send(
            "DELETE",
            &format!("/api/v1/admin/bans/{ban_id}"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(post_as(&s, &visitor, "được rồi").await.status, 201);
    let r = e
        .send(
            "DELETE",
            &format!("/api/v1/admin/bans/{ban_id}"),
            &json!({}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (404, "ban_not_found"));

    // A network, by value, until lifted: everyone on it.
    let r = e
        .send(
            "POST",
            "/api/v1/admin/bans",
            &json!({"kind": "network", "value": "127.0.0.1", "hours": 0}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json()["expires_at"].is_null());
    assert_eq!(post_as(&s, &other, "x").await.status, 403);
    assert_eq!(
        s.comment(ARTICLE, "An", "không credential", None)
            .await
            .status,
        403
    );

    for (body, code) in [
        (
            json!({"kind": "network", "value": "not-an-ip", "hours": 1}),
            "invalid_field",
        ),
        (json!({"kind": "visitor", "hours": 1}), "invalid_field"),
        (
            json!({"kind": "visitor", "value": "abc", "comment": id, "hours": 1}),
            "invalid_field",
        ),
        (
            json!({"kind": "planet", "value": "x", "hours": 1}),
            "invalid_field",
        ),
    ] {
        let r = e.send("POST", "/api/v1/admin/bans", &body).await;
        assert_eq!((r.status, r.code().as_str()), (422, code), "{body}");
    }
    let r = e
        .send(
            "POST",
            "/api/v1/admin/bans",
            &json!({"kind": "visitor", "comment": 999_999, "hours": 1}),
        )
        .await;
    assert_eq!(r.status, 404);
    let actions: Vec<Value> = e.get("/api/v1/admin/audit").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["action"].clone())
        .collect();
    assert_eq!(
        actions,
        vec![
            json!("ban"),
            json!("unban"),
            json!("ban"),
            json!("user_add")
        ]
    );
}

async fn keywords_hold_and_refuse_with_or_without_diacritics(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    let r = e
        .send(
            "PUT",
            "/api/v1/admin/keywords",
            &json!({"hold": ["lua dao", "Cờ Bạc"], "refuse": ["đồ ngốc"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"hold": ["cờ bạc", "lua dao"], "refuse": ["đồ ngốc"]})
    );

    // Written without marks, matches text with them, and the other way.
    let held = post(&s, ARTICLE, "An", "Trang này LỪA ĐẢO đấy").await;
    let held2 = post(&s, ARTICLE, "An", "chơi co bac online").await;
    let fine = post(&s, ARTICLE, "An", "bài viết hay, cờ vua thôi").await;
    let r = s.comment(ARTICLE, "An", "Đồ ngốc!", None).await;
    assert_eq!((r.status, r.code().as_str()), (422, "keyword_refused"));
    let r = s.comment(ARTICLE, "An", "do ngoc", None).await;
    assert_eq!(r.status, 422);
    let q = e.get("/api/v1/admin/queue").await.json();
    assert_eq!(ids(&q), vec![held, held2]);
    assert_eq!(q["items"][0]["hold"], "keyword");
    let public = ids(&s.get(&comments_path(ARTICLE)).await.json());
    assert_eq!(public, vec![fine]);

    for (body, field) in [
        (json!({"hold": [""], "refuse": []}), "hold[0]"),
        (json!({"hold": [], "refuse": ["x".repeat(65)]}), "refuse[0]"),
        (json!({"hold": vec!["a"; 501], "refuse": []}), "hold"),
    ] {
        let r = e.send("PUT", "/api/v1/admin/keywords", &body).await;
        assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
        assert!(r.message().starts_with(field), "{}", r.message());
    }
}

async fn links_and_phones_wait_for_review(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    for body in [
        "xem https://a.example/x",
        "vào www.abc.vn",
        "gọi +84 912345678",
        "0912.345.678 nhé",
    ] {
        let r = s.comment(ARTICLE, "An", body, None).await;
        assert_eq!(r.json()["status"], "pending", "{body}");
    }
    assert_eq!(
        s.comment(ARTICLE, "An", "giá 1.000.000 đồng", None)
            .await
            .json()["status"],
        "published"
    );
    assert_eq!(e.get("/api/v1/admin/queue").await.json()["total"], 4);

    let s = TestServer::start_with(b, |c| {
        c.hold_links = false;
        c.hold_phones = false;
    })
    .await;
    for body in ["xem https://a.example/x", "gọi 0912 345 678"] {
        assert_eq!(
            s.comment(ARTICLE, "An", body, None).await.json()["status"],
            "published"
        );
    }
}

async fn trusted_readers_skip_the_queue(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.moderation = Moderation::Queue;
        c.trust_after = 2;
    })
    .await;
    let e = editor(&s).await;
    e.send(
        "PUT",
        "/api/v1/admin/keywords",
        &json!({"hold": ["casino"], "refuse": []}),
    )
    .await;
    let visitor = s.visitor().await;
    let mut first = Vec::new();
    for i in 0..2 {
        let r = post_as(&s, &visitor, &format!("lần {i}")).await;
        assert_eq!(r.json()["status"], "pending");
        first.push(r.json()["id"].as_u64().unwrap());
    }
    e.send(
        "POST",
        "/api/v1/admin/queue/actions",
        &json!({"action": "approve", "ids": first}),
    )
    .await;
    let r = post_as(&s, &visitor, "giờ thì tin được, kể cả https://a.example").await;
    assert_eq!(r.json()["status"], "published", "{}", r.body);
    // Not the keyword list.
    let r = post_as(&s, &visitor, "casino đây").await;
    assert_eq!(r.json()["status"], "pending");
    // Another credential still waits.
    let other = s.visitor().await;
    assert_eq!(post_as(&s, &other, "mới").await.json()["status"], "pending");
}

async fn an_edit_is_judged_again(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    let r = s.comment(ARTICLE, "An", "bình thường", None).await;
    assert_eq!(r.json()["status"], "published");
    let id = r.json()["id"].as_u64().unwrap();
    let token = r.json()["edit_token"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/articles/{ARTICLE}/comments/{id}");
    let r = s
        .put(
            &path,
            &json!({"token": token, "body": "mua tại shop-re.vn"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "pending");
    let q = e.get("/api/v1/admin/queue?links=true").await.json();
    assert_eq!(ids(&q), vec![id]);
    assert_eq!(q["items"][0]["hold"], "link");
    // Searchable by its new text.
    assert_eq!(
        ids(&e.get("/api/v1/admin/queue?q=shop").await.json()),
        vec![id]
    );
    e.send(
        "PUT",
        "/api/v1/admin/keywords",
        &json!({"hold": [], "refuse": ["lừa đảo"]}),
    )
    .await;
    let r = s
        .put(&path, &json!({"token": token, "body": "lua dao"}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "keyword_refused"));
}

/// A comment needs no credential: a forged or stale `?visitor=` is dropped
/// (the comment is stored, with no credential to ban), never a refusal that
/// would lose the reader's text.
async fn a_stale_credential_does_not_refuse_a_comment(b: Backend) {
    let s = TestServer::start(b).await;
    let e = editor(&s).await;
    let visitor = s.visitor().await;
    let last = if visitor.ends_with('x') { "y" } else { "x" };
    let forged = format!("{}{last}", &visitor[..visitor.len() - 1]);
    let r = post_as(&s, &forged, "vẫn được đăng").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post_as(&s, &visitor, "có chứng nhận").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let page = e.get("/api/v1/admin/queue?status=published").await.json();
    let by_body = |text: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["body"] == text)
            .map(|i| i["visitor"].clone())
            .unwrap()
    };
    assert_eq!(by_body("vẫn được đăng"), Value::Null);
    assert!(by_body("có chứng nhận").is_string());
}
