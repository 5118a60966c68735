//! What every endpoint shares: rate limits, bodies, unknown paths and methods, CORS, client addresses.

use crate::common::*;
use serde_json::json;

on_both_backends!(
    rate_limits_answer_429_with_retry_after,
    oversized_and_malformed_bodies_never_give_500,
    unknown_paths_and_methods_answer_in_the_error_shape,
    cors_preflight_allowed_and_refused,
    cors_is_closed_by_default,
    the_console_api_is_never_opened_cross_origin,
    the_public_url_is_the_servers_own_origin,
    rate_limit_keys_on_the_client_address,
);

async fn rate_limits_answer_429_with_retry_after(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.rate_comments = 2;
        c.rate_writes = 3;
    })
    .await;
    for _ in 0..2 {
        assert_eq!(s.comment(ARTICLE, "An", "x", None).await.status, 201);
    }
    let r = s.comment(ARTICLE, "An", "x", None).await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");

    // Visitor credentials, votes and visits share the writes' bucket.
    let v = s.visitor().await;
    let r = s.vote(ARTICLE, &v, 3).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s.visit(&v, "s").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s.vote(ARTICLE, &v, 4).await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    // Reads are not limited.
    assert_eq!(s.get(&rating_path(ARTICLE)).await.status, 200);
}

async fn oversized_and_malformed_bodies_never_give_500(b: Backend) {
    let s = TestServer::start(b).await;
    let big = format!(
        r#"{{"author":"An","body":"{}","elapsed_ms":5000}}"#,
        "x".repeat(20_000)
    );
    let r = s
        .request(
            "POST",
            &comments_path(ARTICLE),
            JSON,
            Some(big.into_bytes()),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (413, "payload_too_large"));
    // Not UTF-8, in a known field or an unknown one: not JSON.
    let v = s.visitor().await;
    let unknown = [
        format!(r#"{{"stars":4,"visitor":"{v}","x":""#).as_bytes(),
        b"\xff\"}",
    ]
    .concat();
    for body in [
        br#"{"stars":4,"visitor":""#.iter().chain(b"\xff\"}").copied().collect(),
        unknown,
    ] {
        let r = s
            .request("PUT", &rating_path(ARTICLE), JSON, Some(body))
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "malformed_json"),
            "{}",
            r.body
        );
    }
    assert_eq!(s.vote(ARTICLE, &v, 4).await.status, 200);
    let r = s
        .request("PUT", &rating_path(ARTICLE), JSON, Some(vec![b' '; 70_000]))
        .await;
    assert_eq!(r.status, 413);

    let junk: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"a\":1}",
        b"\xff\xfe",
        b"{\"author\":null,\"body\":null}",
        b"{\"stars\":1e400}",
        b"{\"visitor\":{\"$gt\":\"\"},\"session\":[1]}",
        b"{\"author\":\"A\",\"body\":\"B\",\"parent_id\":18446744073709551615,\"elapsed_ms\":9999}",
    ];
    let targets = [
        ("PUT", rating_path(ARTICLE)),
        ("POST", comments_path(ARTICLE)),
        ("POST", "/api/v1/visits".to_string()),
    ];
    for (method, path) in &targets {
        for body in &junk {
            let r = s.request(method, path, JSON, Some(body.to_vec())).await;
            assert!(
                matches!(r.status, 400 | 413 | 422),
                "{method} {path} {:?}: {} {}",
                String::from_utf8_lossy(body),
                r.status,
                r.body
            );
            r.code();
        }
    }
}

async fn unknown_paths_and_methods_answer_in_the_error_shape(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get("/api/v1/nothing").await;
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
    let r = s.get("/api/v2/stats").await;
    assert_eq!(r.status, 404);
    let r = s.request("DELETE", "/api/v1/stats", &[], None).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
    let r = s.request("POST", &rating_path(ARTICLE), &[], None).await;
    assert_eq!(r.status, 405);
    r.code();
}

