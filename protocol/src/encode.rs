//! Writing the documents the widget sends as JSON text, without serde: the
//! widget's wasm carries no serializer. The output is the text serde_json
//! writes for the same value (same member order, same escapes, the same
//! members left out), which the tests check.

use crate::admin::Report;
use crate::api::{CommentDelete, CommentEdit, LikeRequest, NewComment, VoteRequest};
use crate::pow::Payload;

/// A document as JSON text.
pub trait ToJson {
    fn to_json(&self) -> String;
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
pub fn quote_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// `s` as a JSON string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

/// A JSON array of already written values.
pub fn array<I: IntoIterator<Item = String>>(values: I) -> String {
    let mut out = String::from("[");
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&value);
    }
    out.push(']');
    out
}

/// A JSON object, written member by member.
pub struct Object {
    out: String,
}

impl Default for Object {
    fn default() -> Self {
        Object::new()
    }
}

impl Object {
    pub fn new() -> Object {
        Object {
            out: String::from("{"),
        }
    }

    /// A member whose value is already JSON text.
    pub fn raw(mut self, key: &str, json: &str) -> Object {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        quote_into(&mut self.out, key);
        self.out.push(':');
        self.out.push_str(json);
        self
    }

    pub fn str(self, key: &str, value: &str) -> Object {
        self.raw(key, &quote(value))
    }

    pub fn uint(self, key: &str, value: u64) -> Object {
        self.raw(key, &value.to_string())
    }

    pub fn int(self, key: &str, value: i64) -> Object {
        self.raw(key, &value.to_string())
    }

    pub fn bool(self, key: &str, value: bool) -> Object {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// Left out when `None`.
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Object {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// Left out when `None`.
    pub fn opt_uint(self, key: &str, value: Option<u64>) -> Object {
        match value {
            Some(v) => self.uint(key, v),
            None => self,
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

impl ToJson for VoteRequest {
    fn to_json(&self) -> String {
        Object::new()
            .uint("stars", self.stars.into())
            .str("visitor", &self.visitor)
            .finish()
    }
}

impl ToJson for NewComment {
    fn to_json(&self) -> String {
        Object::new()
            .str("author", &self.author)
            .opt_str("email", self.email.as_deref())
            .str("body", &self.body)
            .opt_uint("parent_id", self.parent_id)
            .str("captcha", &self.captcha)
            .uint("elapsed_ms", self.elapsed_ms)
            .opt_str("website", self.website.as_deref())
            .opt_str("client_key", self.client_key.as_deref())
            .finish()
    }
}

impl ToJson for CommentEdit {
    fn to_json(&self) -> String {
        Object::new()
            .str("body", &self.body)
            .str("token", &self.token)
            .finish()
    }
}

impl ToJson for CommentDelete {
    fn to_json(&self) -> String {
        Object::new().str("token", &self.token).finish()
    }
}

impl ToJson for LikeRequest {
    fn to_json(&self) -> String {
        Object::new().str("visitor", &self.visitor).finish()
    }
}

impl ToJson for Report {
    fn to_json(&self) -> String {
        Object::new()
            .str("visitor", &self.visitor)
            .str("reason", &self.reason)
            .finish()
    }
}

impl ToJson for Payload {
    fn to_json(&self) -> String {
        Object::new()
            .str("algorithm", &self.algorithm)
            .str("challenge", &self.challenge)
            .uint("number", self.number)
            .str("salt", &self.salt)
            .str("signature", &self.signature)
            .uint("took", self.took)
            .finish()
    }
}
