//! `Registry`: every client and channel of the server, behind one `Mutex` in [`crate::Server`].
//!
//! Rule: the lock is held only to look things up, change them and *queue* bytes to outboxes
//! (see [`Deliveries`]); socket writes happen after it is released. So a slow client can never
//! make another thread wait on this lock.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use shared::names::irc_lower;

use crate::channel::Channel;
use crate::client::{Client, ClientId, IdMap};
use crate::outgoing::{Deliveries, Outgoing};

/// All clients and channels.
#[derive(Default)]
pub struct Registry {
    /// Every connection, registered or not.
    pub clients: IdMap<Client>,
    /// Channels by folded name (`irc_lower`).
    pub channels: HashMap<String, Channel>,
    /// Folded nick -> owner. A nick is reserved from its first NICK, before registration.
    nicks: HashMap<String, ClientId>,
    /// Connections per IP address.
    per_ip: HashMap<IpAddr, usize>,
}

impl Registry {
    /// Adds a new connection.
    pub fn add(&mut self, client: Client) {
        *self.per_ip.entry(client.ip).or_insert(0) += 1;
        self.clients.insert(client.id, client);
    }

    /// How many connections come from `ip`.
    pub fn connections_from(&self, ip: IpAddr) -> usize {
        self.per_ip.get(&ip).copied().unwrap_or(0)
    }

    /// The client using `nick` (any case), if any.
    pub fn find_nick(&self, nick: &str) -> Option<&Client> {
        let id = self.nicks.get(&irc_lower(nick))?;
        self.clients.get(id)
    }

    /// Gives `nick` to client `id`, freeing its old nick. False if someone else has it.
    pub fn set_nick(&mut self, id: ClientId, nick: &str) -> bool {
        let folded = irc_lower(nick);
        if self.nicks.get(&folded).is_some_and(|&owner| owner != id) {
            return false;
        }
        let Some(client) = self.clients.get_mut(&id) else {
            return false;
        };
        if !client.nick.is_empty() {
            self.nicks.remove(&irc_lower(&client.nick));
        }
        client.nick = nick.to_string();
        self.nicks.insert(folded, id);
        true
    }

    /// The channel called `name` (any case), if it exists.
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.get(&irc_lower(name))
    }

    /// Queues `out` to every member of channel `folded`, except `skip`.
    pub fn send_to_channel(
        &self,
        folded: &str,
        out: &Outgoing,
        skip: Option<ClientId>,
        deliveries: &mut Deliveries,
    ) {
        let Some(channel) = self.channels.get(folded) else {
            return;
        };
        for id in channel.members.keys() {
            if Some(*id) == skip {
                continue;
            }
            if let Some(member) = self.clients.get(id) {
                deliveries.send(member, out);
            }
        }
    }

    /// Everyone who shares at least one channel with `id`, each once, `id` excluded.
    pub fn neighbours(&self, id: ClientId) -> BTreeSet<ClientId> {
        let mut out = BTreeSet::new();
        if let Some(client) = self.clients.get(&id) {
            for folded in &client.channels {
                if let Some(channel) = self.channels.get(folded) {
                    out.extend(channel.members.keys().copied());
                }
            }
        }
        out.remove(&id);
        out
    }

    /// Queues `out` to everyone sharing a channel with `id` (and to `id` if `include_self`).
    pub fn send_to_neighbours(
        &self,
        id: ClientId,
        out: &Outgoing,
        include_self: bool,
        deliveries: &mut Deliveries,
    ) {
        let mut ids = self.neighbours(id);
        if include_self {
            ids.insert(id);
        }
        for other in ids {
            if let Some(client) = self.clients.get(&other) {
                deliveries.send(client, out);
            }
        }
    }

    /// Removes `id` from channel `folded`; deletes the channel when it becomes empty.
    pub fn leave_channel(&mut self, id: ClientId, folded: &str) {
        if let Some(channel) = self.channels.get_mut(folded) {
            channel.members.remove(&id);
            channel.invited.remove(&id);
            if channel.members.is_empty() && !channel.is_kept() {
                self.channels.remove(folded);
            }
        }
        if let Some(client) = self.clients.get_mut(&id) {
            client.channels.retain(|c| c != folded);
        }
    }

    /// Removes a connection entirely: its nick, channel seats and IP count are freed at once.
    /// Everyone who shared a channel with it gets `quit` (if given). Returns the client.
    pub fn remove(
        &mut self,
        id: ClientId,
        quit: Option<&Outgoing>,
        deliveries: &mut Deliveries,
    ) -> Option<Client> {
        if let Some(quit) = quit {
            self.send_to_neighbours(id, quit, false, deliveries);
        }
        let channels = self.clients.get(&id)?.channels.clone();
        for folded in channels {
            self.leave_channel(id, &folded);
        }
        let client = self.clients.remove(&id)?;
        let folded_nick = irc_lower(&client.nick);
        if self.nicks.get(&folded_nick) == Some(&id) {
            self.nicks.remove(&folded_nick);
        }
        if let Some(count) = self.per_ip.get_mut(&client.ip) {
            *count -= 1;
            if *count == 0 {
                self.per_ip.remove(&client.ip);
            }
        }
        Some(client)
    }

    /// Registered clients, operators, unregistered connections (for LUSERS).
    pub fn counts(&self) -> (usize, usize, usize) {
        let registered = self.clients.values().filter(|c| c.registered).count();
        let opers = self.clients.values().filter(|c| c.oper).count();
        (registered, opers, self.clients.len() - registered)
    }
}
