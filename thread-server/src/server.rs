//! `Server` (shared state) and `Listener` (the accept loop): binds the port, accepts
//! connections, applies the connection limits, and runs each client on a thread of its own.

use std::fs;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use shared::Message;
use socket2::SockRef;

use crate::channel::Channel;
use crate::client::{Caps, Client};
use crate::config::Config;
use crate::error::ServerError;
use crate::log;
use crate::outbox::Outbox;
use crate::registry::Registry;
use crate::session::Session;
use crate::store::{Store, StoreConfig};

/// Kernel send buffer per client socket (Linux doubles it for bookkeeping): enough for any
/// burst a reading client sees, small enough that a stalled one shows in its outbox quickly.
const KERNEL_SEND_BUFFER_BYTES: usize = 64 * 1024;

/// Stack size of a session thread. Sessions keep their buffers on the heap, so 64 KiB is ample
/// and keeps thousands of idle connections cheap (see BENCHMARKS.md, case 4).
const SESSION_STACK_BYTES: usize = 64 * 1024;

/// State shared by every session thread.
pub struct Server {
    /// The settings it was started with.
    pub config: Config,
    /// All clients and channels (see the locking rule in `registry.rs`).
    registry: Mutex<Registry>,
    /// Lines of the message of the day, if a MOTD file was given.
    pub motd: Option<Vec<String>>,
    /// When the server started (RPL_CREATED).
    pub started: chrono::DateTime<chrono::Utc>,
    /// Rooms and history (SQLite, on its own thread).
    pub store: Store,
    next_client_id: AtomicU64,
    shutting_down: AtomicBool,
}

impl Server {
    /// Locks the registry. A panic in another session must not take the server down, so a
    /// poisoned lock is recovered: every handler leaves the registry consistent between steps.
    pub fn lock_registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A NOTICE from the server to `nick`.
    pub fn notice_to(&self, nick: &str, text: &str) -> Message {
        Message::new("NOTICE", vec![nick.to_string(), text.to_string()])
            .with_source(&self.config.server_name)
    }
}

/// A bound listening socket, ready to accept clients.
pub struct Listener {
    listener: TcpListener,
    server: Arc<Server>,
}

/// Stops a running [`Listener`] from another thread (Ctrl-C, tests).
#[derive(Clone)]
pub struct ShutdownHandle {
    server: Arc<Server>,
    addr: SocketAddr,
}

impl Listener {
    /// Reads the MOTD file and binds the listening socket.
    pub fn bind(config: Config) -> Result<Listener, ServerError> {
        let motd = match &config.motd_file {
            Some(path) => {
                let text =
                    fs::read_to_string(path).map_err(|e| ServerError::Motd(path.clone(), e))?;
                Some(text.lines().map(str::to_string).collect())
            }
            None => None,
        };
        let listener =
            TcpListener::bind(config.listen).map_err(|e| ServerError::Bind(config.listen, e))?;
        let store_config = StoreConfig {
            history_limit: config.history_limit,
            history_days: config.history_days,
        };
        let data_dir = (!config.ephemeral).then_some(config.data_dir.as_path());
        let (store, saved) = Store::open(data_dir, store_config).map_err(ServerError::Store)?;
        let mut registry = Registry::default();
        for record in &saved {
            registry
                .channels
                .insert(record.name.clone(), Channel::from_record(record));
        }
        let server = Server {
            config,
            registry: Mutex::new(registry),
            motd,
            started: chrono::Utc::now(),
            store,
            next_client_id: AtomicU64::new(1),
            shutting_down: AtomicBool::new(false),
        };
        Ok(Listener {
            listener,
            server: Arc::new(server),
        })
    }

    /// The address actually bound (tests bind port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle that can stop this listener later.
    pub fn shutdown_handle(&self) -> io::Result<ShutdownHandle> {
        Ok(ShutdownHandle {
            server: Arc::clone(&self.server),
            addr: self.local_addr()?,
        })
    }

