//! JavaScript value semantics (flow-format.md §4): the adapter is JavaScript, so truthiness, text
//! and number conversion, If-else comparisons and key paths follow JavaScript's rules exactly.
//!
//! A value is a JSON value; JavaScript's `undefined` (a reference whose value does not exist) is
//! `None`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde_json::{Number, Value};

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

/// JavaScript's `Number::toString`: the shortest digits that round-trip, the nearer of two
/// candidates (the even one on a tie, as ECMAScript recommends and V8 does: 2^-25 prints
/// `2.9802322387695312e-8`), in fixed notation for exponents from -7 to 20 and exponential
/// notation (`1e+21`, `1.5e-7`) beyond.
pub fn number_to_string(x: f64) -> String {
    if x == 0.0 {
        // `-0` too.
        return "0".to_owned();
    }
    ryu_js::Buffer::new().format(x).to_owned()
}

/// The JSON number JavaScript's `JSON.stringify` writes for `x`, as a [`Value`]: an integral `x`
/// as an integer with JavaScript's digits (`1`, not `1.0`; 2^60 as `1152921504606847000`), `-0`
/// as `0`, NaN and the infinities as `null`. Every double the runtime turns into a value or
/// serializes goes through this.
///
/// `Value` holds integers only within `i64`/`u64`; an integral `x` beyond them (`1e20`) stays a
/// float, which serde_json writes in its own notation (`1e20`, where JavaScript writes
/// `100000000000000000000`): the same number, other text. So do non-integral numbers
/// (`0.000001` is written `1e-6`).
pub fn number_to_json(x: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is a double
    if !x.is_finite() {
        return Value::Null;
    }
    if x.trunc() == x {
        if x.abs() < EXACT {
            return Value::from(x as i64);
        }
        // JavaScript's digits, padded with zeros: they read back as `x`, and so does the
        // integer they spell, which `Value` keeps when it fits.
        let text = number_to_string(x);
        if let Ok(n) = text.parse::<u64>() {
            return Value::from(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return Value::from(n);
        }
    }
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// `#[serde(serialize_with = "ctiflow_runtime::value::serialize_number")]` for an `f64` field:
/// serialized as [`number_to_json`] gives it, so `1.0` is written `1`.
pub fn serialize_number<S: serde::Serializer>(x: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&number_to_json(*x), serializer)
}

/// `value` with every number as JavaScript holds and writes it ([`number_to_json`] of the
/// number's double): what `JSON.parse` then `JSON.stringify` gives. `9007199254740993` becomes
/// `9007199254740992`, `1.0` becomes `1`, `-0.0` becomes `0`.
pub fn js_json(value: Value) -> Value {
    match value {
        Value::Number(n) if n.as_i64().is_some_and(|i| i.unsigned_abs() < 1 << 53) => {
            Value::Number(n)
        }
        Value::Number(n) => number_to_json(n.as_f64().unwrap_or(f64::NAN)),
        Value::Array(items) => Value::Array(items.into_iter().map(js_json).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, js_json(v))).collect())
        }
        other => other,
    }
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

/// JavaScript's WhiteSpace and LineTerminator, which `Number()` and `trim()` remove: Unicode's
/// White_Space without U+0085 (NEXT LINE), plus U+FEFF (the BOM).
pub fn is_js_space(c: char) -> bool {
    const SPACES: &[char] = &[
        '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{a0}', '\u{1680}', '\u{2028}', '\u{2029}',
        '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}',
    ];
    SPACES.contains(&c) || ('\u{2000}'..='\u{200a}').contains(&c)
}

