//! The rating part: an accessible 1–5 star radio group and the summary line
//! "lượt đánh giá: 12, trung bình: 4,3". With an API the vote is saved there
//! (optimistically, rolled back on refusal); in static mode it stays in the browser.

use crate::api::Client;
use crate::clock::sleep;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::format;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang, Msg as Common};
use crate::{storage, visitor};
use bantin_protocol::api::{codes, RatingResponse, VoteRequest};
use bantin_protocol::RatingSummary;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// What the stars and the summary line show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub count: u64,
    pub average: f64,
    pub your_vote: Option<u8>,
}

impl From<&RatingResponse> for Shown {
    fn from(r: &RatingResponse) -> Self {
        Shown {
            count: r.count,
            average: r.average,
            your_vote: r.your_vote,
        }
    }
}

/// The summary after this reader votes `stars`, before the server confirms.
pub fn with_vote(s: Shown, stars: u8) -> Shown {
    let total = s.average * s.count as f64;
    let (count, total) = match s.your_vote {
        Some(old) => (s.count.max(1), total - f64::from(old) + f64::from(stars)),
        None => (s.count + 1, total + f64::from(stars)),
    };
    Shown {
        count,
        average: total / count as f64,
        your_vote: Some(stars),
    }
}

pub fn summary_text(count: u64, average: f64, lang: Lang) -> String {
    let msg = if count == 1 {
        Msg::RatingSummaryOne
    } else {
        Msg::RatingSummary
    };
    t(lang, msg)
        .replace("{count}", &format::integer(count, lang))
        .replace("{average}", &format::one_decimal(average, lang))
}

const VOTE_DELAY_MS: i32 = 400;

/// The rating's state: plain signals and stored values, so it is `Copy`.
#[derive(Clone, Copy)]
struct Rating {
    shown: RwSignal<Shown>,
    /// The last state the server confirmed: what a refused vote rolls back to.
    confirmed: RwSignal<Shown>,
    /// The numbers are known (from the article or the server).
    known: RwSignal<bool>,
    /// The star under the pointer or the focus.
    preview: RwSignal<Option<u8>>,
    problem: RwSignal<Option<String>>,
    /// Counts votes: only the last one the reader settles on is sent.
    generation: RwSignal<u32>,
    api: StoredValue<Option<Client>>,
    article_id: StoredValue<String>,
    lang: Lang,
}

impl Rating {
    /// `from_article`: the numbers the article document carried, if it was
    /// loaded. With an API the live numbers replace them as soon as they arrive.
    fn new(ctx: &Ctx, article_id: &str, from_article: Option<RatingSummary>) -> Rating {
        let static_vote = || {
            storage::get(&vote_key(article_id))
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|v| (1..=5).contains(v))
        };
        let numbers = from_article.unwrap_or_default();
        let initial = Shown {
            count: numbers.count,
            average: numbers.average,
            // In static mode the reader's vote lives in this browser only.
            your_vote: if ctx.api.is_none() {
                static_vote()
            } else {
                None
            },
        };
        let rating = Rating {
            shown: RwSignal::new(initial),
            confirmed: RwSignal::new(initial),
            known: RwSignal::new(from_article.is_some() || ctx.api.is_none()),
            preview: RwSignal::new(None),
            problem: RwSignal::new(None),
            generation: RwSignal::new(0),
            api: StoredValue::new(ctx.api.clone()),
            article_id: StoredValue::new(article_id.to_owned()),
            lang: ctx.lang,
        };
        rating.load();
        rating
    }

    fn confirm(self, r: &RatingResponse) {
        self.shown.set(Shown::from(r));
        self.confirmed.set(Shown::from(r));
        self.known.set(true);
    }

    /// The live numbers. A read needs no credential: the reader's own vote is
    /// shown when one is held (or the server's cookie names them).
    fn load(self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        let (id, lang) = (self.article_id.get_value(), self.lang);
        spawn_local(async move {
            let held = visitor::stored().unwrap_or_default();
            let mut result = api.rating(&id, &held).await;
            if result.as_ref().is_err_and(visitor::is_refused) {
                result = api.rating(&id, "").await;
            }
            match result {
                Ok(r) => self.confirm(&r),
                Err(f) => self
                    .problem
                    .set(Some(t1(lang, Msg::RatingLoadFailed, &f.message(lang)))),
            }
        });
    }

    /// The reader chose `stars`: shown at once, sent after a short pause (arrow
    /// keys change the vote star by star), rolled back when refused.
    fn vote(self, stars: u8) {
        if self.shown.get_untracked().your_vote == Some(stars) {
            return;
        }
        self.problem.set(None);
        let Some(api) = self.api.get_value() else {
            // Static mode: the article's numbers stay as published; the vote is the reader's own.
            self.shown.update(|s| s.your_vote = Some(stars));
            storage::set(&vote_key(&self.article_id.get_value()), &stars.to_string());
            return;
        };
        self.shown.update(|s| *s = with_vote(*s, stars));
        let this = self.generation.get_untracked().wrapping_add(1);
        self.generation.set(this);
        let id = self.article_id.get_value();
        spawn_local(async move {
            sleep(VOTE_DELAY_MS).await;
            if self.generation.get_untracked() != this {
                return;
            }
            let result = visitor::with_credential(&api, |token| {
                let vote = VoteRequest {
                    stars,
                    visitor: token,
                };
                let (api, id) = (api.clone(), id.clone());
                async move { api.vote(&id, &vote).await }
            })
            .await;
            if self.generation.get_untracked() != this {
                return;
            }
            match result {
                Ok(r) => self.confirm(&r),
                Err(f) => {
                    self.shown.set(self.confirmed.get_untracked());
                    self.problem.set(Some(vote_failed(&f, self.lang)));
                }
            }
        });
    }

    /// Arrows move from the focused star (the checked one, or the first).
    fn on_key(self, ev: web_sys::KeyboardEvent) {
        let current = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-star"))
            .and_then(|v| v.parse::<u8>().ok())
            .or(self.shown.get_untracked().your_vote)
            .unwrap_or(1);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => (current + 1).min(5),
            "ArrowLeft" | "ArrowDown" => current.saturating_sub(1).max(1),
            "Home" => 1,
            "End" => 5,
            _ => return,
        };
        ev.prevent_default();
        self.vote(next);
        focus_star(&ev, next);
    }
}

