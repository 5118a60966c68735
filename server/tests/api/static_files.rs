//! Everything outside `/api/`: the widget's files.

use crate::common::*;

on_both_backends!(
    widget_files_are_served_with_mime_types,
    precompressed_copies_are_served_to_clients_that_accept_them,
    a_wrong_or_missing_copy_is_never_sent,
    symlinks_out_of_dist_are_not_followed,
    directory_redirects_never_leave_the_server,
    weak_and_listed_etags_revalidate,
);

async fn widget_files_are_served_with_mime_types(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get("/").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("Bantin"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));

    let r = s.get(&format!("/{WASM}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));

    let r = s.get("/bantin.js").await;
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let r = s.get("/images/a.svg").await;
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));

    let etag = s.get("/bantin.js").await.header("etag").unwrap().to_owned();
    let r = s
        .request("GET", "/bantin.js", &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(r.status, 304);
    let r = s.request("HEAD", &format!("/{WASM}"), &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("8"));

    for path in [
        "/missing.js",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/images/..%2f..%2fsecret.txt",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("outside dist"));
    }
    let r = s.request("POST", "/index.html", &[], None).await;
    assert_eq!(r.status, 405);
    let r = s.get("/images").await;
    assert_eq!(r.status, 301);
}

/// A JavaScript file long enough to be worth compressing.
fn script() -> String {
    "export const bantin = 'bình luận';\n".repeat(200)
}

fn brotli(data: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    out
}

fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    std::io::Write::write_all(&mut w, data).unwrap();
    w.finish().unwrap()
}

fn unbrotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(data, 4096), &mut out).unwrap();
    out
}

fn ungzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(data), &mut out).unwrap();
    out
}

fn set_mtime(path: &std::path::Path, ago: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(ago))
        .unwrap();
}

async fn get_encoded(s: &TestServer, path: &str, accept: &str) -> RawResp {
    let headers: &[(&str, &str)] = if accept.is_empty() {
        &[]
    } else {
        &[("accept-encoding", accept)]
    };
    s.request_raw("GET", path, headers, None).await
}

async fn precompressed_copies_are_served_to_clients_that_accept_them(b: Backend) {
    let s = TestServer::start(b).await;
    let dist = s.config.dist_dir.clone();
    let js = script();
    std::fs::write(dist.join("bantin.js"), &js).unwrap();
    // Copies made at other settings than the server's own, so the test can
    // tell them from what it would compress itself; both older than the file
    // (as after `cp -r`, or Debian's brotli truncating times).
    let (disk_br, disk_gz) = (brotli(js.as_bytes(), 4), gzip(js.as_bytes(), 1));
    std::fs::write(dist.join("bantin.js.br"), &disk_br).unwrap();
    std::fs::write(dist.join("bantin.js.gz"), &disk_gz).unwrap();
    for copy in ["bantin.js.br", "bantin.js.gz"] {
        set_mtime(&dist.join(copy), 3600);
    }

    let r = get_encoded(&s, "/bantin.js", "gzip, deflate, br").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(r.body, disk_br, "the right copy is used whatever its time");
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let br_etag = r.header("etag").unwrap().to_owned();

    let r = get_encoded(&s, "/bantin.js", "gzip").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.body, disk_gz);
    assert_ne!(r.header("etag"), Some(br_etag.as_str()));
    let r = get_encoded(&s, "/bantin.js", "GZIP;q=0.5, br;q=0").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));

    for accept in ["", "identity", "br;q=0, gzip;q=0"] {
        let r = get_encoded(&s, "/bantin.js", accept).await;
        assert_eq!(r.body, js.as_bytes(), "{accept:?}");
        assert_eq!(r.header("content-encoding"), None, "{accept:?}");
    }
    let r = s
        .request("HEAD", "/bantin.js", &[("accept-encoding", "br")], None)
        .await;
    assert_eq!(
        r.header("content-length"),
        Some(disk_br.len().to_string().as_str())
    );
    assert_eq!(r.header("content-encoding"), Some("br"));

    // Type and caching are those of the file asked for, not of its copy.
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(7u8, 4000))
        .collect();
    std::fs::write(dist.join(WASM), &wasm).unwrap();
    std::fs::write(dist.join(format!("{WASM}.br")), brotli(&wasm, 5)).unwrap();
    let r = get_encoded(&s, &format!("/{WASM}"), "br").await;
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(unbrotli(&r.body), wasm);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));
}

