//! Several stateless instances sharing one PostgreSQL database (in a schema of
//! its own per test, in `BANTIN_TEST_POSTGRES_URL`), each a `bantin-server`
//! process of its own on its own loopback port ([`ServerProcess`]): writes
//! sent to either count exactly once, a captcha payload is spent for all of
//! them, counters agree, the daily caps per client network are one cap for
//! all of them, and killing an instance loses no write it had acknowledged.

mod common;

use bantin_protocol::pow::Challenge;
use bantin_server::store::postgres::{PostgresStore, SCHEMA_VERSION};
use bantin_server::store::Store;
use common::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Two `bantin-server` processes on one fresh schema of the database `base`,
/// both without a configured captcha key (so they must agree on the one
/// stored in the database). Bind as `let (_schema, a, b)`: then the processes
/// are killed before the schema is dropped.
async fn two_instances(
    base: &str,
    extra_args: &[&str],
) -> (PgSchema, ServerProcess, ServerProcess) {
    let schema = PgSchema::create(base).await;
    let a = ServerProcess::spawn(&schema.url, extra_args);
    let b = ServerProcess::spawn(&schema.url, extra_args);
    assert_ne!(a.addr.port(), b.addr.port());
    (schema, a, b)
}

#[tokio::test]
async fn votes_comments_and_visits_sent_to_both_count_exactly() {
    let Some(base) = postgres_url("votes_comments_and_visits_sent_to_both_count_exactly") else {
        return;
    };
    let (_schema, a, b) = two_instances(&base, &[]).await;
    let addrs = [a.addr, b.addr];

    // 200 visitors, half of them issued by each instance (the instances share
    // the key stored in the database); each votes on the other instance, all
    // at once.
    let mut visitors = a.visitors(100).await;
    visitors.extend(b.visitors(100).await);
    let visitors: Vec<String> = (0..200)
        .map(|i| visitors[(i % 2) * 100 + i / 2].clone())
        .collect();
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let addr = addrs[(i as usize + 1) % 2];
        let visitor = visitors[i as usize].clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"stars": i % 5 + 1, "visitor": visitor});
            send(
                addr,
                "PUT",
                &rating_path(ARTICLE),
                JSON,
                Some(body.to_string().into_bytes()),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    // The first 50 change their vote to 5 stars on the other instance.
    let mut tasks = Vec::new();
    for i in 0..50u32 {
        let addr = addrs[i as usize % 2];
        let visitor = visitors[i as usize].clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"stars": 5, "visitor": visitor});
            send(
                addr,
                "PUT",
                &rating_path(ARTICLE),
                JSON,
                Some(body.to_string().into_bytes()),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    for s in [&a, &b] {
        let r = s
            .get(&format!("{}?visitor={}", rating_path(ARTICLE), visitors[3]))
            .await
            .json();
        assert_eq!(r["count"], 200);
        // Of the first 50, 10 had each of 1..=5 stars; now all have 5.
        assert_eq!(r["distribution"], json!([30, 30, 30, 30, 80]));
        assert_eq!(r["your_vote"], 5);
    }

    // Comments alternate; replies go to the instance that did not see the parent.
    let mut ids = Vec::new();
    for i in 0..6 {
        let s = if i % 2 == 0 { &a } else { &b };
        let r = s.comment(ARTICLE, "An", &format!("c{i}"), None).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["id"].as_u64().unwrap());
    }
    let r = b.comment(ARTICLE, "Bình", "reply", Some(ids[0])).await;
    assert_eq!(r.status, 201, "{}", r.body);
    for s in [&a, &b] {
        let page = s
            .get(&format!("{}?limit=100", comments_path(ARTICLE)))
            .await
            .json();
        let got: Vec<u64> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_u64().unwrap())
            .collect();
        let mut want = ids.clone();
        want.reverse();
        assert_eq!(got, want);
        assert_eq!(page["items"][5]["replies"][0]["body"], "reply");
    }

    // 120 sessions of 40 visitors, each session posted to both instances,
    // concurrently: 120 visits, 40 online, the same on both.
    let mut tasks = Vec::new();
    for i in 0..240u32 {
        let addr = addrs[i as usize % 2];
        let session = i / 2;
        let visitor = visitors[(session % 40) as usize].clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"visitor": visitor, "session": format!("s{session}")});
            send(
                addr,
                "POST",
                "/api/v1/visits",
                JSON,
                Some(body.to_string().into_bytes()),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    for s in [&a, &b] {
        assert_eq!(
            s.get("/api/v1/stats").await.json(),
            json!({"total_visits": 120, "online": 40})
        );
    }
}

