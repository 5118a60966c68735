//! Test harness: the server started in-process on 127.0.0.1:0 with a
//! temporary database, and a minimal HTTP/1.1 client on hyper.

#![allow(dead_code)]

use bantin_protocol::pow::{self, Challenge, Payload};
use bantin_server::config::Config;
use bantin_server::Running;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{HeaderMap, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpStream;

pub const KEY: &[u8] = b"test-hmac-key-0123456789";
pub const ADMIN: &str = "admin-token-0123456789";
pub const ARTICLE: &str = "ky-anh-2022-11-15";
pub const OTHER: &str = "other-article";
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

pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: TempDir,
    pub config: Config,
    running: Option<Running>,
    /// Every response body seen, to check what never leaks (e-mails).
    pub seen: Arc<Mutex<Vec<String>>>,
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
        db_path: root.join("bantin.db"),
        dist_dir: dist,
        articles_dir: articles,
        hmac_key: Some(KEY.to_vec()),
        admin_token: Some(ADMIN.into()),
        captcha_maxnumber: 2_000,
        rate_comments: 0,
        rate_writes: 0,
        ..Config::default()
    }
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(change: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&dir);
        change(&mut config);
        Self::start_in(dir, config).await
    }

    pub async fn start_in(dir: TempDir, config: Config) -> Self {
        let running = bantin_server::start(config.clone()).await.unwrap();
        TestServer {
            addr: running.addr,
            dir,
            config,
            running: Some(running),
            seen: Arc::default(),
        }
    }

    /// Stops the server and starts a new one on the same files.
    pub async fn restart(mut self) -> Self {
        self.running.take().unwrap().stop().await.unwrap();
        let seen = self.seen.clone();
        let mut next = Self::start_in(self.dir, self.config).await;
        next.seen = seen;
        next
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

    pub fn db_path(&self) -> PathBuf {
        self.config.db_path.clone()
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
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
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
        .expect("response within 30 s")
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}
