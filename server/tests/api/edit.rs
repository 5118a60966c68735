//! `PUT`/`DELETE /articles/{id}/comments/{comment}`: the author edits or
//! deletes a comment with the token handed out with it, within the window.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    the_author_edits_a_comment_with_its_token,
    wrong_tokens_and_closed_windows_are_refused,
    an_edit_waits_for_approval_again_in_queue_mode,
    a_deleted_comment_with_replies_stays_as_a_placeholder,
    edits_are_writes_from_the_portal_only,
    a_resent_client_key_hands_the_token_only_to_the_same_comment,
);

fn token(created: &Value) -> String {
    created["edit_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no edit_token in {created}"))
        .to_owned()
}

async fn edit(s: &Client, article: &str, id: u64, body: &str, token: &str) -> Resp {
    s.put(
        &comment_path(article, id),
        &json!({"body": body, "token": token}),
    )
    .await
}

async fn delete(s: &Client, article: &str, id: u64, token: &str) -> Resp {
    s.send_json(
        "DELETE",
        &comment_path(article, id),
        &json!({ "token": token }),
    )
    .await
}

/// The top-level comment `id` as listed, if it is.
async fn listed(s: &TestServer, id: u64) -> Option<Value> {
    s.get(&format!("{}?limit=100", comments_path(ARTICLE)))
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
}

