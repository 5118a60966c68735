//! Finishes trunk's output into the deployable `dist/`. Run by trunk itself,
//! as the post-build hook of Trunk.toml (`cargo xtask dist`, in
//! `TRUNK_STAGING_DIR`), so that a plain `trunk build --release` (and
//! `trunk serve`) gives the complete site:
//!
//! - in a release build, both bundles are shrunk (`shrink.rs`: unused
//!   wasm-streams classes out, short import names);
//! - the wasm-bindgen glue files and the list pages' `bantin-count.js` are
//!   minified (esbuild);
//! - both bundles are named after a hash of their final bytes (trunk hashes
//!   the first one before the shrink step and the minifier, and names the
//!   deferred one without a hash), so both can be cached for good: a change
//!   of either step renames them, and a cache never pairs a new wasm with an
//!   old glue;
//! - `bantin.js`, the stable entry portals embed, is written with the hashed
//!   names and the no-wasm fallback;
//! - `bantin-head.html`, the snippet for a host page's `<head>` (preloads of
//!   the first bundle, the space reserved for mount points), is written and
//!   put in place of `<!-- bantin:head -->` in the site's pages; likewise
//!   `bantin-head-parts.html` (`<!-- bantin:head-parts -->`), which preloads
//!   the deferred bundle instead, for pages with only ratings and comments;
//! - `.br` and `.gz` copies of every text and wasm file.

use crate::{shrink, size, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The stable entry's name: what portals embed.
pub const ENTRY: &str = "bantin.js";
/// The list pages' count script (public/bantin-count.js), not part of the
/// widget: copied by trunk with public/, minified here like the glue.
pub const COUNT: &str = "bantin-count.js";
/// The head snippet's name, and the marker it replaces in the site's pages.
pub const HEAD: &str = "bantin-head.html";
const HEAD_MARKER: &str = "<!-- bantin:head -->";
/// The snippet for a page with nothing but ratings and comments (no article,
/// no counters): it preloads the deferred bundle, which mounts them alone.
pub const HEAD_PARTS: &str = "bantin-head-parts.html";
const HEAD_PARTS_MARKER: &str = "<!-- bantin:head-parts -->";
/// trunk names the first bundle `bantin-<hash>.js` / `bantin-<hash>_bg.wasm`;
/// the deferred one comes out as `bantin_parts.js` / `bantin_parts_bg.wasm`.
const MAIN_PREFIX: &str = "bantin-";
const PARTS_NAME: &str = "bantin_parts";

/// What a mount point shows when the widget cannot run (no WebAssembly, or the
/// wasm or its glue failed to load): `(lang, message, link text)`. These are the
/// only UI strings outside `src/i18n/`, because they must work without the wasm.
/// No `"` or `\\` in them: they are written into a JS string literal as is.
const FALLBACK_TEXT: [(&str, &str, &str); 2] = [
    (
        "vi",
        "Không hiển thị được nội dung này trên trình duyệt của bạn.",
        "Mở bài viết",
    ),
    (
        "en",
        "This content could not be shown in your browser.",
        "Open the article",
    ),
];

/// The body of `bantin.js`, with `{TEXT}` and the bundles' names to fill in.
const ENTRY_JS: &str = include_str!("entry.js");

/// The space a mount point keeps from the page's first frame until its
/// content is painted (`data-bantin-ready`), by what it shows: a whole
/// screen for an article (the portal below it is out of sight either way),
/// the form's height for comments alone, two lines for counters. A portal
/// can set `--bt-reserve` on a mount point to change it.
const RESERVE_CSS: &str =
    "[data-bantin]:not([data-bantin-ready]){display:block;min-height:var(--bt-reserve,100vh)}\
[data-bantin][data-parts]{--bt-reserve:7em}\
[data-bantin][data-parts~=comments]{--bt-reserve:36em}\
[data-bantin][data-parts=counters]{--bt-reserve:3.5em}\
[data-bantin][data-parts~=article]{--bt-reserve:100vh}";

/// One wasm-bindgen bundle: its glue module and its wasm, by file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
}

/// The two bundles of a finished `dist/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The first download: mount points, article, counters.
    pub main: Bundle,
    /// Rating, comments, captchas, proof of work.
    pub parts: Bundle,
}

