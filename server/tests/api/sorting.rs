//! `GET /articles/{id}/comments?sort=newest|oldest|liked`: the orders,
//! cursors bound to their order and list, and paging that neither repeats
//! nor skips a comment while likes change and comments arrive; comments
//! imported from an older portal (new ids, old times) listed by their time,
//! and the cursors of the servers that ordered by id still read.

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
    imported_old_comments_list_by_their_time,
    comments_of_one_time_are_ordered_by_id,
    cursors_of_before_still_page_by_time,
    imported_likes_count_in_the_liked_order,
    imported_liked_pages_stay_exact_while_likes_change,
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

/// Imports `comments` (`(old id, parent's old id, body, created_at)`) into
/// ARTICLE; their new ids by body.
async fn import_old(
    s: &TestServer,
    comments: &[(u64, Option<u64>, &str, i64)],
) -> std::collections::HashMap<String, u64> {
    let comments: Vec<Value> = comments
        .iter()
        .map(|(id, parent, body, at)| {
            serde_json::json!({"id": id, "article_id": ARTICLE, "parent_id": parent,
                "author": "Cũ", "body": body, "status": "published", "created_at": at})
        })
        .collect();
    import_values(s, comments).await
}

/// Imports top-level `comments` (`(old id, body, created_at, likes)`) into
/// ARTICLE with the like counts they had; their new ids by body.
async fn import_liked(
    s: &TestServer,
    comments: &[(u64, &str, i64, i64)],
) -> std::collections::HashMap<String, u64> {
    let comments: Vec<Value> = comments
        .iter()
        .map(|(id, body, at, likes)| {
            serde_json::json!({"id": id, "article_id": ARTICLE, "author": "Cũ", "body": body,
                "status": "published", "created_at": at, "likes": likes})
        })
        .collect();
    import_values(s, comments).await
}

