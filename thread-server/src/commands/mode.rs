//! MODE (channel `+o +v +b +t +n +m +i +k +l`, user `+i +o`) and OPER.

use std::sync::Arc;

use shared::Message;
use shared::names::{irc_eq, irc_lower, is_channel_name};
use shared::numeric::*;

use super::{has_params, history};
use crate::channel::Channel;
use crate::outgoing::Outgoing;
use crate::registry::Registry;
use crate::session::Session;

/// Most ban masks one channel keeps.
const MAX_BANS: usize = 100;

/// `MODE target [modes [params...]]`.
pub fn mode(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 1) {
        return;
    }
    if is_channel_name(msg.param(0)) {
        channel_mode(s, msg);
    } else {
        user_mode(s, msg);
    }
}

/// One mode change that was applied, for the MODE line others see.
struct Applied {
    sign: char,
    letter: char,
    param: Option<String>,
}

fn channel_mode(s: &mut Session, msg: &Message) {
    let name = msg.param(0);
    let folded = irc_lower(name);
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(channel) = registry.channels.get(&folded) else {
        drop(registry);
        return s.reply(ERR_NOSUCHCHANNEL, &[name, "No such channel"]);
    };
    let display = channel.name.clone();
    let modestring = msg.param(1);
    if modestring.is_empty() {
        let mut params = vec![display.clone()];
        params.extend(channel.modes.describe(channel.has(s.id)));
        let created = channel.created_at.to_string();
        drop(registry);
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        s.reply(RPL_CHANNELMODEIS, &params);
        return s.reply(RPL_CREATIONTIME, &[&display, &created]);
    }
    // `MODE #c b` / `MODE #c +b` with no mask lists the bans; anyone may look.
    if matches!(modestring, "b" | "+b") && msg.params.len() == 2 {
        let bans = channel.bans.clone();
        drop(registry);
        for mask in bans {
            s.reply(RPL_BANLIST, &[&display, &mask]);
        }
        return s.reply(RPL_ENDOFBANLIST, &[&display, "End of channel ban list"]);
    }
    let Some(me) = registry.clients.get(&s.id) else {
        return;
    };
    let (prefix, is_oper) = (me.prefix(), me.oper);
    if !channel.is_op(s.id) && !is_oper {
        drop(registry);
        return s.reply(
            ERR_CHANOPRIVSNEEDED,
            &[&display, "You're not channel operator"],
        );
    }

    let mut args = msg.params.iter().skip(2).map(String::as_str);
    let mut sign = '+';
    let mut applied: Vec<Applied> = Vec::new();
    let mut errors: Vec<(&'static str, Vec<String>)> = Vec::new();
    for letter in modestring.chars() {
        match letter {
            '+' | '-' => sign = letter,
            'i' | 'm' | 'n' | 't' | 'k' | 'l' | 'o' | 'v' | 'b' => {
                let on = sign == '+';
                let needs_arg = matches!(letter, 'o' | 'v' | 'b' | 'k') || (letter == 'l' && on);
                let arg = if needs_arg { args.next() } else { None };
                match apply(&mut registry, &folded, letter, on, arg) {
                    Ok(Some(param)) => applied.push(Applied {
                        sign,
                        letter,
                        param: Some(param),
                    }),
                    Ok(None) => applied.push(Applied {
                        sign,
                        letter,
                        param: None,
                    }),
                    Err(Some(e)) => errors.push(e),
                    Err(None) => {} // no change (already set, or nothing to do)
                }
            }
            other => errors.push((
                ERR_UNKNOWNMODE,
                vec![other.to_string(), "is unknown mode char to me".to_string()],
            )),
        }
    }
    if !applied.is_empty() {
        let mut params = vec![display.clone(), mode_string(&applied)];
        params.extend(applied.into_iter().filter_map(|a| a.param));
        let out = Outgoing::new(Message::new("MODE", params).with_source(prefix));
        history::save_state(s, &registry, &folded);
        super::send_to_channel_and_sender(s, &registry, &folded, &out);
    }
    drop(registry);
    for (numeric, params) in errors {
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        s.reply(numeric, &params);
    }
}

/// `+o-v` from a list of changes, writing each sign only when it changes.
fn mode_string(applied: &[Applied]) -> String {
    let mut out = String::new();
    let mut last = ' ';
    for a in applied {
        if a.sign != last {
            out.push(a.sign);
            last = a.sign;
        }
        out.push(a.letter);
    }
    out
}

type ModeError = (&'static str, Vec<String>);

/// Applies one channel mode change. `Ok(param)` when it changed something (with the parameter
/// to show), `Err(Some(reply))` when it was refused, `Err(None)` when it changed nothing.
fn apply(
    registry: &mut Registry,
    folded: &str,
    letter: char,
    on: bool,
    arg: Option<&str>,
) -> Result<Option<String>, Option<ModeError>> {
    let missing = |letter: char| {
        let text = format!("You must specify a parameter for the {letter} mode");
        Some((ERR_NEEDMOREPARAMS, vec!["MODE".to_string(), text]))
    };
    if matches!(letter, 'o' | 'v') {
        let nick = arg.ok_or_else(|| missing(letter))?;
        let target = registry
            .find_nick(nick)
            .map(|c| (c.id, c.nick.clone()))
            .ok_or_else(|| {
                Some((
                    ERR_NOSUCHNICK,
                    vec![nick.to_string(), "No such nick/channel".into()],
                ))
            })?;
        let channel = channel_mut(registry, folded)?;
        let display = channel.name.clone();
        let member = channel.members.get_mut(&target.0).ok_or_else(|| {
            Some((
                ERR_USERNOTINCHANNEL,
                vec![
                    target.1.clone(),
                    display,
                    "They aren't on that channel".into(),
                ],
            ))
        })?;
        let flag = if letter == 'o' {
            &mut member.op
        } else {
            &mut member.voice
        };
        return if *flag == on {
            Err(None)
        } else {
            *flag = on;
            Ok(Some(target.1))
        };
    }
    let channel = channel_mut(registry, folded)?;
    let modes = &mut channel.modes;
    let flag = match letter {
        'i' => &mut modes.invite_only,
        'm' => &mut modes.moderated,
        'n' => &mut modes.no_external,
        't' => &mut modes.topic_locked,
        'k' => {
            if !on {
                return modes.key.take().map(|_| Some("*".to_string())).ok_or(None);
            }
            let key = arg
                .filter(|k| !k.is_empty() && !k.contains(','))
                .ok_or_else(|| missing('k'))?;
            modes.key = Some(key.to_string());
            return Ok(Some(key.to_string()));
        }
        'l' => {
            if !on {
                return modes.limit.take().map(|_| None).ok_or(None);
            }
            let text = arg.ok_or_else(|| missing('l'))?;
            let limit = text
                .parse::<usize>()
                .ok()
                .filter(|&l| l > 0)
                .ok_or_else(|| {
                    let name = channel.name.clone();
                    Some((
                        ERR_INVALIDMODEPARAM,
                        vec![name, "l".into(), text.to_string(), "Invalid limit".into()],
                    ))
                })?;
            channel.modes.limit = Some(limit);
            return Ok(Some(limit.to_string()));
        }
        'b' => {
            let mask = arg.ok_or_else(|| missing('b'))?.to_string();
            let known = channel.bans.iter().position(|b| irc_eq(b, &mask));
            return match (on, known) {
                (true, None) if channel.bans.len() < MAX_BANS => {
                    channel.bans.push(mask.clone());
                    Ok(Some(mask))
                }
                (false, Some(i)) => Ok(Some(channel.bans.remove(i))),
                _ => Err(None),
            };
        }
        _ => return Err(None),
    };
    if *flag == on {
        return Err(None);
    }
    *flag = on;
    Ok(None)
}

fn channel_mut<'r>(
    registry: &'r mut Registry,
    folded: &str,
) -> Result<&'r mut Channel, Option<ModeError>> {
    registry.channels.get_mut(folded).ok_or(None)
}

