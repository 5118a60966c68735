//! The editors' console (`admin/`, crate `bantin-admin`): built by trunk
//! after the widget (trunk replaces `dist/` on each widget build) into a
//! staging dir of its own, then finished into `dist/admin/`, which
//! bantin-server serves at `/admin/`:
//!
//! - the bundle is shrunk (`shrink.rs`) and its glue minified (esbuild),
//!   like the widget's, and named after the hash of what came out;
//! - `admin.js`, the page's only script (no inline script: the console runs
//!   under a strict CSP), starts the hashed bundle;
//! - `.br` and `.gz` copies of every text and wasm file.

use crate::{run, size, size_build_env, step, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the console is served from, under `dist/`.
pub const DIR: &str = "admin";
/// The page's script: a stable name that starts the hashed bundle.
pub const BOOT: &str = "admin.js";
const PREFIX: &str = "bantin_admin-";

/// The console's files of a finished `dist/admin/`: the boot script, the
/// glue, the wasm and the style sheet, as the page loads them.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build` first)", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let bundle =
        bundle(&names).ok_or_else(|| format!("no {PREFIX}*_bg.wasm in {}", dir.display()))?;
    let css = names
        .iter()
        .find(|n| n.starts_with("style-") && n.ends_with(".css"))
        .ok_or_else(|| format!("no style-*.css in {}", dir.display()))?;
    Ok([BOOT, &bundle.0, &bundle.1, css]
        .iter()
        .map(|n| dir.join(n))
        .collect())
}

/// `(glue, wasm)` of the console's hashed bundle.
fn bundle(names: &[String]) -> Option<(String, String)> {
    let wasm = names
        .iter()
        .find(|n| n.starts_with(PREFIX) && n.ends_with("_bg.wasm"))?;
    let js = format!("{}.js", wasm.strip_suffix("_bg.wasm")?);
    names.contains(&js).then(|| (js, wasm.clone()))
}

pub fn boot_js(js: &str, wasm: &str) -> String {
    format!(
        "// Starts Bantin's moderation console (written by `cargo xtask build`).\n\
         import init from \"./{js}\";\n\
         init({{ module_or_path: new URL(\"{wasm}\", import.meta.url) }});\n"
    )
}

/// `html` without the `<link data-trunk …>` elements trunk left in it.
pub fn without_trunk_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<link data-trunk") {
        out.push_str(rest[..at].trim_end_matches([' ', '\t']));
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
    }
    out.push_str(rest);
    out
}

/// Builds the console with trunk (std rebuilt for size, like the widget)
/// and finishes it into `dist/admin/`.
pub fn build(root: &Path) -> Result {
    step("trunk build --release --offline: the console (admin/)");
    let staging = crate::target_dir(root).join("admin-dist");
    let mut trunk = Command::new("trunk");
    trunk
        .current_dir(root.join(DIR))
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&staging);
    run(size_build_env(&mut trunk), "trunk build (console)")?;
    finish(root, &staging, &root.join("dist").join(DIR))
}

/// Minifies the glue, writes the boot script, and puts the staging dir's
/// files in `out` (replaced), with precompressed copies.
pub fn finish(root: &Path, staging: &Path, out: &Path) -> Result {
    let names: Vec<String> = std::fs::read_dir(staging)
        .map_err(|e| format!("{}: {e}", staging.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let (js, wasm) =
        bundle(&names).ok_or_else(|| format!("no {PREFIX}*_bg.wasm in {}", staging.display()))?;
    crate::shrink::bundle(root, staging, &js, &wasm)?;
    crate::dist::minify(root, &[staging.join(&js)])?;
    let crate::dist::Bundle { js, wasm } = crate::dist::hash_names(
        staging,
        &crate::dist::Bundle { js, wasm },
        PREFIX.trim_end_matches('-'),
    )?;
    std::fs::write(staging.join(BOOT), boot_js(&js, &wasm))
        .map_err(|e| format!("writing {BOOT}: {e}"))?;
    // trunk (with inject_scripts = false) leaves the bundle's <link data-trunk> in the page.
    let page = staging.join("index.html");
    let html = std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    std::fs::write(&page, without_trunk_links(&html))
        .map_err(|e| format!("{}: {e}", page.display()))?;
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for name in std::fs::read_dir(staging)
        .map_err(|e| format!("{}: {e}", staging.display()))?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name())
    {
        std::fs::copy(staging.join(&name), out.join(&name))
            .map_err(|e| format!("copying {name:?}: {e}"))?;
    }
    size::write_precompressed(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boot_script_names_the_hashed_bundle() {
        let names: Vec<String> = [
            "index.html",
            "bantin_admin-00ff_bg.wasm",
            "bantin_admin-00ff.js",
            "style-1234.css",
        ]
        .map(String::from)
        .to_vec();
        let (js, wasm) = bundle(&names).unwrap();
        assert_eq!(js, "bantin_admin-00ff.js");
        let boot = boot_js(&js, &wasm);
        assert!(boot.contains("from \"./bantin_admin-00ff.js\""));
        assert!(boot.contains("new URL(\"bantin_admin-00ff_bg.wasm\", import.meta.url)"));
        assert_eq!(bundle(&names[..2]), None);
    }

    #[test]
    fn trunk_links_are_taken_out_of_the_page() {
        let html = "<head>\n  <link rel=\"stylesheet\" href=\"s.css\">\n  <link data-trunk rel=\"rust\" data-bin=\"x\" data-trunk-id=\"1\">\n  <script type=\"module\" src=\"admin.js\"></script>\n</head>";
        assert_eq!(
            without_trunk_links(html),
            "<head>\n  <link rel=\"stylesheet\" href=\"s.css\">\n  <script type=\"module\" src=\"admin.js\"></script>\n</head>"
        );
    }
}
