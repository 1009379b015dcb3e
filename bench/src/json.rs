//! A one-line JSON object written by hand, for the report's machine-readable line. A flat
//! object of numbers and two strings does not justify a serde dependency. Used by `report`.

use std::fmt::Write;

/// Builds `{"name":value,...}` one field at a time.
#[derive(Debug, Default)]
pub struct JsonLine {
    fields: String,
}

impl JsonLine {
    /// Adds a field whose value is already JSON (a number, `null`, or a [`json_string`]).
    pub fn raw(&mut self, name: &str, value: &str) {
        if !self.fields.is_empty() {
            self.fields.push(',');
        }
        let _ = write!(self.fields, "{}:{value}", json_string(name));
    }

    /// The finished object, on one line.
    pub fn finish(self) -> String {
        format!("{{{}}}", self.fields)
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
pub fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_json_strings() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn builds_one_object() {
        let mut j = JsonLine::default();
        assert_eq!(JsonLine::default().finish(), "{}");
        j.raw("a", "1");
        j.raw("b", &json_string("x"));
        j.raw("c", "null");
        assert_eq!(j.finish(), "{\"a\":1,\"b\":\"x\",\"c\":null}");
    }
}
