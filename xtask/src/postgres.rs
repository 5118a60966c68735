//! A throwaway PostgreSQL for the server tests: installed by `setup` (Debian
//! package `postgresql`), started by `test` in a temporary directory on a free
//! loopback port, and stopped (directory removed) when [`TestPostgres`] drops,
//! also when a test step failed.

use crate::{run as exec, step, Result};
use std::path::PathBuf;
use std::process::Command;

/// The variable the server tests read.
pub const URL_VAR: &str = "BANTIN_TEST_POSTGRES_URL";
const DATABASE: &str = "bantin_test";

/// `/usr/lib/postgresql/<version>/bin` with `initdb`, newest version first.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `setup`: installs Debian's `postgresql` when no `initdb` is there.
pub fn ensure_installed() -> Result {
    if let Some(bin) = bin_dir() {
        println!("    ok  PostgreSQL ({})", bin.display());
        return Ok(());
    }
    if !is_root() {
        return Err("PostgreSQL is missing (no /usr/lib/postgresql/*/bin/initdb): run `sudo apt-get install postgresql`, then run this again".into());
    }
    step("installing Debian postgresql (for the server tests)");
    exec(Command::new("apt-get").arg("update"), "apt-get update")?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install postgresql",
    )?;
    bin_dir()
        .map(|_| ())
        .ok_or_else(|| "apt-get installed postgresql, but no initdb was found".into())
}

/// A running temporary cluster; [`TestPostgres::url`] points at its database.
pub struct TestPostgres {
    pub url: String,
    bin: PathBuf,
    dir: PathBuf,
    /// As root, postgres runs as the `postgres` OS user (it refuses root).
    as_postgres: bool,
}

impl TestPostgres {
    /// initdb + start on a free 127.0.0.1 port + create the test database.
    pub fn start() -> Result<TestPostgres> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed: run `cargo xtask setup`")?;
        let as_postgres = is_root();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("bantin-pg-{}-{nanos:08x}", std::process::id()));
        std::fs::create_dir_all(dir.join("sock"))
            .map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let mut pg = TestPostgres {
            url: String::new(),
            bin,
            dir,
            as_postgres,
        };
        if as_postgres {
            exec(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&pg.dir),
                "chown of the PostgreSQL test directory to the postgres user",
            )?;
        }
        let data = pg.dir.join("data");
        pg.quiet(
            pg.command("initdb")
                .args([
                    "--auth=trust",
                    "--username=postgres",
                    "--encoding=UTF8",
                    "--no-sync",
                ])
                .arg("--pgdata")
                .arg(&data),
            "initdb",
        )?;
        let port = free_port()?;
        // Durability off: a test cluster lives for minutes; speed matters.
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c max_connections=300 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            pg.dir.join("sock").display()
        );
        pg.quiet(
            pg.command("pg_ctl")
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(pg.dir.join("postgres.log"))
                .args(["-o", &options]),
            "starting PostgreSQL (pg_ctl start)",
        )?;
        pg.quiet(
            pg.command("createdb").args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "postgres",
                DATABASE,
            ]),
            "createdb",
        )?;
        pg.url = format!("postgres://postgres@127.0.0.1:{port}/{DATABASE}");
        println!("    PostgreSQL for the server tests: {}", pg.url);
        Ok(pg)
    }

    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        // runuser keeps the working directory, which postgres may not be able to read.
        cmd.current_dir(&self.dir);
        cmd
    }

    /// Runs `cmd`; its output is shown only when it fails.
    fn quiet(&self, cmd: &mut Command, what: &str) -> Result {
        let out = cmd
            .output()
            .map_err(|e| format!("{what}: could not start {:?}: {e}", cmd.get_program()))?;
        if out.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default();
        Err(format!(
            "{what} failed ({}):\n{}{}\n{log}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if data.join("postmaster.pid").exists() {
            let stopped = self.quiet(
                self.command("pg_ctl")
                    .args(["stop", "-w", "-t", "30", "-m", "fast", "-D"])
                    .arg(&data),
                "stopping PostgreSQL",
            );
            if let Err(e) = stopped {
                eprintln!("xtask: {e}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A free loopback port, avoiding the fixed ports the e2e tests use.
pub fn free_port() -> Result<u16> {
    loop {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("finding a free loopback port: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        // Ports other test runs on this machine use.
        if port != 4173 && port != 4273 {
            return Ok(port);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts a cluster, talks to it with psql, stops it: nothing is left behind.
    #[test]
    fn starts_serves_and_cleans_up() {
        if bin_dir().is_none() {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL is not installed"
            );
            eprintln!("skipped: PostgreSQL is not installed (`cargo xtask setup`)");
            return;
        }
        let pg = TestPostgres::start().unwrap();
        assert!(pg.url.starts_with("postgres://postgres@127.0.0.1:"));
        let out = Command::new(pg.bin.join("psql"))
            .args([&pg.url, "-Atc", "SELECT current_database()"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), DATABASE);
        let dir = pg.dir.clone();
        drop(pg);
        assert!(!dir.exists(), "{} was not removed", dir.display());
    }
}
