//! Alerts: the webhook (signature, retry with backoff, giving up) against a
//! loopback receiver, and e-mail against a loopback SMTP sink.

use crate::common::*;
use bantin_server::config::Moderation;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

on_both_backends!(
    the_webhook_is_signed_and_retried,
    the_webhook_is_given_up_after_the_last_attempt,
    alert_emails_reach_the_editors,
);

const SECRET: &str = "webhook-secret-0123456789";
const PW: &str = "mật khẩu dài đủ";

#[derive(Clone, Debug)]
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// A receiver that answers `statuses` in turn (the last one after them).
async fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook?x=1", listener.local_addr().unwrap());
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let seen = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            let statuses = statuses.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let seen = seen.clone();
                    let statuses = statuses.clone();
                    async move {
                        let headers = req
                            .headers()
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                            .chain([("path".to_owned(), req.uri().to_string())])
                            .collect();
                        let body = req.into_body().collect().await.unwrap().to_bytes();
                        let n = {
                            let mut s = seen.lock().unwrap();
                            s.push(Received {
                                headers,
                                body: String::from_utf8_lossy(&body).into_owned(),
                            });
                            s.len()
                        };
                        let status = statuses[(n - 1).min(statuses.len() - 1)];
                        Ok::<_, std::convert::Infallible>(
                            Response::builder()
                                .status(status)
                                .body(http_body_util::Full::new(hyper::body::Bytes::from("ok")))
                                .unwrap(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, got)
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn hmac_hex(key: &str, data: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap();
    m.update(data);
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn the_webhook_is_signed_and_retried(b: Backend) {
    let (url, got) = receiver(vec![500, 200]).await;
    let s = TestServer::start_with(b, |c| {
        c.moderation = Moderation::Queue;
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.alert_retry_base = Duration::from_millis(200);
        c.public_url = Some("https://bao.example.vn".into());
    })
    .await;
    let r = s.comment(ARTICLE, "An", "chờ duyệt nhé", None).await;
    let id = r.json()["id"].as_u64().unwrap();
    let started = Instant::now();
    wait_for("two attempts", || got.lock().unwrap().len() >= 2).await;
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "the retry waited for the base delay: {:?}",
        started.elapsed()
    );
    let second = got.lock().unwrap()[1].clone();
    assert_eq!(second.header("path"), "/hook?x=1");
    assert_eq!(second.header("content-type"), "application/json");
    assert_eq!(second.header("x-bantin-event"), "comment.held");
    let ts = second.header("x-bantin-timestamp");
    let expected = format!(
        "sha256={}",
        hmac_hex(SECRET, format!("{ts}.{}", second.body).as_bytes())
    );
    assert_eq!(second.header("x-bantin-signature"), expected);
    assert_ne!(
        second.header("x-bantin-signature"),
        format!(
            "sha256={}",
            hmac_hex(
                "another-secret-0000000",
                format!("{ts}.{}", second.body).as_bytes()
            )
        )
    );
    let body: Value = serde_json::from_str(&second.body).unwrap();
    assert_eq!(body["event"], "comment.held");
    assert_eq!(body["comment"]["id"].as_u64(), Some(id));
    assert_eq!(body["comment"]["hold"], "queue");
    assert!(
        body["comment"].get("network").is_none(),
        "no address leaves the server"
    );
    assert_eq!(
        body["comment"]["article_title"],
        format!("Tiêu đề {ARTICLE}")
    );
    assert_eq!(
        body["console"],
        format!("https://bao.example.vn/admin/?comment={id}")
    );

    s.add_user("lan", "moderator", PW).await;
    let e = s.sign_in("lan", PW).await;
    let mut log = Value::Null;
    for _ in 0..100 {
        log = e.get("/api/v1/admin/deliveries").await.json();
        if log[0]["state"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(log[0]["state"], "delivered", "{log}");
    assert_eq!(log[0]["attempts"], 2);
    assert_eq!(log[0]["channel"], "webhook");
    assert_eq!(log[0]["last_error"], Value::Null);

    // A reader's report is an alert too (the comment must be published).
    e.send(
        "POST",
        "/api/v1/admin/queue/actions",
        &json!({"action": "approve", "ids": [id]}),
    )
    .await;
    let v = s.visitor().await;
    let r = s
        .post(
            &format!("/api/v1/articles/{ARTICLE}/comments/{id}/report"),
            &json!({"visitor": v}),
        )
        .await;
    assert_eq!(r.status, 204);
    wait_for("the report's alert", || got.lock().unwrap().len() >= 3).await;
    let third = got.lock().unwrap()[2].clone();
    assert_eq!(third.header("x-bantin-event"), "comment.reported");
    let body: Value = serde_json::from_str(&third.body).unwrap();
    assert_eq!(body["comment"]["reports"], 1);
}

async fn the_webhook_is_given_up_after_the_last_attempt(b: Backend) {
    let (url, got) = receiver(vec![503]).await;
    let s = TestServer::start_with(b, |c| {
        c.moderation = Moderation::Queue;
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.alert_retry_base = Duration::from_millis(30);
        c.alert_max_attempts = 3;
    })
    .await;
    s.comment(ARTICLE, "An", "x", None).await;
    wait_for("three attempts", || got.lock().unwrap().len() >= 3).await;
    let mut log = Value::Null;
    for _ in 0..100 {
        log = s.admin("GET", "/api/v1/admin/deliveries").await.json();
        if log[0]["state"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(log[0]["state"], "failed", "{log}");
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(log[0]["last_error"], "HTTP 503");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(got.lock().unwrap().len(), 3, "no attempt after giving up");
    // Finished deliveries are forgotten after their time (30 days).
    let store = bantin_server::open_store(&s.config).await.unwrap();
    store.purge_deliveries(1).await.unwrap();
    assert_eq!(
        s.admin("GET", "/api/v1/admin/deliveries")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    store.purge_deliveries(i64::MAX).await.unwrap();
    assert_eq!(
        s.admin("GET", "/api/v1/admin/deliveries").await.json(),
        json!([])
    );
}

/// The messages an SMTP sink received: envelope recipients and data.
type Mails = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A loopback SMTP server speaking just enough SMTP: the envelope
/// recipients and the data of each message.
async fn smtp_sink() -> (u16, Mails) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Mails = Arc::default();
    let seen = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        b"250 ok\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        rcpt.push(line[8..].trim().to_owned());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            lines.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        seen.lock().unwrap().push((std::mem::take(&mut rcpt), data));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

async fn alert_emails_reach_the_editors(b: Backend) {
    let (port, got) = smtp_sink().await;
    let s = TestServer::start_with(b, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.smtp_from = Some("Bantin <bantin@bao.example.vn>".into());
        c.public_url = Some("https://bao.example.vn".into());
    })
    .await;
    let r = s
        .admin_json(
            "POST",
            "/api/v1/admin/users",
            &json!({"name": "lan", "role": "moderator", "password": PW, "email": "lan@bao.example.vn"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    s.add_user("minh", "moderator", PW).await; // no address: no mail
    let r = s.comment(ARTICLE, "An", "gọi 0912 345 678", None).await;
    assert_eq!(r.json()["status"], "pending");
    let id = r.json()["id"].as_u64().unwrap();
    wait_for("the e-mail", || !got.lock().unwrap().is_empty()).await;
    let (rcpt, data) = got.lock().unwrap()[0].clone();
    assert_eq!(rcpt, vec!["<lan@bao.example.vn>".to_owned()]);
    assert!(
        data.contains("From: Bantin <bantin@bao.example.vn>"),
        "{data}"
    );
    assert!(
        !data.to_ascii_lowercase().contains("\nbcc:"),
        "Bcc is not in the message: {data}"
    );
    let unfolded = data.replace("=\r\n", "");
    assert!(
        unfolded.contains(&format!("https://bao.example.vn/admin/?comment=3D{id}"))
            || unfolded.contains(&format!("https://bao.example.vn/admin/?comment={id}")),
        "{data}"
    );
    let log = s.admin("GET", "/api/v1/admin/deliveries").await.json();
    assert_eq!(log[0]["channel"], "email");
    assert_eq!(log[0]["event"], "comment.held");
}
