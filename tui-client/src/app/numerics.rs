//! Server error numerics turned into plain sentences ("#lab is full (limit 30)") and the
//! buffer each one concerns. Used by `App` when a 4xx/5xx reply arrives.

use shared::Message;
use shared::numeric::*;

use super::App;
use crate::sanitize::plain;

/// The buffer name an error concerns (when it names one) and the sentence to show there.
pub fn sentence(msg: &Message, app: &App) -> (Option<String>, String) {
    let subject = msg.param(1).to_string();
    let channel = Some(subject.clone());
    let server_text = plain(msg.params.last().map(String::as_str).unwrap_or(""));
    let text = match msg.command.as_str() {
        ERR_NOSUCHNICK => return (channel, format!("There is no one called {subject} here")),
        ERR_NOSUCHCHANNEL => format!("There is no channel {subject}"),
        ERR_CANNOTSENDTOCHAN => format!(
            "Your message did not reach {subject}: the channel is moderated or you are not in it"
        ),
        ERR_TOOMANYCHANNELS => format!("Cannot join {subject}: you are in too many channels"),
        ERR_NORECIPIENT => "That message had no recipient".to_string(),
        ERR_NOTEXTTOSEND => "There was no text to send".to_string(),
        ERR_INPUTTOOLONG => "That line was too long for the server".to_string(),
        ERR_UNKNOWNCOMMAND => format!("The server does not know the command {subject}"),
        ERR_NONICKNAMEGIVEN => "No nick given: /nick newnick".to_string(),
        ERR_ERRONEUSNICKNAME => {
            format!("{subject} is not a valid nick (letters, digits, -_[]{{}}|^, at most 30)")
        }
        ERR_NICKNAMEINUSE => format!("The nick {subject} is already taken"),
        ERR_USERNOTINCHANNEL => {
            return (
                Some(msg.param(2).to_string()),
                format!("{subject} is not in {}", msg.param(2)),
            );
        }
        ERR_NOTONCHANNEL => format!("You are not in {subject}"),
        ERR_USERONCHANNEL => {
            return (
                Some(msg.param(2).to_string()),
                format!("{subject} is already in {}", msg.param(2)),
            );
        }
        ERR_NOTREGISTERED => "The server says we are not registered yet".to_string(),
        ERR_NEEDMOREPARAMS => format!("{subject} needs more parameters"),
        ERR_ALREADYREGISTERED => "Already registered".to_string(),
        ERR_PASSWDMISMATCH => "Wrong password".to_string(),
        ERR_CHANNELISFULL => match app.find(&subject).and_then(|i| app.buffers[i].limit) {
            Some(limit) => format!("{subject} is full (limit {limit})"),
            None => format!("{subject} is full"),
        },
        ERR_UNKNOWNMODE => format!("{subject} is not a mode the server knows"),
        ERR_INVITEONLYCHAN => format!("{subject} is invite-only: ask an operator to /invite you"),
        ERR_BANNEDFROMCHAN => format!("You are banned from {subject}"),
        ERR_BADCHANNELKEY => format!("{subject} needs a key: /join {subject} KEY"),
        ERR_BADCHANMASK => format!("{subject} is not a valid channel name"),
        ERR_NOPRIVILEGES => "Permission denied: you are not an IRC operator".to_string(),
        ERR_CHANOPRIVSNEEDED => format!("You need to be an operator in {subject} to do that"),
        ERR_UMODEUNKNOWNFLAG => "Unknown user mode".to_string(),
        ERR_USERSDONTMATCH => "You cannot change modes of other users".to_string(),
        _ => format!("Error {}: {server_text}", msg.command),
    };
    (channel, text)
}
