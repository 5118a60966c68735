//! Bantin's companion server: the v1 REST API (ratings, comments, captcha,
//! visit counters) on SQLite or PostgreSQL, plus the built widget, on one address.
//!
//! [`start`] binds, opens the database and serves until [`Running::stop`];
//! `main.rs` is a thin command-line wrapper and the tests start it in-process.

pub mod accounts;
pub mod alerts;
mod audit;
pub mod config;
pub mod counts_cli;
mod cursor;
mod error;
pub mod export;
mod extract;
pub mod fold;
mod handlers;
mod moderation;
pub mod ratelimit;
mod session;
pub mod static_files;
pub mod store;
pub mod text;
pub mod visitor;

use crate::config::{Config, Database};
use crate::error::Failure;
use crate::ratelimit::RateLimiter;
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put};
use axum::Router;
use bantin_protocol::admin::route as admin_route;
use bantin_protocol::api::codes;
use bantin_protocol::limits::API_BODY_MAX_BYTES;
use bantin_protocol::paths::{full, route};
use handlers::console;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_service::Service;

/// The largest import (`POST /admin/import`) taken in one request; larger
/// exports go through `bantin-server import FILE`.
pub const IMPORT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Delivered and failed alerts stay in the delivery log this long.
const DELIVERIES_KEPT_SECS: i64 = 30 * 86_400;

