//! `GET /articles/{id}`: the article file, validated, with live numbers; unknown ids.

use crate::common::*;

on_both_backends!(
    article_is_served_validated_with_live_numbers,
    unknown_or_invalid_article_is_404_and_broken_file_is_500,
    any_article_mode_accepts_ids_without_files,
    the_article_is_compressed_as_the_browser_accepts,
);

/// On a phone the article document is on the way to the first paint: sent
/// brotli (or gzip) when the browser says so, plain otherwise.
async fn the_article_is_compressed_as_the_browser_accepts(b: Backend) {
    let s = TestServer::start(b).await;
    let path = format!("/api/v1/articles/{ARTICLE}");
    let plain = s.request_raw("GET", &path, &[], None).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    let br = s
        .request_raw(
            "GET",
            &path,
            &[("accept-encoding", "gzip, deflate, br, zstd")],
            None,
        )
        .await;
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert!(br
        .header("vary")
        .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")));
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut br.body.as_slice(), &mut unpacked).unwrap();
    assert_eq!(unpacked, plain.body);
    let gz = s
        .request_raw("GET", &path, &[("accept-encoding", "gzip")], None)
        .await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
}

async fn article_is_served_validated_with_live_numbers(b: Backend) {
    let s = TestServer::start(b).await;
    let r = s.get(&format!("/api/v1/articles/{ARTICLE}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let a = r.json();
    assert_eq!(a["id"], ARTICLE);
    assert_eq!(a["blocks"][0]["text"], "Đoạn một.");
    // The file's numbers are replaced by the database's.
    assert_eq!(a["rating"]["count"], 0);
    assert_eq!(a["counters"]["total_visits"], 0);

    let v1 = s.visitor().await;
    assert_eq!(s.vote(ARTICLE, &v1, 5).await.status, 200);
    assert_eq!(s.visit(&v1, "s1").await.status, 200);
    let a = s.get(&format!("/api/v1/articles/{ARTICLE}")).await.json();
    assert_eq!(a["rating"]["count"], 1);
    assert_eq!(a["rating"]["average"], 5.0);
    assert_eq!(a["counters"]["total_visits"], 1);
    assert_eq!(a["counters"]["online"], 1);
}

async fn unknown_or_invalid_article_is_404_and_broken_file_is_500(b: Backend) {
    let s = TestServer::start(b).await;
    for path in [
        "/api/v1/articles/no-such-article",
        "/api/v1/articles/bad%20id",
        "/api/v1/articles/..",
        "/api/v1/articles/no-such-article/rating",
        "/api/v1/articles/no-such-article/comments",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(r.code(), "article_not_found", "{path}");
    }
    let v = s.visitor().await;
    let r = s.vote("no-such-article", &v, 3).await;
    assert_eq!((r.status, r.code().as_str()), (404, "article_not_found"));
    // The server's own broken data is its fault, not the client's.
    let r = s.get("/api/v1/articles/broken").await;
    assert_eq!((r.status, r.code().as_str()), (500, "internal"));
    assert!(
        !r.body.contains("broken.json"),
        "no internals leak: {}",
        r.body
    );
}

async fn any_article_mode_accepts_ids_without_files(b: Backend) {
    let s = TestServer::start_with(b, |c| c.any_article = true).await;
    let v = s.visitor().await;
    let r = s.vote("portal-article-42", &v, 2).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["count"], 1);
    let r = s.get("/api/v1/articles/portal-article-42").await;
    assert_eq!(r.status, 404);
}
