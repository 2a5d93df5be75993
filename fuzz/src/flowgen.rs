//! Random CTI Flows, valid and near-valid, driven by a source of choices: a seeded PRNG in the
//! stable tests, the fuzzer's bytes in the `flowgen` fuzz target.
//!
//! A flow is built as a spine (Start → block → block → … → End) whose blocks read results of
//! earlier spine blocks, `$.contact`, `$.agent` and `$.payload` with paths that fit each
//! control's kind, so that most flows pass the checker. Side ports lead to End blocks. Then,
//! with the configured probability at every spot, a mistake is made: wrong types, kinds, ids,
//! ports and references of every sort, cycles, and hostile text (titles, keys, literals).
//!
//! Shared by `fuzz/` (the crate's library) and `ctiflow-codegen/tests/fuzz_properties.rs`
//! (through `#[path]`, beside `properties.rs`), so it uses nothing but `ctiflow_codegen`,
//! `std` and its sibling module.

use std::fmt::Write as _;

use ctiflow_codegen::catalog::{
    self, AGENT, BLOCKS, Block, CONTACT_PROPERTIES, Control, ControlKind, Results, Rule, Ty,
};
use ctiflow_codegen::trigger::{Availability, Context, Payload, Source, Trigger};
use ctiflow_codegen::{Level, Options};

/// Where random decisions come from.
pub trait Choices {
    /// A number in `0..n` (`n > 0`); 0 is the plain choice.
    fn below(&mut self, n: usize) -> usize;

    /// True with `percent`% probability. A source that answers 0 once exhausted (the
    /// fuzzer's bytes) answers false: a short input makes a small, plain flow.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) + percent >= 100
    }

    /// One of `items` (not empty).
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One of `items` (not empty), by reference.
    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// SplitMix64: small, fast, and the same sequence on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Choices for Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Choices read from bytes (the fuzzer's input): one byte per choice among at most 256, four
/// (little-endian) otherwise; 0 once the bytes run out. The same bytes give the same flow on
/// stable, so the `flowgen` target's findings replay in the stable tests.
#[derive(Clone, Debug)]
pub struct Bytes<'a>(pub &'a [u8]);

impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        let n = n.max(1);
        let width = if n <= 256 { 1 } else { 4 };
        let take = width.min(self.0.len());
        let mut word = [0u8; 4];
        word[..take].copy_from_slice(&self.0[..take]);
        self.0 = &self.0[take..];
        u32::from_le_bytes(word) as usize % n
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Blocks besides Start and the End blocks: `0..=max_blocks`.
    pub max_blocks: usize,
    /// The probability (percent) of a mistake at each spot where one can be made.
    pub mistakes: usize,
    /// The longest hostile string.
    pub max_string: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_blocks: 24,
            mistakes: 4,
            max_string: 4096,
        }
    }
}

/// A generated flow and what it was made for.
#[derive(Clone, Debug)]
pub struct Flow {
    /// The JSON text.
    pub text: String,
    /// The trigger its references and blocks were chosen for.
    pub trigger: Option<Trigger>,
    /// Whether its wiring may leave results maybe unset (then allow `maybe_unset`).
    pub loose: bool,
}

/// A JSON value to be written in some style.
#[derive(Clone, Debug)]
pub enum Json {
    /// `null`
    Null,
    /// `true`, `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in order (duplicates allowed).
    Object(Vec<(String, Json)>),
}

fn s(text: impl Into<String>) -> Json {
    Json::String(text.into())
}

/// How JSON is written.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Indentation per level (`None`: minified).
    pub indent: Option<&'static str>,
    /// Write every non-ASCII character as `\u` escapes (surrogate pairs included).
    pub escape_unicode: bool,
    /// Write `/` as `\/`.
    pub escape_slash: bool,
    /// Start with a byte-order mark.
    pub bom: bool,
}

impl Style {
    fn random(c: &mut impl Choices) -> Style {
        Style {
            indent: c.pick(&[None, Some("  "), Some("    "), Some("\t")]),
            escape_unicode: c.chance(10),
            escape_slash: c.chance(5),
            bom: c.chance(3),
        }
    }
}

/// Writes `value` as JSON text in `style`.
pub fn write(value: &Json, style: Style) -> String {
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    write_value(value, style, 0, &mut out);
    if style.indent.is_some() {
        out.push('\n');
    }
    out
}

