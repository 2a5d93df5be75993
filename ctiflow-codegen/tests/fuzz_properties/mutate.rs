//! Seeded mutations of real flow texts: value-level edits located with the parser's spans on
//! the (valid) original, then byte-level edits on the result.

use ctiflow_codegen::parse::{self, Kind, Value};

use crate::flowgen::{Choices, HOSTILE, Rng, Style, write_string};

/// A flow text and the spans of its values and keys, found once.
pub struct Seed {
    /// Where it comes from.
    pub name: String,
    /// The text.
    pub text: String,
    /// Byte ranges of every value (containers included).
    values: Vec<(usize, usize)>,
    /// Byte ranges of every string value and key.
    strings: Vec<(usize, usize)>,
    /// Byte ranges of every array item and object member (key to value).
    elements: Vec<(usize, usize)>,
}

impl Seed {
    /// Indexes `text`, which must parse.
    pub fn new(name: impl Into<String>, text: String) -> Seed {
        let tree = parse::parse(&text).expect("seeds are valid JSON");
        let mut seed = Seed {
            name: name.into(),
            text,
            values: Vec::new(),
            strings: Vec::new(),
            elements: Vec::new(),
        };
        seed.index(&tree);
        seed
    }

    fn index(&mut self, v: &Value) {
        self.values.push((v.span.start, v.span.end));
        match &v.kind {
            Kind::String(_) => self.strings.push((v.span.start, v.span.end)),
            Kind::Array(items) => {
                for i in items {
                    self.elements.push((i.span.start, i.span.end));
                    self.index(i);
                }
            }
            Kind::Object(members) => {
                for m in members {
                    self.strings.push((m.key_span.start, m.key_span.end));
                    self.elements.push((m.key_span.start, m.value.span.end));
                    self.index(&m.value);
                }
            }
            _ => {}
        }
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::new();
    let style = Style {
        indent: None,
        escape_unicode: false,
        escape_slash: false,
        bom: false,
    };
    write_string(text, style, &mut out);
    out
}

/// References of every root and path form, right and wrong.
const REFERENCES: &[&str] = &[
    "$.actions.start.results",
    "$.actions.props.results.contactId",
    "$.actions.props.results.parsedNumber.phone",
    "$.actions.props.results.status.type",
    "$.actions.props.results.attributes.x.y",
    "$.actions.find.results.sfContactId",
    "$.actions.find.results[0]",
    "$.actions.find.results.[0]",
    "$.actions.uid-1.results.value",
    "$.payload",
    "$.payload.number",
    "$.payload.recordId[0]",
    "$.payload.a.[3].b",
    "$.payload.content.length",
    "$.contact",
    "$.contact.queueName",
    "$.contact.attributes",
    "$.contact.attributes.customerId",
    "$.contact.parsedNumber.phone",
    "$.contact.status.timestamp.x",
    "$.agent",
    "$.agent.name",
    "$.agent.dialableCountries[0]",
    "$.agent.dialableCountries.[1]",
    "$.agent.dialableCountries.0",
    "$.agent.dialableCountries.length",
    "$12.results.type",
    "$.actions..results",
    "$.actions.x",
    "$.",
    "$",
    "${name}",
];

/// A JSON value text to put in place of another.
fn replacement(c: &mut Rng, huge: usize) -> String {
    match c.below(14) {
        0 => "null".into(),
        1 => "true".into(),
        2 => (c.pick(&[
            "0",
            "-0",
            "1e400",
            "-1e400",
            "1.5e-7",
            "9007199254740993",
            "-1",
        ]))
        .into(),
        3 => "\"\"".into(),
        4 => "{}".into(),
        5 => "[]".into(),
        6 => quoted(c.pick(REFERENCES)),
        7 => quoted(c.pick(HOSTILE)),
        8 => {
            // Deep nesting, within the parser's limit or beyond it.
            let depth = c.pick(&[2usize, 64, 200, 255, 256, 257, 5_000]);
            if c.chance(50) {
                format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
            } else {
                format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
            }
        }
        9 => {
            // A huge string.
            let unit = c.pick(&["x", "é", "😀", "\\n", "\\u0000", "$.a"]);
            let n = 1 + c.below(huge / unit.len() + 1);
            format!("\"{}\"", unit.repeat(n))
        }
        10 => format!("\"$.contact.{}\"", "a.".repeat(c.below(2_000)) + "b"),
        11 => format!(
            "{{{}}}",
            (0..c.below(64))
                .map(|i| format!("\"k{i}\": {}", quoted(c.pick(REFERENCES))))
                .collect::<Vec<_>>()
                .join(",")
        ),
        12 => format!(
            "[{}]",
            (0..c.below(64))
                .map(|_| quoted(c.pick(HOSTILE)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => quoted(&"ブロック".repeat(c.below(64))),
    }
}

/// Applies one to four mutations of the seed, chosen by `c`. `huge` bounds huge strings.
pub fn mutate(seed: &Seed, others: &[Seed], c: &mut Rng, huge: usize) -> String {
    let mut text = seed.text.clone();
    // Value-level edits on the original, from the back so earlier spans stay valid.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for _ in 0..c.below(3) + 1 {
        let (mut start, mut end) = c.pick(&seed.values);
        let with = match c.below(6) {
            0 => {
                // Another value of this seed or of another seed.
                let from = if others.is_empty() || c.chance(50) {
                    seed
                } else {
                    c.pick_ref(others)
                };
                let (a, b) = c.pick(&from.values);
                from.text[a..b].to_owned()
            }
            1 if !seed.elements.is_empty() => {
                // An array item or object member twice.
                (start, end) = c.pick(&seed.elements);
                let piece = &seed.text[start..end];
                format!("{piece}, {piece}")
            }
            2 if !seed.elements.is_empty() => {
                // An array item or object member deleted, with a comma next to it.
                (start, end) = c.pick(&seed.elements);
                let text = &seed.text;
                if let Some(gap) = text[end..].find(|ch: char| !ch.is_whitespace())
                    && text[end + gap..].starts_with(',')
                {
                    end += gap + 1;
                } else if let Some(gap) = text[..start].rfind(|ch: char| !ch.is_whitespace())
                    && text[gap..].starts_with(',')
                {
                    start = gap;
                }
                String::new()
            }
            _ => replacement(c, huge),
        };
        edits.push((start, end, with));
    }
    if c.chance(40) {
        // A string value or key rewritten.
        let (start, end) = c.pick(&seed.strings);
        edits.push((start, end, quoted(c.pick(HOSTILE))));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut last = usize::MAX;
    for (start, end, with) in edits {
        // Skip edits overlapping one already made (nested values).
        if end > last {
            continue;
        }
        text.replace_range(start..end, &with);
        last = start;
    }
    // Byte-level edits.
    let mut bytes = text.into_bytes();
    let byte_edits = if c.chance(30) { c.below(3) + 1 } else { 0 };
    for _ in 0..byte_edits {
        if bytes.is_empty() {
            break;
        }
        let at = c.below(bytes.len());
        match c.below(6) {
            0 => bytes[at] ^= 1 << c.below(8),
            1 => bytes[at] = c.pick(b"{}[]\",:\\$.0 \n"),
            2 => {
                let len = c.below(bytes.len() - at).min(64);
                bytes.drain(at..at + len);
            }
            3 => {
                let len = c.below(bytes.len() - at).min(256);
                let piece = bytes[at..at + len].to_vec();
                let to = c.below(bytes.len() + 1);
                bytes.splice(to..to, piece);
            }
            4 => bytes.truncate(at),
            _ => {
                let insert = c.pick(&["\u{feff}", "\u{0}", "\\u", "\"", "é", "😀", ",", "}"]);
                bytes.splice(at..at, insert.bytes());
            }
        }
    }
    // Bytes that are not UTF-8 become replacement characters: the API takes text.
    String::from_utf8_lossy(&bytes).into_owned()
}
