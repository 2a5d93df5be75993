//! PROPERTY (issue "Checked means it works"): for random valid flows and random sandbox
//! scenarios, a run that fails does so only for a reason that is not visible in the JSON (a
//! backend error, a missing record, no contact where the trigger's contact is "maybe", a time
//! limit, the step limit, an untyped value at run time), never for a validation the checker could
//! have made.
//!
//! A seeded generator builds flows from the catalog: every block type, random wiring (chains,
//! diamonds, joins, cycles, unconnected ports), literals of every kind in controls (including
//! names, numbers and texts a block validates at run time), and references to producers whose
//! results are definitely available (a must-analysis over the generated graph), to `$.agent`,
//! and to `$.contact` and `$.payload` where the trigger has them. Only the flows the checker
//! accepts are kept. They are compiled through `include_flow!` into a program outside the
//! workspace that runs each against random `Sandbox` scenarios (contacts of each kind or none,
//! org records or not, injected backend failures and hangs, payloads of the trigger's kind) and
//! prints every run as a JSON line. Every block error in every trace, and every failed outcome,
//! is then classified here; anything not explained by the scenario or by an untyped value fails
//! the test with the flow, the block and the error.
//!
//! `CTIFLOW_PROPTEST_FLOWS` (default 40) sets the number of flows, `CTIFLOW_PROPTEST_SCENARIOS`
//! (default 6) the scenarios per flow, `CTIFLOW_PROPTEST_SEED` the seed. The report is also
//! written to `<target>/matrix-crate/property-report.txt`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ctiflow_codegen::catalog::{self, AGENT, Block, CONTACT_PROPERTIES, ControlKind, Port};
use ctiflow_codegen::catalog::{Results, Ty};
use ctiflow_codegen::trigger::{Availability, Context, Payload};
use ctiflow_codegen::{Code, Source, Trigger};
use serde_json::{Value, json};

use common::{Crate, Rng};

const DEFAULT_SEED: u64 = 0xC71F_1C0A_2026_0001;

/// Lints a generated flow may trip: allowed, so only errors reject it.
const ALLOWED: &[Code] = &[
    Code::Unreachable,
    Code::ConstantCondition,
    Code::Cycle,
    Code::DeprecatedPath,
];

// ---------------------------------------------------------------------------------------------
// What a control was given

/// The type of what a reference reads, as the catalog gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RefTy {
    Text,
    Number,
    Bool,
    Any,
    Object,
    Map,
    List,
}

fn ref_ty(ty: Ty) -> RefTy {
    match ty {
        Ty::Text => RefTy::Text,
        Ty::Number => RefTy::Number,
        Ty::Bool => RefTy::Bool,
        Ty::Any => RefTy::Any,
        Ty::Object(_) => RefTy::Object,
        Ty::Map => RefTy::Map,
        Ty::List => RefTy::List,
    }
}

/// Where a control's value comes from: what the classifier needs to know.
#[derive(Clone, Debug)]
enum Prov {
    /// Written in the flow.
    Literal(Value),
    /// A reference and the type of what it reads.
    Ref(String, RefTy),
    /// A map written in the flow: key → value.
    Map(Vec<(String, Prov)>),
}

