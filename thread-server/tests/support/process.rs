//! The real `lanchatd` binary as a child process, for tests that restart or kill it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `lanchatd --listen 127.0.0.1:0 ARGS...`; returns the process and its address. Its
/// stdout is read up to the address and then closed on our side, which the server must
/// survive (it would print to a closed terminal the same way).
pub fn spawn_server(args: &[&str], stderr: Stdio) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanchatd"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
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
        .unwrap_or_else(|| panic!("unexpected banner {banner:?}"));
    (child, addr.parse().unwrap())
}

/// Sends a signal by name (`TERM`, `HUP`, `KILL`) with kill(1).
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits (bounded) for the process to exit; returns its exit code (None if killed by a signal).
pub fn wait_exit(child: &mut Child) -> Option<i32> {
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

/// A fresh, empty temporary directory for one test's data dir; removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `$TMPDIR/lanchat-test-PID-NAME`, emptied first.
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("lanchat-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// The path as a command-line argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
