//! Command dispatch: one handler per IRC command, grouped by family in this folder, in the
//! style of miniircd. Unknown commands get `421`; most need registration first (`451`).

mod channel;
mod chathistory;
pub mod history;
mod message;
mod mode;
mod moderation;
mod playback;
mod query;
mod registration;

use shared::Message;
use shared::numeric::{ERR_NEEDMOREPARAMS, ERR_NOTREGISTERED, ERR_UNKNOWNCOMMAND};

use crate::outgoing::Outgoing;
use crate::registry::Registry;
use crate::session::Session;

/// Runs the handler for one parsed message from this session's client.
pub fn dispatch(session: &mut Session, msg: Message) {
    let verb = msg.verb();
    // Channel messages of one read are delivered together once committed; anything else
    // first delivers them, so that nobody sees events out of order.
    if verb != "PRIVMSG" && verb != "NOTICE" {
        history::settle(session);
    }
    // What a client may send before it has registered.
    match verb.as_str() {
        "PASS" => return registration::pass(session, &msg),
        "NICK" => return registration::nick(session, &msg),
        "USER" => return registration::user(session, &msg),
        "CAP" => return registration::cap(session, &msg),
        "QUIT" => return registration::quit(session, &msg),
        "PING" => return query::ping(session, &msg),
        "PONG" => return, // Any line proves the client alive; the session already noted it.
        _ => {}
    }
    if !session.registration.done {
        session.reply(ERR_NOTREGISTERED, &["You have not registered"]);
        return;
    }
    match verb.as_str() {
        "JOIN" => channel::join(session, &msg),
        "PART" => channel::part(session, &msg),
        "TOPIC" => channel::topic(session, &msg),
        "NAMES" => channel::names(session, &msg),
        "LIST" => channel::list(session, &msg),
        "KICK" => moderation::kick(session, &msg),
        "INVITE" => moderation::invite(session, &msg),
        "PRIVMSG" => message::privmsg(session, &msg, "PRIVMSG"),
        "NOTICE" => message::privmsg(session, &msg, "NOTICE"),
        "TAGMSG" => message::privmsg(session, &msg, "TAGMSG"),
        "MODE" => mode::mode(session, &msg),
        "OPER" => mode::oper(session, &msg),
        "WHO" => query::who(session, &msg),
        "WHOIS" => query::whois(session, &msg),
        "AWAY" => query::away(session, &msg),
        "ISON" => query::ison(session, &msg),
        "USERHOST" => query::userhost(session, &msg),
        "LUSERS" => registration::send_lusers(session),
        "MOTD" => registration::send_motd(session),
        "CHATHISTORY" => chathistory::chathistory(session, &msg),
        "DROP" => chathistory::drop_channel(session, &msg),
        _ => session.reply(ERR_UNKNOWNCOMMAND, &[&msg.command, "Unknown command"]),
    }
}

/// Replies `461` and returns false when `msg` has fewer than `n` parameters (an empty last
/// parameter counts as missing, as `PRIVMSG #a :` has no text).
fn has_params(session: &mut Session, msg: &Message, n: usize) -> bool {
    let enough = msg.params.len() >= n && msg.params.iter().take(n).all(|p| !p.is_empty());
    if !enough {
        session.reply(
            ERR_NEEDMOREPARAMS,
            &[&msg.command.to_ascii_uppercase(), "Not enough parameters"],
        );
    }
    enough
}

/// `text` cut to at most `max` bytes at a character boundary. IRC length limits (TOPICLEN,
/// KICKLEN, AWAYLEN) count bytes, and cutting inside a character would leave invalid UTF-8.
fn cut_to_bytes(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Queues a channel change to every member of `folded` and also to the sender when it is not
/// a member (an IRC operator acting from outside), so it sees the result of its own command.
fn send_to_channel_and_sender(s: &mut Session, registry: &Registry, folded: &str, out: &Outgoing) {
    registry.send_to_channel(folded, out, None, &mut s.deliveries);
    let outside = registry.channels.get(folded).is_none_or(|c| !c.has(s.id));
    if outside && let Some(me) = registry.clients.get(&s.id) {
        s.deliveries.send(me, out);
    }
}
