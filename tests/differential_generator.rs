//! The differential test's generator and scenarios on their own: every generated flow passes
//! the checker, the flows cover the catalog and the shapes the differential test needs, the
//! same seed gives the same text, and the scenarios build deterministic sandboxes and
//! observations.

mod common;
#[path = "differential/generator.rs"]
mod generator;
#[path = "differential/scenario.rs"]
mod scenario;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ctiflow_codegen::catalog::{self, Port};
use ctiflow_codegen::check::Graph;
use ctiflow_codegen::model::{ControlValue, Flow};
use ctiflow_codegen::reference::Root;
use ctiflow_codegen::trigger::{Availability, Context, Payload};
use ctiflow_codegen::{Analysis, Code, Options, Source};
use serde_json::Value;

use generator::GeneratedFlow;
use scenario::Scenario;

/// How many seeds must all check without errors.
const CHECKED_SEEDS: u64 = 2_000;
/// The seeds whose flows must together cover the catalog and the shapes.
const COVERAGE_SEEDS: u64 = 300;

fn analyze(flow: &GeneratedFlow, options: &Options) -> Analysis {
    ctiflow_codegen::analyze(&flow.json, options)
}

fn checked(flow: &GeneratedFlow) -> (Flow, Graph, Analysis) {
    let analysis = analyze(flow, &generator::options(flow));
    let model = analysis.flow.clone().expect("a generated flow is a flow");
    let graph = analysis.graph.clone().expect("a flow has a graph");
    (model, graph, analysis)
}

fn describe_errors(flow: &GeneratedFlow, analysis: &Analysis) -> String {
    let mut out = format!(
        "seed {} ({}, maybe_unset {}):\n",
        flow.seed,
        flow.trigger,
        if flow.allow_maybe_unset {
            "allowed"
        } else {
            "denied"
        }
    );
    for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = writeln!(
            out,
            "  error[{}] {}: {}{}",
            d.code,
            d.block.as_deref().unwrap_or("-"),
            d.message,
            d.help
                .as_deref()
                .map_or_else(String::new, |h| format!(" (help: {h})"))
        );
    }
    out
}

#[test]
fn every_flow_checks_without_errors() {
    let mut failures = Vec::new();
    for seed in 0..CHECKED_SEEDS {
        let flow = generator::flow(seed);
        let analysis = analyze(&flow, &generator::options(&flow));
        if analysis.has_errors() {
            failures.push((flow, analysis));
        }
    }
    if let Some((first, _)) = failures.first() {
        let mut report = format!(
            "{} of {CHECKED_SEEDS} generated flows have errors:\n",
            failures.len()
        );
        for (flow, analysis) in failures.iter().take(10) {
            report.push_str(&describe_errors(flow, analysis));
        }
        let _ = write!(
            report,
            "\nthe first one, seed {}:\n{}",
            first.seed, first.json
        );
        panic!("{report}");
    }
}

#[test]
fn the_same_seed_gives_the_same_flow() {
    for seed in (0..100).chain([u64::MAX, 1 << 63, 0xDEAD_BEEF]) {
        let a = generator::flow(seed);
        let b = generator::flow(seed);
        assert_eq!(a, b, "seed {seed}");
        assert_eq!(a.seed, seed);
    }
    let texts: BTreeSet<String> = (0..50).map(|s| generator::flow(s).json).collect();
    assert_eq!(texts.len(), 50, "different seeds give different flows");
}

#[test]
fn the_scenario_orgs_first_records_have_the_generators_ids() {
    let sandbox = scenario::sandbox(Scenario::OneMatch, 1);
    let org = sandbox.org();
    for (id, sobject) in scenario::record_ids().iter().zip(scenario::ORG_ORDER) {
        assert_eq!(org.get(id).map(|r| r.sobject.as_str()), Some(*sobject));
    }
}

// ---------------------------------------------------------------------------------------------
// Coverage

