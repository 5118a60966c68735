//! The API's paths, in one place: the server's router is built from the route
//! templates, the widget's client from the builders. Article ids are checked by
//! [`crate::article::is_valid_id`] before they reach a path, so they need no
//! encoding (`[A-Za-z0-9._-]` only).

use crate::api::CommentSort;

/// Where version 1 of the API lives on the server.
pub const PREFIX: &str = "/api/v1";

/// Route templates relative to [`PREFIX`], in axum's `{param}` syntax.
pub mod route {
    pub const ARTICLE: &str = "/articles/{id}";
    pub const RATING: &str = "/articles/{id}/rating";
    pub const COMMENTS: &str = "/articles/{id}/comments";
    /// The replies of one top-level comment, oldest first, after `?cursor=`.
    pub const REPLIES: &str = "/articles/{id}/comments/{comment}/replies";
    /// One comment: `PUT` edits it, `DELETE` deletes it (its author, with the
    /// edit token, within the edit window).
    pub const COMMENT: &str = "/articles/{id}/comments/{comment}";
    /// `POST` likes a comment, `DELETE` takes the like back.
    pub const LIKE: &str = "/articles/{id}/comments/{comment}/like";
    /// `POST`: a reader reports a comment ("Báo cáo vi phạm"), once per
    /// visitor credential.
    pub const REPORT: &str = "/articles/{id}/comments/{comment}/report";
    /// Comments, views and rating of several articles: `?ids=a,b,c`.
    pub const COUNTS: &str = "/counts";
    pub const CAPTCHA: &str = "/captcha";
    /// Issues (or renews) a visitor credential.
    pub const VISITORS: &str = "/visitors";
    pub const VISITS: &str = "/visits";
    pub const STATS: &str = "/stats";
    pub const ADMIN_COMMENTS: &str = "/admin/comments";
    pub const ADMIN_APPROVE: &str = "/admin/comments/{id}/approve";
    pub const ADMIN_COMMENT: &str = "/admin/comments/{id}";
}

/// A route template under [`PREFIX`], for the router.
pub fn full(route: &str) -> String {
    format!("{PREFIX}{route}")
}

/// Builds request URLs from an API base such as `https://portal.vn/api/v1`
/// (the widget's `data-api`; a trailing slash is ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    base: String,
}

