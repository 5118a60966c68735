//! What this browser remembers of the comments: the secrets that let the
//! reader edit or delete their own comments (until the server's window
//! closes), the comments they liked, and their choice of order.

use crate::clock::now_secs;
use crate::storage;
use bantin_protocol::api::{CommentCreated, CommentSort};
use std::str::FromStr;

/// A reader liking more than this many comments of one article keeps the
/// newest; the server knows the rest (a like sent twice is one like).
const LIKED_MAX: usize = 500;

fn own_key(article: &str) -> String {
    format!("own:{article}")
}

fn liked_key(article: &str) -> String {
    format!("liked:{article}")
}

const SORT_KEY: &str = "sort";

/// `(comment, token, until)`, still open.
type Owned = Vec<(u64, String, i64)>;

fn owned(article: &str) -> Owned {
    let now = now_secs();
    storage::get(&own_key(article))
        .and_then(|s| serde_json::from_str::<Owned>(&s).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, _, until)| *until > now)
        .collect()
}

fn store_owned(article: &str, list: &Owned) {
    if list.is_empty() {
        storage::remove(&own_key(article));
    } else if let Ok(s) = serde_json::to_string(list) {
        storage::set(&own_key(article), &s);
    }
}

/// Keeps the secret of a comment the server accepted.
pub fn remember(article: &str, created: &CommentCreated) {
    let (Some(token), Some(until)) = (&created.edit_token, created.edit_until) else {
        return;
    };
    let mut list = owned(article);
    list.retain(|(id, _, _)| *id != created.id);
    list.push((created.id, token.clone(), until.unix_seconds()));
    store_owned(article, &list);
}

/// The secret of the reader's own comment `id` and when it stops working.
pub fn editable(article: &str, id: u64) -> Option<(String, i64)> {
    owned(article)
        .into_iter()
        .find(|(c, _, _)| *c == id)
        .map(|(_, token, until)| (token, until))
}

/// The comment cannot be edited any more (deleted, or the window closed).
pub fn forget(article: &str, id: u64) {
    let mut list = owned(article);
    list.retain(|(c, _, _)| *c != id);
    store_owned(article, &list);
}

fn liked_ids(article: &str) -> Vec<u64> {
    storage::get(&liked_key(article))
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn is_liked(article: &str, id: u64) -> bool {
    liked_ids(article).contains(&id)
}

pub fn set_liked(article: &str, id: u64, liked: bool) {
    let mut ids = liked_ids(article);
    ids.retain(|c| *c != id);
    if liked {
        ids.push(id);
    }
    let skip = ids.len().saturating_sub(LIKED_MAX);
    if let Ok(s) = serde_json::to_string(&ids[skip..]) {
        storage::set(&liked_key(article), &s);
    }
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