/// What the coverage test counts over the first seeds: fact → how many flows show it.
#[derive(Default)]
struct Coverage {
    facts: BTreeMap<&'static str, usize>,
    types: BTreeMap<&'static str, usize>,
    comparators: BTreeMap<String, usize>,
    evaluate_as: BTreeMap<String, usize>,
    sources: BTreeSet<&'static str>,
    blocks: Vec<usize>,
}

impl Coverage {
    fn fact(&mut self, name: &'static str, present: bool) {
        let n = self.facts.entry(name).or_default();
        if present {
            *n += 1;
        }
    }
}

/// Whether a block branches into two different successors that meet again (a diamond).
fn has_diamond(graph: &Graph, reachable: &[bool]) -> bool {
    let n = graph.edges.len();
    let descendants = |from: usize| {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        seen[from] = true;
        while let Some(v) = stack.pop() {
            for e in &graph.edges[v] {
                if !seen[e.to] {
                    seen[e.to] = true;
                    stack.push(e.to);
                }
            }
        }
        seen
    };
    (0..n).filter(|&b| reachable[b]).any(|b| {
        let targets: BTreeSet<usize> = graph.edges[b].iter().map(|e| e.to).collect();
        let targets: Vec<usize> = targets.into_iter().collect();
        targets.iter().enumerate().any(|(i, &s1)| {
            let d1 = descendants(s1);
            targets[i + 1..].iter().any(|&s2| {
                let d2 = descendants(s2);
                (0..n).any(|j| d1[j] && d2[j] && j != b)
            })
        })
    })
}

fn json_kinds(value: &Value, out: &mut BTreeSet<&'static str>) {
    match value {
        Value::Null => {
            out.insert("null");
        }
        Value::Bool(_) => {
            out.insert("boolean");
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or_default();
            out.insert("number");
            if f < 0.0 {
                out.insert("negative number");
            }
            if f.fract() != 0.0 {
                out.insert("fractional number");
            }
        }
        Value::String(s) if s.is_empty() => {
            out.insert("\"\"");
        }
        Value::String(s) if s.starts_with("$.") => {
            out.insert("reference");
        }
        Value::String(_) => {
            out.insert("text");
        }
        Value::Array(items) => {
            out.insert("array");
            items.iter().for_each(|v| json_kinds(v, out));
        }
        Value::Object(map) if map.is_empty() => {
            out.insert("{}");
        }
        Value::Object(map) => {
            out.insert(if map.len() > 1 {
                "object (several entries)"
            } else {
                "object"
            });
            map.values().for_each(|v| json_kinds(v, out));
        }
    }
}

