//! The findings of the attacker's probe of issue 12, each tried again over
//! real HTTP: every one must now be refused.

use crate::common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads what the server sends until it closes the connection (at most `limit`).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut out = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut out)).await {
        Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => None,
    }
}

on_both_backends!(
    a_text_plain_post_from_another_site_writes_nothing,
    writes_from_the_own_origin_or_allowed_origins_pass,
    api_answers_say_nosniff,
    a_trickled_body_is_cut_off_at_the_request_timeout,
    a_stalled_body_is_a_request_timeout,
    slow_headers_are_cut_off,
    open_connections_are_capped_per_client_and_in_total,
    wrong_admin_tokens_are_throttled,
    the_sqlite_file_is_private_and_synced_in_full,
    a_re_spelled_captcha_payload_is_spent_too,
    invisible_and_confusable_names_are_refused_or_cleaned,
    thirty_replies_come_twenty_at_a_time,
    twenty_five_fresh_browsers_on_one_network_cast_twenty_votes,
    a_hundred_made_up_visitor_ids_count_nothing,
    forged_credentials_are_refused,
    expired_credentials_are_refused,
    issuing_credentials_is_capped_per_network,
    online_counts_credentials_at_most_a_cap_per_network,
    visits_counted_per_credential_are_capped,
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
    let v1 = s.visitor().await;
    let visit = |sess: &str| {
        json!({"visitor": v1, "session": sess})
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

async fn a_trickled_body_is_cut_off_at_the_request_timeout(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.request_timeout = Duration::from_secs(2);
        c.captcha = false;
    })
    .await;
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    let body = json!({"author": "An", "body": "trickled", "elapsed_ms": 5000}).to_string();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        comments_path(ARTICLE),
        s.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    // One byte every 300 ms (the probe used 2 s): each gap is short, the whole is not.
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for byte in body.bytes() {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer)).await;
    let took = started.elapsed();
    trickle.abort();
    assert!(read.is_ok(), "the connection was still open after 10 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");
    assert!(took < Duration::from_secs(4), "answered after {took:?}");
    assert_eq!(listed_ids(&s, ARTICLE).await, Vec::<u64>::new());
    // The default is at most 15 s.
    assert!(bantin_server::config::Config::default().request_timeout <= Duration::from_secs(15));
}

