//! Component tests in headless Chromium: mount into a test element, assert the DOM.
//! Run with `cargo test -p bantin --target wasm32-unknown-unknown` (see README).

use bantin::api::js::Js;
use bantin::config::CaptchaMode;
use bantin::ctx::Ctx;
use bantin::i18n::Lang;
use bantin::parts::{comments, rating};
use bantin::sanitize;
use bantin::views::{article, counters};
use bantin_protocol::{decode, parse_article};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fresh_element() -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn static_ctx(lang: Lang) -> Ctx {
    Ctx {
        lang,
        api: None,
        captcha: CaptchaMode::Code,
        base: "https://portal.example/articles/a.json".into(),
        jsonld: None,
    }
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

const ARTICLE: &str = r#"{
  "id": "t", "title": "Tiêu đề thử", "summary": "Đoạn mở đầu", "category": "Thời sự",
  "published_at": "2022-11-15T17:30:00+07:00", "author": "Phóng viên",
  "blocks": [
    {"type": "paragraph", "text": "<b>không phải HTML</b>\nvẫn là chữ"},
    {"type": "heading", "level": 5, "text": "Mục nhỏ"},
    {"type": "image", "src": "../images/a.svg", "alt": "Ảnh A", "caption": "Chú thích A", "width": 800, "height": 533},
    {"type": "image", "src": "javascript:alert(1)", "alt": "Ảnh xấu"},
    {"type": "quote", "text": "Lời trích", "cite": "Người nói"},
    {"type": "carousel", "items": []},
    {"type": "html", "html": "<p>Giữ <em>chữ</em></p><script>window.bad = 1</script>"}
  ],
  "related": [
    {"title": "Tin cũ", "url": "/tin-cu.html", "published_at": "2022-11-01T08:00:00+07:00"},
    {"title": "Liên kết xấu", "url": "javascript:alert(1)"}
  ],
  "rating": {"count": 2504, "average": 4.25},
  "counters": {"total_visits": 2504500, "online": 3}
}"#;

#[wasm_bindgen_test]
async fn article_renders_every_block_type_as_text() {
    let a = parse_article(ARTICLE).unwrap();
    let el = fresh_element();
    let base = "https://portal.example/data/articles/t.json";
    mount_to(el.clone(), move || {
        article::article_view(&a, base, Lang::Vi, true, None)
    })
    .forget();

    assert_eq!(texts(&el, "h1"), ["Tiêu đề thử"]);
    assert_eq!(texts(&el, ".bt-category"), ["Thời sự"]);
    assert_eq!(texts(&el, ".bt-summary"), ["Đoạn mở đầu"]);
    assert_eq!(texts(&el, ".bt-published time"), ["15/11/2022 17:30"]);
    let time = el.query_selector(".bt-published time").unwrap().unwrap();
    assert_eq!(
        time.get_attribute("datetime").unwrap(),
        "2022-11-15T17:30:00+07:00"
    );
    // Paragraph text is a text node, never parsed as markup.
    assert_eq!(
        texts(&el, ".bt-body > p")[0],
        "<b>không phải HTML</b>\nvẫn là chữ"
    );
    assert!(el.query_selector(".bt-body > p b").unwrap().is_none());
    assert_eq!(texts(&el, ".bt-body h4"), ["Mục nhỏ"]);
    assert_eq!(texts(&el, "figcaption"), ["Chú thích A"]);
    let imgs = el.query_selector_all("figure img").unwrap();
    let img: Element = imgs.item(0).unwrap().unchecked_into();
    assert_eq!(
        img.get_attribute("src").unwrap(),
        "https://portal.example/data/images/a.svg"
    );
    assert_eq!(img.get_attribute("alt").unwrap(), "Ảnh A");
    assert_eq!(img.get_attribute("width").unwrap(), "800");
    assert_eq!(img.get_attribute("height").unwrap(), "533");
    assert_eq!(img.get_attribute("loading").unwrap(), "lazy");
    let bad: Element = imgs.item(1).unwrap().unchecked_into();
    assert!(
        bad.get_attribute("src").is_none(),
        "javascript: image src must be dropped"
    );
    assert_eq!(texts(&el, "blockquote p"), ["Lời trích"]);
    assert_eq!(texts(&el, "blockquote cite"), ["Người nói"]);
    // The unknown "carousel" block renders nothing: 7 blocks, 6 rendered.
    assert_eq!(
        el.query_selector(".bt-body")
            .unwrap()
            .unwrap()
            .child_element_count(),
        6
    );
    // The html block is filled once its element is mounted (an effect).
    sleep(30).await;
    assert_eq!(texts(&el, ".bt-html"), ["Giữ chữ"]);
    assert!(el.query_selector(".bt-html script").unwrap().is_none());
    // Related: the javascript: link is left out, the relative one resolved.
    assert_eq!(texts(&el, ".bt-related a"), ["Tin cũ"]);
    let link = el.query_selector(".bt-related a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").unwrap(),
        "https://portal.example/tin-cu.html"
    );
    assert_eq!(texts(&el, ".bt-related time"), ["01/11/2022"]);
}