fn survey(flow: &GeneratedFlow, coverage: &mut Coverage) {
    let (model, graph, analysis) = checked(flow);
    let context = Context::of(Some(flow.trigger));
    let n = model.actions.len();
    let reachable: Vec<bool> = (0..n).map(|i| graph.is_reachable(i)).collect();
    coverage.blocks.push(n);
    coverage.sources.insert(flow.trigger.source.name());

    for (i, a) in model.actions.iter().enumerate() {
        let Some(block) = a.type_id.as_deref().and_then(catalog::lookup) else {
            continue;
        };
        if reachable[i] {
            *coverage.types.entry(block.type_id).or_default() += 1;
        }
        if block.type_id == "SE_Decision" {
            for (key, counts) in [
                ("comparator", &mut coverage.comparators),
                ("evaluateAs", &mut coverage.evaluate_as),
            ] {
                let written = match a.control(key).map(|c| &c.value) {
                    Some(ControlValue::Text(t)) => t.clone(),
                    _ => "(default)".to_owned(),
                };
                *counts.entry(written).or_default() += 1;
            }
        }
    }

    let codes: BTreeSet<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
    coverage.fact("cycle", codes.contains(&Code::Cycle));
    coverage.fact("unreachable block", codes.contains(&Code::Unreachable));
    coverage.fact("diamond", has_diamond(&graph, &reachable));
    let join = (0..n).any(|v| {
        let preds: BTreeSet<usize> = (0..n)
            .filter(|&u| reachable[u] && graph.edges[u].iter().any(|e| e.to == v))
            .collect();
        preds.len() > 1
    });
    coverage.fact("join", join);
    coverage.fact(
        "unconnected failure port",
        model.actions.iter().enumerate().any(|(i, a)| {
            let has_failure = a
                .type_id
                .as_deref()
                .and_then(catalog::lookup)
                .is_some_and(|b| b.ports.contains(&Port::Failure));
            reachable[i] && has_failure && graph.edges[i].iter().all(|e| e.port != Port::Failure)
        }),
    );
    coverage.fact(
        "unconnected other port",
        model.actions.iter().enumerate().any(|(i, a)| {
            let block = a.type_id.as_deref().and_then(catalog::lookup);
            reachable[i]
                && block.is_some_and(|b| {
                    b.ports
                        .iter()
                        .any(|&p| p != Port::Failure && graph.edges[i].iter().all(|e| e.port != p))
                })
        }),
    );
    if flow.allow_maybe_unset {
        let strict = Options {
            trigger: Some(flow.trigger),
            ..Options::default()
        };
        let denied = analyze(flow, &strict);
        coverage.fact(
            "maybe_unset read",
            denied
                .diagnostics
                .iter()
                .any(|d| d.code == Code::MaybeUnset),
        );
    }

    // References, by root.
    let mut roots = BTreeSet::new();
    let mut producers = BTreeSet::new();
    for a in &model.actions {
        let mut refs = Vec::new();
        for c in &a.controls {
            c.value.references(c.span, &mut refs);
        }
        for (value, _) in refs {
            let ControlValue::Reference(r) = value else {
                continue;
            };
            match &r.root {
                Root::Action(id) => {
                    roots.insert(if r.path.is_empty() {
                        "whole result"
                    } else {
                        "result field"
                    });
                    producers.insert(id.clone());
                }
                Root::Payload => {
                    roots.insert(match context.payload {
                        Payload::Typed(_) => "typed $.payload",
                        _ => "untyped $.payload",
                    });
                }
                Root::Contact => {
                    roots.insert(match context.contact {
                        Availability::Maybe => "$.contact (maybe)",
                        _ => "$.contact",
                    });
                }
                Root::Agent => {
                    roots.insert("$.agent");
                }
            }
        }
    }
    for root in [
        "whole result",
        "result field",
        "typed $.payload",
        "untyped $.payload",
        "$.contact",
        "$.contact (maybe)",
        "$.agent",
    ] {
        coverage.fact(root, roots.contains(root));
    }
    coverage.fact("block reading its own results", self_reads(&model) > 0);
    let unreachable_producer = model.actions.iter().enumerate().any(|(i, a)| {
        !reachable[i] && producers.contains(&a.id) && graph.index.get(&a.id) == Some(&i)
    });
    coverage.fact("read of a block that never runs", unreachable_producer);

    // Literals, ids, titles, layout.
    let document: Value = serde_json::from_str(&flow.json).expect("generated JSON parses");
    let mut kinds = BTreeSet::new();
    for a in document["actions"].as_array().into_iter().flatten() {
        for v in a["controls"]
            .as_object()
            .into_iter()
            .flat_map(|c| c.values())
        {
            json_kinds(v, &mut kinds);
        }
    }
    for kind in [
        "null",
        "boolean",
        "number",
        "negative number",
        "fractional number",
        "\"\"",
        "text",
        "array",
        "{}",
        "object (several entries)",
    ] {
        coverage.fact(kind, kinds.contains(kind));
    }
    let names: Vec<String> = model
        .actions
        .iter()
        .map(|a| ctiflow_codegen::names::sanitize(&a.id, "b"))
        .collect();
    let distinct: BTreeSet<&String> = names.iter().collect();
    coverage.fact("ids that sanitise alike", distinct.len() < names.len());
    coverage.fact(
        "non-ASCII id",
        model.actions.iter().any(|a| !a.id.is_ascii()),
    );
    coverage.fact("title", model.actions.iter().any(|a| a.title.is_some()));
    coverage.fact("minified", !flow.json.trim_end().contains('\n'));
    coverage.fact("tab-indented", flow.json.contains("\n\t"));
    coverage.fact(
        "template with a variable",
        model.actions.iter().any(|a| {
            a.type_id.as_deref() == Some("SE_TextStringTemplate")
                && matches!(a.control("template").map(|c| &c.value), Some(ControlValue::Text(t)) if t.contains("${"))
        }),
    );
}

