//! lanchat-bench: command-line entry point. Parses the options, runs one benchmark against an
//! IRC server on loopback, prints a readable table and then one JSON line on stdout.

use clap::Parser;
use lanchat_bench::{Config, run};

fn main() {
    let config = Config::parse();
    match run(&config) {
        Ok(report) => {
            print!("{}", report.table());
            println!("{}", report.json());
        }
        Err(why) => {
            eprintln!("lanchat-bench: {why}");
            std::process::exit(1);
        }
    }
}