/// The article's NewsArticle JSON-LD in the page's head: what the document
/// says, URLs resolved, no rating, replaced (not repeated) when published
/// again, and nothing that could close its script element.
#[wasm_bindgen_test]
fn json_ld_describes_the_article_in_the_head() {
    use bantin::config::Publisher;
    let mut a = parse_article(ARTICLE).unwrap();
    a.title = "Tiêu đề </script><script>alert(1)</script>".into();
    let publisher = Publisher {
        name: Some("UBND thị xã Kỳ Anh".into()),
        logo: Some("https://portal.example/logo.png".into()),
    };
    let base = "https://portal.example/data/articles/t.json";
    bantin::jsonld::publish(&document(), &a, base, &publisher);
    bantin::jsonld::publish(&document(), &a, base, &publisher);
    let head = document().head().unwrap();
    let scripts = head
        .query_selector_all(r#"script[type="application/ld+json"][data-bantin-article="t"]"#)
        .unwrap();
    assert_eq!(scripts.length(), 1);
    let text = scripts.get(0).unwrap().text_content().unwrap();
    assert!(!text.contains('<'), "{text}");
    let ld = js_sys::JSON::parse(&text).unwrap();
    let get = |v: &JsValue, path: &[&str]| {
        path.iter().fold(v.clone(), |v, k| {
            js_sys::Reflect::get(&v, &JsValue::from_str(k)).unwrap()
        })
    };
    let s = |path: &[&str]| get(&ld, path).as_string();
    assert_eq!(s(&["@type"]).as_deref(), Some("NewsArticle"));
    assert_eq!(s(&["headline"]), Some(a.title.clone()));
    assert_eq!(
        s(&["datePublished"]).as_deref(),
        Some("2022-11-15T17:30:00+07:00")
    );
    assert_eq!(
        s(&["dateModified"]).as_deref(),
        Some("2022-11-15T17:30:00+07:00")
    );
    assert_eq!(s(&["description"]).as_deref(), Some("Đoạn mở đầu"));
    assert_eq!(s(&["articleSection"]).as_deref(), Some("Thời sự"));
    let author = get(&ld, &["author"]);
    assert_eq!(
        get(&author, &["0", "name"]).as_string().as_deref(),
        Some("Phóng viên")
    );
    // The safe image only, resolved against the document's URL.
    let images: js_sys::Array = get(&ld, &["image"]).unchecked_into();
    assert_eq!(
        images
            .to_vec()
            .iter()
            .map(|v| v.as_string().unwrap())
            .collect::<Vec<_>>(),
        ["https://portal.example/data/images/a.svg"]
    );
    assert_eq!(
        s(&["publisher", "name"]).as_deref(),
        Some("UBND thị xã Kỳ Anh")
    );
    assert_eq!(
        s(&["publisher", "logo", "url"]).as_deref(),
        Some("https://portal.example/logo.png")
    );
    assert!(get(&ld, &["aggregateRating"]).is_undefined());
    scripts.get(0).unwrap().unchecked_into::<Element>().remove();
}

/// The browser's JSON.parse tree and serde_json's give the same article, and
/// the same errors: one decoder for the widget and the server.
#[wasm_bindgen_test]
fn json_parse_reads_articles_like_the_server() {
    let from_js = decode::article(&Js::parse(ARTICLE).unwrap()).unwrap();
    assert_eq!(from_js, parse_article(ARTICLE).unwrap());
    for doc in [
        r#"{"id": "a", "title": 5}"#,
        r#"{"id": "a", "title": "T", "blocks": [{"type": "image"}]}"#,
        r#"{"id": "a", "title": "T", "blocks": [{"type": "image", "src": "a", "width": 1.5}]}"#,
        r#"{"id": "a", "title": "T", "blocks": [{"type": "heading", "text": "x", "level": 300}]}"#,
        r#"{"id": "a", "title": "T", "published_at": "15/11/2022"}"#,
        r#"{"id": "../x", "title": "T"}"#,
        r#"[1, 2]"#,
        r#"null"#,
    ] {
        let js = decode::article(&Js::parse(doc).unwrap()).unwrap_err();
        let server = parse_article(doc).unwrap_err();
        assert_eq!(js, server, "{doc}");
    }
    assert!(Js::parse("{\"id\": ").is_err());
}

/// The API's answers read from the browser's JSON.parse tree give what serde
/// gives on the server's side (where numbers are not all doubles).
#[wasm_bindgen_test]
fn json_parse_reads_answers_like_serde() {
    use bantin_protocol::api::{CommentPage, RatingResponse};
    let page = r#"{"items": [{"id": 4, "author": "Lan", "body": "Hay \"quá\"\n😀",
        "created_at": "2022-11-15T14:00:00+07:00", "likes": 3, "pinned": true,
        "replies": [{"id": 9, "parent_id": 4, "author": "Minh", "body": "",
        "created_at": "2022-11-16T08:00:00Z", "edited_at": "2022-11-16T09:00:00Z"}]}],
        "next": "MTA"}"#;
    let js = decode::comment_page(&Js::parse(page).unwrap()).unwrap();
    assert_eq!(js, serde_json::from_str::<CommentPage>(page).unwrap());
    let rating = r#"{"count": 9007199254740993, "average": 4.25, "distribution": [0, 1, 2, 3, 4]}"#;
    let js = decode::rating_answer(&Js::parse(rating).unwrap()).unwrap();
    let serde = serde_json::from_str::<RatingResponse>(rating).unwrap();
    assert_eq!(
        (js.average, js.distribution),
        (serde.average, serde.distribution)
    );
    for bad in [
        r#"{"items": [{"id": -1}]}"#,
        r#"{"items": [{"id": 1.5, "author": "", "body": "", "created_at": "2022-11-15T14:00:00Z"}]}"#,
        r#"{"items": null}"#,
        r#"[]"#,
    ] {
        assert!(
            decode::comment_page(&Js::parse(bad).unwrap()).is_err(),
            "{bad}"
        );
        assert!(serde_json::from_str::<CommentPage>(bad).is_err(), "{bad}");
    }
}

