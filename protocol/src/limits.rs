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