/// A body that stops coming (part of its `Content-Length`, then nothing) is
/// cut off after the gap the server allows (`header_timeout`): `408
/// request_timeout` like a trickled one, not `400 malformed_json`. On every
/// body-reading endpoint, the optional bodies' too.
async fn a_stalled_body_is_a_request_timeout(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.header_timeout = Duration::from_millis(500);
        c.captcha = false;
    })
    .await;
    for path in [comments_path(ARTICLE), VISITORS.to_owned()] {
        let mut stream = TcpStream::connect(s.addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"author\": \"An\",",
            s.addr,
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let answer = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .expect("closed within 5 s");
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    assert_eq!(listed_ids(&s, ARTICLE).await, Vec::<u64>::new());
}

async fn slow_headers_are_cut_off(b: Backend) {
    let s = TestServer::start_with(b, |c| c.header_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    stream
        .write_all(b"GET /api/v1/stats HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.is_some(), "still open after 5 s");
    assert!(started.elapsed() < Duration::from_secs(3));
}

async fn open_connections_are_capped_per_client_and_in_total(b: Backend) {
    let s = TestServer::start_with(b, |c| c.max_connections_per_client = 3).await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(s.addr).await.unwrap());
    }
    // Let the server accept them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = TcpStream::connect(s.addr).await.unwrap();
    let answer = read_until_closed(&mut fourth, Duration::from_secs(5))
        .await
        .expect("refused at once");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains(r#""code":"overloaded""#), "{answer}");
    // One goes: there is room again.
    drop(idle.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(s.get("/api/v1/stats").await.status, 200);
    drop(idle);

    // In total, whoever asks: trusted proxies are exempt from the per-client cap, not from this one.
    let s = TestServer::start_with(b, |c| {
        c.max_connections = 2;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let _a = TcpStream::connect(s.addr).await.unwrap();
    let _b = TcpStream::connect(s.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = try_send(s.addr, "GET", "/api/v1/stats", &[], None).await;
    match r {
        Ok(r) => assert_eq!((r.status, r.code().as_str()), (503, "overloaded")),
        Err(e) => panic!("expected a 503, got {e}"),
    }
}

async fn wrong_admin_tokens_are_throttled(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.rate_admin_failures = 3;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let attempt = |token: &'static str, client: &'static str| {
        let s = &s;
        async move {
            let auth = format!("Bearer {token}");
            s.request(
                "GET",
                "/api/v1/admin/comments",
                &[("authorization", &auth), ("x-forwarded-for", client)],
                None,
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("guess-0000000000000", "198.51.100.7").await.status,
            401
        );
    }
    let r = attempt("guess-0000000000000", "198.51.100.7").await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    assert!(r.header("retry-after").is_some());
    // Now even the right token waits: guessing cannot go on between tries.
    assert_eq!(attempt(ADMIN, "198.51.100.7").await.status, 429);
    // Another address is not affected, and the right token never counts.
    for _ in 0..5 {
        assert_eq!(attempt(ADMIN, "198.51.100.8").await.status, 200);
    }
    assert_eq!(
        attempt("guess-0000000000000", "198.51.100.8").await.status,
        401
    );
}

async fn the_sqlite_file_is_private_and_synced_in_full(b: Backend) {
    use std::os::unix::fs::PermissionsExt;
    if b == Backend::Postgres {
        return; // a file of SQLite's only
    }
    let s = TestServer::start(b).await;
    let bantin_server::config::Database::Sqlite(path) = s.db() else {
        unreachable!()
    };
    // A write, so that the -wal and -shm files exist.
    let r = s.post("/api/v1/visits", &json!({"session": "s"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600, "{}", path.display());
    for suffix in ["-wal", "-shm"] {
        let f = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    // An existing file readable by others is narrowed at start (a second
    // store on the same file, as a restart would open it).
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = bantin_server::store::sqlite::SqliteStore::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(store.synchronous().await.unwrap(), 2, "FULL");
    let store = bantin_server::store::sqlite::SqliteStore::open_with(
        &path,
        bantin_server::config::Synchronous::Normal,
    )
    .unwrap();
    assert_eq!(store.synchronous().await.unwrap(), 1, "NORMAL");
    drop(s);
}

async fn a_re_spelled_captcha_payload_is_spent_too(b: Backend) {
    use bantin_protocol::pow::{self, Payload};
    let s = TestServer::start(b).await;
    let c: pow::Challenge = serde_json::from_str(&s.get("/api/v1/captcha").await.body).unwrap();
    let n = pow::solve(&c.challenge, &c.salt, c.maxnumber).unwrap();
    let payload = Payload::new(&c, n, 1);
    let post = |captcha: String| {
        let s = &s;
        async move {
            s.post(
                &comments_path(ARTICLE),
                &json!({"author": "An", "body": "x", "captcha": captcha, "elapsed_ms": 5000}),
            )
            .await
        }
    };
    assert_eq!(post(payload.encode()).await.status, 201);
    // The probe: 201, 409, then 201 again with `signature.toUpperCase()`.
    assert_eq!(post(payload.encode()).await.code(), "captcha_reused");
    let mut upper = payload.clone();
    upper.signature = upper.signature.to_uppercase();
    let r = post(upper.encode()).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (422, "captcha_invalid"),
        "{}",
        r.body
    );
    let mut upper = payload.clone();
    upper.challenge = upper.challenge.to_uppercase();
    assert_eq!(post(upper.encode()).await.code(), "captcha_invalid");
    // Other spellings that do verify are the same payload: spent.
    let json = serde_json::to_string(&Payload {
        took: 77,
        ..payload.clone()
    })
    .unwrap();
    let respelled = pow::base64_encode(format!(" {json} ").as_bytes())
        .replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .to_owned();
    let r = post(respelled).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (409, "captcha_reused"),
        "{}",
        r.body
    );
    assert_eq!(listed_ids(&s, ARTICLE).await.len(), 1);
}

async fn invisible_and_confusable_names_are_refused_or_cleaned(b: Backend) {
    let s = TestServer::start(b).await;
    // The probe's names, stored as sent before.
    for (name, why) in [
        ("\u{0430}dmin", "reserved"),
        ("\u{2060}Admin", "reserved"),
        ("Ban bi\u{00EA}n t\u{1EAD}p", "reserved"),
        ("QUAN TRI VIEN", "reserved"),
        // Capitals of other scripts, compatibility forms (the review's).
        ("\u{0410}D\u{041C}\u{0406}N", "reserved"),
        (
            "\u{0392}\u{0391}\u{039D}\u{03A4}\u{0399}\u{039D}",
            "reserved",
        ),
        ("ⓐⓓⓜⓘⓝ", "reserved"),
        ("🄰🄳🄼🄸🄽", "reserved"),
        ("\u{3164}", "visible"),
        ("\u{200B}\u{2060}\u{FEFF}", "visible"),
    ] {
        let r = s.comment(ARTICLE, name, "x", None).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "invalid_field"),
            "{name:?}: {}",
            r.body
        );
        assert!(
            r.message().starts_with("author") && r.message().contains(why),
            "{name:?}: {}",
            r.message()
        );
    }
    for name in ["Nguyễn Văn Minh", "Đặng Thị Ánh"] {
        let r = s
            .comment(ARTICLE, name, &format!("Ý kiến của {name}"), None)
            .await;
        assert_eq!(r.status, 201, "{name}: {}", r.body);
    }
    // What is stored is NFC, without invisible characters; Zalgo is capped.
    let r = s
        .comment(
            ARTICLE,
            "\u{2060}Nguye\u{0302}\u{0303}n\u{200B}",
            &format!("Hay{}!", "\u{0301}".repeat(40)),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let c = s.get(&comments_path(ARTICLE)).await.json()["items"][0].clone();
    assert_eq!(c["author"], "Nguyễn");
    let body = c["body"].as_str().unwrap();
    assert_eq!(
        body,
        format!("Ha\u{00FD}{}!", "\u{0301}".repeat(3)),
        "NFC, then at most 3 marks in a row"
    );
}

async fn thirty_replies_come_twenty_at_a_time(b: Backend) {
    let s = TestServer::start_with(b, |c| c.captcha = false).await;
    let post = |parent: Option<u64>, body: String| {
        let s = &s;
        async move {
            let mut json = json!({"author": "An", "body": body, "elapsed_ms": 5000});
            if let Some(p) = parent {
                json["parent_id"] = p.into();
            }
            let r = s.post(&comments_path(ARTICLE), &json).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_u64().unwrap()
        }
    };
    let top = post(None, "gốc".into()).await;
    let mut replies = Vec::new();
    for i in 0..30 {
        replies.push(post(Some(top), format!("trả lời {i}")).await);
    }
    // The probe: `?limit=1` returned all of them.
    let page = s
        .get(&format!("{}?limit=1", comments_path(ARTICLE)))
        .await
        .json();
    let c = &page["items"][0];
    assert_eq!(c["id"].as_u64(), Some(top));
    assert_eq!(c["reply_count"], 30);
    let inline: Vec<u64> = c["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(inline, replies[..20], "the oldest 20, oldest first");
    // The rest from the cursor endpoint, after the last one shown.
    let path = format!("/api/v1/articles/{ARTICLE}/comments/{top}/replies");
    let r = s
        .get(&format!("{path}?cursor={}&limit=6", replies[19]))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = r.json();
    let got: Vec<u64> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, replies[20..26]);
    let p2 = s
        .get(&format!(
            "{path}?cursor={}&limit=6",
            p["next"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(p2["items"].as_array().unwrap().len(), 4);
    assert_eq!(p2["next"], serde_json::Value::Null);
    let all = s.get(&path).await.json();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        20,
        "default page of 20"
    );
    // Not a top-level comment of this article, or no such comment: 404.
    for bad in [
        format!("/api/v1/articles/{ARTICLE}/comments/{}/replies", replies[0]),
        format!("/api/v1/articles/{OTHER}/comments/{top}/replies"),
        format!("/api/v1/articles/{ARTICLE}/comments/999999/replies"),
        format!("/api/v1/articles/{ARTICLE}/comments/abc/replies"),
    ] {
        let r = s.get(&bad).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (404, "comment_not_found"),
            "{bad}"
        );
    }
    let r = s.get(&format!("{path}?limit=101")).await;
    assert_eq!(r.status, 400);
}

// ------------------------------------------------------------ visitor credentials

/// A server behind a trusted proxy (the test client's 127.0.0.1), so that
/// `X-Forwarded-For` chooses the client network, with the default caps
/// unless `change` sets others.
async fn behind_proxy(
    b: Backend,
    change: impl FnOnce(&mut bantin_server::config::Config),
) -> TestServer {
    let defaults = bantin_server::config::Config::default();
    TestServer::start_with(b, |c| {
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        c.visitors_per_network = defaults.visitors_per_network;
        c.votes_per_network = defaults.votes_per_network;
        c.visits_per_visitor = defaults.visits_per_visitor;
        c.online_per_network = defaults.online_per_network;
        change(c);
    })
    .await
}

/// `method path` with a JSON `body` from the client address `ip`.
async fn from(s: &TestServer, ip: &str, method: &str, path: &str, body: serde_json::Value) -> Resp {
    s.request(
        method,
        path,
        &[
            ("x-forwarded-for", ip),
            ("content-type", "application/json"),
        ],
        Some(body.to_string().into_bytes()),
    )
    .await
}

fn retry_after(r: &Resp) -> u64 {
    r.header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", r.headers))
}

/// The probe: 25 fresh browsers on one address gave 25 votes on one article.
/// Now each fresh browser gets a credential, but new votes from one network
/// stop at 20 per article per day (the default), on both backends.
async fn twenty_five_fresh_browsers_on_one_network_cast_twenty_votes(b: Backend) {
    let s = behind_proxy(b, |_| {}).await;
    let office = "203.0.113.50";
    let mut accepted = Vec::new();
    for i in 0..25 {
        let browser = s.visitor_with(&[("x-forwarded-for", office)]).await;
        let r = from(
            &s,
            office,
            "PUT",
            &rating_path(ARTICLE),
            json!({"stars": 1, "visitor": browser}),
        )
        .await;
        if i < 20 {
            assert_eq!(r.status, 200, "browser {i}: {}", r.body);
            accepted.push(browser);
        } else {
            assert_eq!(
                (r.status, r.code().as_str()),
                (429, "network_cap_reached"),
                "browser {i}: {}",
                r.body
            );
            assert!((1..=86_400).contains(&retry_after(&r)));
            assert!(r.message().contains("20 new votes"), "{}", r.message());
        }
    }
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 20);
    // Changing an accepted vote is not a new vote: it still goes through.
    let r = from(
        &s,
        office,
        "PUT",
        &rating_path(ARTICLE),
        json!({"stars": 5, "visitor": accepted[0]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.json()["count"].as_u64(), r.json()["your_vote"].as_u64()),
        (Some(20), Some(5))
    );
    // The cap is per article ...
    let late = s.visitor_with(&[("x-forwarded-for", office)]).await;
    let r = from(
        &s,
        office,
        "PUT",
        &rating_path(OTHER),
        json!({"stars": 2, "visitor": late}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // ... and per network: the same credential from elsewhere votes (a phone
    // that left the office's Wi-Fi), another IPv4 address is another network.
    let r = from(
        &s,
        "198.51.100.9",
        "PUT",
        &rating_path(ARTICLE),
        json!({"stars": 2, "visitor": late}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["count"], 21);

    // IPv6: one /64 is one network, the next /64 another.
    let s = behind_proxy(b, |c| c.votes_per_network = 2).await;
    let mut statuses = Vec::new();
    for ip in [
        "2001:db8:0:1::1",
        "2001:db8:0:1::2",
        "2001:db8:0:1:ffff::3",
        "2001:db8:0:2::1",
    ] {
        let v = s.visitor_with(&[("x-forwarded-for", ip)]).await;
        statuses.push(
            from(
                &s,
                ip,
                "PUT",
                &rating_path(ARTICLE),
                json!({"stars": 3, "visitor": v}),
            )
            .await
            .status,
        );
    }
    assert_eq!(statuses, [200, 200, 429, 200]);
}

/// The probe from a script: 100 fresh ids gave `count: 100`, and visits
/// counted the same way. Ids the client makes up are no credentials.
async fn a_hundred_made_up_visitor_ids_count_nothing(b: Backend) {
    let s = TestServer::start(b).await;
    for i in 0..100 {
        let id = format!("0b6f0c9e-8a43-4a52-9d3c-{i:012}");
        let r = s.vote(ARTICLE, &id, 5).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_invalid"),
            "{}",
            r.body
        );
        let r = s.visit(&id, &format!("s{i}")).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_invalid"),
            "{}",
            r.body
        );
    }
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 0);
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 0, "online": 0})
    );
}

async fn forged_credentials_are_refused(b: Backend) {
    use bantin_protocol::credential::Credential;
    let s = TestServer::start(b).await;
    let good = s.visitor().await;
    let c = Credential::parse(&good).unwrap();
    let mut forged = vec![
        // Same fields, another key: the raw captcha key, another server's.
        Credential::issue(KEY, c.id, c.issued.into(), c.expires.into()).encode(),
        Credential::issue(
            b"another-server-key-0123",
            c.id,
            c.issued.into(),
            c.expires.into(),
        )
        .encode(),
        // A longer life, re-signed by someone without the key.
        Credential::issue(b"guess", c.id, c.issued.into(), u32::MAX.into()).encode(),
    ];
    // Every single character of the good one changed.
    for i in 0..good.len() {
        let mut t = good.clone().into_bytes();
        t[i] = if t[i] == b'A' { b'B' } else { b'A' };
        forged.push(String::from_utf8(t).unwrap());
    }
    forged.push(format!("{good}A"));
    forged.push(good[..54].to_owned());
    for (i, f) in forged.iter().enumerate() {
        assert_ne!(f, &good);
        let r = s.vote(ARTICLE, f, 5).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_invalid"),
            "{i} {f}: {}",
            r.body
        );
        let r = s.visit(f, "s").await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_invalid"),
            "{i}: {}",
            r.body
        );
        let r = s
            .get(&format!("{}?visitor={f}", rating_path(ARTICLE)))
            .await;
        assert_eq!(r.status, 401, "{i}");
        // As a cookie a forged one is only ignored: a vote then has none.
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &[
                    ("cookie", &format!("bantin_visitor={f}")),
                    ("content-type", "application/json"),
                ],
                Some(br#"{"stars": 5}"#.to_vec()),
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "visitor_required"),
            "{i}"
        );
    }
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 0);
    assert_eq!(s.get("/api/v1/stats").await.json()["total_visits"], 0);
    // The good one works.
    assert_eq!(s.vote(ARTICLE, &good, 5).await.status, 200);
}

async fn expired_credentials_are_refused(b: Backend) {
    let s = TestServer::start_with(b, |c| c.visitor_ttl = Duration::from_secs(2)).await;
    let token = s.visitor().await;
    assert_eq!(s.vote(ARTICLE, &token, 3).await.status, 200);
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let r = s.vote(ARTICLE, &token, 4).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (401, "visitor_expired"),
        "{}",
        r.body
    );
    assert!(
        r.message().contains("POST /api/v1/visitors"),
        "{}",
        r.message()
    );
    let r = s.visit(&token, "s").await;
    assert_eq!((r.status, r.code().as_str()), (401, "visitor_expired"));
    let r = s
        .get(&format!("{}?visitor={token}", rating_path(ARTICLE)))
        .await;
    assert_eq!((r.status, r.code().as_str()), (401, "visitor_expired"));
    // What to do: ask for a new one. Presenting the expired one does not
    // revive it: the new one is another identity.
    let r = s.post(VISITORS, &json!({"visitor": token})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let fresh = r.json()["visitor"].as_str().unwrap().to_owned();
    assert_ne!(visitor_id(&fresh), visitor_id(&token));
    let r = s.vote(ARTICLE, &fresh, 4).await;
    assert_eq!((r.status, r.json()["count"].as_u64()), (200, Some(2)));
}

async fn issuing_credentials_is_capped_per_network(b: Backend) {
    let s = behind_proxy(b, |c| c.visitors_per_network = 3).await;
    let home = "198.51.100.20";
    let xff = [("x-forwarded-for", home)];
    let mut issued = Vec::new();
    for _ in 0..3 {
        issued.push(s.visitor_with(&xff).await);
    }
    let r = s.request("POST", VISITORS, &xff, None).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (429, "network_cap_reached"),
        "{}",
        r.body
    );
    assert!((1..=86_400).contains(&retry_after(&r)));
    assert!(r.header("set-cookie").is_none());
    // A visit without a credential would issue one: refused the same way.
    let r = from(&s, home, "POST", "/api/v1/visits", json!({"session": "s1"})).await;
    assert_eq!((r.status, r.code().as_str()), (429, "network_cap_reached"));
    // Those who have one are not affected: they present it and keep it.
    let r = from(
        &s,
        home,
        "POST",
        "/api/v1/visits",
        json!({"visitor": issued[0], "session": "s1"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = from(&s, home, "POST", VISITORS, json!({"visitor": issued[1]})).await;
    assert_eq!(
        (r.status, r.json()["visitor"].as_str()),
        (200, Some(issued[1].as_str()))
    );
    // Another network has its own cap.
    assert_eq!(
        s.visitor_with(&[("x-forwarded-for", "198.51.100.21")])
            .await
            .len(),
        55
    );
}

async fn online_counts_credentials_at_most_a_cap_per_network(b: Backend) {
    let s = behind_proxy(b, |c| c.online_per_network = 3).await;
    let mut last = json!(null);
    let mut office = Vec::new();
    for i in 0..5 {
        last = from(
            &s,
            "203.0.113.60",
            "POST",
            "/api/v1/visits",
            json!({"session": format!("a{i}")}),
        )
        .await
        .json();
        office.push(last["visitor"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        last["online"], 3,
        "five credentials of one network count as three"
    );
    assert_eq!(last["total_visits"], 5, "their visits still count");
    for i in 0..2 {
        last = from(
            &s,
            "2001:db8:7::1",
            "POST",
            "/api/v1/visits",
            json!({"session": format!("b{i}")}),
        )
        .await
        .json();
    }
    assert_eq!(last["online"], 5);
    assert_eq!(
        s.get("/api/v1/stats").await.json(),
        json!({"total_visits": 7, "online": 5})
    );
    let a = s.get(&format!("/api/v1/articles/{ARTICLE}")).await.json();
    assert_eq!(a["counters"]["online"], 5);
    // Heartbeats change nothing; a phone leaving the office for the other
    // network is counted there (office 4 of 3, the other 3 of 3).
    let r = from(
        &s,
        "203.0.113.60",
        "POST",
        "/api/v1/visits",
        json!({"visitor": office[0], "session": "a0"}),
    )
    .await;
    assert_eq!(r.json()["online"], 5);
    let r = from(
        &s,
        "2001:db8:7::99",
        "POST",
        "/api/v1/visits",
        json!({"visitor": office[4], "session": "a4"}),
    )
    .await;
    assert_eq!(r.json(), json!({"total_visits": 7, "online": 6}));
    assert_eq!(s.get("/api/v1/stats").await.json()["online"], 6);
}

async fn visits_counted_per_credential_are_capped(b: Backend) {
    let s = TestServer::start_with(b, |c| c.visits_per_visitor = 2).await;
    let v = s.visitor().await;
    let totals: Vec<u64> = {
        let mut t = Vec::new();
        for sess in ["s1", "s2", "s3", "s4", "s2"] {
            let r = s.visit(&v, sess).await;
            assert_eq!(r.status, 200, "{}", r.body);
            t.push(r.json()["total_visits"].as_u64().unwrap());
        }
        t
    };
    // Fresh session ids past the cap are answered, not counted.
    assert_eq!(totals, [1, 2, 2, 2, 2]);
    let w = s.visitor().await;
    assert_eq!(s.visit(&w, "s1").await.json()["total_visits"], 3);
}
