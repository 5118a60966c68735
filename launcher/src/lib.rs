//! Starts a `bantin-server` process and waits until it serves: the one
//! launcher of the server's process tests (`server/tests`), `cargo xtask
//! demo` and `cargo xtask bench` (the server load).
//!
//! ```no_run
//! let server = bantin_launcher::Launcher::new("target/release/bantin-server")
//!     .db("/tmp/bench.db")
//!     .dist("dist")
//!     .articles("public/articles")
//!     .args(["--log", "warn"])
//!     .start()?;
//! println!("up on {}", server.url());
//! // Dropped: SIGTERM, then SIGKILL if it has not stopped within 15 s.
//! # Ok::<(), bantin_launcher::Error>(())
//! ```
//!
//! Ready means: the process said `Bantin is serving on http://ADDR/` on its
//! stdout (so with the default `--addr 127.0.0.1:0` the port is the one it
//! bound, with no race for a free port), and `GET /api/v1/stats` on that
//! address answered 200, before the deadline. Otherwise [`Launcher::start`]
//! fails with what it saw: the exit status if the process died, the last
//! answer (or connection error) if it never answered 200.
//!
//! With [`Output::Inherit`] the process writes to our stdout itself (nothing
//! reads it), so the address is the one given (a port 0 is replaced by a free
//! port first) and readiness is the `GET` alone.
//!
//! Std only (no dependencies): xtask depends on it. The Node side cannot share
//! it: `tests/e2e/server.ts` (Playwright) and `bench/browser.mjs` start the
//! server the same way (flags, `GET /api/v1/stats` until 200, SIGTERM); keep
//! them in step with this crate.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What [`Launcher::start`] asks until it answers 200.
pub const READY_PATH: &str = "/api/v1/stats";
/// The line `bantin-server` prints on its stdout once it has bound its address.
const ANNOUNCEMENT: &str = "Bantin is serving on http://";
/// How long [`Server::stop`] waits after SIGTERM (the server's own graceful
/// shutdown gives open requests 10 s) before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
/// Ports other test runs on this machine use (Playwright's preview servers).
const AVOIDED_PORTS: [u16; 2] = [4173, 4273];

/// Where the server's stdout (its announcement and its log lines) goes.
/// Its stderr is always ours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Output {
    /// Each line to our stderr as `bantin-server[PID]: line` (seen with a
    /// test's output).
    #[default]
    Prefixed,
    /// Dropped.
    Discard,
    /// The process's own stdout is ours (a terminal: `cargo xtask demo`).
    Inherit,
}

/// Why a server did not start.
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// The message as is: `.expect()` in a test shows it readably.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// How to start one `bantin-server`: `--addr`, `--db`, `--dist`, `--articles`
/// (each only when set), then the extra arguments, which come last and so win
/// over the ones before.
#[derive(Clone, Debug)]
pub struct Launcher {
    bin: PathBuf,
    addr: SocketAddr,
    db: Option<OsString>,
    dist: Option<PathBuf>,
    articles: Option<PathBuf>,
    args: Vec<OsString>,
    env_remove_prefixes: Vec<String>,
    env: Vec<(OsString, Option<OsString>)>,
    output: Output,
    timeout: Duration,
}