fn newline(style: Style, depth: usize, out: &mut String) {
    if let Some(indent) = style.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(indent);
        }
    }
}

fn write_value(value: &Json, style: Style, depth: usize, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(text) => write_string(text, style, out),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_value(item, style, depth + 1, out);
            }
            newline(style, depth, out);
            out.push(']');
        }
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_string(key, style, out);
                out.push(':');
                if style.indent.is_some() {
                    out.push(' ');
                }
                write_value(item, style, depth + 1, out);
            }
            newline(style, depth, out);
            out.push('}');
        }
    }
}

/// A JSON string literal.
pub fn write_string(text: &str, style: Style, out: &mut String) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if style.escape_slash => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (style.escape_unicode && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Text that stresses every consumer of user strings: doc comments, literals, diagnostics,
/// Markdown, terminals, identifiers.
pub const HOSTILE: &[&str] = &[
    "",
    " ",
    "開始",
    "お客様の電話番号を取得",
    "😀 call",
    "e\u{301}",
    "\u{202e}evil",
    "\u{2028}line\u{2029}para",
    "a\r\nb\nc\rd",
    "tab\there",
    "nul\u{0}byte",
    "\u{7f}\u{85}\u{a0}",
    "```\nfn main() { panic!() }\n```",
    "```rust\nassert!(false);\n```",
    "    indented code block",
    "\"); panic!(\"",
    "\"#; } fn x() { r#\"",
    "*/ /* ",
    "// comment",
    "\\",
    "\\\\\"",
    "[link](https://example.invalid)",
    "[`Option`]",
    "<script>alert(1)</script>",
    "&amp; &#x41;",
    "**bold** _em_ ~~strike~~ | table |",
    "# Heading",
    "#[doc = \"x\"]",
    "https://example.invalid/bare",
    "${name}",
    "$",
    "$.",
    "${",
    "}",
    "{}",
    "null",
    "true",
    "0",
    "-0",
    "1e400",
    "NaN",
    "self",
    "Self",
    "type",
    "fn",
    "r#type",
    "__ctiflow_state",
    "Results",
    "Backend",
    "TRIGGER",
    "BLOCK",
    "error",
    "map",
    "v",
    "uid-1",
    "uid_1",
    "Uid1",
    "UID-1",
];

/// Ids in the styles seen in real exports, and ones that collide when sanitised.
const ID_STYLES: &[&str] = &[
    "uid-{}",
    "uid{}",
    "{}",
    "uid-00{}",
    "uid_{}",
    "Uid-{}",
    "UID{}",
    "b{}",
    "ブロック{}",
    "{}x",
];

const SPECIAL_IDS: &[&str] = &[
    "uid-NaN",
    "uid-start",
    "start",
    "end",
    "results",
    "rt",
    "ctx",
    "limits",
    "driver",
    "state",
    "run",
    "error",
    "map",
    "v",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "match",
    "loop",
    "async",
    "await",
    "gen",
    "_",
    "__",
    "b_1",
    "1",
    "01",
    "-",
    "é",
    "開始",
    "😀",
    "a b",
    "a.b",
    "a[0]",
    "$.actions",
    "${x}",
    "__CtiflowState",
    "__ctiflow_state",
    "__ctiflow_results",
    "__ctiflow_driver",
    "BLOCK",
    "Results",
    "Backend",
    "TRIGGER",
    "run_with",
];

/// A hostile or ordinary string of at most `max` bytes (plus a few).
pub fn text(c: &mut impl Choices, max: usize) -> String {
    match c.below(10) {
        0..=3 => c.pick(HOSTILE).to_string(),
        4 => {
            let unit = c.pick(&["x", "é", "開", "😀", "\\", "\"", "\n", "$."]);
            let n = c.below(max / unit.len() + 1);
            unit.repeat(n)
        }
        5 => {
            let mut out = String::new();
            for _ in 0..c.below(4) + 1 {
                out.push_str(c.pick(HOSTILE));
            }
            out
        }
        _ => {
            let words = ["Call", "Case", "Lead", "Contact", "log", "pop", "task", "x"];
            let mut out = String::new();
            for i in 0..c.below(4) + 1 {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(c.pick(&words));
            }
            out
        }
    }
}

/// A trigger, or none, chosen among every (source, event).
pub fn trigger(c: &mut impl Choices) -> Option<Trigger> {
    if c.chance(25) {
        return None;
    }
    let source = c.pick(Source::ALL);
    let event = if source.events().is_empty() {
        None
    } else {
        Some(c.pick(source.events()))
    };
    Trigger::new(source, event).ok()
}

/// What a control wants of a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Text,
    Bool,
    Map,
    Any,
}

