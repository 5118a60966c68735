//! `Deserialize` for [`Block`], by hand. The derived impl of an internally
//! tagged enum buffers every block into serde's generic `Content` tree first;
//! in the widget that was the largest single function of the wasm (15 KB
//! before wasm-opt). Here a block's fields are read once, as loose values,
//! and checked against what its `type` needs. The behaviour is the derived
//! one's: unknown types become [`Block::Unknown`] whatever their fields hold,
//! missing and mistyped fields of known types are the same errors.

use crate::article::Block;
use serde::de::{
    self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
};
use std::fmt;

/// Any JSON value, kept only as far as a block field can use it.
enum Loose {
    Str(String),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Bool(bool),
    Null,
    Seq,
    Map,
}

impl Loose {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Loose::Str(s) => Unexpected::Str(s),
            Loose::Unsigned(n) => Unexpected::Unsigned(*n),
            Loose::Signed(n) => Unexpected::Signed(*n),
            Loose::Float(x) => Unexpected::Float(*x),
            Loose::Bool(b) => Unexpected::Bool(*b),
            Loose::Null => Unexpected::Unit,
            Loose::Seq => Unexpected::Seq,
            Loose::Map => Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose, E> {
                Ok(Loose::Str(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose::Unsigned(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose::Signed(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose::Float(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Map)
            }
        }
        d.deserialize_any(V)
    }
}

/// The fields any known block type has; the last value of a repeated key wins.
#[derive(Default)]
struct Fields {
    kind: Option<Loose>,
    text: Option<Loose>,
    level: Option<Loose>,
    src: Option<Loose>,
    alt: Option<Loose>,
    caption: Option<Loose>,
    width: Option<Loose>,
    height: Option<Loose>,
    cite: Option<Loose>,
    html: Option<Loose>,
}

fn string<E: de::Error>(v: Loose) -> Result<String, E> {
    match v {
        Loose::Str(s) => Ok(s),
        other => Err(E::invalid_type(other.unexpected(), &"a string")),
    }
}

fn required<E: de::Error>(v: Option<Loose>, name: &'static str) -> Result<String, E> {
    string(v.ok_or_else(|| E::missing_field(name))?)
}

/// `null` and absent are both `None`, as with `#[serde(default)] Option<String>`.
fn optional<E: de::Error>(v: Option<Loose>) -> Result<Option<String>, E> {
    match v {
        None | Some(Loose::Null) => Ok(None),
        Some(v) => string(v).map(Some),
    }
}

fn unsigned<E: de::Error>(v: Loose, max: u64, expected: &'static str) -> Result<u64, E> {
    match v {
        Loose::Unsigned(n) if n <= max => Ok(n),
        Loose::Unsigned(n) => Err(E::invalid_value(Unexpected::Unsigned(n), &expected)),
        Loose::Signed(n) => Err(E::invalid_value(Unexpected::Signed(n), &expected)),
        other => Err(E::invalid_type(other.unexpected(), &expected)),
    }
}

fn optional_u32<E: de::Error>(v: Option<Loose>) -> Result<Option<u32>, E> {
    match v {
        None | Some(Loose::Null) => Ok(None),
        Some(v) => unsigned(v, u32::MAX.into(), "u32").map(|n| Some(n as u32)),
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Block;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a block (an object with a \"type\")")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
                let mut f = Fields::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "type" => &mut f.kind,
                        "text" => &mut f.text,
                        "level" => &mut f.level,
                        "src" => &mut f.src,
                        "alt" => &mut f.alt,
                        "caption" => &mut f.caption,
                        "width" => &mut f.width,
                        "height" => &mut f.height,
                        "cite" => &mut f.cite,
                        "html" => &mut f.html,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                let kind = required(f.kind, "type")?;
                Ok(match kind.as_str() {
                    "paragraph" => Block::Paragraph {
                        text: required(f.text, "text")?,
                    },
                    "heading" => Block::Heading {
                        level: match f.level {
                            None => 2,
                            Some(v) => unsigned(v, u8::MAX.into(), "u8")? as u8,
                        },
                        text: required(f.text, "text")?,
                    },
                    "image" => Block::Image {
                        src: required(f.src, "src")?,
                        alt: match f.alt {
                            None => String::new(),
                            Some(v) => string(v)?,
                        },
                        caption: optional(f.caption)?,
                        width: optional_u32(f.width)?,
                        height: optional_u32(f.height)?,
                    },
                    "quote" => Block::Quote {
                        text: required(f.text, "text")?,
                        cite: optional(f.cite)?,
                    },
                    "html" => Block::Html {
                        html: required(f.html, "html")?,
                    },
                    _ => Block::Unknown,
                })
            }
        }
        d.deserialize_map(V)
    }
}
