//! Numeric reply codes with their RFC 2812 / Modern IRC names. The server sends them; the client
//! turns the error ones into sentences.

/// `001` "Welcome to the network".
pub const RPL_WELCOME: &str = "001";
/// `002` "Your host is ...".
pub const RPL_YOURHOST: &str = "002";
/// `003` "This server was created ...".
pub const RPL_CREATED: &str = "003";
/// `004` server name, version, user modes, channel modes.
pub const RPL_MYINFO: &str = "004";
/// `005` ISUPPORT tokens.
pub const RPL_ISUPPORT: &str = "005";
/// `221` the user's own modes.
pub const RPL_UMODEIS: &str = "221";
/// `251` users and servers on the network.
pub const RPL_LUSERCLIENT: &str = "251";
/// `252` operators online.
pub const RPL_LUSEROP: &str = "252";
/// `253` connections not yet registered.
pub const RPL_LUSERUNKNOWN: &str = "253";
/// `254` channels formed.
pub const RPL_LUSERCHANNELS: &str = "254";
/// `255` clients on this server.
pub const RPL_LUSERME: &str = "255";
/// `301` the target is away.
pub const RPL_AWAY: &str = "301";
/// `305` no longer away.
pub const RPL_UNAWAY: &str = "305";
/// `306` now away.
pub const RPL_NOWAWAY: &str = "306";
/// `311` WHOIS: nick user host * :realname.
pub const RPL_WHOISUSER: &str = "311";
/// `312` WHOIS: the server the nick is on.
pub const RPL_WHOISSERVER: &str = "312";
/// `313` WHOIS: the nick is an operator.
pub const RPL_WHOISOPERATOR: &str = "313";
/// `315` end of WHO.
pub const RPL_ENDOFWHO: &str = "315";
/// `317` WHOIS: idle seconds and sign-on time.
pub const RPL_WHOISIDLE: &str = "317";
/// `318` end of WHOIS.
pub const RPL_ENDOFWHOIS: &str = "318";
/// `319` WHOIS: channels the nick is in.
pub const RPL_WHOISCHANNELS: &str = "319";
/// `321` LIST header.
pub const RPL_LISTSTART: &str = "321";
/// `322` LIST: channel, member count, topic.
pub const RPL_LIST: &str = "322";
/// `323` end of LIST.
pub const RPL_LISTEND: &str = "323";
/// `324` channel modes.
pub const RPL_CHANNELMODEIS: &str = "324";
/// `329` channel creation time.
pub const RPL_CREATIONTIME: &str = "329";
/// `331` no topic is set.
pub const RPL_NOTOPIC: &str = "331";
/// `332` the topic.
pub const RPL_TOPIC: &str = "332";
/// `333` who set the topic and when.
pub const RPL_TOPICWHOTIME: &str = "333";
/// `341` INVITE was sent.
pub const RPL_INVITING: &str = "341";
/// `352` one WHO reply line.
pub const RPL_WHOREPLY: &str = "352";
/// `353` NAMES: members of a channel.
pub const RPL_NAMREPLY: &str = "353";
/// `366` end of NAMES.
pub const RPL_ENDOFNAMES: &str = "366";
/// `367` one ban mask of a channel.
pub const RPL_BANLIST: &str = "367";
/// `368` end of the ban list.
pub const RPL_ENDOFBANLIST: &str = "368";
/// `372` one line of the message of the day.
pub const RPL_MOTD: &str = "372";
/// `375` start of the message of the day.
pub const RPL_MOTDSTART: &str = "375";
/// `376` end of the message of the day.
pub const RPL_ENDOFMOTD: &str = "376";
/// `302` USERHOST replies.
pub const RPL_USERHOST: &str = "302";
/// `303` ISON replies.
pub const RPL_ISON: &str = "303";
/// `381` you are now an IRC operator.
pub const RPL_YOUREOPER: &str = "381";
/// `401` no such nick or channel.
pub const ERR_NOSUCHNICK: &str = "401";
/// `403` no such channel.
pub const ERR_NOSUCHCHANNEL: &str = "403";
/// `404` cannot send to channel (moderated, or not a member of a `+n` channel).
pub const ERR_CANNOTSENDTOCHAN: &str = "404";
/// `405` joined too many channels.
pub const ERR_TOOMANYCHANNELS: &str = "405";
/// `407` too many targets.
pub const ERR_TOOMANYTARGETS: &str = "407";
/// `409` PING without an origin.
pub const ERR_NOORIGIN: &str = "409";
/// `411` no recipient given.
pub const ERR_NORECIPIENT: &str = "411";
/// `412` no text to send.
pub const ERR_NOTEXTTOSEND: &str = "412";
/// `417` input line was too long.
pub const ERR_INPUTTOOLONG: &str = "417";
/// `410` invalid CAP subcommand.
pub const ERR_INVALIDCAPCMD: &str = "410";
/// `421` unknown command.
pub const ERR_UNKNOWNCOMMAND: &str = "421";
/// `422` there is no message of the day.
pub const ERR_NOMOTD: &str = "422";
/// `431` no nickname given.
pub const ERR_NONICKNAMEGIVEN: &str = "431";
/// `432` erroneous nickname.
pub const ERR_ERRONEUSNICKNAME: &str = "432";
/// `433` nickname is already in use.
pub const ERR_NICKNAMEINUSE: &str = "433";
/// `436` nickname collision.
pub const ERR_NICKCOLLISION: &str = "436";
/// `441` they are not on that channel.
pub const ERR_USERNOTINCHANNEL: &str = "441";
/// `442` you are not on that channel.
pub const ERR_NOTONCHANNEL: &str = "442";
/// `443` they are already on that channel.
pub const ERR_USERONCHANNEL: &str = "443";
/// `451` you have not registered.
pub const ERR_NOTREGISTERED: &str = "451";
/// `461` not enough parameters.
pub const ERR_NEEDMOREPARAMS: &str = "461";
/// `462` you may not reregister.
pub const ERR_ALREADYREGISTERED: &str = "462";
/// `464` password incorrect.
pub const ERR_PASSWDMISMATCH: &str = "464";
/// `471` channel is full (`+l`).
pub const ERR_CHANNELISFULL: &str = "471";
/// `472` unknown mode character.
pub const ERR_UNKNOWNMODE: &str = "472";
/// `473` invite-only channel (`+i`).
pub const ERR_INVITEONLYCHAN: &str = "473";
/// `474` banned from channel.
pub const ERR_BANNEDFROMCHAN: &str = "474";
/// `475` wrong channel key (`+k`).
pub const ERR_BADCHANNELKEY: &str = "475";
/// `476` bad channel name.
pub const ERR_BADCHANMASK: &str = "476";
/// `481` permission denied: you are not an IRC operator.
pub const ERR_NOPRIVILEGES: &str = "481";
/// `482` you are not a channel operator.
pub const ERR_CHANOPRIVSNEEDED: &str = "482";
/// `491` no O-lines for your host (bad OPER credentials).
pub const ERR_NOOPERHOST: &str = "491";
/// `501` unknown user mode flag.
pub const ERR_UMODEUNKNOWNFLAG: &str = "501";
/// `502` cannot change mode for other users.
pub const ERR_USERSDONTMATCH: &str = "502";
/// `696` invalid mode parameter.
pub const ERR_INVALIDMODEPARAM: &str = "696";

/// Is `command` a numeric reply (three digits) rather than a verb?
pub fn is_numeric(command: &str) -> bool {
    command.len() == 3 && command.bytes().all(|b| b.is_ascii_digit())
}

/// Is `command` an error numeric (400-599)?
pub fn is_error(command: &str) -> bool {
    is_numeric(command) && matches!(command.as_bytes()[0], b'4' | b'5')
}
