//! JavaScript value semantics (flow-format.md §4): the adapter is JavaScript, so truthiness, text
//! and number conversion, If-else comparisons and key paths follow JavaScript's rules exactly.
//!
//! A value is a JSON value; JavaScript's `undefined` (a reference whose value does not exist) is
//! `None`.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// JavaScript truthiness: `false`, `0`, `-0`, `NaN`, `""`, `null` and `undefined` are falsy;
/// everything else, `"false"`, `"0"`, `{}` and `[]` included, is truthy.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// A value that a text argument cannot take: objects and arrays are not text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotText {
    /// What was found: "an object" or "an array".
    pub found: &'static str,
}

impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected text, found {}", self.found)
    }
}

impl std::error::Error for NotText {}

/// The text a text argument receives: strings as is, booleans `"true"`/`"false"`, numbers in
/// JavaScript's form, `null` → `"null"`; `undefined` is "not given" (`None`).
pub fn to_text(value: Option<&Value>) -> Result<Option<String>, NotText> {
    Ok(Some(match value {
        None => return Ok(None),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(_)) => return Err(NotText { found: "an array" }),
        Some(Value::Object(_)) => return Err(NotText { found: "an object" }),
    }))
}

/// JavaScript's `String(value)`, total: what If-else compares as `string`.
pub fn js_string(value: Option<&Value>) -> String {
    match value {
        None => "undefined".to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Null => String::new(),
                v => js_string(Some(v)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_owned(),
        Some(v) => to_text(Some(v)).ok().flatten().unwrap_or_default(),
    }
}

/// JavaScript's `Number::toString`: the shortest digits that round-trip, in fixed notation for
/// exponents from -7 to 20 and exponential notation (`1e+21`, `1.5e-7`) beyond.
pub fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Rust's `{:e}` prints the shortest round-trip digits: `1.5e21`, `5e-7`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        if k == 1 {
            format!("{digits}e{e}")
        } else {
            format!("{}.{}e{e}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

/// JavaScript's `Number(value)`: `undefined` → NaN, `null` → 0, booleans → 0/1, strings by
/// JavaScript's numeric-literal rules (`""` and blanks → 0, `0x1f`, `Infinity`; else NaN),
/// arrays through their text, objects → NaN.
pub fn to_number(value: Option<&Value>) -> f64 {
    match value {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => string_to_number(s),
        Some(v @ Value::Array(_)) => string_to_number(&js_string(Some(v))),
        Some(Value::Object(_)) => f64::NAN,
    }
}

fn string_to_number(s: &str) -> f64 {
    // JavaScript trims its WhiteSpace and LineTerminator characters, which `char::is_whitespace`
    // covers, plus the BOM.
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if s.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = s.strip_prefix(prefix) {
            return if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) {
                digits
                    .chars()
                    .filter_map(|c| c.to_digit(radix))
                    .fold(0.0, |acc, d| acc * f64::from(radix) + f64::from(d))
            } else {
                f64::NAN
            };
        }
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned == "Infinity" {
        return if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // StrDecimalLiteral: digits with an optional point and exponent; Rust would also accept
    // "inf", "nan" and "infinity", which JavaScript does not.
    let valid = {
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
            None => (unsigned, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        all_digits(int)
            && all_digits(frac)
            && !(int.is_empty() && frac.is_empty())
            && exponent.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && all_digits(e)
            })
    };
    if valid {
        s.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// An If-else comparator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// `===`
    Equal,
    /// `!==` (also `!=`)
    NotEqual,
    /// `>`
    Greater,
    /// `>=` (also `≥`)
    GreaterOrEqual,
    /// `<`
    Less,
    /// `<=` (also `≤`)
    LessOrEqual,
}

impl Comparator {
    /// The comparator written `text` in a flow.
    pub fn parse(text: &str) -> Option<Comparator> {
        Some(match text {
            "===" => Comparator::Equal,
            "!==" | "!=" => Comparator::NotEqual,
            ">" => Comparator::Greater,
            ">=" | "≥" => Comparator::GreaterOrEqual,
            "<" => Comparator::Less,
            "<=" | "≤" => Comparator::LessOrEqual,
            _ => return None,
        })
    }
}

/// How If-else converts its operands before comparing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvaluateAs {
    /// `String(x)`
    String,
    /// `Number(x)`
    Number,
    /// Truthiness.
    Boolean,
}

impl EvaluateAs {
    /// The conversion written `text` in a flow.
    pub fn parse(text: &str) -> Option<EvaluateAs> {
        Some(match text {
            "string" => EvaluateAs::String,
            "number" => EvaluateAs::Number,
            "boolean" => EvaluateAs::Boolean,
            _ => return None,
        })
    }
}

/// If-else: converts both operands per `evaluate_as`, then compares with JavaScript's strict
/// operators. Any comparison with NaN is false, except `!==`.
pub fn compare(
    a: Option<&Value>,
    comparator: Comparator,
    b: Option<&Value>,
    evaluate_as: EvaluateAs,
) -> bool {
    let ordering = match evaluate_as {
        EvaluateAs::String => {
            // JavaScript orders strings by UTF-16 code units.
            let (a, b) = (js_string(a), js_string(b));
            Some(a.encode_utf16().cmp(b.encode_utf16()))
        }
        EvaluateAs::Number => to_number(a).partial_cmp(&to_number(b)),
        EvaluateAs::Boolean => Some(truthy(a).cmp(&truthy(b))),
    };
    match (comparator, ordering) {
        (Comparator::NotEqual, o) => o != Some(Ordering::Equal),
        (_, None) => false,
        (Comparator::Equal, Some(o)) => o == Ordering::Equal,
        (Comparator::Greater, Some(o)) => o == Ordering::Greater,
        (Comparator::GreaterOrEqual, Some(o)) => o != Ordering::Less,
        (Comparator::Less, Some(o)) => o == Ordering::Less,
        (Comparator::LessOrEqual, Some(o)) => o != Ordering::Greater,
    }
}

/// Extract Value's key path: dotted segments below `value`; a numeric segment indexes an array
/// (and names a key of an object). A missing step gives `undefined` (`None`).
pub fn key_path<'a>(value: Option<&'a Value>, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return value;
    }
    path.split('.').try_fold(value?, |v, segment| match v {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => segment
            .parse::<usize>()
            .ok()
            .filter(|_| segment.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|i| items.get(i)),
        _ => None,
    })
}

