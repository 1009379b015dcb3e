//! The real `lanchatd` binary as a process: it prints where it listens, and SIGTERM or SIGHUP
//! (a closed terminal, even one whose stderr is gone) sends every client an ERROR and exits 0.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::TestClient;

/// Starts `lanchatd` on a free loopback port; returns the process and its address. Its
/// stdout is read up to the address and then closed on our side, which the server must
/// survive (it would print to a closed terminal the same way).
fn spawn_server(stderr: Stdio) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanchatd"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    stdout.read_line(&mut banner).unwrap();
    let addr = banner
        .trim()
        .strip_prefix("lanchatd listening on ")
        .unwrap();
    (child, addr.parse().unwrap())
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits (bounded) for the process to exit; returns its exit code.
fn wait_exit(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    panic!("lanchatd did not exit");
}

#[test]
fn sigterm_tells_clients_and_exits_cleanly() {
    let (mut child, addr) = spawn_server(Stdio::null());
    let mut c = TestClient::connect(addr);
    c.register("alice");
    signal(&child, "TERM");
    let lines = c.read_until_closed();
    assert!(
        lines.iter().any(|l| l == "ERROR :Server shutting down"),
        "{lines:?}"
    );
    assert_eq!(wait_exit(&mut child), Some(0));
}

#[test]
fn sighup_with_stderr_gone_still_shuts_down() {
    let (mut child, addr) = spawn_server(Stdio::piped());
    // Like a killed tmux pane: nobody reads stderr any more, so writing to it fails.
    drop(child.stderr.take());
    let mut c = TestClient::connect(addr);
    c.register("bob");
    signal(&child, "HUP");
    let lines = c.read_until_closed();
    assert!(
        lines.iter().any(|l| l == "ERROR :Server shutting down"),
        "{lines:?}"
    );
    assert_eq!(wait_exit(&mut child), Some(0));
}

#[test]
fn port_in_use_is_a_clear_error() {
    let (mut first, addr) = spawn_server(Stdio::null());
    let output = Command::new(env!("CARGO_BIN_EXE_lanchatd"))
        .args(["--listen", &addr.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the port is already in use"), "{stderr}");
    signal(&first, "TERM");
    wait_exit(&mut first);
}
