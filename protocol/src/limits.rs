//! Size limits of the contract. Server and widget enforce the same numbers.

/// Article ids: URL-safe, so they can appear in API paths unescaped.
pub const ARTICLE_ID_MAX_CHARS: usize = 128;
pub const TITLE_MAX_CHARS: usize = 500;
pub const SUMMARY_MAX_CHARS: usize = 5_000;
pub const TEXT_BLOCK_MAX_CHARS: usize = 50_000;
/// One `html` block; the widget rebuilds it node by node, so it stays bounded.
pub const HTML_BLOCK_MAX_BYTES: usize = 200_000;
pub const BLOCKS_MAX: usize = 2_000;
pub const RELATED_MAX: usize = 50;
/// A whole article document as fetched over the network.
pub const ARTICLE_MAX_BYTES: usize = 2_000_000;

// ---- API requests (see `crate::api`) ----

/// A comment's author name, counted in characters after trimming.
pub const AUTHOR_MAX_CHARS: usize = 80;
/// A comment's body, counted in characters after normalizing line breaks and trimming.
pub const COMMENT_BODY_MAX_CHARS: usize = 2_000;
/// An e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;
/// Visitor and session ids: random tokens (a UUID is 36 characters).
pub const VISITOR_ID_MAX_CHARS: usize = 64;
pub const SESSION_ID_MAX_CHARS: usize = 64;
/// A base64 proof-of-work payload.
pub const CAPTCHA_PAYLOAD_MAX_BYTES: usize = 2_048;
/// Any JSON request body the API accepts.
pub const API_BODY_MAX_BYTES: usize = 16 * 1024;
/// Top-level comments per page: default and maximum of `?limit=`.
pub const COMMENTS_PAGE_DEFAULT: usize = 20;
pub const COMMENTS_PAGE_MAX: usize = 100;
/// Replies listed with each top-level comment (the oldest ones); the rest,
/// `reply_count - REPLIES_INLINE_MAX`, come from the replies endpoint.
pub const REPLIES_INLINE_MAX: usize = 20;
/// Replies per page of the replies endpoint: default and maximum of `?limit=`.
pub const REPLIES_PAGE_DEFAULT: usize = 20;
pub const REPLIES_PAGE_MAX: usize = 100;
/// Article ids in one `GET /counts?ids=` request at most.
pub const COUNTS_IDS_MAX: usize = 100;
/// A visitor counts as online for this long after their last visit or heartbeat.
pub const ONLINE_WINDOW_SECS: u64 = 300;
/// Stars of a rating.
pub const STARS_MIN: u8 = 1;
pub const STARS_MAX: u8 = 5;
/// A starting number (`bantin-server counts set`, and the visits of an
/// import added to one) at most: 2^53 − 1, the largest integer a browser's
/// JSON number holds exactly, far enough below the 64-bit signed range of
/// the databases that live counts added to it never overflow.
pub const STARTING_NUMBER_MAX: u64 = (1 << 53) - 1;
