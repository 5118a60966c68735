//! What this browser remembers of the comments: the secrets that let the
//! reader edit or delete their own comments (until the server's window
//! closes; the comments stay known as theirs after it), the comments they
//! liked, and their choice of order.

use crate::api::js::Js;
use crate::clock::now_secs;
use crate::storage;
use bantin_protocol::api::{CommentCreated, CommentSort};
use bantin_protocol::decode::Json;
use bantin_protocol::encode;
use std::cell::RefCell;
use std::str::FromStr;

/// A reader liking more than this many comments of one article keeps the
/// newest; the server knows the rest (a like sent twice is one like).
const LIKED_MAX: usize = 500;
/// The reader's own comments of one article remembered, the newest kept.
const OWNED_MAX: usize = 200;

fn own_key(article: &str) -> String {
    format!("own:{article}")
}

fn liked_key(article: &str) -> String {
    format!("liked:{article}")
}

const SORT_KEY: &str = "sort";

/// `(comment, token, until)`; the token is empty once the window closed.
/// Stored as `[[id, "token", until], …]`.
type Owned = Vec<(u64, String, i64)>;

/// The stored lists, read leniently: an item of the wrong shape is dropped,
/// the others kept.
fn owned_from<J: Json>(tree: &J) -> Owned {
    let item = |e: &J| {
        let f = e.elements()?;
        Some((
            f.first()?.kind().as_u64()?,
            f.get(1)?.string()?,
            f.get(2)?.kind().as_i64()?,
        ))
    };
    tree.elements()
        .map(|items| items.iter().filter_map(item).collect())
        .unwrap_or_default()
}

/// Stored as `[id, …]`.
fn liked_from<J: Json>(tree: &J) -> Vec<u64> {
    tree.elements()
        .map(|items| items.iter().filter_map(|e| e.kind().as_u64()).collect())
        .unwrap_or_default()
}

fn owned_json(owned: &Owned) -> String {
    encode::array(owned.iter().map(|(id, token, until)| {
        encode::array([id.to_string(), encode::quote(token), until.to_string()])
    }))
}

fn liked_json(liked: &[u64]) -> String {
    encode::array(liked.iter().map(u64::to_string))
}

fn stored(key: &str) -> Option<Js> {
    storage::get(key).and_then(|s| Js::parse(&s).ok())
}

/// One article's lists, read from localStorage once per page (each shown
/// comment asks them: a page of 1,000 comments must not parse them 2,000
/// times) and written through on every change.
struct Memory {
    article: String,
    owned: Owned,
    liked: Vec<u64>,
}

thread_local! {
    static MEMORY: RefCell<Vec<Memory>> = const { RefCell::new(Vec::new()) };
}

fn with<R>(article: &str, f: impl FnOnce(&mut Memory) -> R) -> R {
    MEMORY.with(|m| {
        let mut all = m.borrow_mut();
        let i = match all.iter().position(|m| m.article == article) {
            Some(i) => i,
            None => {
                let owned = stored(&own_key(article))
                    .map(|t| owned_from(&t))
                    .unwrap_or_default();
                let liked = stored(&liked_key(article))
                    .map(|t| liked_from(&t))
                    .unwrap_or_default();
                all.push(Memory {
                    article: article.to_owned(),
                    owned,
                    liked,
                });
                all.len() - 1
            }
        };
        f(&mut all[i])
    })
}

/// Forgets the secrets that have expired (not the comments) and stores the list.
fn store_owned(memory: &mut Memory) {
    let now = now_secs();
    for (_, token, until) in memory.owned.iter_mut() {
        if *until <= now {
            token.clear();
        }
    }
    let skip = memory.owned.len().saturating_sub(OWNED_MAX);
    memory.owned.drain(..skip);
    let key = own_key(&memory.article);
    if memory.owned.is_empty() {
        storage::remove(&key);
    } else {
        storage::set(&key, &owned_json(&memory.owned));
    }
}

/// Keeps the secret of a comment the server accepted, or without one (no
/// edit window) the comment as the reader's.
pub fn remember(article: &str, created: &CommentCreated) {
    let token = created.edit_token.clone().unwrap_or_default();
    let until = created.edit_until.map_or(0, |u| u.unix_seconds());
    with(article, |m| {
        m.owned.retain(|(id, _, _)| *id != created.id);
        m.owned.push((created.id, token, until));
        store_owned(m);
    });
}

/// The secret of the reader's own comment `id` and when it stops working.
pub fn editable(article: &str, id: u64) -> Option<(String, i64)> {
    let now = now_secs();
    with(article, |m| {
        m.owned
            .iter()
            .find(|(c, token, until)| *c == id && !token.is_empty() && *until > now)
            .map(|(_, token, until)| (token.clone(), *until))
    })
}

/// Whether `id` is the reader's own comment (editable or not any more).
pub fn authored(article: &str, id: u64) -> bool {
    with(article, |m| m.owned.iter().any(|(c, _, _)| *c == id))
}

/// The comment cannot be edited any more: its secret goes, and with
/// `deleted` the comment too.
pub fn forget(article: &str, id: u64, deleted: bool) {
    with(article, |m| {
        if deleted {
            m.owned.retain(|(c, _, _)| *c != id);
        } else if let Some((_, token, _)) = m.owned.iter_mut().find(|(c, _, _)| *c == id) {
            token.clear();
        }
        store_owned(m);
    });
}

pub fn is_liked(article: &str, id: u64) -> bool {
    with(article, |m| m.liked.contains(&id))
}

pub fn set_liked(article: &str, id: u64, liked: bool) {
    with(article, |m| {
        m.liked.retain(|c| *c != id);
        if liked {
            m.liked.push(id);
        }
        let skip = m.liked.len().saturating_sub(LIKED_MAX);
        m.liked.drain(..skip);
        storage::set(&liked_key(&m.article), &liked_json(&m.liked));
    });
}

/// The order the reader chose last (on any article of the site).
pub fn sort() -> CommentSort {
    storage::get(SORT_KEY)
        .and_then(|s| CommentSort::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn set_sort(sort: CommentSort) {
    storage::set(SORT_KEY, sort.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn tree(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn lists_round_trip_and_damaged_items_are_dropped() {
        let owned: Owned = vec![(3, "t\"k".into(), 1_700_000_000), (9, "x".into(), -1)];
        assert_eq!(owned_from(&&tree(&owned_json(&owned))), owned);
        assert_eq!(liked_from(&&tree(&liked_json(&[1, 20, 300]))), [1, 20, 300]);
        // As the earlier (serde) widget wrote them.
        assert_eq!(
            owned_from(&&tree(r#"[[3,"tok",1700000000],[4,5,6],"x",[7,"ok",8]]"#)),
            vec![(3, "tok".into(), 1_700_000_000), (7, "ok".into(), 8)]
        );
        assert_eq!(liked_from(&&tree(r#"[1,"2",-3,4]"#)), [1, 4]);
        assert_eq!(liked_from(&&tree(r#"{"a":1}"#)), Vec::<u64>::new());
    }
}
