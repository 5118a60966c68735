//! The reader's comment draft, saved per article as they type and removed only
//! after the server accepted the comment. A draft marked `queued` was submitted
//! but not yet accepted: it is sent again on the next page load.

use crate::api::js::Js;
use bantin_protocol::api::NewComment;
use bantin_protocol::decode::{Json, Kind};
use bantin_protocol::encode::{self, Object};

/// Stored as `{"author", "email", "body", "reply_to": [id, author] | null,
/// "queued", "client_key"}`; every member may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub author: String,
    pub email: String,
    pub body: String,
    /// The comment being replied to: id and author.
    pub reply_to: Option<(u64, String)>,
    /// Submitted, waiting to be delivered.
    pub queued: bool,
    /// Idempotency key sent with every attempt to deliver this comment, so a
    /// retry after a lost answer (or a second tab) is stored once. Made at the
    /// first submission, dropped when the server accepted the comment.
    pub client_key: Option<String>,
}

impl Draft {
    pub fn key(article_id: &str) -> String {
        crate::storage::draft_key(article_id)
    }

    /// Where a queued comment of another tab is kept when this tab needs the
    /// draft's place: it is delivered from there (see `outbox.rs`).
    pub fn parked_key(article_id: &str, client_key: &str) -> String {
        format!("queued:{article_id}:{client_key}")
    }

    /// The start of every [`Draft::parked_key`] of an article.
    pub fn parked_prefix(article_id: &str) -> String {
        format!("queued:{article_id}:")
    }

    /// Nothing worth keeping: the name alone is remembered separately.
    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty() && self.reply_to.is_none() && !self.queued
    }

    /// The comment this draft sends: the one place a [`NewComment`] is made.
    pub fn to_comment(
        &self,
        captcha: String,
        elapsed_ms: u64,
        website: Option<String>,
    ) -> NewComment {
        NewComment {
            author: self.author.clone(),
            email: Some(self.email.clone()),
            body: self.body.clone(),
            parent_id: self.reply_to.as_ref().map(|(id, _)| *id),
            captcha,
            elapsed_ms,
            website: website.filter(|h| !h.is_empty()),
            client_key: self.client_key.clone(),
        }
        .normalized()
    }

    /// Reads a stored draft; one that is not JSON is ignored rather than fatal.
    pub fn parse(text: &str) -> Option<Draft> {
        Draft::read(&Js::parse(text).ok()?)
    }

    /// A member of the wrong kind is read as empty: the reader's text is kept
    /// even when another member was damaged.
    pub fn read<J: Json>(tree: &J) -> Option<Draft> {
        if tree.kind() != Kind::Object {
            return None;
        }
        let text = |key| tree.member(key).and_then(|v| v.string());
        let reply_to = tree.member("reply_to").and_then(|r| {
            let pair = r.elements()?;
            Some((pair.first()?.kind().as_u64()?, pair.get(1)?.string()?))
        });
        Some(Draft {
            author: text("author").unwrap_or_default(),
            email: text("email").unwrap_or_default(),
            body: text("body").unwrap_or_default(),
            reply_to,
            queued: tree.member("queued").map(|q| q.kind()) == Some(Kind::Bool(true)),
            client_key: text("client_key"),
        })
    }

    pub fn to_json(&self) -> String {
        let reply_to = match &self.reply_to {
            Some((id, author)) => encode::array([id.to_string(), encode::quote(author)]),
            None => "null".to_owned(),
        };
        Object::new()
            .str("author", &self.author)
            .str("email", &self.email)
            .str("body", &self.body)
            .raw("reply_to", &reply_to)
            .bool("queued", self.queued)
            .opt_str("client_key", self.client_key.as_deref())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// What the browser's `JSON.parse` gives, read natively.
    fn parse(text: &str) -> Option<Draft> {
        Draft::read(&&serde_json::from_str::<Value>(text).ok()?)
    }

    #[test]
    fn round_trips_and_tolerates_missing_or_corrupt_data() {
        let d = Draft {
            author: "Lan".into(),
            email: String::new(),
            body: "Dòng 1\nDòng 2".into(),
            reply_to: Some((7, "Minh".into())),
            queued: true,
            client_key: Some("0123456789abcdef0123456789abcdef".into()),
        };
        assert_eq!(parse(&d.to_json()), Some(d.clone()));
        let plain = Draft {
            reply_to: None,
            client_key: None,
            body: "\"\\\u{0}</script>".into(),
            ..d
        };
        assert_eq!(parse(&plain.to_json()), Some(plain));
        assert_eq!(
            parse(r#"{"body": "x"}"#).map(|d| d.body),
            Some("x".to_owned())
        );
        // Written by the earlier (serde) widget: still read.
        let old = r#"{"author":"Lan","email":"","body":"Ý kiến","reply_to":null,"queued":true,"client_key":null}"#;
        let old = parse(old).unwrap();
        assert_eq!((old.body.as_str(), old.queued), ("Ý kiến", true));
        // A damaged member loses itself only, not the text.
        let damaged = parse(r#"{"body": "giữ", "reply_to": "x", "queued": 1}"#).unwrap();
        assert_eq!(
            (damaged.body.as_str(), damaged.reply_to, damaged.queued),
            ("giữ", None, false)
        );
        assert_eq!(parse("[1]"), None);
        assert_eq!(parse("{not json"), None);
    }

    #[test]
    fn an_author_alone_is_not_a_draft() {
        let mut d = Draft {
            author: "Lan".into(),
            ..Draft::default()
        };
        assert!(d.is_empty());
        d.body = "  ".into();
        assert!(d.is_empty());
        d.body = "Ý kiến".into();
        assert!(!d.is_empty());
    }
}
