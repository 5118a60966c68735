//! The readiness checks and their failures, without the real server: a shell
//! script stands in for it, a listener of the test's own for its HTTP.

use super::*;
use std::sync::OnceLock;

#[test]
fn reads_the_status_line() {
    assert_eq!(
        parse_status(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"),
        Some(200)
    );
    assert_eq!(
        parse_status(b"HTTP/1.0 503 Service Unavailable\r\n"),
        Some(503)
    );
    assert_eq!(parse_status(b"HTTP/1.1 204\r\n"), Some(204));
    // Cut off before the end of the line: the code is there.
    assert_eq!(parse_status(b"HTTP/1.1 200 O"), Some(200));
    for not_http in [
        &b""[..],
        b"SSH-2.0-OpenSSH_9.2\r\n",
        b"HTTP/2 200\r\n",
        b"HTTP/1.1 20 OK\r\n",
        b"HTTP/1.1 2000 OK\r\n",
        b"HTTP/1.1 +20 OK\r\n",
        b"\xff\xfe 200\r\n",
    ] {
        assert_eq!(parse_status(not_http), None, "{not_http:?}");
    }
    assert_eq!(
        announced_addr("Bantin is serving on http://127.0.0.1:43210/"),
        Some(SocketAddr::from(([127, 0, 0, 1], 43210)))
    );
    assert_eq!(
        announced_addr("Bantin is serving on http://[::1]:8080/\r"),
        Some("[::1]:8080".parse().unwrap())
    );
    assert_eq!(
        announced_addr("INFO Bantin is serving on http://127.0.0.1:1/"),
        None
    );
    assert_eq!(
        announced_addr("Bantin is serving on http://localhost:1/"),
        None
    );
}

/// A loopback listener answering its connections in turn with `answers`
/// (then closing); its address.
fn answering(answers: Vec<&'static str>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            // The request's head, then the answer.
            let mut got = Vec::new();
            let mut buf = [0u8; 256];
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            assert!(
                got.starts_with(b"GET /api/v1/stats HTTP/1.1\r\n"),
                "{got:?}"
            );
            let _ = s.write_all(answer.as_bytes());
        }
    });
    addr
}

#[test]
fn asks_over_http_and_says_what_it_got() {
    let t = Duration::from_secs(5);
    let addr = answering(vec![
        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{\"total_visits\":0}",
        "220 smtp.example ESMTP\r\n",
    ]);
    assert_eq!(status_of(addr, READY_PATH, t).unwrap(), 503);
    assert_eq!(status_of(addr, READY_PATH, t).unwrap(), 200);
    let e = status_of(addr, READY_PATH, t).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    assert!(
        e.to_string().contains("not an HTTP response: \"220 smtp"),
        "{e}"
    );
    // Nobody listens there.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let e = status_of(closed, READY_PATH, t).unwrap_err();
    // Refused; or reset when a test running beside this one was given the
    // freed port and closed it on us.
    assert!(
        matches!(
            e.kind(),
            io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset
        ),
        "{e}"
    );
}

/// A stand-in for `bantin-server` (written once, before any test spawns a
/// process: an executable still open for writing in a forked child cannot be
/// run). `FAKE` says what it does.
fn fake_server() -> &'static std::path::Path {
    static FAKE: OnceLock<PathBuf> = OnceLock::new();
    FAKE.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("bantin-launcher-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bantin-server");
        std::fs::write(
            &path,
            r#"#!/bin/sh
case "$FAKE" in
  exit) echo "fake: cannot open the database" >&2; exit 3 ;;
  silent) exec sleep 30 ;;
  serve) echo "a log line"; echo "Bantin is serving on http://$FAKE_ADDR/"; exec sleep 30 ;;
esac
exit 9
"#,
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    })
}

#[test]
fn start_fails_clearly_and_waits_for_200() {
    let fake = fake_server();
    let e = Launcher::new(fake.with_file_name("missing"))
        .start()
        .unwrap_err();
    assert!(e.to_string().starts_with("starting /"), "{e}");

    let e = Launcher::new(fake).env("FAKE", "exit").start().unwrap_err();
    assert_eq!(
        e.to_string(),
        "bantin-server exited before it served (exit status: 3); its errors are above"
    );

    let started = Instant::now();
    let e = Launcher::new(fake)
        .env("FAKE", "silent")
        .timeout(Duration::from_millis(300))
        .start()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "bantin-server did not say where it serves within 300ms"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // Says where it serves; answers 503 first, then 200.
    let addr = answering(vec![
        "HTTP/1.1 503 Service Unavailable\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
    ]);
    let mut server = Launcher::new(fake)
        .env("FAKE", "serve")
        .env("FAKE_ADDR", addr.to_string())
        .args(["--log", "warn"])
        .start()
        .unwrap();
    assert_eq!(server.port(), addr.port());
    assert_eq!(server.url(), format!("http://{addr}"));
    // SIGTERM ends the stand-in's sleep.
    let status = server.stop().unwrap();
    assert!(!status.success());
    assert_eq!(server.stop().unwrap(), status);

    // Says where it serves, but nothing answers there.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let e = Launcher::new(fake)
        .env("FAKE", "serve")
        .env("FAKE_ADDR", closed.to_string())
        .timeout(Duration::from_millis(400))
        .start()
        .unwrap_err();
    let e = e.to_string();
    assert!(
        e.starts_with(&format!(
            "bantin-server did not answer GET /api/v1/stats with 200 on {closed} within 400ms (last: "
        )),
        "{e}"
    );
}