/// `method path` from the client address `ip` (both instances trust the
/// loopback proxy), with an optional JSON body.
async fn send_from(
    addr: std::net::SocketAddr,
    ip: &'static str,
    method: &'static str,
    path: String,
    body: Option<serde_json::Value>,
) -> Resp {
    let mut headers = vec![("x-forwarded-for", ip)];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    send(
        addr,
        method,
        &path,
        &headers,
        body.map(|b| b.to_string().into_bytes()),
    )
    .await
}

#[tokio::test]
async fn the_caps_per_network_hold_across_instances() {
    let Some(base) = postgres_url("the_caps_per_network_hold_across_instances") else {
        return;
    };
    let caps = [
        "--trusted-proxies",
        "127.0.0.1",
        "--visitors-per-network",
        "30",
        "--votes-per-network",
        "20",
        "--likes-per-network",
        "12",
    ];
    let (_schema, a, b) = two_instances(&base, &caps).await;
    let addrs = [a.addr, b.addr];
    let office = "203.0.113.80";

    // 40 fresh browsers of one office ask both instances at once: 30 get a
    // credential, 10 are told the network's cap is reached.
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            tokio::spawn(send_from(
                addrs[i % 2],
                office,
                "POST",
                VISITORS.into(),
                None,
            ))
        })
        .collect();
    let mut visitors = Vec::new();
    let mut refused = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            201 => visitors.push(r.json()["visitor"].as_str().unwrap().to_owned()),
            429 => {
                assert_eq!(r.code(), "network_cap_reached");
                refused += 1;
            }
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!((visitors.len(), refused), (30, 10));

    // The 30 vote at once, each on the instance that did not issue its
    // credential: 20 votes count, 10 are over the cap.
    let tasks: Vec<_> = visitors
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let body = json!({"stars": 4, "visitor": v});
            tokio::spawn(send_from(
                addrs[(i + 1) % 2],
                office,
                "PUT",
                rating_path(ARTICLE),
                Some(body),
            ))
        })
        .collect();
    let mut counted = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let r = t.await.unwrap();
        match r.status {
            200 => counted.push(i),
            429 => assert_eq!(r.code(), "network_cap_reached"),
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!(counted.len(), 20);
    for s in [&a, &b] {
        assert_eq!(s.get(&rating_path(ARTICLE)).await.json()["count"], 20);
    }
    // A counted voter changes its vote on either instance; a refused one
    // stays refused on both.
    let refused_voter = (0..30).find(|i| !counted.contains(i)).unwrap();
    for addr in addrs {
        let body = json!({"stars": 1, "visitor": visitors[counted[0]]});
        let r = send_from(addr, office, "PUT", rating_path(ARTICLE), Some(body)).await;
        assert_eq!((r.status, r.json()["count"].as_u64()), (200, Some(20)));
        let body = json!({"stars": 1, "visitor": visitors[refused_voter]});
        let r = send_from(addr, office, "PUT", rating_path(ARTICLE), Some(body)).await;
        assert_eq!(r.status, 429);
    }
    // Likes of a comment, the same way: 12 of the 30 count, on either instance.
    let r = a.comment(ARTICLE, "An", "Hay", None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let comment = r.json()["id"].as_u64().unwrap();
    let like = format!("/api/v1/articles/{ARTICLE}/comments/{comment}/like");
    let tasks: Vec<_> = visitors
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let body = json!({ "visitor": v });
            tokio::spawn(send_from(
                addrs[i % 2],
                office,
                "POST",
                like.clone(),
                Some(body),
            ))
        })
        .collect();
    let mut liked = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            200 => liked += 1,
            429 => assert_eq!(r.code(), "network_cap_reached"),
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!(liked, 12);
    for s in [&a, &b] {
        let page = s.get(&comments_path(ARTICLE)).await.json();
        assert_eq!(page["items"][0]["likes"], 12);
    }

    // Another network is not held back by the office.
    let r = send_from(a.addr, "198.51.100.80", "POST", VISITORS.into(), None).await;
    assert_eq!(r.status, 201);
    let body = json!({"stars": 5, "visitor": r.json()["visitor"]});
    let r = send_from(
        b.addr,
        "198.51.100.80",
        "PUT",
        rating_path(ARTICLE),
        Some(body),
    )
    .await;
    assert_eq!((r.status, r.json()["count"].as_u64()), (200, Some(21)));
}

