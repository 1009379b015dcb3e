//! `ServerError`: why `lanchatd` could not start. Printed by `main` as one clear line.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A start-up failure.
#[derive(Debug)]
pub enum ServerError {
    /// The listening address could not be bound (in use, no permission...).
    Bind(SocketAddr, io::Error),
    /// The MOTD file could not be read.
    Motd(PathBuf, io::Error),
    /// The Ctrl-C handler could not be installed.
    Signal(String),
    /// The history store could not be opened.
    Store(crate::store::StoreError),
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerError::Bind(addr, e) if e.kind() == io::ErrorKind::AddrInUse => write!(
                f,
                "cannot listen on {addr}: the port is already in use (is another lanchatd \
                 running? try --listen 0.0.0.0:6668)"
            ),
            ServerError::Bind(addr, e) if e.kind() == io::ErrorKind::PermissionDenied => write!(
                f,
                "cannot listen on {addr}: permission denied (ports below 1024 need root)"
            ),
            ServerError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServerError::Motd(path, e) => {
                write!(f, "cannot read the MOTD file {}: {e}", path.display())
            }
            ServerError::Signal(e) => write!(f, "cannot install the Ctrl-C handler: {e}"),
            ServerError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServerError {}
