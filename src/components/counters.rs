//! The counters part: "Thống kê: 2.504.500", "Online: 3".

use crate::format;
use crate::i18n::{t, Lang, Msg};
use bantin_protocol::Counters;
use leptos::prelude::*;

pub fn counters_view(counters: Counters, lang: Lang) -> impl IntoView {
    view! {
        <section class="bt-counters" aria-label=t(lang, Msg::CountersHeading)>
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
        </section>
    }
}
