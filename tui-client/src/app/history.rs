//! Server-side history in the client (IRCv3 `batch`, `draft/chathistory`): lines tagged with
//! an open batch are held back until `BATCH -`, then a `chathistory` batch is merged into its
//! buffer by time, marked as history and without repeats (by `msgid`). Scrolling past the top
//! of a channel asks for older lines with `CHATHISTORY BEFORE`; `FAIL` replies become sentences.

use std::collections::{HashMap, VecDeque};

use shared::Message;

use super::App;
use crate::buffer::{BufferKind, Line, LineKind, MAX_LINES, Older};
use crate::sanitize::plain;

/// Messages asked for per `CHATHISTORY BEFORE` (fewer when the server's limit is lower).
pub const PAGE: usize = 50;

/// Most batches open at once; a server opening more gets their lines shown as they come.
const MAX_OPEN_BATCHES: usize = 32;

/// History bookkeeping that lives beside the buffers.
#[derive(Debug, Default)]
pub(super) struct HistoryState {
    /// Batches opened with `BATCH +ref` and not closed yet, by reference tag.
    batches: HashMap<String, Batch>,
    /// The ISUPPORT `CHATHISTORY=` value: most messages per request (0 means no limit).
    limit: Option<usize>,
}

/// One open batch: its type (`chathistory`, ...), first parameter and the lines so far.
#[derive(Debug)]
struct Batch {
    kind: String,
    target: String,
    messages: VecDeque<Message>,
}

impl App {
    /// Sets the server's per-request limit from the ISUPPORT token `CHATHISTORY=N`.
    pub(super) fn set_chathistory_limit(&mut self, value: &str) {
        self.history.limit = value.parse().ok();
    }

    /// Keeps `msg` back when its `batch` tag names an open batch; gives it back otherwise.
    pub(super) fn hold_if_batched(&mut self, msg: Message) -> Option<Message> {
        let open = msg
            .tag("batch")
            .and_then(|reference| self.history.batches.get_mut(reference));
        match open {
            Some(batch) => {
                // A buffer keeps MAX_LINES at most, so holding more would only cost memory.
                if batch.messages.len() >= MAX_LINES {
                    batch.messages.pop_front();
                }
                batch.messages.push_back(msg);
                None
            }
            None => Some(msg),
        }
    }

    /// `BATCH +ref type [params]` opens a batch; `BATCH -ref` closes and applies it.
    pub(super) fn on_batch(&mut self, msg: &Message) -> Vec<Message> {
        let reference = msg.param(0);
        if let Some(reference) = reference.strip_prefix('+') {
            if self.history.batches.len() >= MAX_OPEN_BATCHES {
                return Vec::new();
            }
            let batch = Batch {
                kind: msg.param(1).to_ascii_lowercase(),
                target: msg.param(2).to_string(),
                messages: VecDeque::new(),
            };
            self.history.batches.insert(reference.to_string(), batch);
            return Vec::new();
        }
        let Some(batch) = reference
            .strip_prefix('-')
            .and_then(|r| self.history.batches.remove(r))
        else {
            return Vec::new();
        };
        if batch.kind == "chathistory" {
            self.apply_history(batch);
            return Vec::new();
        }
        // Batch types the client has no special view for: their lines, as if live.
        let mut out = Vec::new();
        for held in batch.messages {
            out.extend(self.on_server(held));
        }
        out
    }

    /// Merges a finished `chathistory` batch into the buffers its lines belong to.
    fn apply_history(&mut self, batch: Batch) {
        let mut per_buffer: Vec<(usize, Vec<Line>)> = Vec::new();
        for msg in &batch.messages {
            let Some((index, mut line)) = self.history_line(msg) else {
                continue;
            };
            line.history = true;
            match per_buffer.iter_mut().find(|(i, _)| *i == index) {
                Some((_, lines)) => lines.push(line),
                None => per_buffer.push((index, vec![line])),
            }
        }
        let target = self.find(&batch.target);
        let mut added_to_target = 0;
        for (index, lines) in per_buffer {
            let buffer = &mut self.buffers[index];
            let (added, below) = buffer.insert_history(lines);
            if buffer.scroll > 0 {
                // Lines that landed under the top move the view; keep it on what is read.
                buffer.scroll += below;
            }
            if Some(index) == target {
                added_to_target = added;
            }
        }
        if let Some(i) = target
            && self.buffers[i].older == Older::Loading
        {
            // The answer to our request: nothing new means the channel's history ends here.
            self.buffers[i].older = if added_to_target == 0 {
                Older::NoMore
            } else {
                Older::MayExist
            };
        }
        // The loading marker is gone: keep the scroll position within the rows left.
        self.scroll_by(0);
        self.dirty = true;
    }

