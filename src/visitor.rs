//! The visitor credential: a token the server signs and hands out (`POST
//! /visitors`, or with the first visit), without which votes and visits are
//! not counted (docs/api.md). Kept in memory for the page and in
//! localStorage across visits; where localStorage is off, the server's
//! `bantin_visitor` cookie (sent because API requests include credentials)
//! keeps the reader's identity instead.

use crate::api::Client;
use crate::error::Error;
use crate::storage;
use bantin_protocol::api::codes;
use std::cell::RefCell;
use std::future::Future;

const KEY: &str = "credential";

thread_local! {
    static MEMORY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A stored token that can be one: the server judges the rest.
fn plausible(token: &str) -> bool {
    bantin_protocol::api::is_valid_token(token, 128)
}

/// The credential this browser holds, if any.
pub fn stored() -> Option<String> {
    MEMORY
        .with(|m| m.borrow().clone())
        .or_else(|| storage::get(KEY).filter(|t| plausible(t)))
}

/// Keeps a credential the server gave.
pub fn store(token: &str) {
    if !plausible(token) {
        return;
    }
    MEMORY.with(|m| *m.borrow_mut() = Some(token.to_owned()));
    storage::set(KEY, token);
}

pub fn forget() {
    MEMORY.with(|m| *m.borrow_mut() = None);
    storage::remove(KEY);
}

/// The server refused the credential (expired, forged, from another server).
pub fn is_refused(e: &Error) -> bool {
    e.status() == Some(401)
        && [
            codes::VISITOR_REQUIRED,
            codes::VISITOR_INVALID,
            codes::VISITOR_EXPIRED,
        ]
        .contains(&e.code())
}

/// The stored credential, or a new one from the server.
pub async fn ensure(api: &Client) -> Result<String, Error> {
    if let Some(token) = stored() {
        return Ok(token);
    }
    let token = api.visitor(None).await?;
    store(&token);
    Ok(token)
}

/// Runs `call` with the credential; when the server refuses it, gets a new
/// one and runs `call` once more.
pub async fn with_credential<T, F, Fut>(api: &Client, call: F) -> Result<T, Error>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let token = ensure(api).await?;
    match call(token).await {
        Err(e) if is_refused(&e) => {
            forget();
            let token = ensure(api).await?;
            call(token).await
        }
        other => other,
    }
}
