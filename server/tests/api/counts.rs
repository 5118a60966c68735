//! `GET /counts?ids=a,b,c`: the numbers of a list page in one cacheable
//! request; every id asked for, zeros for unknown ones; precise refusals.

use crate::common::*;
use bantin_server::config::Moderation;
use serde_json::json;

on_both_backends!(
    counts_of_several_articles_in_one_request,
    counts_refuse_bad_id_lists_precisely,
    counts_are_cacheable_with_etags,
    replies_of_a_hidden_thread_are_hidden_everywhere,
);

async fn counts_of_several_articles_in_one_request(b: Backend) {
    let s = TestServer::start_with(b, |c| c.moderation = Moderation::Queue).await;
    let r = s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({ARTICLE: {"comments": 0, "views": 0, "rating": {"count": 0, "average": 0.0}}})
    );
    // Comments: published ones, replies included; the pending one is not counted.
    let (top, _) = posted(&s, ARTICLE, "Một", None).await;
    posted(&s, ARTICLE, "Chờ", None).await;
    let approve = |id: u64| format!("/api/v1/admin/comments/{id}/approve");
    assert_eq!(s.admin("POST", &approve(top)).await.status, 200);
    let (reply, _) = posted(&s, ARTICLE, "Trả lời", Some(top)).await;
    assert_eq!(s.admin("POST", &approve(reply)).await.status, 200);
    let (other, _) = posted(&s, OTHER, "Khác", None).await;
    assert_eq!(s.admin("POST", &approve(other)).await.status, 200);
    // Votes and views.
    let (v1, v2) = (s.visitor().await, s.visitor().await);
    s.vote(ARTICLE, &v1, 5).await;
    s.vote(ARTICLE, &v2, 4).await;
    s.vote(OTHER, &v1, 3).await;
    for (v, session, article) in [
        (&v1, "s1", ARTICLE),
        (&v2, "s2", ARTICLE),
        (&v1, "s1", OTHER),
    ] {
        let r = s
            .post(
                "/api/v1/visits",
                &json!({"visitor": v, "session": session, "article_id": article}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // Unknown ids (no file, no data) are zeros; duplicates are listed once.
    let r = s
        .get(&format!(
            "/api/v1/counts?ids={OTHER},{ARTICLE},no-such-article,{ARTICLE}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({
            ARTICLE: {"comments": 2, "views": 2, "rating": {"count": 2, "average": 4.5}},
            OTHER: {"comments": 1, "views": 1, "rating": {"count": 1, "average": 3.0}},
            "no-such-article": {"comments": 0, "views": 0, "rating": {"count": 0, "average": 0.0}},
        })
    );
    // A hundred ids at once.
    let many: Vec<String> = (0..99)
        .map(|i| format!("bai-{i}"))
        .chain([ARTICLE.to_owned()])
        .collect();
    let r = s
        .get(&format!("/api/v1/counts?ids={}", many.join(",")))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let json = r.json();
    assert_eq!(json.as_object().unwrap().len(), 100);
    assert_eq!(json[ARTICLE]["comments"], 2);
    assert_eq!(json["bai-7"]["views"], 0);
    // Percent-encoded commas are commas.
    let r = s
        .get(&format!("/api/v1/counts?ids={ARTICLE}%2C{OTHER}"))
        .await;
    assert_eq!(r.json().as_object().unwrap().len(), 2);
}

async fn counts_refuse_bad_id_lists_precisely(b: Backend) {
    let s = TestServer::start(b).await;
    let many = (0..101).map(|i| format!("bai-{i}")).collect::<Vec<_>>();
    // Long ids are quoted in part.
    let long_refusal = format!(
        "ids: `{}` (item 1) is not a valid article id",
        "x".repeat(40)
    );
    let cases: [(String, &str); 10] = [
        (
            "/api/v1/counts".to_owned(),
            "ids: is required: 1 to 100 article ids, comma-separated",
        ),
        (
            "/api/v1/counts?ids=".to_owned(),
            "ids: must list 1 to 100 article ids, comma-separated",
        ),
        (
            format!("/api/v1/counts?ids={}", many.join(",")),
            "ids: lists more than 100 article ids",
        ),
        (
            format!("/api/v1/counts?ids={}", vec![ARTICLE; 101].join(",")),
            "ids: lists more than 100 article ids",
        ),
        (
            "/api/v1/counts?ids=a,..,b".to_owned(),
            "ids: `..` (item 2) is not a valid article id",
        ),
        (
            "/api/v1/counts?ids=a,b,".to_owned(),
            "ids: `` (item 3) is not a valid article id",
        ),
        (
            "/api/v1/counts?ids=a%2Fb".to_owned(),
            "ids: `a/b` (item 1) is not a valid article id",
        ),
        (
            "/api/v1/counts?ids=b%C3%A0i".to_owned(),
            "ids: `bài` (item 1) is not a valid article id",
        ),
        (
            format!("/api/v1/counts?ids={}", "x".repeat(129)),
            &long_refusal,
        ),
        (
            "/api/v1/counts?ids=%ZZ".to_owned(),
            "ids: is not valid percent-encoded UTF-8",
        ),
    ];
    for (path, message) in cases {
        let r = s.get(&path).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{path}: {}",
            r.body
        );
        assert_eq!(r.message(), message, "{path}");
    }
    let r = s.post("/api/v1/counts?ids=a", &json!({})).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
}