async fn the_author_edits_a_comment_with_its_token(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &captcha, "Bài viết hay"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let id = created["id"].as_u64().unwrap();
    let tok = token(&created);
    assert_eq!(tok.len(), 48);
    assert!(tok.bytes().all(|b| b.is_ascii_hexdigit()), "{tok}");
    assert!(!tok.contains(CLIENT_KEY));
    let until = created["edit_until"].as_str().unwrap();
    let until: bantin_protocol::Timestamp = until.parse().unwrap();
    let now = now() as i64;
    assert!(
        (now + 595..=now + 601).contains(&until.unix_seconds()),
        "{until}"
    );
    // A resend of the same comment (same client_key) gets the same token.
    let captcha = s.solved_captcha().await;
    let again = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &captcha, "Bài viết hay"),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), created);
    // Another comment has another token.
    let (other, other_created) = posted(&s, ARTICLE, "Khác", None).await;
    assert_ne!(token(&other_created), tok);

    // Listed without edited_at until edited.
    let before = listed(&s, id).await.unwrap();
    assert!(before.get("edited_at").is_none(), "{before}");
    // The edit is normalized exactly as a new comment's body.
    let r = edit(
        &s,
        ARTICLE,
        id,
        "  Sửa lại\r\ndòng\u{200B} hai\u{202E} \n",
        &tok,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let edited = r.json();
    assert_eq!(edited["id"], id);
    assert_eq!(edited["status"], "published");
    assert_eq!(edited["body"], "Sửa lại\ndòng hai");
    let at: bantin_protocol::Timestamp = edited["edited_at"].as_str().unwrap().parse().unwrap();
    assert!((at.unix_seconds() - now).abs() <= 5);
    let after = listed(&s, id).await.unwrap();
    assert_eq!(after["body"], "Sửa lại\ndòng hai");
    assert_eq!(after["edited_at"], edited["edited_at"]);
    assert_eq!(after["created_at"], before["created_at"]);
    // Edited again; the other comment is untouched.
    let r = edit(&s, ARTICLE, id, "Lần ba", &format!(" {tok} ")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(listed(&s, id).await.unwrap()["body"], "Lần ba");
    assert_eq!(listed(&s, other).await.unwrap()["body"], "Khác");
    // A body that breaks the rules: refused as a new comment's would be.
    for (body, message) in [
        (" \n ".to_owned(), "body: must not be empty"),
        (
            "đ".repeat(2001),
            "body: is 2001 characters long, the limit is 2000",
        ),
        ("\u{200B}\u{2060}".to_owned(), "body: must not be empty"),
    ] {
        let r = edit(&s, ARTICLE, id, &body, &tok).await;
        assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
        assert_eq!(r.message(), message);
    }
    let r = s
        .put(&comment_path(ARTICLE, id), &json!({ "token": tok }))
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
    assert!(r.message().starts_with("body"), "{}", r.message());
    // Deleting: 204, gone from the list, its key free again.
    let r = delete(&s, ARTICLE, id, &tok).await;
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    assert!(listed(&s, id).await.is_none());
    let r = edit(&s, ARTICLE, id, "Sau khi xoá", &tok).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let r = delete(&s, ARTICLE, id, &tok).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let captcha = s.solved_captcha().await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment(CLIENT_KEY, &captcha, "Viết lại"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The e-mails never came back.
    for body in s.seen.lock().unwrap().iter() {
        assert!(!body.contains("secret.reader"), "email leaked: {body}");
    }
}

async fn wrong_tokens_and_closed_windows_are_refused(b: Backend) {
    let s = TestServer::start_with(b, |c| c.edit_window = Duration::from_secs(1)).await;
    let (id, created) = posted(&s, ARTICLE, "Một", None).await;
    let (other, other_created) = posted(&s, ARTICLE, "Hai", None).await;
    let (tok, other_tok) = (token(&created), token(&other_created));
    let mut altered = tok.clone().into_bytes();
    altered[0] = if altered[0] == b'a' { b'b' } else { b'a' };
    let altered = String::from_utf8(altered).unwrap();
    for bad in [
        "".to_owned(),
        other_tok.clone(),
        altered,
        tok[..47].to_owned(),
        format!("{tok}0"),
        tok.to_uppercase(),
        CLIENT_KEY.to_owned(),
        "x".repeat(5000),
    ] {
        let r = edit(&s, ARTICLE, id, "Sửa", &bad).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "edit_forbidden"),
            "{bad}: {}",
            r.body
        );
        let r = delete(&s, ARTICLE, id, &bad).await;
        assert_eq!((r.status, r.code().as_str()), (403, "edit_forbidden"));
    }
    // No token field at all.
    let r = s
        .put(&comment_path(ARTICLE, id), &json!({"body": "Sửa"}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "edit_forbidden"));
    let r = s
        .send_json("DELETE", &comment_path(ARTICLE, id), &json!({}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "edit_forbidden"));
    // The right token on another article's path, or an unknown comment.
    for (article, comment) in [(OTHER, id), (ARTICLE, 999_999)] {
        let r = edit(&s, article, comment, "Sửa", &tok).await;
        assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
        let r = delete(&s, article, comment, &tok).await;
        assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    }
    let r = edit(&s, "..", id, "Sửa", &tok).await;
    assert_eq!(r.status, 404);
    // Nothing changed.
    assert_eq!(listed(&s, id).await.unwrap()["body"], "Một");
    // After the window: refused with the right token too.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = edit(&s, ARTICLE, other, "Muộn", &other_tok).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (403, "edit_window_closed"),
        "{}",
        r.body
    );
    let r = delete(&s, ARTICLE, other, &other_tok).await;
    assert_eq!((r.status, r.code().as_str()), (403, "edit_window_closed"));
    // A wrong token is still "forbidden", not told about the window.
    let r = edit(&s, ARTICLE, other, "Muộn", &tok).await;
    assert_eq!(r.code(), "edit_forbidden");
    assert_eq!(listed(&s, other).await.unwrap()["body"], "Hai");

    // Editing off: no token handed out, every edit refused.
    let s = TestServer::start_with(b, |c| c.edit_window = Duration::ZERO).await;
    let (id, created) = posted(&s, ARTICLE, "Một", None).await;
    assert_eq!(created, json!({"id": id, "status": "published"}));
    let r = edit(&s, ARTICLE, id, "Sửa", &tok).await;
    assert_eq!(r.status, 403);
}

async fn an_edit_waits_for_approval_again_in_queue_mode(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let (id, created) = posted(&s, ARTICLE, "Một", None).await;
    assert_eq!(created["status"], "pending");
    let tok = token(&created);
    // Pending comments can be edited (still pending).
    let r = edit(&s, ARTICLE, id, "Một, sửa", &tok).await;
    assert_eq!(r.json()["status"], "pending");
    let approve = format!("/api/v1/admin/comments/{id}/approve");
    assert_eq!(s.admin("POST", &approve).await.status, 200);
    assert_eq!(listed(&s, id).await.unwrap()["body"], "Một, sửa");
    // An edit of a published comment hides it until it is approved again.
    let r = edit(&s, ARTICLE, id, "Nội dung khác hẳn", &tok).await;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (200, Some("pending"))
    );
    assert!(listed(&s, id).await.is_none());
    let queue = s.admin("GET", "/api/v1/admin/comments").await.json();
    assert_eq!(queue["items"][0]["body"], "Nội dung khác hẳn");
    assert_eq!(s.admin("POST", &approve).await.status, 200);
    let shown = listed(&s, id).await.unwrap();
    assert_eq!(shown["body"], "Nội dung khác hẳn");
    assert!(shown["edited_at"].is_string());
}