impl Prov {
    fn json(&self) -> Value {
        match self {
            Prov::Literal(v) => v.clone(),
            Prov::Ref(r, _) => json!(r),
            Prov::Map(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
        }
    }

    /// The same value with every `$.actions` reference replaced by a literal of its type (for
    /// repros without producers).
    fn without_action_refs(&self) -> Value {
        match self {
            Prov::Literal(v) => v.clone(),
            Prov::Ref(r, _) if !r.starts_with("$.actions.") => json!(r),
            Prov::Ref(_, RefTy::Bool) => json!(true),
            Prov::Ref(_, RefTy::Number) => json!(1),
            Prov::Ref(_, _) => json!("x"),
            Prov::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.without_action_refs()))
                    .collect(),
            ),
        }
    }

    /// The blocks whose results it reads.
    fn producers(&self, out: &mut BTreeSet<String>) {
        match self {
            Prov::Literal(_) => {}
            Prov::Ref(r, _) => {
                if let Some(rest) = r.strip_prefix("$.actions.") {
                    out.insert(rest.split('.').next().unwrap_or_default().to_owned());
                }
            }
            Prov::Map(entries) => entries.iter().for_each(|(_, v)| v.producers(out)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Literal pools

const TEXTS: &[&str] = &[
    "Account",
    "Contact",
    "Case",
    "Lead",
    "Task",
    "Name",
    "Phone",
    "Id, Name",
    "Name, Phone",
    "Subject",
    "Bad Name",
    "1Bad",
    "Name'",
    "x",
    "hello world",
    " ",
    "null",
    "42",
    "-5",
    "1.5",
    "+15551234567",
    "(555) 123-4567",
    "sip:+15551234567@example.com",
    "日本語",
    "true",
    "US",
    "JP",
    "Completed",
    "Normal",
    "Call",
];
const INTEGER_TEXTS: &[&str] = &["0", "42", "-5", " 7 ", "+3", "007", "99999999999999999999"];
/// Number literals, as they are written in JSON.
const NUMBERS: &[&str] = &["0", "1", "42", "-3", "2.5", "1e21"];

fn number(rng: &mut Rng) -> Value {
    let text: &&str = rng.pick(NUMBERS);
    serde_json::from_str(text).expect("a JSON number")
}
const KEYS: &[&str] = &[
    "Subject",
    "Description",
    "Status",
    "Custom_Field__c",
    "Name",
    "Bad Key",
    "1x",
    "k",
];
const KEY_PATHS: &[&str] = &["a", "a.b", "list.0", "list.1", "missing", "0.Id", "Name"];
const COUNTRIES: &[&str] = &["US", "JP", "GB", "XX", "us"];
/// Path steps into untyped values; the scenarios' payloads, attributes and records have these.
const UNTYPED_STEPS: &[&str] = &[
    ".key",
    ".Name",
    ".Id",
    ".number",
    ".recordId",
    ".customerId",
    ".items[0].key",
    ".items.[1]",
    ".nested.key",
    "[0]",
    ".0",
    ".missing",
];

fn text_literal(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => number(rng),
        1 => json!(rng.chance(0.5)),
        _ => json!(*rng.pick(TEXTS)),
    }
}

fn any_literal(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(""),
        2 => json!({}),
        3 => json!({"a": {"b": "x"}, "list": [1, "two"], "Name": "Acme"}),
        4 => json!([1, "a", {"Id": "001"}]),
        5 => json!(rng.chance(0.5)),
        6 => number(rng),
        _ => json!(*rng.pick(TEXTS)),
    }
}

// ---------------------------------------------------------------------------------------------
// Flow generation

struct Generated {
    name: String,
    trigger: Trigger,
    context: Context,
    text: String,
    allow: Vec<Code>,
    /// Block id → its type and each control's provenance.
    blocks: BTreeMap<String, (&'static Block, BTreeMap<String, Prov>)>,
    /// Whether the checker saw a cycle.
    cycle: bool,
}

/// A reference a block can use, with its type.
#[derive(Clone, Debug)]
struct Candidate {
    text: String,
    ty: RefTy,
}

/// Paths that resolve below `base` of type `ty`: whole, every field, and steps into untyped
/// values.
fn resolving_paths(ty: Ty, base: &str, out: &mut Vec<Candidate>) {
    out.push(Candidate {
        text: base.to_owned(),
        ty: ref_ty(ty),
    });
    match ty {
        Ty::Object(fields) => {
            for f in fields {
                resolving_paths(f.ty, &format!("{base}.{}", f.name), out);
            }
        }
        Ty::Map | Ty::List | Ty::Any => {
            for step in UNTYPED_STEPS {
                out.push(Candidate {
                    text: format!("{base}{step}"),
                    ty: RefTy::Any,
                });
            }
        }
        Ty::Text | Ty::Number | Ty::Bool => {}
    }
}

fn results_ty(block: &Block) -> Option<Ty> {
    match block.results {
        Results::None => None,
        Results::Value(ty) => Some(ty),
        Results::Fields(fields) => Some(Ty::Object(fields)),
    }
}

/// Whether a reference of type `ty` fits a control of `kind` (`entry`: a map entry's value).
fn fits(kind: ControlKind, entry: bool, ty: RefTy) -> bool {
    use RefTy as R;
    match (kind, entry) {
        (ControlKind::Map, true) => matches!(ty, R::Text | R::Number | R::Bool | R::Any),
        (ControlKind::Text, _) => matches!(ty, R::Text | R::Number | R::Bool | R::Any),
        (ControlKind::IntegerText, _) => matches!(ty, R::Text | R::Number | R::Any),
        (ControlKind::Bool, _) => matches!(ty, R::Bool | R::Any),
        (ControlKind::Map, false) => matches!(ty, R::Object | R::Map | R::Any),
        (ControlKind::Any, _) => true,
        (ControlKind::Enum(_), _) => false,
    }
}

struct Gen<'a> {
    rng: &'a mut Rng,
    candidates: Vec<Candidate>,
}

impl Gen<'_> {
    /// A reference fitting `kind`, usually; sometimes any (the checker has the last word).
    fn reference(&mut self, kind: ControlKind, entry: bool) -> Option<Prov> {
        let wild = self.rng.chance(0.1);
        let fitting: Vec<&Candidate> = self
            .candidates
            .iter()
            .filter(|c| wild || fits(kind, entry, c.ty))
            .collect();
        if fitting.is_empty() {
            return None;
        }
        let c = *self.rng.pick(&fitting);
        Some(Prov::Ref(c.text.clone(), c.ty))
    }

    fn maybe_reference(&mut self, kind: ControlKind, entry: bool) -> Option<Prov> {
        if self.rng.chance(0.45) {
            self.reference(kind, entry)
        } else {
            None
        }
    }

    fn value(&mut self, kind: ControlKind) -> Prov {
        if let Some(r) = self.maybe_reference(kind, false) {
            return r;
        }
        let rng = &mut *self.rng;
        Prov::Literal(match kind {
            ControlKind::Text => text_literal(rng),
            ControlKind::IntegerText => match rng.below(8) {
                0 | 1 => number(rng),
                2 => json!(rng.chance(0.5)),
                3 => json!(*rng.pick(TEXTS)),
                _ => json!(*rng.pick(INTEGER_TEXTS)),
            },
            ControlKind::Bool => {
                if rng.chance(0.03) {
                    text_literal(rng)
                } else {
                    json!(rng.chance(0.5))
                }
            }
            ControlKind::Map => return self.map(),
            ControlKind::Any => any_literal(rng),
            ControlKind::Enum(values) => {
                if rng.chance(0.03) {
                    json!("nonsense")
                } else {
                    json!(*rng.pick(values))
                }
            }
        })
    }

    fn map(&mut self) -> Prov {
        let n = 1 + self.rng.below(3);
        let mut entries: Vec<(String, Prov)> = Vec::new();
        for _ in 0..n {
            let key = (*self.rng.pick(KEYS)).to_owned();
            if entries.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let value = match self.maybe_reference(ControlKind::Map, true) {
                Some(r) => r,
                None => Prov::Literal(match self.rng.below(10) {
                    0 => number(self.rng),
                    1 => json!(self.rng.chance(0.5)),
                    2 if self.rng.chance(0.2) => json!({"nested": "x"}),
                    _ => json!(*self.rng.pick(TEXTS)),
                }),
            };
            entries.push((key, value));
        }
        Prov::Map(entries)
    }
}

/// The producers definitely available on entry to each block (`None`: unreachable), by a
/// must-analysis: a producer is available after it left through a port other than `failure`.
fn availability(
    n: usize,
    start: usize,
    edges: &[(usize, Port, usize)],
    has_results: &[bool],
) -> Vec<Option<BTreeSet<usize>>> {
    let mut avail: Vec<Option<BTreeSet<usize>>> = vec![None; n];
    avail[start] = Some(BTreeSet::new());
    loop {
        let mut next: Vec<Option<BTreeSet<usize>>> = vec![None; n];
        next[start] = Some(BTreeSet::new());
        for &(from, port, to) in edges {
            let Some(inflow) = &avail[from] else {
                continue;
            };
            let mut out = inflow.clone();
            if port != Port::Failure && has_results[from] {
                out.insert(from);
            }
            if to == start {
                continue;
            }
            next[to] = Some(match next[to].take() {
                None => out,
                Some(cur) => cur.intersection(&out).copied().collect(),
            });
        }
        if next == avail {
            return avail;
        }
        avail = next;
    }
}

