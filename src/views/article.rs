//! The article part: header, lead, body blocks, related links.

use crate::format;
use crate::i18n::{t, Lang, Msg};
use crate::sanitize;
use crate::views::counters;
use crate::visits;
use bantin_protocol::{Article, Block, RelatedLink};
use leptos::prelude::*;

/// The class of an article whose body is not mounted yet: it keeps a
/// screen's height, so that nothing below it moves when the body comes.
pub const PENDING: &str = "bt-article-pending";

/// The article. Without `with_body`, its body (`.bt-body`) is left empty for
/// [`body_view`], mounted after the header has been painted: the reader sees
/// the title one layout sooner. With `views` (the page's visits, when they
/// name this article) the meta line ends with its views once they are known.
pub fn article_view(
    article: &Article,
    base: &str,
    lang: Lang,
    with_body: bool,
    views: Option<visits::Shared>,
) -> impl IntoView {
    let published = article.published_at.map(|ts| {
        view! {
            <span class="bt-published">
                {t(lang, Msg::Published)} " "
                <time datetime=ts.to_string()>{format::date_time(&ts, lang)}</time>
            </span>
        }
    });
    let updated = article.updated_at.map(|ts| {
        view! {
            <span class="bt-updated">
                {t(lang, Msg::Updated)} " "
                <time datetime=ts.to_string()>{format::date_time(&ts, lang)}</time>
            </span>
        }
    });
    let byline = article.author.clone().map(|a| {
        view! { <span class="bt-author"><span class="bt-visually-hidden">{t(lang, Msg::Author)} ": "</span>{a}</span> }
    });
    let source = article.source.clone().map(|s| {
        view! { <span class="bt-source">{t(lang, Msg::Source)} ": " {s}</span> }
    });
    // Its space is kept from the first paint (`.bt-views` in base.css): the
    // number comes with the visit's answer, after the header is painted.
    let views = views.map(|v| {
        let known = Signal::derive(move || v.get());
        view! { <span class="bt-views">{counters::text(known, views_text, lang)}</span> }
    });
    let summary = (!article.summary.trim().is_empty())
        .then(|| view! { <p class="bt-summary">{article.summary.clone()}</p> });
    let blocks = with_body.then(|| body_view(&article.blocks, base));
    let related = with_body.then(|| related_view(&article.related, base, lang));

    view! {
        <article class=if with_body { "bt-article" } else { "bt-article bt-article-pending" } lang=article.lang.clone()>
            <header class="bt-header">
                {article.category.clone().map(|c| view! { <p class="bt-category">{c}</p> })}
                <h1 class="bt-title">{article.title.clone()}</h1>
                <p class="bt-meta">{published} {updated} {byline} {source} {views}</p>
            </header>
            {summary}
            <div class="bt-body">{blocks}</div>
            {related}
        </article>
    }
}

/// "Lượt xem: 1.234"; a no-break space (the line's height) while unknown.
pub fn views_text(known: Option<&visits::Numbers>, lang: Lang) -> String {
    known.and_then(|n| n.views).map_or_else(
        || "\u{a0}".to_owned(),
        |n| [t(lang, Msg::Views), ": ", &format::integer(n, lang)].concat(),
    )
}

/// The article's body blocks (unknown types are skipped).
pub fn body_view(blocks: &[Block], base: &str) -> impl IntoView {
    blocks.iter().map(|b| block_view(b, base)).collect_view()
}

/// One body block (nothing for an unknown type).
pub fn block_view(block: &Block, base: &str) -> AnyView {
    match block {
        Block::Paragraph { text } => view! { <p>{text.clone()}</p> }.into_any(),
        Block::Heading { level, text } => {
            let text = text.clone();
            // h1 is the title's; deeper levels collapse to h4 to keep the outline short.
            match level {
                0..=2 => view! { <h2>{text}</h2> }.into_any(),
                3 => view! { <h3>{text}</h3> }.into_any(),
                _ => view! { <h4>{text}</h4> }.into_any(),
            }
        }
        Block::Image {
            src,
            alt,
            caption,
            width,
            height,
        } => {
            let src = sanitize::resolve_url(src, base, true);
            view! {
                <figure class="bt-figure">
                    <img
                        src=src
                        alt=alt.clone()
                        width=width.map(|w| w.to_string())
                        height=height.map(|h| h.to_string())
                        loading="lazy"
                        decoding="async"
                    />
                    {caption.clone().map(|c| view! { <figcaption>{c}</figcaption> })}
                </figure>
            }
            .into_any()
        }
        Block::Quote { text, cite } => view! {
            <blockquote class="bt-quote">
                <p>{text.clone()}</p>
                {cite.clone().map(|c| view! { <footer><cite>{c}</cite></footer> })}
            </blockquote>
        }
        .into_any(),
        Block::Html { html } => {
            let html = html.clone();
            let base = base.to_owned();
            let node_ref = NodeRef::<leptos::html::Div>::new();
            node_ref.on_load(move |div| sanitize::render_into(&div, &html, &base));
            view! { <div class="bt-html" node_ref=node_ref></div> }.into_any()
        }
        Block::Unknown => ().into_any(),
    }
}

/// "Tin liên quan", when the article has related links.
pub fn related_view(links: &[RelatedLink], base: &str, lang: Lang) -> impl IntoView {
    (!links.is_empty()).then(|| related_list(links, base, lang))
}

fn related_list(links: &[RelatedLink], base: &str, lang: Lang) -> impl IntoView {
    let items = links
        .iter()
        .filter_map(|l| {
            let href = sanitize::resolve_url(&l.url, base, false)?;
            let date = l.published_at.map(|ts| {
                view! { <time datetime=ts.to_string()>{format::date(&ts, lang)}</time> }
            });
            Some(view! { <li><a href=href>{l.title.clone()}</a> " " {date}</li> })
        })
        .collect_view();
    view! {
        <nav class="bt-related" aria-label=t(lang, Msg::Related)>
            <h2>{t(lang, Msg::Related)}</h2>
            <ul>{items}</ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_grouped_and_blank_until_known() {
        let seen = |views| visits::Numbers {
            views,
            ..Default::default()
        };
        assert_eq!(
            views_text(Some(&seen(Some(1234))), Lang::Vi),
            "Lượt xem: 1.234"
        );
        assert_eq!(
            views_text(Some(&seen(Some(1234))), Lang::En),
            "Views: 1,234"
        );
        assert_eq!(views_text(Some(&seen(None)), Lang::Vi), "\u{a0}");
        assert_eq!(views_text(None, Lang::Vi), "\u{a0}");
    }
}
