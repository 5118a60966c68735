use bantin_protocol::{parse_article, ArticleError, Block};

const FULL: &str = r#"{
  "id": "ky-anh-2022-11-15", "title": "Tiêu đề", "summary": "Tóm tắt", "lang": "vi",
  "published_at": "2022-11-15T17:30:00+07:00", "updated_at": null,
  "author": "Minh Anh", "source": "Cổng TTĐT", "category": "Xây dựng Đảng",
  "blocks": [
    {"type": "paragraph", "text": "Đoạn một."},
    {"type": "heading", "level": 3, "text": "Mục"},
    {"type": "image", "src": "images/a.svg", "alt": "Ảnh", "caption": "Chú thích", "width": 800, "height": 533},
    {"type": "quote", "text": "Trích dẫn", "cite": "Ai đó"},
    {"type": "html", "html": "<p>CMS</p>"},
    {"type": "video", "src": "x.mp4"}
  ],
  "rating": {"count": 12, "average": 4.3},
  "counters": {"total_visits": 2504500, "online": 3},
  "related": [{"title": "Tin khác", "url": "https://example.org/a", "published_at": "2022-11-14T08:00:00+07:00"}]
}"#;

#[test]
fn parses_every_block_type_and_skips_unknown_ones() {
    let a = parse_article(FULL).unwrap();
    assert_eq!(a.id, "ky-anh-2022-11-15");
    assert_eq!(a.blocks.len(), 6);
    assert_eq!(
        a.blocks[0],
        Block::Paragraph {
            text: "Đoạn một.".into()
        }
    );
    assert_eq!(
        a.blocks[1],
        Block::Heading {
            level: 3,
            text: "Mục".into()
        }
    );
    assert_eq!(
        a.blocks[2],
        Block::Image {
            src: "images/a.svg".into(),
            alt: "Ảnh".into(),
            caption: Some("Chú thích".into()),
            width: Some(800),
            height: Some(533)
        }
    );
    assert_eq!(
        a.blocks[3],
        Block::Quote {
            text: "Trích dẫn".into(),
            cite: Some("Ai đó".into())
        }
    );
    assert_eq!(
        a.blocks[4],
        Block::Html {
            html: "<p>CMS</p>".into()
        }
    );
    assert_eq!(a.blocks[5], Block::Unknown);
    assert_eq!(a.rating.count, 12);
    assert_eq!(a.counters.total_visits, 2_504_500);
    assert_eq!(a.published_at.unwrap().day, 15);
    assert_eq!(a.related[0].published_at.unwrap().hour, 8);
}

