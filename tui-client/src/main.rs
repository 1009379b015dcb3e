//! lanchat: the terminal chat client (built in the client issue).

fn main() {
    eprintln!("lanchat: the client is not built yet");
    std::process::exit(1);
}
