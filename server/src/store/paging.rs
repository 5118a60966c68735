//! The paging and reply nesting both stores share: each store runs its own
//! two queries (a page of top-level comments, then at most
//! [`REPLIES_INLINE_MAX`] replies of each with their counts), and these
//! functions turn the rows into the page the API sends.

use super::{CommentsPage, PageAfter};
use bantin_protocol::api::{Comment, CommentPage};
use bantin_protocol::limits::REPLIES_INLINE_MAX;
use bantin_protocol::Timestamp;

/// The columns both stores select for a [`Row`], in its order (the ninth,
/// the liked order's score, is added by the query that has one).
pub const COLUMNS: &str =
    "id, parent_id, author, body, created_at, likes, edited_at, deleted_at IS NOT NULL AS deleted";
/// Their names, to select them again from a subquery.
pub const NAMES: &str = "id, parent_id, author, body, created_at, likes, edited_at, deleted";

/// One comment row as both stores read it.
pub struct Row {
    pub id: u64,
    pub parent_id: Option<u64>,
    pub author: String,
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    pub likes: i64,
    pub edited_at: Option<i64>,
    /// A placeholder of a comment its author deleted.
    pub deleted: bool,
    /// Liked order: the likes as of the page's snapshot; 0 otherwise.
    pub score: i64,
}

impl From<Row> for Comment {
    fn from(r: Row) -> Comment {
        Comment {
            id: r.id,
            parent_id: r.parent_id,
            author: r.author,
            body: r.body,
            created_at: Timestamp::from_unix_seconds(r.created_at),
            replies: Vec::new(),
            reply_count: 0,
            likes: r.likes.max(0) as u64,
            edited_at: r.edited_at.map(Timestamp::from_unix_seconds),
            deleted: r.deleted,
            badge: None,
            pinned: false,
        }
    }
}

/// `rows` fetched with `LIMIT limit + 1`: the page, and the cursor of the
/// next one (the last id shown) when there was one more row.
pub fn cut<T>(mut rows: Vec<T>, limit: usize, id: impl Fn(&T) -> u64) -> (Vec<T>, Option<String>) {
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| id(r).to_string());
        (rows, next)
    } else {
        (rows, None)
    }
}

/// A page of top-level comments with their replies: `tops` in the page's
/// order (`limit + 1` rows), `replies` oldest first (by `(created_at, id)`), each with its parent's
/// total count (`reply_count`; the rest come from the replies endpoint), at
/// most [`REPLIES_INLINE_MAX`] per parent.
pub fn comment_page(
    mut tops: Vec<Row>,
    limit: usize,
    replies: Vec<(Row, u64)>,
    snapshot: i64,
) -> CommentsPage {
    let next = if tops.len() > limit {
        tops.truncate(limit);
        tops.last().map(|r| PageAfter {
            id: r.id,
            score: r.score,
            created_at: Some(r.created_at),
        })
    } else {
        None
    };
    let mut items: Vec<Comment> = tops.into_iter().map(Comment::from).collect();
    for (reply, count) in replies {
        if let Some(parent) = items.iter_mut().find(|c| Some(c.id) == reply.parent_id) {
            parent.reply_count = count;
            if parent.replies.len() < REPLIES_INLINE_MAX {
                parent.replies.push(reply.into());
            }
        }
    }
    CommentsPage {
        items,
        snapshot,
        next,
    }
}

/// A page of replies, oldest first by `(created_at, id)` (`limit + 1`
/// rows); its `next` is the id of the last one (the store finds its time).
pub fn reply_page(rows: Vec<Row>, limit: usize) -> CommentPage {
    let (rows, next) = cut(rows, limit, |r| r.id);
    CommentPage {
        items: rows.into_iter().map(Comment::from).collect(),
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u64, parent: Option<u64>) -> Row {
        Row {
            id,
            parent_id: parent,
            author: "A".into(),
            body: "b".into(),
            created_at: 0,
            likes: 0,
            edited_at: None,
            deleted: false,
            score: 0,
        }
    }

    #[test]
    fn pages_nest_and_cap() {
        let replies = (100..130).map(|i| (row(i, Some(2)), 30)).collect();
        let page = comment_page(
            vec![row(3, None), row(2, None), row(1, None)],
            2,
            replies,
            0,
        );
        assert_eq!(
            page.next,
            Some(PageAfter {
                id: 2,
                score: 0,
                created_at: Some(0)
            })
        );
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].reply_count, 0);
        assert_eq!(page.items[1].reply_count, 30);
        assert_eq!(page.items[1].replies.len(), REPLIES_INLINE_MAX);
        assert_eq!(page.items[1].replies[0].id, 100);
        let json = serde_json::to_value(&page.items[1]).unwrap();
        assert_eq!(json["reply_count"], 30);
        assert_eq!(json["id"], 2);
        let r = reply_page((1..=6).map(|i| row(i, Some(9))).collect(), 5);
        assert_eq!((r.items.len(), r.next.as_deref()), (5, Some("5")));
    }
}
