//! The console's sign-in: sessions, their expiry, CSRF, fixation, the
//! throttle of failed sign-ins, roles, and the bearer token beside them.

use crate::common::*;
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    sign_in_and_out,
    sessions_expire_when_idle_and_at_their_limit,
    changes_need_the_csrf_token,
    a_cookie_the_client_chose_is_never_adopted,
    failed_sign_ins_are_throttled_per_account,
    failed_sign_ins_are_throttled_per_address,
    parallel_sign_ins_are_counted_before_the_password_check,
    moderators_cannot_manage_users,
    the_bearer_token_acts_as_an_admin,
    the_user_command_manages_accounts,
    a_session_works_on_every_instance,
);

const PW: &str = "mật khẩu dài đủ";

async fn sign_in_and_out(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    let r = s.get("/api/v1/admin/session").await;
    assert_eq!((r.status, r.code().as_str()), (401, "unauthorized"));

    let r = s
        .post(
            "/api/v1/admin/session",
            &json!({"name": "lan", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let set = r.header("set-cookie").unwrap().to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "plain http: {set}");
    let me = r.json();
    assert_eq!(me["name"], "lan");
    assert_eq!(me["role"], "moderator");
    assert_eq!(me["badge"], "Ban biên tập");
    assert!(me["csrf"].as_str().unwrap().len() >= 32);

    let session = s.sign_in("lan", PW).await;
    let r = session.get("/api/v1/admin/session").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["name"], "lan");
    assert_eq!(r.json()["csrf"].as_str(), Some(session.csrf.as_str()));

    // Wrong password and unknown name: one answer.
    for (name, pw) in [("lan", "sai mật khẩu rồi"), ("nobody", PW)] {
        let r = s
            .post(
                "/api/v1/admin/session",
                &json!({"name": name, "password": pw}),
            )
            .await;
        assert_eq!(
            (r.status, r.message().as_str()),
            (401, "wrong name or password")
        );
        assert!(session_cookie(&r).is_none());
    }

    let r = session
        .send("DELETE", "/api/v1/admin/session", &json!({}))
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    let r = session.get("/api/v1/admin/session").await;
    assert_eq!(r.status, 401, "the session was deleted");

    // Over https (the public URL says so) the cookie is Secure.
    let s =
        TestServer::start_with(b, |c| c.public_url = Some("https://bao.example.vn".into())).await;
    s.add_user("lan", "moderator", PW).await;
    let r = s
        .post(
            "/api/v1/admin/session",
            &json!({"name": "lan", "password": PW}),
        )
        .await;
    assert!(r.header("set-cookie").unwrap().contains("; Secure"));
}

async fn sessions_expire_when_idle_and_at_their_limit(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.session_idle = Duration::from_secs(2);
        c.session_max = Duration::from_secs(4);
    })
    .await;
    s.add_user("lan", "moderator", PW).await;
    // Idle: unused for 2 s.
    let idle = s.sign_in("lan", PW).await;
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let r = idle.get("/api/v1/admin/session").await;
    assert_eq!((r.status, r.code().as_str()), (401, "session_expired"));
    let r = idle.get("/api/v1/admin/session").await;
    assert_eq!(r.status, 401, "an expired session is gone");

    // Absolute: used every second, still over at 4 s.
    let busy = s.sign_in("lan", PW).await;
    let started = std::time::Instant::now();
    let mut last = 200;
    while started.elapsed() < Duration::from_millis(5500) {
        last = busy.get("/api/v1/admin/queue").await.status;
        if last != 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(900)).await;
    }
    assert_eq!(last, 401);
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

async fn changes_need_the_csrf_token(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    let session = s.sign_in("lan", PW).await;
    let body = json!({"hold": ["lừa đảo"], "refuse": []});
    for csrf in ["", "wrong-token-0123456789"] {
        let r = session
            .send_with_csrf("PUT", "/api/v1/admin/keywords", &body, csrf)
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "csrf_invalid"),
            "{csrf:?}"
        );
    }
    assert_eq!(
        session.get("/api/v1/admin/keywords").await.json(),
        json!({"hold": [], "refuse": []})
    );
    // Another session's token is no good either.
    let other = s.sign_in("lan", PW).await;
    let r = session
        .send_with_csrf("PUT", "/api/v1/admin/keywords", &body, &other.csrf)
        .await;
    assert_eq!(r.status, 403);
    let r = session.send("PUT", "/api/v1/admin/keywords", &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Sign-out is a change too.
    let r = session
        .send_with_csrf("DELETE", "/api/v1/admin/session", &json!({}), "")
        .await;
    assert_eq!(r.status, 403);
}