fn fits(ty: Ty, want: Want) -> bool {
    match want {
        Want::Any => true,
        Want::Text => matches!(ty, Ty::Text | Ty::Number | Ty::Bool | Ty::Any),
        Want::Bool => matches!(ty, Ty::Bool | Ty::Any),
        Want::Map => match ty {
            Ty::Map | Ty::Any => true,
            Ty::Object(fields) => fields
                .iter()
                .all(|f| matches!(f.ty, Ty::Text | Ty::Number | Ty::Bool | Ty::Any)),
            _ => false,
        },
    }
}

/// A path step in one of the grammar's forms.
fn index_step(c: &mut impl Choices) -> String {
    let i = c.pick(&[0usize, 0, 1, 2, 10, 4_294_967_295]);
    match c.below(3) {
        0 => format!("[{i}]"),
        1 => format!(".[{i}]"),
        _ => format!(".{i}"),
    }
}

fn key_step(c: &mut impl Choices) -> String {
    let key = c.pick(&[
        "id", "Id", "name", "value", "length", "0", "01", "é", "開始", "a-b", "x_y", "toString",
    ]);
    format!(".{key}")
}

/// Every (path, type) reachable from a value of type `ty` within `depth` typed steps.
fn paths(ty: Ty, depth: usize, c: &mut impl Choices, prefix: String, out: &mut Vec<(String, Ty)>) {
    out.push((prefix.clone(), ty));
    if depth == 0 {
        return;
    }
    match ty {
        Ty::Object(fields) => {
            for f in fields {
                paths(f.ty, depth - 1, c, format!("{prefix}.{}", f.name), out);
            }
        }
        Ty::Map => {
            let step = key_step(c);
            paths(Ty::Any, depth - 1, c, format!("{prefix}{step}"), out);
        }
        Ty::List => {
            let step = index_step(c);
            paths(Ty::Any, depth - 1, c, format!("{prefix}{step}"), out);
            paths(Ty::Number, 0, c, format!("{prefix}.length"), out);
        }
        Ty::Any => {
            let step = if c.chance(50) {
                key_step(c)
            } else {
                index_step(c)
            };
            paths(Ty::Any, depth - 1, c, format!("{prefix}{step}"), out);
        }
        Ty::Text | Ty::Bool | Ty::Number => {}
    }
}

/// Whether a control string reads as a reference (flow-format.md §2; `${` starts a template).
fn reference_like(text: &str) -> bool {
    text.starts_with('$') && !text.starts_with("${")
}

/// A block being built.
struct Node {
    id: String,
    block: &'static Block,
}

struct Generator<'c, C> {
    c: &'c mut C,
    config: Config,
    context: Context,
    nodes: Vec<Node>,
}

fn results_ty(block: &Block) -> Option<Ty> {
    match block.results {
        Results::None => None,
        Results::Value(ty) => Some(ty),
        Results::Fields(fields) => Some(Ty::Object(fields)),
    }
}

