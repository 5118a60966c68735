//! The article document and the counters, from any parsed JSON tree.

use super::*;
use crate::article::{Article, Block, Counters, RatingSummary, RelatedLink};
use crate::error::{ArticleError, Invalid};

fn block<J: Json>(v: &J, at: &At) -> Result<Block, String> {
    object(v, at, "a block (a JSON object)")?;
    let kind = required(v, "type", at, string)?;
    let text = |key| required(v, key, at, string);
    Ok(match kind.as_str() {
        "paragraph" => Block::Paragraph {
            text: text("text")?,
        },
        "heading" => Block::Heading {
            level: match v.member("level") {
                Some(l) => unsigned(&l, &at.field("level"), 255, "u8")? as u8,
                None => 2,
            },
            text: text("text")?,
        },
        "image" => Block::Image {
            src: text("src")?,
            alt: or_default(v, "alt", at, string)?,
            caption: optional(v, "caption", at, string)?,
            width: optional(v, "width", at, u32_of)?,
            height: optional(v, "height", at, u32_of)?,
        },
        "quote" => Block::Quote {
            text: text("text")?,
            cite: optional(v, "cite", at, string)?,
        },
        "html" => Block::Html {
            html: text("html")?,
        },
        _ => Block::Unknown,
    })
}

fn rating<J: Json>(v: &J, at: &At) -> Result<RatingSummary, String> {
    object(v, at, "an object")?;
    Ok(RatingSummary {
        count: or_default(v, "count", at, u64_of)?,
        average: or_default(v, "average", at, f64_of)?,
    })
}

fn counters_at<J: Json>(v: &J, at: &At) -> Result<Counters, String> {
    object(v, at, "an object")?;
    Ok(Counters {
        total_visits: or_default(v, "total_visits", at, u64_of)?,
        online: or_default(v, "online", at, u64_of)?,
    })
}

fn related<J: Json>(v: &J, at: &At) -> Result<RelatedLink, String> {
    object(v, at, "a link (a JSON object)")?;
    Ok(RelatedLink {
        title: required(v, "title", at, string)?,
        url: required(v, "url", at, string)?,
        published_at: optional(v, "published_at", at, timestamp)?,
    })
}

fn article_shape<J: Json>(v: &J) -> Result<Article, String> {
    let at = &At::ROOT;
    let opt_string = |key| optional(v, key, at, string);
    Ok(Article {
        id: required(v, "id", at, string)?,
        title: required(v, "title", at, string)?,
        summary: or_default(v, "summary", at, string)?,
        lang: match v.member("lang") {
            Some(l) => string(&l, &at.field("lang"))?,
            None => "vi".to_owned(),
        },
        published_at: optional(v, "published_at", at, timestamp)?,
        updated_at: optional(v, "updated_at", at, timestamp)?,
        author: opt_string("author")?,
        source: opt_string("source")?,
        category: opt_string("category")?,
        blocks: or_default(v, "blocks", at, |b, at| array(b, at, block))?,
        rating: or_default(v, "rating", at, rating)?,
        counters: or_default(v, "counters", at, counters_at)?,
        related: or_default(v, "related", at, |r, at| array(r, at, related))?,
    })
}

/// Reads and validates an article from a parsed JSON tree.
pub fn article<J: Json>(v: &J) -> Result<Article, ArticleError> {
    let found = match v.kind() {
        Kind::Object => None,
        Kind::Array => Some("an array"),
        Kind::String => Some("a string"),
        Kind::Bool(_) => Some("a boolean"),
        Kind::Null => Some("null"),
        Kind::Number(_) => Some("a number"),
    };
    if let Some(found) = found {
        return Err(ArticleError::Shape(format!(
            "expected an article (a JSON object), found {found}"
        )));
    }
    let article = article_shape(v).map_err(ArticleError::Shape)?;
    article.validate().map_err(ArticleError::Invalid)?;
    Ok(article)
}

/// Reads the API's `{"total_visits", "online"}` answer.
pub fn counters<J: Json>(v: &J) -> Result<Counters, Invalid> {
    counters_at(v, &At::ROOT).map_err(|m| Invalid::new("counters", m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_field() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"id": "a", "title": "T", "blocks": [{"type": "image"}]}"#)
                .unwrap();
        let e = article(&&v).unwrap_err().to_string();
        assert_eq!(e, "blocks[0]: missing field `src`");
        let v: serde_json::Value = serde_json::from_str(
            r#"{"id": "a", "title": "T", "related": [{"title": "x", "url": 3}]}"#,
        )
        .unwrap();
        assert_eq!(
            article(&&v).unwrap_err().to_string(),
            "related[0].url: invalid type: integer `3`, expected a string"
        );
    }
}