/// One random flow for `trigger` (it may not pass the checker).
fn generate(rng: &mut Rng, name: &str, trigger: Trigger) -> Generated {
    let context = Context::of(Some(trigger));
    let types: Vec<&'static Block> = catalog::BLOCKS
        .iter()
        .filter(|b| b.type_id != "SE_Start")
        .filter(|b| !(b.needs_contact && context.contact == Availability::No))
        .collect();
    let n = 3 + rng.below(10);
    // Node 0 is Start, 1..=n the blocks, n+1 and n+2 two End blocks.
    let mut nodes: Vec<(String, &'static Block)> = vec![(
        "start".to_owned(),
        catalog::lookup("SE_Start").expect("Start"),
    )];
    for i in 0..n {
        nodes.push((format!("b{i}"), *rng.pick(&types)));
    }
    let end = catalog::lookup("SE_End").expect("End");
    nodes.push(("end0".to_owned(), end));
    nodes.push(("end1".to_owned(), end));
    let ends = [n + 1, n + 2];

    // Wiring.
    let mut edges: Vec<(usize, Port, usize)> = Vec::new();
    for (i, (_, block)) in nodes.iter().enumerate().take(n + 1) {
        for &port in block.ports {
            let r = rng.below(100);
            let later = |rng: &mut Rng| {
                if i < n {
                    i + 1 + rng.below(n - i)
                } else {
                    ends[rng.below(2)]
                }
            };
            let target = if i == 0 {
                Some(1)
            } else if port == Port::Failure {
                match r {
                    0..40 => None,
                    40..70 => Some(later(rng)),
                    70..90 => Some(ends[rng.below(2)]),
                    _ => Some(1 + rng.below(i)),
                }
            } else {
                match r {
                    0..55 => Some(if i < n { i + 1 } else { ends[0] }),
                    55..75 => Some(later(rng)),
                    75..85 => Some(ends[rng.below(2)]),
                    85..93 => Some(1 + rng.below(i)),
                    _ => None,
                }
            };
            if let Some(t) = target {
                edges.push((i, port, t));
            }
        }
    }
    let has_results: Vec<bool> = nodes
        .iter()
        .map(|(_, b)| b.results != Results::None)
        .collect();
    let avail = availability(nodes.len(), 0, &edges, &has_results);

    // Controls.
    let mut global: Vec<Candidate> = Vec::new();
    resolving_paths(Ty::Object(AGENT), "$.agent", &mut global);
    if context.contact != Availability::No {
        resolving_paths(Ty::Object(CONTACT_PROPERTIES), "$.contact", &mut global);
    }
    match context.payload {
        Payload::None => {}
        Payload::Untyped => resolving_paths(Ty::Any, "$.payload", &mut global),
        Payload::Typed(record) => resolving_paths(
            Ty::Object(catalog::payload_fields(record)),
            "$.payload",
            &mut global,
        ),
    }
    let mut blocks = BTreeMap::new();
    let mut actions = Vec::new();
    for (i, (id, block)) in nodes.iter().enumerate() {
        let mut candidates = Vec::new();
        if let Some(available) = &avail[i] {
            candidates.extend(global.iter().cloned());
            for &p in available {
                if let Some(ty) = results_ty(nodes[p].1) {
                    resolving_paths(
                        ty,
                        &format!("$.actions.{}.results", nodes[p].0),
                        &mut candidates,
                    );
                }
            }
        }
        let mut g = Gen {
            rng: &mut *rng,
            candidates,
        };
        let mut controls: BTreeMap<String, Prov> = BTreeMap::new();
        for control in block.controls {
            if control.required || g.rng.chance(0.5) {
                controls.insert(control.name.to_owned(), g.value(control.kind));
            }
        }
        match block.type_id {
            "SE_TextStringTemplate" => {
                // Placeholders from the variables, so that the template is complete.
                if let Some(Prov::Literal(_)) = controls.get("template") {
                    let mut template = String::from("Hi");
                    if let Some(Prov::Map(entries)) = controls.get("variables") {
                        for (k, _) in entries {
                            if g.rng.chance(0.7) {
                                template.push_str(&format!(" ${{{k}}}"));
                            }
                        }
                    }
                    controls.insert("template".to_owned(), Prov::Literal(json!(template)));
                }
            }
            "SE_SFSaveLog" => {
                let creating = match controls.get("recordId") {
                    None => true,
                    Some(Prov::Literal(v)) => v == "null" || v.is_null() || v == "",
                    Some(_) => false,
                };
                if creating && !controls.contains_key("entityType") {
                    let v = g.value(ControlKind::Text);
                    controls.insert("entityType".to_owned(), v);
                }
            }
            "SE_CoreExtractValue" => {
                if let Some(Prov::Literal(_)) = controls.get("keyPath") {
                    let path = *g.rng.pick(KEY_PATHS);
                    controls.insert("keyPath".to_owned(), Prov::Literal(json!(path)));
                }
            }
            "SE_CoreFormatPhoneNumber" | "SE_CoreFormatPhoneNumberE164" => {
                if let Some(Prov::Literal(_)) = controls.get("countryCode") {
                    let c = *g.rng.pick(COUNTRIES);
                    controls.insert("countryCode".to_owned(), Prov::Literal(json!(c)));
                }
            }
            _ => {}
        }
        let mut action = json!({"id": id, "type": block.type_id});
        if !controls.is_empty() {
            action["controls"] = Value::Object(
                controls
                    .iter()
                    .map(|(k, v)| (k.clone(), v.json()))
                    .collect(),
            );
        }
        let ports: serde_json::Map<String, Value> = edges
            .iter()
            .filter(|(from, _, _)| *from == i)
            .map(|(_, port, to)| (port.name().to_owned(), json!(nodes[*to].0)))
            .collect();
        if !ports.is_empty() {
            action["ports"] = Value::Object(ports);
        }
        actions.push(action);
        blocks.insert(id.clone(), (*block, controls));
    }
    let text = serde_json::to_string_pretty(&common::flow(name, actions)).expect("JSON") + "\n";
    Generated {
        name: name.to_owned(),
        trigger,
        context,
        text,
        allow: ALLOWED.to_vec(),
        blocks,
        cycle: false,
    }
}