/// A value a flow can read: what a reference to it evaluates to in JavaScript terms, `None`
/// being `undefined`. Generated code reads typed result fields and converts them through this.
pub trait Js {
    /// The value as JSON, or `undefined`.
    fn js(&self) -> Option<Value>;
}

impl<T: Js + ?Sized> Js for &T {
    fn js(&self) -> Option<Value> {
        (**self).js()
    }
}

impl<T: Js> Js for Option<T> {
    fn js(&self) -> Option<Value> {
        self.as_ref().and_then(Js::js)
    }
}

impl Js for () {
    fn js(&self) -> Option<Value> {
        None
    }
}

impl Js for Value {
    fn js(&self) -> Option<Value> {
        Some(self.clone())
    }
}

impl Js for str {
    fn js(&self) -> Option<Value> {
        Some(Value::String(self.to_owned()))
    }
}

impl Js for String {
    fn js(&self) -> Option<Value> {
        self.as_str().js()
    }
}

impl Js for bool {
    fn js(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl Js for f64 {
    fn js(&self) -> Option<Value> {
        // JSON has no NaN or infinities; JavaScript's `JSON.stringify` writes them as null.
        Some(serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number))
    }
}

impl Js for serde_json::Map<String, Value> {
    fn js(&self) -> Option<Value> {
        Some(Value::Object(self.clone()))
    }
}

impl Js for Vec<Value> {
    fn js(&self) -> Option<Value> {
        Some(Value::Array(self.clone()))
    }
}

/// One step of a path into a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// `.key`
    Key(&'static str),
    /// `[n]`
    Index(usize),
}

/// Follows `path` below `value` as JavaScript's property access does; a missing step gives
/// `undefined`. Keys and indexes are the same property names: `.0` indexes an array as `[0]`
/// does, and `[0]` reads an object's key `"0"`; `length` of an array or a string is a number;
/// an index into a string is its UTF-16 code unit at that place.
pub fn at(value: Option<Value>, path: &[Segment]) -> Option<Value> {
    let mut value = value?;
    for segment in path {
        let index = match segment {
            Segment::Index(i) => Some(*i),
            Segment::Key(k) => array_index(k),
        };
        value = match (value, segment, index) {
            (Value::Array(items), Segment::Key("length"), _) => Value::from(items.len()),
            (Value::String(s), Segment::Key("length"), _) => Value::from(s.encode_utf16().count()),
            (Value::Array(mut items), _, Some(i)) if i < items.len() => items.swap_remove(i),
            (Value::String(s), _, Some(i)) => {
                let unit = s.encode_utf16().nth(i)?;
                let c = char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER);
                Value::String(c.to_string())
            }
            (Value::Object(mut map), Segment::Key(k), _) => map.remove(*k)?,
            (Value::Object(mut map), Segment::Index(i), _) => map.remove(&i.to_string())?,
            _ => return None,
        };
    }
    Some(value)
}

