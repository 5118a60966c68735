//! Reading the contract's documents from an already parsed JSON tree of any
//! kind: `serde_json::Value` on the server and in tests, the browser's own
//! `JSON.parse` result in the widget (which thereby needs no JSON parser and no
//! serde in its wasm). The article and the counters (`article.rs`) are read by
//! this decoder on both sides, so both accept and refuse exactly the same
//! documents; the API's answers (`answers.rs`) are read by it in the widget
//! and by serde in the server's tests, which check that the two agree.
//!
//! The messages follow serde's wording (`missing field `src``,
//! `invalid type: integer `5`, expected a string`), prefixed with the field's
//! path. Unknown fields are ignored; `Option` fields accept `null`, fields with
//! a default do not.

use crate::time::Timestamp;

mod answers;
mod article;

pub use answers::*;
pub use article::{article, counters};

/// A JSON number as the tree holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl Num {
    /// A number from a tree that only knows doubles (JavaScript): integral
    /// values count as integers, as serde_json would have read them.
    pub fn from_f64(x: f64) -> Num {
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        if x.fract() != 0.0 || !x.is_finite() {
            Num::Float(x)
        } else if (0.0..2.0 * TWO_63).contains(&x) {
            Num::Unsigned(x as u64)
        } else if (-TWO_63..0.0).contains(&x) {
            Num::Signed(x as i64)
        } else {
            Num::Float(x)
        }
    }
}

/// What a parsed JSON value is, without its content.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(Num),
    String,
    Array,
    Object,
}

impl Kind {
    /// An integer from 0 to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Kind::Number(Num::Unsigned(n)) => Some(n),
            _ => None,
        }
    }

    /// An integer that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Kind::Number(Num::Unsigned(n)) => i64::try_from(n).ok(),
            Kind::Number(Num::Signed(n)) => Some(n),
            _ => None,
        }
    }
}

/// A node of a parsed JSON tree.
pub trait Json: Sized {
    fn kind(&self) -> Kind;
    /// The text of a string node.
    fn string(&self) -> Option<String>;
    /// A member of an object node; `None` when it is absent.
    fn member(&self, key: &str) -> Option<Self>;
    /// The elements of an array node.
    fn elements(&self) -> Option<Vec<Self>>;
}

impl Json for &serde_json::Value {
    fn kind(&self) -> Kind {
        use serde_json::Value as V;
        match self {
            V::Null => Kind::Null,
            V::Bool(b) => Kind::Bool(*b),
            V::Number(n) => Kind::Number(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Num::Unsigned(u),
                (None, Some(i)) => Num::Signed(i),
                _ => Num::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            V::String(_) => Kind::String,
            V::Array(_) => Kind::Array,
            V::Object(_) => Kind::Object,
        }
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }
    fn elements(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }
}

/// A float in an error message, without `core::fmt`'s float formatting (which
/// would cost the widget several KB): up to six decimals.
fn float_text(x: f64) -> String {
    if !x.is_finite() {
        return "NaN".into();
    }
    let neg = x < 0.0;
    let micros = (x.abs() * 1e6).round();
    let whole = (micros / 1e6).trunc() as u64;
    let mut frac = (micros - whole as f64 * 1e6) as u64;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&whole.to_string());
    if frac > 0 {
        let mut digits = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        let f = frac.to_string();
        out.push('.');
        out.extend(std::iter::repeat_n('0', digits - f.len()));
        out.push_str(&f);
    }
    out
}

fn describe<J: Json>(v: &J) -> String {
    match v.kind() {
        Kind::Null => "null".into(),
        Kind::Bool(b) => format!("boolean `{b}`"),
        Kind::Number(Num::Unsigned(n)) => format!("integer `{n}`"),
        Kind::Number(Num::Signed(n)) => format!("integer `{n}`"),
        Kind::Number(Num::Float(x)) => format!("floating point `{}`", float_text(x)),
        Kind::String => format!("string \"{}\"", v.string().unwrap_or_default()),
        Kind::Array => "sequence".into(),
        Kind::Object => "map".into(),
    }
}

/// Where in the document a value sits, for messages.
#[derive(Clone, Copy)]
struct At<'a> {
    parent: Option<&'a At<'a>>,
    name: &'a str,
    index: Option<usize>,
}

