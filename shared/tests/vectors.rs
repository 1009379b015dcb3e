//! Runs every vector of the ircdocs parser-tests suite (CC0, copied unchanged into `data/`)
//! against the `shared` crate: split, join, userhost, hostname and mask matching.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use serde::Deserialize;
use shared::Message;
use shared::names::{is_valid_hostname, mask_matches, split_userhost};

fn load<T: for<'de> Deserialize<'de>>(file: &str) -> T {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[derive(Deserialize)]
struct Suite<T> {
    tests: Vec<T>,
}

#[derive(Deserialize, Default)]
struct Atoms {
    #[serde(default)]
    tags: BTreeMap<String, Option<String>>,
    source: Option<String>,
    verb: String,
    #[serde(default)]
    params: Vec<String>,
}

#[derive(Deserialize)]
struct SplitCase {
    input: String,
    atoms: Atoms,
}

#[test]
fn msg_split() {
    let suite: Suite<SplitCase> = load("msg-split.yaml");
    assert!(suite.tests.len() >= 35);
    for case in suite.tests {
        let msg = Message::parse(&case.input).unwrap_or_else(|e| panic!("{}: {e}", case.input));
        let tags: BTreeMap<String, Option<String>> = msg
            .tags
            .iter()
            .map(|t| (t.key.clone(), Some(t.value.clone())))
            .collect();
        let expected: BTreeMap<String, Option<String>> = case
            .atoms
            .tags
            .into_iter()
            .map(|(k, v)| (k, Some(v.unwrap_or_default())))
            .collect();
        assert_eq!(tags, expected, "tags of {}", case.input);
        assert_eq!(msg.source, case.atoms.source, "source of {}", case.input);
        assert_eq!(msg.command, case.atoms.verb, "verb of {}", case.input);
        assert_eq!(msg.params, case.atoms.params, "params of {}", case.input);
    }
}

#[derive(Deserialize)]
struct JoinCase {
    atoms: Atoms,
    matches: Vec<String>,
}

#[test]
fn msg_join() {
    let suite: Suite<JoinCase> = load("msg-join.yaml");
    assert!(suite.tests.len() >= 18);
    for case in suite.tests {
        let mut msg = Message::new(case.atoms.verb, case.atoms.params);
        msg.source = case.atoms.source;
        for (key, value) in case.atoms.tags {
            msg = msg.with_tag(key, value.unwrap_or_default());
        }
        let line = msg.to_string();
        assert!(
            case.matches.contains(&line),
            "{line:?} not among {:?}",
            case.matches
        );
    }
}

#[derive(Deserialize)]
struct UserhostCase {
    source: String,
    atoms: UserhostAtoms,
}

#[derive(Deserialize)]
struct UserhostAtoms {
    #[serde(default)]
    nick: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    host: String,
}

#[test]
fn userhost_split() {
    let suite: Suite<UserhostCase> = load("userhost-split.yaml");
    assert!(suite.tests.len() >= 7);
    for case in suite.tests {
        let (nick, user, host) = split_userhost(&case.source);
        assert_eq!(nick, case.atoms.nick, "nick of {}", case.source);
        assert_eq!(user, case.atoms.user, "user of {}", case.source);
        assert_eq!(host, case.atoms.host, "host of {}", case.source);
    }
}

#[derive(Deserialize)]
struct HostCase {
    host: String,
    valid: bool,
}

#[test]
fn validate_hostname() {
    let suite: Suite<HostCase> = load("validate-hostname.yaml");
    assert!(suite.tests.len() >= 19);
    for case in suite.tests {
        assert_eq!(is_valid_hostname(&case.host), case.valid, "{:?}", case.host);
    }
}

#[derive(Deserialize)]
struct MaskCase {
    mask: String,
    matches: Vec<String>,
    fails: Vec<String>,
}

#[test]
fn mask_match() {
    let suite: Suite<MaskCase> = load("mask-match.yaml");
    assert!(suite.tests.len() >= 6);
    for case in suite.tests {
        for text in &case.matches {
            assert!(
                mask_matches(&case.mask, text),
                "{} should match {text}",
                case.mask
            );
        }
        for text in &case.fails {
            assert!(
                !mask_matches(&case.mask, text),
                "{} should fail {text}",
                case.mask
            );
        }
    }
}