fn string_to_number(s: &str) -> f64 {
    let s = s.trim_matches(is_js_space);
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
                radix_to_number(digits, radix)
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
        // Correctly rounded, whatever the length.
        s.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// Validated digits in radix 2, 8 or 16, rounded once to the nearest double (ties to even), as
/// JavaScript does: the leading 61 to 64 bits, with any nonzero bit below them folded into the
/// lowest (sticky) bit, then one correctly rounded conversion and an exact scaling.
fn radix_to_number(digits: &str, radix: u32) -> f64 {
    let width = radix.trailing_zeros();
    let mut top: u64 = 0;
    let mut dropped: i32 = 0;
    let mut sticky = false;
    for d in digits.chars().filter_map(|c| c.to_digit(radix)) {
        if top >> (64 - width) == 0 {
            top = top << width | u64::from(d);
        } else {
            dropped = dropped.saturating_add(width as i32);
            sticky |= d != 0;
        }
    }
    let rounded = (top | u64::from(sticky)) as f64;
    if dropped == 0 {
        rounded
    } else if dropped > 1023 {
        f64::INFINITY
    } else {
        // 2^dropped, exactly; an overflowing product is Infinity, as in JavaScript.
        rounded * f64::from_bits(((1023 + dropped) as u64) << 52)
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

/// Extract Value's key path: JavaScript's
/// `path.split('.').reduce((v, key) => v == null ? undefined : v[key], value)`. Each dotted
/// segment is a [`property`]: an object's key, an array's element by canonical index (`0`, `1`,
/// not `01`), a string's character, or the `length` of an array or string. A missing step gives
/// `undefined` (`None`), and so does the empty path, which asks for the key `""`.
pub fn key_path(value: Option<&Value>, path: &str) -> Option<Value> {
    path.split('.')
        .try_fold(Cow::Borrowed(value?), |v, key| match v {
            Cow::Borrowed(v) => property(v, key),
            Cow::Owned(v) => property(&v, key).map(|p| Cow::Owned(p.into_owned())),
        })
        .map(Cow::into_owned)
}

/// JavaScript's `value[key]` over a JSON value's own properties: an object's entries (`__proto__`
/// included when it is a key), an array's elements by canonical index and its `length`, a
/// string's UTF-16 code units by canonical index and its `length`. Booleans, numbers and `null`
/// have none. Inherited properties (`toString`, `constructor`, a missing `__proto__`...) are
/// functions or prototypes in JavaScript, not values a flow can hold; here they are `undefined`.
/// A string index that lands on half of a surrogate pair gives U+FFFD, which Rust strings hold
/// in its place.
pub fn property<'a>(value: &'a Value, key: &str) -> Option<Cow<'a, Value>> {
    match value {
        Value::Object(map) => map.get(key).map(Cow::Borrowed),
        Value::Array(items) if key == "length" => Some(Cow::Owned(Value::from(items.len()))),
        Value::Array(items) => items.get(array_index(key)?).map(Cow::Borrowed),
        Value::String(s) if key == "length" => {
            Some(Cow::Owned(Value::from(s.encode_utf16().count())))
        }
        Value::String(s) => {
            let unit = s.encode_utf16().nth(array_index(key)?)?;
            let c = char::decode_utf16([unit])
                .next()
                .and_then(Result::ok)
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            Some(Cow::Owned(Value::String(c.to_string())))
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// A canonical array index: `0`, or digits without a leading zero (`"01"`, `"+1"`, `"1.0"` and
/// `"-0"` name no element in JavaScript).
fn array_index(key: &str) -> Option<usize> {
    let canonical = key == "0"
        || (key
            .bytes()
            .next()
            .is_some_and(|b| (b'1'..=b'9').contains(&b))
            && key.bytes().all(|b| b.is_ascii_digit()));
    if canonical { key.parse().ok() } else { None }
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
        Some(number_to_json(*self))
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
pub enum Segment<'a> {
    /// `.key`
    Key(&'a str),
    /// `[n]`
    Index(usize),
}

/// Follows `path` below `value` as JavaScript's property access does (see [`property`]): `.key`
/// and `[n]` are `value["key"]` and `value["n"]`; a missing step gives `undefined`.
pub fn at(value: Option<Value>, path: &[Segment<'_>]) -> Option<Value> {
    let mut value = value?;
    for segment in path {
        let index;
        let key = match segment {
            Segment::Key(k) => *k,
            Segment::Index(i) => {
                index = i.to_string();
                &index
            }
        };
        value = match value {
            Value::Object(mut map) => map.remove(key)?,
            Value::Array(mut items) if key != "length" => {
                let i = array_index(key).filter(|i| *i < items.len())?;
                items.swap_remove(i)
            }
            other => property(&other, key)?.into_owned(),
        };
    }
    Some(value)
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

    // Issue 12 item 16: V8 breaks ties between two shortest candidates towards the even digit.
    #[test]
    fn number_printing_breaks_ties_to_even() {
        assert_eq!(number_to_string(2f64.powi(-25)), "2.9802322387695312e-8");
        assert_eq!(
            number_to_string(-(2f64.powi(-25))),
            "-2.9802322387695312e-8"
        );
        assert_eq!(
            js_string(Some(&json!(2f64.powi(-25)))),
            "2.9802322387695312e-8"
        );
    }

    // Issue 12 item 5: numbers become JSON as `JSON.stringify` writes them.
    #[test]
    fn numbers_become_json_as_javascript_writes_them() {
        let text = |x: f64| number_to_json(x).to_string();
        assert_eq!(text(1.0), "1");
        assert_eq!(text(-42.0), "-42");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(1e-7), "1e-7");
        assert_eq!(text(f64::NAN), "null");
        assert_eq!(text(f64::INFINITY), "null");
        assert_eq!(text(f64::NEG_INFINITY), "null");
        assert_eq!(text(9007199254740992.0), "9007199254740992");
        assert_eq!(text(2f64.powi(60)), "1152921504606847000");
        assert_eq!(text(-(2f64.powi(62))), "-4611686018427388000");
        assert_eq!(text(18446744073709549568.0), "18446744073709550000");
        // Beyond u64 it stays a float: the same number, serde_json's text.
        assert_eq!(number_to_json(1e20).as_f64(), Some(1e20));
        assert!(number_to_json(1e20).is_f64());
        // Every integer form reads back as the same double.
        for x in [
            2f64.powi(60),
            -(2f64.powi(62)),
            18446744073709549568.0,
            123456789e10,
        ] {
            assert_eq!(number_to_json(x).as_f64(), Some(x), "{x}");
        }
        assert_eq!(1.0.js(), Some(json!(1)));
        assert_eq!(json!({"x": 1.0}).js(), Some(json!({"x": 1.0})));

        #[derive(serde::Serialize)]
        struct Counted {
            #[serde(serialize_with = "serialize_number")]
            n: f64,
        }
        assert_eq!(
            serde_json::to_string(&Counted { n: 3.0 }).unwrap(),
            r#"{"n":3}"#
        );
        assert_eq!(
            serde_json::to_string(&Counted { n: f64::NAN }).unwrap(),
            r#"{"n":null}"#
        );
    }

    #[test]
    fn js_json_keeps_javascripts_meaning_of_numbers() {
        let v: Value = serde_json::from_str(
            r#"{"big": 9007199254740993, "f": 1.0, "z": -0.0, "l": [2.5, -7]}"#,
        )
        .unwrap();
        assert_eq!(
            js_json(v).to_string(),
            r#"{"big":9007199254740992,"f":1,"l":[2.5,-7],"z":0}"#
        );
    }

    // Issue 12 item 16: payload numbers are read as JSON.parse reads them (serde_json's
    // `float_roundtrip` feature).
    #[test]
    fn json_numbers_are_read_correctly_rounded() {
        let read = |text: &str| serde_json::from_str::<Value>(text).map(|v| v.as_f64());
        assert_eq!(read("2.4703282292062328e-324").unwrap(), Some(5e-324));
        assert_eq!(read("1.7976931348623158e308").unwrap(), Some(f64::MAX));
        assert_eq!(
            read("2.840533852577209472656250000000000e-7").unwrap(),
            Some(f64::from_bits(0x3e93_1000_0000_0000))
        );
        assert_eq!(read("9007199254740993").unwrap(), Some(9007199254740992.0));
        // JavaScript reads these as Infinity; a `Value` cannot hold it (README).
        assert!(read("1e400").is_err());
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

    // Issue 12 item 16: JavaScript trims its own white space, which is not Unicode's.
    #[test]
    fn number_trims_javascript_white_space_only() {
        let spaces = [
            '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{a0}', '\u{1680}', '\u{2000}', '\u{2005}',
            '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}',
        ];
        for c in spaces {
            assert_eq!(string_to_number(&format!("{c}7{c}")), 7.0, "{c:?}");
            assert_eq!(string_to_number(&c.to_string()), 0.0, "{c:?}");
        }
        for c in [
            '\u{85}', '\u{180e}', '\u{200b}', '\u{2060}', '\u{1c}', '\u{0}',
        ] {
            assert!(string_to_number(&format!("7{c}")).is_nan(), "{c:?}");
            assert!(string_to_number(&format!("{c}7")).is_nan(), "{c:?}");
            assert!(string_to_number(&c.to_string()).is_nan(), "{c:?}");
        }
        assert!(to_number(Some(&json!("7\u{85}"))).is_nan());
    }

    // Issue 12 item 16: long 0x/0o/0b literals are rounded once, to nearest, ties to even.
    #[test]
    fn radix_literals_round_once() {
        let cases = [
            ("0x200000000000011".to_owned(), 144115188075855904.0),
            ("0x1fffffffffffff8".to_owned(), 144115188075855872.0),
            ("0x1fffffffffffff7".to_owned(), 144115188075855856.0),
            (
                "0x1fffffffffffff7000000000001".to_owned(),
                4.0564819207303336e31,
            ),
            ("0b".to_owned() + &"1".repeat(54), 18014398509481984.0),
            ("0o".to_owned() + &"7".repeat(30), 1.2379400392853803e27),
            ("0x".to_owned() + &"f".repeat(255), 1.1235582092889474e307),
            ("0x".to_owned() + &"f".repeat(256), f64::INFINITY),
            ("0x".to_owned() + &"0".repeat(300) + "1F", 31.0),
            ("0XfF".to_owned(), 255.0),
        ];
        for (text, expected) in cases {
            assert_eq!(string_to_number(&text), expected, "{text}");
        }
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
            ("missing.deeper", None),
        ];
        for (path, expected) in cases {
            assert_eq!(key_path(Some(&record), path), expected, "{path}");
        }
        assert_eq!(key_path(None, "a"), None);
    }

    // Issue 12 item 16: key paths read properties as JavaScript does.
    #[test]
    fn key_paths_follow_javascript_property_access() {
        let v = json!({
            "list": ["a", "b", "c"],
            "name": "Ann😀",
            "": {"": "empty keys"},
            "__proto__": "own",
            "n": 5,
        });
        let cases = [
            // `"01"`, `"+1"`, `"1e0"`, `"-0"` are not array indices.
            ("list.01", None),
            ("list.+1", None),
            ("list.1e0", None),
            ("list.1.0", Some(json!("b"))),
            ("list.-0", None),
            ("list.1", Some(json!("b"))),
            ("list.3", None),
            ("list.99999999999999999999", None),
            // The empty path asks for the key "", as `"".split('.')` gives `[""]`.
            ("", Some(json!({"": "empty keys"}))),
            (".", Some(json!("empty keys"))),
            ("list.", None),
            // `length` of arrays and strings (UTF-16 code units), and string indices.
            ("list.length", Some(json!(3))),
            ("name.length", Some(json!(5))),
            ("name.0", Some(json!("A"))),
            ("name.0.length", Some(json!(1))),
            ("name.3", Some(json!("\u{fffd}"))),
            ("name.5", None),
            ("list.length.length", None),
            // Own keys win, inherited properties are undefined.
            ("__proto__", Some(json!("own"))),
            ("list.__proto__", None),
            ("toString", None),
            ("list.map", None),
            ("n.toFixed", None),
            ("n.length", None),
        ];
        for (path, expected) in cases {
            assert_eq!(key_path(Some(&v), path), expected, "{path}");
        }
        assert_eq!(key_path(Some(&json!([1, 2])), ""), None);
        assert_eq!(key_path(Some(&json!("abc")), ""), None);
    }

    #[test]
    fn references_read_properties_as_key_paths_do() {
        let v = json!({"a": ["x", "yz"], "s": "abc"});
        let get = |path: &[Segment]| at(Some(v.clone()), path);
        assert_eq!(
            get(&[Segment::Key("a"), Segment::Index(1)]),
            Some(json!("yz"))
        );
        assert_eq!(
            get(&[Segment::Key("a"), Segment::Key("length")]),
            Some(json!(2))
        );
        assert_eq!(
            get(&[Segment::Key("a"), Segment::Index(1), Segment::Key("length")]),
            Some(json!(2))
        );
        assert_eq!(
            get(&[Segment::Key("s"), Segment::Index(2)]),
            Some(json!("c"))
        );
        assert_eq!(get(&[Segment::Key("s"), Segment::Key("toString")]), None);
        assert_eq!(get(&[Segment::Key("a"), Segment::Key("01")]), None);
        assert_eq!(get(&[Segment::Key("a"), Segment::Index(2)]), None);
        assert_eq!(
            at(Some(json!({"1": true})), &[Segment::Index(1)]),
            Some(json!(true))
        );
    }
}
