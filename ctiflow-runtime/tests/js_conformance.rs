//! The runtime's JavaScript conversions against JavaScript itself: seeded random cases (truthiness,
//! `String`, `Number`, number printing, `JSON.stringify` of numbers, If-else comparisons, Extract
//! Value key paths, `JSON.parse` of numbers) answered by both the runtime and node running
//! `conformance/js/harness.js`, then compared.
//!
//! 10,000 cases by default; `CTIFLOW_CONFORMANCE=full` runs 100,000, and
//! `CTIFLOW_CONFORMANCE=<n>` runs n. `CTIFLOW_CONFORMANCE_SEED=<u64>` changes the seed. Without
//! node the test is skipped with a message, except under CI (env `CI` set), where it fails.
//!
//! A difference fails the test unless it falls in a class the README lists as a decision
//! (`documented` below names each one); the summary counts both.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use ctiflow_runtime::value::{self, Comparator, EvaluateAs};
use serde_json::{Map, Number, Value, json};

// --- A small deterministic PRNG (SplitMix64) ---------------------------------------------------

struct Rng(Cell<u64>);

impl Rng {
    fn next(&self) -> u64 {
        self.0.set(self.0.get().wrapping_add(0x9E37_79B9_7F4A_7C15));
        let mut z = self.0.get();
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn percent(&self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// --- Generators ----------------------------------------------------------------------------------

/// JavaScript's WhiteSpace and LineTerminator code points, which `Number()` trims.
const JS_SPACE: &[char] = &[
    '\t', '\u{b}', '\u{c}', ' ', '\u{a0}', '\u{feff}', '\u{1680}', '\u{2000}', '\u{2001}',
    '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}',
    '\u{200a}', '\u{202f}', '\u{205f}', '\u{3000}', '\n', '\r', '\u{2028}', '\u{2029}',
];

/// Look-alikes that JavaScript does not trim (U+0085 is Unicode White_Space; U+180E was Zs
/// before Unicode 6.3).
const NOT_JS_SPACE: &[char] = &[
    '\u{85}', '\u{180e}', '\u{200b}', '\u{2060}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', '\u{ad}',
    '\u{0}',
];

const WORDS: &[&str] = &[
    "",
    " ",
    "true",
    "false",
    "null",
    "undefined",
    "NaN",
    "Infinity",
    "-Infinity",
    "[object Object]",
    "0",
    "-0",
    "01",
    "length",
    "a",
    "ä",
    "Ā",
    "😀",
    "\u{ff61}",
    "日本",
    "a,b",
    "\u{fffd}",
];

const KEYS: &[&str] = &[
    "a",
    "b",
    "Id",
    "AccountId",
    "0",
    "1",
    "2",
    "10",
    "01",
    "00",
    "-0",
    "-1",
    "1.0",
    "+1",
    " 1",
    "1e0",
    "4294967295",
    "length",
    "",
    "__proto__",
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "map",
    "charAt",
];

fn whitespace(rng: &Rng) -> String {
    let n = *rng.pick(&[0, 0, 0, 1, 1, 2, 3]);
    (0..n)
        .map(|_| {
            if rng.percent(85) {
                *rng.pick(JS_SPACE)
            } else {
                *rng.pick(NOT_JS_SPACE)
            }
        })
        .collect()
}

fn digits(rng: &Rng, radix: u32, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.below(radix as usize) as u32, radix).unwrap())
        .collect()
}

fn length(rng: &Rng) -> usize {
    match rng.below(20) {
        0 => rng.below(400),
        1..=3 => rng.below(70),
        _ => rng.below(20),
    }
}

/// A double, biased towards the places where conversions go wrong.
fn double(rng: &Rng) -> f64 {
    let signed = |rng: &Rng, x: f64| if rng.percent(30) { -x } else { x };
    match rng.below(11) {
        0 => f64::from_bits(rng.next()),
        1 => f64::from_bits(rng.next() & !(1 << 63) & 0x7FEF_FFFF_FFFF_FFFF),
        2 => signed(rng, rng.range(0, 2000) as f64),
        3 => {
            // Integers around 2^53, 2^63, 2^64 and 10^21.
            let base: f64 = *rng.pick(&[2f64.powi(53), 2f64.powi(63), 2f64.powi(64), 1e21, 1e20]);
            let ulps = rng.range(-40, 40);
            signed(rng, f64::from_bits((base.to_bits() as i64 + ulps) as u64))
        }
        4 => {
            // m × 2^e with a small e: exact decimal expansions that end in 5 (ties).
            let (m, e) = if rng.percent(50) {
                ((rng.next() >> rng.range(11, 60)) as f64, rng.range(-80, 30))
            } else {
                (
                    ((rng.next() >> rng.range(40, 63)) | 1) as f64,
                    rng.range(-70, -10),
                )
            };
            signed(rng, m * 2f64.powi(e as i32))
        }
        5 => {
            let text = format!(
                "{}e{}",
                digits(rng, 10, 1 + rng.below(17)),
                rng.range(-30, 30)
            );
            signed(rng, text.parse().unwrap())
        }
        6 => {
            // Powers of ten and their neighbours, notation thresholds included.
            let k = if rng.percent(50) {
                *rng.pick(&[-7, -6, -5, 20, 21, 22, 15, 16, 17])
            } else {
                rng.range(-325, 309)
            };
            let x: f64 = format!("1e{k}").parse().unwrap();
            let ulps = rng.range(-3, 3);
            signed(
                rng,
                f64::from_bits((x.to_bits() as i64 + ulps).max(0) as u64),
            )
        }
        7 => signed(rng, f64::from_bits(rng.next() >> 12)),
        8 => *rng.pick(&[
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            2f64.powi(-25),
            0.1 + 0.2,
            1e21,
            123e-20,
            9007199254740993.0,
        ]),
        9 => signed(rng, (rng.next() >> rng.below(64)) as f64),
        _ => signed(
            rng,
            rng.range(0, 1_000_000) as f64 / *rng.pick(&[10.0, 100.0, 1000.0, 8.0]),
        ),
    }
}

fn finite(rng: &Rng) -> f64 {
    loop {
        let x = double(rng);
        if x.is_finite() {
            return x;
        }
    }
}

/// Text that `Number()` may or may not read.
fn numeric_text(rng: &Rng) -> String {
    let body = match rng.below(9) {
        0..=2 => {
            let sign = *rng.pick(&["", "", "+", "-"]);
            let int = digits(rng, 10, length(rng));
            let point = if rng.percent(50) { "." } else { "" };
            let frac = if rng.percent(60) {
                digits(rng, 10, length(rng))
            } else {
                String::new()
            };
            let exp = if rng.percent(40) {
                let e = *rng.pick(&["e", "E"]);
                let s = *rng.pick(&["", "+", "-"]);
                let n = if rng.percent(5) {
                    digits(rng, 10, 20)
                } else {
                    digits(rng, 10, rng.below(4))
                };
                format!("{e}{s}{n}")
            } else {
                String::new()
            };
            format!("{sign}{int}{point}{frac}{exp}")
        }
        3 | 4 => {
            let (prefix, radix) = *rng.pick(&[
                ("0x", 16),
                ("0X", 16),
                ("0o", 8),
                ("0O", 8),
                ("0b", 2),
                ("0B", 2),
            ]);
            let sign = if rng.percent(10) {
                *rng.pick(&["+", "-"])
            } else {
                ""
            };
            let mut d = digits(rng, radix, length(rng).max(rng.below(3)));
            if rng.percent(50) {
                d = d.to_uppercase();
            }
            if rng.percent(8) {
                let junk = *rng.pick(&["_", ".", "g", "8", "2", "n", "e1", " "]);
                let at = rng.below(d.len() + 1);
                d.insert_str(at, junk);
            }
            format!("{sign}{prefix}{d}")
        }
        5 => rng
            .pick(&[
                "Infinity",
                "+Infinity",
                "-Infinity",
                "infinity",
                "INFINITY",
                "inf",
                "-inf",
                "NaN",
                "nan",
                "Infinit",
                "Infinityx",
                "1Infinity",
                "+-1",
                "--1",
                "1_000",
                "1,5",
                "1n",
                "0x",
                "e5",
                ".",
                "..",
                ".e1",
                "0.0.0",
                "١٢",
                "１２",
                "0x1p3",
                "1e1.5",
            ])
            .to_string(),
        6 => {
            let x = finite(rng);
            match rng.below(4) {
                0 => format!("{x}"),
                1 => format!("{x:e}"),
                2 => format!("{x:E}"),
                _ => format!("{x:.30e}"),
            }
        }
        7 => (0..rng.below(6))
            .map(|_| match rng.below(4) {
                0 => *rng.pick(JS_SPACE),
                1 => *rng.pick(NOT_JS_SPACE),
                _ => *rng.pick(&['1', '.', 'e', '-', '+', 'x', '0']),
            })
            .collect(),
        _ => rng.pick(WORDS).to_string(),
    };
    format!("{}{body}{}", whitespace(rng), whitespace(rng))
}

fn string(rng: &Rng) -> String {
    match rng.below(4) {
        0 | 1 => numeric_text(rng),
        2 => rng.pick(WORDS).to_string(),
        _ => (0..rng.below(8))
            .map(|_| {
                *rng.pick(&[
                    'a',
                    'Z',
                    '0',
                    '9',
                    ',',
                    '.',
                    ' ',
                    '\u{85}',
                    '\u{a0}',
                    'é',
                    'ÿ',
                    'Ā',
                    '日',
                    '\u{ff61}',
                    '\u{fffd}',
                    '😀',
                    '𝄞',
                    '\u{10ffff}',
                ])
            })
            .collect(),
    }
}

fn number_value(rng: &Rng) -> Value {
    match rng.below(5) {
        0 => Value::from(rng.next() >> rng.below(64)),
        1 => Value::from(-((rng.next() >> (1 + rng.below(63))) as i64)),
        2 => Value::from(rng.range(-5, 5)),
        _ => Value::Number(Number::from_f64(finite(rng)).unwrap()),
    }
}

fn json_value(rng: &Rng, depth: usize) -> Value {
    let leaf = depth == 0 || rng.percent(55);
    match rng.below(if leaf { 4 } else { 6 }) {
        0 => rng
            .pick(&[Value::Null, Value::Bool(true), Value::Bool(false)])
            .clone(),
        1 => number_value(rng),
        2 | 3 => Value::String(string(rng)),
        4 => Value::Array(
            (0..rng.below(5))
                .map(|_| json_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (rng.pick(KEYS).to_string(), json_value(rng, depth - 1)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn maybe_value(rng: &Rng) -> Option<Value> {
    (!rng.percent(5)).then(|| json_value(rng, 3))
}

/// Two operands that are often close: the same number in different forms, neighbours.
fn operands(rng: &Rng) -> (Option<Value>, Option<Value>) {
    if rng.percent(40) {
        return (maybe_value(rng), maybe_value(rng));
    }
    let x = finite(rng);
    let y = match rng.below(4) {
        0 => x,
        1 => f64::from_bits(x.to_bits() ^ 1),
        2 => -x,
        _ => finite(rng),
    };
    let form = |z: f64| -> Option<Value> {
        Some(match rng.below(5) {
            0 => Value::String(format!("{}{z}{}", whitespace(rng), whitespace(rng))),
            1 => Value::String(format!("{z:e}")),
            2 => Value::Array(vec![Value::Number(Number::from_f64(z).unwrap())]),
            _ => Value::Number(Number::from_f64(z).unwrap()),
        })
    };
    (form(x), form(y))
}

fn path(rng: &Rng) -> String {
    if rng.percent(5) {
        return String::new();
    }
    (0..1 + rng.below(4))
        .map(|_| *rng.pick(KEYS))
        .collect::<Vec<_>>()
        .join(".")
}

/// A value for a key path to walk: objects keyed like the paths, arrays, strings with astral
/// characters.
fn walked_value(rng: &Rng) -> Option<Value> {
    match rng.below(10) {
        0 => None,
        1 => Some(Value::String(
            (0..rng.below(5))
                .map(|_| *rng.pick(&['a', 'é', '😀', '𝄞', '日']))
                .collect(),
        )),
        _ => Some(json_value(rng, 4)),
    }
}

/// Exact decimal digits of |x| in fixed notation with `DECIMALS` places (exact: every double's
/// expansion ends within 1075 places).
const DECIMALS: usize = 1100;

fn exact(x: f64) -> String {
    format!("{:.DECIMALS$}", x.abs()).replace('.', "")
}

/// The exact decimal halfway between two adjacent positive doubles, in fixed notation.
fn halfway(a: f64, b: f64) -> String {
    let (a, b) = (exact(a), exact(b));
    let width = a.len().max(b.len()) + 1;
    let pad = |s: &str| format!("{s:0>width$}").into_bytes();
    let (a, b) = (pad(&a), pad(&b));
    let mut sum = vec![0u8; width];
    let mut carry = 0;
    for i in (0..width).rev() {
        let d = (a[i] - b'0') + (b[i] - b'0') + carry;
        sum[i] = d % 10;
        carry = d / 10;
    }
    // Halve, one more decimal place.
    sum.push(0);
    let mut half = Vec::with_capacity(sum.len());
    let mut rem = 0;
    for d in sum {
        let cur = rem * 10 + d;
        half.push(b'0' + cur / 2);
        rem = cur % 2;
    }
    let point = half.len() - DECIMALS - 1;
    let int = String::from_utf8(half[..point].to_vec()).unwrap();
    let frac = String::from_utf8(half[point..].to_vec()).unwrap();
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    match (int.is_empty(), frac.is_empty()) {
        (true, true) => "0".to_owned(),
        (false, true) => int.to_owned(),
        (true, false) => format!("0.{frac}"),
        (false, false) => format!("{int}.{frac}"),
    }
}

/// The text of a JSON number (and some that are not).
fn json_number_text(rng: &Rng) -> String {
    let sign = if rng.percent(25) { "-" } else { "" };
    let body = match rng.below(8) {
        0 => format!("{:e}", finite(rng).abs()),
        1 => format!("{:.16e}", finite(rng).abs()),
        2 => format!("{:.*e}", rng.below(40), finite(rng).abs()),
        3 | 4 => {
            // Halfway between neighbours, and just either side of it.
            let x = f64::from_bits(rng.next() % 0x7FEF_FFFF_FFFF_FFFF);
            let next = f64::from_bits(x.to_bits() + 1);
            let h = halfway(x, next);
            match rng.below(3) {
                0 => h,
                1 if h.contains('.') => format!("{h}{}1", "0".repeat(rng.below(30))),
                1 => format!("{h}.{}1", "0".repeat(rng.below(30))),
                _ => {
                    let keep = h.len() - 1 - rng.below(h.len().min(40));
                    let t = h[..keep.max(1)].trim_end_matches('.');
                    t.to_string()
                }
            }
        }
        5 => {
            let int = digits(rng, 10, 1 + rng.below(30));
            let int = int.trim_start_matches('0');
            let tail = *rng.pick(&["", "", "e-3", "e+2", "E5", ".5"]);
            format!("{}{tail}", if int.is_empty() { "0" } else { int })
        }
        6 => rng
            .pick(&[
                "1e400",
                "1e309",
                "1.7976931348623157e308",
                "1.7976931348623158e308",
                "1.7976931348623159e308",
                "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999",
                "2.4703282292062328e-324",
                "2.4703282292062327e-324",
                "4.9406564584124654e-324",
                "1e-400",
                "0",
                "0.0",
                "0e5",
                "0.000001",
                "1e-7",
                "9007199254740993",
                "18446744073709551615",
                "18446744073709551616",
                "9223372036854775808",
                "123456789012345678901234567890",
                "2.2250738585072011e-308",
                "2.2250738585072012e-308",
            ])
            .to_string(),
        _ => rng
            .pick(&[
                "01", "+1", ".5", "1.", "1e", "Infinity", "NaN", "0x10", " 1 ", "1 2", "-", "",
                "1E+2", "1e-0", "00", "-01",
            ])
            .to_string(),
    };
    if body.is_empty() || body.starts_with(['-', '+', ' ']) {
        body
    } else {
        format!("{sign}{body}")
    }
}

// --- Cases ---------------------------------------------------------------------------------------

const COMPARATORS: &[&str] = &["===", "!==", "!=", ">", ">=", "≥", "<", "<=", "≤"];
const EVALUATE_AS: &[&str] = &["string", "number", "boolean"];

#[derive(Debug)]
enum Case {
    Truthy(Option<Value>),
    String(Option<Value>),
    Number(Option<Value>),
    Print(f64),
    Stringify(f64),
    Compare(Option<Value>, &'static str, Option<Value>, &'static str),
    KeyPath(Option<Value>, String),
    Parse(String),
}

const CATEGORIES: &[&str] = &[
    "truthy",
    "string",
    "number",
    "print",
    "stringify",
    "compare",
    "keypath",
    "parse",
];

fn case(rng: &Rng, i: usize) -> Case {
    match i % CATEGORIES.len() {
        0 => Case::Truthy(maybe_value(rng)),
        1 => Case::String(maybe_value(rng)),
        2 => Case::Number(if rng.percent(60) {
            Some(Value::String(numeric_text(rng)))
        } else {
            maybe_value(rng)
        }),
        3 => Case::Print(double(rng)),
        4 => Case::Stringify(double(rng)),
        5 => {
            let (a, b) = operands(rng);
            let comparator = COMPARATORS[rng.below(COMPARATORS.len())];
            let evaluate_as = EVALUATE_AS[rng.below(EVALUATE_AS.len())];
            Case::Compare(a, comparator, b, evaluate_as)
        }
        6 => Case::KeyPath(walked_value(rng), path(rng)),
        _ => Case::Parse(json_number_text(rng)),
    }
}

fn bits(x: f64) -> String {
    if x.is_nan() {
        "nan".to_owned()
    } else {
        format!("{:016x}", x.to_bits())
    }
}

impl Case {
    fn category(&self) -> &'static str {
        match self {
            Case::Truthy(_) => "truthy",
            Case::String(_) => "string",
            Case::Number(_) => "number",
            Case::Print(_) => "print",
            Case::Stringify(_) => "stringify",
            Case::Compare(..) => "compare",
            Case::KeyPath(..) => "keypath",
            Case::Parse(_) => "parse",
        }
    }

    /// The line node reads.
    fn line(&self, id: usize) -> String {
        let mut o = Map::new();
        o.insert("id".into(), json!(id));
        o.insert("op".into(), json!(self.category()));
        let mut put = |k: &str, v: &Option<Value>| {
            if let Some(v) = v {
                o.insert(k.into(), v.clone());
            }
        };
        match self {
            Case::Truthy(v) | Case::String(v) | Case::Number(v) => put("v", v),
            Case::Print(x) | Case::Stringify(x) => put("x", &Some(json!(bits(*x)))),
            Case::Compare(a, cmp, b, as_) => {
                put("a", a);
                put("b", b);
                put("cmp", &Some(json!(cmp)));
                put("as", &Some(json!(as_)));
            }
            Case::KeyPath(v, path) => {
                put("v", v);
                put("path", &Some(json!(path)));
            }
            Case::Parse(text) => put("text", &Some(json!(text))),
        }
        Value::Object(o).to_string()
    }

    /// The runtime's answer, in the harness's encoding.
    fn rust(&self) -> Value {
        match self {
            Case::Truthy(v) => json!({"r": value::truthy(v.as_ref())}),
            Case::String(v) => json!({"r": value::js_string(v.as_ref())}),
            Case::Number(v) => json!({"r": bits(value::to_number(v.as_ref()))}),
            Case::Print(x) => json!({"r": value::number_to_string(*x)}),
            Case::Stringify(x) => json!({"r": value::number_to_json(*x).to_string()}),
            Case::Compare(a, cmp, b, as_) => json!({"r": value::compare(
                a.as_ref(),
                Comparator::parse(cmp).unwrap(),
                b.as_ref(),
                EvaluateAs::parse(as_).unwrap(),
            )}),
            Case::KeyPath(v, path) => match value::key_path(v.as_ref(), path) {
                None => json!({"r": "undefined"}),
                Some(v) => json!({"r": "value", "v": v}),
            },
            Case::Parse(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Number(n)) => json!({"r": bits(n.as_f64().unwrap())}),
                _ => json!({"r": "error"}),
            },
        }
    }
}

/// Equal as JavaScript values: numbers by value (JSON cannot tell `-0` from `0`), objects by
/// their entries.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The README's decision a difference falls under, if any.
fn documented(case: &Case, rust: &Value, js: &Value) -> Option<&'static str> {
    match case {
        // `Value` holds integers only within i64/u64, so a larger integral double stays a float,
        // and serde_json writes floats in its own notation: the same number, other text.
        Case::Stringify(x) => {
            let json = value::number_to_json(*x);
            let text = rust["r"].as_str()?;
            let same_number = text.parse::<f64>().ok()?.to_bits() == x.to_bits();
            let float = json.is_f64();
            match (same_number && float, x.trunc() == *x) {
                (false, _) => None,
                (true, true) => Some("integers beyond i64/u64 written as floats"),
                (true, false) => Some("serde_json's notation for non-integers"),
            }
        }
        // serde_json rejects numbers beyond the doubles; JavaScript reads them as ±Infinity.
        Case::Parse(_) => {
            let inf = matches!(
                js["r"].as_str(),
                Some("7ff0000000000000" | "fff0000000000000")
            );
            (inf && rust["r"] == "error").then_some("overflow in JSON.parse")
        }
        // JavaScript's String() and Number() throw a TypeError for an object whose own
        // `toString` is not a function; the runtime's conversions are total.
        Case::String(v) | Case::Number(v) if js["r"] == "throws" && to_string_key(v) => {
            Some("objects with a `toString` key")
        }
        Case::Compare(a, _, b, as_)
            if js["r"] == "throws"
                && *as_ != "boolean"
                && (to_string_key(a) || to_string_key(b)) =>
        {
            Some("objects with a `toString` key")
        }
        Case::KeyPath(..) => match (js["r"].as_str()?, rust["r"].as_str()?) {
            ("inherited", "undefined") => Some("inherited properties"),
            ("surrogate", "value") if rust["v"].as_str()?.contains('\u{fffd}') => {
                Some("lone surrogates")
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether converting `v` to a primitive meets an object with a `toString` key.
fn to_string_key(v: &Option<Value>) -> bool {
    match v {
        Some(Value::Object(map)) => map.contains_key("toString"),
        Some(Value::Array(items)) => items.iter().any(|v| to_string_key(&Some(v.clone()))),
        _ => false,
    }
}

fn agrees(case: &Case, rust: &Value, js: &Value) -> bool {
    match case {
        Case::KeyPath(..) => rust["r"] == js["r"] && same(&rust["v"], &js["v"]),
        _ => rust["r"] == js["r"],
    }
}

// --- Running node --------------------------------------------------------------------------------

fn harness() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/js/harness.js")
}

/// node's answers, one per line; `None` when node is not installed.
fn node(input: String) -> Option<Vec<String>> {
    let child = Command::new("node")
        .arg(harness())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot run node: {e}"),
    };
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("node's output");
    writer.join().unwrap().expect("writing the cases to node");
    assert!(output.status.success(), "node failed: {}", output.status);
    let text = String::from_utf8(output.stdout).expect("node writes UTF-8");
    Some(text.lines().map(str::to_owned).collect())
}

fn case_count() -> usize {
    match std::env::var("CTIFLOW_CONFORMANCE").as_deref() {
        Ok("full") => 100_000,
        Ok(n) => n
            .parse()
            .expect("CTIFLOW_CONFORMANCE is `full` or a number"),
        Err(_) => 10_000,
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    agreed: usize,
    documented: BTreeMap<&'static str, usize>,
    differing: Vec<String>,
}

#[test]
fn conversions_match_javascript() {
    let count = case_count();
    let seed = std::env::var("CTIFLOW_CONFORMANCE_SEED")
        .map(|s| s.parse().expect("CTIFLOW_CONFORMANCE_SEED is a u64"))
        .unwrap_or(0x00C7_1F10_u64);
    let rng = Rng(Cell::new(seed));
    let cases: Vec<Case> = (0..count).map(|i| case(&rng, i)).collect();
    let input: String = cases
        .iter()
        .enumerate()
        .map(|(id, c)| c.line(id) + "\n")
        .collect();

    let Some(answers) = node(input) else {
        if std::env::var_os("CI").is_some() {
            panic!("node is not installed; CI runs the JavaScript conformance suite");
        }
        eprintln!("skipped: node is not installed (the JavaScript conformance suite needs it)");
        return;
    };
    assert_eq!(answers.len(), cases.len(), "node answered every case");

    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for (id, (case, answer)) in cases.iter().zip(&answers).enumerate() {
        let js: Value = serde_json::from_str(answer).expect("node's answer is JSON");
        assert_eq!(js["id"], json!(id), "answers in order");
        let rust = case.rust();
        let tally = tallies.entry(case.category()).or_default();
        tally.cases += 1;
        if agrees(case, &rust, &js) {
            tally.agreed += 1;
        } else if let Some(reason) = documented(case, &rust, &js) {
            *tally.documented.entry(reason).or_default() += 1;
        } else {
            tally.differing.push(format!(
                "  {}\n    runtime: {rust}\n    node:    {js}",
                case.line(id)
            ));
        }
    }

    let mut report = format!("JavaScript conformance, {count} cases, seed {seed:#x}:\n");
    for (category, t) in &tallies {
        report += &format!(
            "  {category:<10} {:>6} cases, {:>6} agree, {:>5} documented, {:>5} differ\n",
            t.cases,
            t.agreed,
            t.documented.values().sum::<usize>(),
            t.differing.len()
        );
        for (reason, n) in &t.documented {
            report += &format!("      documented: {reason}: {n}\n");
        }
    }
    eprintln!("{report}");
    let differing: usize = tallies.values().map(|t| t.differing.len()).sum();
    if differing > 0 {
        let mut first = String::new();
        for (category, t) in &tallies {
            for d in t.differing.iter().take(5) {
                first += &format!("[{category}]\n{d}\n");
            }
        }
        panic!(
            "{differing} undocumented differences from JavaScript; the first per category:\n{first}{report}"
        );
    }
}
