//! The v1 API over real HTTP, one module per endpoint: the server runs
//! in-process on 127.0.0.1:0 with a temporary database. Every test runs twice:
//! `<module>::sqlite::<name>` on a SQLite file and `<module>::postgres::<name>`
//! in a schema of its own in the PostgreSQL database of
//! `BANTIN_TEST_POSTGRES_URL` (skipped without it, a failure without it when
//! `CI` is set). One test binary for all of them (one link, not nine).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod admin;
mod alerts;
mod articles;
mod captcha;
mod comments;
mod console_queue;
mod console_session;
mod counts;
mod data;
mod edit;
mod hostile;
mod likes;
mod persistence;
mod protection;
mod ratings;
mod reports;
mod sorting;
mod starting_numbers;
mod static_files;
mod visitors;
mod visits;
