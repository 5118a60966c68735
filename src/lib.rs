//! Bantin: an embeddable news-article widget. See `docs/architecture.md`.

pub mod api;
pub mod components;
pub mod config;
pub mod format;
pub mod i18n;
pub mod mount;
pub mod sanitize;

pub use mount::{mount, mount_all};