pub struct AppState {
    pub config: Config,
    pub store: Arc<dyn Store>,
    pub hmac_key: Vec<u8>,
    /// Signs visitor credentials ([`visitor::derive_key`] of `hmac_key`).
    pub visitor_key: Vec<u8>,
    /// Derives comments' edit tokens ([`derive_key`] of `hmac_key`).
    pub edit_key: Vec<u8>,
    /// Signs comment list cursors ([`derive_key`] of `hmac_key`).
    pub cursor_key: Vec<u8>,
    pub limiter: RateLimiter,
    /// SHA-256 of the admin token, compared in constant time.
    pub admin_token_hash: Option<[u8; 32]>,
    /// The widget's files (`config.dist_dir`) and their compressed copies.
    pub files: Arc<static_files::StaticFiles>,
    /// Failed sign-ins to the editors' console, per account and network.
    pub sign_in: session::SignInThrottle,
    /// Verified against when a sign-in names no account (same time).
    pub decoy_hash: String,
    /// Wakes the alert sender ([`alerts::run`]) when an alert is queued.
    pub alerts_wake: tokio::sync::Notify,
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// A key of its own for one use (`label`), derived from the server's HMAC
/// key: `HMAC-SHA-256(hmac_key, label)`.
pub(crate) fn derive_key(hmac_key: &[u8], label: &str) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(hmac_key).expect("HMAC accepts keys of any length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// `HMAC-SHA-256(key, parts joined by NUL)`.
pub(crate) fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            mac.update(&[0]);
        }
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The whole application: API routes, CORS, body limit, the widget's files.
pub fn router(state: Arc<AppState>) -> Router {
    let static_state = state.clone();
    Router::new()
        .route(&full(route::ARTICLE), get(handlers::article))
        .route(
            &full(route::RATING),
            get(handlers::get_rating).put(handlers::put_rating),
        )
        .route(
            &full(route::COMMENTS),
            get(handlers::list_comments).post(handlers::post_comment),
        )
        .route(&full(route::REPLIES), get(handlers::list_replies))
        .route(
            &full(route::COMMENT),
            put(handlers::edit::edit).delete(handlers::edit::delete),
        )
        .route(
            &full(route::LIKE),
            post(handlers::likes::like).delete(handlers::likes::unlike),
        )
        .route(&full(route::COUNTS), get(handlers::counts::counts))
        .route(&full(route::CAPTCHA), get(handlers::captcha))
        .route(&full(route::VISITORS), post(handlers::visitors))
        .route(&full(route::VISITS), post(handlers::visit))
        .route(&full(route::STATS), get(handlers::stats))
        .route(&full(route::ADMIN_COMMENTS), get(handlers::admin_list))
        .route(&full(route::ADMIN_APPROVE), post(handlers::admin_approve))
        .route(&full(route::ADMIN_COMMENT), delete(handlers::admin_delete))
        .route(
            &full(admin_route::SESSION),
            post(console::sign_in)
                .get(console::whoami)
                .delete(console::sign_out),
        )
        .route(
            &full(admin_route::USERS),
            get(console::list_users).post(console::add_user),
        )
        .route(
            &full(admin_route::USER),
            put(console::change_password).delete(console::remove_user),
        )
        .route(&full(admin_route::QUEUE), get(console::queue))
        .route(&full(admin_route::ACTIONS), post(console::bulk))
        .route(&full(admin_route::REPLY), post(console::reply))
        .route(&full(admin_route::PIN), put(console::pin))
        .route(
            &full(admin_route::BANS),
            get(console::list_bans).post(console::add_ban),
        )
        .route(&full(admin_route::BAN), delete(console::remove_ban))
        .route(
            &full(admin_route::KEYWORDS),
            get(console::keywords).put(console::set_keywords),
        )
        .route(&full(admin_route::AUDIT), get(console::audit_log))
        .route(&full(admin_route::DELIVERIES), get(console::deliveries))
        .route(&full(admin_route::EXPORT), get(console::export))
        .route(
            &full(admin_route::IMPORT),
            post(console::import).layer(DefaultBodyLimit::max(IMPORT_MAX_BYTES)),
        )
        .route(
            &full(admin_route::PRIVACY),
            get(console::privacy_export).delete(console::privacy_delete),
        )
        .route(&full(route::REPORT), post(handlers::report))
        // The API's JSON (the article document above all: on a phone it is on
        // the way to the first paint) compressed as the browser accepts it;
        // the widget's files have their own precompressed copies.
        .route_layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Precise(5)),
        )
        .layer(middleware::from_fn(handlers::counts::etag_per_encoding))
        .route("/api", any(handlers::api_not_found))
        .route("/api/{*rest}", any(handlers::api_not_found))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(
            move |method: Method, uri: axum::http::Uri, headers: axum::http::HeaderMap| {
                let state = static_state.clone();
                async move { static_files::serve(&state.files, &method, &uri, &headers).await }
            },
        )
        .layer(DefaultBodyLimit::max(API_BODY_MAX_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), cors))
        // A body must keep coming (no gap longer than the header timeout), and
        // the whole request, body included, must be over within the request
        // timeout: a body trickled in byte by byte does not hold a connection.
        .layer(RequestBodyTimeoutLayer::new(state.config.header_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        .layer(middleware::map_response(timeout_in_contract_shape))
        .layer(middleware::from_fn(log_requests))
        .with_state(state)
}

fn origin_allowed(config: &Config, origin: &str) -> bool {
    config
        .allowed_origins
        .iter()
        .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
}

/// Whether `origin` (`scheme://host[:port]`) is the server's own: its
/// authority equals the request's `Host` (or, from a trusted proxy,
/// `X-Forwarded-Host`), which the browser sets to where it sends the request.
fn is_own_origin(state: &AppState, req: &Request, origin: &str) -> bool {
    let peer_trusted = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(a)| state.config.is_trusted_proxy(a.ip()));
    is_own_origin_of(
        req.headers(),
        peer_trusted,
        state.config.public_url.as_deref(),
        origin,
    )
}