async fn cors_preflight_allowed_and_refused(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.allowed_origins = vec!["https://portal.example".into()]
    })
    .await;
    let preflight = |origin: &'static str| {
        let s = &s;
        async move {
            s.request(
                "OPTIONS",
                &comments_path(ARTICLE),
                &[
                    ("origin", origin),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type"),
                ],
                None,
            )
            .await
        }
    };
    let r = preflight("https://portal.example").await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("content-type"));

    let r = preflight("https://evil.example").await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    assert!(r.header("access-control-allow-origin").is_none());

    let r = s
        .request(
            "GET",
            &rating_path(ARTICLE),
            &[("origin", "https://portal.example")],
            None,
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
    let r = s
        .request(
            "GET",
            &rating_path(ARTICLE),
            &[("origin", "https://evil.example")],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

async fn cors_is_closed_by_default(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s
        .request(
            "OPTIONS",
            "/api/v1/stats",
            &[
                ("origin", "https://portal.example"),
                ("access-control-request-method", "GET"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.header("access-control-allow-origin").is_none());
}

async fn rate_limit_keys_on_the_client_address(b: Backend) {
    // Behind trusted proxies (the test client's 127.0.0.1, and 10.0.0.0/8): the
    // rightmost X-Forwarded-For entry that is not a trusted proxy is the client.
    // The credentials come from another server on the same key, so that they
    // use up no one's writes.
    let issuer = TestServer::start(b).await;
    let visitors = issuer.visitors(3).await;
    let vote = |i: usize| {
        json!({"stars": 3, "visitor": visitors[i]})
            .to_string()
            .into_bytes()
    };
    let s = TestServer::start_with(b, |c| {
        c.rate_writes = 1;
        c.trusted_proxies = vec![
            "127.0.0.0/8".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
    })
    .await;
    for (i, ip) in ["198.51.100.1", "198.51.100.2"].into_iter().enumerate() {
        let xff = format!("10.0.0.9, {ip}, 10.0.0.7");
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &[
                    ("x-forwarded-for", &xff),
                    ("content-type", "application/json"),
                ],
                Some(vote(i)),
            )
            .await;
        assert_eq!(r.status, 200, "{ip}: {}", r.body);
    }
    let r = s
        .request(
            "PUT",
            &rating_path(ARTICLE),
            &[
                ("x-forwarded-for", "203.0.113.5, 198.51.100.1"),
                ("content-type", "application/json"),
            ],
            Some(vote(2)),
        )
        .await;
    assert_eq!(r.status, 429);

    // Not trusted: the header is ignored, everything comes from 127.0.0.1.
    let s = TestServer::start_with(b, |c| c.rate_writes = 1).await;
    for (i, (ip, expected)) in [("198.51.100.1", 200), ("198.51.100.2", 429)]
        .into_iter()
        .enumerate()
    {
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &[
                    ("x-forwarded-for", ip),
                    ("content-type", "application/json"),
                ],
                Some(vote(i)),
            )
            .await;
        assert_eq!(r.status, expected, "{ip}: {}", r.body);
    }
}

/// Behind a proxy that sends the upstream's name as `Host` (here the test's
/// `127.0.0.1:port`) and no `X-Forwarded-Host`, the browser's `Origin` is
/// `--public-url`'s: the console and the readers' writes work from it, and
/// only from it (not another port, not another scheme).
async fn the_public_url_is_the_servers_own_origin(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.public_url = Some("https://tin.example.vn:443/".into())
    })
    .await;
    s.add_user("lan", "admin", "mật khẩu dài đủ").await;
    let session = s.sign_in("lan", "mật khẩu dài đủ").await;
    let cookie = format!("bantin_session={}", session.cookie);
    let console = |origin: &'static str| {
        let (s, cookie) = (s.clone_client(), cookie.clone());
        async move {
            s.request(
                "GET",
                "/api/v1/admin/queue",
                &[("origin", origin), ("cookie", &cookie)],
                None,
            )
            .await
        }
    };
    assert_eq!(console("https://tin.example.vn").await.status, 200);
    assert_eq!(console("HTTPS://TIN.EXAMPLE.VN").await.status, 200);
    for other in [
        "https://tin.example.vn:8443",
        "http://tin.example.vn",
        "https://evil.example.vn",
    ] {
        let r = console(other).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "origin_not_allowed"),
            "{other}"
        );
    }
    let visitor = s.visitor().await;
    let vote = |origin: &'static str| {
        let s = s.clone_client();
        let body = serde_json::to_vec(&json!({"stars": 4, "visitor": visitor})).unwrap();
        async move {
            s.request(
                "PUT",
                &rating_path(ARTICLE),
                &[("origin", origin), ("content-type", "application/json")],
                Some(body),
            )
            .await
        }
    };
    let r = vote("https://evil.example.vn").await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    let r = vote("https://tin.example.vn").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// `--allowed-origins` is for the widget: the console's API (`/api/v1/admin/*`,
