//! The widget reads the API's answers with `bantin_protocol::decode` and writes
//! its requests with `bantin_protocol::encode`, the server with serde. These
//! tests hold the two to each other: every document (and every mutation of
//! one: a member removed, nulled or of another type) is accepted by both or
//! refused by both, with the same value; every request is written as the
//! same text.

use bantin_protocol::admin::Report;
use bantin_protocol::api::{
    CommentDelete, CommentEdit, CommentPage, LikeRequest, NewComment, VoteRequest,
};
use bantin_protocol::decode;
use bantin_protocol::encode::{self, ToJson};
use bantin_protocol::pow::{Challenge, Payload};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::fmt::Debug;

/// Values a member is replaced by, one at a time.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(7),
        json!(300),
        json!(-1),
        json!(2.5),
        json!(3.0),
        json!(""),
        json!("published"),
        json!("2022-11-15T14:00:00+07:00"),
        json!([]),
        json!([1, 2, 3, 4, 5]),
        json!({}),
    ]
}

/// Every document reachable from `doc` by one change to one member, at any
/// depth, and `doc` itself.
fn mutations(doc: &Value) -> Vec<Value> {
    let mut out = vec![doc.clone()];
    match doc {
        Value::Object(members) => {
            for (key, value) in members {
                let mut without = members.clone();
                without.remove(key);
                out.push(Value::Object(without));
                for replacement in replacements() {
                    let mut changed = members.clone();
                    changed.insert(key.clone(), replacement);
                    out.push(Value::Object(changed));
                }
                for inner in mutations(value).into_iter().skip(1) {
                    let mut changed = members.clone();
                    changed.insert(key.clone(), inner);
                    out.push(Value::Object(changed));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                for inner in mutations(item).into_iter().skip(1) {
                    let mut changed = items.clone();
                    changed[i] = inner;
                    out.push(Value::Array(changed));
                }
            }
        }
        _ => {}
    }
    out
}

fn agree<T>(valid: Value, read: impl Fn(&Value) -> Result<T, String>) -> usize
where
    T: DeserializeOwned + PartialEq + Debug,
{
    assert!(read(&valid).is_ok(), "the base document must be valid");
    let mut documents = mutations(&valid);
    documents.extend(replacements());
    for doc in &documents {
        let ours = read(doc);
        let serde = serde_json::from_value::<T>(doc.clone());
        match (&ours, &serde) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{doc}"),
            (Err(_), Err(_)) => {}
            _ => panic!("decode {ours:?} but serde {serde:?} for {doc}"),
        }
    }
    documents.len()
}

fn comment(id: u64) -> Value {
    json!({
        "id": id, "parent_id": 1, "author": "Lan", "body": "Hay\n\"quá\"",
        "created_at": "2022-11-15T14:00:00+07:00", "reply_count": 2, "likes": 3,
        "edited_at": "2022-11-15T15:00:00Z", "deleted": false, "badge": "Ban biên tập",
        "pinned": true, "replies": [{"id": 9, "author": "Minh", "body": "Đúng",
        "created_at": "2022-11-16T08:00:00+07:00"}]
    })
}

#[test]
fn comment_pages_read_as_serde_reads_them() {
    let page = json!({"items": [comment(4), {"id": 5, "author": "", "body": "",
        "created_at": "2022-11-15T14:00:00+07:00", "deleted": true}], "next": "abc"});
    let tried = agree::<CommentPage>(page, |v: &Value| decode::comment_page(&v));
    assert!(tried > 300, "{tried} documents");
    let empty = json!({"items": [], "next": null});
    assert_eq!(decode::comment_page(&&empty).unwrap().items, vec![]);
}

#[test]
fn other_answers_read_as_serde_reads_them() {
    agree(
        json!({"count": 12, "average": 4.25, "distribution": [1, 0, 2, 4, 5], "your_vote": 4}),
        |v: &Value| decode::rating_answer(&v),
    );
    agree(
        json!({"id": 3, "status": "pending", "edit_token": "t0k", "edit_until": "2022-11-15T14:15:00Z"}),
        |v: &Value| decode::comment_created(&v),
    );
    agree(
        json!({"id": 3, "status": "published", "body": "Mới", "edited_at": "2022-11-15T14:05:00Z"}),
        |v: &Value| decode::comment_edited(&v),
    );
    agree(json!({"likes": 8, "liked": true}), |v: &Value| {
        decode::like_answer(&v)
    });
    agree(
        json!({"algorithm": "SHA-256", "challenge": "ab", "maxnumber": 50000,
            "salt": "s?expires=1&", "signature": "cd"}),
        |v: &Value| decode::challenge(&v),
    );
}

#[test]
fn messages_name_the_member() {
    let bad = json!({"items": [comment(4), {"id": "5"}]});
    assert_eq!(
        decode::comment_page(&&bad).unwrap_err(),
        "items[1].id: invalid type: string \"5\", expected u64"
    );
    let short = json!({"count": 1, "average": 1, "distribution": [1]});
    assert_eq!(
        decode::rating_answer(&&short).unwrap_err(),
        "distribution: invalid length 1, expected an array of length 5"
    );
}

/// Text with every kind of character a JSON writer must take care of.
const HOSTILE: &str = "\"quoted\" \\ back\\slash\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} \
    </script> \u{2028}\u{2029} Tiếng Việt 😀";

fn same_text<T: ToJson + serde::Serialize>(value: &T) {
    assert_eq!(value.to_json(), serde_json::to_string(value).unwrap());
}

#[test]
fn requests_are_written_as_serde_writes_them() {
    let full = NewComment {
        author: HOSTILE.into(),
        email: Some("lan@example.vn".into()),
        body: HOSTILE.into(),
        parent_id: Some(u64::MAX),
        captcha: "eyJh==".into(),
        elapsed_ms: 1234,
        website: Some(String::new()),
        client_key: Some("0123456789abcdef".into()),
    };
    same_text(&full);
    same_text(&NewComment {
        email: None,
        parent_id: None,
        website: None,
        client_key: None,
        ..full
    });
    same_text(&VoteRequest {
        stars: 5,
        visitor: HOSTILE.into(),
    });
    same_text(&CommentEdit {
        body: HOSTILE.into(),
        token: "t".into(),
    });
    same_text(&CommentDelete { token: "t".into() });
    same_text(&LikeRequest {
        visitor: String::new(),
    });
    same_text(&Report {
        visitor: "v".into(),
        reason: HOSTILE.into(),
    });
    let challenge = Challenge {
        algorithm: "SHA-256".into(),
        challenge: "ab".into(),
        maxnumber: 9,
        salt: "s?expires=1&".into(),
        signature: "cd".into(),
    };
    same_text(&Payload::new(&challenge, 7, 12));
}

#[test]
fn every_character_is_quoted_as_serde_quotes_it() {
    for c in (0u32..0x3000).filter_map(char::from_u32) {
        let s = format!("a{c}b");
        assert_eq!(
            encode::quote(&s),
            serde_json::to_string(&s).unwrap(),
            "{c:?}"
        );
    }
    let written = encode::array([encode::quote(HOSTILE), "1".into()]);
    let back: (String, u8) = serde_json::from_str(&written).unwrap();
    assert_eq!(back, (HOSTILE.to_owned(), 1));
}
