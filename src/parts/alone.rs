//! A page whose mount points show only a rating and comments (no article,
//! no counters) needs nothing of the first download: `bantin.js` loads this
//! bundle alone and calls [`mount_alone`], so the form's page waits for one
//! bundle, not two in a row.

use crate::api::Client;
use crate::clock::after_paint;
use crate::config::{self, Config, Source};
use crate::ctx::absolute;
use crate::{boot, mount, visits};
use leptos::task::spawn_local;

/// The API and article id of a mount point this bundle can show alone: a
/// rating or comments, with an API and an article id, and no article or
/// counters (their code is the first download's).
fn alone(config: &Config) -> Option<(&str, &str)> {
    let parts = config.parts;
    match &config.source {
        Source::Api { api, id, .. }
            if !parts.article && !parts.counters && (parts.rating || parts.comments) =>
        {
            Some((api, id))
        }
        _ => None,
    }
}

/// Mounts every mount point of the page when this bundle can show each of
/// them, and answers whether it did. Otherwise (or on a configuration
/// error, which the first download explains) it touches nothing, and the
/// first download mounts them as usual.
pub fn mount_alone() -> bool {
    let mut todo = Vec::new();
    for host in mount::hosts() {
        let Ok(config) = config::parse(|name| host.get_attribute(name)) else {
            return false;
        };
        let Some((api, id)) = alone(&config) else {
            return false;
        };
        let (api, id) = (absolute(api), id.to_owned());
        todo.push((api, id, config, host));
    }
    if todo.is_empty() {
        return false;
    }
    let _ = any_spawner::Executor::init_wasm_bindgen();
    for (api, id, config, host) in todo {
        let Some(root) = mount::attach(&host) else {
            continue;
        };
        let _ = root.set_attribute("lang", config.lang.code());
        super::mount_configured(root, &host, &config, id, None, true);
        let _ = host.set_attribute(boot::READY, "");
        // Counted after the first frame, as on an article's page.
        spawn_local(async move {
            after_paint(100).await;
            visits::track(&Client::new(&api));
        });
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        config::parse(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap()
    }

    #[test]
    fn only_rating_and_comments_with_an_api_and_an_id_go_alone() {
        let api = ("data-api", "/api/v1");
        let id = ("data-article-id", "ky-anh-2022-11-15");
        for parts in ["comments", "rating", "rating comments"] {
            let c = config(&[api, id, ("data-parts", parts)]);
            assert_eq!(alone(&c), Some(("/api/v1", "ky-anh-2022-11-15")), "{parts}");
        }
        for parts in ["article comments", "comments counters", "counters"] {
            assert_eq!(
                alone(&config(&[api, id, ("data-parts", parts)])),
                None,
                "{parts}"
            );
        }
        // Every part by default; an article document instead of an id.
        assert_eq!(alone(&config(&[api, id])), None);
        let doc = ("data-article", "articles/ky-anh-2022-11-15.json");
        assert_eq!(
            alone(&config(&[api, doc, ("data-parts", "comments")])),
            None
        );
    }
}