impl<C: Choices> Generator<'_, C> {
    fn mistake(&mut self) -> bool {
        self.c.chance(self.config.mistakes)
    }

    /// A reference from the block at `user` (a spine index) that fits `want`.
    fn reference(&mut self, user: usize, want: Want) -> Option<String> {
        if self.mistake() {
            return Some(self.bad_reference(user));
        }
        let mut roots: Vec<(String, Ty)> = vec![("$.agent".to_owned(), Ty::Object(AGENT))];
        if self.context.contact != Availability::No {
            roots.push(("$.contact".to_owned(), Ty::Object(CONTACT_PROPERTIES)));
        }
        match self.context.payload {
            Payload::None => {}
            Payload::Untyped => roots.push(("$.payload".to_owned(), Ty::Any)),
            Payload::Typed(record) => roots.push((
                "$.payload".to_owned(),
                Ty::Object(catalog::payload_fields(record)),
            )),
        }
        for node in &self.nodes[1..user.min(self.nodes.len())] {
            if let Some(ty) = results_ty(node.block) {
                roots.push((format!("$.actions.{}.results", node.id), ty));
            }
        }
        // Prefer block results: they are what flows mostly read.
        let (root, ty) = if roots.len() > 3 && self.c.chance(60) {
            roots[3 + self.c.below(roots.len() - 3)].clone()
        } else {
            self.c.pick_ref(&roots).clone()
        };
        let mut candidates = Vec::new();
        paths(ty, 3, self.c, root, &mut candidates);
        candidates.retain(|(_, ty)| fits(*ty, want));
        if candidates.is_empty() {
            return None;
        }
        Some(self.c.pick_ref(&candidates).0.clone())
    }

    /// A reference that is wrong in one of many ways.
    fn bad_reference(&mut self, user: usize) -> String {
        let id = if self.nodes.is_empty() {
            "x".to_owned()
        } else {
            self.nodes[self.c.below(self.nodes.len())].id.clone()
        };
        let later = self
            .nodes
            .get(user + 1..)
            .filter(|rest| !rest.is_empty())
            .map(|rest| rest[self.c.below(rest.len())].id.clone())
            .unwrap_or_else(|| id.clone());
        match self.c.below(22) {
            0 => format!("$.actions.{id}.results.nope"),
            1 => format!("$.actions.{id}x.results"),
            2 => format!("$.actions.{later}.results"),
            3 => format!("$.actions.{id}.result"),
            4 => "$.actions..results".to_owned(),
            5 => "$12.results.type".to_owned(),
            6 => "$.".to_owned(),
            7 => "$".to_owned(),
            8 => "$.contact.parsedNumber.phone".to_owned(),
            9 => "$.contact.nope".to_owned(),
            10 => "$.contact.queueName.length.x".to_owned(),
            11 => "$.payload.nope".to_owned(),
            12 => "$.agent.dialableCountries.x.y".to_owned(),
            13 => format!("$.actions.{id}.results[0]"),
            14 => format!("$.actions.{id}.results.[x]"),
            15 => format!("$.actions.{id}.results."),
            16 => format!("$.actions.{id}.results[99999999999999999999999]"),
            17 => "$.contact.attributes".to_owned(),
            18 => "$.contact".to_owned(),
            19 => format!("$.actions.{id}.results.{}", "a.".repeat(self.c.below(300))),
            20 => "$.Contact.queueName".to_owned(),
            _ => format!("$.{}", text(self.c, 64)),
        }
    }

    /// A literal for a control of `kind`, right or (sometimes) wrong.
    fn literal(&mut self, control: &Control) -> Json {
        if self.mistake() {
            return match self.c.below(9) {
                0 => Json::Null,
                1 => s(""),
                2 => Json::Object(Vec::new()),
                3 => Json::Array(vec![s("x"), Json::Number("1".into())]),
                4 => Json::Object(vec![("k".into(), Json::Object(Vec::new()))]),
                5 => Json::Number(
                    self.c
                        .pick(&["1", "-1.5", "1e400", "0.1", "-0"])
                        .to_string(),
                ),
                6 => s("true"),
                7 => Json::Bool(true),
                _ => s(text(self.c, self.config.max_string)),
            };
        }
        match (control.kind, control.rule) {
            (ControlKind::Enum(values), _) => s(self.c.pick(values).to_string()),
            (ControlKind::Bool, _) => Json::Bool(self.c.chance(50)),
            (ControlKind::IntegerText, _) => {
                if self.c.chance(70) {
                    s(self
                        .c
                        .pick(&["0", "60", " 42 ", "18446744073709551615"])
                        .to_string())
                } else {
                    Json::Number(self.c.pick(&["0", "60", "1e3"]).to_string())
                }
            }
            (_, Some(Rule::SObjectName | Rule::FieldName)) => s(self
                .c
                .pick(&["Case", "Contact", "Task", "Account", "My_Object__c"])
                .to_string()),
            (_, Some(Rule::FieldNames)) => s(self
                .c
                .pick(&["Id", "Id, Name", "Id,Subject ,  Status"])
                .to_string()),
            (ControlKind::Map, _) => {
                let n = self.c.below(4) + usize::from(control.required);
                let members = (0..n)
                    .map(|i| {
                        let key = if control.rule == Some(Rule::FieldNameKeys) {
                            format!("Field{i}__c")
                        } else {
                            text(self.c, 32)
                        };
                        let value = self.plain_text(false);
                        (key, s(value))
                    })
                    .collect();
                Json::Object(members)
            }
            (ControlKind::Any, _) => match self.c.below(8) {
                0 if !control.required => Json::Null,
                1 => Json::Bool(self.c.chance(50)),
                2 => Json::Number(
                    self.c
                        .pick(&[
                            "0",
                            "-0",
                            "1.5",
                            "1e21",
                            "1e-7",
                            "9007199254740993",
                            "1e400",
                        ])
                        .to_string(),
                ),
                3 => Json::Array(vec![s("a"), Json::Object(vec![("Id".into(), s("1"))])]),
                4 => Json::Object(vec![("a".into(), Json::Array(Vec::new()))]),
                _ => s(self.plain_text(control.required)),
            },
            (ControlKind::Text, rule) => {
                s(self.plain_text(control.required || rule == Some(Rule::NotBlank)))
            }
        }
    }

    /// Literal text that is not a reference (and, when `given`, not blank).
    fn plain_text(&mut self, given: bool) -> String {
        let t = text(self.c, self.config.max_string);
        if given && t.trim().is_empty() {
            "+15550100001".to_owned()
        } else if reference_like(&t) {
            format!(" {t}")
        } else {
            t
        }
    }

    fn want(kind: ControlKind) -> Option<Want> {
        match kind {
            ControlKind::Text | ControlKind::IntegerText => Some(Want::Text),
            ControlKind::Bool => Some(Want::Bool),
            ControlKind::Map => Some(Want::Map),
            ControlKind::Any => Some(Want::Any),
            ControlKind::Enum(_) => None,
        }
    }

    /// A control value: a reference where the kind takes one (often), else a literal.
    fn value(&mut self, user: usize, control: &Control) -> Json {
        if let Some(want) = Self::want(control.kind)
            && control.rule.is_none()
            && self.c.chance(55)
            && let Some(r) = self.reference(user, want)
        {
            return s(r);
        }
        if control.kind == ControlKind::Map && self.c.chance(50) {
            let n = self.c.below(4) + 1;
            let members = (0..n)
                .map(|i| {
                    let key = if control.rule == Some(Rule::FieldNameKeys) {
                        format!("F{i}")
                    } else {
                        format!("k{i}")
                    };
                    let value = match self.reference(user, Want::Text) {
                        Some(r) if self.c.chance(70) => s(r),
                        _ => s(self.plain_text(false)),
                    };
                    (key, value)
                })
                .collect();
            return Json::Object(members);
        }
        self.literal(control)
    }

    fn controls(&mut self, user: usize) -> Json {
        let block = self.nodes[user].block;
        let mut members = Vec::new();
        if block.type_id == "SE_TextStringTemplate" {
            let names: Vec<String> = (0..self.c.below(4)).map(|i| format!("v{i}")).collect();
            let mut template = text(self.c, 64).replace('$', "");
            for name in &names {
                let _ = write!(template, " ${{{name}}}");
            }
            if self.mistake() {
                template.push_str(" ${missing}");
            }
            members.push(("template".to_owned(), s(template)));
            let vars = names
                .into_iter()
                .map(|name| {
                    let value = match self.reference(user, Want::Text) {
                        Some(r) if self.c.chance(60) => s(r),
                        _ => s(self.plain_text(false)),
                    };
                    (name, value)
                })
                .collect();
            members.push(("variables".to_owned(), Json::Object(vars)));
        } else {
            for control in block.controls {
                let give =
                    control.required && !self.mistake() || !control.required && self.c.chance(60);
                if !give {
                    continue;
                }
                let key = match control.legacy {
                    Some(legacy) if self.c.chance(20) => legacy.to_owned(),
                    _ => control.name.to_owned(),
                };
                let value = self.value(user, control);
                members.push((key, value));
            }
            // Creating a record needs an sObject.
            if block.type_id == "SE_SFSaveLog"
                && !members.iter().any(|(k, _)| k == "entityType")
                && !self.mistake()
            {
                members.push(("entityType".to_owned(), s("Case")));
            }
        }
        if self.mistake() {
            let key = if self.c.chance(50) {
                "TaskSubType".to_owned()
            } else {
                text(self.c, 32)
            };
            let value = s(text(self.c, 32));
            members.push((key, value));
        }
        if self.mistake() && !members.is_empty() {
            // A duplicate key: the last one counts.
            let i = self.c.below(members.len());
            let dup = members[i].clone();
            members.push(dup);
        }
        match (members.is_empty(), self.c.below(4)) {
            (true, 0) => Json::Null,
            (true, 1) => Json::Object(Vec::new()),
            _ => Json::Object(members),
        }
    }

    fn id(&mut self, i: usize) -> String {
        if self.mistake() {
            return match self.c.below(3) {
                0 => self.c.pick(SPECIAL_IDS).to_string(),
                1 => text(self.c, 256),
                _ => "x".repeat(self.c.below(self.config.max_string) + 1),
            };
        }
        if self.c.chance(10) {
            // Ids with `.` cannot be referred to; `$` would read as a reference.
            let special = self.c.pick(SPECIAL_IDS);
            if !special.contains(['.', '$']) {
                return format!("{special}{i}");
            }
        }
        self.c.pick(ID_STYLES).replace("{}", &i.to_string())
    }
}