async fn a_deleted_comment_with_replies_stays_as_a_placeholder(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, created) = posted(&s, ARTICLE, "Gốc", None).await;
    let (r1, r1_created) = posted(&s, ARTICLE, "Trả lời một", Some(top)).await;
    let (r2, r2_created) = posted(&s, ARTICLE, "Trả lời hai", Some(top)).await;
    let v = s.visitor().await;
    assert_eq!(set_like(&s, ARTICLE, top, &v, true).await.status, 200);
    assert_eq!(
        s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await.json()[ARTICLE]["comments"],
        3
    );
    let r = delete(&s, ARTICLE, top, &token(&created)).await;
    assert_eq!(r.status, 204, "{}", r.body);
    // In place, without author or text; its replies stay.
    let shown = listed(&s, top).await.unwrap();
    assert_eq!(shown["deleted"], true, "{shown}");
    assert_eq!(
        (shown["author"].as_str(), shown["body"].as_str()),
        (Some(""), Some(""))
    );
    assert_eq!(shown["reply_count"], 2);
    let replies: Vec<u64> = shown["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(replies, [r1, r2]);
    assert!(shown["replies"][0].get("deleted").is_none());
    // The replies endpoint still lists them; the counts leave the placeholder out.
    let r = s
        .get(&format!("{}/{top}/replies", comments_path(ARTICLE)))
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await.json()[ARTICLE]["comments"],
        2
    );
    // A placeholder takes no reply, no like, no edit, no second deletion.
    let r = s.comment(ARTICLE, "X", "muộn", Some(top)).await;
    assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
    let r = set_like(&s, ARTICLE, top, &v, true).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let r = edit(&s, ARTICLE, top, "Sống lại", &token(&created)).await;
    assert_eq!(r.status, 404);
    let r = delete(&s, ARTICLE, top, &token(&created)).await;
    assert_eq!(r.status, 404);
    // The last reply gone, the placeholder goes with it.
    assert_eq!(
        delete(&s, ARTICLE, r1, &token(&r1_created)).await.status,
        204
    );
    assert!(listed(&s, top).await.is_some());
    assert_eq!(
        delete(&s, ARTICLE, r2, &token(&r2_created)).await.status,
        204
    );
    assert!(listed(&s, top).await.is_none());
    assert!(listed_ids(&s, ARTICLE).await.is_empty());
    // An editor deleting the last reply removes the placeholder too.
    let (top, created) = posted(&s, ARTICLE, "Gốc hai", None).await;
    let (reply, _) = posted(&s, ARTICLE, "Trả lời", Some(top)).await;
    assert_eq!(delete(&s, ARTICLE, top, &token(&created)).await.status, 204);
    assert!(listed(&s, top).await.is_some());
    let r = s
        .admin("DELETE", &format!("/api/v1/admin/comments/{reply}"))
        .await;
    assert_eq!(r.status, 204);
    assert!(listed_ids(&s, ARTICLE).await.is_empty());
    let r = s
        .admin("GET", "/api/v1/admin/comments?status=all")
        .await
        .json();
    assert_eq!(r["items"], json!([]), "{r}");
}

async fn edits_are_writes_from_the_portal_only(b: Backend) {
    let s = TestServer::start(b).await;
    let (id, created) = posted(&s, ARTICLE, "Một", None).await;
    let tok = token(&created);
    for (method, body) in [
        ("PUT", json!({"body": "Sửa", "token": tok})),
        ("DELETE", json!({ "token": tok })),
    ] {
        let r = s
            .request(
                method,
                &comment_path(ARTICLE, id),
                &[
                    ("origin", "https://evil.example"),
                    ("content-type", "application/json"),
                ],
                Some(body.to_string().into_bytes()),
            )
            .await;
        assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
        let r = s
            .request(
                method,
                &comment_path(ARTICLE, id),
                &[("content-type", "text/plain")],
                Some(body.to_string().into_bytes()),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (415, "unsupported_media_type")
        );
    }
    assert_eq!(listed(&s, id).await.unwrap()["body"], "Một");
    // Edits count against the comment rate, deletions against the writes rate.
    let s = TestServer::start_with(b, |c| {
        c.rate_comments = 2;
        c.rate_writes = 2;
    })
    .await;
    let (id, created) = posted(&s, ARTICLE, "Một", None).await;
    let tok = token(&created);
    let r = edit(&s, ARTICLE, id, "Sửa", &tok).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = edit(&s, ARTICLE, id, "Sửa nữa", &tok).await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    assert!(r.header("retry-after").is_some());
    let r = s.post(VISITORS, &json!({})).await;
    assert_eq!(r.status, 201);
    assert_eq!(delete(&s, ARTICLE, id, &tok).await.status, 204);
    let r = delete(&s, ARTICLE, id, &tok).await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    let r = s.get(&comment_path(ARTICLE, id)).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
}

