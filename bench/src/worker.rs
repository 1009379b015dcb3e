//! One benchmark event-loop thread: owns every `threads`-th client, connects them a batch at a
//! time, then reads, answers and sends for all of them with one epoll instance (`mio`).
//! `run` starts a fixed number of these, so 5 000 clients cost a few threads, not 5 000.

use std::io;
use std::sync::atomic::Ordering;
use std::time::Duration;

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

use crate::client::{Client, Role, RunInfo, State};
use crate::config::{Config, Rate};
use crate::coordination::{Phase, Shared};
use crate::histogram::LatencyHistogram;
use crate::pacing;
use crate::sequence::SequenceTracker;
use crate::tally::Tally;

/// Most messages one sender queues per loop turn, so one sender cannot starve the others.
const MAX_BURST: u64 = 256;
/// Bytes read per `read` call.
const READ_BUFFER: usize = 64 * 1024;

/// What one worker saw, returned when the run is over.
#[derive(Debug)]
pub struct WorkerResult {
    /// Latencies of every delivery it read.
    pub histogram: LatencyHistogram,
    /// Per reading client: per sender, what arrived (client number, trackers).
    pub readers: Vec<(usize, Vec<SequenceTracker>)>,
    /// Deliveries read, duplicates included.
    pub deliveries: u64,
    /// Time of the last delivery, ns since origin.
    pub last_delivery_ns: u64,
    /// Readers the server closed during the run, with the first reason seen.
    pub readers_closed: u64,
    /// Why the first reader was closed, if any was.
    pub first_close_reason: Option<String>,
    /// Stalled members owned by this worker, and how many of them the server dropped.
    pub stalled: u64,
    /// How many stalled members the server had closed by the end.
    pub stalled_dropped: u64,
}

/// Runs one worker until the phase reaches `Done`.
pub fn run_worker(worker: usize, config: &Config, shared: &Shared) -> io::Result<WorkerResult> {
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let mut scratch = vec![0u8; READ_BUFFER];
    let mut tally = Tally::new(config.senders);
    let mine: Vec<usize> = (worker..config.clients).step_by(config.threads).collect();
    let mut clients: Vec<Client> = Vec::with_capacity(mine.len());
    // Clients whose connection may still sit in the server's accept queue (no 001 yet). Some
    // servers listen with a tiny backlog (ngIRCd: 10); overflowing it costs seconds of SYN
    // retransmission, so only a few registrations are in progress at once.
    let mut registering = 0;
    let total_slots = match config.rate {
        Rate::PerSecond(r) => (config.duration * f64::from(r)) as u64,
        Rate::Max => 0,
    };

    loop {
        let phase = shared.phase();
        if phase == Phase::Done {
            break;
        }
        if phase == Phase::Connecting {
            while registering < config.connect_batch && clients.len() < mine.len() {
                let index = mine[clients.len()];
                let mut client = start_client(index, config, shared.run_id)?;
                let token = Token(clients.len());
                poll.registry().register(
                    client.stream_mut(),
                    token,
                    Interest::READABLE | Interest::WRITABLE,
                )?;
                clients.push(client);
                registering += 1;
            }
        }
        if phase == Phase::Sending {
            send_due(&mut clients, config, shared, total_slots);
        }
        let timeout = match phase {
            Phase::Sending | Phase::Draining => Duration::from_millis(1),
            _ => Duration::from_millis(5),
        };
        if let Err(e) = poll.poll(&mut events, Some(timeout))
            && e.kind() != io::ErrorKind::Interrupted
        {
            return Err(e);
        }
        for event in &events {
            let Some(client) = clients.get_mut(event.token().0) else {
                continue;
            };
            let before = client.state;
            if before == State::Closed {
                continue;
            }
            if before == State::Connecting {
                client.check_connected();
            }
            if client.role == Role::Stalled && phase != Phase::Connecting {
                // It never reads now; only notice when the server drops it.
                if event.is_read_closed() || event.is_error() {
                    client.close("dropped by the server".into());
                }
                continue;
            }
            client.read_available(
                &mut scratch,
                &mut tally,
                || shared.now_ns(),
                &config.channel,
            );
            client.flush();
            let after = client.state;
            let was_registering = matches!(before, State::Connecting | State::Registering);
            if was_registering && !matches!(after, State::Connecting | State::Registering) {
                registering -= 1;
            }
            if after == State::Joined && before != State::Joined {
                shared.joined.fetch_add(1, Ordering::Relaxed);
            }
            if after == State::Closed && before != State::Closed {
                on_closed(client, phase, shared);
            }
        }
        for (sender, count) in tally.unflushed.iter_mut().enumerate() {
            if *count > 0 {
                shared.delivered[sender].fetch_add(*count, Ordering::Relaxed);
                *count = 0;
            }
        }
    }
    Ok(finish(clients, tally, &mut scratch))
}

