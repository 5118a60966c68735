//! The "Mã xác thực" code: random characters drawn on a canvas with noise and
//! a slight rotation, checked in the browser. A courtesy check against casual
//! spam only (a script posts to the API directly): the proof of work, checked
//! by the server, is what stops bots.

use crate::clock::after_paint;
use crate::i18n::parts::Msg;
use crate::i18n::{t, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// No 0/O, 1/I/L: characters that are easy to tell apart.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 5;
const WIDTH: u32 = 150;
const HEIGHT: u32 = 48;

fn random() -> f64 {
    js_sys::Math::random()
}

pub fn new_code() -> String {
    (0..CODE_LEN)
        .map(|_| {
            let i = ((random() * ALPHABET.len() as f64) as usize).min(ALPHABET.len() - 1);
            char::from(ALPHABET[i])
        })
        .collect()
}

/// Case and surrounding spaces do not matter.
pub fn code_matches(code: &str, typed: &str) -> bool {
    !code.is_empty() && typed.trim().eq_ignore_ascii_case(code)
}

fn draw(canvas: &HtmlCanvasElement, code: &str) {
    let Some(cx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    cx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok();
    cx.set_fill_style_str("#eef2f5");
    cx.fill_rect(0.0, 0.0, w, h);
    for _ in 0..5 {
        cx.set_stroke_style_str(&format!("hsl({}, 40%, 60%)", (random() * 360.0) as u32));
        cx.begin_path();
        cx.move_to(random() * w, random() * h);
        cx.line_to(random() * w, random() * h);
        cx.stroke();
    }
    cx.set_font("bold 26px monospace");
    cx.set_text_baseline("middle");
    let step = w / (CODE_LEN as f64 + 1.0);
    for (i, ch) in code.chars().enumerate() {
        cx.save();
        cx.translate(step * (i as f64 + 0.6), h / 2.0 + (random() - 0.5) * 8.0)
            .ok();
        cx.rotate((random() - 0.5) * 0.6).ok();
        cx.set_fill_style_str(&format!("hsl({}, 60%, 25%)", (random() * 360.0) as u32));
        cx.fill_text(&ch.to_string(), 0.0, 0.0).ok();
        cx.restore();
    }
    for _ in 0..40 {
        cx.set_fill_style_str("rgba(40, 50, 60, 0.35)");
        cx.fill_rect(random() * w, random() * h, 1.5, 1.5);
    }
}

/// The labelled input, the canvas and a refresh button.
pub fn code_captcha(lang: Lang, code: RwSignal<String>, typed: RwSignal<String>) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // The first code is drawn after the form's first frame: setting the
    // canvas's font computes the style of the whole shadow root there and
    // then (bench/notes.md, "The form's page"). The canvas keeps its size.
    let painted = RwSignal::new(false);
    spawn_local(async move {
        after_paint(100).await;
        painted.try_set(true);
    });
    Effect::new(move |_| {
        let c = code.get();
        if let (true, Some(el)) = (painted.get(), canvas.get()) {
            draw(&el, &c);
        }
    });
    view! {
        <div class="bt-field bt-captcha">
            <label for="bt-code">{t(lang, Msg::CaptchaLabel)}</label>
            <div class="bt-captcha-row">
                <input
                    id="bt-code"
                    name="code"
                    class="bt-input bt-code-input"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="10"
                    required
                    prop:value=move || typed.get()
                    on:input:target=move |ev| typed.set(ev.target().value())
                />
                <canvas
                    node_ref=canvas
                    class="bt-code-image"
                    width=WIDTH.to_string()
                    height=HEIGHT.to_string()
                    role="img"
                    aria-label=t(lang, Msg::CaptchaImage)
                ></canvas>
                <button
                    type="button"
                    class="bt-icon-button"
                    aria-label=t(lang, Msg::CaptchaRefresh)
                    title=t(lang, Msg::CaptchaRefresh)
                    on:click=move |_| {
                        code.set(new_code());
                        typed.set(String::new());
                    }
                >
                    <span aria-hidden="true">"↻"</span>
                </button>
            </div>
        </div>
    }
}
