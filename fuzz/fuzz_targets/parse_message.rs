//! Fuzz target for `shared::Message::parse`: any input must parse or fail cleanly, and whatever
//! parses must serialize to a line that parses back to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::Message;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(msg) = Message::parse(text) else {
        return;
    };
    let line = msg.to_string();
    let again = Message::parse(&line).expect("a serialized message must parse");
    assert_eq!(again, msg, "round trip changed {text:?} into {line:?}");
    // Helpers used on untrusted input must not panic either.
    let _ = msg.source_nick();
    let _ = shared::names::mask_matches(msg.param(0), msg.param(1));
    let _ = shared::names::is_valid_channel(msg.param(0));
    let _ = shared::names::irc_lower(msg.param(0));
});
