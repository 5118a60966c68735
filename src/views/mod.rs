//! The views of the first download.

pub mod article;
pub mod counters;
pub mod status;
pub mod swap;
