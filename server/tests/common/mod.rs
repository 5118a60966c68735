//! Test harness: the server started in-process on 127.0.0.1:0 with a
//! temporary database (a SQLite file, or a fresh schema in the PostgreSQL
//! database of `BANTIN_TEST_POSTGRES_URL`), or as a `bantin-server` process
//! ([`ServerProcess`]), and a minimal HTTP/1.1 client on hyper ([`Client`]).

#![allow(dead_code)]

use bantin_protocol::pow::{self, Challenge, Payload};
use bantin_server::config::{Config, Database};
use bantin_server::Running;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{HeaderMap, Request};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpStream;

/// Generates `sqlite::<name>` and `postgres::<name>` tests for each `async fn <name>(Backend)`.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if super::postgres_url(stringify!($name)).is_some() {
                        super::$name(super::Backend::Postgres).await
                    }
                }
            )*
        }
    };
}

pub const KEY: &[u8] = b"test-hmac-key-0123456789";
pub const ADMIN: &str = "admin-token-0123456789";
pub const ARTICLE: &str = "ky-anh-2022-11-15";
pub const OTHER: &str = "other-article";
/// `Content-Type: application/json`, as every JSON body must say.
pub const JSON: &[(&str, &str)] = &[("content-type", "application/json")];
pub const WASM: &str = "bantin-0123456789abcdef_bg.wasm";

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// The contract's `error.code`.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {:?}", self.body))
            .to_owned()
    }

    pub fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A response with its body as bytes (compressed files).
pub struct RawResp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl RawResp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The storage a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_URL_VAR: &str = "BANTIN_TEST_POSTGRES_URL";

/// The PostgreSQL database the tests may use. Without one: a test failure
/// when `CI` is set, otherwise `None` after saying the test is skipped.
pub fn postgres_url(test: &str) -> Option<String> {
    if let Some(url) = std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|u| !u.is_empty())
    {
        return Some(url);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{test}: {POSTGRES_URL_VAR} is not set, but CI is: the PostgreSQL tests must run \
         (`cargo xtask test` starts a PostgreSQL and sets it)"
    );
    // Straight to stderr, past the test harness's capture, so it is seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test} on PostgreSQL: {POSTGRES_URL_VAR} is not set \
         (`cargo xtask test` sets it; or export postgres://user@127.0.0.1:5432/db)"
    );
    None
}

/// A schema of its own in the test database, dropped (with everything in it)
/// when the last server using it is gone.
pub struct PgSchema {
    base: String,
    pub name: String,
    /// The base URL with `search_path` set to this schema.
    pub url: String,
}

async fn pg_admin(base: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connecting to {POSTGRES_URL_VAR}: {e}"));
    tokio::spawn(conn);
    client
}

impl PgSchema {
    pub async fn create(base: &str) -> PgSchema {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).unwrap();
        let name = format!(
            "test_{}",
            random
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        pg_admin(base)
            .await
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .await
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        PgSchema {
            base: base.to_owned(),
            url: format!("{base}{sep}options=-csearch_path%3D{name}"),
            name,
        }
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // Drop runs inside the test's runtime: use a thread with its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async move {
                    let (client, conn) =
                        tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
                    tokio::spawn(conn);
                    client
                        .batch_execute(&format!(
                            "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS {name} CASCADE"
                        ))
                        .await
                })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test schema {}: {dropped:?}", self.name);
        }
    }
}

/// A server started in-process; its [`Client`] (`addr`, `get`, `post`, …)
/// through `Deref`.
pub struct TestServer {
    client: Client,
    pub dir: TempDir,
    pub config: Config,
    pub backend: Backend,
    running: Option<Running>,
    pg: Option<Arc<PgSchema>>,
}

