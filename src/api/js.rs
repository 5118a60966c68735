//! The browser's `JSON.parse` as a tree for [`bantin_protocol::decode`]: the
//! article is read without a JSON parser or serde in the wasm.

use bantin_protocol::decode::{Json, Kind, Num};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

pub struct Js(pub JsValue);

impl Js {
    /// Parses `text`; the engine's message when it is not JSON.
    pub fn parse(text: &str) -> Result<Js, String> {
        js_sys::JSON::parse(text).map(Js).map_err(|e| {
            js_sys::Error::from(e)
                .message()
                .as_string()
                .unwrap_or_default()
        })
    }
}

impl Json for Js {
    fn kind(&self) -> Kind {
        let v = &self.0;
        if let Some(b) = v.as_bool() {
            Kind::Bool(b)
        } else if let Some(x) = v.as_f64() {
            Kind::Number(Num::from_f64(x))
        } else if v.is_string() {
            Kind::String
        } else if Array::is_array(v) {
            Kind::Array
        } else if v.is_object() {
            Kind::Object
        } else {
            Kind::Null
        }
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn member(&self, key: &str) -> Option<Js> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return None;
        }
        let v = Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined()).then_some(Js(v))
    }

    fn elements(&self) -> Option<Vec<Js>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(Js).collect())
    }
}

/// `JSON.stringify` of an object with these string members.
pub fn stringify(members: &[(&str, &str)]) -> String {
    let object = js_sys::Object::new();
    for (key, value) in members {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
