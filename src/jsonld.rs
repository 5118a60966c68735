//! The article as schema.org `NewsArticle` JSON-LD in the host document's
//! `<head>`, where search engines read it (the widget's shadow root is not
//! part of the page's markup). No `AggregateRating`: Google shows review
//! stars only for other types and ignores them on news articles
//! (docs/embedding.md, "Search engines").

use crate::config::Publisher;
use crate::sanitize::resolve_url;
use bantin_protocol::{Article, Block};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;
use web_sys::Document;

/// Marks the script element of one article, so a reload replaces it.
const MARK: &str = "data-bantin-article";

/// Images listed: Google asks for one or more, large ones first.
const MAX_IMAGES: usize = 3;

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn typed(kind: &str) -> Object {
    let obj = Object::new();
    set(&obj, "@type", kind);
    obj
}

/// The JSON-LD document of `article` (relative URLs resolved against `base`,
/// the document's URL; `page`: the page it is shown on).
pub fn document(article: &Article, base: &str, page: &str, publisher: &Publisher) -> Object {
    let ld = typed("NewsArticle");
    set(&ld, "@context", "https://schema.org");
    set(&ld, "headline", article.title.as_str());
    if !article.summary.is_empty() {
        set(&ld, "description", article.summary.as_str());
    }
    if !article.lang.is_empty() {
        set(&ld, "inLanguage", article.lang.as_str());
    }
    set(&ld, "mainEntityOfPage", page);
    let published = article.published_at.map(|t| t.to_string());
    if let Some(t) = &published {
        set(&ld, "datePublished", t.as_str());
    }
    if let Some(t) = article.updated_at.map(|t| t.to_string()).or(published) {
        set(&ld, "dateModified", t.as_str());
    }
    if let Some(name) = &article.author {
        let author = typed("Person");
        set(&author, "name", name.as_str());
        set(&ld, "author", Array::of1(&author));
    }
    if let Some(section) = &article.category {
        set(&ld, "articleSection", section.as_str());
    }
    let images: Array = article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Image { src, .. } => resolve_url(src, base, true),
            _ => None,
        })
        .take(MAX_IMAGES)
        .map(JsValue::from)
        .collect();
    if images.length() > 0 {
        set(&ld, "image", images);
    }
    if let Some(name) = &publisher.name {
        let org = typed("Organization");
        set(&org, "name", name.as_str());
        if let Some(logo) = publisher
            .logo
            .as_deref()
            .and_then(|l| resolve_url(l, page, true))
        {
            let image = typed("ImageObject");
            set(&image, "url", logo);
            set(&org, "logo", image);
        }
        set(&ld, "publisher", org);
    }
    ld
}

/// The JSON text, safe inside a `<script>` even when the page is serialised
/// (no `</script>` or `<!--` can appear).
pub fn text(ld: &Object) -> String {
    JSON::stringify(ld)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Adds (or replaces) the article's JSON-LD in `doc`'s head.
pub fn publish(doc: &Document, article: &Article, base: &str, publisher: &Publisher) {
    let Some(head) = doc.head() else { return };
    let page = page_url(doc);
    let json = text(&document(article, base, &page, publisher));
    let selector = format!("script[{MARK}=\"{}\"]", article.id);
    let script = match head.query_selector(&selector).ok().flatten() {
        Some(s) => s,
        None => {
            let Ok(s) = doc.create_element("script") else {
                return;
            };
            let _ = s.set_attribute("type", "application/ld+json");
            let _ = s.set_attribute(MARK, &article.id);
            let _ = head.append_child(&s);
            s
        }
    };
    script.set_text_content(Some(&json));
}

/// The page's canonical URL when it declares one, else its own without the
/// fragment.
fn page_url(doc: &Document) -> String {
    let canonical = doc
        .query_selector("link[rel=canonical][href]")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("href"));
    let here = doc.url().unwrap_or_default();
    let href = canonical
        .and_then(|c| web_sys::Url::new_with_base(&c, &here).ok())
        .map(|u| u.href())
        .unwrap_or(here);
    href.split('#').next().unwrap_or_default().to_owned()
}