/// Starts the non-blocking connect of client `index`.
fn start_client(index: usize, config: &Config, run_id: u32) -> io::Result<Client> {
    let role = if index < config.senders {
        Role::Sender(index as u32)
    } else if index >= config.clients - config.stalled {
        Role::Stalled
    } else {
        Role::Reader
    };
    let stream = TcpStream::connect(config.server)?;
    stream.set_nodelay(true)?;
    let nick = format!("{}{}", config.nick_prefix, index);
    let run = RunInfo {
        id: run_id,
        senders: config.senders,
    };
    Ok(Client::new(index, role, stream, nick, &run))
}

/// Queues and writes whatever each sender of this worker is due to send now.
fn send_due(clients: &mut [Client], config: &Config, shared: &Shared, total_slots: u64) {
    let now = shared.now_ns();
    let elapsed = now.saturating_sub(shared.send_start_ns.load(Ordering::Relaxed));
    let other_readers = shared
        .live_readers
        .load(Ordering::Relaxed)
        .saturating_sub(1) as u64;
    // Senders are clients 0..S, dealt round-robin, so they are at the front of `clients`.
    for client in clients
        .iter_mut()
        .take_while(|c| matches!(c.role, Role::Sender(_)))
    {
        let Role::Sender(sender) = client.role else {
            continue;
        };
        if client.state != State::Joined {
            continue;
        }
        let target = match config.rate {
            Rate::PerSecond(rate) => {
                let slots = pacing::slots_elapsed(elapsed, rate);
                pacing::due_count(slots, u64::from(sender), config.senders as u64, total_slots)
            }
            Rate::Max => {
                let delivered = shared.delivered[sender as usize].load(Ordering::Relaxed);
                pacing::window_limit(delivered, other_readers, config.window)
            }
        };
        let count = target.saturating_sub(client.next_seq).min(MAX_BURST);
        if count > 0 {
            client.queue_payloads(count, now, &config.channel, config.msg_bytes);
            client.flush();
            shared.sent[sender as usize].store(client.next_seq, Ordering::Relaxed);
        }
    }
}

/// A client closed: during connecting that ends the run; later it is recorded.
fn on_closed(client: &Client, phase: Phase, shared: &Shared) {
    if phase == Phase::Connecting {
        shared.fail(format!("client {}: {}", client.index, client.close_reason));
    } else if client.role != Role::Stalled {
        shared.live_readers.fetch_sub(1, Ordering::Relaxed);
    }
}

/// After the run: checks stalled members, says goodbye, and hands back what was seen.
fn finish(clients: Vec<Client>, tally: Tally, scratch: &mut [u8]) -> WorkerResult {
    let mut result = WorkerResult {
        histogram: tally.histogram,
        readers: Vec::new(),
        deliveries: tally.deliveries,
        last_delivery_ns: tally.last_delivery_ns,
        readers_closed: 0,
        first_close_reason: None,
        stalled: 0,
        stalled_dropped: 0,
    };
    for mut client in clients {
        if client.role == Role::Stalled {
            result.stalled += 1;
            if client.state == State::Closed || client.probe_dropped(scratch) {
                result.stalled_dropped += 1;
            }
            continue;
        }
        if client.state == State::Closed {
            result.readers_closed += 1;
            result
                .first_close_reason
                .get_or_insert(client.close_reason.clone());
        } else {
            client.queue("QUIT :lanchat-bench done\r\n");
            client.flush();
        }
        result
            .readers
            .push((client.index, std::mem::take(&mut client.trackers)));
    }
    result
}
