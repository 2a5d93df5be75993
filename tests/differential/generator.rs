//! A seeded generator of random **valid** CTI Flows, for the differential test (compiled flows
//! against the interpreter) and anything else that wants many flows the checker accepts.
//!
//! Include it with `#[path = "differential/generator.rs"] mod generator;` beside
//! `#[path = "differential/scenario.rs"] mod scenario;`, then call
//! [`flow`] (or [`flow_with`] to leave out a [`Features`] construct) and check or compile the
//! flow with [`options`] or [`allowed_lints`]. It depends only on
//! `ctiflow_codegen` (the catalog, triggers, options) and `ctiflow` (to know the ids the
//! scenarios' orgs give their records).
//!
//! Every flow is valid by construction, not by rejection: the generator builds the graph first
//! (Start, a body of random blocks, one to three Ends, sometimes unreachable blocks), computes
//! which block results are definitely available where (the checker's must-analysis: a producer
//! counts after it left through a port other than `failure`), and only then fills controls, so
//! that every reference reads a producer that dominates its use, or, in flows that allow
//! `maybe_unset`, possibly one that has not run. Types follow the catalog: text controls get
//! text-like references, boolean controls booleans, map controls objects of text, and so on.
//!
//! Shapes: chains, branches that join again (diamonds), forward skips (joins), back edges
//! (cycles, ended by a branch or by the step limit), unconnected ports (failure ones included),
//! unreachable blocks. Values: literals of every JSON kind where a control takes them, `$.agent`,
//! `$.contact` and `$.payload` reads that fit the trigger, awkward block ids (`uid-1` beside
//! `uid_1`, spaces, unicode, keywords), titles, and the adapter's export styles (2-space,
//! 4-space, tab, minified; `meta`, `controls` and `ports` empty, `null` or absent).

#![allow(dead_code)]

use std::collections::BTreeSet;

use ctiflow_codegen::catalog::{
    self, AGENT, Block, CONTACT_PROPERTIES, Catalog, Control, ControlKind, Port, Results, Rule, Ty,
};
use ctiflow_codegen::declarations;
use ctiflow_codegen::trigger::{Availability, Context, Payload};
use ctiflow_codegen::{Code, Level, Options, Source, Trigger};

/// One generated flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFlow {
    /// The flow file's text, as the adapter exports it.
    pub json: String,
    /// The (source, event) it is written for: its `$.contact`/`$.payload` reads fit it.
    pub trigger: Trigger,
    /// Whether it may read producers that have not run (the `maybe_unset` lint is allowed).
    pub allow_maybe_unset: bool,
    /// The seed it was generated from.
    pub seed: u64,
}

/// The extension blocks generated flows may use besides the catalog's: every port shape,
/// every control kind, every result type, optional results and a block without results.
pub const DECLARATIONS: &str = r#"
[[block]]
type = "X_Compute"
name = "Compute"
ports = ["done"]
portability = "pure"
controls = [
  { name = "input", kind = "any" },
  { name = "label", kind = "text", required = true },
  { name = "mode", kind = "enum", values = ["fast", "slow"], default = "fast" },
]
results = [
  { name = "text", type = "text" },
  { name = "number", type = "number", optional = true },
  { name = "flag", type = "bool" },
  { name = "list", type = "array", optional = true },
  { name = "object", type = "object", optional = true },
  { name = "raw", type = "any" },
]

[[block]]
type = "X_Call"
name = "Call out"
ports = ["success", "failure"]
portability = "changes_meaning"
controls = [
  { name = "target", kind = "text" },
  { name = "fields", kind = "map" },
  { name = "strict", kind = "bool" },
]
results = [{ name = "id", type = "text", optional = true }]

[[block]]
type = "X_Notify"
name = "Notify"
ports = ["success", "failure"]
contact = true
controls = [{ name = "message", kind = "text", required = true }]
"#;

/// The catalog of generated flows: the built-in blocks and [`DECLARATIONS`].
pub fn catalog() -> Catalog {
    declarations::load(DECLARATIONS).expect("the generator's declarations are valid")
}

/// The checker options the flow passes with: its trigger, the generator's declarations, and
/// `maybe_unset` allowed when the flow needs it. Warnings (cycles, unreachable blocks,
/// constant conditions...) stay warnings.
pub fn options(flow: &GeneratedFlow) -> Options {
    let mut options = Options {
        trigger: Some(flow.trigger),
        catalog: catalog(),
        ..Options::default()
    };
    if flow.allow_maybe_unset {
        options
            .lints
            .set(Code::MaybeUnset.as_str(), Level::Allow)
            .expect("maybe_unset is a lint");
    }
    options
}

/// The lints to allow where the flow is compiled (`include_flow!(..., allow(...))`), so that
/// the compiler reports nothing: `maybe_unset` when the flow needs it, and every warning lint a
/// generated flow may trip.
pub fn allowed_lints(flow: &GeneratedFlow) -> Vec<Code> {
    let mut lints = vec![
        Code::Unreachable,
        Code::ConstantCondition,
        Code::UnknownControl,
        Code::DeprecatedPath,
        Code::Cycle,
    ];
    if flow.allow_maybe_unset {
        lints.push(Code::MaybeUnset);
    }
    lints
}

/// What the generator may put in flows: everything by default. Turning a feature off keeps
/// flows clear of a construct some component does not handle yet, without losing the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Blocks that read their own results: in `maybe_unset` flows, the value of an earlier
    /// pass through a cycle, or `undefined` (and in unreachable blocks, never compiled).
    pub self_reads: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features { self_reads: true }
    }
}

/// The flow of `seed`, with every feature: the same seed always gives the same text.
pub fn flow(seed: u64) -> GeneratedFlow {
    flow_with(seed, &Features::default())
}

/// The flow of `seed` with `features` only.
pub fn flow_with(seed: u64, features: &Features) -> GeneratedFlow {
    let mut rng = Rng::new(seed ^ 0x243F_6A88_85A3_08D3);
    let trigger = pick_trigger(&mut rng);
    let allow_maybe_unset = rng.chance(0.35);
    let json = Builder::new(&mut rng, trigger, allow_maybe_unset, *features).build();
    GeneratedFlow {
        json,
        trigger,
        allow_maybe_unset,
        seed,
    }
}

