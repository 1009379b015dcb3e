//! lanchatd: the chat server (being built).

fn main() {}