async fn a_wrong_or_missing_copy_is_never_sent(b: Backend) {
    let s = TestServer::start(b).await;
    let dist = s.config.dist_dir.clone();
    let js = script();
    std::fs::write(dist.join("bantin.js"), &js).unwrap();
    // Copies of an older build, newer than the file: never sent.
    let old = js.replace("bình luận", "old build");
    std::fs::write(dist.join("bantin.js.br"), brotli(old.as_bytes(), 11)).unwrap();
    std::fs::write(dist.join("bantin.js.gz"), b"not gzip at all").unwrap();
    set_mtime(&dist.join("bantin.js"), 3600);
    let r = get_encoded(&s, "/bantin.js", "br").await;
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        unbrotli(&r.body),
        js.as_bytes(),
        "compressed from the file itself"
    );
    let r = get_encoded(&s, "/bantin.js", "gzip").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(ungzip(&r.body), js.as_bytes());

    // No copy at all (a plain `trunk build`): still compressed.
    std::fs::write(dist.join("app.css"), "body { color: red }\n".repeat(100)).unwrap();
    let r = get_encoded(&s, "/app.css", "gzip, br").await;
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        unbrotli(&r.body),
        "body { color: red }\n".repeat(100).as_bytes()
    );
    assert_eq!(r.header("content-type"), Some("text/css; charset=utf-8"));

    // The file changes (same length, new content): the old copies go.
    let js2 = js.replace("bình luận", "bình_luận");
    assert_eq!(js2.len(), js.len());
    std::fs::write(dist.join("bantin.js"), &js2).unwrap();
    let r = get_encoded(&s, "/bantin.js", "br").await;
    assert_eq!(unbrotli(&r.body), js2.as_bytes());

    // Images are already compressed: sent as they are.
    std::fs::write(dist.join("images/p.png"), vec![1u8; 5000]).unwrap();
    let r = get_encoded(&s, "/images/p.png", "br, gzip").await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body.len(), 5000);
}

async fn symlinks_out_of_dist_are_not_followed(b: Backend) {
    let s = TestServer::start(b).await;
    let dist = s.config.dist_dir.clone();
    let outside = s.dir.path().join("secret.txt");
    std::os::unix::fs::symlink(&outside, dist.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(s.dir.path(), dist.join("up")).unwrap();
    // Inside dist/ a link is fine.
    std::os::unix::fs::symlink(dist.join("bantin.js"), dist.join("entry.js")).unwrap();
    for path in [
        "/leak.txt",
        "/up/secret.txt",
        "/up/",
        "/up/articles/other-article.json",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("outside dist"), "{path}");
    }
    let r = s.get("/entry.js").await;
    assert_eq!((r.status, r.body.as_str()), (200, "export default 1;"));
    // A precompressed "copy" that is a link out of dist/ is not read either.
    std::fs::write(dist.join("bantin.js"), script()).unwrap();
    std::os::unix::fs::symlink(&outside, dist.join("bantin.js.gz")).unwrap();
    let r = get_encoded(&s, "/bantin.js", "gzip").await;
    assert_eq!(ungzip(&r.body), script().as_bytes());
}

/// A directory asked for with slashes doubled (`//images`, sent as is) is
/// redirected to its path with one slash: `Location: //images/` would send
/// the browser to the host `images`.
async fn directory_redirects_never_leave_the_server(b: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start(b).await;
    std::fs::create_dir_all(s.config.dist_dir.join("admin")).unwrap();
    for (path, location) in [
        ("/images", "/images/"),
        ("//images", "/images/"),
        ("///images", "/images/"),
        ("//admin", "/admin/"),
        ("//images//", ""),
    ] {
        let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            s.addr
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("an answer")
        .unwrap();
        let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        let sent = answer
            .lines()
            .find_map(|l| l.strip_prefix("location:"))
            .map(str::trim);
        if location.is_empty() {
            assert!(sent.is_none(), "{path}: {answer}");
        } else {
            assert!(answer.starts_with("http/1.1 301"), "{path}: {answer}");
            assert_eq!(sent, Some(location), "{path}: {answer}");
        }
    }
}

/// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"<etag>"`, the
/// tag in a list, and `*` all revalidate a widget file (304).
async fn weak_and_listed_etags_revalidate(b: Backend) {
    let s = TestServer::start(b).await;
    for path in ["/bantin.js", "/images/a.svg"] {
        let etag = s.get(path).await.header("etag").unwrap().to_owned();
        let weak = format!("W/{etag}");
        let listed = format!("\"other\", W/{etag}");
        for given in [etag.as_str(), &weak, &listed, "*"] {
            let r = s
                .request("GET", path, &[("if-none-match", given)], None)
                .await;
            assert_eq!(r.status, 304, "{path} {given}");
            assert!(r.body.is_empty());
        }
        let r = s
            .request(
                "GET",
                path,
                &[("if-none-match", "\"other\", W/\"b\"")],
                None,
            )
            .await;
        assert_eq!(r.status, 200);
    }
}
