//! The article part: header, lead, body blocks, related links.

use crate::clock;
use crate::format;
use crate::i18n::{t, Lang, Msg};
use crate::sanitize;
use bantin_protocol::{Article, Block, RelatedLink};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// With `body_after_paint`, the body's blocks are mounted in a task after the
/// header has been painted: the reader sees the title one layout sooner.
pub fn article_view(
    article: &Article,
    base: &str,
    lang: Lang,
    body_after_paint: bool,
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
    let summary = (!article.summary.trim().is_empty())
        .then(|| view! { <p class="bt-summary">{article.summary.clone()}</p> });
    let body = NodeRef::<leptos::html::Div>::new();
    let blocks = if body_after_paint {
        let (blocks, base) = (article.blocks.clone(), base.to_owned());
        body.on_load(move |div| {
            spawn_local(async move {
                clock::after_paint(100).await;
                mount_to(div.unchecked_into(), move || {
                    blocks.iter().map(|b| block_view(b, &base)).collect_view()
                })
                .forget();
            })
        });
        None
    } else {
        Some(
            article
                .blocks
                .iter()
                .map(|b| block_view(b, base))
                .collect_view(),
        )
    };
    let related = (!article.related.is_empty()).then(|| related_view(&article.related, base, lang));

    view! {
        <article class="bt-article" lang=article.lang.clone()>
            <header class="bt-header">
                {article.category.clone().map(|c| view! { <p class="bt-category">{c}</p> })}
                <h1 class="bt-title">{article.title.clone()}</h1>
                <p class="bt-meta">{published} {updated} {byline} {source}</p>
            </header>
            {summary}
            <div class="bt-body" node_ref=body>{blocks}</div>
            {related}
        </article>
    }
}

fn block_view(block: &Block, base: &str) -> AnyView {
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

fn related_view(links: &[RelatedLink], base: &str, lang: Lang) -> impl IntoView {
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
