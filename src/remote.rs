//! What a part knows of something it asked the server for.

use crate::error::Error;

#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    Loading,
    Ready(T),
    Failed(Error),
}

impl<T> Remote<T> {
    pub fn from_result(result: Result<T, Error>) -> Remote<T> {
        match result {
            Ok(v) => Remote::Ready(v),
            Err(e) => Remote::Failed(e),
        }
    }

    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading)
    }
}
