//! The rating part: an accessible 1–5 star radio group and the summary line
//! "lượt đánh giá: 12, trung bình: 4,3". With an API the vote is saved there
//! (optimistically, rolled back on refusal); in static mode it stays in the browser.

use crate::clock::sleep;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::format;
use crate::i18n::parts::Msg;
use crate::i18n::{t, t1, Lang, Msg as Common};
use crate::{storage, visitor};
use bantin_protocol::api::codes;
use bantin_protocol::api::{RatingResponse, VoteRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
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

/// `from_article`: the numbers the article document carried, if it was loaded.
pub fn rating_view(
    ctx: &Ctx,
    article_id: &str,
    from_article: Option<bantin_protocol::RatingSummary>,
) -> impl IntoView {
    let lang = ctx.lang;
    let vote_key = format!("vote:{article_id}");
    let local_vote = storage::get(&vote_key)
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|v| (1..=5).contains(v));
    // With an API the live numbers replace these as soon as they arrive.
    let known = RwSignal::new(from_article.is_some() || ctx.api.is_none());
    let from_article = from_article.unwrap_or_default();
    let initial = Shown {
        count: from_article.count,
        average: from_article.average,
        // In static mode the reader's vote lives in this browser only.
        your_vote: if ctx.api.is_none() { local_vote } else { None },
    };
    let shown = RwSignal::new(initial);
    // The last state the server confirmed: what a refused vote rolls back to.
    let confirmed = RwSignal::new(initial);
    let preview = RwSignal::new(None::<u8>);
    let problem = RwSignal::new(None::<String>);
    let generation = RwSignal::new(0u32);

    let api = ctx.api.clone();
    let id = article_id.to_owned();
    if let Some(api) = api.clone() {
        let id = id.clone();
        spawn_local(async move {
            // A read needs no credential: the reader's own vote is shown when
            // one is held (or the server's cookie names them).
            let held = visitor::stored().unwrap_or_default();
            let mut result = api.rating(&id, &held).await;
            if result.as_ref().is_err_and(visitor::is_refused) {
                result = api.rating(&id, "").await;
            }
            match result {
                Ok(r) => {
                    shown.set(Shown::from(&r));
                    confirmed.set(Shown::from(&r));
                    known.set(true);
                }
                Err(f) => problem.set(Some(t1(lang, Msg::RatingLoadFailed, &f.message(lang)))),
            }
        });
    }

    let vote = Rc::new(move |stars: u8| {
        if shown.get_untracked().your_vote == Some(stars) {
            return;
        }
        problem.set(None);
        let Some(api) = api.clone() else {
            // Static mode: the article's numbers stay as published; the vote is the reader's own.
            shown.update(|s| s.your_vote = Some(stars));
            storage::set(&vote_key, &stars.to_string());
            return;
        };
        shown.update(|s| *s = with_vote(*s, stars));
        // Arrow keys change the vote star by star: send only the one the reader settles on.
        let this = generation.get_untracked().wrapping_add(1);
        generation.set(this);
        let id = id.clone();
        spawn_local(async move {
            sleep(VOTE_DELAY_MS).await;
            if generation.get_untracked() != this {
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
            if generation.get_untracked() != this {
                return;
            }
            match result {
                Ok(r) => {
                    shown.set(Shown::from(&r));
                    confirmed.set(Shown::from(&r));
                }
                Err(f) => {
                    shown.set(confirmed.get_untracked());
                    problem.set(Some(vote_failed(&f, lang)));
                }
            }
        });
    });

    let vote_by_key = vote.clone();
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        // Arrows move from the focused star (the checked one, or the first).
        let current = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-star"))
            .and_then(|v| v.parse::<u8>().ok())
            .or(shown.get_untracked().your_vote)
            .unwrap_or(1);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => (current + 1).min(5),
            "ArrowLeft" | "ArrowDown" => current.saturating_sub(1).max(1),
            "Home" => 1,
            "End" => 5,
            _ => return,
        };
        ev.prevent_default();
        vote_by_key(next);
        focus_star(&ev, next);
    };

    let stars = (1..=5u8)
        .map(|i| {
            let vote = vote.clone();
            let checked = move || shown.get().your_vote == Some(i);
            let lit = move || preview.get().or(shown.get().your_vote).unwrap_or(0) >= i;
            // Roving tabindex: the checked star, or the first one, is the tab stop.
            let tab = move || {
                let v = shown.get().your_vote.unwrap_or(1);
                if v == i {
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
                    on:click=move |_| vote(i)
                    on:mouseenter=move |_| preview.set(Some(i))
                    on:focus=move |_| preview.set(Some(i))
                    on:blur=move |_| preview.set(None)
                >
                    <span aria-hidden="true">"★"</span>
                </button>
            }
        })
        .collect_view();

    view! {
        <section class="bt-rating" aria-labelledby="bt-rating-title">
            <h2 class="bt-part-title" id="bt-rating-title">{t(lang, Common::RatingHeading)} ":"</h2>
            <div
                class="bt-stars"
                role="radiogroup"
                aria-label=t(lang, Msg::RatingGroup)
                on:keydown=on_keydown
                on:mouseleave=move |_| preview.set(None)
            >
                {stars}
            </div>
            <p class="bt-rating-summary" aria-live="polite">
                {move || {
                    let s = shown.get();
                    if known.get() { summary_text(s.count, s.average, lang) } else { String::from("…") }
                }}
            </p>
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