fn vote_key(article_id: &str) -> String {
    format!("vote:{article_id}")
}

/// Star `i`: a radio button; the checked star (or the first) is the tab stop.
fn star_view(rating: Rating, i: u8) -> impl IntoView {
    let Rating {
        shown,
        preview,
        lang,
        ..
    } = rating;
    let checked = move || shown.get().your_vote == Some(i);
    let lit = move || preview.get().or(shown.get().your_vote).unwrap_or(0) >= i;
    let tab = move || {
        if shown.get().your_vote.unwrap_or(1) == i {
            "0"
        } else {
            "-1"
        }
    };
    view! {
        <button
            type="button"
            role="radio"
            class="bt-star"
            data-star=i.to_string()
            class:bt-star-on=lit
            aria-checked=move || checked().to_string()
            aria-label=t1(lang, Msg::RatingStar, &i.to_string())
            tabindex=tab
            on:click=move |_| rating.vote(i)
            on:mouseenter=move |_| preview.set(Some(i))
            on:focus=move |_| preview.set(Some(i))
            on:blur=move |_| preview.set(None)
        >
            <span aria-hidden="true">"★"</span>
        </button>
    }
}

/// `from_article`: the numbers the article document carried, if it was loaded.
pub fn rating_view(
    ctx: &Ctx,
    article_id: &str,
    from_article: Option<RatingSummary>,
) -> impl IntoView {
    let rating = Rating::new(ctx, article_id, from_article);
    let Rating {
        shown,
        known,
        preview,
        problem,
        lang,
        ..
    } = rating;
    let summary = move || {
        let s = shown.get();
        if known.get() {
            summary_text(s.count, s.average, lang)
        } else {
            String::from("…")
        }
    };
    view! {
        <section class="bt-rating" aria-labelledby="bt-rating-title">
            <h2 class="bt-part-title" id="bt-rating-title">{t(lang, Common::RatingHeading)} ":"</h2>
            <div
                class="bt-stars"
                role="radiogroup"
                aria-label=t(lang, Msg::RatingGroup)
                on:keydown=move |ev| rating.on_key(ev)
                on:mouseleave=move |_| preview.set(None)
            >
                {(1..=5u8).map(|i| star_view(rating, i)).collect_view()}
            </div>
            <p class="bt-rating-summary" aria-live="polite">{summary}</p>
            {move || shown.get().your_vote.map(|v| view! {
                <p class="bt-rating-yours">{t1(lang, Msg::RatingYours, &v.to_string())}</p>
            })}
            {move || problem.get().map(|p| view! { <p class="bt-inline-error" role="alert">{p}</p> })}
        </section>
    }
}

fn vote_failed(f: &Error, lang: Lang) -> String {
    if f.code() == codes::NETWORK_CAP_REACHED {
        return t(lang, Msg::RatingCapReached).to_owned();
    }
    t1(lang, Msg::RatingVoteFailed, &f.message(lang))
}

fn focus_star(ev: &web_sys::KeyboardEvent, stars: u8) {
    let group = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(button) = group
        .and_then(|g| g.query_selector_all("[role=radio]").ok())
        .and_then(|list| list.item(u32::from(stars) - 1))
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_vote_adds_one_and_a_changed_vote_replaces_it() {
        let s = Shown {
            count: 12,
            average: 4.25,
            your_vote: None,
        };
        let first = with_vote(s, 1);
        assert_eq!((first.count, first.your_vote), (13, Some(1)));
        assert!((first.average - 52.0 / 13.0).abs() < 1e-9);
        let changed = with_vote(first, 5);
        assert_eq!(changed.count, 13);
        assert!((changed.average - 56.0 / 13.0).abs() < 1e-9);
        let only = with_vote(
            Shown {
                count: 0,
                average: 0.0,
                your_vote: None,
            },
            4,
        );
        assert_eq!((only.count, only.average), (1, 4.0));
    }

    #[test]
    fn summary_line_uses_the_language_number_format() {
        assert_eq!(
            summary_text(2_504, 4.25, Lang::Vi),
            "lượt đánh giá: 2.504, trung bình: 4,3"
        );
        assert_eq!(summary_text(1, 5.0, Lang::En), "1 rating, average 5.0");
    }
}