/// How many blocks of `model` read their own results.
fn self_reads(model: &Flow) -> usize {
    model
        .actions
        .iter()
        .filter(|a| {
            let mut refs = Vec::new();
            for c in &a.controls {
                c.value.references(c.span, &mut refs);
            }
            refs.iter().any(|(value, _)| {
                matches!(value, ControlValue::Reference(r) if r.root == Root::Action(a.id.clone()))
            })
        })
        .count()
}

#[test]
fn features_can_be_turned_off() {
    let off = generator::Features { self_reads: false };
    for seed in 0..COVERAGE_SEEDS {
        let flow = generator::flow_with(seed, &off);
        let (model, _, analysis) = checked(&flow);
        assert!(
            !analysis.has_errors(),
            "{}",
            describe_errors(&flow, &analysis)
        );
        assert_eq!(self_reads(&model), 0, "seed {seed}:\n{}", flow.json);
    }
}

#[test]
fn the_first_flows_cover_the_catalog_and_the_shapes() {
    let mut coverage = Coverage::default();
    for seed in 0..COVERAGE_SEEDS {
        survey(&generator::flow(seed), &mut coverage);
    }
    let mut report = String::new();
    let sizes = &coverage.blocks;
    let _ = writeln!(
        report,
        "{COVERAGE_SEEDS} flows, {} to {} blocks (mean {:.1})",
        sizes.iter().min().unwrap_or(&0),
        sizes.iter().max().unwrap_or(&0),
        sizes.iter().sum::<usize>() as f64 / sizes.len() as f64
    );
    let _ = writeln!(report, "flows showing each fact:");
    for (fact, n) in &coverage.facts {
        let _ = writeln!(report, "  {fact}: {n}");
    }
    let _ = writeln!(report, "reachable blocks by type: {:?}", coverage.types);
    let _ = writeln!(report, "comparators: {:?}", coverage.comparators);
    let _ = writeln!(report, "evaluateAs: {:?}", coverage.evaluate_as);
    println!("{report}");

    let mut missing = Vec::new();
    for b in catalog::BLOCKS {
        if !coverage.types.contains_key(b.type_id) {
            missing.push(format!("block type {}", b.type_id));
        }
    }
    for &c in catalog::COMPARATORS {
        if !coverage.comparators.contains_key(c) {
            missing.push(format!("comparator {c}"));
        }
    }
    for &e in catalog::EVALUATE_AS {
        if !coverage.evaluate_as.contains_key(e) {
            missing.push(format!("evaluateAs {e}"));
        }
    }
    for s in Source::ALL {
        if !coverage.sources.contains(s.name()) {
            missing.push(format!("source {}", s.name()));
        }
    }
    for (fact, n) in &coverage.facts {
        if *n == 0 {
            missing.push((*fact).to_owned());
        }
    }
    assert!(missing.is_empty(), "not covered: {missing:?}\n{report}");
    assert!(sizes.iter().all(|&n| (3..=25).contains(&n)), "{report}");
}