async fn a_cookie_the_client_chose_is_never_adopted(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    let chosen = "a".repeat(64);
    let r = s
        .request(
            "POST",
            "/api/v1/admin/session",
            &[
                ("content-type", "application/json"),
                ("cookie", &format!("bantin_session={chosen}")),
            ],
            Some(
                json!({"name": "lan", "password": PW})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .await;
    assert_eq!(r.status, 200);
    let given = session_cookie(&r).unwrap();
    assert_ne!(given, chosen);
    assert_eq!(given.len(), 64);
    let r = s
        .request(
            "GET",
            "/api/v1/admin/session",
            &[("cookie", &format!("bantin_session={chosen}"))],
            None,
        )
        .await;
    assert_eq!(r.status, 401, "the chosen value signs nobody in");
    // Every sign-in makes a new id; the old one stays valid until it ends.
    let first = s.sign_in("lan", PW).await;
    let second = s.sign_in("lan", PW).await;
    assert_ne!(first.cookie, second.cookie);
    assert_ne!(first.csrf, second.csrf);
}

async fn failed_sign_ins_are_throttled_per_account(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.sign_in_failures_per_account = 3;
        c.sign_in_failures_per_address = 100;
    })
    .await;
    s.add_user("lan", "moderator", PW).await;
    s.add_user("minh", "moderator", PW).await;
    let wrong = json!({"name": "lan", "password": "not the password"});
    for _ in 0..3 {
        assert_eq!(s.post("/api/v1/admin/session", &wrong).await.status, 401);
    }
    let r = s.post("/api/v1/admin/session", &wrong).await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    // Even the right password waits now; another account does not.
    let r = s
        .post(
            "/api/v1/admin/session",
            &json!({"name": "lan", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 429);
    s.sign_in("minh", PW).await;
}

async fn failed_sign_ins_are_throttled_per_address(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.sign_in_failures_per_account = 100;
        c.sign_in_failures_per_address = 4;
    })
    .await;
    s.add_user("lan", "moderator", PW).await;
    for name in ["a1", "a2", "a3", "a4"] {
        let r = s
            .post(
                "/api/v1/admin/session",
                &json!({"name": name, "password": PW}),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let r = s
        .post(
            "/api/v1/admin/session",
            &json!({"name": "lan", "password": PW}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (429, "rate_limited"));
    assert!(r.header("retry-after").is_some());
}

/// Many guesses at once: each is counted before its password is checked,
/// so at most the limit get an answer (401) and the others 429; the right
/// password among them does not get through either.
async fn parallel_sign_ins_are_counted_before_the_password_check(b: Backend) {
    let s = TestServer::start_with(b, |c| {
        c.sign_in_failures_per_account = 5;
        c.sign_in_failures_per_address = 20;
    })
    .await;
    s.add_user("lan", "moderator", PW).await;
    s.add_user("minh", "moderator", PW).await;
    let guesses = |name: &'static str, n: usize| {
        (0..n)
            .map(|i| {
                let c = s.clone_client();
                tokio::spawn(async move {
                    let body = json!({"name": name, "password": format!("guess {i}")});
                    c.post("/api/v1/admin/session", &body).await.status
                })
            })
            .collect::<Vec<_>>()
    };
    let mut statuses = Vec::new();
    for t in guesses("lan", 60) {
        statuses.push(t.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 55), "{statuses:?}");
    let r = s
        .post(
            "/api/v1/admin/session",
            &json!({"name": "lan", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 429);
    // Per address: 15 more wrong names at once reach the 20.
    let mut statuses = Vec::new();
    for t in guesses("minh", 60) {
        statuses.push(t.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 5, "{statuses:?}");
    let mut statuses = Vec::new();
    for name in [
        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11",
    ] {
        statuses.extend(guesses(name, 3));
    }
    let mut counted = Vec::new();
    for t in statuses {
        counted.push(t.await.unwrap());
    }
    let checked = counted.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 10, "{counted:?}");
    assert!(counted.iter().all(|s| *s == 401 || *s == 429));
}

async fn moderators_cannot_manage_users(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    s.add_user("chu", "admin", PW).await;
    let m = s.sign_in("lan", PW).await;
    let r = m.get("/api/v1/admin/users").await;
    assert_eq!((r.status, r.code().as_str()), (403, "forbidden"));
    let r = m
        .send(
            "POST",
            "/api/v1/admin/users",
            &json!({"name": "x", "role": "admin", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        m.send("DELETE", "/api/v1/admin/users/chu", &json!({}))
            .await
            .status,
        403
    );

    let a = s.sign_in("chu", PW).await;
    let r = a.get("/api/v1/admin/users").await;
    assert_eq!(r.status, 200);
    let names: Vec<_> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("chu"), json!("lan")]);
    // Bad input, precisely.
    for (body, field) in [
        (
            json!({"name": "Lan Anh", "role": "moderator", "password": PW}),
            "name",
        ),
        (
            json!({"name": "x", "role": "moderator", "password": "short"}),
            "password",
        ),
        (
            json!({"name": "x", "role": "moderator", "password": PW, "email": "nope"}),
            "email",
        ),
    ] {
        let r = a.send("POST", "/api/v1/admin/users", &body).await;
        assert_eq!((r.status, r.code().as_str()), (422, "invalid_field"));
        assert!(r.message().starts_with(field), "{}", r.message());
    }
    let r = a
        .send(
            "POST",
            "/api/v1/admin/users",
            &json!({"name": "x", "role": "root", "password": PW}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = a
        .send(
            "POST",
            "/api/v1/admin/users",
            &json!({"name": "lan", "role": "admin", "password": PW}),
        )
        .await;
    assert_eq!((r.status, r.code().as_str()), (409, "name_taken"));
    // A new password ends the account's sessions.
    let r = a
        .send(
            "PUT",
            "/api/v1/admin/users/lan",
            &json!({"password": "một mật khẩu mới"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(m.get("/api/v1/admin/session").await.status, 401);
    s.sign_in("lan", "một mật khẩu mới").await;
    let r = a
        .send("DELETE", "/api/v1/admin/users/lan", &json!({}))
        .await;
    assert_eq!(r.status, 204);
    let r = a
        .send("DELETE", "/api/v1/admin/users/lan", &json!({}))
        .await;
    assert_eq!((r.status, r.code().as_str()), (404, "user_not_found"));
    let audit = a.get("/api/v1/admin/audit").await.json();
    let actions: Vec<_> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["who"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["target"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            "chu user_remove user:lan",
            "chu user_passwd user:lan",
            "token user_add user:chu",
            "token user_add user:lan",
        ]
    );
}

async fn the_bearer_token_acts_as_an_admin(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.admin("GET", "/api/v1/admin/users").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!([]));
    // No CSRF token needed with it.
    let r = s
        .admin_json(
            "PUT",
            "/api/v1/admin/keywords",
            &json!({"hold": ["x"], "refuse": []}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s.admin("GET", "/api/v1/admin/session").await;
    assert_eq!(r.json()["name"], "token");
    assert_eq!(r.json()["role"], "admin");
    let r = s
        .request(
            "GET",
            "/api/v1/admin/queue",
            &[("authorization", "Bearer wrong-token-0000000000")],
            None,
        )
        .await;
    assert_eq!(r.status, 401);
}

/// `bantin-server user …` on the test server's database.
fn user_command(s: &TestServer, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let db = match s.db() {
        bantin_server::config::Database::Sqlite(p) => p.display().to_string(),
        bantin_server::config::Database::Postgres(u) => u,
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bantin-server"))
        .env_clear()
        .args(["--db", &db, "--argon2-memory-kib", "64", "user"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn the_user_command_manages_accounts(b: Backend) {
    let s = TestServer::start(b).await;
    let (ok, out, err) = user_command(
        &s,
        &["add", "kim", "--role", "admin", "--email", "kim@bao.vn"],
        &format!("{PW}\n"),
    );
    assert!(ok, "{err}");
    assert_eq!(out, "added kim (admin)\n");
    let session = s.sign_in("kim", PW).await;
    assert_eq!(session.get("/api/v1/admin/users").await.status, 200);

    let (ok, _, err) = user_command(&s, &["add", "kim", "--role", "admin"], &format!("{PW}\n"));
    assert!(!ok && err.contains("exists already"), "{err}");
    let (ok, _, err) = user_command(&s, &["add", "x", "--role", "root"], &format!("{PW}\n"));
    assert!(!ok && err.contains("--role"), "{err}");
    let (ok, _, err) = user_command(&s, &["add", "x", "--role", "admin"], "short\n");
    assert!(!ok && err.contains("password"), "{err}");

    let (ok, out, _) = user_command(&s, &["list"], "");
    assert!(ok);
    assert_eq!(out, "kim\tadmin\tkim@bao.vn\n");
    let (ok, _, err) = user_command(&s, &["passwd", "kim"], "một mật khẩu mới\n");
    assert!(ok, "{err}");
    assert_eq!(session.get("/api/v1/admin/session").await.status, 401);
    s.sign_in("kim", "một mật khẩu mới").await;
    let (ok, _, _) = user_command(&s, &["remove", "kim"], "");
    assert!(ok);
    let (ok, _, err) = user_command(&s, &["remove", "kim"], "");
    assert!(!ok && err.contains("no account"), "{err}");
}

async fn a_session_works_on_every_instance(b: Backend) {
    let s = TestServer::start(b).await;
    s.add_user("lan", "moderator", PW).await;
    let session = s.sign_in("lan", PW).await;
    let other = s.another_instance().await;
    let moved = Session {
        cookie: session.cookie.clone(),
        csrf: session.csrf.clone(),
        client: other.clone_client(),
    };
    assert_eq!(
        moved.get("/api/v1/admin/session").await.json()["name"],
        "lan"
    );
    let r = moved
        .send("DELETE", "/api/v1/admin/session", &json!({}))
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(session.get("/api/v1/admin/session").await.status, 401);
}
