//! The API client: one method per endpoint, on gloo-net. URLs come from
//! `bantin_protocol::paths`, the same table the server's router is built from.
//!
//! Answers are read with the browser's `JSON.parse` ([`js`]) and
//! `bantin_protocol::decode`, requests written by `bantin_protocol::encode`:
//! no JSON parser, serializer or serde in the widget's wasm.

mod http;
pub mod js;

pub use http::TIMEOUT_MS;

use crate::error::Error;
use bantin_protocol::admin::Report;
use bantin_protocol::api::{
    CommentCreated, CommentDelete, CommentEdit, CommentEdited, CommentPage, CommentSort,
    LikeRequest, LikeResponse, NewComment, RatingResponse, VisitRequest, VoteRequest,
};
use bantin_protocol::decode::{self, Json};
use bantin_protocol::encode::ToJson;
use bantin_protocol::limits::ARTICLE_MAX_BYTES;
use bantin_protocol::paths::Endpoints;
use bantin_protocol::pow::Challenge;
use bantin_protocol::{Article, Counters};
use gloo_net::http::Method;
use http::Cookies;
use js::Js;

/// Comments per page of the list.
pub const PAGE_SIZE: u32 = 10;
/// Replies per "Xem thêm N trả lời".
pub const REPLIES_PAGE_SIZE: u32 = 20;

/// Reads a 2xx answer with `decode`, or the failure it stands for.
fn read<T>(answer: http::Answer, decode: fn(&Js) -> Result<T, String>) -> Result<T, Error> {
    if !answer.ok() {
        return Err(answer.into_error());
    }
    let tree = Js::parse(&answer.body).map_err(Error::BadBody)?;
    decode(&tree).map_err(Error::BadBody)
}

fn json<T: ToJson>(body: &T) -> Option<String> {
    Some(body.to_json())
}