/// A quick look at the first flows without an interpreter: the compiler generates code for
/// each, and the code is a valid Rust file.
#[test]
fn the_first_flows_generate_valid_rust() {
    for seed in 0..100 {
        let flow = generator::flow(seed);
        let generated = ctiflow_codegen::generate(
            &flow.json,
            &generator::options(&flow),
            &ctiflow_codegen::Target::new(format!("f{seed}")),
        );
        assert!(!generated.has_errors(), "seed {seed}");
        assert!(
            ctiflow_codegen::pretty::file(generated.tokens, "generated.json").is_some(),
            "seed {seed}: the generated tokens are not a Rust file\n{}",
            flow.json
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

#[test]
fn scenario_contexts_fit_their_triggers() {
    for trigger in common::all_triggers() {
        for seed in 0..8 {
            let ctx =
                scenario::context(trigger.source.name(), trigger.event.map(|e| e.name()), seed);
            // One trigger table: the runtime's trigger is the compiler's.
            assert_eq!(ctx.trigger, trigger);
            let payload = &ctx.payload;
            let fits = match Context::of(Some(trigger)).payload {
                Payload::None => matches!(payload, ctiflow::Payload::None),
                Payload::Untyped => matches!(payload, ctiflow::Payload::Json(_)),
                Payload::Typed(_) => match trigger.event.map(|e| e.name()) {
                    Some("onClickToDial") => payload.click_to_dial().is_ok(),
                    Some("onHvsWorkStart") => payload.hvs_work_start().is_ok(),
                    _ => payload.chat_message().is_ok(),
                },
            };
            assert!(fits, "{trigger}: {payload:?}");
            let again = scenario::context(
                trigger.source.label(),
                trigger.event.map(|e| e.name()),
                seed,
            );
            assert_eq!(
                ctx, again,
                "labels name the same trigger; seeds are deterministic"
            );
        }
    }
}

ctiflow::include_flow!(
    "examples/flows/incoming-call.json",
    source = VoiceContact,
    event = onConnecting
);

fn observed(scenario: Scenario, seed: u64) -> Value {
    let sandbox = scenario::sandbox(scenario, seed);
    let ctx = scenario::context("VoiceContact", Some("onConnecting"), seed);
    let limits = scenario::limits(scenario);
    let run = pollster::block_on(incoming_call::run_with(&sandbox, &ctx, &limits)).erase();
    scenario::observe(run, &sandbox)
}

#[test]
fn scenarios_run_a_flow_deterministically() {
    let mut outcomes: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let started = std::time::Instant::now();
    for &scenario in Scenario::ALL {
        for seed in 0..12 {
            let a = observed(scenario, seed);
            let b = observed(scenario, seed);
            assert_eq!(a, b, "{} seed {seed}", scenario.name());
            assert!(a["trace"].as_array().is_some_and(|t| !t.is_empty()));
            assert!(a["records"]["Contact"].is_array(), "{a}");
            for step in a["trace"].as_array().into_iter().flatten() {
                assert!(step.get("micros").is_none(), "no timings: {step}");
            }
            outcomes
                .entry(scenario.name())
                .or_default()
                .insert(a["outcome"]["outcome"].as_str().unwrap_or("?").to_owned());
        }
    }
    // Hangs time out at once, whatever the time limit.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let has = |s: Scenario, o: &str| outcomes.get(s.name()).is_some_and(|set| set.contains(o));
    assert!(has(Scenario::Hanging, "timed_out"), "{outcomes:?}");
    assert!(has(Scenario::StepLimit, "step_limit"), "{outcomes:?}");
    assert!(has(Scenario::OneMatch, "completed"), "{outcomes:?}");
    assert!(has(Scenario::Failing, "failed"), "{outcomes:?}");
}

#[test]
fn scenario_orgs_match_zero_one_and_several_records() {
    let search = |scenario: Scenario, text: &str| {
        let sandbox = scenario::sandbox(scenario, 0);
        let layout: Vec<String> = ["Contact", "Lead", "Account", "Case"]
            .map(String::from)
            .to_vec();
        sandbox.org().search(&layout, text).len()
    };
    for text in [scenario::CALLER, "Acme", "ann@example.com", "Broken"] {
        assert_eq!(search(Scenario::NoMatch, text), 0, "{text}");
        assert_eq!(search(Scenario::OneMatch, text), 1, "{text}");
        assert!(search(Scenario::SeveralMatches, text) > 1, "{text}");
    }
}
