//! Test support for lanchatd's integration tests: start a real server on `127.0.0.1:0` on a
//! real thread, and talk to it over real TCP with `TestClient`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod process;

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use shared::Message;
use thread_server::{Config, Listener, ShutdownHandle};

/// How long a test waits for an expected line before failing (generous: CI machines are slow).
pub const WAIT: Duration = Duration::from_secs(10);

/// A server running on its own thread; shut down when dropped.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    handle: ShutdownHandle,
}

/// Starts a server with the test defaults (flood control off).
pub fn start_server() -> TestServer {
    start_with(Config::for_tests())
}

/// Starts a server with a custom config (its `listen` should stay `127.0.0.1:0`).
pub fn start_with(config: Config) -> TestServer {
    let listener = Listener::bind(config).expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap();
    let handle = listener.shutdown_handle().unwrap();
    thread::spawn(move || listener.run());
    TestServer { addr, handle }
}

impl TestServer {
    /// Stops the server now (clients get an ERROR line).
    pub fn shutdown(&self) {
        self.handle.shutdown("Server shutting down");
    }

    /// A connected, registered client with this nick (reads through the welcome burst).
    pub fn client(&self, nick: &str) -> TestClient {
        let mut c = TestClient::connect(self.addr);
        c.register(nick);
        c
    }

    /// A registered client that negotiated `caps` (space-separated) before registering.
    pub fn client_with_caps(&self, nick: &str, caps: &str) -> TestClient {
        let mut c = TestClient::connect(self.addr);
        c.send(&format!("CAP REQ :{caps}"));
        let ack = c.expect("CAP");
        assert_eq!((ack.param(1), ack.param(2)), ("ACK", caps));
        c.send("CAP END");
        c.register(nick);
        c
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// One test connection speaking raw IRC lines.
pub struct TestClient {
    /// The writing half.
    pub stream: TcpStream,
    reader: BufReader<TcpStream>,
    /// The nick it registered with.
    pub nick: String,
}

impl TestClient {
    /// Connects without registering.
    pub fn connect(addr: SocketAddr) -> TestClient {
        let stream = TcpStream::connect(addr).expect("connect to test server");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        TestClient {
            stream,
            reader,
            nick: String::new(),
        }
    }

    /// Sends one line (CRLF added).
    pub fn send(&mut self, line: &str) {
        self.stream
            .write_all(format!("{line}\r\n").as_bytes())
            .expect("write to server");
    }

    /// Sends raw bytes as they are.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write to server");
    }

    /// The next line from the server, parsed; panics after [`WAIT`] or at end of stream.
    pub fn recv(&mut self) -> Message {
        let line = self
            .recv_line()
            .unwrap_or_else(|| panic!("{}: connection closed", self.nick));
        Message::parse(&line).unwrap_or_else(|e| panic!("server sent unparsable {line:?}: {e}"))
    }

    /// The next raw line, or None at end of stream.
    pub fn recv_line(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("{}: no line from the server within {WAIT:?}", self.nick)
            }
            Err(_) => None,
        }
    }

    /// Reads lines until one has this command (or numeric); returns it. Other lines are
    /// skipped, so tests state only what matters. Panics after 10,000 lines or [`WAIT`].
    pub fn expect(&mut self, command: &str) -> Message {
        for _ in 0..10_000 {
            let msg = self.recv();
            if msg.command.eq_ignore_ascii_case(command) {
                return msg;
            }
        }
        panic!("{}: never got {command}", self.nick);
    }

    /// Like [`expect`](Self::expect), and checks the parameters after the client's nick.
    pub fn expect_reply(&mut self, numeric: &str, params: &[&str]) -> Message {
        let msg = self.expect(numeric);
        let got: Vec<&str> = msg.params.iter().skip(1).map(String::as_str).collect();
        assert_eq!(got, params, "{}: parameters of {numeric}", self.nick);
        msg
    }

    /// Registers with NICK/USER and reads through the end of the MOTD (376 or 422).
    pub fn register(&mut self, nick: &str) {
        self.nick = nick.to_string();
        self.send(&format!("NICK {nick}"));
        self.send(&format!("USER {nick} 0 * :Test {nick}"));
        self.expect("001");
        loop {
            let msg = self.recv();
            if msg.command == "376" || msg.command == "422" {
                return;
            }
        }
    }

    /// Joins a channel and reads through the end of its NAMES (366).
    pub fn join(&mut self, channel: &str) {
        self.send(&format!("JOIN {channel}"));
        self.expect("366");
    }

    /// Asserts that the server sends nothing for a short while (a PING round trip proves
    /// everything sent before it was read, so this does not depend on timing).
    pub fn expect_silence(&mut self) {
        self.send("PING :silence-check");
        let msg = self.recv();
        assert_eq!(
            (msg.command.as_str(), msg.param(1)),
            ("PONG", "silence-check"),
            "{}: expected nothing, got {msg}",
            self.nick
        );
    }

    /// Reads and discards everything the server sent so far (a PING round trip marks the end).
    pub fn drain(&mut self) {
        self.send("PING :drain");
        while self.expect("PONG").param(1) != "drain" {}
    }

    /// The entries (with prefixes) a NAMES reply lists for `channel`, every 353 up to 366.
    pub fn names_of(&mut self, channel: &str) -> Vec<String> {
        self.send(&format!("NAMES {channel}"));
        self.read_names()
    }

    /// Reads 353 lines up to 366 and returns the entries they list.
    pub fn read_names(&mut self) -> Vec<String> {
        let mut names = Vec::new();
        loop {
            let msg = self.recv();
            match msg.command.as_str() {
                "353" => names.extend(msg.param(3).split(' ').map(str::to_string)),
                "366" => return names,
                _ => {}
            }
        }
    }

    /// Reads until the server closes the connection; returns the lines seen.
    pub fn read_until_closed(&mut self) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut lines = Vec::new();
        while Instant::now() < deadline {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return lines,
                Ok(_) => lines.push(line.trim_end().to_string()),
            }
        }
        panic!("{}: server did not close the connection", self.nick);
    }
}