// ---------------------------------------------------------------------------------------------
// What the generator shares with the scenarios, which it is always included beside: the
// property keys, the ids of the orgs' records, and the seeded random generator.

use super::scenario::Rng;
pub use super::scenario::{PROPERTY_KEYS, record_ids};

// ---------------------------------------------------------------------------------------------
// JSON with key order and formatting under control

/// A JSON value whose objects keep their key order and whose numbers keep their spelling.
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    /// A number as written (`-0`, `1e21`, `2.50`).
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn s(text: impl AsRef<str>) -> J {
    J::Str(text.as_ref().to_owned())
}

fn obj(entries: Vec<(&str, J)>) -> J {
    J::Obj(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// How a file is laid out: the adapter exports 2-space, 4-space, tab-indented and minified.
#[derive(Clone, Copy)]
enum Layout {
    Minified,
    Indented(&'static str),
}

fn quoted(text: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(text).expect("a string serialises"));
}

fn write_json(value: &J, layout: Layout, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Layout::Indented(unit) = layout {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(unit);
            }
        }
    };
    match value {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(raw) => out.push_str(raw),
        J::Str(text) => quoted(text, out),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Obj(entries) if entries.is_empty() => out.push_str("{}"),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, layout, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        J::Obj(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                quoted(key, out);
                out.push(':');
                if matches!(layout, Layout::Indented(_)) {
                    out.push(' ');
                }
                write_json(item, layout, depth + 1, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Triggers

/// A source uniformly, then one of its events: every context (no contact, maybe one, one;
/// no payload, untyped, each typed payload) comes up often.
fn pick_trigger(rng: &mut Rng) -> Trigger {
    let source = *rng.pick(Source::ALL);
    let event = match source.events() {
        [] => None,
        events => Some(*rng.pick(events)),
    };
    Trigger { source, event }
}

// ---------------------------------------------------------------------------------------------
// Literal pools

/// Number literals as written in JSON: negative, fractional, exponents, `-0`, beyond 2^53.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "42",
    "-3",
    "2.5",
    "-0.5",
    "0.1",
    "1e21",
    "1.5e-7",
    "-0",
    "1E3",
    "100",
    "9007199254740993",
    "3.14159",
];

/// Free text: white space, JavaScript-looking words, escapes, unicode, a `$` not at the start.
const TEXTS: &[&str] = &[
    "x",
    "hello world",
    " ",
    "null",
    "42",
    "-5",
    "1.5",
    "true",
    "false",
    "0",
    "undefined",
    "NaN",
    "日本語",
    "tab\there",
    "quote \" inside",
    "back\\slash",
    "costs 5$",
    "${notAPlaceholder}",
    "{not json}",
    "  padded  ",
    "emoji 🎉",
    "line\nbreak",
    "Acme",
    "+15551234567",
];

const PHONES: &[&str] = &[
    "+15551234567",
    "(555) 123-4567",
    "555-123-4567",
    "+1 555 123 4567",
    "+81 3-1234-5678",
    "03-1234-5678",
    "sip:+15551234567@example.com",
    "12345",
    "not a number",
];
const SEARCHES: &[&str] = &[
    "+15551234567",
    "(555) 123-4567",
    "Acme",
    "acme",
    "ann@example.com",
    "Broken",
    "Globex",
    "nothing matches this",
];
const COUNTRIES: &[&str] = &["US", "JP", "GB", "XX", "us", " US"];
const SOBJECTS: &[&str] = &[
    "Case",
    "Account",
    "Contact",
    "Lead",
    "Task",
    "Opportunity",
    "Custom__c",
];
const FIELD_NAMES: &[&str] = &["Phone", "MobilePhone", "HomePhone", "Email", "Name"];
const FIELD_LISTS: &[&str] = &[
    "Name",
    "Name, Phone",
    "Id,Name",
    "Subject , Status",
    "LastName, FirstName, Phone",
    "Name,",
    "Name,,Phone",
];
/// Keys of map controls whose keys must be Salesforce field names.
const FIELD_KEYS: &[&str] = &[
    "Subject",
    "Description",
    "Status",
    "Custom_Field__c",
    "Name",
    "Phone",
    "Origin",
];
/// Keys of other map controls.
const FREE_KEYS: &[&str] = &[
    "Subject",
    "lastAgent",
    "Bad Key",
    "1x",
    "日本",
    "a.b",
    "k",
    "$notRef",
];
const ATTRIBUTE_NAMES: &[&str] = &["customerId", "key", "missing", "日本"];
/// `keyPath`s of Extract Value: into the scenarios' payloads and records, and past them.
const KEY_PATHS: &[&str] = &[
    "a",
    "a.b",
    "list.0",
    "list.1",
    "0.Id",
    "Name",
    "record.Name",
    "items.0.key",
    "nested.key",
    "missing",
    "value",
    "Id",
    "phone",
    "status.type",
    "attributes.customerId",
    "parsedNumber.number",
    "0",
    "length",
];
/// Steps into untyped values: the scenarios' payloads, attributes and records have most.
const UNTYPED_STEPS: &[&str] = &[
    ".key",
    ".Name",
    ".Id",
    ".Phone",
    ".number",
    ".recordId",
    ".customerId",
    ".items[0]",
    ".items[0].key",
    ".items.[1]",
    ".nested.key",
    ".nested",
    "[0]",
    ".0",
    ".missing",
    ".a b",
    ".日本",
    ".flag",
    ".count",
    ".empty",
    ".nil",
    ".list[2]",
];
const LIST_STEPS: &[&str] = &["[0]", "[1]", ".[0]", ".0", "[5]"];
/// Names of String Template variables.
const VARIABLES: &[&str] = &[
    "name",
    "id",
    "phone",
    "queue",
    "first name",
    "名前",
    "x1",
    "_",
];
/// Text between placeholders; none starts with `$` (a template is not a reference).
const TEMPLATE_TEXT: &[&str] = &[
    "Hi ",
    "Caller: ",
    " - ",
    "日本語 ",
    "{literal} ",
    " costs 5$ ",
    "100% ",
    "\"quoted\" ",
    "\n",
    "} stray ",
    "",
];
const TITLES: &[&str] = &[
    "Pop the caller",
    "Search Salesforce",
    "検索してポップ",
    "Say \"hi\"",
    "emoji 🎉",
    "  ",
    "Line\nbreak",
    "back\\slash",
    "If-else",
    "Start",
];
/// Block ids that are awkward for generated names: keywords, reserved names, unicode, symbols.
const AWKWARD_IDS: &[&str] = &[
    "uid-NaN",
    "uid-start",
    "uid-001",
    "a b",
    "ブロック",
    "日本語",
    "self",
    "Self",
    "type",
    "fn",
    "results",
    "rt",
    "ctx",
    "driver",
    "state",
    "run",
    "limits",
    "_",
    "__",
    "-",
    "🙂",
    "a-b",
    "x[0]",
    "$x",
    "a\"b",
    "back\\slash",
    " ",
    "0",
    "00",
    "uid--1",
    "r#x",
    "mod",
    "crate",
    "super",
    "async",
    "loop",
    "Start",
    "end",
];
/// Ids with a dot: a reference cannot name them, so only blocks without results get them.
const DOTTED_IDS: &[&str] = &["v1.2", "a.b", "..", "uid.1"];
/// Ids that sanitise to one Rust name.
const COLLIDING_IDS: &[&[&str]] = &[
    &["uid-7", "uid_7", "uid 7"],
    &["a b", "a_b", "A B", "a-b"],
    &["b1", "B1", "b_1"],
    &["x", "X", "x_"],
    &["uid-1", "uid_1", "UID-1"],
];

// ---------------------------------------------------------------------------------------------
// Reference shapes

/// What a reference reads, as far as the checker's typing is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Text,
    Number,
    Bool,
    Any,
    List,
    Map,
    /// A record of known fields; `flat` when every field converts to text (so it can stand for
    /// a map control).
    Record {
        flat: bool,
    },
}

fn shape(ty: Ty) -> Shape {
    match ty {
        Ty::Text => Shape::Text,
        Ty::Number => Shape::Number,
        Ty::Bool => Shape::Bool,
        Ty::Any => Shape::Any,
        Ty::List => Shape::List,
        Ty::Map => Shape::Map,
        Ty::Object(fields) => Shape::Record {
            flat: fields
                .iter()
                .all(|f| matches!(f.ty, Ty::Text | Ty::Number | Ty::Bool | Ty::Any)),
        },
    }
}

/// Every path below a value of `ty` the checker resolves, with what it reads: the whole value,
/// every field of records (recursively), and steps into untyped values.
fn paths_of(ty: Ty, prefix: &str, out: &mut Vec<(String, Shape)>) {
    out.push((prefix.to_owned(), shape(ty)));
    match ty {
        Ty::Object(fields) => {
            for f in fields {
                paths_of(f.ty, &format!("{prefix}.{}", f.name), out);
            }
        }
        Ty::Map | Ty::Any => {
            for step in UNTYPED_STEPS {
                out.push((format!("{prefix}{step}"), Shape::Any));
            }
        }
        Ty::List => {
            for step in LIST_STEPS {
                out.push((format!("{prefix}{step}"), Shape::Any));
            }
        }
        Ty::Text | Ty::Number | Ty::Bool => {}
    }
}

/// Whether a reference of `shape` is accepted for a control of `kind` (`entry`: as the value of
/// one entry of a map control).
fn fits(kind: ControlKind, entry: bool, shape: Shape) -> bool {
    let text_like = matches!(
        shape,
        Shape::Text | Shape::Number | Shape::Bool | Shape::Any
    );
    match kind {
        ControlKind::Text => text_like,
        ControlKind::Map if entry => text_like,
        ControlKind::IntegerText => matches!(shape, Shape::Text | Shape::Number | Shape::Any),
        ControlKind::Bool => matches!(shape, Shape::Bool | Shape::Any),
        ControlKind::Map => matches!(
            shape,
            Shape::Map | Shape::Any | Shape::Record { flat: true }
        ),
        ControlKind::Any => true,
        ControlKind::Enum(_) => false,
    }
}

fn result_ty(block: &Block) -> Option<Ty> {
    match block.results {
        Results::None => None,
        Results::Value(ty) => Some(ty),
        Results::Fields(fields) => Some(Ty::Object(fields)),
    }
}

/// Something references start from: `$.agent`, `$.contact`, `$.payload` or a block's results.
struct Root {
    /// The paths below it, written out in full, with what they read.
    paths: Vec<(String, Shape)>,
}

// ---------------------------------------------------------------------------------------------
// The graph

/// Where a port leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The block at this index.
    Node(usize),
    /// Not connected: the port is left out, as the adapter writes it.
    Absent,
    /// Not connected, written `""` (which the front end reads as left out).
    Empty,
    /// Not connected, written `null`.
    Null,
}

struct Node {
    id: String,
    block: &'static Block,
    title: Option<String>,
    ports: Vec<(Port, Target)>,
    /// Not reached from Start (no port leads to it).
    orphan: bool,
    /// Index into the builder's roots, when the block has results.
    root: Option<usize>,
}

struct Builder<'r> {
    rng: &'r mut Rng,
    trigger: Trigger,
    context: Context,
    allow_maybe_unset: bool,
    features: Features,
    nodes: Vec<Node>,
    roots: Vec<Root>,
    /// Roots every block may read: `$.agent`, and `$.contact`/`$.payload` where the trigger has
    /// them.
    globals: Vec<usize>,
    /// The ids of the scenario orgs' records.
    record_ids: Vec<String>,
}