/// The first bundle's loader of the deferred parts, as bantin.js hands it
/// over, but mounting from this test binary (which holds both bundles' code).
fn install_parts_loader() {
    let mount = wasm_bindgen::closure::Closure::<
        dyn Fn(HtmlElement, HtmlElement, String, JsValue, JsValue, JsValue),
    >::new(
        |slot: HtmlElement,
         host: HtmlElement,
         id: String,
         count: JsValue,
         average: JsValue,
         live: JsValue| {
            let rating = count.as_f64().zip(average.as_f64());
            bantin::parts::mount(slot, &host, id, rating, live.is_truthy());
        },
    );
    let module = js_sys::Object::new();
    js_sys::Reflect::set(
        &module,
        &bantin::deferred::MOUNT_EXPORT.into(),
        mount.as_ref(),
    )
    .unwrap();
    mount.forget();
    let loader = wasm_bindgen::closure::Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        js_sys::Promise::resolve(&JsValue::from(module.clone()))
    });
    bantin::deferred::set_loader(loader.as_ref().unchecked_ref::<js_sys::Function>().clone());
    loader.forget();
}

#[wasm_bindgen_test]
fn english_dates_and_numbers() {
    let a = parse_article(ARTICLE).unwrap();
    let el = fresh_element();
    let (r, c) = (a.rating, a.counters);
    mount_to(el.clone(), move || {
        view! {
            {article::article_view(&a, "https://x.test/a.json", Lang::En, true, None)}
            {rating::rating_view(&static_ctx(Lang::En), "english-dates", Some(r))}
            {counters::counters_view(c, Lang::En)}
        }
    })
    .forget();
    assert_eq!(texts(&el, ".bt-published time"), ["15 Nov 2022, 17:30"]);
    assert_eq!(
        texts(&el, ".bt-rating-summary"),
        ["2,504 ratings, average 4.3"]
    );
    assert_eq!(texts(&el, ".bt-visits"), ["2,504,500"]);
}