fn names(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build` first)", dir.display()))?;
    Ok(entries
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect())
}

/// The hashed bundle whose names start with `prefix` (and go on with the hash).
fn hashed(names: &[String], prefix: &str) -> Option<Bundle> {
    let wasm = names
        .iter()
        .find(|n| n.starts_with(prefix) && n.ends_with("_bg.wasm"))?;
    let js = format!("{}.js", wasm.strip_suffix("_bg.wasm")?);
    names.contains(&js).then(|| Bundle {
        js,
        wasm: wasm.clone(),
    })
}

/// The bundles of a finished `dist/` (or staging directory).
pub fn manifest(dir: &Path) -> Result<Manifest> {
    let names = names(dir)?;
    let missing = |what: &str| format!("no {what} bundle in {}", dir.display());
    Ok(Manifest {
        main: hashed(&names, MAIN_PREFIX).ok_or_else(|| missing("first (bantin-*)"))?,
        parts: hashed(&names, &format!("{PARTS_NAME}-"))
            .ok_or_else(|| missing("deferred (bantin_parts-*)"))?,
    })
}

/// FNV-1a, 64 bits: a content hash for cache-busting names.
fn content_hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for bytes in parts {
        for b in *bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Renames the bundle `from` to `<name>-<hash of its bytes>`: named after
/// what it is once shrunk and minified (trunk's hash is of its own output).
pub fn hash_names(dir: &Path, from: &Bundle, name: &str) -> Result<Bundle> {
    let (js, wasm) = (dir.join(&from.js), dir.join(&from.wasm));
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let (js_bytes, wasm_bytes) = (read(&js)?, read(&wasm)?);
    let hash = content_hash(&[&js_bytes, &wasm_bytes]);
    let bundle = Bundle {
        js: format!("{name}-{hash}.js"),
        wasm: format!("{name}-{hash}_bg.wasm"),
    };
    for (from, to) in [(&js, &bundle.js), (&wasm, &bundle.wasm)] {
        std::fs::rename(from, dir.join(to)).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    Ok(bundle)
}

/// Minifies glue modules in place with esbuild (from `./node_modules`).
pub fn minify(root: &Path, files: &[PathBuf]) -> Result {
    let esbuild = root.join("node_modules/.bin/esbuild");
    if !esbuild.exists() {
        return Err(format!(
            "{} is missing: run `cargo xtask setup` (it installs the npm tools)",
            esbuild.display()
        ));
    }
    for file in files {
        let status = Command::new(&esbuild)
            .arg(file)
            .args([
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--charset=utf8",
                "--allow-overwrite",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={}", file.display()))
            .status()
            .map_err(|e| format!("starting esbuild: {e}"))?;
        if !status.success() {
            return Err(format!("esbuild failed on {} ({status})", file.display()));
        }
    }
    Ok(())
}

pub fn entry_js(m: &Manifest) -> String {
    let text = FALLBACK_TEXT
        .iter()
        .map(|(lang, message, link)| {
            assert!(!format!("{message}{link}").contains(['"', '\\']));
            format!("{lang}: [\"{message}\", \"{link}\"]")
        })
        .collect::<Vec<_>>()
        .join(", ");
    ENTRY_JS
        .replace("{TEXT}", &format!("{{ {text} }}"))
        .replace("{MAIN_JS}", &m.main.js)
        .replace("{MAIN_WASM}", &m.main.wasm)
        .replace("{PARTS_JS}", &m.parts.js)
        .replace("{PARTS_WASM}", &m.parts.wasm)
        .replace("{ARTICLE_ROUTE}", bantin_protocol::paths::route::ARTICLE)
        .replace(
            "{ARTICLE_ID_MAX}",
            &bantin_protocol::limits::ARTICLE_ID_MAX_CHARS.to_string(),
        )
}

/// What a host page puts in its `<head>`: the glue and wasm of `bundle`
/// (the first one; the deferred one on a page with only ratings and
/// comments) start downloading with the HTML (not after bantin.js), and
/// mount points keep their space from the first frame. Paths are relative
/// to `dist/`; `base` is prepended (empty for the site's own pages).
pub fn head_snippet(bundle: &Bundle, base: &str) -> String {
    format!(
        "<link rel=\"modulepreload\" href=\"{base}{entry}\">\n\
         <link rel=\"modulepreload\" href=\"{base}{js}\">\n\
         <link rel=\"preload\" href=\"{base}{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
         <style>{RESERVE_CSS}</style>",
        entry = ENTRY,
        js = bundle.js,
        wasm = bundle.wasm,
    )
}

/// Finishes the staging directory `dir` (see the module's documentation).
pub fn finish(root: &Path, dir: &Path) -> Result {
    let names = names(dir)?;
    let main = hashed(&names, MAIN_PREFIX).ok_or_else(|| {
        format!(
            "no bantin-*_bg.wasm in {}: is the first bundle's <link data-trunk rel=\"rust\"> in index.html?",
            dir.display()
        )
    })?;
    let parts = Bundle {
        js: format!("{PARTS_NAME}.js"),
        wasm: format!("{PARTS_NAME}_bg.wasm"),
    };
    // A debug build (`trunk serve`) keeps its names, for debugging.
    if std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release") {
        shrink::bundle(root, dir, &main.js, &main.wasm)?;
        shrink::bundle(root, dir, &parts.js, &parts.wasm)?;
    }
    let mut scripts = vec![dir.join(&main.js), dir.join(&parts.js)];
    scripts.extend(Some(dir.join(COUNT)).filter(|p| p.is_file()));
    minify(root, &scripts)?;
    let manifest = Manifest {
        main: hash_names(dir, &main, MAIN_PREFIX.trim_end_matches('-'))?,
        parts: hash_names(dir, &parts, PARTS_NAME)?,
    };
    std::fs::write(dir.join(ENTRY), entry_js(&manifest))
        .map_err(|e| format!("writing {ENTRY}: {e}"))?;
    minify(root, &[dir.join(ENTRY)])?;
    let heads = [
        (HEAD, HEAD_MARKER, head_snippet(&manifest.main, "")),
        (
            HEAD_PARTS,
            HEAD_PARTS_MARKER,
            head_snippet(&manifest.parts, ""),
        ),
    ];
    for (file, _, head) in &heads {
        std::fs::write(dir.join(file), format!("{head}\n"))
            .map_err(|e| format!("writing {file}: {e}"))?;
    }
    for name in names.iter().filter(|n| n.ends_with(".html")) {
        let path = dir.join(name);
        let page = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let done = heads.iter().fold(page.clone(), |page, (_, marker, head)| {
            page.replace(marker, head)
        });
        if done != page {
            std::fs::write(&path, done).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    size::write_precompressed(dir)
}

/// `cargo xtask dist [DIR]`: DIR, or trunk's `TRUNK_STAGING_DIR`.
pub fn run(root: &Path, args: &[String]) -> Result {
    let dir = args
        .first()
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from))
        .ok_or("usage: cargo xtask dist DIR (trunk's post-build hook sets TRUNK_STAGING_DIR)")?;
    finish(root, &dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(js: &str, wasm: &str) -> Bundle {
        Bundle {
            js: js.into(),
            wasm: wasm.into(),
        }
    }

    #[test]
    fn bundles_are_found_by_their_hashed_names() {
        let names: Vec<String> = [
            "bantin-1a2b_bg.wasm",
            "bantin-1a2b.js",
            "bantin.js",
            "bantin-head.html",
            "bantin_parts-ff00_bg.wasm",
            "bantin_parts-ff00.js",
            "bantin-1a2b_bg.wasm.br",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            hashed(&names, MAIN_PREFIX),
            Some(bundle("bantin-1a2b.js", "bantin-1a2b_bg.wasm"))
        );
        assert_eq!(
            hashed(&names, "bantin_parts-"),
            Some(bundle("bantin_parts-ff00.js", "bantin_parts-ff00_bg.wasm"))
        );
        // A wasm without its glue is no bundle.
        assert_eq!(hashed(&names[..1], MAIN_PREFIX), None);
    }

    #[test]
    fn the_entry_names_every_file_and_no_placeholder_is_left() {
        let m = Manifest {
            main: bundle("bantin-1.js", "bantin-1_bg.wasm"),
            parts: bundle("bantin_parts-2.js", "bantin_parts-2_bg.wasm"),
        };
        let js = entry_js(&m);
        for name in [
            "bantin-1.js",
            "bantin-1_bg.wasm",
            "bantin_parts-2.js",
            "bantin_parts-2_bg.wasm",
        ] {
            assert!(js.contains(&format!("\"{name}\"")), "{name}");
        }
        for placeholder in [
            "{TEXT}",
            "{MAIN_JS}",
            "{MAIN_WASM}",
            "{PARTS_JS}",
            "{PARTS_WASM}",
            "{ARTICLE_ROUTE}",
            "{ARTICLE_ID_MAX}",
        ] {
            assert!(!js.contains(placeholder), "{placeholder}");
        }
        assert!(js.contains("\"/articles/{id}\""));
        let head = head_snippet(&m.main, "https://cdn.example/bantin/");
        assert!(head.contains("href=\"https://cdn.example/bantin/bantin-1_bg.wasm\" as=\"fetch\""));
        assert!(head.contains("crossorigin"));
        let head = head_snippet(&m.parts, "");
        assert!(head.contains("<link rel=\"modulepreload\" href=\"bantin_parts-2.js\">"));
        assert!(head.contains("href=\"bantin_parts-2_bg.wasm\" as=\"fetch\""));
        assert!(!head.contains("bantin-1"));
    }

    #[test]
    fn content_hashes_change_with_content() {
        assert_eq!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
        assert_ne!(content_hash(&[b"abc"]), content_hash(&[b"abd"]));
        assert_eq!(content_hash(&[b""]).len(), 16);
    }
}