/// Where references of one control may come from.
struct Scope {
    /// Roots of producers whose results are definitely available.
    definite: Vec<usize>,
    /// Roots of producers that may not have run: read where `maybe_unset` is allowed, and by
    /// unreachable blocks, which the checker does not judge for it.
    maybe: Vec<usize>,
}

impl<'r> Builder<'r> {
    fn new(
        rng: &'r mut Rng,
        trigger: Trigger,
        allow_maybe_unset: bool,
        features: Features,
    ) -> Builder<'r> {
        Builder {
            rng,
            trigger,
            context: Context::of(Some(trigger)),
            allow_maybe_unset,
            features,
            nodes: Vec::new(),
            roots: Vec::new(),
            globals: Vec::new(),
            record_ids: record_ids(),
        }
    }

    fn build(mut self) -> String {
        self.blocks();
        self.ids();
        self.wire();
        self.global_roots();
        for i in 0..self.nodes.len() {
            if let Some(ty) = result_ty(self.nodes[i].block) {
                let mut paths = Vec::new();
                paths_of(
                    ty,
                    &format!("$.actions.{}.results", self.nodes[i].id),
                    &mut paths,
                );
                self.nodes[i].root = Some(self.roots.len());
                self.roots.push(Root { paths });
            }
        }
        let available = self.availability();
        let mut actions = Vec::with_capacity(self.nodes.len());
        for i in 0..self.nodes.len() {
            let scope = self.scope(i, &available);
            let controls = self.controls(i, &scope);
            actions.push(self.action(i, controls));
        }
        if self.rng.chance(0.3) {
            // The order of actions is meaningless; Start need not come first.
            self.rng.shuffle(&mut actions);
        }
        let mut document = Vec::new();
        if self.rng.chance(0.6) {
            let name = match self.rng.below(3) {
                0 => self.trigger.to_string(),
                1 => "テストフロー".to_owned(),
                _ => format!("Generated flow {}", self.rng.below(1000)),
            };
            document.push(("name", J::Str(name)));
        }
        document.push(("actions", J::Arr(actions)));
        let layout = match self.rng.weighted(&[35, 25, 20, 20]) {
            0 => Layout::Indented("    "),
            1 => Layout::Indented("  "),
            2 => Layout::Indented("\t"),
            _ => Layout::Minified,
        };
        let mut text = String::new();
        write_json(&obj(document), layout, 0, &mut text);
        if matches!(layout, Layout::Indented(_)) {
            text.push('\n');
        }
        text
    }

    /// Start, the body, the Ends and maybe unreachable blocks, with their types.
    fn blocks(&mut self) {
        let lookup = |t| catalog::lookup(t).expect("a catalog block");
        let pool: Vec<(&'static Block, u32)> = catalog::BLOCKS
            .iter()
            .chain(catalog().declared())
            .filter(|b| !matches!(b.type_id, "SE_Start" | "SE_End"))
            .filter(|b| !(b.needs_contact && self.context.contact == Availability::No))
            .map(|b| match b.type_id {
                "SE_Decision" => (b, 4),
                "SE_CoreTruthy" => (b, 2),
                _ => (b, 1),
            })
            .collect();
        let weights: Vec<u32> = pool.iter().map(|(_, w)| *w).collect();
        let body = if self.rng.chance(0.5) {
            self.rng.between(1, 6)
        } else {
            self.rng.between(1, 19)
        };
        let ends = self.rng.weighted(&[60, 30, 10]) + 1;
        let orphans = if self.rng.chance(0.12) {
            self.rng.between(1, 2)
        } else {
            0
        };
        let add = |this: &mut Self, block: &'static Block, orphan: bool| {
            let title = this
                .rng
                .chance(0.3)
                .then(|| (*this.rng.pick(TITLES)).to_owned());
            this.nodes.push(Node {
                id: String::new(),
                block,
                title,
                ports: Vec::new(),
                orphan,
                root: None,
            });
        };
        add(self, lookup("SE_Start"), false);
        for _ in 0..body {
            let block = pool[self.rng.weighted(&weights)].0;
            add(self, block, false);
        }
        for _ in 0..ends {
            add(self, lookup("SE_End"), false);
        }
        for _ in 0..orphans {
            let block = pool[self.rng.weighted(&weights)].0;
            add(self, block, true);
        }
    }

    /// Unique ids in one of the adapter's styles, some awkward, some colliding once sanitised.
    fn ids(&mut self) {
        let mut used = BTreeSet::new();
        let style = self.rng.weighted(&[45, 15, 10, 30]);
        let mut counter = self.rng.below(3);
        let n = self.nodes.len();
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            counter += 1 + if self.rng.chance(0.3) {
                self.rng.below(5)
            } else {
                0
            };
            let plain = match style {
                0 => format!("uid-{counter}"),
                1 => format!("uid{counter}"),
                2 => format!("{counter}"),
                _ if self.rng.chance(0.5) => format!("uid-{counter}"),
                _ => format!("b{counter}"),
            };
            let awkward = match style {
                3 => 0.5,
                _ => 0.08,
            };
            let id = if self.rng.chance(awkward) {
                if self.nodes[i].block.results == Results::None && self.rng.chance(0.2) {
                    (*self.rng.pick(DOTTED_IDS)).to_owned()
                } else {
                    (*self.rng.pick(AWKWARD_IDS)).to_owned()
                }
            } else {
                plain
            };
            ids.push(id);
        }
        if self.rng.chance(0.2) {
            // Two or three blocks whose ids sanitise alike.
            let group = *self.rng.pick(COLLIDING_IDS);
            let mut slots: Vec<usize> = (0..n).collect();
            self.rng.shuffle(&mut slots);
            for (slot, id) in slots.into_iter().zip(group.iter()) {
                ids[slot] = (*id).to_owned();
            }
        }
        for (node, mut id) in self.nodes.iter_mut().zip(ids) {
            while !used.insert(id.clone()) {
                id.push('\'');
            }
            node.id = id;
        }
    }

    fn is_end(&self, i: usize) -> bool {
        self.nodes[i].block.type_id == "SE_End" && !self.nodes[i].orphan
    }

    /// Connects ports: mostly to the next block (chains), else forward (skips, diamonds and
    /// joins), to an End, back (cycles) or nowhere.
    fn wire(&mut self) {
        let n = self.nodes.len();
        let ends: Vec<usize> = (0..n).filter(|&i| self.is_end(i)).collect();
        let body_end = ends[0] - 1; // the body is 1..=body_end
        let loops = self.rng.chance(0.35);
        let back_weight = if loops { 12 } else { 0 };
        for i in 0..n {
            let node = &self.nodes[i];
            if node.block.type_id == "SE_End" && !node.orphan {
                continue;
            }
            let ports = node.block.ports;
            let orphan = node.orphan;
            let mut wired = Vec::new();
            for &port in ports {
                let next = if i < body_end { i + 1 } else { ends[0] };
                let target = if i == 0 {
                    Target::Node(1)
                } else if orphan {
                    // Into the reachable graph, or nowhere.
                    match self.rng.below(3) {
                        0 => Target::Absent,
                        _ => Target::Node(self.rng.between(1, ends[ends.len() - 1])),
                    }
                } else {
                    // Weights: next, near forward, any forward, an End, back, unconnected.
                    let weights: [u32; 6] = match port {
                        Port::Failure => [8, 12, 8, 20, back_weight / 2, 40],
                        Port::False => [20, 25, 10, 18, back_weight, 12],
                        _ => [72, 6, 6, 6, back_weight, 5],
                    };
                    match self.rng.weighted(&weights) {
                        0 => Target::Node(next),
                        1 if i + 2 <= body_end => {
                            Target::Node(self.rng.between(i + 2, body_end.min(i + 4)))
                        }
                        1 | 2 if i < body_end => Target::Node(self.rng.between(i + 1, body_end)),
                        4 => Target::Node(self.rng.between(1, i)),
                        5 => Target::Absent,
                        _ => Target::Node(*self.rng.pick(&ends)),
                    }
                };
                let target = match target {
                    Target::Absent if self.rng.chance(0.1) => {
                        if self.rng.chance(0.5) {
                            Target::Empty
                        } else {
                            Target::Null
                        }
                    }
                    t => t,
                };
                wired.push((port, target));
            }
            self.nodes[i].ports = wired;
        }
        self.reconnect(body_end);
    }

    /// Gives most blocks the random wiring left unreached a way in: an unconnected port of an
    /// earlier reached block, else the main port of the block before it. Some stay unreached.
    fn reconnect(&mut self, body_end: usize) {
        for j in 2..=body_end {
            if self.reachable()[j] || self.rng.chance(0.15) {
                continue;
            }
            let reachable = self.reachable();
            let open: Vec<(usize, usize)> = (1..j)
                .filter(|&i| reachable[i])
                .flat_map(|i| {
                    self.nodes[i]
                        .ports
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, t))| !matches!(t, Target::Node(_)))
                        .map(move |(p, _)| (i, p))
                })
                .collect();
            let (i, p) = if !open.is_empty() && self.rng.chance(0.7) {
                *self.rng.pick(&open)
            } else {
                let earlier: Vec<usize> = (1..j).filter(|&i| reachable[i]).collect();
                let i = if reachable[j - 1] {
                    j - 1
                } else {
                    *self.rng.pick(&earlier)
                };
                (i, 0)
            };
            self.nodes[i].ports[p].1 = Target::Node(j);
        }
    }

    /// Which blocks a path from Start reaches, as wired so far.
    fn reachable(&self) -> Vec<bool> {
        let mut reachable = vec![false; self.nodes.len()];
        reachable[0] = true;
        let mut stack = vec![0];
        while let Some(v) = stack.pop() {
            for &(_, t) in &self.nodes[v].ports {
                if let Target::Node(to) = t
                    && !reachable[to]
                {
                    reachable[to] = true;
                    stack.push(to);
                }
            }
        }
        reachable
    }

    fn global_roots(&mut self) {
        let add = |this: &mut Self, ty: Ty, prefix: &str| {
            let mut paths = Vec::new();
            paths_of(ty, prefix, &mut paths);
            this.globals.push(this.roots.len());
            this.roots.push(Root { paths });
        };
        add(self, Ty::Object(AGENT), "$.agent");
        if self.context.contact != Availability::No {
            add(self, Ty::Object(CONTACT_PROPERTIES), "$.contact");
        }
        match self.context.payload {
            Payload::None => {}
            Payload::Untyped => add(self, Ty::Any, "$.payload"),
            Payload::Typed(record) => add(
                self,
                Ty::Object(catalog::payload_fields(record)),
                "$.payload",
            ),
        }
    }

    /// For every block reached from Start, the producers whose results are definitely
    /// available when it starts (a bit set over block indexes); `None` for unreachable blocks.
    /// A producer's results exist after it left through a port other than `failure`.
    fn availability(&self) -> Vec<Option<u64>> {
        let n = self.nodes.len();
        assert!(n <= 64, "flows stay below 64 blocks");
        let edges: Vec<(usize, Port, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, node)| {
                node.ports.iter().filter_map(move |&(port, t)| match t {
                    Target::Node(to) => Some((i, port, to)),
                    _ => None,
                })
            })
            .collect();
        let reachable = self.reachable();
        let gives = |i: usize, port: Port| {
            if port != Port::Failure && self.nodes[i].root.is_some() {
                1u64 << i
            } else {
                0
            }
        };
        // The greatest fixed point: start from "everything" and intersect along edges.
        let mut avail: Vec<Option<u64>> = (0..n)
            .map(|i| reachable[i].then_some(if i == 0 { 0 } else { u64::MAX }))
            .collect();
        loop {
            let mut changed = false;
            for v in 1..n {
                if !reachable[v] {
                    continue;
                }
                let mut meet = u64::MAX;
                for &(from, port, to) in &edges {
                    if to == v
                        && let Some(inflow) = avail[from]
                    {
                        meet &= inflow | gives(from, port);
                    }
                }
                if avail[v] != Some(meet) {
                    avail[v] = Some(meet);
                    changed = true;
                }
            }
            if !changed {
                return avail;
            }
        }
    }

    /// What block `i` may read: definitely available producers, and the others when that is
    /// allowed (always for unreachable blocks, which the checker does not judge for it).
    fn scope(&self, i: usize, available: &[Option<u64>]) -> Scope {
        let mut definite = Vec::new();
        let mut maybe = Vec::new();
        for (p, node) in self.nodes.iter().enumerate() {
            let Some(root) = node.root else { continue };
            if p == i && !self.features.self_reads {
                continue;
            }
            match available[i] {
                Some(bits) if bits & (1 << p) != 0 => definite.push(root),
                Some(_) if self.allow_maybe_unset => maybe.push(root),
                None => maybe.push(root),
                Some(_) => {}
            }
        }
        Scope { definite, maybe }
    }

    // -----------------------------------------------------------------------------------------
    // Values

    /// A reference fitting `want`, from the scope's producers or the globals; `None` when none
    /// fits.
    fn reference(&mut self, scope: &Scope, want: &dyn Fn(Shape) -> bool) -> Option<String> {
        let mut classes: Vec<(&[usize], u32)> = vec![
            (&scope.maybe, if scope.maybe.is_empty() { 0 } else { 25 }),
            (
                &scope.definite,
                if scope.definite.is_empty() { 0 } else { 45 },
            ),
            (&self.globals, 30),
        ];
        while classes.iter().any(|(_, w)| *w > 0) {
            let weights: Vec<u32> = classes.iter().map(|(_, w)| *w).collect();
            let c = self.rng.weighted(&weights);
            let mut roots = classes[c].0.to_vec();
            self.rng.shuffle(&mut roots);
            for r in roots {
                let fitting: Vec<&String> = self.roots[r]
                    .paths
                    .iter()
                    .filter(|(_, shape)| want(*shape))
                    .map(|(path, _)| path)
                    .collect();
                if !fitting.is_empty() {
                    return Some((*self.rng.pick(&fitting)).clone());
                }
            }
            classes[c].1 = 0;
        }
        None
    }

    fn maybe_reference(&mut self, scope: &Scope, p: f64, kind: ControlKind) -> Option<J> {
        if self.rng.chance(p) {
            self.reference(scope, &|shape| fits(kind, false, shape))
                .map(J::Str)
        } else {
            None
        }
    }

    fn number(&mut self) -> J {
        J::Num((*self.rng.pick(NUMBERS)).to_owned())
    }

    /// A text control's literal: from `pool` mostly, sometimes a number, a boolean or free text.
    fn text_literal(&mut self, pool: &[&str], strict: bool) -> J {
        if strict {
            return s(self.rng.pick(pool));
        }
        match self.rng.weighted(&[70, 10, 5, 15]) {
            0 => s(self.rng.pick(pool)),
            1 => self.number(),
            2 => J::Bool(self.rng.chance(0.5)),
            _ => s(self.rng.pick(TEXTS)),
        }
    }

    /// A literal for an `any` control: every JSON kind, blanks included, objects holding
    /// references (which are read), arrays holding reference-like text (which is not).
    fn any_literal(&mut self, scope: &Scope) -> J {
        match self.rng.below(16) {
            0 => J::Null,
            1 => s(""),
            2 => J::Obj(Vec::new()),
            3 => J::Bool(self.rng.chance(0.5)),
            4 | 5 => self.number(),
            6 => obj(vec![
                ("a", obj(vec![("b", s("x"))])),
                ("list", J::Arr(vec![J::Num("1".into()), s("two")])),
                ("Name", s("Acme")),
            ]),
            7 => J::Arr(vec![
                J::Num("1".into()),
                s("a"),
                obj(vec![("Id", s("001"))]),
            ]),
            8 => J::Arr(if self.rng.chance(0.5) {
                Vec::new()
            } else {
                vec![J::Null, s("$.agent.name")]
            }),
            9 => {
                let inner = self
                    .reference(scope, &|_| true)
                    .map_or_else(|| s("x"), J::Str);
                let outer = self
                    .reference(scope, &|shape| fits(ControlKind::Text, false, shape))
                    .map_or(J::Null, J::Str);
                obj(vec![
                    ("read", inner),
                    ("nested", obj(vec![("text", outer), ("n", self.number())])),
                ])
            }
            _ => s(self.rng.pick(TEXTS)),
        }
    }

    /// A value for an `any` control: a reference of any shape, or a literal.
    fn any_value(&mut self, scope: &Scope, p_reference: f64) -> J {
        if self.rng.chance(p_reference)
            && let Some(r) = self.reference(scope, &|_| true)
        {
            return J::Str(r);
        }
        self.any_literal(scope)
    }

    /// A map control's value: a literal object (1 to 4 entries, values text, numbers, booleans,
    /// blanks or text-like references), or now and then a reference to an object of text.
    fn map_value(&mut self, scope: &Scope, keys: &[&str], p_whole: f64) -> J {
        if self.rng.chance(p_whole)
            && let Some(r) = self.reference(scope, &|shape| fits(ControlKind::Map, false, shape))
        {
            return J::Str(r);
        }
        let mut chosen: Vec<&str> = Vec::new();
        for _ in 0..self.rng.between(1, 4) {
            let k = *self.rng.pick(keys);
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        let entries = chosen
            .into_iter()
            .map(|k| (k.to_owned(), self.map_entry(scope)))
            .collect();
        J::Obj(entries)
    }

    fn map_entry(&mut self, scope: &Scope) -> J {
        match self.rng.weighted(&[40, 35, 8, 5, 4, 4, 4]) {
            0 => self
                .reference(scope, &|shape| fits(ControlKind::Map, true, shape))
                .map_or_else(|| s("x"), J::Str),
            1 => s(self.rng.pick(TEXTS)),
            2 => self.number(),
            3 => J::Bool(self.rng.chance(0.5)),
            4 => s(""),
            5 => J::Null,
            _ => J::Obj(Vec::new()),
        }
    }

    /// How an optional control that is not given is written: absent, or a blank.
    fn not_given(&mut self, kind: ControlKind) -> Option<J> {
        match self.rng.weighted(&[50, 25, 15, 10]) {
            0 => None,
            1 => Some(s("")),
            2 => Some(J::Null),
            _ if kind == ControlKind::Map => Some(J::Obj(Vec::new())),
            _ => None,
        }
    }

    /// The literal pool of a text control, and whether only the pool will do (rules).
    fn pool(&self, control: &Control) -> (&'static [&'static str], bool) {
        match (control.name, control.rule) {
            (_, Some(Rule::SObjectName)) => (SOBJECTS, true),
            (_, Some(Rule::FieldName)) => (FIELD_NAMES, true),
            (_, Some(Rule::FieldNames)) => (FIELD_LISTS, true),
            ("phoneNumber" | "formattedPhoneNumber", _) => (PHONES, control.rule.is_some()),
            ("searchParams" | "searchString", _) => (SEARCHES, false),
            ("countryCode", _) => (COUNTRIES, false),
            ("attributeName", _) => (ATTRIBUTE_NAMES, false),
            ("key", _) => (PROPERTY_KEYS, true),
            ("keyPath", _) => (KEY_PATHS, true),
            ("Type", _) => (&["Call", "Email", "Other"], false),
            ("Status", _) => (&["Completed", "Not Started", "In Progress"], false),
            ("Priority", _) => (&["Normal", "High", "low"], false),
            ("TaskSubtype", _) => (&["Call", "Task", "Email"], false),
            ("ActivityDate", _) => (&["2026-12-01", "2026-02-30", "tomorrow"], false),
            ("queueARN", _) => (
                &["arn:aws:connect:us-east-1:123456789012:instance/abc/queue/def"],
                false,
            ),
            ("queryParams", _) => (&["Name", "ORDER BY Name", "Id, Name"], false),
            ("disposition" | "CallDisposition", _) => {
                (&["Completed", "Qualified", "No answer"], false)
            }
            ("workId", _) => (&["0Bz5g0000000001AAA", "work-1"], false),
            _ => (TEXTS, false),
        }
    }

    /// A record id: one of the scenario orgs' records, or none that exists.
    fn record_id(&mut self) -> J {
        if self.rng.chance(0.75) {
            let ids = self.record_ids.clone();
            s(self.rng.pick(&ids))
        } else {
            s(self.rng.pick(&["001000000000000AAA", "bogus", " "]))
        }
    }

    fn text_value(&mut self, scope: &Scope, control: &Control) -> J {
        let p = match control.rule {
            Some(Rule::SObjectName | Rule::FieldName | Rule::FieldNames) => 0.05,
            _ => 0.45,
        };
        if let Some(r) = self.maybe_reference(scope, p, control.kind) {
            return r;
        }
        match control.name {
            "recordId" | "WhoId" | "WhatId" | "id" | "taskId" => return self.record_id(),
            _ => {}
        }
        if control.kind == ControlKind::IntegerText {
            return match self.rng.below(6) {
                0 => J::Num((*self.rng.pick(&["60", "0", "-0", "1E3", "7"])).to_owned()),
                _ => s(self
                    .rng
                    .pick(&["60", "0", " 7 ", "007", "+3", "18446744073709551615"])),
            };
        }
        let (pool, strict) = self.pool(control);
        self.text_literal(pool, strict)
    }

    /// The value of `control` of block `i`, or `None` to leave it out.
    fn control_value(&mut self, scope: &Scope, i: usize, control: &Control) -> Option<J> {
        let block = self.nodes[i].block.type_id;
        let p_given = match block {
            "SE_Decision" | "SE_CoreTruthy" => 0.9,
            _ => 0.55,
        };
        let given = control.required || self.rng.chance(p_given);
        if !given {
            return match control.kind {
                // For `any` controls the blanks are values; leaving one out is "not given".
                ControlKind::Any => None,
                kind => self.not_given(kind),
            };
        }
        Some(match control.kind {
            ControlKind::Any => {
                let p = match (block, control.name) {
                    ("SE_CoreTruthy", _) => 0.85,
                    ("SE_Decision" | "SE_CoreExtractValue", _) => 0.7,
                    _ => 0.45,
                };
                let mut v = self.any_value(scope, p);
                if control.required && is_blank(&v) {
                    v = s("x");
                }
                v
            }
            ControlKind::Text | ControlKind::IntegerText => self.text_value(scope, control),
            ControlKind::Bool => {
                if let Some(r) = self.maybe_reference(scope, 0.15, control.kind) {
                    r
                } else {
                    J::Bool(self.rng.chance(0.5))
                }
            }
            ControlKind::Map => {
                let keys = if control.rule == Some(Rule::FieldNameKeys) {
                    FIELD_KEYS
                } else {
                    FREE_KEYS
                };
                self.map_value(scope, keys, 0.12)
            }
            ControlKind::Enum(values) => s(self.rng.pick(values)),
        })
    }

    /// The controls of block `i`, in catalog order (as the designer writes them), with the
    /// rules that tie controls of one block together.
    fn controls(&mut self, i: usize, scope: &Scope) -> Vec<(String, J)> {
        let block = self.nodes[i].block;
        let mut out: Vec<(String, J)> = Vec::new();
        match block.type_id {
            "SE_TextStringTemplate" => return self.template(scope),
            "SE_SFSaveLog" => return self.save_log(scope),
            _ => {}
        }
        for control in block.controls {
            if let Some(v) = self.control_value(scope, i, control) {
                out.push((control.name.to_owned(), v));
            }
        }
        match block.type_id {
            "SE_SFCreateTask" if self.rng.chance(0.15) => {
                // The legacy spelling, alone or beside the correct one (which wins).
                let legacy = s(self.rng.pick(&["Call", "Email"]));
                match out.iter().position(|(k, _)| k == "TaskSubtype") {
                    Some(at) if self.rng.chance(0.5) => out[at].0 = "TaskSubType".to_owned(),
                    _ => out.push(("TaskSubType".to_owned(), legacy)),
                }
            }
            "SE_Decision" | "SE_Log" => {
                // Enums with defaults: sometimes left blank.
                for (key, value) in &mut out {
                    if matches!(key.as_str(), "comparator" | "evaluateAs" | "level")
                        && self.rng.chance(0.1)
                    {
                        *value = if self.rng.chance(0.5) { s("") } else { J::Null };
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// String Template: `${name}` placeholders drawn from `variables`' keys.
    fn template(&mut self, scope: &Scope) -> Vec<(String, J)> {
        if self.rng.chance(0.1)
            && let Some(r) = self.reference(scope, &|shape| fits(ControlKind::Text, false, shape))
        {
            // A referenced template: `variables` may be anything a map control takes.
            let mut out = vec![("template".to_owned(), J::Str(r))];
            if self.rng.chance(0.7) {
                out.push((
                    "variables".to_owned(),
                    self.map_value(scope, VARIABLES, 0.5),
                ));
            }
            return out;
        }
        let mut keys: Vec<&str> = Vec::new();
        for _ in 0..self.rng.below(4) {
            let k = *self.rng.pick(VARIABLES);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut template = String::new();
        for _ in 0..self.rng.between(1, 5) {
            if !keys.is_empty() && self.rng.chance(0.55) {
                let k = *self.rng.pick(&keys);
                template.push_str(&format!("${{{k}}}"));
            } else {
                let text = *self.rng.pick(TEMPLATE_TEXT);
                template.push_str(text);
            }
        }
        if self.rng.chance(0.08) {
            // An opening `${` never closed: not a placeholder.
            template.push_str(" ${unclosed");
        }
        if template.is_empty() || (template.starts_with('$') && !template.starts_with("${")) {
            template.insert_str(0, "Hello ");
        }
        let mut out = vec![("template".to_owned(), J::Str(template))];
        if keys.is_empty() && self.rng.chance(0.5) {
            if let Some(blank) = self.not_given(ControlKind::Map) {
                out.push(("variables".to_owned(), blank));
            }
        } else if !keys.is_empty() || self.rng.chance(0.5) {
            let mut entries: Vec<(String, J)> = keys
                .iter()
                .map(|k| ((*k).to_owned(), self.map_entry(scope)))
                .collect();
            if self.rng.chance(0.3) {
                // A variable the template does not use.
                entries.push(("unused".to_owned(), s("x")));
            }
            if entries.is_empty() {
                entries.push(("name".to_owned(), s("x")));
            }
            out.push(("variables".to_owned(), J::Obj(entries)));
        }
        out
    }

    /// Save (or Create) a Record: creating (no record id, or `"null"`) needs an `entityType`.
    fn save_log(&mut self, scope: &Scope) -> Vec<(String, J)> {
        let mut out = Vec::new();
        let creating = self.rng.chance(0.55);
        if creating {
            match self.rng.below(5) {
                0 => out.push(("recordId".to_owned(), s(""))),
                1 => out.push(("recordId".to_owned(), J::Null)),
                2 => out.push(("recordId".to_owned(), s("null"))),
                _ => {}
            }
        } else {
            let id = match self.reference(scope, &|shape| shape == Shape::Text) {
                Some(r) if self.rng.chance(0.6) => J::Str(r),
                _ => self.record_id(),
            };
            out.push(("recordId".to_owned(), id));
        }
        if creating || self.rng.chance(0.4) {
            let entity = if self.rng.chance(0.1)
                && let Some(r) =
                    self.reference(scope, &|shape| fits(ControlKind::Text, false, shape))
            {
                J::Str(r)
            } else {
                s(self.rng.pick(SOBJECTS))
            };
            out.push(("entityType".to_owned(), entity));
        } else if let Some(blank) = self.not_given(ControlKind::Text) {
            out.push(("entityType".to_owned(), blank));
        }
        if self.rng.chance(0.8) {
            out.push((
                "fieldValues".to_owned(),
                self.map_value(scope, FIELD_KEYS, 0.1),
            ));
        }
        out
    }

    /// Block `i` as the adapter writes it: `id`, `type`, `meta`, `controls`, `ports`,
    /// `position`.
    fn action(&mut self, i: usize, controls: Vec<(String, J)>) -> J {
        let node = &self.nodes[i];
        let mut entries = vec![
            ("id".to_owned(), s(&node.id)),
            ("type".to_owned(), s(node.block.type_id)),
        ];
        let meta = match &node.title {
            Some(title) => Some(obj(vec![("title", s(title))])),
            None if self.rng.chance(0.05) => None,
            None => Some(J::Obj(Vec::new())),
        };
        if let Some(meta) = meta {
            entries.push(("meta".to_owned(), meta));
        }
        let controls = if controls.is_empty() {
            match self.rng.weighted(&[80, 10, 10]) {
                0 => Some(J::Obj(Vec::new())),
                1 => Some(J::Null),
                _ => None,
            }
        } else {
            Some(J::Obj(controls))
        };
        if let Some(controls) = controls {
            entries.push(("controls".to_owned(), controls));
        }
        let ports: Vec<(String, J)> = node
            .ports
            .iter()
            .filter_map(|&(port, target)| {
                let value = match target {
                    Target::Node(to) => s(&self.nodes[to].id),
                    Target::Absent => return None,
                    Target::Empty => s(""),
                    Target::Null => J::Null,
                };
                Some((port.name().to_owned(), value))
            })
            .collect();
        if !ports.is_empty() || self.rng.chance(0.9) {
            entries.push(("ports".to_owned(), J::Obj(ports)));
        }
        let x = i as i64 * 192 - 896;
        let y = self.rng.below(9) as i64 * 64 - 256;
        let position = if self.rng.chance(0.2) {
            vec![J::Num(format!("{x}.5")), J::Num(y.to_string())]
        } else {
            vec![J::Num(x.to_string()), J::Num(y.to_string())]
        };
        entries.push(("position".to_owned(), J::Arr(position)));
        J::Obj(entries)
    }
}

/// Whether a literal is "not given" (`null`, `""`, `{}`): required controls may not be.
fn is_blank(value: &J) -> bool {
    match value {
        J::Null => true,
        J::Str(text) => text.is_empty(),
        J::Obj(entries) => entries.is_empty(),
        _ => false,
    }
}