#[wasm_bindgen_test]
fn rating_and_counters_use_vi_vn_numbers() {
    let a = parse_article(ARTICLE).unwrap();
    let el = fresh_element();
    mount_to(el.clone(), move || {
        view! {
            {rating::rating_view(&static_ctx(Lang::Vi), "vi-numbers", Some(a.rating))}
            {counters::counters_view(a.counters, Lang::Vi)}
        }
    })
    .forget();
    assert_eq!(
        texts(&el, ".bt-rating-summary"),
        ["lượt đánh giá: 2.504, trung bình: 4,3"]
    );
    assert_eq!(texts(&el, ".bt-visits"), ["2.504.500"]);
    assert_eq!(texts(&el, ".bt-online"), ["3"]);
    assert_eq!(texts(&el, ".bt-counter dt"), ["Thống kê:", "Online:"]);
}

fn sanitized(html: &str) -> HtmlElement {
    let el = fresh_element();
    sanitize::render_into(&el, html, "https://portal.example/articles/a.json");
    el
}

#[wasm_bindgen_test]
fn sanitizer_keeps_allowed_markup_and_text() {
    let el = sanitized(
        "<h1>Tít</h1><p class=x id=y>Một <strong>hai</strong> <a href='../tin.html' title=t target=_top>ba</a></p>\
         <table><tr><td colspan=2 style='color:red'>ô</td></tr></table><font color=red>bốn</font>",
    );
    assert_eq!(texts(&el, "h2"), ["Tít"]);
    let p = el.query_selector("p").unwrap().unwrap();
    assert!(p.get_attribute("class").is_none() && p.get_attribute("id").is_none());
    assert_eq!(texts(&el, "p strong"), ["hai"]);
    let a = el.query_selector("a").unwrap().unwrap();
    assert_eq!(
        a.get_attribute("href").unwrap(),
        "https://portal.example/tin.html"
    );
    assert_eq!(a.get_attribute("rel").unwrap(), "noopener noreferrer");
    assert!(a.get_attribute("target").is_none());
    let td = el.query_selector("td").unwrap().unwrap();
    assert_eq!(td.get_attribute("colspan").unwrap(), "2");
    assert!(td.get_attribute("style").is_none());
    assert!(el.query_selector("font").unwrap().is_none());
    assert!(el.text_content().unwrap().contains("bốn"));
}