    /// The buffer and line for one replayed message; `None` for what history does not show.
    fn history_line(&mut self, msg: &Message) -> Option<(usize, Line)> {
        if !matches!(msg.verb().as_str(), "PRIVMSG" | "NOTICE") {
            return None;
        }
        let time = self.stamp(msg);
        let from = msg.source_nick().to_string();
        let (index, mut line) = self.chat_line(msg, &from, time)?;
        let from_server = !msg.source.as_deref().unwrap_or("").contains('!');
        if from_server && line.kind == LineKind::Notice {
            // Topic changes and kicks are stored as server notices: show them as events.
            line.kind = LineKind::Info;
            line.nick.clear();
        }
        Some((index, line))
    }

    /// Scrolling went past the top of the buffer in view: ask for the page before its oldest
    /// line, once, when the server can answer and there may be more.
    pub(super) fn request_older(&mut self) -> Vec<Message> {
        let supported = self.history.limit.is_some()
            || self
                .caps
                .iter()
                .any(|c| c == "draft/chathistory" || c == "chathistory");
        let page = match self.history.limit {
            Some(limit) if limit > 0 => PAGE.min(limit),
            _ => PAGE,
        };
        let buffer = self.current();
        let wanted = self.online()
            && supported
            && buffer.kind == BufferKind::Channel
            && buffer.joined
            && buffer.older == Older::MayExist
            // Room for the page, so it is not dropped again straight away.
            && buffer.lines.len() + page <= MAX_LINES;
        let Some(oldest) = buffer.oldest_msgid().filter(|_| wanted) else {
            return Vec::new();
        };
        let request = Message::new(
            "CHATHISTORY",
            vec![
                "BEFORE".into(),
                buffer.name.clone(),
                format!("msgid={oldest}"),
                page.to_string(),
            ],
        );
        self.buffers[self.active].older = Older::Loading;
        // Bring the new "loading older messages" row at the top into view.
        self.scroll_by(1);
        vec![request]
    }

    /// `FAIL <command> <code> [context...] :<description>`, as a sentence.
    pub(super) fn on_fail(&mut self, msg: &Message) {
        let command = msg.param(0).to_ascii_uppercase();
        let code = msg.param(1);
        let description = if msg.params.len() >= 3 {
            plain(msg.params.last().map(String::as_str).unwrap_or(""))
        } else {
            String::new()
        };
        let reason = if description.is_empty() {
            String::new()
        } else {
            format!(" ({description})")
        };
        if command != "CHATHISTORY" {
            self.note_here(LineKind::Error, format!("{command} failed{reason}"));
            return;
        }
        // CHATHISTORY's context is the subcommand, then the target when there is one.
        let target = (msg.params.len() >= 5).then(|| msg.param(3).to_string());
        let index = target.as_deref().and_then(|t| self.find(t));
        for (i, buffer) in self.buffers.iter_mut().enumerate() {
            if buffer.older == Older::Loading && index.is_none_or(|t| t == i) {
                // That request will not be answered, and asking again would fail the same way.
                buffer.older = Older::Failed;
            }
        }
        let name = target.unwrap_or_else(|| "this channel".to_string());
        let text = match code {
            "INVALID_TARGET" => format!("The server keeps no history of {name} you may read"),
            "MESSAGE_ERROR" => format!("The server could not read the history of {name}"),
            "UNKNOWN_COMMAND" => "The server cannot page back through history".to_string(),
            "INVALID_PARAMS" | "NEED_MORE_PARAMS" => {
                format!("The server refused the request for older messages of {name}")
            }
            _ => format!("Older messages of {name} could not be loaded"),
        };
        let line = Line::new(self.now(), LineKind::Error, format!("{text}{reason}"));
        self.push_line(index.unwrap_or(self.active), line);
        self.scroll_by(0);
    }

    /// The connection dropped: open batches never end, and pending requests get no answer.
    pub(super) fn forget_history_requests(&mut self) {
        self.history.batches.clear();
        for buffer in &mut self.buffers {
            if matches!(buffer.older, Older::Loading | Older::Failed) {
                buffer.older = Older::MayExist;
            }
        }
    }
}
