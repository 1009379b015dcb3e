//! `log!`: one timestamped line to stderr for connects, disconnects and errors. Deliberately
//! tiny: a classroom server needs a readable console, not a logging framework.

/// Prints `2026-11-22 10:00:00 <message>` to stderr. Write errors are ignored on purpose:
/// when the terminal is gone (tmux pane killed), logging must not panic and take down the
/// thread that was logging (the Ctrl-C handler, a session's cleanup).
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "{} {}",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
            format_args!($($arg)*)
        );
    }};
}
