//! The proof-of-work solver: finds a challenge's number with the protocol
//! crate's SHA-256 code, in slices of a few milliseconds with a yield to the
//! browser in between, so typing and scrolling never stall.

use crate::clock::{now_ms, yield_now};
use bantin_protocol::pow::{solve_range, Challenge, Payload};

/// Numbers tried between two looks at the clock.
const CHUNK: u64 = 1_000;
/// Hashing time before yielding to the browser: typing and scrolling never
/// wait longer than this (a long task is 50 ms).
const SLICE_MS: f64 = 12.0;

/// How often the progress bar is updated.
const PROGRESS_MS: f64 = 150.0;

/// Finds the challenge's number in slices, yielding to the browser between
/// them; the base64 payload, or `None` when the range holds no solution.
pub async fn solve_challenge(
    challenge: &Challenge,
    mut progress: impl FnMut(f64),
) -> Option<String> {
    let started = now_ms();
    let end = challenge.maxnumber.saturating_add(1);
    let mut start = 0;
    let mut shown = started;
    while start < end {
        let slice_started = now_ms();
        while start < end && now_ms() - slice_started < SLICE_MS {
            let stop = (start + CHUNK).min(end);
            if let Some(n) = solve_range(&challenge.challenge, &challenge.salt, start, stop) {
                let took = (now_ms() - started).max(0.0) as u64;
                return Some(Payload::new(challenge, n, took).encode());
            }
            start = stop;
        }
        // The bar moves a few times a second: redrawing it after every slice
        // cost the solver a tenth of its time.
        if now_ms() - shown >= PROGRESS_MS {
            shown = now_ms();
            progress(start as f64 / end as f64);
        }
        yield_now().await;
    }
    None
}
