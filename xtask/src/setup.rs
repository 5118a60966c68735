//! Installs what the project needs and is missing; skips what is there.

use crate::{run as exec, step, Result};
use std::path::Path;
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// PATH with the project's npm tools (wasm-opt from binaryen) and cargo's bin
/// folder first, so trunk finds the pinned tools offline.
pub fn tool_path(root: &Path) -> String {
    let mut dirs = vec![root.join("node_modules/.bin").display().to_string()];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string()))
    {
        dirs.push(Path::new(&home).join("bin").display().to_string());
    }
    dirs.push(std::env::var("PATH").unwrap_or_default());
    dirs.join(":")
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", tool_path(&crate::project_root()))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

pub fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

pub fn run(root: &Path) -> Result {
    step("setup: checking tools");

    let targets = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        println!("    ok  wasm32-unknown-unknown target");
    } else {
        step("installing the wasm32-unknown-unknown target");
        exec(
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
            "rustup target add (is rustup installed? see https://rustup.rs)",
        )?;
    }

    let components = output_of("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    // rust-src: the release wasm rebuilds the standard library for size.
    for component in ["rustfmt", "clippy", "rust-src"] {
        if components.lines().any(|c| c.starts_with(component)) {
            println!("    ok  {component}");
        } else {
            step(&format!("installing the {component} component"));
            exec(
                Command::new("rustup").args(["component", "add", component]),
                "rustup component add",
            )?;
        }
    }

    // trunk builds offline: the crates the rebuilt standard library needs are
    // fetched now, with the project's own (quick when they are there).
    exec(
        crate::size_build_env(Command::new("cargo").args([
            "fetch",
            "--target",
            "wasm32-unknown-unknown",
        ])),
        "cargo fetch (the project's crates and the standard library's)",
    )?;

    let want_trunk = format!("trunk {TRUNK_VERSION}");
    if output_of("trunk", &["--version"]).as_deref() == Some(want_trunk.as_str()) {
        println!("    ok  {want_trunk}");
    } else {
        step(&format!(
            "installing trunk {TRUNK_VERSION} (about 7 minutes)"
        ));
        exec(
            Command::new("cargo").args([
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
            ]),
            "cargo install trunk",
        )?;
    }

    let bindgen = locked_wasm_bindgen(root)?;
    let want_bindgen = format!("wasm-bindgen {bindgen}");
    if output_of("wasm-bindgen", &["--version"]).as_deref() == Some(want_bindgen.as_str()) {
        println!("    ok  {want_bindgen} (matches Cargo.lock)");
    } else {
        step(&format!(
            "installing wasm-bindgen-cli {bindgen} (about 6 minutes)"
        ));
        // Without --locked: with it, dependency resolution fails for this version.
        exec(
            Command::new("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &bindgen,
                "--force",
            ]),
            "cargo install wasm-bindgen-cli",
        )?;
    }

    let wasm_opt_ok =
        output_of("wasm-opt", &["--version"]).is_some_and(|v| v.contains("version_132"));
    let missing = missing_npm_packages(root, "devDependencies")?;
    if wasm_opt_ok && missing.is_empty() {
        println!("    ok  npm tools (binaryen 132 wasm-opt, @playwright/test, axe-core)");
    } else {
        if output_of("npm", &["--version"]).is_none() {
            return Err("npm is missing: install Node.js 18 or newer with npm (Debian: apt-get install nodejs npm), then run this again".into());
        }
        step(&format!(
            "installing npm tools into ./node_modules (npm ci){}",
            if missing.is_empty() {
                String::new()
            } else {
                format!(": missing {}", missing.join(", "))
            }
        ));
        exec(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
            "npm ci",
        )?;
    }

    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        println!("    ok  chromium + chromedriver (Debian)");
    } else if is_root() {
        step("installing Debian chromium and chromium-driver");
        exec(Command::new("apt-get").arg("update"), "apt-get update")?;
        exec(
            Command::new("apt-get")
                .args([
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "chromium",
                    "chromium-driver",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive"),
            "apt-get install chromium chromium-driver",
        )?;
    } else {
        return Err(format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing: run `sudo apt-get install chromium chromium-driver`, then run this again"
        ));
    }
    crate::postgres::ensure_installed()?;
    Ok(())
}

/// The packages in `section` of `dir/package.json` that `dir/node_modules`
/// lacks at the pinned version, so that a dependency added later is installed
/// on the next run.
pub fn missing_npm_packages(root: &Path, section: &str) -> Result<Vec<String>> {
    let manifest = std::fs::read_to_string(root.join("package.json"))
        .map_err(|e| format!("reading package.json: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("package.json: {e}"))?;
    let mut missing = Vec::new();
    if let Some(deps) = manifest[section].as_object() {
        for (name, version) in deps {
            let installed =
                std::fs::read_to_string(root.join("node_modules").join(name).join("package.json"))
                    .ok()
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .and_then(|pkg| pkg["version"].as_str().map(str::to_owned));
            if installed.as_deref() != version.as_str() {
                missing.push(format!("{name}@{}", version.as_str().unwrap_or("?")));
            }
        }
    }
    Ok(missing)
}
