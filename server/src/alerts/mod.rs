//! Alerts to the editors: a comment that needs review (`comment.held`) and
//! a reader's report (`comment.reported`), sent to the webhook
//! (`--webhook-url`, [`webhook`]) and by e-mail (`--smtp-url`, [`email`]).
//!
//! Each alert is a row of the `deliveries` table first (durable: a restart
//! or a failed receiver loses nothing), then [`run`] sends what is due,
//! retrying failures after `--alert-retry-base-ms`, doubled each time, up
//! to `--alert-max-attempts`. Rows are leased while they are being sent, so
//! instances sharing a PostgreSQL database do not send one twice.

pub mod email;
pub mod webhook;

use crate::store::console::{DeliveryRow, QueueQuery};
use crate::AppState;
use bantin_protocol::admin::{QueueItem, QueueStatus};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub const HELD: &str = "comment.held";
pub const REPORTED: &str = "comment.reported";

/// How long a claimed delivery is left to one sender before another may
/// take it again.
const LEASE_MS: i64 = 60_000;

/// The webhook's body.
#[derive(Debug, Serialize)]
pub struct Event<'a> {
    pub event: &'a str,
    pub comment: &'a QueueItem,
    /// Where the console shows the comment.
    pub console: String,
}

/// The console's address of comment `id`.
pub fn console_link(state: &AppState, id: u64) -> String {
    bantin_protocol::admin::console_link(state.config.public_url.as_deref().unwrap_or(""), id)
}

fn now_ms() -> i64 {
    crate::now_millis() as i64
}

/// Queues the alerts of `event` about comment `id` (nothing when no alert
/// channel is configured), then wakes the sender.
pub async fn raise(state: &AppState, event: &'static str, id: u64) {
    let config = &state.config;
    if config.webhook_url.is_none() && config.smtp_url.is_none() {
        return;
    }
    if let Err(e) = enqueue(state, event, id).await {
        tracing::error!(error = %e, event, id, "alert not queued");
    }
    state.alerts_wake.notify_one();
}

