//! What happens to a reader's comment before it is stored: bans, the
//! "refuse" keyword list, and why it waits for an editor (the "hold"
//! list, links, phone numbers, `--moderation queue`), with the trust a
//! credential earns by its published comments.

use crate::config::Moderation;
use crate::error::Failure;
use crate::fold;
use crate::AppState;
use axum::http::StatusCode;
use bantin_protocol::admin::{codes, Hold};

/// `403 banned` when the credential or the network is banned.
pub async fn check_ban(
    state: &AppState,
    visitor: Option<&str>,
    network: &str,
) -> Result<(), Failure> {
    let now = crate::now_secs();
    match state
        .store
        .ban_on(visitor.map(str::to_owned), network.to_owned(), now)
        .await?
    {
        None => Ok(()),
        Some(ban) => {
            tracing::info!(ban = ban.id, network, "banned reader refused");
            let until = match ban.expires_at {
                Some(t) => format!(" until {t}"),
                None => String::new(),
            };
            Err(Failure::new(
                StatusCode::FORBIDDEN,
                codes::BANNED,
                format!("this reader may not write here{until}"),
            ))
        }
    }
}

/// The verdict on a new comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub hold: Option<Hold>,
    pub has_link: bool,
    pub has_phone: bool,
}

/// Refuses a comment with a "refuse" keyword (`422 keyword_refused`), else
/// says whether and why it waits.
pub async fn judge(
    state: &AppState,
    author: &str,
    body: &str,
    visitor: Option<&str>,
) -> Result<Verdict, Failure> {
    let keywords = state.store.keywords().await?;
    let text = format!("{author}\n{body}");
    if let Some(word) = fold::first_match(&text, &keywords.refuse) {
        tracing::info!(word, "comment refused: keyword");
        return Err(Failure::unprocessable(
            codes::KEYWORD_REFUSED,
            "the comment contains a word this site does not accept",
        ));
    }
    let has_link = fold::has_link(body);
    let has_phone = fold::has_phone(body);
    let hold = if fold::first_match(&text, &keywords.hold).is_some() {
        Some(Hold::Keyword)
    } else if trusted(state, visitor).await? {
        None
    } else if state.config.hold_links && has_link {
        Some(Hold::Link)
    } else if state.config.hold_phones && has_phone {
        Some(Hold::Phone)
    } else if state.config.moderation == Moderation::Queue {
        Some(Hold::Queue)
    } else {
        None
    };
    Ok(Verdict {
        hold,
        has_link,
        has_phone,
    })
}

/// `--trust-after N` published comments from this credential.
async fn trusted(state: &AppState, visitor: Option<&str>) -> Result<bool, Failure> {
    let n = state.config.trust_after;
    match visitor {
        Some(v) if n > 0 => Ok(state.store.published_by(v).await? >= u64::from(n)),
        _ => Ok(false),
    }
}

/// The title of an article in the articles directory, when it has one.
pub async fn article_title(state: &AppState, id: &str) -> Option<String> {
    let path = state.config.articles_dir.join(format!("{id}.json"));
    let text = tokio::fs::read_to_string(&path).await.ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("title")?.as_str().map(str::to_owned)
}
