//! The real `lanchatd` binary as a process: it prints where it listens, and SIGTERM or SIGHUP
//! (a closed terminal, even one whose stderr is gone) sends every client an ERROR and exits 0.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::{Command, Stdio};

use support::TestClient;
use support::process::{signal, spawn_server, wait_exit};

#[test]
fn sigterm_tells_clients_and_exits_cleanly() {
    let (mut child, addr) = spawn_server(&["--ephemeral"], Stdio::null());
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
    let (mut child, addr) = spawn_server(&["--ephemeral"], Stdio::piped());
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
    let (mut first, addr) = spawn_server(&["--ephemeral"], Stdio::null());
    let output = Command::new(env!("CARGO_BIN_EXE_lanchatd"))
        .args(["--listen", &addr.to_string(), "--ephemeral"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the port is already in use"), "{stderr}");
    signal(&first, "TERM");
    wait_exit(&mut first);
}
