//! Everything outside `/api/`: the widget's files.

use crate::common::*;

on_both_backends!(
    widget_files_are_served_with_mime_types,
    precompressed_copies_are_served_to_clients_that_accept_them,
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

async fn precompressed_copies_are_served_to_clients_that_accept_them(b: Backend) {
    let s = TestServer::start(b).await;
    let dist = s.config.dist_dir.clone();
    // The server never decodes them: markers are enough to tell which file went out.
    std::fs::write(dist.join("bantin.js.br"), "BROTLI").unwrap();
    std::fs::write(dist.join("bantin.js.gz"), "GZIP").unwrap();
    let get = |accept: &'static str| {
        let s = &s;
        async move {
            let headers: &[(&str, &str)] = if accept.is_empty() {
                &[]
            } else {
                &[("accept-encoding", accept)]
            };
            s.request("GET", "/bantin.js", headers, None).await
        }
    };
    let r = get("gzip, deflate, br").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "BROTLI");
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let br_etag = r.header("etag").unwrap().to_owned();

    let r = get("gzip").await;
    assert_eq!(r.body, "GZIP");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_ne!(r.header("etag"), Some(br_etag.as_str()));

    for accept in ["", "identity", "br;q=0, gzip;q=0"] {
        let r = get(accept).await;
        assert_eq!(r.body, "export default 1;", "{accept:?}");
        assert_eq!(r.header("content-encoding"), None, "{accept:?}");
    }
    let r = s
        .request("HEAD", "/bantin.js", &[("accept-encoding", "br")], None)
        .await;
    assert_eq!(r.header("content-length"), Some("6"));

    // Type and caching are those of the file asked for, not of its copy.
    std::fs::write(dist.join(format!("{WASM}.br")), "WASM-BROTLI").unwrap();
    let r = s
        .request(
            "GET",
            &format!("/{WASM}"),
            &[("accept-encoding", "br")],
            None,
        )
        .await;
    assert_eq!(r.body, "WASM-BROTLI");
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));

    // A copy older than its file (a rebuild that did not compress) is stale.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for stale in ["bantin.js.br", "bantin.js.gz"] {
        let f = std::fs::File::options()
            .write(true)
            .open(dist.join(stale))
            .unwrap();
        f.set_modified(old).unwrap();
    }
    let r = get("gzip, br").await;
    assert_eq!(r.body, "export default 1;");
    assert_eq!(r.header("content-encoding"), None);
}
