//! Bantin's JSON contract, version 1: the one definition of every document the
//! widget and the server exchange, with its limits and validation.

pub mod admin;
pub mod article;
pub mod decode;
pub mod encode;
pub mod error;
pub mod limits;
pub mod locale;
pub mod time;

pub use article::{parse_article, Article, Block, Counters, RatingSummary, RelatedLink};
pub use error::{ApiError, ApiErrorBody, ArticleError, Invalid};
pub use time::Timestamp;
pub mod api;
pub mod credential;
pub mod paths;
pub mod pow;
