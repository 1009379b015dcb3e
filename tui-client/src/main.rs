//! lanchat: the terminal chat client. Parses the command line and hands over to
//! [`tui_client::run`]; prints one clear line when it cannot go on.

use clap::Parser;

fn main() {
    let args = tui_client::args::Args::parse();
    if let Err(e) = tui_client::run(args) {
        eprintln!("lanchat: {e}");
        std::process::exit(1);
    }
}
