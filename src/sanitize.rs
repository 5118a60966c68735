//! The `html` block: CMS output rebuilt through an allowlist.
//!
//! The markup is parsed by `DOMParser` into an inert document (no scripts run,
//! no resources load), then walked; only allowlisted elements and attributes
//! are re-created in the live document with `createElement` / `createTextNode`.
//! Nothing is ever assigned to `innerHTML`.

use wasm_bindgen::JsCast;
use web_sys::{Document, DomParser, Element, Node, SupportedType, Url};

/// What happens to an element of the source markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Re-created with its allowed attributes.
    Keep,
    /// Dropped, its children kept (e.g. `<font>`, `<section>`).
    Unwrap,
    /// Dropped with everything inside it.
    Drop,
}

pub fn element_action(tag: &str) -> Action {
    match tag {
        "p" | "br" | "hr" | "strong" | "b" | "em" | "i" | "u" | "s" | "small" | "sub" | "sup"
        | "mark" | "abbr" | "cite" | "q" | "code" | "pre" | "blockquote" | "a" | "ul" | "ol"
        | "li" | "dl" | "dt" | "dd" | "h2" | "h3" | "h4" | "h5" | "h6" | "figure"
        | "figcaption" | "img" | "table" | "caption" | "thead" | "tbody" | "tfoot" | "tr"
        | "th" | "td" | "div" | "span" => Action::Keep,
        "script" | "style" | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet"
        | "svg" | "math" | "template" | "noscript" | "noembed" | "noframes" | "link" | "meta"
        | "base" | "head" | "title" | "form" | "input" | "button" | "select" | "textarea"
        | "option" | "audio" | "video" | "source" | "track" | "canvas" | "portal" | "dialog" => {
            Action::Drop
        }
        _ => Action::Unwrap,
    }
}

/// Attributes kept per element; URLs are checked separately by [`resolve_url`].
pub fn allowed_attributes(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" => &["href", "title"],
        "img" => &["src", "alt", "title", "width", "height"],
        "td" | "th" => &["colspan", "rowspan"],
        "abbr" => &["title"],
        "ol" => &["start"],
        _ => &[],
    }
}

/// The element an `h1` becomes: the article title is the page's only `h1`.
fn output_tag(tag: &str) -> &str {
    if tag == "h1" {
        "h2"
    } else {
        tag
    }
}

/// Resolves `value` against `base` and returns it only when its scheme is allowed:
/// http(s) for images, plus mailto and tel for links.
pub fn resolve_url(value: &str, base: &str, for_image: bool) -> Option<String> {
    let url = Url::new_with_base(value.trim(), base).ok()?;
    let allowed = match url.protocol().as_str() {
        "http:" | "https:" => true,
        "mailto:" | "tel:" => !for_image,
        _ => false,
    };
    allowed.then(|| url.href())
}

/// Budget for hostile input: deeper nesting is flattened, extra nodes dropped.
const MAX_DEPTH: u32 = 24;
const MAX_NODES: u32 = 5_000;

/// Rebuilds `html` as safe nodes appended to `target`, resolving relative URLs
/// against `base`.
pub fn render_into(target: &Node, html: &str, base: &str) {
    let Some(doc) = target.owner_document() else {
        return;
    };
    let Ok(parser) = DomParser::new() else {
        return;
    };
    let Ok(inert) = parser.parse_from_string(html, SupportedType::TextHtml) else {
        return;
    };
    if let Some(body) = inert.body() {
        let mut budget = MAX_NODES;
        copy_children(&body, target, &doc, base, 0, &mut budget);
    }
}

fn copy_children(from: &Node, to: &Node, doc: &Document, base: &str, depth: u32, budget: &mut u32) {
    let mut child = from.first_child();
    while let Some(node) = child {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        match node.node_type() {
            Node::TEXT_NODE => {
                let text = node.text_content().unwrap_or_default();
                let _ = to.append_child(&doc.create_text_node(&text));
            }
            Node::ELEMENT_NODE => {
                let el: &Element = node.unchecked_ref();
                // local_name of an HTML element is lower case; anything from a
                // foreign namespace (svg, math) is dropped as a whole.
                let in_html = el.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml");
                let tag = el.local_name();
                let action = if in_html {
                    element_action(output_tag(&tag))
                } else {
                    Action::Drop
                };
                match action {
                    Action::Drop => {}
                    _ if depth >= MAX_DEPTH => {
                        let text = node.text_content().unwrap_or_default();
                        let _ = to.append_child(&doc.create_text_node(&text));
                    }
                    Action::Unwrap => copy_children(&node, to, doc, base, depth + 1, budget),
                    Action::Keep => {
                        let tag = output_tag(&tag);
                        if let Ok(copy) = doc.create_element(tag) {
                            copy_attributes(el, &copy, tag, base);
                            copy_children(&node, &copy, doc, base, depth + 1, budget);
                            let _ = to.append_child(&copy);
                        }
                    }
                }
            }
            _ => {}
        }
        child = node.next_sibling();
    }
}

fn copy_attributes(from: &Element, to: &Element, tag: &str, base: &str) {
    for &name in allowed_attributes(tag) {
        let Some(value) = from.get_attribute(name) else {
            continue;
        };
        let value = match name {
            "href" => resolve_url(&value, base, false),
            "src" => resolve_url(&value, base, true),
            "width" | "height" | "colspan" | "rowspan" | "start" => value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .map(|n| n.to_string()),
            _ => Some(value),
        };
        if let Some(value) = value {
            let _ = to.set_attribute(name, &value);
        }
    }
    match tag {
        "a" if to.has_attribute("href") => {
            let _ = to.set_attribute("rel", "noopener noreferrer");
        }
        "img" => {
            let _ = to.set_attribute("loading", "lazy");
            let _ = to.set_attribute("decoding", "async");
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_elements_are_dropped_whole() {
        for tag in [
            "script", "style", "iframe", "svg", "object", "embed", "form", "template",
        ] {
            assert_eq!(element_action(tag), Action::Drop, "{tag}");
        }
    }

    #[test]
    fn unknown_elements_keep_their_text() {
        for tag in [
            "font",
            "section",
            "article",
            "center",
            "marquee",
            "custom-el",
        ] {
            assert_eq!(element_action(tag), Action::Unwrap, "{tag}");
        }
        assert_eq!(element_action(output_tag("h1")), Action::Keep);
    }

    #[test]
    fn no_event_handler_or_style_attribute_is_ever_allowed() {
        for tag in ["a", "img", "p", "td", "table", "abbr", "ol"] {
            for attr in allowed_attributes(tag) {
                assert!(!attr.starts_with("on") && *attr != "style" && *attr != "srcset");
            }
        }
    }
}
