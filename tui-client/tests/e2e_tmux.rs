//! End to end: a real `lanchatd` and two real `lanchat` processes in tmux panes. Keys are typed
//! with `send-keys` and screens read with `capture-pane`. Skipped (with a message) only where
//! tmux is not installed. Everything has a deadline; the tmux server and lanchatd are killed
//! at the end, even when an assertion fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long any one expected thing may take to appear.
const WAIT: Duration = Duration::from_secs(15);

/// A private tmux server (its own `-L` socket) and the lanchatd child; both die on drop.
struct Session {
    socket: String,
    server: Child,
}

impl Session {
    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-u", "-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible text of window `window`.
    fn screen(&self, window: &str) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &format!("main:{window}")])
    }

    /// Waits until window `window` shows `text`; panics with the screen when it does not.
    fn wait_for(&self, window: &str, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(window);
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "window {window} never showed {text:?}:\n{screen}"
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types `text` into window `window` and presses Enter.
    fn type_line(&self, window: &str, text: &str) {
        let target = format!("main:{window}");
        self.tmux(&["send-keys", "-t", &target, "-l", text]);
        self.tmux(&["send-keys", "-t", &target, "Enter"]);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// `lanchatd` next to this test's target directory, built with the same profile if missing.
fn lanchatd() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .to_path_buf();
    let binary = profile_dir.join("lanchatd");
    if !binary.exists() {
        let target_dir = profile_dir.parent().unwrap();
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "-p", "thread-server"])
            .env("CARGO_TARGET_DIR", target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building lanchatd failed");
    }
    binary
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(port: u16) -> Session {
    let server = Command::new(lanchatd())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lanchatd starts");
    let socket = format!("lanchat-e2e-{}-{port}", std::process::id());
    let session = Session { socket, server };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "lanchatd did not start listening");
        thread::sleep(Duration::from_millis(50));
    }
    session
}

fn client_command(port: u16, nick: &str) -> String {
    format!(
        "{} 127.0.0.1:{port} --nick {nick} --join '#e2e'",
        env!("CARGO_BIN_EXE_lanchat")
    )
}

#[test]
fn two_clients_chat_through_lanchatd_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed");
        return;
    }
    let port = free_port();
    let session = start(port);
    session.tmux(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "main",
        "-x",
        "80",
        "-y",
        "24",
        &client_command(port, "alice"),
    ]);
    session.tmux(&["set-option", "-g", "remain-on-exit", "on"]);
    // Alice first, so she is the channel operator and sees bob arrive.
    session.wait_for("0", "You joined #e2e");
    session.tmux(&[
        "new-window",
        "-d",
        "-t",
        "main:1",
        &client_command(port, "bob"),
    ]);
    session.tmux(&["resize-window", "-t", "main:1", "-x", "80", "-y", "24"]);

    session.wait_for("1", "You joined #e2e");
    session.wait_for("0", "bob joined");

    session.type_line("0", "hello from alice 안녕하세요 😀");
    let bob = session.wait_for("1", "hello from alice 안녕하세요 😀");
    assert!(bob.contains("alice │ hello from alice"), "{bob}");

    session.type_line("1", "alice: got it");
    let alice = session.wait_for("0", "alice: got it");
    assert!(alice.contains(" 2 members"), "{alice}");

    // A hostile client's escape sequences arrive as visible placeholders, not as commands to
    // the terminal (a clear-screen would wipe the lines above).
    let mut mallory = TcpStream::connect(("127.0.0.1", port)).unwrap();
    mallory
        .write_all(b"NICK mallory\r\nUSER m 0 * :m\r\nJOIN #e2e\r\nPRIVMSG #e2e :\x1b[2J\x1b]0;owned\x07boom\r\n")
        .unwrap();
    let alice = session.wait_for("0", "boom");
    assert!(
        alice.contains("\u{241b}[2J\u{241b}]0;owned\u{2407}boom"),
        "{alice}"
    );
    assert!(alice.contains("alice: got it"), "{alice}");
    drop(mallory);

    session.type_line("1", "/quit see you");
    session.wait_for("0", "bob quit");
    let start = Instant::now();
    loop {
        let state = session.tmux(&[
            "display-message",
            "-p",
            "-t",
            "main:1",
            "#{pane_dead} #{pane_dead_status}",
        ]);
        if state.trim() == "1 0" {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "bob's lanchat did not exit cleanly: {state}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}