#[test]
fn missing_optional_fields_get_defaults() {
    let a =
        parse_article(r#"{"id": "a", "title": "T", "blocks": [{"type": "heading", "text": "H"}]}"#)
            .unwrap();
    assert_eq!(a.lang, "vi");
    assert_eq!(a.summary, "");
    assert!(a.published_at.is_none() && a.author.is_none() && a.related.is_empty());
    assert_eq!((a.rating.count, a.rating.average), (0, 0.0));
    assert_eq!(a.counters.online, 0);
    assert_eq!(
        a.blocks[0],
        Block::Heading {
            level: 2,
            text: "H".into()
        }
    );
}

#[test]
fn malformed_json_is_a_syntax_error_with_position() {
    let err = parse_article("{\"id\": \"a\",\n \"title\": }").unwrap_err();
    match err {
        ArticleError::Syntax { line, column, .. } => assert_eq!((line, column), (2, 11)),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(parse_article("{\"id\": \"a\"").unwrap_err().is_syntax());
    assert!(parse_article("").unwrap_err().is_syntax());
    assert!(parse_article("[1, 2").unwrap_err().is_syntax());
    assert!(parse_article("<!doctype html><p>Not found</p>")
        .unwrap_err()
        .is_syntax());
}

#[test]
fn valid_json_that_is_not_an_article_names_the_problem() {
    let cases = [
        (
            "[1, 2, 3]",
            "expected an article (a JSON object), found an array",
        ),
        ("\"text\"", "found a string"),
        ("null", "found null"),
        (r#"{"id": "a"}"#, "missing field `title`"),
        (
            r#"{"id": "a", "title": 5}"#,
            "invalid type: integer `5`, expected a string",
        ),
        (
            r#"{"id": "a", "title": "T", "published_at": "15/11/2022"}"#,
            "not an RFC 3339 timestamp",
        ),
        (
            r#"{"id": "a", "title": "T", "blocks": [{"type": "image"}]}"#,
            "missing field `src`",
        ),
    ];
    for (doc, expected) in cases {
        let err = parse_article(doc).unwrap_err();
        assert!(matches!(err, ArticleError::Shape(_)), "{doc}: {err:?}");
        assert!(err.to_string().contains(expected), "{doc}: {err}");
    }
}

#[test]
fn contract_rules_are_checked_with_the_field_path() {
    let cases = [
        (r#"{"id": "", "title": "T"}"#, "id: must be"),
        (r#"{"id": "../etc", "title": "T"}"#, "id: must be"),
        (r#"{"id": "a", "title": "  "}"#, "title: must not be empty"),
        (
            r#"{"id": "a", "title": "T", "blocks": [{"type": "paragraph", "text": ""}, {"type": "heading", "level": 9, "text": "x"}]}"#,
            "blocks[1].level: must be between 1 and 6",
        ),
        (
            r#"{"id": "a", "title": "T", "blocks": [{"type": "image", "src": "a.svg", "width": 0}]}"#,
            "blocks[0].width",
        ),
        (
            r#"{"id": "a", "title": "T", "rating": {"count": 1, "average": 7}}"#,
            "rating.average",
        ),
        (
            r#"{"id": "a", "title": "T", "related": [{"title": "", "url": "/x"}]}"#,
            "related[0].title",
        ),
    ];
    for (doc, expected) in cases {
        let err = parse_article(doc).unwrap_err();
        assert!(matches!(err, ArticleError::Invalid(_)), "{doc}: {err:?}");
        assert!(err.to_string().starts_with(expected), "{doc}: {err}");
    }
}

#[test]
fn huge_documents_and_fields_are_refused() {
    let long_title = "x".repeat(501);
    let doc = format!(r#"{{"id": "a", "title": "{long_title}"}}"#);
    assert_eq!(
        parse_article(&doc).unwrap_err().to_string(),
        "title: is 501 characters long, the limit is 500"
    );
    let huge = " ".repeat(bantin_protocol::limits::ARTICLE_MAX_BYTES + 1);
    assert!(matches!(
        parse_article(&huge),
        Err(ArticleError::TooLarge { .. })
    ));
}

#[test]
fn round_trips_through_serde() {
    let a = parse_article(FULL).unwrap();
    let text = serde_json::to_string(&a).unwrap();
    let mut b = parse_article(&text).unwrap();
    // Unknown blocks serialize as {"type":"unknown"} and read back as Unknown.
    assert_eq!(b.blocks.pop(), Some(Block::Unknown));
    assert_eq!(&a.blocks[..5], &b.blocks[..]);
    assert_eq!(a.published_at, b.published_at);
}

/// Blocks are read by a hand-written `Deserialize`: the cases where it could
/// differ from the derived one of an internally tagged enum.
#[test]
fn blocks_read_like_the_contract_says() {
    let blocks = |json: &str| {
        parse_article(&format!(
            r#"{{"id": "a", "title": "T", "blocks": [{json}]}}"#
        ))
        .map(|a| a.blocks)
    };
    let ok = |json: &str| blocks(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    let err = |json: &str| blocks(json).unwrap_err().to_string();

    // A newer CMS's block type is skipped, whatever its fields hold.
    assert_eq!(
        ok(
            r#"{"src": 5, "text": ["x"], "type": "video", "width": "100%", "extra": {"a": [1, {"b": null}]}}"#
        ),
        [Block::Unknown]
    );
    // The type may come after the fields; unknown fields are ignored.
    assert_eq!(
        ok(r#"{"text": "Đoạn", "width": "wide", "style": {"x": 1}, "type": "paragraph"}"#),
        [Block::Paragraph {
            text: "Đoạn".into()
        }]
    );
    assert_eq!(
        ok(r#"{"type": "heading", "text": "Mục"}"#),
        [Block::Heading {
            level: 2,
            text: "Mục".into()
        }]
    );
    assert_eq!(
        ok(r#"{"type": "image", "src": "a.svg", "caption": null, "width": null, "height": 533}"#),
        [Block::Image {
            src: "a.svg".into(),
            alt: String::new(),
            caption: None,
            width: None,
            height: Some(533),
        }]
    );
    assert_eq!(
        ok(r#"{"type": "quote", "text": "Q", "cite": null}"#),
        [Block::Quote {
            text: "Q".into(),
            cite: None
        }]
    );

    assert!(err(r#"{"text": "x"}"#).contains("missing field `type`"));
    assert!(
        err(r#"{"type": 3, "text": "x"}"#).contains("invalid type: integer `3`, expected a string")
    );
    assert!(err(r#"{"type": "paragraph"}"#).contains("missing field `text`"));
    assert!(err(r#"{"type": "paragraph", "text": 5}"#)
        .contains("invalid type: integer `5`, expected a string"));
    assert!(err(r#"{"type": "heading", "text": "x", "level": 300}"#)
        .contains("invalid value: integer `300`, expected u8"));
    assert!(err(r#"{"type": "heading", "text": "x", "level": -1}"#)
        .contains("invalid value: integer `-1`, expected u8"));
    assert!(err(r#"{"type": "image", "src": "a", "width": 1.5}"#)
        .contains("invalid type: floating point `1.5`, expected u32"));
    assert!(
        err(r#"{"type": "image", "src": "a", "height": 4294967296}"#)
            .contains("invalid value: integer `4294967296`, expected u32")
    );
    let e = err(r#"{"type": "image", "src": "a", "alt": null}"#);
    assert!(e.contains("invalid type: null, expected a string"), "{e}");
    assert!(err(r#"{"type": "html"}"#).contains("missing field `html`"));
    assert!(err(r#"["paragraph", "x"]"#).contains("invalid type: sequence"));
}
