//! `bantin-server counts set|show`: the starting numbers a portal brings
//! from its old counters, kept in the database (`count_offsets`) and added
//! to the live counts wherever they are shown: the site's total visits
//! (`GET /stats`, the article document's counters, visits' answers) and each
//! article's views (visits' answers, `GET /counts`). Comment counts have none.

use crate::config::{Config, CountsAction, CountsSet};
use crate::store::{OffsetKind, Store};
use std::fmt::Write;

/// Runs `action` on the database of `config` (opening and migrating it as
/// the server does) and returns what to print.
pub async fn run(config: &Config, action: &CountsAction) -> Result<String, String> {
    if let CountsAction::Set(set) = action {
        let max = bantin_protocol::limits::STARTING_NUMBER_MAX;
        if [set.site_visits, set.views]
            .into_iter()
            .flatten()
            .any(|n| n > max)
        {
            return Err(format!("a starting number is at most {max}"));
        }
    }
    let store = crate::open_store(config).await?;
    let failed = |e: crate::store::StoreError| format!("{}: {e}", config.db);
    let mut out = String::new();
    match action {
        CountsAction::Set(CountsSet {
            site_visits,
            article,
            views,
        }) => {
            if let Some(n) = site_visits {
                store
                    .set_offset(OffsetKind::SiteVisits, *n)
                    .await
                    .map_err(failed)?;
                let shown = site_visits_shown(store.as_ref()).await.map_err(failed)?;
                let _ = writeln!(
                    out,
                    "site visits: starting number set to {n} (shown now: {shown})"
                );
            }
            if let (Some(id), Some(n)) = (article, views) {
                store
                    .set_offset(OffsetKind::ArticleViews(id.clone()), *n)
                    .await
                    .map_err(failed)?;
                let shown = views_shown(store.as_ref(), id).await.map_err(failed)?;
                let _ = writeln!(
                    out,
                    "article {id} views: starting number set to {n} (shown now: {shown})"
                );
            }
        }
        CountsAction::Show => {
            let offsets = store.offsets().await.map_err(failed)?;
            let shown = site_visits_shown(store.as_ref()).await.map_err(failed)?;
            let _ = writeln!(
                out,
                "site visits: starting number {} (shown now: {shown})",
                offsets.site_visits
            );
            if offsets.article_views.is_empty() {
                let _ = writeln!(out, "article views: no starting numbers");
            }
            for (id, n) in &offsets.article_views {
                let shown = views_shown(store.as_ref(), id).await.map_err(failed)?;
                let _ = writeln!(
                    out,
                    "article {id} views: starting number {n} (shown now: {shown})"
                );
            }
        }
    }
    Ok(out)
}

async fn site_visits_shown(store: &dyn Store) -> crate::store::StoreResult<u64> {
    Ok(store.stats(crate::now_secs(), 0).await?.total_visits)
}

async fn views_shown(store: &dyn Store, id: &str) -> crate::store::StoreResult<u64> {
    let counts = store.counts(vec![id.to_owned()]).await?;
    Ok(counts.get(id).map_or(0, |c| c.views))
}
