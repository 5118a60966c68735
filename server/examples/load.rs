//! A bounded load generator for the write-heaviest calls, for loopback only.
//!
//! ```sh
//! cargo run --release -p bantin-server --example load -- \
//!     --targets 127.0.0.1:8081,127.0.0.1:8082 --kind visit \
//!     --requests 20000 --seconds 20 --concurrency 32
//! ```
//!
//! `--kind visit`: every request is a new reader's first visit (no
//! credential: the server issues one with it, and counts the visit);
//! `heartbeat`: each worker repeats one session with its credential; `vote`:
//! PUT rating, a new visitor each time (credentials fetched before the clock
//! starts; needs `--any-article` or an article `load`); `visitor`: POST
//! /visitors, a new credential each time.
//! With `--spread-networks`, request n says `X-Forwarded-For: 10.x.y.z` (n in
//! the last three bytes), so every request comes from another client network
//! and the daily caps per network are taken but never reached (run the server
//! with `--trusted-proxies 127.0.0.1`).
//! Workers keep one HTTP/1.1 connection each and are spread round-robin over
//! the targets. It stops at `--requests` or `--seconds`, whichever comes first,
//! then prints throughput, latency percentiles and the failures, and checks
//! `total_visits` against the visits acknowledged.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

struct Args {
    targets: Vec<SocketAddr>,
    kind: String,
    requests: u64,
    seconds: u64,
    concurrency: usize,
    spread_networks: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        targets: Vec::new(),
        kind: "visit".into(),
        requests: 20_000,
        seconds: 20,
        concurrency: 32,
        spread_networks: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--spread-networks" {
            a.spread_networks = true;
            continue;
        }
        let v = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--targets" => {
                for t in v.split(',') {
                    let addr: SocketAddr = t.parse().map_err(|_| format!("bad address {t}"))?;
                    if !addr.ip().is_loopback() {
                        return Err(format!("{addr}: loopback addresses only"));
                    }
                    a.targets.push(addr);
                }
            }
            "--kind" => a.kind = v,
            "--requests" => a.requests = v.parse().map_err(|_| "bad --requests")?,
            "--seconds" => a.seconds = v.parse().map_err(|_| "bad --seconds")?,
            "--concurrency" => a.concurrency = v.parse().map_err(|_| "bad --concurrency")?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if a.targets.is_empty() {
        return Err("--targets 127.0.0.1:PORT[,127.0.0.1:PORT…] is required".into());
    }
    if !matches!(a.kind.as_str(), "visit" | "heartbeat" | "vote" | "visitor") {
        return Err("--kind: visit, heartbeat, vote or visitor".into());
    }
    a.requests = a.requests.min(1_000_000);
    a.seconds = a.seconds.clamp(1, 120);
    Ok(a)
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Sender, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(sender)
}

/// The client network of request `n` with `--spread-networks`.
fn network_of(n: u64) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