/// Flows the checker accepts, and why the others were rejected (code → count).
fn accepted_flows(seed: u64, count: usize) -> (Vec<Generated>, BTreeMap<String, usize>) {
    let triggers = common::all_triggers();
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    let mut rejected: BTreeMap<String, usize> = BTreeMap::new();
    while out.len() < count {
        let trigger = *rng.pick(&triggers);
        let name = format!("f{}", out.len());
        let mut g = generate(&mut rng, &name, trigger);
        let diagnostics = common::check(&g.text, trigger, &g.allow);
        let errors = common::errors(&diagnostics);
        if errors.is_empty() {
            let mut allow: Vec<Code> = common::warned(&diagnostics);
            g.cycle = common::check(&g.text, trigger, &[])
                .iter()
                .any(|d| d.code == Code::Cycle);
            allow.extend(ALLOWED);
            allow.sort();
            allow.dedup();
            g.allow = allow;
            out.push(g);
        } else {
            let codes: BTreeSet<&str> = errors.iter().map(|d| d.code.as_str()).collect();
            *rejected
                .entry(codes.into_iter().collect::<Vec<_>>().join("+"))
                .or_default() += 1;
        }
    }
    (out, rejected)
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/// The sandbox's backend calls, by their `Call` variant names.
const CALLS: &[&str] = &[
    "Properties",
    "Attribute",
    "UpdateAttributes",
    "AgentInfo",
    "Dial",
    "SaveRecord",
    "CreateTask",
    "Retrieve",
    "ContactIdByPhone",
    "LeadIdByPhone",
    "SearchAndScreenpop",
    "ScreenpopObject",
    "ScreenpopSearch",
    "ScreenpopNewRecord",
    "CompleteHvsWork",
    "GetProperty",
    "SetProperty",
];

const INJECTED: &str = "injected failure of";

fn scenario(rng: &mut Rng, flow: &Generated, index: usize) -> Value {
    let contact_kinds = ["voice", "callback", "chat", "task"];
    let natural = match flow.trigger.source {
        Source::QueueCallbackContact => "callback",
        Source::ChatContact => "chat",
        Source::TaskContact => "task",
        _ => "voice",
    };
    let contact = match flow.context.contact {
        Availability::No => Value::Null,
        Availability::Maybe if rng.chance(0.3) => Value::Null,
        _ => {
            let kind = if rng.chance(0.7) {
                natural
            } else {
                *rng.pick(&contact_kinds)
            };
            let mut attributes = serde_json::Map::new();
            if rng.chance(0.6) {
                attributes.insert("customerId".into(), json!("42"));
            }
            if rng.chance(0.4) {
                attributes.insert("key".into(), json!(*rng.pick(TEXTS)));
            }
            json!({
                "kind": kind,
                "id": format!("contact-{index}"),
                "endpoint": *rng.pick(&["+15551234567", "sip:+15551234567@example.com", "+81312345678", "12345"]),
                "country": *rng.pick(&["US", "JP"]),
                "queue": *rng.pick(&["Support", "Sales"]),
                "attributes": attributes,
            })
        }
    };
    let org = if rng.chance(0.5) {
        json!([
            {"sobject": "Contact", "fields": {"FirstName": "Ann", "LastName": "Lee", "Phone": "(555) 123-4567", "Name": "Ann Lee"}},
            {"sobject": "Lead", "fields": {"LastName": "Kim", "Phone": "+81 3-1234-5678"}},
            {"sobject": "Case", "fields": {"Subject": "Broken", "SuppliedPhone": "555-123-4567"}},
            {"sobject": "Account", "fields": {"Name": "Acme"}},
        ])
    } else {
        json!([])
    };
    let mut failing = Vec::new();
    if rng.chance(0.35) {
        for _ in 0..1 + rng.below(2) {
            failing.push(*rng.pick(CALLS));
        }
    }
    let mut hanging = Vec::new();
    if rng.chance(0.05) {
        hanging.push(*rng.pick(CALLS));
    }
    let pick_value = |rng: &mut Rng| -> Value {
        match rng.below(6) {
            0 => json!({"deep": 1}),
            1 => json!([1, 2]),
            2 => json!(7),
            3 => Value::Null,
            _ => json!(*rng.pick(TEXTS)),
        }
    };
    let payload = match flow.context.payload {
        Payload::None => Value::Null,
        Payload::Typed(_) => match flow.trigger.event.map(|e| e.name()) {
            Some("onClickToDial") => json!({"kind": "click_to_dial", "value": {
                "number": *rng.pick(&["+15551234567", "(555) 123-4567", "", "abc"]),
                "recordId": *rng.pick(TEXTS), "recordName": "Acme", "objectType": *rng.pick(&["Account", "Contact", "Bad Name"]),
                "personAccount": rng.chance(0.5)}}),
            Some("onHvsWorkStart") => json!({"kind": "hvs_work_start", "value": {
                "workId": *rng.pick(&["0Bz000000000001", ""]), "completeWorkWhen": "onTaskSaved"}}),
            _ => json!({"kind": "chat_message", "value": {
                "contactId": "chat-1", "initialContactId": "chat-0", "displayName": "Ann",
                "participantRole": "CUSTOMER", "participantId": "p-1", "content": *rng.pick(TEXTS)}}),
        },
        Payload::Untyped => {
            let value = match rng.below(8) {
                0 => json!("just text"),
                1 => json!([{"key": "first"}, "second"]),
                _ => {
                    let mut m = serde_json::Map::new();
                    for key in ["number", "recordId", "key", "Name", "Id", "0"] {
                        if rng.chance(0.7) {
                            let v = if key == "number" {
                                json!(*rng.pick(&["+15551234567", "555-0100"]))
                            } else {
                                pick_value(rng)
                            };
                            m.insert(key.to_owned(), v);
                        }
                    }
                    if rng.chance(0.7) {
                        m.insert(
                            "items".into(),
                            json!([{"key": pick_value(rng)}, pick_value(rng)]),
                        );
                    }
                    if rng.chance(0.7) {
                        m.insert("nested".into(), json!({"key": pick_value(rng)}));
                    }
                    Value::Object(m)
                }
            };
            json!({"kind": "json", "value": value})
        }
    };
    json!({
        "flow": flow.name,
        "scenario": index,
        "contact": contact,
        "org": org,
        "failing": failing,
        "hanging": hanging,
        "payload": payload,
        "time_ms": if hanging.is_empty() { 5_000 } else { 100 },
        "steps": 300,
    })
}

// ---------------------------------------------------------------------------------------------
// The program that runs the flows

const MAIN_HEAD: &str = r#"//! Generated by tests/property.rs: runs each flow against the scenarios in the file named by
//! the first argument and prints one JSON line per run.
#![deny(warnings)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use ctiflow::sandbox::{Call, Org, Sandbox};
use ctiflow::types::ContactProperties;
use ctiflow::{BlockError, EventContext, Limits, Payload, Run, Trigger};
use serde_json::{Value, json};

"#;

fn main_tail(flows: &[&str]) -> String {
    let mut runs = String::new();
    let mut triggers = String::new();
    for f in flows {
        let _ = writeln!(
            runs,
            "        {f:?} => {f}::run_with(rt, ctx, limits).await.erase(),"
        );
        let _ = writeln!(triggers, "        {f:?} => {f}::TRIGGER,");
    }
    let calls: String = CALLS
        .iter()
        .map(|c| format!("        {c:?} => Call::{c},\n"))
        .collect();
    format!(
        r#"
fn call(name: &str) -> Call {{
    match name {{
{calls}        other => panic!("unknown call {{other}}"),
    }}
}}

fn trigger(flow: &str) -> Option<Trigger> {{
    Some(match flow {{
{triggers}        _ => return None,
    }})
}}

async fn run(flow: &str, rt: &Sandbox, ctx: &EventContext, limits: &Limits) -> Option<Run<Value>> {{
    Some(match flow {{
{runs}        _ => return None,
    }})
}}

fn text(v: &Value) -> &str {{
    v.as_str().unwrap_or_default()
}}

fn sandbox(s: &Value) -> Sandbox {{
    let mut org = Org::new();
    for r in s["org"].as_array().into_iter().flatten() {{
        org.insert(text(&r["sobject"]), r["fields"].clone());
    }}
    let mut sandbox = Sandbox::new().with_org(org);
    let c = &s["contact"];
    if !c.is_null() {{
        let (id, endpoint, country, queue) = (text(&c["id"]), text(&c["endpoint"]), text(&c["country"]), text(&c["queue"]));
        let mut contact = match text(&c["kind"]) {{
            "voice" => ContactProperties::voice(id, endpoint, country, queue),
            "callback" => ContactProperties::callback(id, endpoint, country, queue),
            "chat" => ContactProperties::chat(id, queue),
            _ => ContactProperties::task(id, queue),
        }};
        for (k, v) in c["attributes"].as_object().into_iter().flatten() {{
            contact = contact.with_attribute(k, text(v));
        }}
        sandbox = sandbox.with_contact(contact);
    }}
    for f in s["failing"].as_array().into_iter().flatten() {{
        sandbox = sandbox.failing(call(text(f)), BlockError::backend(format!("{INJECTED} {{}}", text(f))));
    }}
    for h in s["hanging"].as_array().into_iter().flatten() {{
        sandbox = sandbox.hanging(call(text(h)));
    }}
    sandbox
}}

fn payload(s: &Value) -> Payload {{
    let p = &s["payload"];
    let v = p["value"].clone();
    match text(&p["kind"]) {{
        "click_to_dial" => Payload::ClickToDial(serde_json::from_value(v).expect("payload")),
        "hvs_work_start" => Payload::HvsWorkStart(serde_json::from_value(v).expect("payload")),
        "chat_message" => Payload::ChatMessage(serde_json::from_value(v).expect("payload")),
        "json" => Payload::Json(v),
        _ => Payload::None,
    }}
}}

fn main() {{
    std::panic::set_hook(Box::new(|_| {{}}));
    let path = std::env::args().nth(1).expect("the scenarios file");
    let scenarios: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    for s in &scenarios {{
        let flow = text(&s["flow"]);
        let outcome = catch_unwind(AssertUnwindSafe(|| {{
            let trigger = trigger(flow)?;
            let sandbox = sandbox(s);
            let ctx = EventContext::new(trigger).with_payload(payload(s));
            let limits = Limits::default()
                .with_time(Duration::from_millis(s["time_ms"].as_u64().unwrap_or(5_000)))
                .with_steps(s["steps"].as_u64().unwrap_or(300) as usize);
            pollster::block_on(run(flow, &sandbox, &ctx, &limits))
        }}));
        let line = match outcome {{
            Ok(Some(run)) => {{
                let errors: Vec<Value> = run
                    .trace
                    .iter()
                    .filter_map(|step| {{
                        let e = step.error.as_ref()?;
                        Some(json!({{"block": step.block, "type_id": step.type_id, "port": step.port, "error": e}}))
                    }})
                    .collect();
                json!({{"flow": flow, "scenario": s["scenario"], "outcome": run.outcome, "errors": errors, "steps": run.trace.len()}})
            }}
            Ok(None) => json!({{"flow": flow, "scenario": s["scenario"], "missing": true}}),
            Err(panic) => {{
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                json!({{"flow": flow, "scenario": s["scenario"], "panic": message}})
            }}
        }};
        println!("{{line}}");
    }}
}}
"#
    )
}

// ---------------------------------------------------------------------------------------------
// Classification

/// Why a block error is allowed (`Ok`), or why it is a finding (`Err`): a class for grouping.
fn classify(
    flow: &Generated,
    scenario: &Value,
    block: &str,
    kind: &str,
    message: &str,
) -> Result<&'static str, String> {
    let Some((def, controls)) = flow.blocks.get(block) else {
        return Err(format!("error at unknown block `{block}`"));
    };
    match kind {
        "backend" if message.starts_with(INJECTED) => {
            let call = message.trim_start_matches(INJECTED).trim();
            let injected = scenario["failing"]
                .as_array()
                .is_some_and(|f| f.iter().any(|c| c == call));
            if injected {
                Ok("backend error injected by the scenario")
            } else {
                Err(format!("{}: backend error not injected", def.type_id))
            }
        }
        "not_found" => Ok("record not found / no match"),
        "no_contact" => {
            if flow.context.contact == Availability::Maybe && scenario["contact"].is_null() {
                Ok("no contact where the trigger's contact is maybe")
            } else {
                Err(format!(
                    "{}: no contact, but the scenario has one",
                    def.type_id
                ))
            }
        }
        "invalid_argument" => invalid_argument(def, controls, message),
        other => Err(format!("{}: error kind {other}", def.type_id)),
    }
}

