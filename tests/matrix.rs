//! MATRIX (issue "Checked means it works"): every root and every result field of every block
//! type, read whole and by each path form, into every control kind, for every trigger whose
//! roots differ. The checker's verdict on each combination must match a declarative expectation
//! table; every combination it accepts is compiled through `include_flow!` (one invocation per
//! flow, with `name`, `source` and `event`) in crates outside the workspace with
//! `#![deny(warnings)]`, and must compile without an error or a warning. A rejection must come
//! from the checker, never from rustc.
//!
//! Everything is generated from the tables: `catalog::BLOCKS` (each block's results, walked
//! recursively), `catalog::CONTACT_PROPERTIES`, `catalog::AGENT` and the trigger table's
//! contexts (`$.contact` yes/maybe/no; `$.payload` none, untyped or typed: one trigger per
//! distinct context). Consumer blocks are picked from the catalog too: for each control kind,
//! the cheapest block with such a control that the checker accepts in every context.
//!
//! Each (trigger, control kind, placement) is one group: Start, the producers in a chain (each
//! left through its success port, so its results dominate what follows; with the `maybe`
//! placement, behind a branch with `maybe_unset` allowed, so results are read from `Results`),
//! then one consumer block per reference. The checker names the block of every diagnostic, so
//! one check per group gives each combination its verdict. The accepted combinations of a group
//! are compiled in flows of at most [`CHUNK`] consumers, one crate per trigger; the combinations
//! of a flow that does not compile are compiled again one flow each, so that every rustc error
//! is shown with its flow, reference and control. The report is also written to
//! `<target>/matrix-crate/matrix-report.txt`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ctiflow_codegen::catalog::{self, AGENT, Block, CONTACT_PROPERTIES, Control, ControlKind};
use ctiflow_codegen::catalog::{Results, Ty};
use ctiflow_codegen::names::snake_case;
use ctiflow_codegen::trigger::{Availability, Context, Payload};
use ctiflow_codegen::{Code, Trigger};
use serde_json::{Value, json};

use common::{Build, Crate, RustcMessage};

// ---------------------------------------------------------------------------------------------
// Control kinds and the consumer block of each

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    TextRequired,
    TextOptional,
    IntegerText,
    Bool,
    MapWhole,
    MapEntry,
    Any,
    Enum,
}

impl Kind {
    const ALL: [Kind; 8] = [
        Kind::TextRequired,
        Kind::TextOptional,
        Kind::IntegerText,
        Kind::Bool,
        Kind::MapWhole,
        Kind::MapEntry,
        Kind::Any,
        Kind::Enum,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::TextRequired => "text_required",
            Kind::TextOptional => "text_optional",
            Kind::IntegerText => "integer_text",
            Kind::Bool => "bool",
            Kind::MapWhole => "map_whole",
            Kind::MapEntry => "map_entry",
            Kind::Any => "any",
            Kind::Enum => "enum",
        }
    }

    fn accepts(self, c: &Control) -> bool {
        match self {
            Kind::TextRequired => c.kind == ControlKind::Text && c.required,
            Kind::TextOptional => c.kind == ControlKind::Text && !c.required,
            Kind::IntegerText => c.kind == ControlKind::IntegerText,
            Kind::Bool => c.kind == ControlKind::Bool,
            Kind::MapWhole | Kind::MapEntry => c.kind == ControlKind::Map,
            Kind::Any => c.kind == ControlKind::Any,
            Kind::Enum => matches!(c.kind, ControlKind::Enum(_)),
        }
    }
}

/// The block and control a kind is tested with.
#[derive(Clone, Copy)]
struct Consumer {
    kind: Kind,
    block: &'static Block,
    control: &'static Control,
}

impl Consumer {
    /// The consumer block with `value` in its control (as the entry `v` of a map entry).
    fn action(&self, id: &str, value: Value) -> Value {
        let mut controls = common::filled_controls(self.block, false);
        let value = match self.kind {
            Kind::MapEntry => json!({ "v": value }),
            _ => value,
        };
        controls.insert(self.control.name.to_owned(), value);
        common::action(id, self.block, controls)
    }