/// Whether `url`'s scheme, host and port are `origin`'s (an `Origin` header
/// leaves out the scheme's default port).
fn same_origin(url: &str, origin: &str) -> bool {
    let Ok(url) = url.parse::<axum::http::Uri>() else {
        return false;
    };
    let (Some(scheme), Some(host)) = (url.scheme_str(), url.host()) else {
        return false;
    };
    let default = if scheme == "https" { 443 } else { 80 };
    let own = match url.port_u16().filter(|p| *p != default) {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    own.eq_ignore_ascii_case(origin)
}

/// [`is_own_origin`] from the headers, whether the peer is a trusted proxy,
/// and `--public-url` (its origin is the server's own too: behind a proxy
/// that sends another `Host` and no `X-Forwarded-Host`).
pub(crate) fn is_own_origin_of(
    headers: &axum::http::HeaderMap,
    peer_trusted: bool,
    public_url: Option<&str>,
    origin: &str,
) -> bool {
    if public_url.is_some_and(|url| same_origin(url, origin)) {
        return true;
    }
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    if !matches!(scheme, "http" | "https") || authority.is_empty() {
        return false;
    }
    let forwarded = peer_trusted
        .then(|| headers.get("x-forwarded-host"))
        .flatten();
    let host = forwarded
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim);
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// Writes only from the portal's own pages: a `POST`, `PUT`, `PATCH` or
/// `DELETE` to `/api/` whose `Origin` is neither the server's own nor in
/// `--allowed-origins` (or, without `Origin`, whose `Sec-Fetch-Site` is
/// `cross-site`) is refused before it reaches a handler, so another site's
/// page cannot write through its readers' browsers (a `text/plain` POST skips
/// the CORS preflight, and CORS alone only hides the answer). Requests without
/// either header do not come from a browser page and are judged like any other.
fn cross_site_write(state: &AppState, req: &Request) -> Option<Failure> {
    if !matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) {
        return None;
    }
    let refuse = |what: String| {
        tracing::info!(what, "cross-site write refused");
        Some(Failure::new(
            StatusCode::FORBIDDEN,
            codes::ORIGIN_NOT_ALLOWED,
            format!("{what}: writes are accepted only from the portal's own pages"),
        ))
    };
    page_origin(
        state,
        req,
        |origin| origin_allowed(&state.config, origin),
        &["cross-site"],
    )
    .err()
    .and_then(refuse)
}

/// The editors' console API (`/api/v1/admin/*`, the bearer token's
/// endpoints too).
fn is_console_path(path: &str) -> bool {
    path.strip_prefix(bantin_protocol::paths::PREFIX)
        .and_then(|p| p.strip_prefix("/admin"))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The console is served by the server itself (`/admin/`), same-origin:
/// `--allowed-origins` (the widget's) does not open its API. No CORS headers
/// ever; a preflight, a request whose `Origin` is not the server's own, and
/// one without `Origin` whose `Sec-Fetch-Site` is `cross-site` or
/// `same-site` are refused (`403 origin_not_allowed`). Scripts with the
/// bearer token send neither header.
fn cross_origin_console(state: &AppState, req: &Request) -> Option<Failure> {
    let refuse = |what: String| {
        tracing::info!(what, "cross-origin console request refused");
        Some(Failure::new(
            StatusCode::FORBIDDEN,
            codes::ORIGIN_NOT_ALLOWED,
            format!("{what}: the editors' console API is for the server's own origin only"),
        ))
    };
    if req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        return refuse("a CORS preflight".into());
    }
    page_origin(state, req, |_| false, &["cross-site", "same-site"])
        .err()
        .and_then(refuse)
}

/// Where the request's page comes from: `Ok` for the server's own origin,
/// one that `accept` takes, or no `Origin` with a `Sec-Fetch-Site` outside
/// `refused_sites` (scripts send neither header); `Err` says what was seen.
fn page_origin(
    state: &AppState,
    req: &Request,
    accept: impl Fn(&str) -> bool,
    refused_sites: &[&str],
) -> Result<(), String> {
    match req.headers().get(header::ORIGIN).map(|v| v.to_str()) {
        Some(Ok(origin)) => {
            let origin = origin.trim();
            if is_own_origin(state, req, origin) || accept(origin) {
                Ok(())
            } else {
                Err(format!("origin `{origin}` is not allowed"))
            }
        }
        Some(Err(_)) => Err("an unreadable Origin".into()),
        None => match req
            .headers()
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
        {
            Some(site) if refused_sites.iter().any(|r| site.eq_ignore_ascii_case(r)) => {
                Err(format!("a {site} request without Origin"))
            }
            _ => Ok(()),
        },
    }
}

