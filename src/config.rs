//! A mount point's configuration, read from its `data-*` attributes.

use crate::i18n::{t, t1, Lang, Msg};
use bantin_protocol::article::is_valid_id;
use bantin_protocol::paths::Endpoints;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts {
    pub article: bool,
    pub rating: bool,
    pub comments: bool,
    pub counters: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        article: true,
        rating: true,
        comments: true,
        counters: true,
    };

    pub const COUNTERS: Parts = Parts {
        article: false,
        rating: false,
        comments: false,
        counters: true,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptchaMode {
    Pow,
    Code,
    #[default]
    CodeAndPow,
}

impl CaptchaMode {
    /// The reader solves a proof of work (checked by the server).
    pub fn pow(self) -> bool {
        matches!(self, CaptchaMode::Pow | CaptchaMode::CodeAndPow)
    }

    /// The reader types the code drawn on a canvas (checked in the browser).
    pub fn code(self) -> bool {
        matches!(self, CaptchaMode::Code | CaptchaMode::CodeAndPow)
    }
}

/// Light or dark colours. `Auto` follows the reader's `prefers-color-scheme`.
/// The CSS reads the mount element's `data-theme` itself (`:host([data-theme~=dark i])`),
/// so the portal's own `--bt-*` values keep winning; this only validates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

/// Where a mount point's article comes from, and so what its parts can do
/// before the article arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `data-api` + `data-article-id`: the article comes from the API, and
    /// rating, comments and counters talk to the API without waiting for it.
    /// `url` is the article document: `data-article` when given, else the API's.
    Api {
        api: String,
        id: String,
        url: String,
    },
    /// `data-article` (the document's URL), with or without an API: the parts
    /// learn the article's id from the document.
    Document { url: String, api: Option<String> },
    /// `data-parts="counters"` with `data-api` and no article: the site's
    /// live counters (a sidebar).
    Site { api: String },
}

impl Source {
    /// API base without a trailing slash; `None` is static mode.
    pub fn api(&self) -> Option<&str> {
        match self {
            Source::Api { api, .. } | Source::Site { api } => Some(api),
            Source::Document { api, .. } => api.as_deref(),
        }
    }
}

/// Who publishes the articles, for their JSON-LD (`data-publisher`,
/// `data-publisher-logo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Publisher {
    pub name: Option<String>,
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub source: Source,
    pub lang: Lang,
    pub parts: Parts,
    pub captcha: CaptchaMode,
    pub theme: Theme,
    /// `data-static`: an article document shown in static mode when the API
    /// cannot be reached or is not there (a plain static host). Only with an API.
    pub fallback: Option<String>,
    /// The article's JSON-LD goes into the page's head unless
    /// `data-jsonld="off"`.
    pub jsonld: Option<Publisher>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    MissingArticle,
    ArticleIdNeedsApi,
    BadArticleId(String),
    UnknownPart(String),
    NoParts,
    UnknownLang(String),
    UnknownCaptcha(String),
    UnknownTheme(String),
}