async fn request(
    sender: &mut Sender,
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: String,
    from: Option<&str>,
) -> Result<(u16, String), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("content-type", "application/json");
    if let Some(ip) = from {
        req = req.header("x-forwarded-for", ip);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

#[tokio::main]
async fn main() {
    let args = match parse() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    // Ids unique to this run, so a "visit" is always a new session.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64 % 1_000_000_000);
    let before = stats(args.targets[0]).await;
    // Votes need a credential each: fetched before the clock starts.
    let credentials = Arc::new(if args.kind == "vote" {
        fetch_credentials(&args).await
    } else {
        Vec::new()
    });
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let (args, issued, credentials) = (args.clone(), issued.clone(), credentials.clone());
        workers.push(tokio::spawn(async move {
            let addr = args.targets[w % args.targets.len()];
            let mut latencies = Vec::new();
            let (mut ok, mut failed) = (0u64, 0u64);
            let mut sender = connect(addr).await.ok();
            // A heartbeat's credential: this worker's, from its first visit.
            let mut own = String::new();
            if args.kind == "heartbeat" {
                if let Some(s) = sender.as_mut() {
                    let from = args.spread_networks.then(|| network_of(w as u64));
                    let body = format!(r#"{{"session":"h{run}-{w}"}}"#);
                    if let Ok((200, answer)) =
                        request(s, addr, "POST", "/api/v1/visits", body, from.as_deref()).await
                    {
                        own = token_in(&answer);
                    }
                }
            }
            while Instant::now() < deadline {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                if n >= args.requests {
                    break;
                }
                let (method, path, body) = match args.kind.as_str() {
                    "visit" => (
                        "POST",
                        "/api/v1/visits",
                        format!(r#"{{"session":"s{run}-{n}"}}"#),
                    ),
                    "heartbeat" => (
                        "POST",
                        "/api/v1/visits",
                        format!(r#"{{"visitor":"{own}","session":"h{run}-{w}"}}"#),
                    ),
                    "visitor" => ("POST", "/api/v1/visitors", String::new()),
                    _ => (
                        "PUT",
                        "/api/v1/articles/load/rating",
                        format!(
                            r#"{{"stars":{},"visitor":"{}"}}"#,
                            n % 5 + 1,
                            credentials.get(n as usize).map_or("", String::as_str)
                        ),
                    ),
                };
                // A heartbeat keeps its worker's network; the rest come from
                // a network each.
                let from = args.spread_networks.then(|| {
                    network_of(if args.kind == "heartbeat" {
                        w as u64
                    } else {
                        n
                    })
                });
                let t = Instant::now();
                let result = match sender.as_mut() {
                    Some(s) => request(s, addr, method, path, body, from.as_deref()).await,
                    None => Err("not connected".into()),
                };
                match result {
                    Ok((status, _)) if (200..300).contains(&status) => {
                        ok += 1;
                        latencies.push(t.elapsed());
                    }
                    Ok(_) => failed += 1,
                    Err(_) => {
                        failed += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        sender = connect(addr).await.ok();
                    }
                }
            }
            (ok, failed, latencies)
        }));
    }
    let (mut ok, mut failed, mut latencies) = (0, 0, Vec::new());
    for w in workers {
        let (o, f, l) = w.await.unwrap();
        ok += o;
        failed += f;
        latencies.extend(l);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{} {} x{} over {} target(s): {ok} ok, {failed} failed in {elapsed:.2} s = {:.0} req/s; \
         latency ms p50 {:.1} p90 {:.1} p99 {:.1} max {:.1}",
        args.kind,
        ok + failed,
        args.concurrency,
        args.targets.len(),
        ok as f64 / elapsed,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
    );
    if args.kind == "visit" {
        let after = stats(args.targets[0]).await;
        println!(
            "total_visits {before} -> {after}: +{} for {ok} acknowledged new sessions",
            after - before
        );
        if after - before != ok {
            eprintln!("load: visits were lost or double counted");
            std::process::exit(1);
        }
    }
}

/// The `visitor` of a JSON answer.
fn token_in(answer: &str) -> String {
    serde_json::from_str::<serde_json::Value>(answer)
        .ok()
        .and_then(|v| v["visitor"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One new credential per vote to cast (`--requests`), 32 requests at a time,
/// each from the network the vote will come from.
async fn fetch_credentials(args: &Args) -> Vec<String> {
    let n = args.requests as usize;
    let mut out = vec![String::new(); n];
    let started = Instant::now();
    let chunks: Vec<_> = (0..32usize)
        .map(|w| {
            let (targets, spread) = (args.targets.clone(), args.spread_networks);
            tokio::spawn(async move {
                let addr = targets[w % targets.len()];
                let mut s = connect(addr).await.expect("target reachable");
                let mut got = Vec::new();
                for i in (w..n).step_by(32) {
                    let from = spread.then(|| network_of(i as u64));
                    let (status, body) = request(
                        &mut s,
                        addr,
                        "POST",
                        "/api/v1/visitors",
                        String::new(),
                        from.as_deref(),
                    )
                    .await
                    .expect("POST /visitors");
                    assert_eq!(status, 201, "POST /visitors: {body}");
                    got.push((i, token_in(&body)));
                }
                got
            })
        })
        .collect();
    for c in chunks {
        for (i, t) in c.await.unwrap() {
            out[i] = t;
        }
    }
    eprintln!(
        "{n} credentials fetched in {:.1} s (not timed)",
        started.elapsed().as_secs_f64()
    );
    out
}

async fn stats(addr: SocketAddr) -> u64 {
    let mut s = connect(addr).await.expect("target reachable");
    let (status, body) = request(&mut s, addr, "GET", "/api/v1/stats", String::new(), None)
        .await
        .expect("stats");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["total_visits"].as_u64().unwrap()
}