impl Launcher {
    /// The binary at `bin`, on `127.0.0.1:0` (the port it binds), its stdout
    /// [`Output::Prefixed`], 60 s to become ready.
    pub fn new(bin: impl Into<PathBuf>) -> Launcher {
        Launcher {
            bin: bin.into(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            db: None,
            dist: None,
            articles: None,
            args: Vec::new(),
            env_remove_prefixes: Vec::new(),
            env: Vec::new(),
            output: Output::default(),
            timeout: Duration::from_secs(60),
        }
    }

    /// `--addr`; port 0 takes the port the server binds.
    pub fn addr(mut self, addr: SocketAddr) -> Launcher {
        self.addr = addr;
        self
    }

    /// `--addr 127.0.0.1:PORT`.
    pub fn port(self, port: u16) -> Launcher {
        self.addr(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }

    /// `--db`: a SQLite file or a `postgres://` URL.
    pub fn db(mut self, db: impl AsRef<OsStr>) -> Launcher {
        self.db = Some(db.as_ref().to_owned());
        self
    }

    /// `--dist`: the built widget it serves.
    pub fn dist(mut self, dir: impl Into<PathBuf>) -> Launcher {
        self.dist = Some(dir.into());
        self
    }

    /// `--articles`: the directory of article files.
    pub fn articles(mut self, dir: impl Into<PathBuf>) -> Launcher {
        self.articles = Some(dir.into());
        self
    }

    /// One more argument, after the ones above.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Launcher {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// More arguments, after the ones above.
    pub fn args<I, S>(mut self, args: I) -> Launcher
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Not passed on: every variable of ours whose name starts with `prefix`
    /// (e.g. `BANTIN_`, so that only the settings given here apply). Applied
    /// before [`Launcher::env`].
    pub fn env_remove_prefix(mut self, prefix: impl Into<String>) -> Launcher {
        self.env_remove_prefixes.push(prefix.into());
        self
    }

    /// A variable set for the process (the others are inherited).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Launcher {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    /// A variable of ours not passed on.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Launcher {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    pub fn output(mut self, output: Output) -> Launcher {
        self.output = output;
        self
    }

    /// How long it has to become ready.
    pub fn timeout(mut self, timeout: Duration) -> Launcher {
        self.timeout = timeout;
        self
    }

    /// The command it runs, on `addr`.
    fn command(&self, addr: SocketAddr) -> Command {
        let mut cmd = Command::new(&self.bin);
        for (var, _) in std::env::vars_os() {
            let name = var.to_string_lossy();
            if self
                .env_remove_prefixes
                .iter()
                .any(|p| name.starts_with(p.as_str()))
            {
                cmd.env_remove(&var);
            }
        }
        for (key, value) in &self.env {
            match value {
                Some(v) => cmd.env(key, v),
                None => cmd.env_remove(key),
            };
        }
        cmd.arg("--addr").arg(addr.to_string());
        if let Some(db) = &self.db {
            cmd.arg("--db").arg(db);
        }
        if let Some(dist) = &self.dist {
            cmd.arg("--dist").arg(dist);
        }
        if let Some(articles) = &self.articles {
            cmd.arg("--articles").arg(articles);
        }
        cmd.args(&self.args).stdin(Stdio::null());
        cmd
    }

    /// Spawns it and waits until it is ready (see the crate's documentation);
    /// a process that did not become ready is killed.
    pub fn start(self) -> Result<Server, Error> {
        let name = self.bin.file_name().map_or_else(
            || self.bin.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let inherit = self.output == Output::Inherit;
        let addr = if inherit && self.addr.port() == 0 {
            SocketAddr::new(self.addr.ip(), free_port(self.addr.ip())?)
        } else {
            self.addr
        };
        let mut cmd = self.command(addr);
        cmd.stdout(if inherit {
            Stdio::inherit()
        } else {
            Stdio::piped()
        });
        let mut child = cmd
            .spawn()
            .map_err(|e| Error(format!("starting {}: {e}", self.bin.display())))?;
        let announced = child
            .stdout
            .take()
            .map(|out| forward(out, &name, child.id(), self.output));
        let mut server = Server {
            child,
            addr,
            name,
            status: None,
        };
        match server.wait_ready(announced, self.timeout) {
            Ok(()) => Ok(server),
            Err(e) => {
                let _ = server.kill();
                Err(e)
            }
        }
    }
}

/// A running `bantin-server`. Dropped: [`Server::stop`].
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Where it serves (as it said, or as given).
    addr: SocketAddr,
    /// The binary's file name, for messages.
    name: String,
    /// Once it has been waited for.
    status: Option<ExitStatus>,
}

impl Server {
    /// The address to connect to (a wildcard address it bound is given as
    /// the loopback address).
    pub fn addr(&self) -> SocketAddr {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        SocketAddr::new(ip, self.addr.port())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://ADDR` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM (graceful: open requests finish), then waits; SIGKILL if it
    /// is still running after 15 s. Once stopped, returns the same status.
    pub fn stop(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.reaped()? {
            return Ok(status);
        }
        if terminate(&self.child) {
            let deadline = Instant::now() + STOP_GRACE;
            while Instant::now() < deadline {
                if let Some(status) = self.reaped()? {
                    return Ok(status);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.kill()
    }

    /// SIGKILL: no graceful shutdown, open requests are cut off; then waits.
    pub fn kill(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.reaped()? {
            return Ok(status);
        }
        let _ = self.child.kill();
        self.wait()
    }

    /// Waits until it exits by itself (or by a signal from elsewhere, such
    /// as the terminal's Ctrl+C).
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = self.child.wait()?;
        self.status = Some(status);
        Ok(status)
    }

    /// Its exit status if it has exited (reaped now or before).
    fn reaped(&mut self) -> io::Result<Option<ExitStatus>> {
        if self.status.is_none() {
            self.status = self.child.try_wait()?;
        }
        Ok(self.status)
    }

    fn wait_ready(
        &mut self,
        mut announced: Option<Receiver<SocketAddr>>,
        timeout: Duration,
    ) -> Result<(), Error> {
        let started = Instant::now();
        let deadline = started + timeout;
        let mut last = String::from("no answer yet");
        loop {
            let status = self
                .reaped()
                .map_err(|e| Error(format!("waiting for {}: {e}", self.name)))?;
            if let Some(status) = status {
                return Err(Error(format!(
                    "{} exited before it served ({status}); its errors are above",
                    self.name
                )));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error(match announced {
                    Some(_) => format!(
                        "{} did not say where it serves within {timeout:?}",
                        self.name
                    ),
                    None => format!(
                        "{} did not answer GET {READY_PATH} with 200 on {} within {timeout:?} (last: {last})",
                        self.name,
                        self.addr()
                    ),
                }));
            }
            if let Some(rx) = &announced {
                match rx.recv_timeout(POLL.min(deadline - now)) {
                    Ok(addr) => {
                        self.addr = addr;
                        announced = None;
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    // Its stdout is closed: it is exiting (seen above).
                    Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
                }
                continue;
            }
            let left = (deadline - now).clamp(Duration::from_millis(10), Duration::from_secs(2));
            match status_of(self.addr(), READY_PATH, left) {
                Ok(200) => return Ok(()),
                Ok(status) => last = format!("HTTP {status}"),
                Err(e) => last = e.to_string(),
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Reads the process's stdout on a thread of its own (so the pipe never fills
/// up): the announced address is sent back, the other lines go to `output`.
fn forward(stdout: ChildStdout, name: &str, pid: u32, output: Output) -> Receiver<SocketAddr> {
    let (tx, rx) = mpsc::channel();
    let prefix = format!("{name}[{pid}]: ");
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.is_some() {
                if let Some(addr) = announced_addr(&line) {
                    let _ = tx.take().map(|tx| tx.send(addr));
                    continue;
                }
            }
            match output {
                Output::Prefixed => eprintln!("{prefix}{line}"),
                Output::Inherit => println!("{line}"),
                Output::Discard => {}
            }
        }
    });
    rx
}

/// The address in `Bantin is serving on http://ADDR/`.
fn announced_addr(line: &str) -> Option<SocketAddr> {
    line.strip_prefix(ANNOUNCEMENT)?
        .trim_end()
        .trim_end_matches('/')
        .parse()
        .ok()
}

/// The status code of an HTTP/1.x response's status line (`HTTP/1.1 200 OK`).
fn parse_status(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut parts = line.splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code.parse().ok()
}

/// `GET path` on `addr` (HTTP/1.1, `Connection: close`): the status code.
/// Every step is bounded by `timeout`.
fn status_of(addr: SocketAddr, path: &str, timeout: Duration) -> io::Result<u16> {
    let mut s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    // The status line is enough.
    let mut head = Vec::new();
    let mut buf = [0u8; 512];
    while !head.contains(&b'\n') && head.len() < 4096 {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    parse_status(&head).ok_or_else(|| {
        let shown = String::from_utf8_lossy(&head[..head.len().min(60)]).into_owned();
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not an HTTP response: {shown:?}"),
        )
    })
}

/// A loopback port nobody listens on now (for [`Output::Inherit`], where the
/// server cannot tell us the one it bound).
fn free_port(ip: IpAddr) -> Result<u16, Error> {
    loop {
        let port = TcpListener::bind((ip, 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| Error(format!("finding a free port on {ip}: {e}")))?
            .port();
        if !AVOIDED_PORTS.contains(&port) {
            return Ok(port);
        }
    }
}

/// SIGTERM; false if it could not be sent (then the caller kills).
#[cfg(unix)]
fn terminate(child: &Child) -> bool {
    extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    const SIGTERM: i32 = 15;
    let Ok(pid) = i32::try_from(child.id()) else {
        return false;
    };
    // SAFETY: kill(2) takes two integers and touches no memory of ours. The
    // child has not been reaped (the caller's try_wait found it running, and
    // only its owner, holding `&mut`, reaps it), so the pid is still its own.
    unsafe { kill(pid, SIGTERM) == 0 }
}

#[cfg(not(unix))]
fn terminate(_: &Child) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests;
