use serde::{Deserialize, Serialize};
use std::fmt;

/// A document that is valid JSON of the right shape but breaks a rule of the
/// contract. `field` is a path such as `blocks[3].level`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a fetched text is not a usable article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleError {
    /// Not JSON at all, or cut short.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not of the article's shape (missing or mistyped field).
    Shape(String),
    /// The article's shape, but a value breaks the contract.
    Invalid(Invalid),
    /// Larger than [`crate::limits::ARTICLE_MAX_BYTES`].
    TooLarge { bytes: usize },
}

impl ArticleError {
    /// True when the text was not well-formed JSON.
    pub fn is_syntax(&self) -> bool {
        matches!(self, ArticleError::Syntax { .. })
    }
}

impl fmt::Display for ArticleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArticleError::Syntax {
                line,
                column,
                message,
            } => write!(f, "{message} (line {line}, column {column})"),
            ArticleError::Shape(m) => f.write_str(m),
            ArticleError::Invalid(i) => i.fmt(f),
            ArticleError::TooLarge { bytes } => write!(
                f,
                "document is {bytes} bytes, the limit is {}",
                crate::limits::ARTICLE_MAX_BYTES
            ),
        }
    }
}

impl std::error::Error for ArticleError {}

/// The API's error document: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: String,
    pub message: String,
}
