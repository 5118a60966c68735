//! `GET /captcha` and the payload a comment carries: shape, single use, refusals, honeypot, minimum time.

use crate::common::*;
use bantin_protocol::pow::{self, Payload};
use serde_json::json;

on_both_backends!(
    captcha_challenge_has_altcha_shape,
    captcha_payload_is_accepted_once,
    captcha_missing_expired_tampered_or_foreign_is_refused,
    honeypot_and_too_fast_are_refused,
    captcha_can_be_switched_off_and_min_time_configured,
);

async fn captcha_challenge_has_altcha_shape(b: Backend) {
    let s = TestServer::start_with(b, |c| c.captcha_maxnumber = 5_000).await;
    let r = s.get("/api/v1/captcha").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let c = r.json();
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], 5_000);
    assert_eq!(c["challenge"].as_str().unwrap().len(), 64);
    assert_eq!(c["signature"].as_str().unwrap().len(), 64);
    let salt = c["salt"].as_str().unwrap();
    assert!(salt.ends_with('&'), "{salt}");
    let expires = pow::salt_expires(salt).unwrap();
    assert!((now() + 590..=now() + 610).contains(&expires), "{expires}");
    // Signed with the configured key.
    assert_eq!(
        pow::sign(KEY, c["challenge"].as_str().unwrap()),
        c["signature"].as_str().unwrap()
    );
    // Two challenges differ.
    let c2 = s.get("/api/v1/captcha").await.json();
    assert_ne!(c["salt"], c2["salt"]);
}

async fn captcha_payload_is_accepted_once(b: Backend) {
    let s = TestServer::start(b).await;
    let captcha = s.solved_captcha().await;
    let body = json!({"author": "An", "body": "Một lần", "captcha": captcha, "elapsed_ms": 4000});
    let r = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = s.post(&comments_path(ARTICLE), &body).await;
    assert_eq!((r.status, r.code().as_str()), (409, "captcha_reused"));
    // Also on another article.
    let r = s.post(&comments_path(OTHER), &body).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn captcha_missing_expired_tampered_or_foreign_is_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let post = |captcha: String| {
        let s = &s;
        async move {
            s.post(
                &comments_path(ARTICLE),
                &json!({"author": "An", "body": "x", "captcha": captcha, "elapsed_ms": 4000}),
            )
            .await
        }
    };
    let r = post(String::new()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_required"));

    // Correctly signed and solved, but expired.
    let c = pow::create_challenge(KEY, 1_000, now() - 5, &[1; 12], 77);
    let r = post(solve(&c)).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (422, "captcha_expired"),
        "{}",
        r.body
    );

    // A wrong number.
    let c: pow::Challenge = serde_json::from_str(&s.get("/api/v1/captcha").await.body).unwrap();
    let n = pow::solve(&c.challenge, &c.salt, c.maxnumber).unwrap();
    let r = post(Payload::new(&c, n + 1, 1).encode()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    // The expiry pushed into the future.
    let mut p = Payload::new(&c, n, 1);
    p.salt = p.salt.replace("?expires=", "?expires=9");
    let r = post(p.encode()).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    // A self-made challenge signed with another key.
    let forged = pow::create_challenge(b"attacker-key-xxxxxxxx", 1_000, now() + 60, &[2; 12], 5);
    let r = post(solve(&forged)).await;
    assert_eq!((r.status, r.code().as_str()), (422, "captcha_invalid"));
    for junk in ["%%%", "bm90IGpzb24=", "e30="] {
        let r = post(junk.into()).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (422, "captcha_invalid"),
            "{junk}"
        );
    }
    // The untouched payload still works: refusals did not spend it.
    let r = post(Payload::new(&c, n, 1).encode()).await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn honeypot_and_too_fast_are_refused(b: Backend) {
    // The minimum time is measured by the server from the challenge's issue.
    let min = std::time::Duration::from_millis(800);
    let s = TestServer::start_with(b, |c| c.min_submit = min).await;
    let captcha = s.solved_captcha().await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "Bot", "body": "spam", "captcha": captcha, "elapsed_ms": 9000,
                    "website": "http://spam.example"}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (422, "spam_detected"));
    // Right after the challenge was fetched: too fast, whatever `elapsed_ms` claims.
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "Bot", "body": "spam", "captcha": captcha, "elapsed_ms": 999_999}),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (422, "too_fast"),
        "{}",
        r.body
    );
    assert!(
        r.message().contains("challenge was issued"),
        "{}",
        r.message()
    );
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(
        s.get(&comments_path(ARTICLE)).await.json()["items"],
        json!([])
    );
    // Neither refusal spent the payload: once the time has passed it is
    // accepted, whatever `elapsed_ms` says.
    tokio::time::sleep(min).await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "An", "body": "ok", "captcha": captcha, "elapsed_ms": 0}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn captcha_can_be_switched_off_and_min_time_configured(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.captcha = false;
        c.min_submit = std::time::Duration::ZERO;
    })
    .await;
    let r = s
        .post(
            &comments_path(ARTICLE),
            &json!({"author": "An", "body": "no pow"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}
