//! A tiny fan-out IRC server for the benchmark's own tests: registers clients (001 followed by
//! a burst of other numerics, and a PING they must answer), lets them JOIN one channel (with
//! one "replayed" message of another run) and relays each channel PRIVMSG to every other member. Real TCP on 127.0.0.1:0, a thread per
//! connection; just enough IRC for `lanchat_bench::run`.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use shared::Message;

/// A running stub; it lives until the test process ends.
pub struct Stub {
    /// Where it listens.
    pub addr: SocketAddr,
    /// PONG replies that echoed the stub's PING token.
    pub pongs: Arc<AtomicUsize>,
}

/// Channel members: (connection id, nick, a handle to write to them).
type Members = Arc<Mutex<Vec<(usize, String, TcpStream)>>>;

/// Starts the stub on a free loopback port.
pub fn start_stub() -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let pongs = Arc::new(AtomicUsize::new(0));
    let members: Members = Arc::default();
    let counter = Arc::clone(&pongs);
    thread::spawn(move || {
        for (id, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { continue };
            let (members, pongs) = (Arc::clone(&members), Arc::clone(&counter));
            thread::spawn(move || serve(id, stream, &members, &pongs));
        }
    });
    Stub { addr, pongs }
}

/// Writes `line` to every member but `except`; a member whose socket stays full is dropped,
/// as a real server drops a client that exceeds its send queue.
fn broadcast(members: &Members, except: Option<usize>, line: &str) {
    let mut members = members.lock().unwrap();
    members.retain_mut(|(id, _, stream)| {
        Some(*id) == except || {
            let ok = stream.write_all(line.as_bytes()).is_ok();
            if !ok {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
            ok
        }
    });
}

fn serve(id: usize, stream: TcpStream, members: &Members, pongs: &AtomicUsize) {
    stream.set_nodelay(true).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut out = stream.try_clone().unwrap();
    let mut nick = String::new();
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { break };
        let Ok(msg) = Message::parse(&line) else {
            continue;
        };
        let reply = match msg.verb().as_str() {
            "NICK" => {
                nick = msg.param(0).to_string();
                continue;
            }
            "USER" => {
                let mut r = format!(":stub 001 {nick} :Welcome\r\n");
                for code in ["002", "003", "004", "005", "251", "375", "372", "376"] {
                    r.push_str(&format!(":stub {code} {nick} :numeric {code}\r\n"));
                }
                r + "PING :stub-token\r\n"
            }
            "PONG" => {
                if msg.param(0) == "stub-token" {
                    pongs.fetch_add(1, Ordering::Relaxed);
                }
                continue;
            }
            "PING" => format!(":stub PONG stub :{}\r\n", msg.param(0)),
            "JOIN" => {
                let channel = msg.param(0).to_string();
                let handle = out.try_clone().unwrap();
                members.lock().unwrap().push((id, nick.clone(), handle));
                broadcast(members, None, &format!(":{nick}!u@h JOIN {channel}\r\n"));
                // Like a server that replays history on JOIN: a benchmark message of some
                // earlier run (run id 1), which the benchmark must not count.
                format!(
                    ":old!u@h PRIVMSG {channel} :lb 1 0 0 0\r\n\
                     :stub 353 {nick} = {channel} :{nick}\r\n:stub 366 {nick} {channel} :End\r\n"
                )
            }
            "PRIVMSG" => {
                let relayed = msg.clone().with_source(format!("{nick}!u@h"));
                broadcast(members, Some(id), &relayed.to_wire());
                continue;
            }
            "QUIT" => break,
            _ => continue,
        };
        if out.write_all(reply.as_bytes()).is_err() {
            break;
        }
    }
    members
        .lock()
        .unwrap()
        .retain(|(member, _, _)| *member != id);
}