#[tokio::test]
async fn a_captcha_payload_spent_on_one_instance_is_refused_by_the_other() {
    let Some(base) =
        postgres_url("a_captcha_payload_spent_on_one_instance_is_refused_by_the_other")
    else {
        return;
    };
    let (_schema, a, b) = two_instances(&base, &[]).await;
    let body = |captcha: &str, i: u32| json!({"author": "An", "body": format!("race {i}"), "captcha": captcha, "elapsed_ms": 4000});
    // Issued by A, spent on B, refused by A and by B.
    let captcha = a.solved_captcha().await;
    let r = b.post(&comments_path(ARTICLE), &body(&captcha, 0)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    for s in [&a, &b] {
        let r = s.post(&comments_path(OTHER), &body(&captcha, 0)).await;
        assert_eq!((r.status, r.code().as_str()), (409, "captcha_reused"));
    }
    // The same payload sent to both at the same moment: exactly one wins.
    for i in 1..=10 {
        let issuer = if i % 2 == 0 { &a } else { &b };
        let c: Challenge = serde_json::from_str(&issuer.get("/api/v1/captcha").await.body).unwrap();
        let captcha = solve(&c);
        let payload = body(&captcha, i).to_string().into_bytes();
        let path = comments_path(ARTICLE);
        let (ra, rb) = tokio::join!(
            send(a.addr, "POST", &path, JSON, Some(payload.clone())),
            send(b.addr, "POST", &path, JSON, Some(payload)),
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{} / {}", ra.body, rb.body);
    }
    let listed = a
        .get(&format!("{}?limit=100", comments_path(ARTICLE)))
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 11);
}

#[tokio::test]
async fn a_comment_resent_to_the_other_instance_is_stored_once() {
    let Some(base) = postgres_url("a_comment_resent_to_the_other_instance_is_stored_once") else {
        return;
    };
    let (_schema, a, b) = two_instances(&base, &[]).await;
    let body = |key: &str, captcha: &str| {
        json!({"author": "An", "body": "một lần", "captcha": captcha, "elapsed_ms": 4000,
               "client_key": key})
    };
    // Sent to A; the answer is lost; resent to B with a new payload, then with A's spent one.
    let spent = a.solved_captcha().await;
    let r = a
        .post(
            &comments_path(ARTICLE),
            &body("resent-key-0001-0123456789abcdef", &spent),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let first = r.json();
    assert!(first["edit_token"].is_string(), "{first}");
    for captcha in [b.solved_captcha().await, spent] {
        let r = b
            .post(
                &comments_path(ARTICLE),
                &body("resent-key-0001-0123456789abcdef", &captcha),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // The same answer from the other instance, its edit token included
        // (derived from the shared key, not stored).
        assert_eq!(r.json(), first);
    }
    // The same key sent to both at the same moment, each with its own payload:
    // one comment, both answers name it.
    for i in 0..10 {
        let key = format!("race-key-{i:04}-0123456789abcdef0123");
        let path = comments_path(ARTICLE);
        let pa = body(&key, &a.solved_captcha().await)
            .to_string()
            .into_bytes();
        let pb = body(&key, &b.solved_captcha().await)
            .to_string()
            .into_bytes();
        let (ra, rb) = tokio::join!(
            send(a.addr, "POST", &path, JSON, Some(pa)),
            send(b.addr, "POST", &path, JSON, Some(pb)),
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{} / {}", ra.body, rb.body);
        assert_eq!(ra.json()["id"], rb.json()["id"]);
    }
    for s in [&a, &b] {
        let listed = s
            .get(&format!("{}?limit=100", comments_path(ARTICLE)))
            .await
            .json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 11);
    }
}

#[tokio::test]
async fn instances_starting_at_once_migrate_once_and_share_one_key() {
    let Some(base) = postgres_url("instances_starting_at_once_migrate_once_and_share_one_key")
    else {
        return;
    };
    let schema = PgSchema::create(&base).await;
    let url = schema.url.clone();
    let connects = (0..4).map(|_| {
        let url = url.clone();
        async move { PostgresStore::connect(&url, 2).await }
    });
    let stores: Vec<PostgresStore> = futures_join_all(connects).await;
    for s in &stores {
        assert_eq!(s.schema_version().await.unwrap(), SCHEMA_VERSION);
    }
    // Each proposes its own random key; all end up with the first one stored.
    let mut keys = BTreeSet::new();
    for (i, s) in stores.iter().enumerate() {
        keys.insert(
            s.secret("captcha_hmac_key", vec![i as u8; 32])
                .await
                .unwrap(),
        );
    }
    assert_eq!(keys.len(), 1);
    // A restart finds the schema current.
    let again = PostgresStore::connect(&schema.url, 1).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), SCHEMA_VERSION);
}

#[tokio::test]
async fn processes_starting_at_once_on_an_empty_schema_share_one_key() {
    let Some(base) = postgres_url("processes_starting_at_once_on_an_empty_schema_share_one_key")
    else {
        return;
    };
    let schema = PgSchema::create(&base).await;
    // Four processes started together race to migrate and to store their key.
    let servers: Vec<ServerProcess> = std::thread::scope(|s| {
        let starting: Vec<_> = (0..4)
            .map(|_| s.spawn(|| ServerProcess::spawn(&schema.url, &[])))
            .collect();
        starting.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // A payload issued by each is accepted by the next one.
    for (i, issuer) in servers.iter().enumerate() {
        let captcha = issuer.solved_captcha().await;
        let body = json!({"author": "An", "body": format!("key {i}"), "captcha": captcha,
                          "elapsed_ms": 4000});
        let r = servers[(i + 1) % 4]
            .post(&comments_path(ARTICLE), &body)
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let store = PostgresStore::connect(&schema.url, 1).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), SCHEMA_VERSION);
    drop(servers);
    drop(schema);
}

/// Connects all at once (the migrations race under the advisory lock).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<PostgresStore>
where
    F: std::future::Future<Output = bantin_server::store::StoreResult<PostgresStore>>
        + Send
        + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().expect("connect and migrate"));
    }
    out
}