/// How a control gives the runtime a Salesforce name to check.
#[derive(Clone, Copy)]
enum Naming {
    /// The whole text.
    Whole,
    /// Comma-separated names.
    CommaList,
    /// The keys of a map.
    Keys,
}

/// Where the runtime checks sObject and field names (`ctiflow-runtime/src/blocks.rs`, which
/// the classifier has to mirror): block type, control, what is named, how.
const NAMED: &[(&str, &str, &str, Naming)] = &[
    (
        "SE_SFScreenpopNewRecord",
        "entityName",
        "sObject",
        Naming::Whole,
    ),
    ("SE_SFSaveLog", "entityType", "sObject", Naming::Whole),
    ("SE_SFSaveLog", "fieldValues", "field", Naming::Keys),
    ("SE_SFCreateTask", "otherTaskFields", "field", Naming::Keys),
    ("SE_SFGetContactId", "fieldName", "field", Naming::Whole),
    ("SE_SFRetrieve", "type", "sObject", Naming::Whole),
    ("SE_SFRetrieve", "fields", "field", Naming::CommaList),
];

/// The literal texts of a value as JavaScript would convert them.
fn literal_texts(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![ctiflow::value::number_to_string(
            n.as_f64().unwrap_or(f64::NAN),
        )],
        Value::Null => vec!["null".to_owned()],
        _ => Vec::new(),
    }
}