impl Endpoints {
    pub fn new(base: &str) -> Self {
        Endpoints {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn with_id(&self, route: &str, id: &str) -> String {
        debug_assert!(crate::article::is_valid_id(id), "unchecked article id");
        format!("{}{}", self.base, route.replace("{id}", id))
    }

    pub fn article(&self, id: &str) -> String {
        self.with_id(route::ARTICLE, id)
    }

    pub fn rating(&self, id: &str) -> String {
        self.with_id(route::RATING, id)
    }

    /// Where comments are posted.
    pub fn comments(&self, id: &str) -> String {
        self.with_id(route::COMMENTS, id)
    }

    /// Where comments are posted, naming the author's visitor credential
    /// (for bans and trust; a comment does not need one).
    pub fn comments_by(&self, id: &str, visitor: Option<&str>) -> String {
        match visitor {
            Some(v) => format!("{}?visitor={}", self.comments(id), encode_query(v)),
            None => self.comments(id),
        }
    }

    /// One page of the comment list in the order `sort`; `cursor` is the
    /// opaque `next` of the previous page (of the same sort).
    pub fn comment_page(
        &self,
        id: &str,
        sort: CommentSort,
        limit: u32,
        cursor: Option<&str>,
    ) -> String {
        let url = format!("{}?sort={}&limit={limit}", self.comments(id), sort.as_str());
        match cursor {
            Some(c) => format!("{url}&cursor={}", encode_query(c)),
            None => url,
        }
    }

    fn with_comment(&self, route: &str, id: &str, comment: u64) -> String {
        self.with_id(route, id)
            .replace("{comment}", &comment.to_string())
    }

    /// `PUT` (edit) or `DELETE` one comment.
    pub fn comment(&self, id: &str, comment: u64) -> String {
        self.with_comment(route::COMMENT, id, comment)
    }

    /// `POST` (like) or `DELETE` (take back) a like of one comment.
    pub fn like(&self, id: &str, comment: u64) -> String {
        self.with_comment(route::LIKE, id, comment)
    }

    /// `POST` a reader's report of one comment.
    pub fn report(&self, id: &str, comment: u64) -> String {
        self.with_comment(route::REPORT, id, comment)
    }

    /// The counts of several articles (valid ids, at most
    /// [`crate::limits::COUNTS_IDS_MAX`]), in one cacheable request.
    pub fn counts(&self, ids: &[&str]) -> String {
        debug_assert!(
            ids.iter().all(|id| crate::article::is_valid_id(id)),
            "unchecked article id"
        );
        format!("{}{}?ids={}", self.base, route::COUNTS, ids.join(","))
    }

    /// One page of the replies of comment `comment`; `cursor` is the `next`
    /// of the previous page (absent: from the first reply).
    pub fn replies(&self, id: &str, comment: u64, limit: u32, cursor: Option<&str>) -> String {
        let url = format!(
            "{}?limit={limit}",
            self.with_comment(route::REPLIES, id, comment)
        );
        match cursor {
            Some(c) => format!("{url}&cursor={}", encode_query(c)),
            None => url,
        }
    }

    pub fn captcha(&self) -> String {
        format!("{}{}", self.base, route::CAPTCHA)
    }

    /// `POST`: a visitor credential ([`crate::credential`]).
    pub fn visitors(&self) -> String {
        format!("{}{}", self.base, route::VISITORS)
    }

    pub fn visits(&self) -> String {
        format!("{}{}", self.base, route::VISITS)
    }

    pub fn stats(&self) -> String {
        format!("{}{}", self.base, route::STATS)
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode_query(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_follow_the_route_templates() {
        let e = Endpoints::new("https://x.vn/api/v1/");
        assert_eq!(e.article("a-1"), "https://x.vn/api/v1/articles/a-1");
        assert_eq!(e.rating("a-1"), "https://x.vn/api/v1/articles/a-1/rating");
        assert_eq!(
            e.comment_page("a.b", CommentSort::Liked, 10, Some("12:3/x y")),
            "https://x.vn/api/v1/articles/a.b/comments?sort=liked&limit=10&cursor=12%3A3%2Fx%20y"
        );
        assert_eq!(
            e.comment_page("a", CommentSort::default(), 5, None),
            "https://x.vn/api/v1/articles/a/comments?sort=newest&limit=5"
        );
        assert_eq!(
            e.comment_page("a", CommentSort::Oldest, 5, None),
            "https://x.vn/api/v1/articles/a/comments?sort=oldest&limit=5"
        );
        assert_eq!(
            e.comment("a-1", 42),
            "https://x.vn/api/v1/articles/a-1/comments/42"
        );
        assert_eq!(
            e.like("a-1", 42),
            "https://x.vn/api/v1/articles/a-1/comments/42/like"
        );
        assert_eq!(
            e.counts(&["a-1", "b.2", "c_3"]),
            "https://x.vn/api/v1/counts?ids=a-1,b.2,c_3"
        );
        assert_eq!(full(route::COUNTS), "/api/v1/counts");
        assert_eq!(
            full(route::LIKE),
            "/api/v1/articles/{id}/comments/{comment}/like"
        );
        assert_eq!(
            full(route::COMMENT),
            "/api/v1/articles/{id}/comments/{comment}"
        );
        assert_eq!(e.comments("a"), "https://x.vn/api/v1/articles/a/comments");
        assert_eq!(e.captcha(), "https://x.vn/api/v1/captcha");
        assert_eq!(
            e.replies("a-1", 42, 20, Some("57")),
            "https://x.vn/api/v1/articles/a-1/comments/42/replies?limit=20&cursor=57"
        );
        assert_eq!(
            full(route::REPLIES),
            "/api/v1/articles/{id}/comments/{comment}/replies"
        );
        assert_eq!(e.visits(), "https://x.vn/api/v1/visits");
        assert_eq!(e.visitors(), "https://x.vn/api/v1/visitors");
        assert_eq!(e.stats(), "https://x.vn/api/v1/stats");
        assert_eq!(full(route::RATING), "/api/v1/articles/{id}/rating");
    }

    #[test]
    fn query_encoding_covers_non_ascii() {
        assert_eq!(encode_query("mới"), "m%E1%BB%9Bi");
        assert_eq!(encode_query("a~b"), "a~b");
    }
}