#[derive(Default)]
struct Acked {
    votes: Vec<String>,
    sessions: Vec<String>,
    comments: Vec<i64>,
    failed: usize,
}

#[tokio::test]
async fn killing_an_instance_mid_load_loses_no_acknowledged_write() {
    let Some(base) = postgres_url("killing_an_instance_mid_load_loses_no_acknowledged_write")
    else {
        return;
    };
    let writes_as_fast_as_they_come = [
        "--any-article",
        "--captcha",
        "off",
        "--min-submit-ms",
        "0",
        "--db-pool",
        "4",
    ];
    let (schema, mut a, b) = two_instances(&base, &writes_as_fast_as_they_come).await;
    let addrs = [a.addr, b.addr];

    // 8 workers, each alternating instances and kinds of write, until told to
    // stop; bounded by count (1500 each) and time (10 s). A is killed (SIGKILL)
    // after 0.8 s, or later on a busy machine, once 120 writes were
    // acknowledged (at most 8 s); the load goes on for 0.4 s more.
    let acked = Arc::new(std::sync::Mutex::new(Acked::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..8u32 {
        let (acked, stop) = (acked.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            for i in 0..1500u32 {
                if stop.load(Ordering::Relaxed) || started.elapsed() > Duration::from_secs(10) {
                    break;
                }
                let addr = addrs[((w + i) % 2) as usize];
                let mut id = format!("w{w}-{i}");
                // A vote needs a credential first (a visit gets one with it).
                if i % 3 == 0 {
                    match try_send(addr, "POST", VISITORS, &[], None).await {
                        Ok(r) if r.status == 201 => {
                            id = r.json()["visitor"].as_str().unwrap().to_owned();
                        }
                        Ok(r) => panic!("POST /visitors: {} {}", r.status, r.body),
                        Err(_) => {
                            acked.lock().unwrap().failed += 1;
                            continue;
                        }
                    }
                }
                let (method, path, body) = match i % 3 {
                    0 => (
                        "PUT",
                        rating_path("load"),
                        json!({"stars": 4, "visitor": id}),
                    ),
                    1 => ("POST", "/api/v1/visits".into(), json!({"session": id})),
                    _ => (
                        "POST",
                        comments_path("load"),
                        json!({"author": id, "body": "x"}),
                    ),
                };
                let r = try_send(
                    addr,
                    method,
                    &path,
                    JSON,
                    Some(body.to_string().into_bytes()),
                )
                .await;
                let mut acked = acked.lock().unwrap();
                match r {
                    Ok(r) if (200..300).contains(&r.status) => match i % 3 {
                        0 => acked.votes.push(visitor_id(&id)),
                        1 => acked.sessions.push(id),
                        _ => acked.comments.push(r.json()["id"].as_i64().unwrap()),
                    },
                    Ok(r) => panic!("{method} {path}: {} {}", r.status, r.body),
                    Err(_) => acked.failed += 1,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    while started.elapsed() < Duration::from_secs(8) {
        let so_far = {
            let k = acked.lock().unwrap();
            k.votes.len() + k.sessions.len() + k.comments.len()
        };
        if so_far >= 120 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.kill();
    let killed_at = started.elapsed();
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let total = acked.votes.len() + acked.sessions.len() + acked.comments.len();
    eprintln!(
        "killed A after {killed_at:?}: {total} writes acknowledged, {} failed",
        acked.failed
    );
    assert!(acked.failed > 0, "A was killed while under load");
    assert!(total > 100, "the load ran: {total} acknowledged");

    // Every acknowledged write is in the database.
    let (db, conn) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let set = |rows: Vec<tokio_postgres::Row>| -> BTreeSet<String> {
        rows.iter().map(|r| r.get::<_, String>(0)).collect()
    };
    let voters = set(db
        .query("SELECT visitor FROM votes WHERE article_id = 'load'", &[])
        .await
        .unwrap());
    for v in &acked.votes {
        assert!(voters.contains(v), "acknowledged vote {v} is missing");
    }
    let sessions = set(db
        .query("SELECT session FROM visit_sessions", &[])
        .await
        .unwrap());
    for s in &acked.sessions {
        assert!(sessions.contains(s), "acknowledged visit {s} is missing");
    }
    let comments: BTreeSet<i64> = db
        .query("SELECT id FROM comments", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for c in &acked.comments {
        assert!(comments.contains(c), "acknowledged comment {c} is missing");
    }
    // And the visit total matches the sessions stored (no lost or double increment,
    // even for the statements cut off by the kill).
    let r = send(b.addr, "GET", "/api/v1/stats", &[], None).await.json();
    assert_eq!(r["total_visits"].as_u64(), Some(sessions.len() as u64));
    assert!(sessions.len() >= acked.sessions.len());
    drop(b);
    drop(schema);
}