    /// The accept loop: one thread per connection, until shut down.
    pub fn run(self) {
        for stream in self.listener.incoming() {
            if self.server.shutting_down.load(Ordering::SeqCst) {
                break;
            }
            match stream {
                Ok(stream) => accept(&self.server, stream),
                Err(e) => {
                    // Usually "too many open files": wait a little instead of spinning.
                    log!("accept failed: {e}");
                    thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

impl ShutdownHandle {
    /// Tells every client the server is going away, closes them, and stops the accept loop.
    pub fn shutdown(&self, reason: &str) {
        self.server.shutting_down.store(true, Ordering::SeqCst);
        let outboxes: Vec<Arc<Outbox>> = self
            .server
            .lock_registry()
            .clients
            .values()
            .map(|c| Arc::clone(&c.outbox))
            .collect();
        let line = Message::new("ERROR", vec![reason.to_string()]).to_wire();
        for outbox in outboxes {
            outbox.close_with(line.as_bytes());
        }
        // Wake the accept loop, which is blocked in accept(), with one last connection.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake.ip() {
                IpAddr::V4(_) => IpAddr::from([127, 0, 0, 1]),
                IpAddr::V6(_) => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        // Everything committed and the database closed before the process exits.
        self.server.store.close();
    }
}

/// Applies the connection limits, registers the connection and starts its thread.
fn accept(server: &Arc<Server>, stream: TcpStream) {
    let Ok(peer) = stream.peer_addr() else {
        return; // Gone before we looked: nothing to clean up.
    };
    if let Some(refusal) = refusal(server, peer.ip()) {
        log!("refused {peer}: {refusal}");
        let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
        let line = Message::new("ERROR", vec![refusal.to_string()]).to_wire();
        let _ = (&stream).write_all(line.as_bytes());
        return;
    }
    // Small writes are coalesced in user space (see outbox.rs), so Nagle only adds delay.
    let _ = stream.set_nodelay(true);
    // Left alone, the kernel lets a socket's send buffer grow to 4 MiB, so a client that
    // stopped reading would only be noticed (and dropped) after minutes. With a small kernel
    // buffer the outbox, and its --max-sendq limit, see the backlog within seconds.
    let _ = SockRef::from(&stream).set_send_buffer_size(KERNEL_SEND_BUFFER_BYTES);
    let outbox = match stream
        .try_clone()
        .and_then(|s| Outbox::new(s, server.config.max_sendq))
    {
        Ok(outbox) => Arc::new(outbox),
        Err(e) => {
            log!("could not set up {peer}: {e}");
            return;
        }
    };
    let id = server.next_client_id.fetch_add(1, Ordering::Relaxed);
    let now = chrono::Utc::now().timestamp();
    server.lock_registry().add(Client {
        id,
        nick: String::new(),
        user: String::new(),
        realname: String::new(),
        host: peer.ip().to_string(),
        ip: peer.ip(),
        registered: false,
        caps: Caps::default(),
        invisible: false,
        oper: false,
        away: None,
        channels: Vec::new(),
        signon: now,
        last_message_at: now,
        outbox: Arc::clone(&outbox),
    });
    log!("connect {peer}");
    // The session is built before spawning so that, if the spawn fails, dropping it (inside
    // the failed closure) still removes the client from the registry.
    let mut session = Session::new(Arc::clone(server), id, outbox, peer);
    let spawned = thread::Builder::new()
        .name(format!("lanchatd-{id}"))
        .stack_size(SESSION_STACK_BYTES)
        .spawn(move || session.run(stream));
    if let Err(e) = spawned {
        log!("could not start a thread for {peer}: {e}");
    }
}

/// Why a new connection from `ip` must be refused, if it must.
fn refusal(server: &Server, ip: IpAddr) -> Option<&'static str> {
    let config = &server.config;
    let registry = server.lock_registry();
    if registry.clients.len() >= config.max_clients {
        return Some("Server full: too many connections");
    }
    let exempt = ip.is_loopback() && !config.limit_loopback;
    if config.max_per_ip > 0 && !exempt && registry.connections_from(ip) >= config.max_per_ip {
        return Some("Too many connections from your IP address");
    }
    None
}