/// The array index a property name denotes in JavaScript: its canonical decimal form only
/// (`"0"`, `"12"`; not `"01"`, `"+1"` or `" 1"`).
fn array_index(key: &str) -> Option<usize> {
    let canonical =
        key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    if canonical && !key.is_empty() {
        key.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_read_properties_as_javascript_does() {
        let v = json!({"list": ["a", "b"], "0": "zero", "text": "héllo😀"});
        let read = |path: &[Segment]| at(Some(v.clone()), path);
        use Segment::{Index, Key};
        assert_eq!(read(&[Key("list"), Key("1")]), Some(json!("b")));
        assert_eq!(read(&[Key("list"), Index(1)]), Some(json!("b")));
        assert_eq!(read(&[Key("list"), Key("01")]), None);
        assert_eq!(read(&[Key("list"), Key("")]), None);
        assert_eq!(read(&[Key("list"), Key("length")]), Some(json!(2)));
        assert_eq!(read(&[Index(0)]), Some(json!("zero")));
        assert_eq!(read(&[Key("text"), Key("length")]), Some(json!(7)));
        assert_eq!(read(&[Key("text"), Index(1)]), Some(json!("é")));
        assert_eq!(read(&[Key("text"), Key("5")]), Some(json!("\u{fffd}")));
        assert_eq!(read(&[Key("text"), Index(9)]), None);
        assert_eq!(read(&[Key("list"), Index(2)]), None);
    }

    #[test]
    fn truthiness() {
        let cases = [
            (json!(false), false),
            (json!(0), false),
            (json!(-0.0), false),
            (json!(""), false),
            (json!(null), false),
            (json!(true), true),
            (json!("false"), true),
            (json!("0"), true),
            (json!("null"), true),
            (json!({}), true),
            (json!([]), true),
            (json!(-1.5), true),
        ];
        for (value, expected) in cases {
            assert_eq!(truthy(Some(&value)), expected, "{value}");
        }
        assert!(!truthy(None));
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (-0.0, "0"),
            (100.0, "100"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e21, "1.5e+21"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (-42.0, "-42"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
        ];
        for (x, expected) in cases {
            assert_eq!(number_to_string(x), expected, "{x:?}");
        }
    }

    #[test]
    fn text_conversion() {
        assert_eq!(to_text(Some(&json!("a"))), Ok(Some("a".into())));
        assert_eq!(to_text(Some(&json!(true))), Ok(Some("true".into())));
        assert_eq!(to_text(Some(&json!(1e21))), Ok(Some("1e+21".into())));
        assert_eq!(to_text(Some(&json!(null))), Ok(Some("null".into())));
        assert_eq!(to_text(None), Ok(None));
        assert_eq!(
            to_text(Some(&json!({}))),
            Err(NotText { found: "an object" })
        );
        assert_eq!(
            to_text(Some(&json!([1]))),
            Err(NotText { found: "an array" })
        );
        assert_eq!(js_string(Some(&json!([1, null, "a"]))), "1,,a");
        assert_eq!(js_string(Some(&json!({"a": 1}))), "[object Object]");
        assert_eq!(js_string(None), "undefined");
    }

    #[test]
    fn number_conversion() {
        let cases = [
            (json!(""), 0.0),
            (json!("  "), 0.0),
            (json!(" 42 "), 42.0),
            (json!("1.5e3"), 1500.0),
            (json!(".5"), 0.5),
            (json!("5."), 5.0),
            (json!("+7"), 7.0),
            (json!("-Infinity"), f64::NEG_INFINITY),
            (json!("0x1F"), 31.0),
            (json!("0b101"), 5.0),
            (json!(null), 0.0),
            (json!(true), 1.0),
            (json!([]), 0.0),
            (json!(["7"]), 7.0),
        ];
        for (value, expected) in cases {
            assert_eq!(to_number(Some(&value)), expected, "{value}");
        }
        for nan in [
            json!("abc"),
            json!("1,5"),
            json!("inf"),
            json!("nan"),
            json!("infinity"),
            json!("0x"),
            json!("-0x1"),
            json!("1e"),
            json!("."),
            json!({}),
            json!([1, 2]),
        ] {
            assert!(to_number(Some(&nan)).is_nan(), "{nan}");
        }
        assert!(to_number(None).is_nan());
    }

    #[test]
    fn if_else_comparisons() {
        use Comparator::{Equal, Less};
        use EvaluateAs::{Boolean, Number, String};
        let cases: &[(Value, &str, Value, EvaluateAs, bool)] = &[
            (json!("a"), "===", json!("a"), String, true),
            (json!(1), "===", json!("1"), String, true),
            (json!(1), "===", json!("1.0"), String, false),
            (json!(1), "===", json!("1.0"), Number, true),
            (json!("10"), ">", json!("9"), String, false),
            (json!("10"), ">", json!("9"), Number, true),
            (json!(""), "===", json!(0), Number, true),
            (json!("abc"), "===", json!("abc"), Number, false),
            (json!("abc"), "!==", json!("abc"), Number, true),
            (json!("abc"), "!=", json!("abc"), Number, true),
            (json!("abc"), "<=", json!(1), Number, false),
            (json!("abc"), ">=", json!(1), Number, false),
            (json!("0"), "===", json!(true), Boolean, true),
            (json!("false"), "===", json!(true), Boolean, true),
            (json!(""), "<", json!("x"), Boolean, true),
            (json!(3), "≥", json!(3), Number, true),
            (json!(3), "≤", json!(2), Number, false),
            (json!("\u{ff61}"), "<", json!("\u{1f600}"), String, false),
        ];
        for (a, op, b, eval, expected) in cases {
            let comparator = Comparator::parse(op).unwrap();
            assert_eq!(
                compare(Some(a), comparator, Some(b), *eval),
                *expected,
                "{a} {op} {b} as {eval:?}"
            );
        }
        assert!(!compare(None, Equal, Some(&json!("")), String));
        assert!(compare(None, Equal, Some(&json!("undefined")), String));
        assert!(!compare(None, Less, Some(&json!(1)), Number));
        assert_eq!(Comparator::parse("=="), None);
        assert_eq!(EvaluateAs::parse("int"), None);
    }

    #[test]
    fn key_paths() {
        let record = json!({"AccountId": "001", "Contacts": [{"Id": "003"}], "result": {"contact": {"name": "Ann"}}, "0": "zero"});
        let cases = [
            ("AccountId", Some(json!("001"))),
            ("Contacts.0.Id", Some(json!("003"))),
            ("result.contact.name", Some(json!("Ann"))),
            ("0", Some(json!("zero"))),
            ("Contacts.1.Id", None),
            ("Contacts.x", None),
            ("AccountId.length", None),
            ("missing.deeper", None),
            ("", Some(record.clone())),
        ];
        for (path, expected) in cases {
            assert_eq!(key_path(Some(&record), path).cloned(), expected, "{path}");
        }
        assert_eq!(key_path(None, "a"), None);
    }
}
