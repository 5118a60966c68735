//! The portal's data, out and back in: comments, ratings and visits as JSON
//! (importable) or CSV (for spreadsheets), by `GET /admin/export`, `POST
//! /admin/import` and `bantin-server export|import`; and one reader's data,
//! exported or deleted (`GET`/`DELETE /admin/privacy`).
//!
//! Visits are the counts shown (the site's total and each article's views,
//! starting numbers included); importing them adds them to the starting
//! numbers, so a round trip into an empty database shows the same counts.

use crate::store::console::{ExportComment, ExportVote};
use crate::store::{OffsetKind, Store};
use bantin_protocol::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT: &str = "bantin-export";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleViews {
    pub article_id: String,
    pub views: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visits {
    pub total_visits: u64,
    pub articles: Vec<ArticleViews>,
}

/// The JSON export: the parts asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<ExportComment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratings: Option<Vec<ExportVote>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<Visits>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Comments,
    Ratings,
    Visits,
    All,
}

impl What {
    pub fn parse(s: &str) -> Option<What> {
        match s {
            "comments" => Some(What::Comments),
            "ratings" => Some(What::Ratings),
            "visits" => Some(What::Visits),
            "all" => Some(What::All),
            _ => None,
        }
    }
}

/// What the import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub comments: u64,
    pub ratings: u64,
    pub visits: bool,
}

pub async fn build(store: &dyn Store, what: What) -> Result<Export, String> {
    let e = |e: crate::store::StoreError| e.to_string();
    let mut out = Export {
        format: FORMAT.into(),
        version: 1,
        ..Export::default()
    };
    if matches!(what, What::Comments | What::All) {
        out.comments = Some(store.export_comments().await.map_err(e)?);
    }
    if matches!(what, What::Ratings | What::All) {
        out.ratings = Some(store.export_votes().await.map_err(e)?);
    }
    if matches!(what, What::Visits | What::All) {
        let total = store
            .stats(crate::now_secs(), 0)
            .await
            .map_err(e)?
            .total_visits;
        let mut views: BTreeMap<String, u64> = BTreeMap::new();
        for (a, n) in store.live_views().await.map_err(e)? {
            *views.entry(a).or_default() += n;
        }
        for (a, n) in store.offsets().await.map_err(e)?.article_views {
            *views.entry(a).or_default() += n;
        }
        out.visits = Some(Visits {
            total_visits: total,
            articles: views
                .into_iter()
                .map(|(article_id, views)| ArticleViews { article_id, views })
                .collect(),
        });
    }
    Ok(out)
}

/// A problem with an import, before anything is stored.
pub fn check(doc: &Export) -> Result<(), String> {
    if !doc.format.is_empty() && doc.format != FORMAT {
        return Err(format!("format: must be `{FORMAT}`"));
    }
    if doc.version > 1 {
        return Err(format!(
            "version: {} is newer than this server (1)",
            doc.version
        ));
    }
    let valid_id = bantin_protocol::article::is_valid_id;
    let comments = doc.comments.as_deref().unwrap_or_default();
    // Each id once; a reply's parent is found among them by its id.
    let mut by_id = std::collections::HashMap::new();
    for (i, c) in comments.iter().enumerate() {
        if let Some(first) = by_id.insert(c.id, i) {
            return Err(format!(
                "comments[{i}].id: {} is the id of comments[{first}] too",
                c.id
            ));
        }
    }
    for (i, c) in comments.iter().enumerate() {
        if !valid_id(&c.article_id) {
            return Err(format!("comments[{i}].article_id: is not an article id"));
        }
        if !matches!(c.status.as_str(), "published" | "pending" | "rejected") {
            return Err(format!(
                "comments[{i}].status: must be published, pending or rejected"
            ));
        }
        if c.body.chars().count() > bantin_protocol::limits::COMMENT_BODY_MAX_CHARS * 2 {
            return Err(format!("comments[{i}].body: is too long"));
        }
        // Bounded as the starting numbers are: a like more must not overflow.
        let max = bantin_protocol::limits::STARTING_NUMBER_MAX;
        if c.likes < 0 {
            return Err(format!("comments[{i}].likes: must not be negative"));
        }
        if c.likes as u64 > max {
            return Err(format!("comments[{i}].likes: must be at most {max}"));
        }
        if c.reports < 0 {
            return Err(format!("comments[{i}].reports: must not be negative"));
        }
        // Replies are one level deep, under a comment of the same article in
        // the same import (its ids are those of the database it came from).
        if let Some(p) = c.parent_id {
            let Some(parent) = by_id.get(&p).map(|&j| &comments[j]) else {
                return Err(format!(
                    "comments[{i}].parent_id: no comment with id {p} in this import"
                ));
            };
            if parent.article_id != c.article_id {
                return Err(format!(
                    "comments[{i}].parent_id: comment {p} is on another article"
                ));
            }
            if parent.parent_id.is_some() {
                return Err(format!(
                    "comments[{i}].parent_id: comment {p} is a reply (replies are one level deep)"
                ));
            }
        }
    }
    for (i, v) in doc.ratings.iter().flatten().enumerate() {
        if !valid_id(&v.article_id) {
            return Err(format!("ratings[{i}].article_id: is not an article id"));
        }
        if !(1..=5).contains(&v.stars) {
            return Err(format!("ratings[{i}].stars: must be 1 to 5"));
        }
        if v.visitor.is_empty() {
            return Err(format!("ratings[{i}].visitor: must not be empty"));
        }
    }
    let max = bantin_protocol::limits::STARTING_NUMBER_MAX;
    if let Some(v) = &doc.visits {
        if v.total_visits > max {
            return Err(format!("visits.total_visits: must be at most {max}"));
        }
    }
    for (i, a) in doc.visits.iter().flat_map(|v| &v.articles).enumerate() {
        if !valid_id(&a.article_id) {
            return Err(format!(
                "visits.articles[{i}].article_id: is not an article id"
            ));
        }
        if a.views > max {
            return Err(format!("visits.articles[{i}].views: must be at most {max}"));
        }
    }
    Ok(())
}

