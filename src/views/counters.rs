//! The counters part: "Thống kê: 2.504.500", "Online: 3". With an API the
//! numbers are live (see `visits.rs`); in static mode they come from the article JSON.

use crate::format;
use crate::i18n::{t, Lang, Msg};
use crate::remote::Remote;
use crate::visits;
use bantin_protocol::Counters;
use leptos::prelude::*;

fn numbers(counters: Counters, lang: Lang) -> impl IntoView {
    view! {
        <dl>
            <div class="bt-counter">
                <dt>{t(lang, Msg::CountersVisits)} ":"</dt>
                <dd class="bt-visits">{format::integer(counters.total_visits, lang)}</dd>
            </div>
            <div class="bt-counter">
                <dt>{t(lang, Msg::CountersOnline)} ":"</dt>
                <dd class="bt-online">{format::integer(counters.online, lang)}</dd>
            </div>
        </dl>
    }
}

/// Static counters, from the article document.
pub fn counters_view(counters: Counters, lang: Lang) -> impl IntoView {
    view! {
        <section class="bt-counters" aria-label=t(lang, Msg::CountersHeading)>
            {numbers(counters, lang)}
        </section>
    }
}

/// Live counters from the API; falls back to `fallback` (the article's, which
/// may be stale) only when the server cannot be reached.
pub fn live_counters_view(
    shared: visits::Shared,
    fallback: Option<Counters>,
    lang: Lang,
) -> impl IntoView {
    view! {
        <section class="bt-counters" aria-label=t(lang, Msg::CountersHeading) aria-live="polite">
            {move || match (shared.get(), fallback) {
                (Remote::Ready(c), _) | (Remote::Failed(_), Some(c)) => numbers(c, lang).into_any(),
                (Remote::Loading, _) => view! { <div class="bt-sk bt-sk-counters"></div> }.into_any(),
                (Remote::Failed(_), None) => view! {
                    <p class="bt-inline-error">{t(lang, Msg::CountersUnavailable)}</p>
                }.into_any(),
            }}
        </section>
    }
}
