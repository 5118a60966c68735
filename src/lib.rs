//! Bantin: an embeddable news-article widget. See `docs/architecture.md`.
//!
//! Two bundles share this library: the first download (`src/main.rs`:
//! mount points, the article, the counters) and the deferred parts
//! (`src/bin/bantin_parts.rs`: rating, comments, captchas, proof of work),
//! which `deferred.rs` loads after the article has been painted.

pub mod api;
pub mod boot;
pub mod clock;
pub mod config;
pub mod ctx;
pub mod deferred;
pub mod error;
pub mod format;
pub mod i18n;
pub mod jsonld;
pub mod mount;
pub mod parts;
pub mod remote;
pub mod sanitize;
pub mod storage;
pub mod views;
pub mod visitor;
pub mod visits;

pub use mount::{mount, mount_all};
