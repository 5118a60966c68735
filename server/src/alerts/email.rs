//! Alert e-mails through `--smtp-url` (lettre) to every account with an
//! e-mail address: one message for the alerts due together (each event at
//! once, or a digest every `--email-digest-minutes`), plain text, with a
//! link into the console for each comment.

use super::DeliveryRow;
use crate::AppState;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt::Write;

/// The subject and text of the message for `rows`.
pub fn compose(rows: &[DeliveryRow]) -> (String, String) {
    let held = rows.iter().filter(|r| r.event == super::HELD).count();
    let reported = rows.len() - held;
    let subject = match (held, reported) {
        (1, 0) => "Bantin: một bình luận chờ duyệt".to_owned(),
        (0, 1) => "Bantin: một bình luận bị báo cáo".to_owned(),
        _ => format!("Bantin: {held} bình luận chờ duyệt, {reported} báo cáo"),
    };
    let mut text = String::new();
    for r in rows {
        let v: serde_json::Value = serde_json::from_str(&r.payload).unwrap_or_default();
        let c = &v["comment"];
        let what = if r.event == super::HELD {
            "Chờ duyệt"
        } else {
            "Bị báo cáo"
        };
        let _ = writeln!(
            text,
            "{what}: {} — {}\n  {}\n  {}\n",
            c["author"].as_str().unwrap_or(""),
            c["article_title"]
                .as_str()
                .or(c["article_id"].as_str())
                .unwrap_or(""),
            c["body"]
                .as_str()
                .unwrap_or("")
                .chars()
                .take(300)
                .collect::<String>(),
            v["console"].as_str().unwrap_or(""),
        );
    }
    (subject, text)
}

/// One attempt at sending the message for `rows`.
pub async fn send(state: &AppState, rows: &[DeliveryRow]) -> Result<(), String> {
    let (Some(url), Some(from)) = (&state.config.smtp_url, &state.config.smtp_from) else {
        return Err("no --smtp-url is configured any more".into());
    };
    let to = state
        .store
        .alert_emails()
        .await
        .map_err(|e| e.to_string())?;
    if to.is_empty() {
        return Err("no account has an e-mail address".into());
    }
    let from: Mailbox = from.parse().map_err(|e| format!("--smtp-from: {e}"))?;
    let (subject, text) = compose(rows);
    let mut builder = Message::builder().from(from).subject(subject);
    let mut any = false;
    for addr in &to {
        match addr.parse::<Mailbox>() {
            Ok(m) => {
                builder = builder.bcc(m);
                any = true;
            }
            Err(e) => tracing::warn!(addr, error = %e, "alert e-mail: address skipped"),
        }
    }
    if !any {
        return Err("no valid e-mail address among the accounts".into());
    }
    let message = builder
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| format!("message: {e}"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("--smtp-url: {e}"))?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP: {e}"))
}
