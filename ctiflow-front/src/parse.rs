//! Stage 1: source text → a JSON tree in which every value keeps its byte range.
//!
//! A small hand-written parser rather than serde_json because the later stages need the span of
//! every key and value, and inline `ctiflow!{...}` input arrives as tokens that the macro crate
//! re-assembles into text with a span side table. Nesting is limited to [`MAX_DEPTH`] so that
//! no input can overflow the stack.

use crate::span::Span;

/// The deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 256;

/// A JSON value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: Kind,
    /// Where it is, quotes and brackets included.
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written and as a double.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in source order (duplicates kept; lookups take the last, as
    /// JavaScript's `JSON.parse` does).
    Object(Vec<Member>),
}

/// A JSON number.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The literal as written.
    pub raw: String,
    /// Its value as an IEEE double, as JavaScript reads it.
    pub value: f64,
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The unescaped key.
    pub key: String,
    /// Where the key is, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Value,
}

impl Value {
    /// The object's members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The member named `key` (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// A syntax error: what was expected and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// Parses one JSON document. A UTF-8 byte-order mark before it is skipped (editors on Windows
/// write one); spans stay offsets into `text`.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut parser = Parser { text, pos: bom };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos < text.len() {
        return Err(parser.error_here("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn error_here(&self, message: &str) -> SyntaxError {
        let end = self.text[self.pos..]
            .chars()
            .next()
            .map_or(self.pos, |c| self.pos + c.len_utf8());
        let found = match self.text[self.pos..].chars().next() {
            Some(c) => format!("found `{}`", c.escape_debug()),
            None => "found the end of the input".to_owned(),
        };
        SyntaxError {
            message: format!("{message}, {found}"),
            span: Span::new(self.pos, end),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.keyword("true", Kind::Bool(true))?,
            Some(b'f') => self.keyword("false", Kind::Bool(false))?,
            Some(b'n') => self.keyword("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            _ => return Err(self.error_here("expected a JSON value")),
        };
        Ok(Value {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    fn enter(&self, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(SyntaxError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                span: Span::new(self.pos, self.pos + 1),
            });
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error_here("expected a string key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(members));
                }
                _ => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                _ => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn keyword(&mut self, word: &str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while let Some(b'0'..=b'9') = p.peek() {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.error_here("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error_here("expected digits after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error_here("expected exponent digits"));
            }
        }
        let raw = &self.text[start..self.pos];
        // The grammar above only admits what f64's parser accepts; large values become inf,
        // which JavaScript would read as Infinity too.
        let value = raw.parse().unwrap_or(f64::NAN);
        Ok(Number {
            raw: raw.to_owned(),
            value,
        })
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error_here("control character in a string")),
                None => return Err(self.error_here("unterminated string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&high)
                    && self.text[self.pos..].starts_with("\\u")
                {
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        self.pos = save;
                        None
                    }
                } else {
                    char::from_u32(high)
                };
                // A lone surrogate cannot be UTF-8; JavaScript keeps it, Rust strings cannot.
                out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            _ => return Err(self.error_here("invalid escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let hex = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        if hex.len() == 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            self.pos += 4;
            u32::from_str_radix(hex, 16).map_err(|_| self.error_here("expected 4 hex digits"))
        } else {
            Err(self.error_here("expected 4 hex digits"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SyntaxError {
        parse(text).expect_err("should not parse")
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_spans_stay_in_the_text() {
        let v = parse("\u{feff}{\"a\": 1}").unwrap();
        assert_eq!(v.span, Span::new(3, 11));
        // Only at the start: elsewhere it is not white space.
        assert!(parse("{\"a\": \u{feff}1}").is_err());
        assert!(parse("\u{feff}\u{feff}{}").is_err());
    }

    #[test]
    fn values_keep_their_spans() {
        let v = parse(r#" {"a": [1, "x\u00e9"], "b": null} "#).unwrap();
        assert_eq!(v.span, Span::new(1, 33));
        let a = v.get("a").unwrap();
        assert_eq!(a.key_span, Span::new(2, 5));
        let Kind::Array(items) = &a.value.kind else {
            panic!("array expected")
        };
        assert_eq!(items[1].kind, Kind::String("xé".into()));
        assert_eq!(items[1].span, Span::new(11, 20));
    }

    #[test]
    fn duplicate_keys_read_the_last() {
        let v = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert!(matches!(&v.get("a").unwrap().value.kind, Kind::Number(n) if n.value == 2.0));
    }

    #[test]
    fn surrogate_pairs_and_lone_surrogates() {
        let v = parse(r#"["\ud83d\ude00", "\ud83d"]"#).unwrap();
        let Kind::Array(items) = v.kind else { panic!() };
        assert_eq!(items[0].as_str(), Some("😀"));
        assert_eq!(items[1].as_str(), Some("\u{fffd}"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(err(r#"{"a": }"#).span, Span::new(6, 7));
        let e = err(r#"{"a": "#);
        assert_eq!(e.span, Span::new(6, 6));
        assert!(e.message.contains("end of the input"), "{}", e.message);
        assert!(
            err(r#"{"a": 1} x"#)
                .message
                .contains("after the JSON value")
        );
        assert!(err(r#""\x""#).message.contains("invalid escape"));
        assert!(err("[01]").message.contains("`,` or `]`"));
        assert!(err("\"ab").message.contains("unterminated"));
        assert!(err("[1.]").message.contains("after `.`"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).message.contains("nesting deeper"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
