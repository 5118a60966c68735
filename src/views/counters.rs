//! The counters part: "Thống kê: 2.504.500", "Online: 3". With an API the
//! numbers are live (see `visits.rs`); in static mode they come from the article JSON.

use crate::format;
use crate::i18n::{t, Lang, Msg};
use crate::remote::Remote;
use crate::visits::{self, Numbers};
use bantin_protocol::Counters;
use leptos::prelude::*;

/// What the page's numbers show: `Loading` while nothing is known, `Failed`
/// when the server cannot be reached and no numbers are known.
pub type Known = Signal<Remote<Numbers>>;

/// A number as live text: `show` of what is known (`None` while loading).
/// One closure type for every live number in the first download (each
/// reactive text's type is compiled apart).
pub fn text(
    known: Known,
    show: fn(Option<&Numbers>, Lang) -> String,
    lang: Lang,
) -> impl Fn() -> String + Copy + Send + 'static {
    move || show(known.get().ready(), lang)
}

/// The number as text: `…` while nothing is known.
fn number(known: Option<u64>, lang: Lang) -> String {
    known.map_or_else(|| "…".to_owned(), |n| format::integer(n, lang))
}

/// One view for static and live numbers. Text and a `hidden` attribute
/// change, nothing is rebuilt.
fn counters(lang: Lang, known: Known) -> impl IntoView {
    let unavailable = move || matches!(known.get(), Remote::Failed(_));
    view! {
        <section class="bt-counters" aria-label=t(lang, Msg::CountersHeading) aria-live="polite">
            <dl hidden=unavailable>
                <div class="bt-counter">
                    <dt>{t(lang, Msg::CountersVisits)} ":"</dt>
                    <dd class="bt-visits">
                        {text(known, |n, lang| number(n.map(|n| n.counters.total_visits), lang), lang)}
                    </dd>
                </div>
                <div class="bt-counter">
                    <dt>{t(lang, Msg::CountersOnline)} ":"</dt>
                    <dd class="bt-online">
                        {text(known, |n, lang| number(n.map(|n| n.counters.online), lang), lang)}
                    </dd>
                </div>
            </dl>
            <p class="bt-inline-error" hidden=move || !unavailable()>{t(lang, Msg::CountersUnavailable)}</p>
        </section>
    }
}

/// Static counters, from the article document.
pub fn counters_view(from_article: Counters, lang: Lang) -> impl IntoView {
    counters(
        lang,
        Signal::derive(move || Remote::Ready(from_article.into())),
    )
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
    let known = Signal::derive(move || match shared.get() {
        Remote::Failed(_) => fallback.get(),
        known => known,
    });
    counters(lang, known)
}