/// Stores a checked export ([`check`]). Its visits are added to the starting
/// numbers stored, each sum capped at
/// [`STARTING_NUMBER_MAX`](bantin_protocol::limits::STARTING_NUMBER_MAX).
pub async fn import(store: &dyn Store, doc: Export) -> Result<Imported, String> {
    let e = |e: crate::store::StoreError| e.to_string();
    let (comments, ratings) = store
        .import(
            doc.comments.unwrap_or_default(),
            doc.ratings.unwrap_or_default(),
        )
        .await
        .map_err(e)?;
    let visits = doc.visits.is_some();
    if let Some(v) = doc.visits {
        let offsets = store.offsets().await.map_err(e)?;
        store
            .set_offset(
                OffsetKind::SiteVisits,
                start_sum(offsets.site_visits, v.total_visits),
            )
            .await
            .map_err(e)?;
        for a in v.articles {
            let old = offsets
                .article_views
                .iter()
                .find(|(id, _)| *id == a.article_id)
                .map_or(0, |(_, n)| *n);
            store
                .set_offset(
                    OffsetKind::ArticleViews(a.article_id),
                    start_sum(old, a.views),
                )
                .await
                .map_err(e)?;
        }
    }
    crate::backfill_folded(store).await;
    Ok(Imported {
        comments,
        ratings,
        visits,
    })
}

/// A starting number plus imported counts, at most the maximum.
fn start_sum(old: u64, added: u64) -> u64 {
    old.saturating_add(added)
        .min(bantin_protocol::limits::STARTING_NUMBER_MAX)
}

/// One CSV cell: quoted when needed; a cell a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) gets a `'` in front.
fn cell(out: &mut String, v: &str) {
    let guarded;
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{v}");
        guarded.as_str()
    } else {
        v
    };
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

fn line(out: &mut String, cells: &[String]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, c);
    }
    out.push_str("\r\n");
}

fn time(t: i64) -> String {
    Timestamp::from_unix_seconds(t).to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

/// The CSV of one part (not `All`).
pub fn csv(doc: &Export) -> String {
    let mut out = String::new();
    if let Some(comments) = &doc.comments {
        line(
            &mut out,
            &[
                "id",
                "article_id",
                "parent_id",
                "author",
                "email",
                "body",
                "status",
                "created_at",
                "edited_at",
                "deleted_at",
                "likes",
                "official",
                "visitor",
                "network",
                "reports",
            ]
            .map(String::from),
        );
        for c in comments {
            line(
                &mut out,
                &[
                    c.id.to_string(),
                    c.article_id.clone(),
                    opt(&c.parent_id),
                    c.author.clone(),
                    opt(&c.email),
                    c.body.clone(),
                    c.status.clone(),
                    time(c.created_at),
                    c.edited_at.map(time).unwrap_or_default(),
                    c.deleted_at.map(time).unwrap_or_default(),
                    c.likes.to_string(),
                    c.official.to_string(),
                    opt(&c.visitor),
                    opt(&c.network),
                    c.reports.to_string(),
                ],
            );
        }
    } else if let Some(ratings) = &doc.ratings {
        line(
            &mut out,
            &["article_id", "visitor", "stars", "updated_at"].map(String::from),
        );
        for v in ratings {
            line(
                &mut out,
                &[
                    v.article_id.clone(),
                    v.visitor.clone(),
                    v.stars.to_string(),
                    time(v.updated_at),
                ],
            );
        }
    } else if let Some(visits) = &doc.visits {
        line(&mut out, &["article_id", "views"].map(String::from));
        line(
            &mut out,
            &[
                "(site total visits)".into(),
                visits.total_visits.to_string(),
            ],
        );
        for a in &visits.articles {
            line(&mut out, &[a.article_id.clone(), a.views.to_string()]);
        }
    }
    out
}

/// `bantin-server export --what W --format F`: what to print.
pub async fn run_export(
    config: &crate::config::Config,
    what: &str,
    format: &str,
) -> Result<String, String> {
    let what = What::parse(what)
        .ok_or_else(|| format!("--what: `{what}` is not comments, ratings, visits or all"))?;
    let store = crate::open_store(config).await?;
    let doc = build(store.as_ref(), what).await?;
    match format {
        "json" => serde_json::to_string_pretty(&doc)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        "csv" if what == What::All => Err("--format csv needs one --what".into()),
        "csv" => Ok(csv(&doc)),
        other => Err(format!("--format: `{other}` is neither json nor csv")),
    }
}

/// `bantin-server import FILE`.
pub async fn run_import(
    config: &crate::config::Config,
    file: &std::path::Path,
) -> Result<String, String> {
    let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let doc: Export =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    check(&doc)?;
    let store = crate::open_store(config).await?;
    let done = import(store.as_ref(), doc).await?;
    crate::audit::record(
        store.as_ref(),
        "cli",
        "import",
        &file.display().to_string(),
        &format!("{} comments, {} ratings", done.comments, done.ratings),
    )
    .await;
    Ok(format!(
        "imported {} comments, {} ratings{}\n",
        done.comments,
        done.ratings,
        if done.visits { ", visits" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_guarded() {
        let mut s = String::new();
        cell(&mut s, "a,\"b\"\nc");
        assert_eq!(s, "\"a,\"\"b\"\"\nc\"");
        let mut s = String::new();
        cell(&mut s, "=HYPERLINK(1)");
        assert_eq!(s, "'=HYPERLINK(1)");
    }
}
