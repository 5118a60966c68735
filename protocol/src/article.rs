//! The article document: what a portal publishes and the widget renders.

use crate::error::{ArticleError, Invalid};
use crate::limits::*;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Read by [`crate::decode::article`] (one decoder for serde_json's tree and
/// the browser's `JSON.parse`), written by serde.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// BCP 47 language of the content; the UI language is chosen separately.
    pub lang: String,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub blocks: Vec<Block>,
    pub rating: RatingSummary,
    pub counters: Counters,
    pub related: Vec<RelatedLink>,
}

/// One piece of an article's body. Unknown `type`s decode to
/// [`Block::Unknown`] and are skipped when rendered, so newer CMS output
/// never breaks an older widget.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        text: String,
    },
    Heading {
        level: u8,
        text: String,
    },
    Image {
        src: String,
        alt: String,
        caption: Option<String>,
        width: Option<u32>,
        height: Option<u32>,
    },
    Quote {
        text: String,
        cite: Option<String>,
    },
    /// CMS output. Untrusted: the widget rebuilds it through an allowlist.
    Html {
        html: String,
    },
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RatingSummary {
    #[serde(default)]
    pub count: u64,
    #[serde(default)]
    pub average: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    #[serde(default)]
    pub total_visits: u64,
    #[serde(default)]
    pub online: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedLink {
    pub title: String,
    pub url: String,
    pub published_at: Option<Timestamp>,
}

/// Parses and validates an article document.
pub fn parse_article(text: &str) -> Result<Article, ArticleError> {
    if text.len() > ARTICLE_MAX_BYTES {
        return Err(ArticleError::TooLarge { bytes: text.len() });
    }
    let tree: serde_json::Value = serde_json::from_str(text).map_err(|e| ArticleError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    crate::decode::article(&&tree)
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn check_len(field: &str, value: &str, max: usize, required: bool) -> Result<(), Invalid> {
    if required && value.trim().is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Invalid::new(
            field,
            format!("is {n} characters long, the limit is {max}"),
        ));
    }
    Ok(())
}

/// True for ids that can sit in a URL path unescaped: `[A-Za-z0-9._-]`, not `.`/`..`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ARTICLE_ID_MAX_CHARS
        && id != "."
        && id != ".."
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Article {
    /// Checks the rules serde cannot express. Returns the first broken one.
    pub fn validate(&self) -> Result<(), Invalid> {
        if !is_valid_id(&self.id) {
            return Err(Invalid::new(
                "id",
                format!(
                    "must be 1 to {ARTICLE_ID_MAX_CHARS} characters of A-Z, a-z, 0-9, '-', '_' or '.'"
                ),
            ));
        }
        check_len("title", &self.title, TITLE_MAX_CHARS, true)?;
        check_len("summary", &self.summary, SUMMARY_MAX_CHARS, false)?;
        check_len("lang", &self.lang, 35, true)?;
        for (field, value) in [
            ("author", &self.author),
            ("source", &self.source),
            ("category", &self.category),
        ] {
            if let Some(v) = value {
                check_len(field, v, TITLE_MAX_CHARS, false)?;
            }
        }
        if self.blocks.len() > BLOCKS_MAX {
            return Err(Invalid::new(
                "blocks",
                format!(
                    "has {} blocks, the limit is {BLOCKS_MAX}",
                    self.blocks.len()
                ),
            ));
        }
        for (i, block) in self.blocks.iter().enumerate() {
            block.validate(&format!("blocks[{i}]"))?;
        }
        let avg = self.rating.average;
        if !(0.0..=5.0).contains(&avg) {
            return Err(Invalid::new("rating.average", "must be between 0 and 5"));
        }
        if self.related.len() > RELATED_MAX {
            return Err(Invalid::new(
                "related",
                format!(
                    "has {} links, the limit is {RELATED_MAX}",
                    self.related.len()
                ),
            ));
        }
        for (i, link) in self.related.iter().enumerate() {
            check_len(
                &format!("related[{i}].title"),
                &link.title,
                TITLE_MAX_CHARS,
                true,
            )?;
            check_len(&format!("related[{i}].url"), &link.url, 2_000, true)?;
        }
        Ok(())
    }
}

impl Block {
    fn validate(&self, at: &str) -> Result<(), Invalid> {
        let field = |name: &str| format!("{at}.{name}");
        match self {
            Block::Paragraph { text } => {
                check_len(&field("text"), text, TEXT_BLOCK_MAX_CHARS, false)
            }
            Block::Heading { level, text } => {
                if !(1..=6).contains(level) {
                    return Err(Invalid::new(field("level"), "must be between 1 and 6"));
                }
                check_len(&field("text"), text, TITLE_MAX_CHARS, true)
            }
            Block::Image {
                src,
                alt,
                caption,
                width,
                height,
            } => {
                check_len(&field("src"), src, 2_000, true)?;
                check_len(&field("alt"), alt, TITLE_MAX_CHARS, false)?;
                if let Some(c) = caption {
                    check_len(&field("caption"), c, SUMMARY_MAX_CHARS, false)?;
                }
                for (name, v) in [("width", width), ("height", height)] {
                    if matches!(v, Some(0)) || v.is_some_and(|v| v > 20_000) {
                        return Err(Invalid::new(field(name), "must be between 1 and 20000"));
                    }
                }
                Ok(())
            }
            Block::Quote { text, cite } => {
                check_len(&field("text"), text, TEXT_BLOCK_MAX_CHARS, true)?;
                if let Some(c) = cite {
                    check_len(&field("cite"), c, TITLE_MAX_CHARS, false)?;
                }
                Ok(())
            }
            Block::Html { html } => {
                if html.len() > HTML_BLOCK_MAX_BYTES {
                    return Err(Invalid::new(
                        field("html"),
                        format!(
                            "is {} bytes, the limit is {HTML_BLOCK_MAX_BYTES}",
                            html.len()
                        ),
                    ));
                }
                Ok(())
            }
            Block::Unknown => Ok(()),
        }
    }
}
