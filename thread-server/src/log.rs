//! `log!`: one timestamped line to stderr for connects, disconnects and errors. Deliberately
//! tiny: a classroom server needs a readable console, not a logging framework.

/// Prints `2026-11-22 10:00:00 <message>` to stderr.
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => {
        eprintln!(
            "{} {}",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
            format_args!($($arg)*)
        )
    };
}