impl ConfigError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ConfigError::MissingArticle => t(lang, Msg::ConfigMissingArticle).to_owned(),
            ConfigError::ArticleIdNeedsApi => t(lang, Msg::ConfigArticleIdNeedsApi).to_owned(),
            ConfigError::BadArticleId(id) => t1(lang, Msg::ConfigBadArticleId, id),
            ConfigError::UnknownPart(p) => t1(lang, Msg::ConfigUnknownPart, p),
            ConfigError::NoParts => t(lang, Msg::ConfigNoParts).to_owned(),
            ConfigError::UnknownLang(l) => t1(lang, Msg::ConfigUnknownLang, l),
            ConfigError::UnknownCaptcha(c) => t1(lang, Msg::ConfigUnknownCaptcha, c),
            ConfigError::UnknownTheme(v) => t1(lang, Msg::ConfigUnknownTheme, v),
        }
    }
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Reads a configuration through `attr("data-…")`. On error, also returns the
/// language the error should be shown in (the requested one when valid).
pub fn parse(attr: impl Fn(&str) -> Option<String>) -> Result<Config, (Lang, ConfigError)> {
    let lang = match non_empty(attr("data-lang")) {
        None => Lang::Vi,
        Some(code) => Lang::parse(&code).ok_or((Lang::Vi, ConfigError::UnknownLang(code)))?,
    };
    let fail = |e| (lang, e);

    let parts = match non_empty(attr("data-parts")) {
        None => Parts::ALL,
        Some(list) => {
            let mut parts = Parts::default();
            for name in list
                .split(|c: char| c == ',' || c.is_ascii_whitespace())
                .filter(|s| !s.is_empty())
            {
                match name {
                    "article" => parts.article = true,
                    "rating" => parts.rating = true,
                    "comments" => parts.comments = true,
                    "counters" => parts.counters = true,
                    other => return Err(fail(ConfigError::UnknownPart(other.to_owned()))),
                }
            }
            if parts == Parts::default() {
                return Err(fail(ConfigError::NoParts));
            }
            parts
        }
    };

    let captcha = match non_empty(attr("data-captcha")).as_deref() {
        None | Some("code+pow") | Some("pow+code") => CaptchaMode::CodeAndPow,
        Some("pow") => CaptchaMode::Pow,
        Some("code") => CaptchaMode::Code,
        Some(other) => return Err(fail(ConfigError::UnknownCaptcha(other.to_owned()))),
    };

    let theme = match non_empty(attr("data-theme")) {
        None => Theme::Auto,
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "auto" => Theme::Auto,
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => return Err(fail(ConfigError::UnknownTheme(v))),
        },
    };

    let api = non_empty(attr("data-api")).map(|a| a.trim_end_matches('/').to_owned());
    let article = non_empty(attr("data-article"));
    let source = match (non_empty(attr("data-article-id")), api) {
        (Some(id), Some(api)) => {
            if !is_valid_id(&id) {
                return Err(fail(ConfigError::BadArticleId(id)));
            }
            let url = article.unwrap_or_else(|| Endpoints::new(&api).article(&id));
            Source::Api { api, id, url }
        }
        (Some(_), None) if article.is_none() => return Err(fail(ConfigError::ArticleIdNeedsApi)),
        (_, api) => match (article, api) {
            (Some(url), api) => Source::Document { url, api },
            (None, Some(api)) if parts == Parts::COUNTERS => Source::Site { api },
            (None, _) => return Err(fail(ConfigError::MissingArticle)),
        },
    };
    let fallback = non_empty(attr("data-static")).filter(|_| source.api().is_some());
    let jsonld = match non_empty(attr("data-jsonld")).as_deref() {
        Some("off" | "false" | "no" | "none") => None,
        _ => Some(Publisher {
            name: non_empty(attr("data-publisher")),
            logo: non_empty(attr("data-publisher-logo")),
        }),
    };
    Ok(Config {
        source,
        lang,
        parts,
        captcha,
        theme,
        fallback,
        jsonld,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(pairs: &[(&str, &str)]) -> Result<Config, (Lang, ConfigError)> {
        parse(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_show_every_part_in_vietnamese() {
        let c = parse_with(&[("data-article", "/a.json")]).unwrap();
        assert_eq!(
            c.source,
            Source::Document {
                url: "/a.json".into(),
                api: None
            }
        );
        assert_eq!(c.source.api(), None);
        assert_eq!((c.lang, c.parts), (Lang::Vi, Parts::ALL));
        assert_eq!(c.captcha, CaptchaMode::CodeAndPow);
        assert_eq!(c.theme, Theme::Auto);
    }

    #[test]
    fn themes_are_light_dark_or_auto_in_any_case() {
        let theme = |v: &str| parse_with(&[("data-article", "/a"), ("data-theme", v)]);
        assert_eq!(theme("dark").unwrap().theme, Theme::Dark);
        assert_eq!(theme(" Light ").unwrap().theme, Theme::Light);
        assert_eq!(theme("auto").unwrap().theme, Theme::Auto);
        assert_eq!(theme("").unwrap().theme, Theme::Auto);
        let (lang, e) = parse_with(&[
            ("data-article", "/a"),
            ("data-lang", "en"),
            ("data-theme", "blue"),
        ])
        .unwrap_err();
        assert_eq!(
            (lang, &e),
            (Lang::En, &ConfigError::UnknownTheme("blue".into()))
        );
        assert_eq!(
            e.message(lang),
            "data-theme is not valid: “blue”. Use light, dark or auto."
        );
        let (lang, e) = theme("dark light").unwrap_err();
        assert_eq!(
            e.message(lang),
            "data-theme không hợp lệ: “dark light”. Dùng light, dark hoặc auto."
        );
    }

    #[test]
    fn parts_language_api_and_article_id() {
        let c = parse_with(&[
            ("data-article-id", "tin-moi_1.2"),
            ("data-api", "https://x.vn/api/v1/"),
            ("data-lang", "en"),
            ("data-parts", "rating,\n\tcounters"),
            ("data-captcha", "pow"),
        ])
        .unwrap();
        assert_eq!(
            c.source,
            Source::Api {
                api: "https://x.vn/api/v1".into(),
                id: "tin-moi_1.2".into(),
                url: "https://x.vn/api/v1/articles/tin-moi_1.2".into(),
            }
        );
        assert_eq!(c.source.api(), Some("https://x.vn/api/v1"));
        assert_eq!(c.lang, Lang::En);
        assert!(c.parts.rating && c.parts.counters && !c.parts.article && !c.parts.comments);
        assert_eq!(c.captcha, CaptchaMode::Pow);
        // A document URL given beside the id is where the article is read.
        let c = parse_with(&[
            ("data-article-id", "a"),
            ("data-article", "/a.json"),
            ("data-api", "/api/v1"),
        ])
        .unwrap();
        assert!(matches!(c.source, Source::Api { ref url, .. } if url == "/a.json"));
        // Without an API the id is of no use: static mode with the document.
        let c = parse_with(&[("data-article-id", "a"), ("data-article", "/a.json")]).unwrap();
        assert!(matches!(c.source, Source::Document { api: None, .. }));
    }

    #[test]
    fn json_ld_is_on_unless_turned_off() {
        let c = parse_with(&[
            ("data-article", "/a.json"),
            ("data-publisher", "UBND thị xã Kỳ Anh"),
            ("data-publisher-logo", "/logo.png"),
        ])
        .unwrap();
        let publisher = c.jsonld.unwrap();
        assert_eq!(publisher.name.as_deref(), Some("UBND thị xã Kỳ Anh"));
        assert_eq!(publisher.logo.as_deref(), Some("/logo.png"));
        let c = parse_with(&[("data-article", "/a.json")]).unwrap();
        assert_eq!(c.jsonld, Some(Publisher::default()));
        let c = parse_with(&[("data-article", "/a.json"), ("data-jsonld", "off")]).unwrap();
        assert_eq!(c.jsonld, None);
    }

    #[test]
    fn a_static_document_stands_in_only_for_an_api() {
        let c = parse_with(&[
            ("data-article-id", "a"),
            ("data-api", "/api/v1"),
            ("data-static", " articles/a.json "),
        ])
        .unwrap();
        assert_eq!(c.fallback.as_deref(), Some("articles/a.json"));
        assert!(matches!(c.source, Source::Api { ref url, .. } if url == "/api/v1/articles/a"));
        let c = parse_with(&[
            ("data-parts", "counters"),
            ("data-api", "/api/v1"),
            ("data-static", "a.json"),
        ])
        .unwrap();
        assert_eq!(c.fallback.as_deref(), Some("a.json"));
        // Without an API the page is in static mode already.
        let c = parse_with(&[("data-article", "/a.json"), ("data-static", "b.json")]).unwrap();
        assert_eq!(c.fallback, None);
    }

    #[test]
    fn article_ids_that_cannot_sit_in_a_path_are_refused() {
        for bad in ["tin mới/1", "..", "a?b", "a#b", "x/../admin"] {
            let (lang, e) =
                parse_with(&[("data-article-id", bad), ("data-api", "/api/v1")]).unwrap_err();
            assert_eq!(e, ConfigError::BadArticleId(bad.into()));
            assert!(e.message(lang).contains(bad), "{}", e.message(lang));
        }
    }

    #[test]
    fn counters_alone_need_no_article_when_an_api_exists() {
        let c = parse_with(&[("data-parts", "counters"), ("data-api", "/api/v1")]).unwrap();
        assert_eq!(
            c.source,
            Source::Site {
                api: "/api/v1".into()
            }
        );
        let e = parse_with(&[("data-parts", "counters")]).unwrap_err();
        assert_eq!(e, (Lang::Vi, ConfigError::MissingArticle));
        let e = parse_with(&[("data-parts", "counters rating"), ("data-api", "/a")]).unwrap_err();
        assert_eq!(e, (Lang::Vi, ConfigError::MissingArticle));
    }

    #[test]
    fn bad_configs_are_explained_in_the_requested_language() {
        let (lang, e) = parse_with(&[("data-lang", "en")]).unwrap_err();
        assert_eq!((lang, &e), (Lang::En, &ConfigError::MissingArticle));
        assert!(e.message(lang).contains("data-article"));
        let (lang, e) =
            parse_with(&[("data-article", "/a"), ("data-parts", "article video")]).unwrap_err();
        assert_eq!(e, ConfigError::UnknownPart("video".into()));
        assert!(e.message(lang).contains("“video”"));
        let (lang, e) = parse_with(&[("data-article", "/a"), ("data-lang", "fr")]).unwrap_err();
        assert_eq!((lang, e), (Lang::Vi, ConfigError::UnknownLang("fr".into())));
        let (_, e) = parse_with(&[("data-article", "/a"), ("data-parts", " , ")]).unwrap_err();
        assert_eq!(e, ConfigError::NoParts);
        let (_, e) = parse_with(&[("data-article", "/a"), ("data-captcha", "image")]).unwrap_err();
        assert_eq!(e, ConfigError::UnknownCaptcha("image".into()));
        let (_, e) = parse_with(&[("data-article-id", "a")]).unwrap_err();
        assert_eq!(e, ConfigError::ArticleIdNeedsApi);
    }
}