fn user_mode(s: &mut Session, msg: &Message) {
    let target = msg.param(0);
    if !irc_eq(target, &s.nick) {
        let numeric = if s.server.lock_registry().find_nick(target).is_some() {
            (ERR_USERSDONTMATCH, "Cant change mode for other users")
        } else {
            (ERR_NOSUCHNICK, "No such nick/channel")
        };
        return if numeric.0 == ERR_NOSUCHNICK {
            s.reply(numeric.0, &[target, numeric.1])
        } else {
            s.reply(numeric.0, &[numeric.1])
        };
    }
    let server = Arc::clone(&s.server);
    let mut registry = server.lock_registry();
    let Some(me) = registry.clients.get_mut(&s.id) else {
        return;
    };
    let modestring = msg.param(1);
    if modestring.is_empty() {
        let modes = me.mode_string();
        drop(registry);
        return s.reply(RPL_UMODEIS, &[&modes]);
    }
    let mut sign = '+';
    let mut changed = String::new();
    let mut last_sign = ' ';
    let mut unknown = false;
    for letter in modestring.chars() {
        let did_change = match letter {
            '+' | '-' => {
                sign = letter;
                continue;
            }
            'i' if me.invisible != (sign == '+') => {
                me.invisible = sign == '+';
                true
            }
            // Operator status is granted only by OPER; it can be dropped with -o.
            'o' if sign == '-' && me.oper => {
                me.oper = false;
                true
            }
            'i' | 'o' => false,
            _ => {
                unknown = true;
                false
            }
        };
        if did_change {
            if sign != last_sign {
                changed.push(sign);
                last_sign = sign;
            }
            changed.push(letter);
        }
    }
    let nick = me.nick.clone();
    drop(registry);
    if !changed.is_empty() {
        let source = s.nick.clone();
        s.send_own(&Message::new("MODE", vec![nick, changed]).with_source(source));
    }
    if unknown {
        s.reply(ERR_UMODEUNKNOWNFLAG, &["Unknown MODE flag"]);
    }
}

/// `OPER name password`: makes the client an IRC operator (user mode `+o`), which lets a
/// teacher kick, set topics and modes in every channel.
pub fn oper(s: &mut Session, msg: &Message) {
    if !has_params(s, msg, 2) {
        return;
    }
    let (name, password) = (msg.param(0), msg.param(1));
    let ok = s
        .server
        .config
        .opers
        .iter()
        .any(|(n, p)| n == name && p == password);
    if !ok {
        return s.reply(ERR_PASSWDMISMATCH, &["Password incorrect"]);
    }
    let nick = {
        let mut registry = s.server.lock_registry();
        let Some(me) = registry.clients.get_mut(&s.id) else {
            return;
        };
        me.oper = true;
        me.nick.clone()
    };
    crate::log!("{} ({}) is now an operator as {name}", s.peer, nick);
    s.reply(RPL_YOUREOPER, &["You are now an IRC operator"]);
    let source = s.nick.clone();
    s.send_own(&Message::new("MODE", vec![nick, "+o".to_string()]).with_source(source));
}
