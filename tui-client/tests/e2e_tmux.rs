//! End to end: a real `lanchatd` and two real `lanchat` processes in tmux panes. Keys are typed
//! with `send-keys` and screens read with `capture-pane`. Skipped (with a message) only where
//! tmux is not installed. Everything has a deadline; the tmux server and lanchatd are killed
//! at the end, even when an assertion fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long any one expected thing may take to appear.
const WAIT: Duration = Duration::from_secs(15);

/// A private tmux server (its own `-L` socket) and the lanchatd child; both die on drop.
struct Session {
    socket: String,
    server: Child,
    /// lanchatd's working folder, where it keeps its data; removed on drop.
    dir: PathBuf,
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
        let _ = std::fs::remove_dir_all(&self.dir);
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
    // A fresh working folder: a server that stores history beside where it runs must not
    // replay an earlier run's messages into this one (nor write into the source tree).
    let dir = std::env::temp_dir().join(format!("lanchat-e2e-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Command::new(lanchatd())
        .current_dir(&dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lanchatd starts");
    let socket = format!("lanchat-e2e-{}-{port}", std::process::id());
    let session = Session {
        socket,
        server,
        dir,
    };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "lanchatd did not start listening");
        thread::sleep(Duration::from_millis(50));
    }
    session
}

/// The shell command of one client; it prints its exit status once the terminal is restored
/// and keeps the pane open so tmux surely shows that line (the tmux server is killed at the end).
fn client_command(port: u16, nick: &str) -> String {
    format!(
        "{} 127.0.0.1:{port} --nick {nick} --join '#e2e'; echo lanchat-exit=$?; sleep 60",
        env!("CARGO_BIN_EXE_lanchat")
    )
}

/// A TCP relay between one client and lanchatd that the test can cut, to break that one
/// client's connection while the server stays up. While `up` is false it closes every new
/// connection at once. Its threads end with the test process.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(server_port: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (up_flag, streams) = (up.clone(), open.clone());
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !up_flag.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection close
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let mut list = streams.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Relay { port, up, open }
    }

    /// Closes the relayed connections and refuses new ones until [`Relay::restore`].
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// Copies bytes from `from` to `to` on a thread until either side closes.
fn pipe(mut from: TcpStream, mut to: TcpStream) {
    thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Both);
    });
}

#[test]
fn two_clients_chat_through_lanchatd_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed");
        return;
    }
    let port = free_port();
    let session = start(port);
    let relay = Relay::start(port);
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
        &client_command(relay.port, "alice"),
    ]);
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

    // A second "alice" gets a free nick by itself (433, then alice_).
    session.tmux(&[
        "new-window",
        "-d",
        "-t",
        "main:2",
        &client_command(port, "alice"),
    ]);
    session.tmux(&["resize-window", "-t", "main:2", "-x", "80", "-y", "24"]);
    let twin = session.wait_for("2", "You joined #e2e");
    assert!(twin.contains(" alice_ │ online"), "{twin}");
    session.type_line("2", "/quit");
    session.wait_for("2", "lanchat-exit=0");
    session.wait_for("0", "bob joined");

    // Idle means silent: no redraw, so tmux sees no output (monitor-activity stays quiet).
    thread::sleep(Duration::from_millis(1200));
    let activity = || {
        session.tmux(&[
            "display-message",
            "-p",
            "-t",
            "main:0",
            "#{window_activity}",
        ])
    };
    let before = activity();
    thread::sleep(Duration::from_millis(3000));
    assert_eq!(activity(), before, "an idle client wrote to the terminal");

    session.type_line("0", "hello from alice 안녕하세요 😀");
    let bob = session.wait_for("1", "hello from alice 안녕하세요 😀");
    assert!(bob.contains("alice │ hello from alice"), "{bob}");

    session.type_line("1", "alice: got it");
    let alice = session.wait_for("0", "alice: got it");
    assert!(alice.contains(" 2 members"), "{alice}");

    // A bracketed paste of two lines asks first, then sends both.
    session.tmux(&["set-buffer", "first pasted line\nsecond pasted line"]);
    session.tmux(&["paste-buffer", "-p", "-t", "main:0"]);
    session.wait_for("0", "Send 2 pasted lines to #e2e?");
    session.tmux(&["send-keys", "-t", "main:0", "Enter"]);
    session.wait_for("1", "second pasted line");
    let bob = session.screen("1");
    assert!(bob.contains("first pasted line"), "{bob}");

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

    // Alice's link breaks (the server stays up): she sees it, what she types is queued, and
    // after the reconnect she is back in #e2e and bob receives the queued line.
    relay.cut();
    session.wait_for("0", "disconnected, reconnecting");
    session.type_line("0", "typed while offline");
    session.wait_for("0", "1 queued");
    session.wait_for("1", "alice quit");
    relay.restore();
    session.wait_for("1", "typed while offline");
    let alice = session.wait_for("0", "online");
    assert!(!alice.contains("queued"), "{alice}");

    session.type_line("1", "/quit see you");
    session.wait_for("0", "bob quit");
    // The client exits with status 0 and leaves the terminal usable for the shell.
    session.wait_for("1", "lanchat-exit=0");
}
