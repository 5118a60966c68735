//! The webhook: one HTTP/1.1 POST per alert (http, or https through rustls
//! with Mozilla's roots), the JSON body of [`super::Event`], with
//!
//! - `X-Bantin-Event`: `comment.held` or `comment.reported`;
//! - `X-Bantin-Timestamp`: unix seconds when it was sent;
//! - `X-Bantin-Signature`: `sha256=` and the hex HMAC-SHA-256, keyed with
//!   `--webhook-secret`, of the timestamp, a `.`, and the raw body (so a
//!   receiver can refuse old timestamps: replays).
//!
//! Any 2xx answer is a delivery; anything else (or no answer within 10 s)
//! is retried.

use super::DeliveryRow;
use crate::AppState;
use axum::http::{header, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(10);

/// The signature header's value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = {
        use hmac::{Hmac, Mac};
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        m.update(ts.as_bytes());
        m.update(b".");
        m.update(body);
        m.finalize().into_bytes()
    };
    format!("sha256={}", crate::hex(&mac))
}

fn tls() -> tokio_rustls::TlsConnector {
    static CONFIG: OnceLock<Arc<tokio_rustls::rustls::ClientConfig>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        use tokio_rustls::rustls;
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Arc::new(config)
    });
    tokio_rustls::TlsConnector::from(config.clone())
}

async fn post<S>(io: S, req: Request<Full<Bytes>>) -> Result<u16, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    let driver = tokio::spawn(conn);
    let response = sender
        .send_request(req)
        .await
        .map_err(|e| format!("request: {e}"))?;
    let status = response.status().as_u16();
    // Read (and drop) the answer so the connection ends cleanly.
    let _ = response.into_body().collect().await;
    driver.abort();
    Ok(status)
}

/// One attempt at delivering `row`.
pub async fn send(state: &AppState, row: &DeliveryRow) -> Result<(), String> {
    let (Some(url), Some(secret)) = (&state.config.webhook_url, &state.config.webhook_secret)
    else {
        return Err("no --webhook-url is configured any more".into());
    };
    tokio::time::timeout(TIMEOUT, attempt(url, secret, row))
        .await
        .map_err(|_| format!("no answer within {} s", TIMEOUT.as_secs()))?
}

async fn attempt(url: &str, secret: &str, row: &DeliveryRow) -> Result<(), String> {
    let uri: Uri = url.parse().map_err(|e| format!("--webhook-url: {e}"))?;
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().ok_or("--webhook-url has no host")?.to_owned();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let timestamp = crate::now_secs();
    let body = row.payload.clone().into_bytes();
    let authority = match uri.port_u16() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let req = Request::post(path)
        .header(header::HOST, authority)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "bantin-server")
        .header("x-bantin-event", &row.event)
        .header("x-bantin-delivery", row.id.to_string())
        .header("x-bantin-timestamp", timestamp.to_string())
        .header("x-bantin-signature", signature(secret, timestamp, &body))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| format!("connecting to {host}:{port}: {e}"))?;
    let status = if https {
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(
            host.trim_matches(['[', ']']).to_owned(),
        )
        .map_err(|e| format!("TLS name {host}: {e}"))?;
        let stream = tls()
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS with {host}: {e}"))?;
        post(stream, req).await?
    } else {
        post(tcp, req).await?
    };
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_covers_timestamp_and_body() {
        let a = signature("secret-0123456789", 1_700_000_000, b"{}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64, "{a}");
        assert_ne!(a, signature("secret-0123456789", 1_700_000_001, b"{}"));
        assert_ne!(a, signature("secret-0123456789", 1_700_000_000, b"{ }"));
    }
}
