//! The views. `widget` owns one mount point's state; the others render parts of it.

pub mod article;
pub mod comments;
pub mod counters;
pub mod rating;
pub mod status;
pub mod widget;
