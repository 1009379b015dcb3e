//! lanchat-bench: load generator for IRC servers (built in the benchmark issue).

fn main() {
    eprintln!("lanchat-bench: not built yet");
    std::process::exit(1);
}