/// CORS for `/api/*` except the console's ([`cross_origin_console`]):
/// preflights from allowed origins get a 204 with the permissions, other
/// preflights a 403 without them; cross-site writes are refused
/// ([`cross_site_write`]); actual responses to allowed origins carry
/// `Access-Control-Allow-Origin`.
async fn cors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if is_console_path(req.uri().path()) {
        return match cross_origin_console(&state, &req) {
            Some(refused) => refused.into_response(),
            None => next.run(req).await,
        };
    }
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = origin
        .as_deref()
        .filter(|o| origin_allowed(&state.config, o))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let Some(origin_value) = allowed else {
            tracing::info!(
                origin = origin.as_deref().unwrap_or(""),
                "CORS preflight refused"
            );
            return Failure::new(
                StatusCode::FORBIDDEN,
                codes::ORIGIN_NOT_ALLOWED,
                "this origin may not call the API",
            )
            .into_response();
        };
        let h = [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, origin_value),
            (
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
            ),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                // The widget sends no other header; the console's
                // (`x-bantin-csrf`, `authorization`) never come cross-origin.
                HeaderValue::from_static("content-type"),
            ),
            (
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            ),
            (
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            ),
            (header::VARY, HeaderValue::from_static("Origin")),
        ];
        return (StatusCode::NO_CONTENT, h).into_response();
    }
    if let Some(refused) = cross_site_write(&state, &req) {
        let mut response = refused.into_response();
        if let Some(origin_value) = allowed {
            response
                .headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin_value);
        }
        return response;
    }
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !state.config.allowed_origins.is_empty() {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    if let Some(origin_value) = allowed {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin_value);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Retry-After"),
        );
        // The visitor cookie travels with `credentials: 'include'` only when
        // the answer allows it; the origin is echoed, never `*`.
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    response
}

/// tower-http's timeout answers an empty 408: give it the contract's body.
/// Every 408 (also a body that stopped coming, [`extract`]'s) closes the
/// connection: the rest of the body is never read.
async fn timeout_in_contract_shape(response: Response) -> Response {
    if response.status() != StatusCode::REQUEST_TIMEOUT {
        return response;
    }
    let mut r = if response.headers().contains_key(header::CONTENT_TYPE) {
        response
    } else {
        Failure::request_timeout().into_response()
    };
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if path.starts_with("/api/") {
        tracing::info!(%method, path, status, ms, "request");
    } else {
        tracing::debug!(%method, path, status, ms, "request");
    }
    response
}

/// Open connections, in total and per client network (IPv4 address, IPv6
/// /64); a [`Ticket`] is one of them and gives its place back when dropped.
struct Gate {
    max_total: u32,
    max_per_client: u32,
    open: Mutex<(u32, HashMap<IpAddr, u32>)>,
}

struct Ticket {
    gate: Arc<Gate>,
    /// `None` for trusted proxies, which are counted in the total only.
    client: Option<IpAddr>,
}

impl Gate {
    fn admit(self: &Arc<Self>, client: Option<IpAddr>) -> Option<Ticket> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let (total, per) = &mut *open;
        if *total >= self.max_total {
            return None;
        }
        if let Some(ip) = client {
            let n = per.entry(ip).or_insert(0);
            if *n >= self.max_per_client {
                return None;
            }
            *n += 1;
        }
        *total += 1;
        Some(Ticket {
            gate: self.clone(),
            client,
        })
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut open = self.gate.open.lock().unwrap_or_else(|p| p.into_inner());
        let (total, per) = &mut *open;
        *total -= 1;
        if let Some(ip) = self.client {
            if let Some(n) = per.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    per.remove(&ip);
                }
            }
        }
    }
}

/// What a connection over the caps gets before it is closed.
async fn refuse_connection(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body = r#"{"error":{"code":"overloaded","message":"too many open connections; try again shortly"}}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 5\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Accepts connections until `shutdown`, then lets open requests finish.
/// (`axum::serve` sets no header timeout and no connection caps, so the loop
/// is ours.)
async fn serve(
    listener: TcpListener,
    app: Router,
    state: Arc<AppState>,
    shutdown: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let gate = Arc::new(Gate {
        max_total: state.config.max_connections,
        max_per_client: state.config.max_connections_per_client,
        open: Mutex::new((0, HashMap::new())),
    });
    let header_timeout = state.config.header_timeout;
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: back off, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let peer = config::canonical_ip(remote.ip());
        let client = (!state.config.is_trusted_proxy(peer)).then(|| ratelimit::network(peer));
        let Some(ticket) = gate.admit(client) else {
            tracing::info!(%peer, "connection refused: too many open connections");
            connections.spawn(refuse_connection(stream));
            continue;
        };
        let app = app.clone();
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let _ticket = ticket;
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                let mut app = app.clone();
                async move { app.call(req.map(Body::new)).await }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    return;
                }
                _ = stop.changed() => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// A server started by [`start`].
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    maintenance: JoinHandle<()>,
    alerts: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets open requests finish, and returns.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.maintenance.abort();
        self.alerts.abort();
        match tokio::time::timeout(Duration::from_secs(10), &mut self.task).await {
            Ok(joined) => joined.map_err(std::io::Error::other)?,
            Err(_) => {
                self.task.abort();
                Ok(())
            }
        }
    }
}