impl Deref for TestServer {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// A config for tests: tempdir database, articles and dist; fast captcha;
/// no rate limits; admin enabled.
pub fn test_config(dir: &TempDir) -> Config {
    let root = dir.path();
    let articles = root.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for id in [ARTICLE, OTHER] {
        std::fs::write(
            articles.join(format!("{id}.json")),
            format!(
                r#"{{"id":"{id}","title":"Tiêu đề {id}","rating":{{"count":12,"average":4.3}},
                   "counters":{{"total_visits":2504500,"online":3}},
                   "blocks":[{{"type":"paragraph","text":"Đoạn một."}}]}}"#
            ),
        )
        .unwrap();
    }
    std::fs::write(articles.join("broken.json"), "{\"id\": 5").unwrap();
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("images")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Bantin</title>",
    )
    .unwrap();
    std::fs::write(dist.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("bantin.js"), "export default 1;").unwrap();
    std::fs::write(
        dist.join("images/a.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .unwrap();
    std::fs::write(root.join("secret.txt"), "outside dist").unwrap();
    Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        db: Database::Sqlite(root.join("bantin.db")),
        dist_dir: dist,
        articles_dir: articles,
        hmac_key: Some(KEY.to_vec()),
        admin_token: Some(ADMIN.into()),
        captcha_maxnumber: 2_000,
        rate_comments: 0,
        rate_writes: 0,
        // The tests send hundreds of requests at once from 127.0.0.1.
        max_connections_per_client: 1000,
        // Measured from the challenge's issue: the tests post at once, and the
        // tests of the minimum time set one of their own.
        min_submit: Duration::ZERO,
        // Every test client is 127.0.0.1: no daily caps per network, except in
        // the tests of the caps, which set their own.
        visitors_per_network: 0,
        votes_per_network: 0,
        likes_per_network: 0,
        visits_per_visitor: 0,
        online_per_network: 0,
        // Password hashes made fast for the tests (the parameters are in
        // each hash; production uses 19 MiB).
        argon2_memory_kib: 64,
        ..Config::default()
    }
}

impl TestServer {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// On PostgreSQL, call only after [`postgres_url`] said there is one.
    pub async fn start_with(backend: Backend, change: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&dir);
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let base = std::env::var(POSTGRES_URL_VAR)
                    .expect("postgres_url() was checked before starting a PostgreSQL test");
                let schema = PgSchema::create(&base).await;
                config.db = Database::Postgres(schema.url.clone());
                Some(Arc::new(schema))
            }
        };
        change(&mut config);
        Self::start_in(dir, config, backend, pg).await
    }

    async fn start_in(
        dir: TempDir,
        config: Config,
        backend: Backend,
        pg: Option<Arc<PgSchema>>,
    ) -> Self {
        let running = bantin_server::start(config.clone()).await.unwrap();
        TestServer {
            client: Client::new(running.addr),
            dir,
            config,
            backend,
            running: Some(running),
            pg,
        }
    }

    /// Another instance on the same database (PostgreSQL: the same schema),
    /// with its own address, rate limiter and temp dir.
    pub async fn another_instance(&self) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&dir);
        config.db = self.config.db.clone();
        config.hmac_key = self.config.hmac_key.clone();
        Self::start_in(dir, config, self.backend, self.pg.clone()).await
    }

    /// Stops the server and starts a new one on the same files.
    pub async fn restart(mut self) -> Self {
        self.running.take().unwrap().stop().await.unwrap();
        let seen = self.client.seen.clone();
        let mut next = Self::start_in(self.dir, self.config, self.backend, self.pg.take()).await;
        next.client.seen = seen;
        next
    }

    /// Stops the server (open requests finish first).
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }

    pub fn db(&self) -> Database {
        self.config.db.clone()
    }

    /// Its client, to move into tasks.
    pub fn clone_client(&self) -> Client {
        self.client.clone()
    }
}

/// A `bantin-server` process (the built binary, started by
/// [`bantin_launcher`]) on the database `db_url`, configured like
/// [`test_config`] (articles and dist in a temp dir of its own, fast captcha,
/// no rate limits, admin enabled) except that it has no captcha key: it uses
/// the one stored in the database, which all processes on that database
/// share. Its [`Client`] through `Deref`; killed when dropped.
pub struct ServerProcess {
    client: Client,
    server: bantin_launcher::Server,
    _dir: TempDir,
}

impl Deref for ServerProcess {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl ServerProcess {
    /// Starts it on a free loopback port and waits until it serves;
    /// `extra_args` come last, so they win over the flags set here.
    pub fn spawn(db_url: &str, extra_args: &[&str]) -> ServerProcess {
        let dir = tempfile::tempdir().unwrap();
        let config = test_config(&dir);
        let server = bantin_launcher::Launcher::new(env!("CARGO_BIN_EXE_bantin-server"))
            // Only the settings given here: no BANTIN_* variable of the test run.
            .env_remove_prefix("BANTIN_")
            .db(db_url)
            .dist(&config.dist_dir)
            .articles(&config.articles_dir)
            .args(["--log", "warn"])
            .args([
                "--captcha-maxnumber",
                &config.captcha_maxnumber.to_string(),
                "--rate-comments",
                &config.rate_comments.to_string(),
                "--rate-writes",
                &config.rate_writes.to_string(),
                "--max-connections-per-client",
                &config.max_connections_per_client.to_string(),
                "--min-submit-ms",
                &config.min_submit.as_millis().to_string(),
                "--visitors-per-network",
                &config.visitors_per_network.to_string(),
                "--votes-per-network",
                &config.votes_per_network.to_string(),
                "--likes-per-network",
                &config.likes_per_network.to_string(),
                "--visits-per-visitor",
                &config.visits_per_visitor.to_string(),
                "--online-per-network",
                &config.online_per_network.to_string(),
            ])
            .args(extra_args)
            .env("BANTIN_ADMIN_TOKEN", config.admin_token.as_deref().unwrap())
            .timeout(Duration::from_secs(60))
            .start()
            .expect("bantin-server serves");
        ServerProcess {
            client: Client::new(server.addr()),
            server,
            _dir: dir,
        }
    }