/// GETs an article document from any URL (a static file or the API) and
/// validates it against the contract.
pub async fn article_at(url: &str) -> Result<Article, Error> {
    let answer = http::send(Method::GET, url, None, Cookies::SameOrigin).await?;
    if !answer.ok() {
        return Err(answer.into_error());
    }
    if answer.body.len() > ARTICLE_MAX_BYTES {
        return Err(Error::TooLarge);
    }
    let tree = Js::parse(&answer.body).map_err(Error::Malformed)?;
    Ok(decode::article(&tree)?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    endpoints: Endpoints,
}

impl Client {
    /// `base`: the API's absolute URL, such as `https://portal.vn/api/v1`.
    pub fn new(base: &str) -> Client {
        Client {
            endpoints: Endpoints::new(base),
        }
    }

    pub fn base(&self) -> &str {
        self.endpoints.base()
    }

    pub fn article_url(&self, id: &str) -> String {
        self.endpoints.article(id)
    }

    /// A visitor credential: the stored one kept (renewed when old), or a
    /// new one (`POST /visitors`).
    pub async fn visitor(&self, stored: Option<&str>) -> Result<String, Error> {
        let body = js::stringify(&[("visitor", stored.unwrap_or(""))]);
        let answer = http::send(
            Method::POST,
            &self.endpoints.visitors(),
            Some(body),
            Cookies::Include,
        )
        .await?;
        if !answer.ok() {
            return Err(answer.into_error());
        }
        let tree = Js::parse(&answer.body).map_err(Error::BadBody)?;
        tree.member("visitor")
            .and_then(|v| v.string())
            .ok_or_else(|| Error::BadBody("no visitor in the answer".into()))
    }

    /// Counts this browser session's visit (once per session; the server
    /// ignores repeats) and answers the site's counters, the named article's
    /// views, and the credential to keep when the server gave one (new,
    /// renewed, or the cookie's).
    pub async fn visit(
        &self,
        visit: &VisitRequest,
    ) -> Result<bantin_protocol::api::VisitResponse, Error> {
        let id = visit.article_id.as_deref();
        let members = [
            ("visitor", visit.visitor.as_str()),
            ("session", visit.session.as_str()),
            ("article_id", id.unwrap_or_default()),
        ];
        let body = js::stringify(&members[..if id.is_some() { 3 } else { 2 }]);
        let answer = http::send(
            Method::POST,
            &self.endpoints.visits(),
            Some(body),
            Cookies::Include,
        )
        .await?;
        if !answer.ok() {
            return Err(answer.into_error());
        }
        let tree = Js::parse(&answer.body).map_err(Error::BadBody)?;
        let counters: Counters =
            decode::counters(&tree).map_err(|e| Error::BadBody(e.to_string()))?;
        Ok(bantin_protocol::api::VisitResponse {
            total_visits: counters.total_visits,
            online: counters.online,
            visitor: tree.member("visitor").and_then(|v| v.string()),
            // A number (a count, from the server), or absent.
            views: tree
                .member("views")
                .and_then(|v| v.0.as_f64())
                .map(|n| n as u64),
        })
    }

    pub async fn rating(&self, id: &str, visitor: &str) -> Result<RatingResponse, Error> {
        let url = format!(
            "{}?visitor={}",
            self.endpoints.rating(id),
            bantin_protocol::paths::encode_query(visitor)
        );
        read(
            http::send(Method::GET, &url, None, Cookies::Include).await?,
            decode::rating_answer,
        )
    }

    pub async fn vote(&self, id: &str, vote: &VoteRequest) -> Result<RatingResponse, Error> {
        let url = self.endpoints.rating(id);
        read(
            http::send(Method::PUT, &url, json(vote), Cookies::Include).await?,
            decode::rating_answer,
        )
    }

    /// The first page (`cursor` None) or the page after `cursor`, in `sort` order.
    pub async fn comment_page(
        &self,
        id: &str,
        sort: CommentSort,
        cursor: Option<&str>,
    ) -> Result<CommentPage, Error> {
        let url = self.endpoints.comment_page(id, sort, PAGE_SIZE, cursor);
        read(
            http::send(Method::GET, &url, None, Cookies::Include).await?,
            decode::comment_page,
        )
    }

    /// Replies of top-level comment `comment` after the reply `after` (the
    /// last one shown).
    pub async fn replies(
        &self,
        id: &str,
        comment: u64,
        after: Option<u64>,
    ) -> Result<CommentPage, Error> {
        let cursor = after.map(|a| a.to_string());
        let url = self
            .endpoints
            .replies(id, comment, REPLIES_PAGE_SIZE, cursor.as_deref());
        read(
            http::send(Method::GET, &url, None, Cookies::Include).await?,
            decode::comment_page,
        )
    }

    pub async fn post_comment(
        &self,
        id: &str,
        comment: &NewComment,
    ) -> Result<CommentCreated, Error> {
        let visitor = crate::visitor::stored();
        let url = self.endpoints.comments_by(id, visitor.as_deref());
        read(
            http::send(Method::POST, &url, json(comment), Cookies::Include).await?,
            decode::comment_created,
        )
    }

    /// Likes comment `comment` (`on`), or takes the like back.
    pub async fn like(
        &self,
        id: &str,
        comment: u64,
        visitor: String,
        on: bool,
    ) -> Result<LikeResponse, Error> {
        let url = self.endpoints.like(id, comment);
        let method = if on { Method::POST } else { Method::DELETE };
        let body = json(&LikeRequest { visitor });
        read(
            http::send(method, &url, body, Cookies::Include).await?,
            decode::like_answer,
        )
    }

    /// Changes the text of the reader's own comment (with the secret the
    /// server gave when it accepted it).
    pub async fn edit_comment(
        &self,
        id: &str,
        comment: u64,
        edit: &CommentEdit,
    ) -> Result<CommentEdited, Error> {
        let url = self.endpoints.comment(id, comment);
        read(
            http::send(Method::PUT, &url, json(edit), Cookies::Include).await?,
            decode::comment_edited,
        )
    }

    /// Reports a comment to the portal's editors. A credential that reported
    /// it before gets `409`: the caller treats that as done.
    pub async fn report(&self, id: &str, comment: u64, visitor: String) -> Result<(), Error> {
        let url = self.endpoints.report(id, comment);
        let body = json(&Report {
            visitor,
            reason: String::new(),
        });
        let answer = http::send(Method::POST, &url, body, Cookies::Include).await?;
        if answer.ok() {
            Ok(())
        } else {
            Err(answer.into_error())
        }
    }

    /// Deletes the reader's own comment.
    pub async fn delete_comment(&self, id: &str, comment: u64, token: &str) -> Result<(), Error> {
        let url = self.endpoints.comment(id, comment);
        let body = json(&CommentDelete {
            token: token.to_owned(),
        });
        let answer = http::send(Method::DELETE, &url, body, Cookies::Include).await?;
        if answer.ok() {
            Ok(())
        } else {
            Err(answer.into_error())
        }
    }

    pub async fn captcha(&self) -> Result<Challenge, Error> {
        read(
            http::send(
                Method::GET,
                &self.endpoints.captcha(),
                None,
                Cookies::Include,
            )
            .await?,
            decode::challenge,
        )
    }
}