#[wasm_bindgen_test]
fn sanitizer_drops_every_script_vector() {
    let el = sanitized(concat!(
        "<script>window.pwned=1</script>",
        "<img src=x onerror='window.pwned=2' alt=i>",
        "<a href='javascript:window.pwned=3'>j1</a>",
        "<a href=' JaVaScRiPt:window.pwned=3'>j2</a>",
        "<a href='java\tscript:window.pwned=3'>j3</a>",
        "<a href='data:text/html,<script>1</script>'>j4</a>",
        "<svg onload='window.pwned=4'><text>svg chữ</text></svg>",
        "<iframe src='javascript:parent.pwned=5'></iframe>",
        "<math><mtext>m</mtext></math>",
        "<style>*{display:none}</style>",
        "<p style='position:fixed;inset:0' onclick='x()'>giữ lại</p>",
        "<form action=/x><input name=a><button>b</button></form>",
        "<base href='https://evil.example/'><meta http-equiv=refresh content='0;url=https://evil.example'>",
        "<img src='data:image/svg+xml,<svg onload=alert(1)>' alt=d>",
        "<a href='mailto:toa-soan@example.vn'>thư</a>",
    ));
    let all = el.query_selector_all("*").unwrap();
    for i in 0..all.length() {
        let e: Element = all.item(i).unwrap().unchecked_into();
        let tag = e.local_name();
        assert!(
            ["img", "a", "p"].contains(&tag.as_str()),
            "unexpected <{tag}>"
        );
        let names = e.get_attribute_names();
        for n in names.iter() {
            let n = n.as_string().unwrap();
            assert!(!n.starts_with("on") && n != "style", "<{tag} {n}> kept");
        }
        if let Some(href) = e.get_attribute("href") {
            assert!(href.starts_with("mailto:"), "unsafe href kept: {href}");
        }
        if let Some(src) = e.get_attribute("src") {
            assert!(
                src.starts_with("https://portal.example/"),
                "unsafe src kept: {src}"
            );
        }
    }
    let text = el.text_content().unwrap();
    assert!(text.contains("giữ lại") && text.contains("j1") && text.contains("thư"));
    assert!(!text.contains("svg chữ") && !text.contains("display:none"));
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
fn sanitizer_bounds_hostile_nesting() {
    let deep = format!(
        "{}deep text{}",
        "<div>".repeat(5_000),
        "</div>".repeat(5_000)
    );
    let el = sanitized(&deep);
    assert!(el.text_content().unwrap().contains("deep text"));
    assert!(el.query_selector_all("div").unwrap().length() <= 25);
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until `selector` matches inside the mount point's shadow root.
async fn shadow_query(host: &Element, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(found) = host
            .shadow_root()
            .and_then(|r| r.query_selector(selector).ok().flatten())
        {
            return found;
        }
        sleep(20).await;
    }
    panic!("{selector} never appeared");
}

fn mount_point(attrs: &[(&str, &str)]) -> HtmlElement {
    let el = fresh_element();
    el.set_attribute("data-bantin", "").unwrap();
    for (k, v) in attrs {
        el.set_attribute(k, v).unwrap();
    }
    el
}

fn data_url(json: &str) -> String {
    format!(
        "data:application/json,{}",
        String::from(js_sys::encode_uri_component(json))
    )
}

#[wasm_bindgen_test]
async fn mount_points_render_in_shadow_roots_independently() {
    let good = mount_point(&[
        ("data-article", &data_url(ARTICLE)),
        ("data-parts", "article counters"),
    ]);
    let english = mount_point(&[
        ("data-article", &data_url(ARTICLE)),
        ("data-lang", "en"),
        ("data-parts", "rating"),
    ]);
    let bad = mount_point(&[("data-article", "/a.json"), ("data-parts", "article video")]);
    let broken = mount_point(&[("data-article", &data_url("{\"id\": \"x\", "))]);
    install_parts_loader();
    bantin::mount_all();

    let title = shadow_query(&good, "h1").await;
    assert_eq!(title.text_content().unwrap(), "Tiêu đề thử");
    // Styles live inside the shadow root (one constructed sheet shared by every
    // mount point, no <style> element), content is not in the light DOM.
    let sheets = |el: &HtmlElement| el.shadow_root().unwrap().adopted_style_sheets();
    assert_eq!(sheets(&good).length(), 1);
    assert!(sheets(&good).get(0) == sheets(&english).get(0));
    let sheet: web_sys::CssStyleSheet = sheets(&good).get(0).unchecked_into();
    assert!(sheet.css_rules().unwrap().length() > 40);
    assert!(good
        .shadow_root()
        .unwrap()
        .query_selector("style")
        .unwrap()
        .is_none());
    assert!(good.query_selector("h1").unwrap().is_none());
    assert_eq!(
        shadow_query(&good, ".bt-visits")
            .await
            .text_content()
            .unwrap(),
        "2.504.500"
    );
    assert!(good
        .shadow_root()
        .unwrap()
        .query_selector(".bt-rating")
        .unwrap()
        .is_none());

    // The rating is a deferred part: it brings its own stylesheet.
    let summary = shadow_query(&english, ".bt-rating-summary").await;
    assert_eq!(
        summary.text_content().unwrap(),
        "2,504 ratings, average 4.3"
    );
    assert_eq!(sheets(&english).length(), 2);
    assert!(english
        .shadow_root()
        .unwrap()
        .query_selector("h1")
        .unwrap()
        .is_none());

    let config = shadow_query(&bad, ".bt-config-error").await;
    assert!(config.text_content().unwrap().contains("“video”"));

    let error = shadow_query(&broken, ".bt-error").await;
    assert!(error
        .text_content()
        .unwrap()
        .contains("Dữ liệu bài viết bị hỏng"));
    assert!(shadow_query(&broken, "button")
        .await
        .text_content()
        .unwrap()
        .contains("Thử lại"));

    // Mounting again is a no-op: one shadow root, one stylesheet.
    bantin::mount_all();
    assert_eq!(sheets(&good).length(), 1);
}

/// Presses a key, then lets the reactive system update the DOM.
async fn key(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
    sleep(10).await;
}

fn type_into(el: &Element, value: &str) {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else {
        el.dyn_ref::<web_sys::HtmlTextAreaElement>()
            .unwrap()
            .set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

#[wasm_bindgen_test]
async fn stars_are_a_keyboard_radio_group() {
    storage().remove_item("bantin:vote:kb").unwrap();
    let el = fresh_element();
    mount_to(el.clone(), || {
        rating::rating_view(&static_ctx(Lang::Vi), "kb", None)
    })
    .forget();
    sleep(10).await;
    let stars = el.query_selector_all("[role=radio]").unwrap();
    assert_eq!(stars.length(), 5);
    let star = |i: u32| -> Element { stars.item(i).unwrap().unchecked_into() };
    assert_eq!(star(0).get_attribute("tabindex").unwrap(), "0");
    assert_eq!(star(0).get_attribute("aria-label").unwrap(), "1 sao");

    key(&star(0), "End").await;
    assert_eq!(star(4).get_attribute("aria-checked").unwrap(), "true");
    assert_eq!(star(4).get_attribute("tabindex").unwrap(), "0");
    assert_eq!(star(0).get_attribute("tabindex").unwrap(), "-1");
    key(&star(4), "ArrowLeft").await;
    assert_eq!(star(3).get_attribute("aria-checked").unwrap(), "true");
    assert_eq!(star(4).get_attribute("aria-checked").unwrap(), "false");
    key(&star(3), "Home").await;
    key(&star(0), "ArrowRight").await;
    key(&star(1), "ArrowUp").await;
    assert_eq!(star(2).get_attribute("aria-checked").unwrap(), "true");
    // Static mode: the vote is the reader's own, kept in the browser.
    assert_eq!(
        storage().get_item("bantin:vote:kb").unwrap().as_deref(),
        Some("3")
    );
    assert_eq!(texts(&el, ".bt-rating-yours"), ["Bạn đã chấm 3 sao."]);
    // Other keys are left to the browser.
    key(&star(2), "Tab").await;
    assert_eq!(star(2).get_attribute("aria-checked").unwrap(), "true");
}

#[wasm_bindgen_test]
async fn a_wrong_code_keeps_every_field_and_draws_a_new_code() {
    storage().remove_item("bantin:draft:code").unwrap();
    let el = fresh_element();
    mount_to(el.clone(), || {
        comments::comments_view(&static_ctx(Lang::Vi), "code")
    })
    .forget();
    type_into(&find(&el, "#bt-name"), "Lan");
    type_into(&find(&el, "#bt-body"), "Dòng 1\nDòng 2");
    // '0' is not in the code alphabet: this code is always wrong.
    type_into(&find(&el, "#bt-code"), "00000");
    let form: web_sys::HtmlFormElement = find(&el, "form").unchecked_into();
    form.request_submit().unwrap();
    sleep(20).await;
    assert_eq!(texts(&el, ".bt-form-status"), ["Mã xác thực không đúng."]);
    let body: web_sys::HtmlTextAreaElement = find(&el, "#bt-body").unchecked_into();
    assert_eq!(body.value(), "Dòng 1\nDòng 2");
    let name: web_sys::HtmlInputElement = find(&el, "#bt-name").unchecked_into();
    assert_eq!(name.value(), "Lan");
    let code: web_sys::HtmlInputElement = find(&el, "#bt-code").unchecked_into();
    assert_eq!(code.value(), "");
    // The draft was saved as the reader typed.
    let draft = storage().get_item("bantin:draft:code").unwrap().unwrap();
    assert!(draft.contains("Dòng 1\\nDòng 2"), "{draft}");
}

#[wasm_bindgen_test]
async fn a_saved_draft_is_restored_with_its_reply_target() {
    storage()
        .set_item(
            "bantin:draft:restore",
            r#"{"author":"Minh","email":"","body":"Chưa gửi","reply_to":[7,"Lan"],"queued":false}"#,
        )
        .unwrap();
    let el = fresh_element();
    mount_to(el.clone(), || {
        comments::comments_view(&static_ctx(Lang::Vi), "restore")
    })
    .forget();
    sleep(20).await;
    let body: web_sys::HtmlTextAreaElement = find(&el, "#bt-body").unchecked_into();
    assert_eq!(body.value(), "Chưa gửi");
    assert_eq!(
        texts(&el, ".bt-replying")[0].trim(),
        "Đang trả lời Lan. Huỷ trả lời"
    );
    assert_eq!(
        texts(&el, ".bt-form-status"),
        ["Đã khôi phục bản nháp bạn chưa gửi."]
    );
    assert_eq!(texts(&el, ".bt-count"), ["8/2.000 ký tự"]);
    // Clearing the text and the reply target removes the draft.
    type_into(&find(&el, "#bt-body"), "");
    let cancel: web_sys::HtmlElement = find(&el, ".bt-replying button").unchecked_into();
    cancel.click();
    sleep(20).await;
    assert!(storage()
        .get_item("bantin:draft:restore")
        .unwrap()
        .is_none());
}