/// Imports `comments` (an export's objects); every comment's id by body.
async fn import_values(
    s: &TestServer,
    comments: Vec<Value>,
) -> std::collections::HashMap<String, u64> {
    let n = comments.len();
    let doc = serde_json::json!({"format": "bantin-export", "version": 1, "comments": comments});
    let r = s.admin_json("POST", "/api/v1/admin/import", &doc).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["comments"], n);
    let all = s
        .admin("GET", "/api/v1/admin/export?what=comments")
        .await
        .json();
    all["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["body"].as_str().unwrap().to_owned(),
                c["id"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// 2017, 2018, 2019: years before the comments of today.
const YEAR: i64 = 365 * 86_400;
const OLD: i64 = 1_483_228_800;

fn reply_ids(page: &Value, parent: u64) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == parent)
        .unwrap()["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect()
}

/// Comments imported from an old portal after Bantin has been running get
/// ids above today's but keep their time: `newest` lists them below
/// today's, `oldest` above, in every page size (each once), and their
/// replies (inline and from the replies endpoint) are in time order too,
/// whatever order the file gave them their ids in.
async fn imported_old_comments_list_by_their_time(b: Backend) {
    let s = TestServer::start(b).await;
    let mut today = Vec::new();
    for i in 0..3 {
        today.push(posted(&s, ARTICLE, &format!("Hôm nay {i}"), None).await.0);
    }
    // The file's ids are not in time order: 20 is the oldest comment, and
    // reply 31 came before reply 30.
    let new = import_old(
        &s,
        &[
            (10, None, "Năm 2018", OLD + YEAR),
            (20, None, "Năm 2017", OLD),
            (25, None, "Năm 2019", OLD + 2 * YEAR),
            (30, Some(10), "Trả lời sau", OLD + YEAR + 200),
            (31, Some(10), "Trả lời trước", OLD + YEAR + 100),
        ],
    )
    .await;
    let (y2017, y2018, y2019) = (new["Năm 2017"], new["Năm 2018"], new["Năm 2019"]);
    let (early, late) = (new["Trả lời trước"], new["Trả lời sau"]);
    assert!(y2017 > today[2] && early > late, "{new:?}");
    // Today's reply to the 2018 comment comes after its old ones.
    let (now_reply, _) = posted(&s, ARTICLE, "Trả lời hôm nay", Some(y2018)).await;

    let newest = vec![today[2], today[1], today[0], y2019, y2018, y2017];
    let oldest: Vec<u64> = newest.iter().rev().copied().collect();
    for (sort, expected) in [("newest", &newest), ("oldest", &oldest), ("liked", &newest)] {
        let p = page(&s, sort, 100, None).await;
        assert_eq!(&ids(&p), expected, "{sort}");
        assert_eq!(reply_ids(&p, y2018), [early, late, now_reply], "{sort}");
        for limit in [1, 2, 4] {
            let all = all_pages(&s, sort, limit).await;
            assert_eq!(&all, expected, "{sort} by {limit}");
        }
    }
    assert_eq!(listed_ids(&s, ARTICLE).await, newest);
    // The replies endpoint: one at a time, by time, its cursor the last id
    // shown (as the widget passes it).
    let mut got = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = bantin_protocol::paths::Endpoints::new("/api/v1").replies(
            ARTICLE,
            y2018,
            1,
            cursor.as_deref(),
        );
        let r = s.get(&path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let p = r.json();
        got.extend(ids(&p));
        match p["next"].as_str() {
            Some(next) => {
                assert_eq!(next, got.last().unwrap().to_string());
                cursor = Some(next.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(got, [early, late, now_reply]);
}

/// Comments of the same second are ordered by id, in both directions and
/// across pages (the cursor's time alone would repeat or skip them).
async fn comments_of_one_time_are_ordered_by_id(b: Backend) {
    let s = TestServer::start(b).await;
    let (a, _) = posted(&s, ARTICLE, "Hôm nay", None).await;
    let new = import_old(
        &s,
        &[
            (1, None, "Cùng giây 1", OLD),
            (2, None, "Cùng giây 2", OLD),
            (3, None, "Cùng giây 3", OLD),
            (4, None, "Cùng giây 4", OLD),
            (5, None, "Trước đó", OLD - 1),
        ],
    )
    .await;
    let same: Vec<u64> = (1..=4).map(|i| new[&format!("Cùng giây {i}")]).collect();
    let before = new["Trước đó"];
    let newest = vec![a, same[3], same[2], same[1], same[0], before];
    let oldest: Vec<u64> = newest.iter().rev().copied().collect();
    for (sort, expected) in [("newest", &newest), ("oldest", &oldest), ("liked", &newest)] {
        for limit in [1, 2, 3, 100] {
            assert_eq!(
                &all_pages(&s, sort, limit).await,
                expected,
                "{sort} by {limit}"
            );
        }
    }
}

/// The `next` of a server that ordered by id, `HMAC(cursor key, article ‖
/// NUL ‖ body)` as it signed it.
fn cursor_of_before(body: &str) -> String {
    use hmac::{Hmac, Mac};
    let hmac = |key: &[u8], data: &[u8]| {
        let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).unwrap();
        m.update(data);
        m.finalize().into_bytes().to_vec()
    };
    let key = hmac(KEY, b"bantin comment cursor key v1");
    let mac: String = hmac(&key, format!("{ARTICLE}\0{body}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{body}.{}", &mac[..16])
}

/// Cursors handed out before the lists were ordered by time (`n.<id>.<mac>`,
/// `o.<id>.<mac>`, `l.<snapshot>.<likes>.<id>.<mac>`, a bare id) continue
/// after their comment in the order by time, also when that comment was
/// deleted since; today's cursors carry the time, and an altered one is
/// still refused.
async fn cursors_of_before_still_page_by_time(b: Backend) {
    let s = TestServer::start(b).await;
    let mut t = Vec::new();
    for i in 0..4 {
        t.push(posted(&s, ARTICLE, &format!("Hôm nay {i}"), None).await.0);
    }
    let new = import_old(
        &s,
        &[
            (1, None, "Năm 2017", OLD),
            (2, None, "Năm 2018", OLD + YEAR),
        ],
    )
    .await;
    let (i1, i2) = (new["Năm 2017"], new["Năm 2018"]);
    let rest = |p: &Value| ids(p);
    // Newest: t3 t2 t1 t0 i2 i1. After t2: t1 t0 i2 i1, however spelled.
    let after_t2 = vec![t[1], t[0], i2, i1];
    for (sort, cursor) in [
        ("newest", cursor_of_before(&format!("n.{}", t[2]))),
        ("newest", t[2].to_string()),
        ("liked", cursor_of_before(&format!("l.0.0.{}", t[2]))),
    ] {
        let p = page(&s, sort, 100, Some(&cursor)).await;
        assert_eq!(rest(&p), after_t2, "{sort} {cursor}");
    }
    // Oldest: i1 i2 t0 t1 t2 t3. After i2: t0 t1 t2 t3; by two, no repeats.
    let c = cursor_of_before(&format!("o.{i2}"));
    let p = page(&s, "oldest", 2, Some(&c)).await;
    assert_eq!(rest(&p), [t[0], t[1]]);
    let next = p["next"].as_str().unwrap().to_owned();
    let at = page(&s, "oldest", 100, None).await["items"][3]["created_at"].clone();
    assert!(
        next.starts_with(&format!("o.{}.{}.", unix(&at), t[1])),
        "{next}"
    );
    let p = page(&s, "oldest", 2, Some(&next)).await;
    assert_eq!((rest(&p), &p["next"]), (vec![t[2], t[3]], &Value::Null));

    // The cursor's comment deleted since: its neighbour on the side not yet
    // shown stands for it (exact while ids and times agree).
    let r = s
        .admin("DELETE", &format!("/api/v1/admin/comments/{}", t[2]))
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    for (sort, cursor, expected) in [
        (
            "newest",
            cursor_of_before(&format!("n.{}", t[2])),
            after_t2.clone(),
        ),
        ("newest", t[2].to_string(), after_t2.clone()),
        (
            "liked",
            cursor_of_before(&format!("l.0.0.{}", t[2])),
            after_t2.clone(),
        ),
        (
            "oldest",
            cursor_of_before(&format!("o.{}", t[2])),
            vec![t[3]],
        ),
    ] {
        let p = page(&s, sort, 100, Some(&cursor)).await;
        assert_eq!(rest(&p), expected, "{sort} {cursor} after deletion");
    }
    // Past either end: nothing left.
    let p = page(&s, "newest", 100, Some(&cursor_of_before("n.0"))).await;
    assert_eq!(rest(&p), Vec::<u64>::new());
    let p = page(&s, "oldest", 100, Some(&cursor_of_before("o.999999"))).await;
    assert_eq!(rest(&p), Vec::<u64>::new());
    // Forged: a time changed under the same MAC.
    let first = page(&s, "newest", 1, None).await;
    let good = first["next"].as_str().unwrap().to_owned();
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    assert_eq!(parts.len(), 4, "{good}");
    parts[1] = (parts[1].parse::<i64>().unwrap() - YEAR).to_string();
    let forged = parts.join(".");
    let r = s
        .get(&format!(
            "{}?sort=newest&cursor={}",
            comments_path(ARTICLE),
            bantin_protocol::paths::encode_query(&forged)
        ))
        .await;
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_parameter"));
}

/// Unix seconds of an RFC 3339 `created_at`.
fn unix(at: &Value) -> i64 {
    at.as_str()
        .unwrap()
        .parse::<bantin_protocol::Timestamp>()
        .unwrap()
        .unix_seconds()
}

/// The likes shown on each comment of a page.
fn likes(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["likes"].as_u64().unwrap())
        .collect()
}

/// A page read with nothing changing meanwhile is in the order of the likes
/// it shows, ties newest first by `(created_at, id)`.
fn assert_in_liked_order(page: &Value) {
    let key = |c: &Value| {
        (
            c["likes"].as_u64().unwrap(),
            unix(&c["created_at"]),
            c["id"].as_u64().unwrap(),
        )
    };
    let items = page["items"].as_array().unwrap();
    for pair in items.windows(2) {
        assert!(key(&pair[0]) > key(&pair[1]), "out of order: {page}");
    }
}

/// Comments imported with their like counts (kept on the comment: no
/// reader's like stands behind them) rank by those counts among the
/// comments liked here, plus the likes they got here since; the likes shown
/// are the order's, in every page size, each comment once.
async fn imported_likes_count_in_the_liked_order(b: Backend) {
    let s = TestServer::start(b).await;
    let mut t = Vec::new();
    for i in 0..3 {
        t.push(posted(&s, ARTICLE, &format!("Hôm nay {i}"), None).await.0);
    }
    let readers = s.visitors(3).await;
    like_n(&s, t[0], &readers, 3).await;
    like_n(&s, t[1], &readers, 2).await;
    let new = import_liked(
        &s,
        &[
            (1, "Năm 2017", OLD, 40),
            (2, "Năm 2018", OLD + YEAR, 5),
            (3, "Năm 2019", OLD + 2 * YEAR, 2),
            (4, "Năm 2020", OLD + 3 * YEAR, 1),
        ],
    )
    .await;
    let (i40, i5, i2, i1) = (
        new["Năm 2017"],
        new["Năm 2018"],
        new["Năm 2019"],
        new["Năm 2020"],
    );
    // Liked here too: 5 + 2.
    like_n(&s, i5, &readers, 2).await;

    // 40 imported first; 2 of today's before 2 of 2019 (ties newest first).
    let expected = vec![i40, i5, t[0], t[1], i2, i1, t[2]];
    let p = page(&s, "liked", 100, None).await;
    assert_eq!(ids(&p), expected);
    assert_eq!(likes(&p), [40, 7, 3, 2, 2, 1, 0]);
    assert_in_liked_order(&p);
    // The cursor carries the last comment's score: its likes, imported included.
    let first = page(&s, "liked", 2, None).await;
    let next = first["next"].as_str().unwrap();
    let fields: Vec<&str> = next.split('.').collect();
    assert_eq!((fields[0], fields[2]), ("l", "7"), "{next}");
    assert_eq!(fields[4], i5.to_string(), "{next}");
    for limit in [1, 2, 3] {
        assert_eq!(
            all_pages(&s, "liked", limit).await,
            expected,
            "liked by {limit}"
        );
    }
    // A like taken back from an imported comment leaves its imported ones.
    assert_eq!(
        set_like(&s, ARTICLE, i5, &readers[0], false).await.json()["likes"],
        6
    );
    like_n(&s, i1, &readers, 3).await;
    let p = page(&s, "liked", 100, None).await;
    assert_eq!(ids(&p), [i40, i5, i1, t[0], t[1], i2, t[2]]);
    assert_eq!(likes(&p), [40, 6, 4, 3, 2, 2, 0]);
    // The time orders are as before.
    let newest = vec![t[2], t[1], t[0], i1, i2, i5, i40];
    assert_eq!(ids(&page(&s, "newest", 100, None).await), newest);
}

/// Paging through the liked order of one snapshot while imported and live
/// likes are given and taken back between the pages (the comments shown
/// lose theirs, those not yet shown get many): every comment once, in the
/// order of the first page's snapshot, by one and by two.
async fn imported_liked_pages_stay_exact_while_likes_change(b: Backend) {
    let s = TestServer::start(b).await;
    let (a, _) = posted(&s, ARTICLE, "Hôm nay a", None).await;
    let (z, _) = posted(&s, ARTICLE, "Hôm nay z", None).await;
    let readers = s.visitors(6).await;
    like_n(&s, a, &readers, 3).await;
    like_n(&s, z, &readers, 1).await;
    let new = import_liked(
        &s,
        &[
            (1, "Mười", OLD, 10),
            (2, "Bốn", OLD + YEAR, 4),
            (3, "Hai", OLD + 2 * YEAR, 2),
            (4, "Không", OLD + 3 * YEAR, 0),
        ],
    )
    .await;
    let (i10, i4, i2, i0) = (new["Mười"], new["Bốn"], new["Hai"], new["Không"]);
    like_n(&s, i4, &readers, 1).await;
    let expected = vec![i10, i4, a, i2, z, i0];

    for limit in [1, 2] {
        let start = page(&s, "liked", 100, None).await;
        assert_in_liked_order(&start);
        let order = ids(&start);
        if limit == 1 {
            assert_eq!(order, expected);
            assert_eq!(likes(&start), [10, 5, 3, 2, 1, 0]);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut step = 0;
        loop {
            let p = page(&s, "liked", limit, cursor.as_deref()).await;
            seen.extend(ids(&p));
            // Turn the live order around: the comment just shown loses every
            // reader's like, one not shown yet gets them all.
            let n = order.len();
            for v in &readers {
                let r = set_like(&s, ARTICLE, order[step % n], v, false).await;
                assert_eq!(r.status, 200, "{}", r.body);
                let r = set_like(&s, ARTICLE, order[n - 1 - step % n], v, true).await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
            step += 1;
            match p["next"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(
            seen, order,
            "by {limit}: every comment once, in the snapshot's order"
        );
    }
    // With nothing changing, the order is that of the likes shown again.
    let p = page(&s, "liked", 100, None).await;
    assert_in_liked_order(&p);
    assert_eq!(p["items"].as_array().unwrap().len(), 6);
}
