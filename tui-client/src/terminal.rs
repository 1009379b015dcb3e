//! The real terminal: raw mode, alternate screen, mouse and bracketed paste on entry, all
//! undone on exit by a guard's `Drop` and by the panic hook, so the shell is always usable
//! again. Also the input thread that turns crossterm events into `Event`s.

use std::io::{self, Stdout, Write, stdout};
use std::sync::mpsc::Sender;
use std::thread;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self as ct, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste,
    EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::event::Event;

/// The terminal in raw mode; dropping it restores the terminal.
pub struct TerminalGuard {
    /// The ratatui terminal to draw on.
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen and installs the restoring panic hook.
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let entered = execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        );
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(stdout())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Rings the terminal bell (tmux turns it into a window flag).
    pub fn bell(&mut self) {
        let mut out = stdout();
        let _ = out.write_all(b"\x07");
        let _ = out.flush();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

/// Leaves the alternate screen and raw mode; safe to call more than once.
pub fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// Restores the terminal before the default panic message prints, so it is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Starts the input thread: crossterm events become `Event`s until the UI loop is gone.
pub fn spawn_input(events: Sender<Event>) -> io::Result<()> {
    thread::Builder::new()
        .name("lanchat-input".into())
        .spawn(move || {
            loop {
                let event = match ct::read() {
                    Ok(ct::Event::Key(key)) => Event::Key(key),
                    Ok(ct::Event::Mouse(mouse)) => Event::Mouse(mouse),
                    Ok(ct::Event::Paste(text)) => Event::Paste(text),
                    Ok(ct::Event::Resize(w, h)) => Event::Resize(w, h),
                    Ok(_) => continue,
                    Err(_) => return,
                };
                if events.send(event).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}