    fn describe(&self) -> String {
        let entry = if self.kind == Kind::MapEntry {
            ".v"
        } else {
            ""
        };
        format!(
            "{}.{}{entry} ({})",
            self.block.type_id,
            self.control.name,
            self.kind.name()
        )
    }
}

/// For each kind, the cheapest (no contact, no capability, fewest required controls, no
/// results) catalog block with such a control whose other controls the checker accepts in every
/// context.
fn consumers(contexts: &[(Trigger, Context)]) -> Vec<Consumer> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let mut candidates: Vec<Consumer> = catalog::BLOCKS
                .iter()
                .flat_map(|block| {
                    block
                        .controls
                        .iter()
                        .filter(move |c| kind.accepts(c))
                        .map(move |control| Consumer {
                            kind,
                            block,
                            control,
                        })
                })
                .collect();
            candidates.sort_by_key(|c| {
                (
                    c.block.needs_contact,
                    c.block.capability.is_some(),
                    c.block.controls.iter().filter(|c| c.required).count(),
                    c.block.results != Results::None,
                )
            });
            candidates
                .into_iter()
                .find(|c| {
                    let probe = match kind {
                        Kind::MapEntry => json!("x"),
                        _ => common::valid_literal(c.control),
                    };
                    let mut blocks = vec![c.action("c", probe)];
                    common::chain(&mut blocks, "end");
                    let mut actions = vec![common::start("c")];
                    actions.extend(blocks);
                    actions.push(common::end());
                    let text = common::flow("probe", actions).to_string();
                    contexts
                        .iter()
                        .all(|(t, _)| common::errors(&common::check(&text, *t, &[])).is_empty())
                })
                .unwrap_or_else(|| panic!("no catalog block has a usable {kind:?} control"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// References

/// What a reference is, as far as its type goes, or why it cannot resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Shape {
    Text,
    Number,
    Bool,
    /// Untyped: checked at run time.
    Any,
    /// A record whose fields are all text, numbers, booleans or untyped.
    FlatObject,
    /// A record with an object, map or array field.
    NestedObject,
    /// An object with unknown keys.
    Map,
    List,
    /// A path into text, a number or a boolean.
    PastScalar,
    /// A field a record does not have.
    NoSuchField,
    /// An index into a record.
    IndexIntoObject,
    /// A block type that returns nothing.
    NoResults,
    /// Contact data where the trigger has no contact.
    NoContact,
    /// A payload where the trigger has none.
    NoPayload,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Root {
    Action,
    Contact,
    Agent,
    Payload,
}

#[derive(Clone, Debug)]
struct Reference {
    text: String,
    root: Root,
    /// The block type whose results it reads.
    producer: Option<&'static Block>,
    shape: Shape,
}

fn shape_of(ty: Ty) -> Shape {
    match ty {
        Ty::Text => Shape::Text,
        Ty::Number => Shape::Number,
        Ty::Bool => Shape::Bool,
        Ty::Any => Shape::Any,
        Ty::Map => Shape::Map,
        Ty::List => Shape::List,
        Ty::Object(fields) => {
            if fields
                .iter()
                .any(|f| matches!(f.ty, Ty::Object(_) | Ty::Map | Ty::List))
            {
                Shape::NestedObject
            } else {
                Shape::FlatObject
            }
        }
    }
}

/// Every path below `base` of type `ty`: the value whole, each field recursively, every path
/// form (`.key`, `[0]`, `.[0]`, `.0`, deeper) into untyped values, maps and arrays, and the paths
/// that must not resolve (past a scalar, an unknown field, an index into a record).
fn walk(ty: Ty, base: &str, out: &mut Vec<(String, Shape)>) {
    out.push((base.to_owned(), shape_of(ty)));
    match ty {
        Ty::Object(fields) => {
            for f in fields {
                walk(f.ty, &format!("{base}.{}", f.name), out);
            }
            out.push((format!("{base}.noSuchField"), Shape::NoSuchField));
            out.push((format!("{base}[0]"), Shape::IndexIntoObject));
        }
        Ty::Text | Ty::Number | Ty::Bool => {
            out.push((format!("{base}.x"), Shape::PastScalar));
            out.push((format!("{base}[0]"), Shape::PastScalar));
        }
        Ty::Map | Ty::List | Ty::Any => {
            for suffix in [
                ".key",
                "[0]",
                ".[0]",
                ".0",
                ".key.deeper",
                "[0].key",
                ".key[1]",
            ] {
                out.push((format!("{base}{suffix}"), Shape::Any));
            }
        }
    }
}

fn producer_id(block: &Block) -> String {
    match block.type_id {
        "SE_Start" => "start".to_owned(),
        "SE_End" => "end".to_owned(),
        t => format!("p_{}", t.trim_start_matches("SE_").to_lowercase()),
    }
}

/// The references of a context. Those that read the same thing in every context (`$.agent`,
/// blocks that need no contact) only with `independent`.
fn references(context: Context, independent: bool) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut push = |root, producer, paths: Vec<(String, Shape)>, override_: Option<Shape>| {
        for (text, shape) in paths {
            out.push(Reference {
                text,
                root,
                producer,
                shape: override_.unwrap_or(shape),
            });
        }
    };
    let no_contact = (context.contact == Availability::No).then_some(Shape::NoContact);
    for block in catalog::BLOCKS {
        if !(block.needs_contact || independent) {
            continue;
        }
        let base = format!("$.actions.{}.results", producer_id(block));
        let mut paths = Vec::new();
        match block.results {
            Results::None => paths.push((base, Shape::NoResults)),
            Results::Value(ty) => walk(ty, &base, &mut paths),
            Results::Fields(fields) => walk(Ty::Object(fields), &base, &mut paths),
        }
        let over = if block.needs_contact {
            no_contact
        } else {
            None
        };
        push(Root::Action, Some(block), paths, over);
    }
    let mut paths = Vec::new();
    walk(Ty::Object(CONTACT_PROPERTIES), "$.contact", &mut paths);
    push(Root::Contact, None, paths, no_contact);
    if independent {
        let mut paths = Vec::new();
        walk(Ty::Object(AGENT), "$.agent", &mut paths);
        push(Root::Agent, None, paths, None);
    }
    let mut paths = Vec::new();
    match context.payload {
        Payload::None => {
            paths.push(("$.payload".to_owned(), Shape::NoPayload));
            paths.push(("$.payload.key".to_owned(), Shape::NoPayload));
        }
        Payload::Untyped => walk(Ty::Any, "$.payload", &mut paths),
        Payload::Typed(record) => walk(
            Ty::Object(catalog::payload_fields(record)),
            "$.payload",
            &mut paths,
        ),
    }
    push(Root::Payload, None, paths, None);
    out
}

// ---------------------------------------------------------------------------------------------
// The expectation table

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Want {
    Accept,
    Reject(Code),
}

/// What the checker must say about a reference of each shape in each control kind. A row is a
/// rejection when rustc would refuse the code, or when every run of the flow would fail on it
/// (an object in a map entry is never text; `true` is never a whole number of seconds).
fn expected(root: Root, shape: Shape, kind: Kind) -> Want {
    use Kind as K;
    use Shape as S;
    let field = if root == Root::Payload {
        Code::UnknownPayloadField
    } else {
        Code::UnknownField
    };
    let reject = Want::Reject;
    match (shape, kind) {
        (S::NoContact, _) => reject(Code::NoContact),
        (S::NoPayload, _) => reject(Code::NoPayload),
        (S::PastScalar | S::NoSuchField | S::IndexIntoObject, _) => reject(field),
        (S::NoResults, _) => reject(Code::UnknownField),
        // Enum controls must be literals (README).
        (_, K::Enum) => reject(Code::ControlKind),
        (_, K::Any) => Want::Accept,
        (S::Text | S::Number | S::Bool | S::Any, K::TextRequired | K::TextOptional) => Want::Accept,
        (S::Text | S::Number | S::Bool | S::Any, K::MapEntry) => Want::Accept,
        (S::Text | S::Number | S::Any, K::IntegerText) => Want::Accept,
        (S::Bool, K::IntegerText) => reject(Code::ControlKind),
        (
            S::FlatObject | S::NestedObject | S::Map | S::List,
            K::TextRequired | K::TextOptional | K::IntegerText | K::Bool | K::MapEntry,
        ) => reject(Code::ControlKind),
        (S::Bool | S::Any, K::Bool) => Want::Accept,
        (S::Text | S::Number, K::Bool) => reject(Code::ControlKind),
        (S::FlatObject | S::Map | S::Any, K::MapWhole) => Want::Accept,
        (S::NestedObject | S::List | S::Text | S::Number | S::Bool, K::MapWhole) => {
            reject(Code::ControlKind)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Combinations and the flows that hold them

/// The most consumer blocks in one compiled flow: rustc checks many small flows faster than a
/// few large ones.
const CHUNK: usize = 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Placement {
    /// Producers in a chain before the consumers: their results dominate.
    Dominating,
    /// Producers behind one branch of an Is Truthy?, `maybe_unset` allowed: results are read
    /// from the recorded `Results`.
    Maybe,
}

impl Placement {
    fn name(self) -> &'static str {
        match self {
            Placement::Dominating => "dominating",
            Placement::Maybe => "maybe",
        }
    }
}

struct Combo {
    trigger: Trigger,
    placement: Placement,
    consumer: Consumer,
    reference: Reference,
    want: Want,
    /// The checker's error codes and messages.
    errors: Vec<(Code, String)>,
}

impl Combo {
    fn accepted(&self) -> bool {
        self.errors.is_empty()
    }

    fn verdict(&self) -> String {
        if self.accepted() {
            "accepted".to_owned()
        } else {
            let codes: BTreeSet<&str> = self.errors.iter().map(|(c, _)| c.as_str()).collect();
            codes.into_iter().collect::<Vec<_>>().join("+")
        }
    }

    fn agrees(&self) -> bool {
        match self.want {
            Want::Accept => self.accepted(),
            Want::Reject(code) => self.errors.iter().any(|(c, _)| *c == code),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} [{}] {} → {}",
            self.trigger,
            self.placement.name(),
            self.reference.text,
            self.consumer.describe()
        )
    }

    fn allow(&self) -> Vec<Code> {
        match self.placement {
            Placement::Dominating => Vec::new(),
            Placement::Maybe => vec![Code::MaybeUnset],
        }
    }
}

/// The controls of every producer: the required ones, or every text control when the block's
/// rules need more (Save without a record id needs `entityType`).
fn producer_controls(
    contexts: &[(Trigger, Context)],
) -> BTreeMap<&'static str, serde_json::Map<String, Value>> {
    catalog::BLOCKS
        .iter()
        .filter(|b| !matches!(b.type_id, "SE_Start" | "SE_End"))
        .map(|block| {
            let clean = |controls: &serde_json::Map<String, Value>| {
                let mut blocks = vec![common::action("p", block, controls.clone())];
                common::chain(&mut blocks, "end");
                let mut actions = vec![common::start("p")];
                actions.extend(blocks);
                actions.push(common::end());
                let text = common::flow("producer", actions).to_string();
                contexts
                    .iter()
                    .filter(|(_, c)| !(block.needs_contact && c.contact == Availability::No))
                    .all(|(t, _)| common::errors(&common::check(&text, *t, &[])).is_empty())
            };
            let controls = [false, true]
                .into_iter()
                .map(|all_text| common::filled_controls(block, all_text))
                .find(|c| clean(c))
                .unwrap_or_else(|| panic!("no valid controls for producer {}", block.type_id));
            (block.type_id, controls)
        })
        .collect()
}

/// The flow holding `combos` (one consumer block `c<i>` each, in order) behind their producers.
fn combo_flow(
    name: &str,
    placement: Placement,
    combos: &[&Combo],
    producers: &BTreeMap<&'static str, serde_json::Map<String, Value>>,
) -> Value {
    let used: BTreeSet<&str> = combos
        .iter()
        .filter_map(|c| c.reference.producer.map(|b| b.type_id))
        .collect();
    let mut producer_blocks: Vec<Value> = catalog::BLOCKS
        .iter()
        .filter(|b| used.contains(b.type_id))
        .filter_map(|b| {
            producers
                .get(b.type_id)
                .map(|controls| common::action(&producer_id(b), b, controls.clone()))
        })
        .collect();
    let mut consumer_blocks: Vec<Value> = combos
        .iter()
        .enumerate()
        .map(|(i, c)| c.consumer.action(&format!("c{i}"), json!(c.reference.text)))
        .collect();
    let first_consumer = consumer_blocks
        .first()
        .and_then(|b| b["id"].as_str())
        .unwrap_or("end")
        .to_owned();
    common::chain(&mut consumer_blocks, "end");
    common::chain(&mut producer_blocks, &first_consumer);
    let first_producer = producer_blocks
        .first()
        .and_then(|b| b["id"].as_str())
        .unwrap_or(&first_consumer)
        .to_owned();
    let mut actions = Vec::new();
    match placement {
        Placement::Dominating => actions.push(common::start(&first_producer)),
        Placement::Maybe => {
            actions.push(common::start("gate"));
            actions.push(json!({
                "id": "gate", "type": "SE_CoreTruthy", "controls": {"value": "$.agent.name"},
                "ports": {"true": first_producer, "false": first_consumer}
            }));
        }
    }
    actions.extend(producer_blocks);
    actions.extend(consumer_blocks);
    actions.push(common::end());
    common::flow(name, actions)
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON serialises") + "\n"
}

/// One module per group or per combination.
struct Module {
    name: String,
    trigger: Trigger,
    text: String,
    allow: Vec<Code>,
    /// Indexes into the combinations it holds.
    combos: Vec<usize>,
}

/// The flow of `members` (combinations of one group), checked: it must have no error, and the
/// lints the checker warned about are allowed.
fn module(
    name: &str,
    members: &[usize],
    combos: &[Combo],
    producers: &BTreeMap<&'static str, serde_json::Map<String, Value>>,
    unexpected: &mut Vec<String>,
) -> Module {
    let refs: Vec<&Combo> = members.iter().map(|&i| &combos[i]).collect();
    let text = pretty(&combo_flow(name, refs[0].placement, &refs, producers));
    let mut allow = refs[0].allow();
    let diagnostics = common::check(&text, refs[0].trigger, &allow);
    for d in common::errors(&diagnostics) {
        unexpected.push(format!(
            "{name}: the accepted combinations together are rejected: [{}] {} (block {:?})",
            d.code, d.message, d.block
        ));
    }
    allow.extend(common::warned(&diagnostics));
    Module {
        name: name.to_owned(),
        trigger: refs[0].trigger,
        text,
        allow,
        combos: members.to_vec(),
    }
}

/// One crate of flows, compiled.
#[derive(Default)]
struct Level {
    crate_name: String,
    modules: Vec<Module>,
    failing: BTreeMap<String, Vec<RustcMessage>>,
    unattributed: Vec<RustcMessage>,
    builds: Vec<Build>,
}

impl Level {
    fn compile(crate_name: String, modules: Vec<Module>) -> Level {
        let common::Compiled {
            failing,
            unattributed,
            builds,
        } = compile(&crate_name, &modules);
        Level {
            crate_name,
            modules,
            failing,
            unattributed,
            builds,
        }
    }
}

/// Compiles `modules` in crate `name` (see [`common::compile_until_clean`]).
fn compile(name: &str, modules: &[Module]) -> common::Compiled {
    let krate = Crate::new(name, &[]);
    let flows: Vec<(String, String)> = modules
        .iter()
        .map(|m| (m.name.clone(), m.text.clone()))
        .collect();
    common::compile_until_clean(&krate, "check", "src/lib.rs", &flows, |left_out| {
        let entries: Vec<common::Include> = modules
            .iter()
            .map(|m| common::Include {
                module: m.name.clone(),
                file: format!("flows/{}.json", m.name),
                trigger: m.trigger,
                allow: m.allow.clone(),
                enabled: !left_out.contains(&m.name),
                blocks: None,
            })
            .collect();
        common::include_lines(
            "//! Generated by tests/matrix.rs: every combination the checker accepts.\n\
             #![deny(warnings)]\n",
            &entries,
        )
    })
}

/// A rustc problem in one line: its code and first line of message.
fn problem_key(p: &RustcMessage) -> String {
    format!(
        "{} {}: {}",
        p.level,
        p.code.as_deref().unwrap_or("-"),
        p.message.lines().next().unwrap_or_default()
    )
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[test]
fn every_accepted_combination_compiles() {
    let started = Instant::now();
    let contexts = common::context_representatives();
    let consumers = consumers(&contexts);
    let producers = producer_controls(&contexts);

    // Every combination, with its expectation.
    let mut combos: Vec<Combo> = Vec::new();
    for (ci, (trigger, context)) in contexts.iter().enumerate() {
        let refs = references(*context, ci == 0);
        for placement in [Placement::Dominating, Placement::Maybe] {
            for consumer in &consumers {
                for reference in &refs {
                    let placed = match placement {
                        Placement::Dominating => true,
                        // Every reference that resolves is accepted into `any`, and how a read is
                        // emitted does not depend on the control it goes to.
                        Placement::Maybe => {
                            consumer.kind == Kind::Any
                                && reference
                                    .producer
                                    .is_some_and(|b| !matches!(b.type_id, "SE_Start" | "SE_End"))
                        }
                    };
                    if placed {
                        combos.push(Combo {
                            trigger: *trigger,
                            placement,
                            consumer: *consumer,
                            reference: reference.clone(),
                            want: expected(reference.root, reference.shape, consumer.kind),
                            errors: Vec::new(),
                        });
                    }
                }
            }
        }
    }

    // The checker's verdicts: one check per group, diagnostics attributed by block.
    let mut groups: BTreeMap<(usize, Placement, Kind), Vec<usize>> = BTreeMap::new();
    for (i, c) in combos.iter().enumerate() {
        let ci = contexts
            .iter()
            .position(|(t, _)| *t == c.trigger)
            .expect("a representative");
        groups
            .entry((ci, c.placement, c.consumer.kind))
            .or_default()
            .push(i);
    }
    let mut unexpected: Vec<String> = Vec::new();
    let group_name = |(ci, placement, kind): (usize, Placement, Kind)| {
        let t = contexts[ci].0;
        let event = t.event.map(|e| snake_case(e.name())).unwrap_or_default();
        format!(
            "{}_{event}_{}_{}",
            snake_case(t.source.name()),
            kind.name(),
            placement.name()
        )
    };
    for (&key, members) in &groups {
        let refs: Vec<&Combo> = members.iter().map(|&i| &combos[i]).collect();
        let name = group_name(key);
        let text = combo_flow(&name, key.1, &refs, &producers).to_string();
        let allow = refs[0].allow();
        let diagnostics = common::check(&text, contexts[key.0].0, &allow);
        let mut by_block: BTreeMap<String, Vec<(Code, String)>> = BTreeMap::new();
        for d in common::errors(&diagnostics) {
            match &d.block {
                Some(b) => by_block
                    .entry(b.clone())
                    .or_default()
                    .push((d.code, d.message.clone())),
                None => unexpected.push(format!("{name}: error without a block: {}", d.message)),
            }
        }
        for (block, errors) in &by_block {
            let known = block.starts_with('c') || block.starts_with("p_");
            if !known {
                unexpected.push(format!("{name}: error on block `{block}`: {errors:?}"));
            }
        }
        for (j, &i) in members.iter().enumerate() {
            let mut errors = by_block.remove(&format!("c{j}")).unwrap_or_default();
            if let Some(p) = combos[i].reference.producer
                && let Some(perrs) = by_block.get(&producer_id(p))
            {
                errors.extend(perrs.iter().cloned());
            }
            combos[i].errors = errors;
        }
    }
    let checked = started.elapsed();

    // The expectation table against the verdicts.
    let mut disagreements: BTreeMap<(Shape, Kind, Want, String), Vec<usize>> = BTreeMap::new();
    for (i, c) in combos.iter().enumerate() {
        if !c.agrees() {
            disagreements
                .entry((c.reference.shape, c.consumer.kind, c.want, c.verdict()))
                .or_default()
                .push(i);
        }
    }

    // Pass 1: the accepted combinations, one crate per context (a crate that does not compile
    // loses its incremental cache, the others keep theirs), one flow per group (split into
    // flows of at most CHUNK consumers). Pass 2: the combinations of every flow that does not
    // compile, one flow each, so that every rustc error names its combination.
    let mut first: BTreeMap<usize, Vec<Module>> = BTreeMap::new();
    for (&key, members) in &groups {
        let accepted: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| combos[i].accepted())
            .collect();
        for (k, part) in accepted.chunks(CHUNK).enumerate() {
            let name = format!("{}_{k}", group_name(key));
            let m = module(&name, part, &combos, &producers, &mut unexpected);
            first.entry(key.0).or_default().push(m);
        }
    }
    let pass1: Vec<Level> = first
        .into_iter()
        .map(|(ci, modules)| Level::compile(format!("ctiflow_matrix_{ci}"), modules))
        .collect();
    let singles: Vec<Module> = pass1
        .iter()
        .flat_map(|l| l.modules.iter().filter(|m| l.failing.contains_key(&m.name)))
        .flat_map(|m| &m.combos)
        .map(|&i| module(&format!("m{i}"), &[i], &combos, &producers, &mut unexpected))
        .collect();
    let pass2 =
        (!singles.is_empty()).then(|| Level::compile("ctiflow_matrix_singles".to_owned(), singles));

    // The report.
    let mut report = String::new();
    let accepted = combos.iter().filter(|c| c.accepted()).count();
    let _ = writeln!(
        report,
        "matrix: {} combinations ({} contexts × {} control kinds × references, 2 placements): \
         {accepted} accepted by the checker, {} rejected",
        combos.len(),
        contexts.len(),
        consumers.len(),
        combos.len() - accepted
    );
    for (t, c) in &contexts {
        let _ = writeln!(
            report,
            "  context {t}: contact {:?}, payload {}",
            c.contact,
            match c.payload {
                Payload::None => "none".to_owned(),
                Payload::Untyped => "untyped".to_owned(),
                Payload::Typed(record) => format!("typed ({record:?})"),
            }
        );
    }
    for c in &consumers {
        let _ = writeln!(report, "  control kind {}: {}", c.kind.name(), c.describe());
    }
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for c in &combos {
        *by_code.entry(c.verdict()).or_default() += 1;
    }
    for (code, n) in &by_code {
        let _ = writeln!(report, "  {code}: {n}");
    }
    let _ = writeln!(
        report,
        "checker: {} group flows checked in {}",
        groups.len(),
        seconds(checked)
    );
    let levels: Vec<(usize, &Level)> = pass1
        .iter()
        .map(|l| (1, l))
        .chain(pass2.iter().map(|l| (2, l)))
        .collect();
    for &(n, level) in &levels {
        let _ = writeln!(
            report,
            "rustc pass {n}: crate {}, {} flows, cargo check {}; {} flows fail",
            level.crate_name,
            level.modules.len(),
            level
                .builds
                .iter()
                .map(|b| seconds(b.elapsed))
                .collect::<Vec<_>>()
                .join(" + "),
            level.failing.len()
        );
    }

    let mut failed = false;
    if !disagreements.is_empty() {
        failed = true;
        let n: usize = disagreements.values().map(Vec::len).sum();
        let _ = writeln!(
            report,
            "\nEXPECTATION TABLE: {n} combinations where the checker disagrees, by (shape, \
             kind, expected, got):"
        );
        for ((shape, kind, want, got), members) in &disagreements {
            let _ = writeln!(
                report,
                "- {shape:?} into {} : expected {want:?}, checker says {got} ({} combinations)",
                kind.name(),
                members.len()
            );
            for &i in members.iter().take(6) {
                let _ = writeln!(report, "    {}", combos[i].describe());
            }
            if members.len() > 6 {
                let _ = writeln!(report, "    ... and {} more", members.len() - 6);
            }
            let first = &combos[members[0]];
            let repro = combo_flow("repro", first.placement, &[first], &producers);
            let _ = writeln!(
                report,
                "    repro ({}): {}",
                common::trigger_args(first.trigger),
                repro
            );
        }
    }

    // rustc problems per combination (pass 2), grouped by message.
    let mut rustc: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let no_level = Level::default();
    let last = pass2.as_ref().unwrap_or(&no_level);
    for (module, problems) in &last.failing {
        let Some(m) = last.modules.iter().find(|m| &m.name == module) else {
            continue;
        };
        let keys: BTreeSet<String> = problems.iter().map(problem_key).collect();
        for key in keys {
            rustc
                .entry(key)
                .or_default()
                .extend(m.combos.iter().copied());
        }
    }
    let unattributed: Vec<&RustcMessage> =
        levels.iter().flat_map(|(_, l)| &l.unattributed).collect();
    let failing1: BTreeMap<&String, &Vec<RustcMessage>> =
        pass1.iter().flat_map(|l| &l.failing).collect();
    let flows1: usize = pass1.iter().map(|l| l.modules.len()).sum();
    if !failing1.is_empty() || !unattributed.is_empty() {
        failed = true;
        let n: usize = rustc.values().map(Vec::len).sum();
        let _ = writeln!(
            report,
            "\nRUSTC: {} of {flows1} flows do not compile; {n} accepted combinations fail, by \
             error:",
            failing1.len(),
        );
        for (key, members) in &rustc {
            let _ = writeln!(report, "- {key} ({} combinations)", members.len());
            for &i in members {
                let _ = writeln!(report, "    {}", combos[i].describe());
            }
            let first = &combos[members[0]];
            let repro = combo_flow("repro", first.placement, &[first], &producers);
            let _ = writeln!(
                report,
                "    repro ({}{}): {}",
                common::trigger_args(first.trigger),
                if first.allow().is_empty() {
                    ""
                } else {
                    ", allow(maybe_unset)"
                },
                repro
            );
            let said = last.failing.iter().find_map(|(module, ps)| {
                let m = last.modules.iter().find(|m| &m.name == module)?;
                m.combos.contains(&members[0]).then_some(())?;
                ps.iter().find(|p| &problem_key(p) == key)
            });
            if let Some(p) = said {
                let _ = writeln!(report, "    rustc says:\n{}", indent(&p.rendered, 6));
            }
        }
        for (module, problems) in &failing1 {
            let keys: BTreeSet<String> = problems.iter().map(problem_key).collect();
            let _ = writeln!(
                report,
                "  group {module}: {}",
                keys.into_iter().collect::<Vec<_>>().join("; ")
            );
        }
        for p in &unattributed {
            let _ = writeln!(
                report,
                "- not tied to a flow: {}\n{}",
                problem_key(p),
                indent(&p.rendered, 4)
            );
        }
        for b in levels.iter().flat_map(|(_, l)| &l.builds) {
            if !b.success && b.messages.is_empty() {
                let _ = writeln!(report, "- cargo failed:\n{}", indent(&b.stderr, 4));
            }
        }
    }
    if !unexpected.is_empty() {
        failed = true;
        let _ = writeln!(report, "\nUNEXPECTED:");
        for u in &unexpected {
            let _ = writeln!(report, "- {u}");
        }
    }
    let _ = writeln!(report, "total {}", seconds(started.elapsed()));
    let path = common::nested_dir().join("matrix-report.txt");
    let _ = std::fs::create_dir_all(common::nested_dir());
    let _ = std::fs::write(&path, &report);
    println!("{report}");
    assert!(
        !failed,
        "the matrix found problems (report also in {}):\n{report}",
        path.display()
    );
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