async fn counts_are_cacheable_with_etags(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.counts_max_age = 45;
        c.allowed_origins = vec!["https://portal.example".into()];
    })
    .await;
    let path = format!("/api/v1/counts?ids={ARTICLE},{OTHER}");
    let r = s.get(&path).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("public, max-age=45"));
    let etag = r.header("etag").unwrap().to_owned();
    assert!(
        etag.len() == 34 && etag.starts_with('"') && etag.ends_with('"'),
        "a strong tag: {etag}"
    );
    // The same body, the same tag; revalidation is a 304 without a body.
    assert_eq!(s.get(&path).await.header("etag"), Some(etag.as_str()));
    for given in [
        etag.clone(),
        format!("\"other\", {etag}"),
        format!("W/{etag}"),
        "*".into(),
    ] {
        let r = s
            .request("GET", &path, &[("if-none-match", &given)], None)
            .await;
        assert_eq!(r.status, 304, "{given}");
        assert_eq!(r.body, "");
        assert_eq!(r.header("cache-control"), Some("public, max-age=45"));
        assert!(r.header("etag").is_some());
    }
    let r = s
        .request("GET", &path, &[("if-none-match", "\"stale\"")], None)
        .await;
    assert_eq!(r.status, 200);
    // The counts change: a new tag, and the old one no longer matches.
    let v = s.visitor().await;
    s.vote(ARTICLE, &v, 5).await;
    let r = s
        .request("GET", &path, &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(r.status, 200);
    let fresh = r.header("etag").unwrap().to_owned();
    assert_ne!(fresh, etag);
    assert_eq!(r.json()[ARTICLE]["rating"]["count"], 1);

    // A compressed answer has a tag of its own, and revalidates with it.
    let many: Vec<String> = (0..100).map(|i| format!("bai-viet-so-{i}")).collect();
    let big = format!("/api/v1/counts?ids={}", many.join(","));
    let plain = s.get(&big).await;
    let plain_tag = plain.header("etag").unwrap().to_owned();
    let gz = s
        .request_raw("GET", &big, &[("accept-encoding", "gzip")], None)
        .await;
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let gz_tag = gz.header("etag").unwrap().to_owned();
    assert_eq!(
        gz_tag,
        format!("{}-gzip\"", &plain_tag[..plain_tag.len() - 1])
    );
    let r = s
        .request(
            "GET",
            &big,
            &[("if-none-match", &gz_tag), ("accept-encoding", "gzip")],
            None,
        )
        .await;
    assert_eq!(r.status, 304);
    assert_eq!(r.header("etag"), Some(gz_tag.as_str()));

    // CORS as for the other reads.
    let r = s
        .request("GET", &path, &[("origin", "https://portal.example")], None)
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(r
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Origin")));
    let r = s
        .request("GET", &path, &[("origin", "https://evil.example")], None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

/// A reply is shown only with its parent: while the parent is not published
/// (rejected, held by reports) its replies are neither counted nor can they
/// be liked or reported, as its replies page is a 404; a parent deleted by
/// its author stays as a placeholder, and its replies stay too.
async fn replies_of_a_hidden_thread_are_hidden_everywhere(b: Backend) {
    let s = TestServer::start(b).await;
    let (top, created) = posted(&s, ARTICLE, "Chủ đề", None).await;
    let (reply, _) = posted(&s, ARTICLE, "Trả lời", Some(top)).await;
    let v = s.visitor().await;
    let comments = |s: &TestServer| {
        let s = s.clone_client();
        async move {
            s.get(&format!("/api/v1/counts?ids={ARTICLE}")).await.json()[ARTICLE]["comments"]
                .as_u64()
        }
    };
    let report = |s: &TestServer, v: String| {
        let s = s.clone_client();
        async move {
            s.post(
                &format!("/api/v1/articles/{ARTICLE}/comments/{reply}/report"),
                &json!({ "visitor": v }),
            )
            .await
        }
    };
    let replies = format!("/api/v1/articles/{ARTICLE}/comments/{top}/replies");
    assert_eq!(comments(&s).await, Some(2));

    let action = |what: &'static str| {
        let s = s.clone_client();
        async move {
            let r = s
                .admin_json(
                    "POST",
                    "/api/v1/admin/queue/actions",
                    &json!({"action": what, "ids": [top]}),
                )
                .await;
            assert_eq!(r.json()["done"], json!([top]), "{}", r.body);
        }
    };
    action("reject").await;
    assert_eq!(s.get(&replies).await.status, 404);
    assert_eq!(comments(&s).await, Some(0), "the hidden thread's reply");
    let r = set_like(&s, ARTICLE, reply, &v, true).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));
    let r = report(&s, v.clone()).await;
    assert_eq!((r.status, r.code().as_str()), (404, "comment_not_found"));

    // Shown again: counted, liked, reported.
    action("approve").await;
    assert_eq!(s.get(&replies).await.status, 200);
    assert_eq!(comments(&s).await, Some(2));
    assert_eq!(set_like(&s, ARTICLE, reply, &v, true).await.status, 200);
    assert_eq!(report(&s, v.clone()).await.status, 204);

    // The author deletes the parent: a placeholder, its reply still shown.
    let token = created["edit_token"].as_str().unwrap();
    let r = s
        .send_json(
            "DELETE",
            &comment_path(ARTICLE, top),
            &json!({ "token": token }),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(comments(&s).await, Some(1));
    assert_eq!(set_like(&s, ARTICLE, reply, &v, false).await.status, 200);
    assert_eq!(report(&s, s.visitor().await).await.status, 204);
}