async fn enqueue(state: &AppState, event: &'static str, id: u64) -> Result<(), String> {
    let Some(mut item) = find(state, id).await? else {
        return Ok(());
    };
    // The author's credential and network stay in the console: a webhook
    // (a chat service, often) and e-mail get the text and a link.
    item.visitor = None;
    item.network = None;
    let payload = serde_json::to_string(&Event {
        event,
        comment: &item,
        console: console_link(state, id),
    })
    .map_err(|e| e.to_string())?;
    let now = crate::now_secs();
    if state.config.webhook_url.is_some() {
        state
            .store
            .enqueue_delivery("webhook", event.into(), payload.clone(), now, now_ms())
            .await
            .map_err(|e| e.to_string())?;
    }
    if state.config.smtp_url.is_some() {
        let due = email_due(now_ms(), state.config.email_digest_minutes);
        state
            .store
            .enqueue_delivery("email", event.into(), payload, now, due)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// When an e-mail alert raised at `now_ms` goes out: at once, or at the
/// end of its digest period (every alert of a period is due together, so
/// they go in one message).
pub fn email_due(now_ms: i64, digest_minutes: u32) -> i64 {
    let period = i64::from(digest_minutes) * 60_000;
    if period == 0 {
        now_ms
    } else {
        (now_ms / period + 1) * period
    }
}

/// The comment as the console lists it.
async fn find(state: &AppState, id: u64) -> Result<Option<QueueItem>, String> {
    let (items, _) = state
        .store
        .queue(QueueQuery {
            status: QueueStatus::All,
            article: None,
            reported: false,
            links: false,
            phones: false,
            q: None,
            comment: Some(id),
            after: None,
            limit: 1,
        })
        .await
        .map_err(|e| e.to_string())?;
    let mut item = items.into_iter().next();
    if let Some(i) = &mut item {
        i.article_title = crate::moderation::article_title(state, &i.article_id).await;
    }
    Ok(item)
}

/// The delay before attempt `attempts + 1`, after `attempts` failed.
pub fn backoff(base: Duration, attempts: u32) -> Duration {
    base.saturating_mul(1u32 << attempts.saturating_sub(1).min(20))
}

/// Sends what is due, until the server stops.
pub async fn run(state: Arc<AppState>) {
    loop {
        if let Err(e) = send_due(&state).await {
            tracing::warn!(error = %e, "alerts: sending failed");
        }
        let wait = match state.store.next_delivery_at().await {
            Ok(Some(at)) => Duration::from_millis((at - now_ms()).clamp(5, 60_000) as u64),
            _ => Duration::from_secs(60),
        };
        tokio::select! {
            _ = state.alerts_wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn send_due(state: &AppState) -> Result<(), String> {
    loop {
        let rows = state
            .store
            .claim_deliveries(now_ms(), LEASE_MS, 50)
            .await
            .map_err(|e| e.to_string())?;
        if rows.is_empty() {
            return Ok(());
        }
        let (mails, hooks): (Vec<DeliveryRow>, Vec<DeliveryRow>) =
            rows.into_iter().partition(|r| r.channel == "email");
        for row in hooks {
            let result = webhook::send(state, &row).await;
            finish(state, &row, result).await?;
        }
        if !mails.is_empty() {
            // One message for the rows due together (a digest, or the
            // events of the same moment).
            let result = email::send(state, &mails).await;
            for row in &mails {
                finish(state, row, result.clone()).await?;
            }
        }
    }
}

async fn finish(
    state: &AppState,
    row: &DeliveryRow,
    result: Result<(), String>,
) -> Result<(), String> {
    let attempts = row.attempts + 1;
    let (st, next, error) = match result {
        Ok(()) => ("delivered", 0, None),
        Err(e) if attempts >= state.config.alert_max_attempts => {
            tracing::warn!(id = row.id, channel = %row.channel, error = %e, "alert given up");
            ("failed", 0, Some(e))
        }
        Err(e) => {
            let delay = backoff(state.config.alert_retry_base, attempts);
            tracing::info!(id = row.id, channel = %row.channel, error = %e, ?delay, "alert to retry");
            ("pending", now_ms() + delay.as_millis() as i64, Some(e))
        }
    };
    state
        .store
        .finish_delivery(row.id, attempts, st, next, error)
        .await
        .map_err(|e| e.to_string())
}

/// Wakes [`run`] when an alert is queued.
pub fn wake() -> Notify {
    Notify::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_due_together_at_the_end_of_their_period() {
        assert_eq!(email_due(1_234, 0), 1_234);
        let ten = 600_000;
        assert_eq!(email_due(ten + 1, 10), 2 * ten);
        assert_eq!(email_due(2 * ten - 1, 10), 2 * ten);
        assert_eq!(email_due(2 * ten, 10), 3 * ten);
    }

    #[test]
    fn a_digest_lists_every_alert() {
        let row = |id: u64, event: &str, body: &str| DeliveryRow {
            id,
            channel: "email".into(),
            event: event.into(),
            payload:
                serde_json::json!({"comment": {"author": "An", "article_id": "a", "body": body},
                                        "console": format!("https://x/admin/?comment={id}")})
                .to_string(),
            attempts: 0,
        };
        let (subject, text) = email::compose(&[row(1, HELD, "một"), row(2, REPORTED, "hai")]);
        assert_eq!(subject, "Bantin: 1 bình luận chờ duyệt, 1 báo cáo");
        assert!(
            text.contains("Chờ duyệt: An") && text.contains("Bị báo cáo: An"),
            "{text}"
        );
        assert!(text.contains("https://x/admin/?comment=1") && text.contains("comment=2"));
    }

    #[test]
    fn backoff_doubles() {
        let b = Duration::from_millis(100);
        assert_eq!(backoff(b, 1), Duration::from_millis(100));
        assert_eq!(backoff(b, 2), Duration::from_millis(200));
        assert_eq!(backoff(b, 4), Duration::from_millis(800));
    }
}
