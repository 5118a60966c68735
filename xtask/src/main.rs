//! `cargo xtask <command>`: the project's commands. See README.md.

mod admin;
mod bench;
mod dist;
mod postgres;
mod setup;
mod shrink;
mod size;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup   install what is missing (wasm32 target, trunk, wasm-bindgen-cli,
          npm tools, Debian chromium + chromium-driver); skips what is there
  build   setup, then `trunk build --release --offline` into dist/ (trunk's
          post-build hook runs `dist`), then the editors' console into
          dist/admin/
  admin   only the console: build it into dist/admin/ (after `build`)
  dist    finish a trunk staging dir into the deployable site: hashed
          deferred bundle, minified glue, bantin.js, bantin-head.html,
          .br/.gz copies (run by trunk; DIR or TRUNK_STAGING_DIR)
  demo    build, then serve the demo on http://127.0.0.1:8080
  test    setup, then every test layer: fmt, clippy (native + wasm), native
          tests, browser tests (wasm-bindgen-test), size budget, Playwright
  size    print raw / gzip / brotli sizes of what the page loads;
          `size --check` fails when one is over its budget (the widget in
          brotli; the list pages' bantin-count.js in gzip; the console in
          brotli)
  bench   Bantin next to Waline and Artalk (payload, time to content,
          1,000 comments, proof of work, server load); writes
          docs/benchmarks.md and docs/benchmarks.json. Options: --runs N,
          --before (record the baseline instead)";

pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root).expect("project root is readable");
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(&root),
        Some("build") => setup::run(&root)
            .and_then(|()| build(&root))
            .and_then(|()| size::run(&root, false)),
        Some("demo") => setup::run(&root)
            .and_then(|()| build(&root))
            .and_then(|()| size::run(&root, false))
            .and_then(|()| demo(&root)),
        Some("admin") => admin::build(&root).and_then(|()| size::run(&root, false)),
        Some("test") => setup::run(&root).and_then(|()| test(&root)),
        Some("size") => size::run(&root, args.iter().any(|a| a == "--check")),
        Some("dist") => dist::run(&root, &args[1..]),
        Some("bench") => bench::run(&root, &args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub fn step(message: &str) {
    println!("\n==> {message}");
}

/// Runs a command with the project's tools first on PATH; fails with `what`.
pub fn run(cmd: &mut Command, what: &str) -> Result {
    let root = project_root();
    cmd.env("PATH", setup::tool_path(&root));
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `trunk build --release` is the whole build: its post-build hook
/// (`cargo xtask dist`, see dist.rs) finishes dist/. Run here with the
/// standard library rebuilt for size ([`size_build_env`]).
fn build(root: &Path) -> Result {
    step("trunk build --release --offline (std rebuilt for size)");
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release", "--offline"]);
    run(size_build_env(&mut trunk), "trunk build")?;
    // trunk replaced dist/: the console goes in after the widget.
    admin::build(root)
}

/// The release wasm with the standard library rebuilt from `rust-src`,
/// optimized for size, its panics plain traps (`panic=immediate-abort`: no
/// message formatting, no panic locations, no `Debug` output compiled in).
/// Stable cargo takes these unstable options only with `RUSTC_BOOTSTRAP=1`,
/// which no config file can set for cargo itself: a plain `trunk build
/// --release` makes the same site with the precompiled std (its wasm about
/// 15% larger; docs/architecture.md). The options apply to the wasm target
/// only; native builds (the post-build hook's `cargo xtask dist`) are not
/// affected.
pub fn size_build_env(cmd: &mut Command) -> &mut Command {
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
        )
}

/// The whole system on one address: bantin-server serves `dist/` and the API,
/// with the demo's SQLite database in `demo.db` (kept between runs). Every
/// `BANTIN_*` variable (e.g. `BANTIN_ADMIN_TOKEN`) reaches the server.
fn demo(root: &Path) -> Result {
    step("building bantin-server (release)");
    run(
        cargo().args(["build", "--release", "--package", "bantin-server"]),
        "building bantin-server",
    )?;
    step("starting bantin-server on http://127.0.0.1:8080 (SQLite: demo.db)");
    let mut server = bantin_launcher::Launcher::new(target_dir(root).join("release/bantin-server"))
        .port(8080)
        .db(root.join("demo.db"))
        .dist(root.join("dist"))
        .articles(root.join("public/articles"))
        .output(bantin_launcher::Output::Inherit)
        .start()
        .map_err(|e| format!("{e} (is port 8080 already in use?)"))?;
    step(&format!(
        "serving widget + API on {}/ (Ctrl+C stops it)",
        server.url()
    ));
    println!(
        "{}",
        first_editor(&target_dir(root), &root.join("demo.db"), &server.url())
    );
    // Until Ctrl+C (which the terminal sends to the server too) or an error.
    let status = server
        .wait()
        .map_err(|e| format!("waiting for bantin-server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("bantin-server failed ({status})"))
    }
}

/// How to make the first editor's account and open the console.
fn first_editor(target: &Path, db: &Path, url: &str) -> String {
    let bin = target.join("release/bantin-server");
    format!(
        "\nThe editors' console is at {url}/admin/ (docs/moderation.md).\n\
         Make the first editor's account in another terminal (the password, at\n\
         least 10 characters, is read from standard input; `user list` shows them):\n\n    \
         {bin} --db {db} user add admin --role admin\n\n\
         then sign in as `admin` on {url}/admin/.\n",
        bin = bin.display(),
        db = db.display(),
    )
}

pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn test(root: &Path) -> Result {
    step("cargo fmt --check");
    run(
        cargo().args(["fmt", "--all", "--check"]),
        "cargo fmt --check",
    )?;
    step("cargo clippy (native)");
    run(
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "clippy (native)",
    )?;
    step("cargo clippy (wasm32): the widget and the console");
    run(
        cargo().args([
            "clippy",
            "-p",
            "bantin",
            "-p",
            "bantin-admin",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
        "clippy (wasm32)",
    )?;
    step("starting a temporary PostgreSQL for the server tests");
    let pg = postgres::TestPostgres::start()?;
    step("native tests: cargo test --workspace (server tests on SQLite and PostgreSQL)");
    run(
        cargo()
            .args(["test", "--workspace"])
            .env(postgres::URL_VAR, &pg.url),
        "native tests",
    )?;
    drop(pg);
    step("browser tests: wasm-bindgen-test in headless Chromium");
    run(
        cargo()
            .args([
                "test",
                "-p",
                "bantin",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "web",
            ])
            .env("CHROMEDRIVER", setup::CHROMEDRIVER),
        "browser tests",
    )?;
    build(root)?;
    step("size budget");
    size::run(root, true)?;
    step("building bantin-server for the end-to-end tests");
    run(
        cargo().args(["build", "--package", "bantin-server"]),
        "building bantin-server",
    )?;
    step("end-to-end tests: Playwright (phone + desktop)");
    let target = target_dir(root);
    run(
        Command::new(root.join("node_modules/.bin/playwright"))
            .args(["test", "-c", "tests/e2e"])
            .env("BANTIN_SERVER_BIN", target.join("debug/bantin-server")),
        "end-to-end tests",
    )
}
