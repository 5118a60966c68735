//! The rating part: the summary line "lượt đánh giá: 12, trung bình: 4,3".

use crate::format;
use crate::i18n::{t, Lang, Msg};
use bantin_protocol::RatingSummary;
use leptos::prelude::*;

pub fn summary_text(rating: &RatingSummary, lang: Lang) -> String {
    t(lang, Msg::RatingSummary)
        .replace("{count}", &format::integer(rating.count, lang))
        .replace("{average}", &format::one_decimal(rating.average, lang))
}

pub fn rating_view(rating: RatingSummary, lang: Lang) -> impl IntoView {
    view! {
        <section class="bt-rating" aria-label=t(lang, Msg::RatingHeading)>
            <h2 class="bt-part-title">{t(lang, Msg::RatingHeading)} ":"</h2>
            <p class="bt-rating-summary">{summary_text(&rating, lang)}</p>
        </section>
    }
}
