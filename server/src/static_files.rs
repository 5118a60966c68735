//! Serves the built widget (`dist/`) on the API's address, so one command
//! runs the whole system: content types, caching, and compressed copies that
//! are checked by content, never trusted by their file times ([`StaticFiles`]).

use crate::extract::percent_decode;
use axum::body::Body;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

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

/// Types worth compressing (text, and wasm, which compresses 3:1).
fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || matches!(
            mime,
            "application/wasm"
                | "application/json"
                | "application/xml"
                | "application/manifest+json"
                | "image/svg+xml"
        )
}

/// Files larger than this are served as they are (never held in memory).
const COMPRESS_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// What the compressed copies held in memory may add up to.
const CACHE_MAX_BYTES: usize = 128 * 1024 * 1024;

/// The identity of a file's version as far as the cache cares: its length and
/// modification time (any change makes a new version), or `None` when absent.
type Stamp = Option<(u64, Option<SystemTime>)>;

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    Some((meta.len(), meta.modified().ok()))
}

/// The compressed copies of one version of a file.
struct Packed {
    /// Stamps of the file and of its `.br` and `.gz` siblings when this was made.
    stamps: [Stamp; 3],
    br: Option<Bytes>,
    gz: Option<Bytes>,
}

impl Packed {
    fn size(&self) -> usize {
        self.br.as_ref().map_or(0, Bytes::len) + self.gz.as_ref().map_or(0, Bytes::len)
    }
}

/// The built widget's files with their compressed copies, judged by content.
///
/// A `.br`/`.gz` sibling written by `cargo xtask build` is used only after it
/// was decompressed once and found equal, byte for byte, to the file (file
/// times say nothing: `cp -r` drops them, Debian's `brotli` truncates them).
/// When it is missing or differs, the file is compressed in memory instead
/// (brotli 11 / gzip 9, once per version of the file). Either way the copies
/// are kept in memory, keyed by the (length, modification time) of the file
/// and of its siblings, so a changed file is looked at again.
pub struct StaticFiles {
    root: PathBuf,
    cache: Mutex<(HashMap<PathBuf, Arc<Packed>>, usize)>,
}

impl StaticFiles {
    pub fn new(root: PathBuf) -> Self {
        StaticFiles {
            root,
            cache: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// Prepares the compressed copies of every compressible file (in the
    /// background at start, so that the first reader does not wait for brotli).
    pub fn warm(&self) {
        let mut stack = vec![self.root.clone()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                seen += 1;
                if seen > 10_000 {
                    return;
                }
                let name = entry.file_name();
                let Some(name) = name.to_str() else { continue };
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                // Never follows symlinks; hidden files are never served.
                if name.starts_with('.') || kind.is_symlink() {
                    continue;
                }
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file()
                    && !name.ends_with(".br")
                    && !name.ends_with(".gz")
                    && compressible(mime_for(&path))
                {
                    let _ = self.packed(&path);
                }
            }
        }
    }

    /// The compressed copies of `path` (a regular file inside the root), made
    /// or checked now if the cache has none for its current version.
    fn packed(&self, path: &Path) -> std::io::Result<Arc<Packed>> {
        let sibling = |ext: &str| {
            let mut p = path.as_os_str().to_owned();
            p.push(".");
            p.push(ext);
            PathBuf::from(p)
        };
        let (br_path, gz_path) = (sibling("br"), sibling("gz"));
        // A sibling counts only as a regular file (not a symlink).
        let sibling_stamp = |p: &Path| {
            std::fs::symlink_metadata(p)
                .ok()
                .filter(|m| m.is_file())
                .and_then(|m| stamp(&m))
        };
        let mut file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let stamps = [
            stamp(&meta),
            sibling_stamp(&br_path),
            sibling_stamp(&gz_path),
        ];
        if let Some(hit) = self.lock().0.get(path).filter(|p| p.stamps == stamps) {
            return Ok(hit.clone());
        }
        let mut raw = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut raw)?;
        if raw.len() as u64 != meta.len() {
            return Err(std::io::Error::other("the file changed while being read"));
        }
        let verified = |p: &Path, decode: fn(&[u8], usize) -> Option<Vec<u8>>| {
            let packed = std::fs::read(p).ok()?;
            (decode(&packed, raw.len())? == raw).then(|| Bytes::from(packed))
        };
        let smaller = |b: Vec<u8>| (b.len() < raw.len()).then(|| Bytes::from(b));
        let br = match stamps[1].and_then(|_| verified(&br_path, brotli_decode)) {
            Some(disk) => Some(disk),
            None => {
                if stamps[1].is_some() {
                    tracing::warn!(file = %br_path.display(), "precompressed copy differs from its file: not used");
                }
                smaller(brotli_encode(&raw))
            }
        };
        let gz = match stamps[2].and_then(|_| verified(&gz_path, gzip_decode)) {
            Some(disk) => Some(disk),
            None => {
                if stamps[2].is_some() {
                    tracing::warn!(file = %gz_path.display(), "precompressed copy differs from its file: not used");
                }
                smaller(gzip_encode(&raw))
            }
        };
        let packed = Arc::new(Packed { stamps, br, gz });
        let mut cache = self.lock();
        let (map, total) = &mut *cache;
        if let Some(old) = map.remove(path) {
            *total -= old.size();
        }
        if *total + packed.size() <= CACHE_MAX_BYTES {
            *total += packed.size();
            map.insert(path.to_path_buf(), packed.clone());
        }
        Ok(packed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (HashMap<PathBuf, Arc<Packed>>, usize)> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn brotli_encode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 3 + 64);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        let _ = w.write_all(raw);
    }
    out
}