/// Someone who has a comment's `client_key` and sends another comment with
/// it (other text, author, e-mail or parent; a spent or a fresh captcha)
/// gets `409 client_key_taken`, not the stored comment's edit token; the
/// sender's own retry of the same comment (after a lost answer) still gets it.
async fn a_resent_client_key_hands_the_token_only_to_the_same_comment(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, _) = posted(&s, ARTICLE, "Bài gốc", None).await;
    let spent = s.solved_captcha().await;
    let victim = keyed_comment(CLIENT_KEY, &spent, "Bài viết hay");
    let first = s.post(&comments_path(ARTICLE), &victim).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let created = first.json();
    let id = created["id"].as_u64().unwrap();
    let tok = token(&created);

    let mut forged = Vec::new();
    let mut other_body = victim.clone();
    other_body["body"] = json!("Bị chiếm");
    forged.push(other_body);
    let mut other_author = victim.clone();
    other_author["author"] = json!("Kẻ gian");
    forged.push(other_author);
    // Author and body are public; the e-mail is not.
    let mut no_email = victim.clone();
    no_email["email"] = json!("");
    forged.push(no_email);
    let mut other_email = victim.clone();
    other_email["email"] = json!("ke.gian@example.vn");
    forged.push(other_email);
    let mut as_reply = victim.clone();
    as_reply["parent_id"] = json!(top);
    forged.push(as_reply);
    let fresh = s.solved_captcha().await;
    for mut body in forged {
        for captcha in [&spent, &fresh] {
            body["captcha"] = json!(captcha);
            let r = s.post(&comments_path(ARTICLE), &body).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (409, "client_key_taken"),
                "{body}: {}",
                r.body
            );
            assert!(!r.body.contains(&tok), "{}", r.body);
            assert!(r.json().get("edit_token").is_none(), "{}", r.body);
        }
    }
    assert_eq!(listed(&s, id).await.unwrap()["body"], "Bài viết hay");
    assert_eq!(listed_ids(&s, ARTICLE).await.len(), 2);
    // The refusals did not spend the fresh payload.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &keyed_comment("another-key-0001-0123456789abcdef", &fresh, "Khác"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // The real retry, as the widget sends it after a lost answer: the same
    // comment with a newly solved payload, or the same request again.
    let mut retry = victim.clone();
    retry["captcha"] = json!(s.solved_captcha().await);
    for body in [&retry, &victim] {
        let r = s.post(&comments_path(ARTICLE), body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json(), created);
    }
    // Cleaned alike: spaces around the text do not make it another comment.
    let mut spaced = retry.clone();
    spaced["body"] = json!("  Bài viết hay \r\n");
    let r = s.post(&comments_path(ARTICLE), &spaced).await;
    assert_eq!(
        (r.status, r.json()["id"].as_u64()),
        (200, Some(id)),
        "{}",
        r.body
    );
    // A retry of a reply is recognised too.
    let mut reply = keyed_comment(
        "reply-key-0123456789abcdef0123456789",
        &s.solved_captcha().await,
        "Trả lời",
    );
    reply["parent_id"] = json!(top);
    let r1 = s.post(&comments_path(ARTICLE), &reply).await;
    assert_eq!(r1.status, 201, "{}", r1.body);
    reply["captcha"] = json!(s.solved_captcha().await);
    let r2 = s.post(&comments_path(ARTICLE), &reply).await;
    assert_eq!((r2.status, r2.json()), (200, r1.json()));
    // The token still works for its author only.
    let r = edit(&s, ARTICLE, id, "Sửa bởi tác giả", &tok).await;
    assert_eq!(r.status, 200, "{}", r.body);
}
