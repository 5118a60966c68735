//! `GET /articles/{id}/comments?sort=newest|oldest|liked`: the orders,
//! cursors bound to their order and list, and paging that neither repeats
//! nor skips a comment while likes change and comments arrive.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

on_both_backends!(
    comment_sorts_order_top_level_comments_only,
    cursors_belong_to_their_order_and_list,
    liked_pages_stay_exact_while_likes_change,
    pages_stay_exact_under_concurrent_likes,
);

fn ids(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect()
}

async fn page(s: &Client, sort: &str, limit: u32, cursor: Option<&str>) -> Value {
    let mut path = format!("{}?sort={sort}&limit={limit}", comments_path(ARTICLE));
    if let Some(c) = cursor {
        path.push_str(&format!(
            "&cursor={}",
            bantin_protocol::paths::encode_query(c)
        ));
    }
    let r = s.get(&path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

/// Every page of `sort`, `limit` at a time: the ids in the order listed.
async fn all_pages(s: &Client, sort: &str, limit: u32) -> Vec<u64> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let p = page(s, sort, limit, cursor.as_deref()).await;
        out.extend(ids(&p));
        match p["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return out,
        }
    }
}

/// `n` likes of `comment` from the first `n` of `readers`.
async fn like_n(s: &Client, comment: u64, readers: &[String], n: usize) {
    for v in &readers[..n] {
        let r = set_like(s, ARTICLE, comment, v, true).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

async fn comment_sorts_order_top_level_comments_only(b: Backend) {
    let s = TestServer::start(b).await;
    let mut c = Vec::new();
    for i in 0..5 {
        c.push(posted(&s, ARTICLE, &format!("Bình luận {i}"), None).await.0);
    }
    let (r1, _) = posted(&s, ARTICLE, "Trả lời 1", Some(c[2])).await;
    let (r2, _) = posted(&s, ARTICLE, "Trả lời 2", Some(c[2])).await;
    let readers = s.visitors(3).await;
    like_n(&s, c[1], &readers, 3).await;
    like_n(&s, c[2], &readers, 3).await;
    like_n(&s, c[3], &readers, 1).await;
    like_n(&s, c[4], &readers, 1).await;
    // The most liked reply does not move its siblings: replies stay oldest first.
    like_n(&s, r2, &readers, 3).await;

    let newest: Vec<u64> = c.iter().rev().copied().collect();
    let oldest = c.clone();
    // Most liked first, ties newest first.
    let liked = vec![c[2], c[1], c[4], c[3], c[0]];
    for (sort, expected) in [("newest", &newest), ("oldest", &oldest), ("liked", &liked)] {
        let p = page(&s, sort, 100, None).await;
        assert_eq!(&ids(&p), expected, "{sort}");
        assert_eq!(p["next"], Value::Null);
        let with = p["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == c[2])
            .unwrap();
        let replies: Vec<u64> = with["replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect();
        assert_eq!(replies, [r1, r2], "{sort}");
        assert_eq!(with["likes"], 3);
        assert_eq!(with["replies"][1]["likes"], 3);
        for limit in [1, 2, 3] {
            assert_eq!(
                &all_pages(&s, sort, limit).await,
                expected,
                "{sort} by {limit}"
            );
        }
    }
    // No sort, or an empty one: newest first, as before sorting existed.
    assert_eq!(listed_ids(&s, ARTICLE).await, newest);
    let r = s
        .get(&format!("{}?sort=&limit=2", comments_path(ARTICLE)))
        .await;
    assert_eq!(ids(&r.json()), newest[..2]);
    for bad in ["top", "Liked", "newest,oldest", "%20newest"] {
        let r = s
            .get(&format!("{}?sort={bad}", comments_path(ARTICLE)))
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_parameter"),
            "{bad}"
        );
        assert_eq!(r.message(), "sort: must be newest, oldest or liked");
    }
}

async fn cursors_belong_to_their_order_and_list(b: Backend) {
    let s = TestServer::start(b).await;
    for i in 0..3 {
        posted(&s, ARTICLE, &format!("Bình luận {i}"), None).await;
        posted(&s, OTHER, &format!("Khác {i}"), None).await;
    }
    let mut cursors = Vec::new();
    for sort in ["newest", "oldest", "liked"] {
        let p = page(&s, sort, 1, None).await;
        cursors.push((sort, p["next"].as_str().unwrap().to_owned()));
    }
    let get = |sort: &str, article: &str, cursor: &str| {
        let path = format!(
            "{}?sort={sort}&limit=1&cursor={}",
            comments_path(article),
            bantin_protocol::paths::encode_query(cursor)
        );
        let s = s.clone_client();
        async move { s.get(&path).await }
    };
    for (made_for, cursor) in &cursors {
        assert_eq!(get(made_for, ARTICLE, cursor).await.status, 200);
        for sort in ["newest", "oldest", "liked"]
            .into_iter()
            .filter(|s| s != made_for)
        {
            let r = get(sort, ARTICLE, cursor).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (400, "invalid_parameter"),
                "{made_for} cursor as {sort}"
            );
            assert!(
                r.message()
                    .starts_with(&format!("cursor: belongs to the `{made_for}` order")),
                "{}",
                r.message()
            );
        }
        // Another article's list, an altered cursor, made-up ones.
        let r = get(made_for, OTHER, cursor).await;
        assert_eq!((r.status, r.code().as_str()), (400, "invalid_parameter"));
        let mut forged: Vec<String> = Vec::new();
        for (i, ch) in cursor.char_indices() {
            if ch.is_ascii_digit() {
                let mut f = cursor.clone();
                let d = if ch == '9' {
                    '0'
                } else {
                    (ch as u8 + 1) as char
                };
                f.replace_range(i..i + 1, &d.to_string());
                forged.push(f);
            }
        }
        forged.extend([
            format!("{cursor}0"),
            cursor[..cursor.len() - 1].to_owned(),
            cursor.replace('.', ":"),
            "l.0.0.999.0000000000000000".into(),
            "n.999".into(),
            "x".repeat(500),
        ]);
        for f in forged {
            let r = get(made_for, ARTICLE, &f).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (400, "invalid_parameter"),
                "{made_for} {f}"
            );
            assert!(r.message().starts_with("cursor: "), "{}", r.message());
        }
    }
    // A bare id, the cursor servers before sorting gave, still pages newest first.
    let newest = listed_ids(&s, ARTICLE).await;
    let r = get("newest", ARTICLE, &newest[0].to_string()).await;
    assert_eq!(ids(&r.json()), [newest[1]]);
    let r = get("oldest", ARTICLE, &newest[0].to_string()).await;
    assert_eq!(r.status, 400);
}

async fn liked_pages_stay_exact_while_likes_change(b: Backend) {
    let s = TestServer::start(b).await;
    let mut c = Vec::new();
    for i in 0..6 {
        c.push(posted(&s, ARTICLE, &format!("Bình luận {i}"), None).await.0);
    }
    let readers = s.visitors(10).await;
    // c0 has 6 likes, c1 5, …, c5 1.
    for (i, id) in c.iter().enumerate() {
        like_n(&s, *id, &readers, 6 - i).await;
    }
    let first = page(&s, "liked", 3, None).await;
    assert_eq!(ids(&first), c[..3]);
    let cursor = first["next"].as_str().unwrap().to_owned();

    // Now the order would be turned upside down: c5 rises to the top, c0
    // falls to the bottom, a new comment gets more likes than any.
    for v in &readers[1..] {
        assert_eq!(set_like(&s, ARTICLE, c[5], v, true).await.status, 200);
    }
    for v in &readers[..6] {
        assert_eq!(set_like(&s, ARTICLE, c[0], v, false).await.status, 200);
    }
    let (late, _) = posted(&s, ARTICLE, "Đến muộn", None).await;
    like_n(&s, late, &readers, 10).await;
    let live = page(&s, "liked", 100, None).await;
    assert_eq!(ids(&live), [late, c[5], c[1], c[2], c[3], c[4], c[0]]);

    // The pages of the first snapshot go on in its order: nothing of page 1
    // again, nothing skipped; the new comment had no likes at the snapshot.
    let second = page(&s, "liked", 3, Some(&cursor)).await;
    assert_eq!(ids(&second), c[3..6]);
    // The numbers shown are today's.
    assert_eq!(second["items"][2]["likes"], 10);
    let third = page(&s, "liked", 3, second["next"].as_str()).await;
    assert_eq!(ids(&third), [late]);
    assert_eq!(third["next"], Value::Null);
    let mut seen: Vec<u64> = [&first, &second, &third]
        .iter()
        .flat_map(|p| ids(p))
        .collect();
    seen.sort();
    let mut all = c.clone();
    all.push(late);
    assert_eq!(seen, all, "every comment once");

    // Newest and oldest first, with a comment added between the pages.
    for sort in ["newest", "oldest"] {
        let before = listed_ids(&s, ARTICLE).await;
        let first = page(&s, sort, 3, None).await;
        let (added, _) = posted(&s, ARTICLE, &format!("Thêm khi đọc {sort}"), None).await;
        let mut seen = ids(&first);
        let mut cursor = first["next"].as_str().map(str::to_owned);
        while let Some(cur) = cursor {
            let p = page(&s, sort, 3, Some(&cur)).await;
            seen.extend(ids(&p));
            cursor = p["next"].as_str().map(str::to_owned);
        }
        let unique: BTreeSet<u64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: repeated: {seen:?}");
        for id in &before {
            assert!(unique.contains(id), "{sort}: skipped {id}");
        }
        // Oldest first reaches the new one at the end; newest first began above it.
        assert_eq!(unique.contains(&added), sort == "oldest", "{sort}");
    }
}

/// Paging through the liked order while other readers like and unlike all
/// the time: every pass lists every comment exactly once.
async fn pages_stay_exact_under_concurrent_likes(b: Backend) {
    let s = TestServer::start(b).await;
    let mut c = Vec::new();
    for i in 0..10 {
        c.push(posted(&s, ARTICLE, &format!("Bình luận {i}"), None).await.0);
    }
    let readers = s.visitors(12).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut churn = Vec::new();
    for (n, v) in readers.iter().enumerate() {
        let (client, v, stop, c) = (s.clone_client(), v.clone(), stop.clone(), c.clone());
        churn.push(tokio::spawn(async move {
            let mut i = n;
            let mut changes = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let comment = c[(i * 7 + n) % c.len()];
                let like = i % 3 != 0;
                let r = set_like(&client, ARTICLE, comment, &v, like).await;
                assert_eq!(r.status, 200, "{}", r.body);
                i += 1;
                changes += 1;
            }
            changes
        }));
    }
    let expected: BTreeSet<u64> = c.iter().copied().collect();
    for pass in 0..4 {
        let seen = all_pages(&s, "liked", 2).await;
        let unique: BTreeSet<u64> = seen.iter().copied().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "pass {pass}: repeated in {seen:?}"
        );
        assert_eq!(unique, expected, "pass {pass}: {seen:?}");
    }
    stop.store(true, Ordering::Relaxed);
    let mut changes = 0;
    for t in churn {
        changes += t.await.unwrap();
    }
    assert!(changes > 0);
    let live = page(&s, "liked", 100, None).await;
    let shown: u64 = live["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["likes"].as_u64().unwrap())
        .sum();
    // Every like taken back: the counts kept with the comments went up and
    // down exactly with the likes.
    for v in &readers {
        for id in &c {
            assert_eq!(
                set_like(&s, ARTICLE, *id, v, false).await.json()["liked"],
                false
            );
        }
    }
    let after = page(&s, "liked", 100, None).await;
    let left: u64 = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["likes"].as_u64().unwrap())
        .sum();
    assert!(shown <= 12 * 10, "{shown}");
    assert_eq!(left, 0, "every like taken back");
}