    /// SIGKILL: no graceful shutdown, open requests are cut off.
    pub fn kill(&mut self) {
        let _ = self.server.kill();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The requests of the tests to one server; records every response body.
#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    /// Every response body seen, to check what never leaks (e-mails).
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            seen: Arc::default(),
        }
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let resp = send(self.addr, method, path, headers, body).await;
        self.seen.lock().unwrap().push(resp.body.clone());
        resp
    }

    /// The response body as bytes, not text.
    pub async fn request_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> RawResp {
        try_send_raw(self.addr, method, path, headers, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], None).await
    }

    pub async fn send_json(&self, method: &str, path: &str, body: &Value) -> Resp {
        self.request(
            method,
            path,
            &[("content-type", "application/json")],
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send_json("POST", path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.send_json("PUT", path, body).await
    }

    pub async fn admin(&self, method: &str, path: &str) -> Resp {
        let auth = format!("Bearer {ADMIN}");
        self.request(method, path, &[("authorization", &auth)], None)
            .await
    }

    /// A JSON request with the bearer token.
    pub async fn admin_json(&self, method: &str, path: &str, body: &Value) -> Resp {
        let auth = format!("Bearer {ADMIN}");
        self.request(
            method,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    /// Adds an account with the bearer token; panics unless it is created.
    pub async fn add_user(&self, name: &str, role: &str, password: &str) {
        let r = self
            .admin_json(
                "POST",
                "/api/v1/admin/users",
                &serde_json::json!({"name": name, "role": role, "password": password}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }

    /// Signs in: the session's cookie value and CSRF token.
    pub async fn sign_in(&self, name: &str, password: &str) -> Session {
        let r = self
            .post(
                "/api/v1/admin/session",
                &serde_json::json!({"name": name, "password": password}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        Session {
            cookie: session_cookie(&r).expect("a session cookie"),
            csrf: r.json()["csrf"].as_str().unwrap().to_owned(),
            client: Client {
                addr: self.addr,
                seen: self.seen.clone(),
            },
        }
    }

    /// A new visitor credential (`POST /visitors`, no cookie): the token.
    pub async fn visitor(&self) -> String {
        self.visitor_with(&[]).await
    }

    /// A new visitor credential with extra request headers (`X-Forwarded-For`).
    pub async fn visitor_with(&self, headers: &[(&str, &str)]) -> String {
        let r = self.request("POST", VISITORS, headers, None).await;
        assert_eq!(r.status, 201, "POST /visitors: {}", r.body);
        r.json()["visitor"].as_str().unwrap().to_owned()
    }

    /// `n` new credentials, fetched 16 at a time.
    pub async fn visitors(&self, n: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let batch = (n - out.len()).min(16);
            let tasks: Vec<_> = (0..batch)
                .map(|_| {
                    let c = self.clone();
                    tokio::spawn(async move { c.visitor().await })
                })
                .collect();
            for t in tasks {
                out.push(t.await.unwrap());
            }
        }
        out
    }

    /// `PUT` a vote of `stars` with the credential `visitor`.
    pub async fn vote(&self, article: &str, visitor: &str, stars: u8) -> Resp {
        self.put(
            &rating_path(article),
            &json!({"stars": stars, "visitor": visitor}),
        )
        .await
    }

    /// `POST /visits` for `visitor`'s session `session`.
    pub async fn visit(&self, visitor: &str, session: &str) -> Resp {
        self.post(
            "/api/v1/visits",
            &json!({"visitor": visitor, "session": session}),
        )
        .await
    }

    /// A fresh challenge from the server, solved with the protocol's solver.
    pub async fn solved_captcha(&self) -> String {
        let r = self.get("/api/v1/captcha").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let c: Challenge = serde_json::from_str(&r.body).unwrap();
        solve(&c)
    }

    /// Posts a comment with a valid captcha; returns the response.
    pub async fn comment(
        &self,
        article: &str,
        author: &str,
        body: &str,
        parent: Option<u64>,
    ) -> Resp {
        let captcha = self.solved_captcha().await;
        let mut json = serde_json::json!({
            "author": author, "email": "secret.reader@example.vn", "body": body,
            "captcha": captcha, "elapsed_ms": 5_000, "website": ""
        });
        if let Some(p) = parent {
            json["parent_id"] = p.into();
        }
        self.post(&format!("/api/v1/articles/{article}/comments"), &json)
            .await
    }
}

/// The `bantin_session` value a response sets.
pub fn session_cookie(r: &Resp) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bantin_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

/// A signed-in editor of the console.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub client: Client,
}

impl Session {
    pub async fn get(&self, path: &str) -> Resp {
        let cookie = format!("bantin_session={}", self.cookie);
        self.client
            .request("GET", path, &[("cookie", &cookie)], None)
            .await
    }

    /// A change with the cookie and the CSRF token.
    pub async fn send(&self, method: &str, path: &str, body: &Value) -> Resp {
        self.send_with_csrf(method, path, body, &self.csrf.clone())
            .await
    }

    pub async fn send_with_csrf(&self, method: &str, path: &str, body: &Value, csrf: &str) -> Resp {
        let cookie = format!("bantin_session={}", self.cookie);
        let mut headers = vec![
            ("cookie", cookie.as_str()),
            ("content-type", "application/json"),
        ];
        if !csrf.is_empty() {
            headers.push(("x-bantin-csrf", csrf));
        }
        self.client
            .request(method, path, &headers, Some(body.to_string().into_bytes()))
            .await
    }
}

pub fn solve(c: &Challenge) -> String {
    let n = pow::solve(&c.challenge, &c.salt, c.maxnumber).expect("challenge solvable");
    Payload::new(c, n, 1).encode()
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// One request on a fresh connection.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Resp {
    try_send(addr, method, path, headers, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// One request on a fresh connection; `Err` when there was no complete answer
/// (refused or dropped connection, timeout).
pub async fn try_send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Result<Resp, String> {
    let r = try_send_raw(addr, method, path, headers, body).await?;
    Ok(Resp {
        status: r.status,
        headers: r.headers,
        body: String::from_utf8_lossy(&r.body).into_owned(),
    })
}

/// [`try_send`] with the body as bytes.
pub async fn try_send_raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Result<RawResp, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let res = tokio::time::timeout(Duration::from_secs(30), sender.send_request(req))
        .await
        .map_err(|_| "no response within 30 s".to_string())?
        .map_err(|e| format!("request: {e}"))?;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes();
    Ok(RawResp {
        status,
        headers,
        body: body.to_vec(),
    })
}

// ------------------------------------------------------------------ shared by the API tests

pub const VISITORS: &str = "/api/v1/visitors";

/// The `bantin_visitor=…` pair of a response's `Set-Cookie`, as a browser
/// would send it back in `Cookie`.
pub fn cookie_of(r: &Resp) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("bantin_visitor="))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// The id a credential token stands for, as the database stores it.
pub fn visitor_id(token: &str) -> String {
    bantin_protocol::credential::Credential::parse(token)
        .expect("a credential")
        .id_hex()
}

pub fn rating_path(id: &str) -> String {
    format!("/api/v1/articles/{id}/rating")
}

pub fn comments_path(id: &str) -> String {
    format!("/api/v1/articles/{id}/comments")
}

pub fn comment_path(id: &str, comment: u64) -> String {
    format!("/api/v1/articles/{id}/comments/{comment}")
}

pub fn like_path(id: &str, comment: u64) -> String {
    format!("/api/v1/articles/{id}/comments/{comment}/like")
}

/// Posts a comment and returns its id (and the whole answer).
pub async fn posted(s: &Client, article: &str, body: &str, parent: Option<u64>) -> (u64, Value) {
    let r = s.comment(article, "An", body, parent).await;
    assert!(r.status == 201, "{}", r.body);
    let json = r.json();
    (json["id"].as_u64().unwrap(), json)
}

/// `POST` (like) or `DELETE` (take back) `visitor`'s like of a comment.
pub async fn set_like(s: &Client, article: &str, comment: u64, visitor: &str, like: bool) -> Resp {
    let method = if like { "POST" } else { "DELETE" };
    s.send_json(
        method,
        &like_path(article, comment),
        &json!({"visitor": visitor}),
    )
    .await
}

pub const CLIENT_KEY: &str = "0b6f0c9e-8a43-4a52-9d3c-2c1a1f0e9b7d";

pub fn keyed_comment(key: &str, captcha: &str, body: &str) -> Value {
    json!({
        "author": "An", "email": "secret.reader@example.vn", "body": body,
        "captcha": captcha, "elapsed_ms": 5_000, "website": "", "client_key": key
    })
}

/// Ids of the comments listed on `article` (top level, newest first).
pub async fn listed_ids(s: &TestServer, article: &str) -> Vec<u64> {
    s.get(&format!("{}?limit=100", comments_path(article)))
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect()
}
