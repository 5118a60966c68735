//! Minifies `style/base.css` (the first download's) and `style/parts.css`
//! (the deferred parts') into OUT_DIR: the stylesheets are compiled into the
//! wasm, where comments and indentation would cost bytes on every load.
//! Only what is safe for this stylesheet: comments, runs of whitespace, spaces
//! next to `{};,>` and after `:` (never before it: `.a :hover` is not `.a:hover`).
//! It has no `/*`, `{}`, `;` or `,` inside strings.

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        text.push(' ');
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(words.len());
    let mut chars = words.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied().unwrap_or('{');
            let prev = out.chars().last().unwrap_or('{');
            if "{};,>".contains(next) || "{};,>:".contains(prev) {
                continue;
            }
        }
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for name in ["base", "parts"] {
        let source = format!("style/{name}.css");
        println!("cargo:rerun-if-changed={source}");
        let css = std::fs::read_to_string(&source).expect("reading a stylesheet of style/");
        std::fs::write(out.join(format!("{name}.min.css")), minify(&css))
            .expect("writing the minified CSS");
    }
}
