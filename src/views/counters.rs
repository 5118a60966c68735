//! The counters part: "Thống kê: 2.504.500", "Online: 3". With an API the
//! numbers are live (see `visits.rs`); in static mode they come from the article JSON.

use crate::format;
use crate::i18n::{t, Lang, Msg};
use crate::remote::Remote;
use crate::visits;
use bantin_protocol::Counters;
use leptos::prelude::*;

/// The numbers as text: `…` while nothing is known.
fn number(known: Option<Counters>, pick: fn(&Counters) -> u64, lang: Lang) -> String {
    known.map_or_else(|| "…".to_owned(), |c| format::integer(pick(&c), lang))
}

/// One view for static and live numbers: `known()` is what to show (`None`
/// while loading), `unavailable()` when the server cannot be reached and no
/// numbers are known. Text and a `hidden` attribute change, nothing is rebuilt.
fn counters(
    lang: Lang,
    known: impl Fn() -> Option<Counters> + Copy + Send + 'static,
    unavailable: impl Fn() -> bool + Copy + Send + 'static,
) -> impl IntoView {
    view! {
        <section class="bt-counters" aria-label=t(lang, Msg::CountersHeading) aria-live="polite">
            <dl hidden=unavailable>
                <div class="bt-counter">
                    <dt>{t(lang, Msg::CountersVisits)} ":"</dt>
                    <dd class="bt-visits">{move || number(known(), |c| c.total_visits, lang)}</dd>
                </div>
                <div class="bt-counter">
                    <dt>{t(lang, Msg::CountersOnline)} ":"</dt>
                    <dd class="bt-online">{move || number(known(), |c| c.online, lang)}</dd>
                </div>
            </dl>
            <p class="bt-inline-error" hidden=move || !unavailable()>{t(lang, Msg::CountersUnavailable)}</p>
        </section>
    }
}

/// Static counters, from the article document.
pub fn counters_view(from_article: Counters, lang: Lang) -> impl IntoView {
    counters(lang, move || Some(from_article), || false)
}

/// Live counters from the API. `fallback` is what to show when the server
/// cannot be reached: the numbers an article document carried (possibly
/// stale), `Loading` while a stand-in document (`data-static`) is read, or
/// `Failed` for "unavailable".
pub fn live_counters_view(
    shared: visits::Shared,
    fallback: visits::Shared,
    lang: Lang,
) -> impl IntoView {
    let state = Signal::derive(move || shared.get());
    let fallback = Signal::derive(move || fallback.get());
    let known = move || match state.get() {
        Remote::Ready(c) => Some(c),
        Remote::Failed(_) => fallback.get().ready().copied(),
        Remote::Loading => None,
    };
    let failed = |s: Signal<Remote<Counters>>| matches!(s.get(), Remote::Failed(_));
    let unavailable = move || failed(state) && failed(fallback);
    counters(lang, known, unavailable)
}
