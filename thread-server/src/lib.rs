//! `lanchatd`, a thread-per-connection IRC server: the library behind the binary, also used by
//! the integration tests to start servers on `127.0.0.1:0`.
//!
//! ```text
//!  accept loop (server.rs) ── spawns ──> one session thread per client (session.rs)
//!                                          read lines -> commands::dispatch
//!                                                 │ lock, look up, queue bytes, unlock
//!                                                 v
//!                          Registry (registry.rs, one Mutex): clients + channels
//!                                                 │ after unlock: flush (a big fan-out:
//!                                                 v  by the fan-out thread, fan_out.rs)
//!                          Outbox per client (outbox.rs): a running thread writes it;
//!                          a slow client gets a writer thread; past SendQ it is dropped
//! ```

pub mod channel;
pub mod client;
pub mod commands;
pub mod config;
pub mod error;
pub mod fan_out;
pub mod flood;
pub mod line_reader;
pub mod log;
pub mod memory;
pub mod outbox;
pub mod outgoing;
pub mod registry;
pub mod server;
pub mod session;
pub mod store;

pub use config::Config;
pub use error::ServerError;
pub use server::{Listener, ShutdownHandle};

use std::io::Write;

/// Runs a server until Ctrl-C (or SIGTERM): clients then get an ERROR line and it returns.
pub fn run(config: Config) -> Result<(), ServerError> {
    memory::tune_allocator();
    let storage = if config.ephemeral {
        "Rooms and history: in memory only (--ephemeral)".to_string()
    } else {
        let dir = &config.data_dir;
        format!(
            "Rooms and history: {} (--data-dir)",
            store::database_path(dir).display()
        )
    };
    let listener = Listener::bind(config)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Bind(listener_addr_fallback(), e))?;
    let handle = listener
        .shutdown_handle()
        .map_err(|e| ServerError::Bind(addr, e))?;
    // Ctrl-C, SIGTERM and SIGHUP (a closed terminal or tmux pane) all stop the server cleanly.
    ctrlc::set_handler(move || {
        handle.shutdown("Server shutting down");
        log!("shutting down");
    })
    .map_err(|e| ServerError::Signal(e.to_string()))?;
    print_banner(addr, &storage);
    listener.run();
    log!("stopped");
    Ok(())
}

fn listener_addr_fallback() -> std::net::SocketAddr {
    std::net::SocketAddr::from(([0, 0, 0, 0], 0))
}

/// Tells the teacher where the server listens and how students join. Write errors are
/// ignored: a closed stdout must not stop the server.
fn print_banner(addr: std::net::SocketAddr, storage: &str) {
    let port = addr.port();
    let host = if addr.ip().is_unspecified() {
        "THIS-MACHINE'S-IP".to_string()
    } else {
        addr.ip().to_string()
    };
    let mut text = format!("lanchatd listening on {addr}\n");
    text += "Join from a terminal:\n";
    text += &format!("  lanchat {host}:{port}            (the lanchat client)\n");
    text +=
        &format!("  nc {host} {port}                 (then type: NICK you / USER you 0 * :You)\n");
    text += &format!(
        "  irssi -c {host} -p {port}        (or WeeChat: /server add lan {host}/{port})\n"
    );
    if addr.ip().is_unspecified() {
        text += "(find this machine's IP with `hostname -I`; on this machine use 127.0.0.1)\n";
    }
    text += storage;
    text += "\nPress Ctrl-C to stop.\n";
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