fn invalid_argument(
    def: &Block,
    controls: &BTreeMap<String, Prov>,
    message: &str,
) -> Result<&'static str, String> {
    let t = def.type_id;
    // `control `C`: expected text, found an object` / `expected an object of fields`.
    if let Some(rest) = message.strip_prefix("control `") {
        let name = rest.split('`').next().unwrap_or_default();
        let object = |ty: RefTy| matches!(ty, RefTy::Object | RefTy::Map | RefTy::List);
        return match controls.get(name) {
            Some(Prov::Ref(r, RefTy::Any)) => {
                let _ = r;
                Ok("untyped value of the wrong kind at run time")
            }
            Some(Prov::Ref(r, ty)) if object(*ty) => Err(format!(
                "{t}.{name}: {ty:?}-typed reference `{}` the checker accepted (`{message}`)",
                generalise(r)
            )),
            Some(Prov::Map(entries)) => {
                if let Some((k, Prov::Ref(r, ty))) = entries
                    .iter()
                    .find(|(_, v)| matches!(v, Prov::Ref(_, ty) if object(*ty)))
                {
                    Err(format!(
                        "{t}.{name}: {ty:?}-typed reference in map entry (`{k}`: `{}`)",
                        generalise(r)
                    ))
                } else if entries
                    .iter()
                    .any(|(_, v)| matches!(v, Prov::Ref(_, RefTy::Any)))
                {
                    Ok("untyped value of the wrong kind at run time")
                } else {
                    Err(format!("{t}.{name}: unexplained: {message}"))
                }
            }
            _ => Err(format!("{t}.{name}: unexplained: {message}")),
        };
    }
    // `N` is not a valid W name: from a literal of a control the runtime checks, or not.
    if let Some(rest) = message.strip_prefix('`')
        && let Some((bad, what)) = rest.split_once("` is not a valid ")
        && what.ends_with(" name (letters, digits and `_`, starting with a letter)")
    {
        let what = what.split(' ').next().unwrap_or_default();
        let mut referenced = false;
        for &(_, control, _, naming) in NAMED.iter().filter(|(b, _, w, _)| *b == t && *w == what) {
            let hit = match (controls.get(control), naming) {
                (Some(Prov::Literal(v)), Naming::Whole) => {
                    literal_texts(v).iter().any(|s| s == bad)
                }
                (Some(Prov::Literal(v)), Naming::CommaList) => literal_texts(v)
                    .iter()
                    .any(|s| s.split(',').map(str::trim).any(|f| f == bad)),
                (Some(Prov::Map(entries)), Naming::Keys) => entries.iter().any(|(k, _)| k == bad),
                (Some(Prov::Ref(..)), _) => {
                    referenced = true;
                    false
                }
                _ => false,
            };
            if hit {
                let place = match naming {
                    Naming::Keys => format!("{control} (a key)"),
                    _ => control.to_owned(),
                };
                return Err(format!(
                    "{t}.{place}: literal {what} name the runtime rejects"
                ));
            }
        }
        return if referenced {
            Ok("invalid name from a reference at run time")
        } else {
            Err(format!("{t}: unexplained: {message}"))
        };
    }
    if message.starts_with("CallDurationInSeconds must be a whole number") {
        return match controls.get("CallDurationInSeconds") {
            Some(Prov::Literal(v)) => Err(format!(
                "{t}.CallDurationInSeconds: literal {} the runtime rejects",
                match v {
                    Value::Number(_) => "number",
                    Value::Bool(_) => "boolean",
                    _ => "text",
                }
            )),
            Some(Prov::Ref(r, RefTy::Bool)) => Err(format!(
                "{t}.CallDurationInSeconds: boolean reference `{}` (never a whole number)",
                generalise(r)
            )),
            Some(Prov::Ref(..)) => Ok("not a whole number at run time (referenced)"),
            _ => Err(format!("{t}: unexplained: {message}")),
        };
    }
    if message == "there is no number to dial" {
        return match controls.get("phoneNumber") {
            Some(Prov::Literal(_)) => Err(format!(
                "{t}.phoneNumber: blank literal number the runtime rejects"
            )),
            Some(Prov::Ref(..)) => Ok("blank number at run time (referenced)"),
            _ => Err(format!("{t}: unexplained: {message}")),
        };
    }
    if message == "creating a record needs an entityType" {
        // A referenced record id or entity type may be empty or undefined at run time.
        let referenced = matches!(controls.get("recordId"), Some(Prov::Ref(..)))
            || matches!(controls.get("entityType"), Some(Prov::Ref(..)));
        return if referenced {
            Ok("record id and entity type empty at run time (referenced)")
        } else {
            Err(format!("{t}: {message}"))
        };
    }
    Err(format!("{t}: unclassified invalid argument: {message}"))
}