/// served same-origin with `/admin/`) answers no CORS headers, refuses
/// preflights and any request whose `Origin` is another one, even an allowed
/// one, with the session cookie or the bearer token.
async fn the_console_api_is_never_opened_cross_origin(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.allowed_origins = vec!["https://portal.example".into(), "*".into()]
    })
    .await;
    s.add_user("lan", "admin", "mật khẩu dài đủ").await;
    let session = s.sign_in("lan", "mật khẩu dài đủ").await;
    let cookie = format!("bantin_session={}", session.cookie);
    let own = format!("http://{}", s.addr);
    let no_cors = |r: &Resp| {
        for h in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-allow-headers",
            "access-control-allow-methods",
        ] {
            assert!(r.header(h).is_none(), "{h}: {:?}", r.headers);
        }
    };
    let refused = |r: &Resp| {
        assert_eq!(r.status, 403, "{:?} {}", r.headers, r.body);
        assert_eq!(r.code(), "origin_not_allowed");
        assert!(!r.body.contains(&session.csrf));
        no_cors(r);
    };
    for path in [
        "/api/v1/admin/session",
        "/api/v1/admin/queue",
        "/api/v1/admin/export?what=comments&format=json",
        "/api/v1/admin/keywords",
        "/api/v1/admin/comments",
    ] {
        let r = s
            .request(
                "OPTIONS",
                path,
                &[
                    ("origin", "https://portal.example"),
                    ("access-control-request-method", "PUT"),
                    (
                        "access-control-request-headers",
                        "content-type, x-bantin-csrf",
                    ),
                ],
                None,
            )
            .await;
        refused(&r);
        for origin in ["https://portal.example", "https://evil.example", "null"] {
            let r = s
                .request(
                    "GET",
                    path,
                    &[("origin", origin), ("cookie", &cookie)],
                    None,
                )
                .await;
            refused(&r);
            let auth = format!("Bearer {ADMIN}");
            let r = s
                .request(
                    "GET",
                    path,
                    &[("origin", origin), ("authorization", &auth)],
                    None,
                )
                .await;
            refused(&r);
        }
        let r = s
            .request(
                "GET",
                path,
                &[("sec-fetch-site", "cross-site"), ("cookie", &cookie)],
                None,
            )
            .await;
        refused(&r);
        // The console's own page, and scripts without Origin, go on working
        // (the bearer token's own list takes no session).
        let auth = format!("Bearer {ADMIN}");
        let credential = if path == "/api/v1/admin/comments" {
            ("authorization", auth.as_str())
        } else {
            ("cookie", cookie.as_str())
        };
        let r = s
            .request("GET", path, &[("origin", &own), credential], None)
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        no_cors(&r);
        let r = s
            .request(
                "GET",
                path,
                &[("sec-fetch-site", "same-origin"), credential],
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        no_cors(&r);
        let r = s.request("GET", path, &[credential], None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        no_cors(&r);
    }
    // A change with the session and its CSRF token from an allowed origin.
    let r = s
        .request(
            "PUT",
            "/api/v1/admin/keywords",
            &[
                ("origin", "https://portal.example"),
                ("cookie", &cookie),
                ("x-bantin-csrf", &session.csrf),
                ("content-type", "application/json"),
            ],
            Some(br#"{"hold":["x"],"refuse":[]}"#.to_vec()),
        )
        .await;
    refused(&r);
    // The readers' endpoints stay open to the allowed origin, without the
    // console's headers in their preflight.
    let r = s
        .request(
            "OPTIONS",
            &comments_path(ARTICLE),
            &[
                ("origin", "https://portal.example"),
                ("access-control-request-method", "POST"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("content-type")
    );
}