fn gzip_encode(raw: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = w.write_all(raw);
    w.finish().unwrap_or_default()
}

/// Decodes at most `expected + 1` bytes, so a copy that decompresses to
/// something huge costs no more than the file itself.
fn brotli_decode(packed: &[u8], expected: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(packed, 64 * 1024)
        .take(expected as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn gzip_decode(packed: &[u8], expected: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(packed)
        .take(expected as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Whether `path` is inside `root` once every symlink is resolved: a link in
/// `dist/` pointing out of it is not followed.
async fn stays_inside(root: &Path, path: &Path) -> bool {
    match (
        tokio::fs::canonicalize(root).await,
        tokio::fs::canonicalize(path).await,
    ) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// Where a directory asked for without its trailing slash is redirected:
/// its path with one slash between segments. The raw path would not do: a
/// `Location: //images/` (asked as `//images`) is another host to a browser.
fn directory_location(raw: &str) -> String {
    let mut location = String::with_capacity(raw.len() + 1);
    for segment in raw.split('/').filter(|s| !s.is_empty()) {
        location.push('/');
        location.push_str(segment);
    }
    location.push('/');
    location
}

/// Whether `If-None-Match` names `etag`: `*`, or any tag of its list
/// (several headers too) that equals it by the weak comparison RFC 9110
/// §13.1.2 prescribes for it (`W/"…"` matches `"…"`).
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let etag = etag.strip_prefix("W/").unwrap_or(etag);
    if_none_match(headers)
        .any(|given| given == "*" || given.strip_prefix("W/").unwrap_or(given) == etag)
}

/// The entity tags of every `If-None-Match` header, as the client wrote them.
pub(crate) fn if_none_match(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

pub async fn serve(
    files: &Arc<StaticFiles>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let root = &files.root;
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(mut path) = resolve(root, uri) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    if !stays_inside(root, &path).await {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    let mut meta = tokio::fs::metadata(&path).await;
    if meta.as_ref().is_ok_and(|m| m.is_dir()) {
        if !uri.path().ends_with('/') {
            let location = directory_location(uri.path());
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        path.push("index.html");
        if !stays_inside(root, &path).await {
            return plain(StatusCode::NOT_FOUND, "not found\n");
        }
        meta = tokio::fs::metadata(&path).await;
    }
    let meta = match meta {
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
    let wants_br = accepts(headers, "br");
    let wants_gz = accepts(headers, "gzip");
    let mut body: Option<(Bytes, &'static str)> = None;
    if (wants_br || wants_gz) && compressible(mime) && meta.len() <= COMPRESS_MAX_BYTES {
        let (files, file) = (files.clone(), path.clone());
        if let Ok(Ok(packed)) = tokio::task::spawn_blocking(move || files.packed(&file)).await {
            body = match (&packed.br, &packed.gz) {
                (Some(br), _) if wants_br => Some((br.clone(), "br")),
                (_, Some(gz)) if wants_gz => Some((gz.clone(), "gzip")),
                _ => None,
            };
        }
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let encoding = body.as_ref().map(|(_, e)| *e);
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
    if none_match(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let length = body.as_ref().map_or(meta.len(), |(b, _)| b.len() as u64);
    if method == Method::HEAD {
        let mut r = (StatusCode::OK, common).into_response();
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        return r;
    }
    if let Some((bytes, _)) = body {
        return (StatusCode::OK, common, Body::from(bytes)).into_response();
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

    #[test]
    fn directory_redirects_stay_on_the_server() {
        assert_eq!(directory_location("/images"), "/images/");
        assert_eq!(directory_location("//images"), "/images/");
        assert_eq!(directory_location("///admin"), "/admin/");
        assert_eq!(directory_location("//a//b"), "/a/b/");
        assert_eq!(directory_location("/%2F%2Fx"), "/%2F%2Fx/");
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let with = |values: &[&'static str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(header::IF_NONE_MATCH, HeaderValue::from_static(v));
            }
            none_match(&h, "\"1f-2a\"")
        };
        assert!(with(&["\"1f-2a\""]));
        assert!(with(&["W/\"1f-2a\""]));
        assert!(with(&["\"a\", W/\"1f-2a\""]));
        assert!(with(&["\"a\"", "W/\"1f-2a\""]));
        assert!(with(&["*"]));
        for other in [
            "\"1f-2ab\"",
            "1f-2a",
            "W/1f-2a",
            "\"a\", W/\"b\"",
            "w/\"1f-2a\"",
            "",
        ] {
            assert!(!with(&[other]), "{other}");
        }
        assert!(!with(&[]));
    }

    #[test]
    fn codecs_round_trip_and_bound_the_output() {
        let raw = "Bantin bình luận ".repeat(500).into_bytes();
        let br = brotli_encode(&raw);
        let gz = gzip_encode(&raw);
        assert!(br.len() < raw.len() / 10 && gz.len() < raw.len() / 10);
        assert_eq!(brotli_decode(&br, raw.len()).unwrap(), raw);
        assert_eq!(gzip_decode(&gz, raw.len()).unwrap(), raw);
        // A copy of something longer decodes to at most one byte more.
        assert_eq!(brotli_decode(&br, 10).unwrap().len(), 11);
        assert_eq!(gzip_decode(&gz, 10).unwrap().len(), 11);
        assert!(brotli_decode(b"not brotli at all", 100).is_none_or(|d| d != raw));
        assert!(gzip_decode(b"not gzip", 100).is_none());
    }
}
