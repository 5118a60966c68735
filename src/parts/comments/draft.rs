//! The reader's comment draft, saved per article as they type and removed only
//! after the server accepted the comment. A draft marked `queued` was submitted
//! but not yet accepted: it is sent again on the next page load.

use bantin_protocol::api::NewComment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub body: String,
    /// The comment being replied to: id and author.
    #[serde(default)]
    pub reply_to: Option<(u64, String)>,
    /// Submitted, waiting to be delivered.
    #[serde(default)]
    pub queued: bool,
    /// Idempotency key sent with every attempt to deliver this comment, so a
    /// retry after a lost answer (or a second tab) is stored once. Made at the
    /// first submission, dropped when the server accepted the comment.
    #[serde(default)]
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

    /// Reads a stored draft; a corrupt one is ignored rather than fatal.
    pub fn parse(text: &str) -> Option<Draft> {
        serde_json::from_str(text).ok()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(Draft::parse(&d.to_json()), Some(d));
        assert_eq!(
            Draft::parse(r#"{"body": "x"}"#).map(|d| d.body),
            Some("x".to_owned())
        );
        assert_eq!(Draft::parse("{not json"), None);
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
