//! `lanchatd`: parses the command line and runs the server (all the work is in the library).

use clap::Parser;

fn main() {
    let config = thread_server::Config::parse();
    if let Err(e) = thread_server::run(config) {
        eprintln!("lanchatd: {e}");
        std::process::exit(1);
    }
}