/// A reference with its producer's id generalised, for grouping findings.
fn generalise(r: &str) -> String {
    match r.strip_prefix("$.actions.") {
        Some(rest) => {
            let after = rest.split_once('.').map_or("", |(_, a)| a);
            format!("$.actions.<id>.{after}")
        }
        None => r.to_owned(),
    }
}

/// The failing block between Start and End, behind the blocks whose results it reads (their
/// own `$.actions` references replaced by literals): a small flow showing the finding.
fn minimal_flow(flow: &Generated, block: &str) -> Value {
    let mut producers = BTreeSet::new();
    if let Some((_, controls)) = flow.blocks.get(block) {
        controls.values().for_each(|p| p.producers(&mut producers));
    }
    let mut blocks: Vec<Value> = flow
        .blocks
        .iter()
        .filter(|(id, _)| producers.contains(*id) || id.as_str() == block)
        .map(|(id, (def, controls))| {
            let values: serde_json::Map<String, Value> = controls
                .iter()
                .map(|(k, v)| {
                    let v = if id == block {
                        v.json()
                    } else {
                        v.without_action_refs()
                    };
                    (k.clone(), v)
                })
                .collect();
            common::action(id, def, values)
        })
        .collect();
    // Producers first, then the block.
    blocks.sort_by_key(|b| b["id"] == block);
    let first = blocks[0]["id"].as_str().unwrap_or_default().to_owned();
    common::chain(&mut blocks, "end");
    let mut actions = vec![common::start(&first)];
    actions.extend(blocks);
    actions.push(common::end());
    common::flow("repro", actions)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| {
            let v = v.trim();
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => v.parse().ok(),
            }
        })
        .unwrap_or(default)
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[test]
fn runs_fail_only_for_reasons_the_json_does_not_show() {
    let started = Instant::now();
    let count = env_number("CTIFLOW_PROPTEST_FLOWS", 40) as usize;
    let per_flow = env_number("CTIFLOW_PROPTEST_SCENARIOS", 6) as usize;
    let seed = env_number("CTIFLOW_PROPTEST_SEED", DEFAULT_SEED);

    let (flows, rejected) = accepted_flows(seed, count);
    let generated = started.elapsed();

    // Every block type and every source is exercised.
    let used: BTreeSet<&str> = flows
        .iter()
        .flat_map(|f| f.blocks.values().map(|(b, _)| b.type_id))
        .collect();
    let missing: Vec<&str> = catalog::BLOCKS
        .iter()
        .map(|b| b.type_id)
        .filter(|t| !used.contains(t))
        .collect();

    // The program.
    let krate = Crate::new(
        "ctiflow_property",
        &["serde_json = \"1\"", "pollster = \"0.4\""],
    );
    let modules: Vec<(String, String)> = flows
        .iter()
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
    let compiled =
        common::compile_until_clean(&krate, "build", "src/main.rs", &modules, |left_out| {
            let entries: Vec<common::Include> = flows
                .iter()
                .map(|f| common::Include {
                    module: f.name.clone(),
                    file: format!("flows/{}.json", f.name),
                    trigger: f.trigger,
                    allow: f.allow.clone(),
                    enabled: !left_out.contains(&f.name),
                    blocks: None,
                })
                .collect();
            let (mut text, lines) = common::include_lines(MAIN_HEAD, &entries);
            let enabled: Vec<&str> = flows
                .iter()
                .filter(|f| !left_out.contains(&f.name))
                .map(|f| f.name.as_str())
                .collect();
            text.push_str(&main_tail(&enabled));
            (text, lines)
        });
    let build_time: Duration = compiled.builds.iter().map(|b| b.elapsed).sum();
    let runnable: Vec<&Generated> = flows
        .iter()
        .filter(|f| !compiled.failing.contains_key(&f.name))
        .collect();

    // The scenarios, and the runs.
    let mut scenarios = Vec::new();
    for (i, f) in runnable.iter().enumerate() {
        let mut rng = Rng::new(seed ^ (0x5CE7_A510 + i as u64));
        for s in 0..per_flow {
            scenarios.push(scenario(&mut rng, f, s));
        }
    }
    let scenarios_path = krate.dir.join("scenarios.json");
    std::fs::write(
        &scenarios_path,
        serde_json::to_string_pretty(&scenarios).expect("JSON"),
    )
    .expect("write the scenarios");
    let run_started = Instant::now();
    let last_build_ok = compiled.builds.last().is_some_and(|b| b.success);
    let output = if last_build_ok {
        let out = std::process::Command::new(krate.binary())
            .arg(&scenarios_path)
            .output()
            .expect("run the program");
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        String::new()
    };
    let run_time = run_started.elapsed();

    // Classification.
    let by_name: BTreeMap<&str, &Generated> =
        runnable.iter().map(|f| (f.name.as_str(), *f)).collect();
    let scenario_of = |flow: &str, index: u64| {
        scenarios
            .iter()
            .find(|s| s["flow"] == flow && s["scenario"] == index)
    };
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut allowed: BTreeMap<&'static str, usize> = BTreeMap::new();
    // Finding class → (runs it failed, errors handled through a failure port, first example).
    let mut findings: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    let mut seen_runs = 0;
    for line in output.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        seen_runs += 1;
        let flow_name = v["flow"].as_str().unwrap_or_default();
        let index = v["scenario"].as_u64().unwrap_or_default();
        let (Some(flow), Some(s)) = (by_name.get(flow_name), scenario_of(flow_name, index)) else {
            findings.entry(format!("unknown run {line}")).or_default().0 += 1;
            continue;
        };
        if let Some(panic) = v.get("panic") {
            let e = findings.entry(format!("panic: {panic}")).or_default();
            e.0 += 1;
            e.2 = format!(
                "flow {flow_name} ({}), scenario {s}\n{}",
                flow.trigger, flow.text
            );
            continue;
        }
        let outcome = v["outcome"]["outcome"].as_str().unwrap_or("?").to_owned();
        *outcomes.entry(outcome.clone()).or_default() += 1;
        let mut errors: Vec<(String, String, String, bool)> = v["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["block"].as_str().unwrap_or_default().to_owned(),
                    e["error"]["kind"].as_str().unwrap_or_default().to_owned(),
                    e["error"]["message"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    // Handled, unless it is the error the run failed with (below).
                    true,
                )
            })
            .collect();
        if outcome == "failed" {
            let o = &v["outcome"];
            let failed = (
                o["block"].as_str().unwrap_or_default().to_owned(),
                o["error"]["kind"].as_str().unwrap_or_default().to_owned(),
                o["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                false,
            );
            match errors.last_mut() {
                Some(last) if (&last.0, &last.1, &last.2) == (&failed.0, &failed.1, &failed.2) => {
                    last.3 = false;
                }
                _ => errors.push(failed),
            }
        }
        for (block, kind, message, took_failure) in errors {
            match classify(flow, s, &block, &kind, &message) {
                Ok(reason) => *allowed.entry(reason).or_default() += 1,
                Err(class) => {
                    let e = findings.entry(class).or_default();
                    if took_failure {
                        e.1 += 1;
                    } else {
                        e.0 += 1;
                    }
                    if e.2.is_empty() {
                        let def = flow.blocks[block.as_str()].0;
                        let original = serde_json::from_str::<Value>(&flow.text)
                            .ok()
                            .and_then(|f| {
                                f["actions"]
                                    .as_array()?
                                    .iter()
                                    .find(|a| a["id"] == block.as_str())
                                    .cloned()
                            })
                            .unwrap_or_default();
                        e.2 = format!(
                            "flow {flow_name} ({}), scenario {index}, block `{block}` ({}), \
                             {}: [{kind}] {message}\n      block: {}\n      minimal flow \
                             ({}): {}",
                            flow.trigger,
                            def.type_id,
                            if took_failure {
                                "took its failure port"
                            } else {
                                "ended the run"
                            },
                            original,
                            common::trigger_args(flow.trigger),
                            minimal_flow(flow, &block)
                        );
                    }
                }
            }
        }
    }
    let expected_runs = scenarios.len();

    // The report.
    let mut report = String::new();
    let rejected_total: usize = rejected.values().sum();
    let _ = writeln!(
        report,
        "property: seed {seed:#x}: {} flows accepted by the checker ({rejected_total} generated \
         flows rejected: {}), {} with cycles, {} block types, {} triggers",
        flows.len(),
        rejected
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        flows.iter().filter(|f| f.cycle).count(),
        used.len(),
        flows
            .iter()
            .map(|f| f.trigger.to_string())
            .collect::<BTreeSet<_>>()
            .len()
    );
    let _ = writeln!(
        report,
        "generated in {}; program built in {} ({}), ran {expected_runs} runs in {}",
        seconds(generated),
        seconds(build_time),
        compiled
            .builds
            .iter()
            .map(|b| seconds(b.elapsed))
            .collect::<Vec<_>>()
            .join(" + "),
        seconds(run_time)
    );
    let _ = writeln!(
        report,
        "outcomes: {}",
        outcomes
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(report, "allowed block errors:");
    for (reason, n) in &allowed {
        let _ = writeln!(report, "  {reason}: {n}");
    }
    let mut failed = false;
    if !missing.is_empty() {
        failed = true;
        let _ = writeln!(report, "\nBLOCK TYPES NOT GENERATED: {missing:?}");
    }
    if !compiled.failing.is_empty() || !last_build_ok {
        failed = true;
        let _ = writeln!(
            report,
            "\nRUSTC: {} accepted flows do not compile:",
            compiled.failing.len()
        );
        for (module, problems) in &compiled.failing {
            let f = flows.iter().find(|f| &f.name == module).expect("a flow");
            let _ = writeln!(report, "- {module} ({}):", f.trigger);
            for p in problems {
                let _ = writeln!(report, "{}", p.rendered);
            }
            let _ = writeln!(report, "{}", f.text);
        }
        for p in &compiled.unattributed {
            let _ = writeln!(report, "- not tied to a flow:\n{}", p.rendered);
        }
        if let Some(b) = compiled.builds.last().filter(|b| !b.success) {
            let _ = writeln!(report, "- cargo: {}", b.stderr);
        }
    }
    if last_build_ok && seen_runs != expected_runs {
        failed = true;
        let _ = writeln!(
            report,
            "\nRUNS: {seen_runs} of {expected_runs} runs reported (the program crashed?)"
        );
    }
    if !findings.is_empty() {
        failed = true;
        let ended: usize = findings.values().map(|f| f.0).sum();
        let handled: usize = findings.values().map(|f| f.1).sum();
        let _ = writeln!(
            report,
            "\nFINDINGS: block errors the checker could have prevented: {ended} ended their run \
             as failed, {handled} more took a connected failure port; by class:"
        );
        for (class, (ended, handled, example)) in &findings {
            let _ = writeln!(
                report,
                "- {class} (failed {ended} runs, handled {handled}×)\n    {example}"
            );
        }
    }
    let _ = writeln!(report, "total {}", seconds(started.elapsed()));
    let path = common::nested_dir().join("property-report.txt");
    let _ = std::fs::create_dir_all(common::nested_dir());
    let _ = std::fs::write(&path, &report);
    println!("{report}");
    assert!(
        !failed,
        "the property test found problems (report also in {}):\n{report}",
        path.display()
    );
}
