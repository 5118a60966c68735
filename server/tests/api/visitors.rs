//! `POST /visitors` and the credential's travels: issued, kept by the
//! cookie, renewed with the same id, handed over by visits, and the cookie's
//! attributes for same-origin and cross-origin pages.

use crate::common::*;
use bantin_protocol::credential::Credential;
use bantin_server::visitor::derive_key;
use serde_json::json;

on_both_backends!(
    a_credential_is_issued_and_kept,
    a_credential_past_half_its_life_is_renewed_with_the_same_id,
    a_reader_without_local_storage_keeps_one_identity_through_the_cookie,
    the_cookie_suits_the_page_that_asked,
);

/// A credential as this test server would have issued it, `age` seconds ago,
/// for `life` seconds in all.
fn minted(id: u8, age: u64, life: u64) -> String {
    let issued = now() - age;
    Credential::issue(&derive_key(KEY), [id; 16], issued, issued + life).encode()
}

async fn a_credential_is_issued_and_kept(b: Backend) {
    let s = TestServer::start(b).await;
    // No body, no content type: a new credential.
    let r = s.request("POST", VISITORS, &[], None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = r.json()["visitor"].as_str().unwrap().to_owned();
    let c = Credential::parse(&token).unwrap();
    assert_eq!(u64::from(c.lifetime()), s.config.visitor_ttl.as_secs());
    assert_eq!(
        r.json()["expires_at"],
        bantin_protocol::Timestamp::from_unix_seconds(c.expires.into()).to_string()
    );
    let set = r.header("set-cookie").unwrap().to_owned();
    assert!(set.starts_with(&format!("bantin_visitor={token}; Path=/; Max-Age=")));
    assert!(
        set.contains("; HttpOnly") && set.ends_with("; SameSite=Lax"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP: {set}");
    assert_eq!(r.header("cache-control"), Some("no-store"));

    // Presented again (cookie, or body): the same one, 200, no new cookie.
    let cookie = cookie_of(&r).unwrap();
    let r = s
        .request("POST", VISITORS, &[("cookie", &cookie)], None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["visitor"], token);
    assert!(r.header("set-cookie").is_none());
    let r = s.post(VISITORS, &json!({"visitor": token})).await;
    assert_eq!(
        (r.status, r.json()["visitor"].as_str()),
        (200, Some(&*token))
    );
    // (no cookie came with it: the answer sets it)
    assert!(r.header("set-cookie").is_some());

    // A bad stored one is replaced, not refused: POST /visitors is how to
    // get a good one. Behind it, the cookie's still counts.
    let r = s.post(VISITORS, &json!({"visitor": "made-up"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_ne!(r.json()["visitor"], token);
    let r = s
        .request(
            "POST",
            VISITORS,
            &[("cookie", &cookie), ("content-type", "application/json")],
            Some(br#"{"visitor": "made-up"}"#.to_vec()),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["visitor"].as_str()),
        (200, Some(&*token))
    );

    // A body must still be JSON.
    let r = s
        .request(
            "POST",
            VISITORS,
            &[("content-type", "text/plain")],
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (415, "unsupported_media_type")
    );
    let r = s
        .request("POST", VISITORS, JSON, Some(b"[1]".to_vec()))
        .await;
    assert_eq!((r.status, r.code().as_str()), (400, "malformed_json"));
    let r = s
        .request("POST", VISITORS, JSON, Some(b"  ".to_vec()))
        .await;
    assert_eq!(r.status, 201);
    let r = s.get(VISITORS).await;
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));

    // Without the cookie option, no cookie.
    let s = TestServer::start_with(b, |c| c.visitor_cookie = false).await;
    let r = s.request("POST", VISITORS, &[], None).await;
    assert_eq!(r.status, 201);
    assert!(r.header("set-cookie").is_none());
}

async fn a_credential_past_half_its_life_is_renewed_with_the_same_id(b: Backend) {
    let s = TestServer::start(b).await;
    let day = 86_400;
    let young = minted(1, 10 * day, 30 * day);
    let old = minted(2, 16 * day, 30 * day);
    assert_eq!(s.vote(ARTICLE, &old, 4).await.status, 200);

    // Young: kept as it is, nothing handed over.
    let r = s.visit(&young, "s1").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json().get("visitor").is_none(), "{}", r.body);

    // Old: the visit's answer hands over a renewed one, with a new cookie.
    let r = s.visit(&old, "s2").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let renewed = r.json()["visitor"].as_str().unwrap().to_owned();
    assert_ne!(renewed, old);
    let (was, is) = (
        Credential::parse(&old).unwrap(),
        Credential::parse(&renewed).unwrap(),
    );
    assert_eq!(is.id, was.id, "the same identity");
    assert!(is.issued >= now() as u32 - 5 && is.expires > was.expires);
    assert_eq!(cookie_of(&r), Some(format!("bantin_visitor={renewed}")));
    // Its vote is still its own, and the same session is still a heartbeat.
    let r = s
        .get(&format!("{}?visitor={renewed}", rating_path(ARTICLE)))
        .await;
    assert_eq!(r.json()["your_vote"], 4);
    let r = s.visit(&renewed, "s2").await;
    assert_eq!(r.json(), json!({"total_visits": 2, "online": 2}));
    // POST /visitors renews too.
    let r = s
        .post(VISITORS, &json!({"visitor": minted(2, 20 * day, 30 * day)}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        visitor_id(r.json()["visitor"].as_str().unwrap()),
        was.id_hex()
    );
}

async fn a_reader_without_local_storage_keeps_one_identity_through_the_cookie(b: Backend) {
    let s = TestServer::start(b).await;
    // First page: the visit comes without a credential; the answer brings one
    // and sets the cookie (the widget keeps the token in memory only).
    let r = s.post("/api/v1/visits", &json!({"session": "s1"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let token = r.json()["visitor"].as_str().unwrap().to_owned();
    let cookie = cookie_of(&r).unwrap();
    assert_eq!(cookie, format!("bantin_visitor={token}"));
    assert_eq!(r.json()["total_visits"], 1);
    let with_cookie = [
        ("cookie", cookie.as_str()),
        ("content-type", "application/json"),
    ];

    // Every later page: nothing stored but the cookie.
    for (page, stars) in [(2, 4), (3, 5), (4, 5)] {
        let r = s
            .request(
                "POST",
                "/api/v1/visits",
                &with_cookie,
                Some(
                    json!({"session": format!("s{page}")})
                        .to_string()
                        .into_bytes(),
                ),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            r.json()["visitor"],
            token,
            "the same credential, handed over again"
        );
        assert!(r.header("set-cookie").is_none(), "the cookie is current");
        assert_eq!(r.json()["online"], 1);
        let r = s
            .request(
                "PUT",
                &rating_path(ARTICLE),
                &with_cookie,
                Some(json!({"stars": stars}).to_string().into_bytes()),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            (r.json()["count"].as_u64(), r.json()["your_vote"].as_u64()),
            (Some(1), Some(stars)),
            "one vote, changed, however often the page is loaded"
        );
    }
    let r = s
        .request("GET", &rating_path(ARTICLE), &[("cookie", &cookie)], None)
        .await;
    assert_eq!(r.json()["your_vote"], 5);
    // A stale cookie is ignored by reads and replaced by visits.
    let stale = format!("bantin_visitor={}", minted(9, 100, 50));
    let r = s
        .request("GET", &rating_path(ARTICLE), &[("cookie", &stale)], None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.json().get("your_vote").is_none());
    let r = s
        .request(
            "POST",
            "/api/v1/visits",
            &[("cookie", &stale), ("content-type", "application/json")],
            Some(br#"{"session": "s9"}"#.to_vec()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_ne!(r.json()["visitor"], token);
    assert!(cookie_of(&r).is_some());
    // Without a credential a vote is refused, never counted.
    let r = s.put(&rating_path(ARTICLE), &json!({"stars": 1})).await;
    assert_eq!((r.status, r.code().as_str()), (401, "visitor_required"));
    assert_eq!(
        r.header("www-authenticate"),
        Some("Visitor realm=\"bantin\"")
    );
    assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 1);
}

async fn the_cookie_suits_the_page_that_asked(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.allowed_origins = vec!["https://portal.example".into()];
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let ask = |headers: Vec<(&'static str, String)>| {
        let s = &s;
        async move {
            let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.request("POST", VISITORS, &h, None).await
        }
    };
    // A portal page on another site, over HTTPS: a partitioned third-party
    // cookie, and CORS that lets `credentials: 'include'` carry it.
    let r = ask(vec![("origin", "https://portal.example".into())]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let set = r.header("set-cookie").unwrap();
    assert!(
        set.ends_with("; HttpOnly; Secure; SameSite=None; Partitioned"),
        "{set}"
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    let r = s
        .request(
            "OPTIONS",
            VISITORS,
            &[
                ("origin", "https://portal.example"),
                ("access-control-request-method", "POST"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    // The server's own page: first-party, Lax; Secure when the proxy says HTTPS.
    let own = format!("http://{}", s.addr);
    let r = ask(vec![("origin", own.clone())]).await;
    assert!(r
        .header("set-cookie")
        .unwrap()
        .ends_with("; HttpOnly; SameSite=Lax"));
    let r = ask(vec![
        ("origin", format!("https://{}", s.addr)),
        ("x-forwarded-proto", "https".into()),
    ])
    .await;
    assert!(
        r.header("set-cookie")
            .unwrap()
            .ends_with("; HttpOnly; Secure; SameSite=Lax"),
        "{:?}",
        r.header("set-cookie")
    );
    // A script (no Origin): Lax.
    let r = ask(vec![]).await;
    assert!(r.header("set-cookie").unwrap().ends_with("; SameSite=Lax"));
    // Another site's page may not even ask.
    let r = ask(vec![("origin", "https://evil.example".into())]).await;
    assert_eq!((r.status, r.code().as_str()), (403, "origin_not_allowed"));
    assert!(r.header("set-cookie").is_none());
}