/// A random flow.
pub fn flow(c: &mut impl Choices, config: Config) -> Flow {
    let trigger = trigger(c);
    let loose = c.chance(20);
    let mut g = Generator {
        c,
        config,
        context: Context::of(trigger),
        nodes: Vec::new(),
    };
    let middle = g.c.below(config.max_blocks + 1);
    let ends = g.c.below(3) + 1;
    let start = catalog::lookup("SE_Start").expect("SE_Start");
    let end = catalog::lookup("SE_End").expect("SE_End");
    let id = g.id(0);
    g.nodes.push(Node { id, block: start });
    let usable: Vec<&'static Block> = BLOCKS
        .iter()
        .filter(|b| !matches!(b.type_id, "SE_Start" | "SE_End"))
        .filter(|b| !b.needs_contact || g.context.contact != Availability::No)
        .collect();
    for i in 1..=middle {
        let block: &'static Block = if g.mistake() {
            g.c.pick_ref(BLOCKS)
        } else {
            g.c.pick(&usable)
        };
        let id = g.id(i);
        g.nodes.push(Node { id, block });
    }
    for i in 0..ends {
        let id = g.id(middle + 1 + i);
        g.nodes.push(Node { id, block: end });
    }
    let total = g.nodes.len();
    let mut actions = Vec::new();
    for i in 0..total {
        let block = g.nodes[i].block;
        let mut members = Vec::new();
        // The id, usually first (order is meaningless).
        let id = if g.mistake() {
            match g.c.below(6) {
                0 => Json::Null,
                1 => Json::Number(i.to_string()),
                2 => Json::Number(format!("{i}.0")),
                3 => Json::Array(Vec::new()),
                4 => s(""),
                _ => s(g.nodes[g.c.below(total)].id.clone()),
            }
        } else {
            s(g.nodes[i].id.clone())
        };
        if !g.mistake() {
            members.push(("id".to_owned(), id));
        }
        let type_id = if g.mistake() {
            match g.c.below(6) {
                0 => s(block.type_id.to_lowercase()),
                1 => s(format!("{}x", block.type_id)),
                2 => s(block.display_name),
                3 => Json::Number("1".into()),
                4 => s(""),
                _ => s(text(g.c, 64)),
            }
        } else {
            s(block.type_id)
        };
        if !g.mistake() {
            members.push(("type".to_owned(), type_id));
        }
        if g.c.chance(50) {
            let title = text(g.c, config.max_string);
            members.push((
                "meta".to_owned(),
                Json::Object(vec![("title".to_owned(), s(title))]),
            ));
        }
        if !block.controls.is_empty() || g.c.chance(30) {
            let controls = g.controls(i);
            members.push(("controls".to_owned(), controls));
        }
        let ports = ports(&mut g, i, middle, total, loose);
        if !(matches!(&ports, Json::Object(p) if p.is_empty()) && g.c.chance(50)) {
            members.push(("ports".to_owned(), ports));
        }
        if g.c.chance(40) {
            members.push((
                "position".to_owned(),
                Json::Array(vec![
                    Json::Number(format!("{}", g.c.below(2000))),
                    Json::Number(format!("-{}.5", g.c.below(2000))),
                ]),
            ));
        }
        if g.mistake() {
            let t = g.c.below(members.len() + 1);
            members.truncate(t);
        }
        actions.push(Json::Object(members));
    }
    if g.mistake() && !actions.is_empty() {
        // A second Start, or none.
        if g.c.chance(50) {
            actions.remove(0);
        } else {
            actions.push(Json::Object(vec![
                ("id".into(), s("start-2")),
                ("type".into(), s("SE_Start")),
                ("ports".into(), Json::Object(vec![("done".into(), s("x"))])),
            ]));
        }
    }
    // Order is meaningless: sometimes shuffle.
    if g.c.chance(20) {
        for i in (1..actions.len()).rev() {
            let j = g.c.below(i + 1);
            actions.swap(i, j);
        }
    }
    let mut top = Vec::new();
    if g.c.chance(70) {
        let name = if g.mistake() {
            Json::Number("7".into())
        } else {
            s(text(g.c, config.max_string))
        };
        top.push(("name".to_owned(), name));
    }
    top.push(("actions".to_owned(), Json::Array(actions)));
    if g.mistake() {
        top.push((text(g.c, 16), Json::Null));
    }
    if g.mistake() {
        top.reverse();
    }
    let style = Style::random(g.c);
    Flow {
        text: write(&Json::Object(top), style),
        trigger,
        loose,
    }
}

