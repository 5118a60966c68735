//! The findings of the attacker's probe of issue 12, each tried again over
//! real HTTP: every one must now be refused.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    a_text_plain_post_from_another_site_writes_nothing,
    writes_from_the_own_origin_or_allowed_origins_pass,
    api_answers_say_nosniff,
);

async fn a_text_plain_post_from_another_site_writes_nothing(b: Backend) {
    let s = TestServer::start_with(b, |c| c.captcha = false).await;
    let evil = [
        ("origin", "https://evil.example"),
        ("content-type", "text/plain"),
    ];
    let visit = json!({"visitor": "v1", "session": "s1"}).to_string();
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &evil,
            Some(visit.clone().into_bytes()),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (403, "origin_not_allowed"),
        "{}",
        r.body
    );
    let comment = json!({"author": "An", "body": "x", "elapsed_ms": 5000}).to_string();
    let r = s
        .request(
            "POST",
            &comments_path(ARTICLE),
            &evil,
            Some(comment.clone().into_bytes()),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    let vote = json!({"stars": 1, "visitor": "v1"}).to_string();
    let r = s
        .request(
            "PUT",
            &rating_path(ARTICLE),
            &evil,
            Some(vote.clone().into_bytes()),
        )
        .await;
    assert_eq!(r.status, 403);
    // Saying application/json does not help another site (that needs a
    // preflight, refused too), nor does `Origin: null` (sandboxed frames).
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        let r = s
            .request(
                "POST",
                "/api/v1/visits",
                &[("origin", origin), ("content-type", "application/json")],
                Some(visit.clone().into_bytes()),
            )
            .await;
        assert_eq!(r.status, 403, "{origin}");
    }
    // A browser that sends no Origin but says the request is cross-site.
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &[
                ("sec-fetch-site", "cross-site"),
                ("content-type", "application/json"),
            ],
            Some(visit.clone().into_bytes()),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    // text/plain from anywhere is not JSON.
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &[("content-type", "text/plain")],
            Some(visit.clone().into_bytes()),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (415, "unsupported_media_type")
    );
    let r = s
        .request("POST", "/api/v1/visits", &[], Some(visit.into_bytes()))
        .await;
    assert_eq!(r.status, 415);
    // Nothing was counted or stored.
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 0, "online": 0})
    );
    assert_eq!(listed_ids(&s, ARTICLE).await, Vec::<u64>::new());
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 0);
}

async fn writes_from_the_own_origin_or_allowed_origins_pass(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.allowed_origins = vec!["https://portal.example".into()];
    })
    .await;
    let own = format!("http://{}", s.addr);
    let visit = |sess: &str| {
        json!({"visitor": "v1", "session": sess})
            .to_string()
            .into_bytes()
    };
    for (origin, sess) in [
        (own.as_str(), "s1"),
        ("https://portal.example", "s2"),
        ("HTTPS://PORTAL.EXAMPLE", "s3"),
    ] {
        let r = s
            .request(
                "POST",
                "/api/v1/visits",
                &[
                    ("origin", origin),
                    ("content-type", "application/json; charset=utf-8"),
                ],
                Some(visit(sess)),
            )
            .await;
        assert_eq!(r.status, 200, "{origin}: {}", r.body);
    }
    // Same-origin fetches also say so in Sec-Fetch-Site; scripts send neither header.
    for headers in [
        &[
            ("sec-fetch-site", "same-origin"),
            ("content-type", "application/json"),
        ][..],
        JSON,
    ] {
        let r = s
            .request("POST", "/api/v1/visits", headers, Some(visit("s4")))
            .await;
        assert_eq!(r.status, 200, "{headers:?}");
    }
    // The refusal of a portal's own allowed origin would be visible to it: a
    // refused write from a foreign origin carries no CORS permission.
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &[
                ("origin", "https://evil.example"),
                ("content-type", "application/json"),
            ],
            Some(visit("s5")),
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.header("access-control-allow-origin").is_none());
    assert_eq!(s.get("/api/v1/stats").await.json()["total_visits"], 4);
}

async fn api_answers_say_nosniff(b: Backend) {
    let s = TestServer::start(b).await;
    for path in ["/api/v1/stats", "/api/v1/nothing", &rating_path(ARTICLE)] {
        let r = s.get(path).await;
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &[("content-type", "text/plain")],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
}