impl At<'_> {
    const ROOT: At<'static> = At {
        parent: None,
        name: "",
        index: None,
    };

    fn field<'b>(&'b self, name: &'b str) -> At<'b> {
        At {
            parent: Some(self),
            name,
            index: None,
        }
    }

    fn item(&self, index: usize) -> At<'_> {
        At {
            parent: Some(self),
            name: "",
            index: Some(index),
        }
    }

    fn path(&self) -> String {
        let mut out = self.parent.map(At::path).unwrap_or_default();
        if let Some(i) = self.index {
            out.push('[');
            out.push_str(&i.to_string());
            out.push(']');
        } else if !self.name.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(self.name);
        }
        out
    }

    fn fail(&self, message: String) -> String {
        match self.path() {
            p if p.is_empty() => message,
            p => format!("{p}: {message}"),
        }
    }

    fn invalid_type<J: Json>(&self, v: &J, expected: &str) -> String {
        self.fail(format!(
            "invalid type: {}, expected {expected}",
            describe(v)
        ))
    }
}

fn missing(at: &At, key: &str) -> String {
    at.fail(format!("missing field `{key}`"))
}

fn string<J: Json>(v: &J, at: &At) -> Result<String, String> {
    v.string().ok_or_else(|| at.invalid_type(v, "a string"))
}

/// `Option<T>` fields: absent or `null` is `None`.
fn optional<J: Json, T>(
    obj: &J,
    key: &str,
    at: &At,
    read: impl Fn(&J, &At) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match obj.member(key) {
        Some(v) if v.kind() != Kind::Null => read(&v, &at.field(key)).map(Some),
        _ => Ok(None),
    }
}

/// Fields with a default: absent is the default, `null` is an error.
fn or_default<J: Json, T: Default>(
    obj: &J,
    key: &str,
    at: &At,
    read: impl Fn(&J, &At) -> Result<T, String>,
) -> Result<T, String> {
    match obj.member(key) {
        Some(v) => read(&v, &at.field(key)),
        None => Ok(T::default()),
    }
}

fn required<J: Json, T>(
    obj: &J,
    key: &str,
    at: &At,
    read: impl Fn(&J, &At) -> Result<T, String>,
) -> Result<T, String> {
    match obj.member(key) {
        Some(v) => read(&v, &at.field(key)),
        None => Err(missing(at, key)),
    }
}

fn unsigned<J: Json>(v: &J, at: &At, max: u64, expected: &str) -> Result<u64, String> {
    match v.kind() {
        Kind::Number(Num::Unsigned(n)) if n <= max => Ok(n),
        Kind::Number(Num::Unsigned(_) | Num::Signed(_)) => Err(at.fail(format!(
            "invalid value: {}, expected {expected}",
            describe(v)
        ))),
        _ => Err(at.invalid_type(v, expected)),
    }
}

fn u64_of<J: Json>(v: &J, at: &At) -> Result<u64, String> {
    unsigned(v, at, u64::MAX, "u64")
}

fn u32_of<J: Json>(v: &J, at: &At) -> Result<u32, String> {
    unsigned(v, at, u64::from(u32::MAX), "u32").map(|n| n as u32)
}

fn f64_of<J: Json>(v: &J, at: &At) -> Result<f64, String> {
    match v.kind() {
        Kind::Number(Num::Unsigned(n)) => Ok(n as f64),
        Kind::Number(Num::Signed(n)) => Ok(n as f64),
        Kind::Number(Num::Float(x)) => Ok(x),
        _ => Err(at.invalid_type(v, "f64")),
    }
}

fn timestamp<J: Json>(v: &J, at: &At) -> Result<Timestamp, String> {
    string(v, at)?.parse().map_err(|e| at.fail(e))
}

fn object<J: Json>(v: &J, at: &At, what: &str) -> Result<(), String> {
    match v.kind() {
        Kind::Object => Ok(()),
        _ => Err(at.invalid_type(v, what)),
    }
}

fn array<J: Json, T>(
    v: &J,
    at: &At,
    read: impl Fn(&J, &At) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let items = v
        .elements()
        .ok_or_else(|| at.invalid_type(v, "a sequence"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read(item, &at.item(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_in_messages() {
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-0.25), "-0.25");
        assert_eq!(float_text(3.0), "3");
        assert_eq!(float_text(0.000001), "0.000001");
        assert_eq!(float_text(12.0625), "12.0625");
    }

    #[test]
    fn doubles_become_integers_when_integral() {
        assert_eq!(Num::from_f64(5.0), Num::Unsigned(5));
        assert_eq!(Num::from_f64(-1.0), Num::Signed(-1));
        assert_eq!(Num::from_f64(1.5), Num::Float(1.5));
        assert_eq!(Num::from_f64(4294967296.0), Num::Unsigned(4_294_967_296));
        assert!(matches!(Num::from_f64(1e300), Num::Float(_)));
    }
}
