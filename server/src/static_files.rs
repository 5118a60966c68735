//! Serves the built widget (`dist/`) on the API's address, so one command
//! runs the whole system.

use crate::extract::percent_decode;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// MIME type by file extension; `application/wasm` matters for streaming compilation.
pub fn mime_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// trunk names build outputs `name-<16 hex digits>.ext`: those never change.
fn is_hashed(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The file under `root` that `uri` names, refusing anything that could leave it.
fn resolve(root: &Path, uri: &Uri) -> Option<PathBuf> {
    let decoded = percent_decode(&uri.path().replace('+', "%2B"))?;
    let mut path = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "."
            || segment == ".."
            || segment.starts_with('.')
            || segment.contains(['\\', '\0', ':'])
        {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Whether `Accept-Encoding` allows `coding` (listed with a q above 0).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut params = item.split(';').map(str::trim);
            let name = params.next().unwrap_or("");
            let q = params
                .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
            name.eq_ignore_ascii_case(coding) && q.is_some_and(|q| q > 0.0)
        })
}

pub async fn serve(root: &Path, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(mut path) = resolve(root, uri) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let mut meta = tokio::fs::metadata(&path).await;
    if meta.as_ref().is_ok_and(|m| m.is_dir()) {
        if !uri.path().ends_with('/') {
            let location = format!("{}/", uri.path());
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        path.push("index.html");
        meta = tokio::fs::metadata(&path).await;
    }
    let mut meta = match meta {
        Ok(m) if m.is_file() => m,
        _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
    };
    // Type and caching follow the file asked for, whichever copy is sent.
    let mime = mime_for(&path);
    let cache = if is_hashed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    // A precompressed copy written by `cargo xtask build` (`x.wasm.br`), used
    // when the client accepts it and it is not older than the file itself.
    let mut encoding = None;
    for (name, ext) in [("br", "br"), ("gzip", "gz")] {
        if !accepts(headers, name) {
            continue;
        }
        let mut packed = path.clone().into_os_string();
        packed.push(".");
        packed.push(ext);
        if let Ok(m) = tokio::fs::metadata(&packed).await {
            if m.is_file() && m.modified().ok() >= meta.modified().ok() {
                (path, meta, encoding) = (packed.into(), m, Some(name));
                break;
            }
        }
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!(
        "\"{:x}-{:x}{}\"",
        meta.len(),
        modified,
        encoding.unwrap_or("")
    );
    let mut common = HeaderMap::new();
    common.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    common.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        common.insert(header::ETAG, tag);
    }
    common.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    common.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(name) = encoding {
        common.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    if method == Method::HEAD {
        let mut r = (StatusCode::OK, common).into_response();
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(meta.len()));
        return r;
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => (StatusCode::OK, common, Body::from(bytes)).into_response(),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_and_hash_detection() {
        assert_eq!(mime_for(Path::new("a/b_bg.wasm")), "application/wasm");
        assert_eq!(
            mime_for(Path::new("x.JS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(mime_for(Path::new("x")), "application/octet-stream");
        assert!(is_hashed(Path::new("bantin-b894a9bfd5333eb5_bg.wasm")));
        assert!(is_hashed(Path::new("bantin-b894a9bfd5333eb5.js")));
        assert!(!is_hashed(Path::new("bantin.js")));
        assert!(!is_hashed(Path::new("ky-anh-2022-11-15.json")));
    }

    #[test]
    fn accept_encoding_is_read_with_its_q_values() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            h
        };
        assert!(accepts(&with("gzip, deflate, br"), "br"));
        assert!(accepts(&with("gzip, deflate, br"), "gzip"));
        assert!(accepts(&with("GZIP;q=0.5"), "gzip"));
        assert!(!accepts(&with("gzip;q=0, br"), "gzip"));
        assert!(!accepts(&with("br;q=0.0"), "br"));
        assert!(!accepts(&with("gzip"), "br"));
        assert!(!accepts(&with("identity"), "gzip"));
        assert!(!accepts(&with("brotli"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn traversal_is_refused() {
        let root = Path::new("/srv/dist");
        let ok = |p: &str| resolve(root, &p.parse().unwrap());
        assert_eq!(ok("/a/b.js"), Some(PathBuf::from("/srv/dist/a/b.js")));
        assert_eq!(ok("/"), Some(PathBuf::from("/srv/dist")));
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/x",
            "/.git/config",
            "/a%5C..%5Cb",
            "/%00",
        ] {
            assert_eq!(ok(bad), None, "{bad}");
        }
    }
}