/// Opens `config.db` (creating or migrating its schema).
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, String> {
    let opening = |e| format!("opening database {}: {e}", config.db);
    Ok(match &config.db {
        Database::Sqlite(path) => {
            Arc::new(SqliteStore::open_with(path, config.sqlite_synchronous).map_err(opening)?)
        }
        Database::Postgres(url) => Arc::new(
            PostgresStore::connect(url, config.db_pool.into())
                .await
                .map_err(opening)?,
        ),
    })
}

/// Folds the comments stored before the console existed (or edited since)
/// for its search, link and phone filters.
pub(crate) async fn backfill_folded(store: &dyn Store) {
    loop {
        let rows = match store.unfolded(500).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "folding old comments failed");
                return;
            }
        };
        if rows.is_empty() {
            return;
        }
        for (id, author, body) in rows {
            let folded = fold::fold(&format!("{author}\n{body}"));
            if let Err(e) = store
                .set_folded(id, folded, fold::has_link(&body), fold::has_phone(&body))
                .await
            {
                tracing::warn!(error = %e, "folding old comments failed");
                return;
            }
        }
    }
}

/// Opens the database, binds `config.addr` (port 0 picks a free port) and
/// serves in a background task.
pub async fn start(config: Config) -> Result<Running, String> {
    let store = open_store(&config).await?;
    let hmac_key = match &config.hmac_key {
        Some(k) => k.clone(),
        None => {
            let mut fresh = vec![0u8; 32];
            getrandom::fill(&mut fresh).map_err(|e| format!("randomness: {e}"))?;
            store
                .secret("captcha_hmac_key", fresh)
                .await
                .map_err(|e| format!("loading the captcha key: {e}"))?
        }
    };
    let admin_token_hash = config.admin_token.as_deref().map(|t| sha256(t.as_bytes()));
    let kib = config.argon2_memory_kib;
    let decoy_hash = tokio::task::spawn_blocking(move || accounts::decoy_hash(kib))
        .await
        .map_err(|e| format!("hashing: {e}"))?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("binding {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let files = Arc::new(static_files::StaticFiles::new(config.dist_dir.clone()));
    let warming = files.clone();
    tokio::task::spawn_blocking(move || warming.warm());
    let visitor_key = visitor::derive_key(&hmac_key);
    let edit_key = derive_key(&hmac_key, "bantin comment edit key v1");
    let cursor_key = derive_key(&hmac_key, "bantin comment cursor key v1");
    let state = Arc::new(AppState {
        config,
        store,
        hmac_key,
        visitor_key,
        edit_key,
        cursor_key,
        limiter: RateLimiter::default(),
        admin_token_hash,
        files,
        sign_in: session::SignInThrottle::default(),
        decoy_hash,
        alerts_wake: alerts::wake(),
    });
    backfill_folded(state.store.as_ref()).await;
    let app = router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app, state.clone(), rx));
    let alerts = tokio::spawn(alerts::run(state.clone()));
    let maintenance = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = state.store.purge(now_secs()).await {
                tracing::warn!(error = %e, "purge failed");
            }
            let now = now_secs();
            let idle = state.config.session_idle.as_secs() as i64;
            let max = state.config.session_max.as_secs() as i64;
            if let Err(e) = state.store.purge_sessions(now - idle, now - max).await {
                tracing::warn!(error = %e, "purging editors' sessions failed");
            }
            if let Err(e) = state
                .store
                .purge_deliveries(now - DELIVERIES_KEPT_SECS)
                .await
            {
                tracing::warn!(error = %e, "purging old alert deliveries failed");
            }
            state.limiter.prune(Instant::now());
        }
    });
    tracing::info!(%addr, "listening");
    Ok(Running {
        addr,
        shutdown: Some(tx),
        task,
        maintenance,
        alerts,
    })
}