/// The `ports` of the block at `i`: the main port down the spine, side ports to End blocks (or,
/// when `loose`, anywhere).
fn ports<C: Choices>(
    g: &mut Generator<'_, C>,
    i: usize,
    middle: usize,
    total: usize,
    loose: bool,
) -> Json {
    let block = g.nodes[i].block;
    let mut members = Vec::new();
    let end_of = |g: &mut Generator<'_, C>| {
        g.nodes[middle + 1 + g.c.below(total - middle - 1)]
            .id
            .clone()
    };
    for (k, port) in block.ports.iter().enumerate() {
        let main = k == 0;
        let target = if loose && g.c.chance(40) {
            // Anywhere, cycles included.
            Some(g.nodes[g.c.below(total)].id.clone())
        } else if main {
            if i < middle {
                Some(g.nodes[i + 1].id.clone())
            } else {
                Some(end_of(g))
            }
        } else if g.c.chance(75) {
            Some(end_of(g))
        } else {
            None
        };
        let value = match target {
            _ if g.mistake() => match g.c.below(6) {
                0 => s("nowhere"),
                1 => Json::Null,
                2 => s(""),
                3 => Json::Number("3".into()),
                4 => Json::Array(Vec::new()),
                _ => s(g.nodes[g.c.below(i + 1)].id.clone()),
            },
            Some(id) => s(id),
            None => continue,
        };
        let name = if g.mistake() {
            g.c.pick(&["next", "succes", "Done", "true ", "", "failure", "false"])
                .to_string()
        } else {
            port.name().to_owned()
        };
        members.push((name, value));
    }
    Json::Object(members)
}

/// The `flowgen` fuzz target's reading of its bytes: a flow, the options to compile it with
/// (usually the trigger it was made for, allowing `maybe_unset` when its wiring is loose;
/// sometimes another trigger and lint levels), and a target byte for
/// [`crate::properties::target`].
pub fn case(data: &[u8]) -> (String, Options, u8) {
    let mut bytes = Bytes(data);
    // Small flows by default: a fuzzer runs more of them, and length is the stable tests' job.
    let config = Config {
        max_blocks: [6, 16, 40][bytes.below(3)],
        mistakes: [0, 2, 10][bytes.below(3)],
        max_string: [16, 256, 4096][bytes.below(3)],
    };
    let flow = flow(&mut bytes, config);
    let options = if bytes.chance(25) {
        let trigger = bytes.below(256) as u8;
        let levels: Vec<u8> = (0..8).map(|_| bytes.below(4) as u8).collect();
        crate::properties::options(trigger, &levels)
    } else {
        let mut options = Options {
            trigger: flow.trigger,
            ..Options::default()
        };
        if flow.loose {
            options
                .lints
                .set("maybe_unset", Level::Allow)
                .expect("a lint");
        }
        options
    };
    let target = bytes.below(256) as u8;
    (flow.text, options, target)
}
