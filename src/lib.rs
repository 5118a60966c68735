//! Bantin: an embeddable news-article widget. See `docs/architecture.md`.

pub mod api;
pub mod clock;
pub mod components;
pub mod config;
pub mod draft;
pub mod format;
pub mod i18n;
pub mod mount;
pub mod pow;
pub mod sanitize;
pub mod storage;
pub mod visits;

pub use mount::{mount, mount_all};
