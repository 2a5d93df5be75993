//! DIFFERENTIAL (issue "Dynamic flows"): random valid flows (`differential/generator.rs`: every
//! block type, chains, diamonds, joins, cycles, reads of dominating producers and, with
//! `maybe_unset` allowed, of producers that may not have run, `$.payload`/`$.contact`/`$.agent`
//! reads that fit the trigger) are compiled through `include_flow!` in a crate outside the
//! workspace and loaded by the interpreter (`ctiflow-dynamic`), and both run on the same sandbox
//! scenarios (`differential/scenario.rs`: orgs with 0, 1 and several matches, no contact,
//! injected failures and hangs, a low step limit). Outcome, trace (ids, types, titles, ports,
//! results and errors as JSON), results, effects, org records and agent properties must be
//! equal, run by run.
//!
//! 300 flows by default, each in every scenario; `CTIFLOW_DIFFERENTIAL=10000` runs 10,000 (in
//! crates of 500 flows). The report, with the counts, is written to
//! `<target>/matrix-crate/differential-report.txt`.
//!
//! Every flow that once made the two disagree is kept in `differential/regressions/` as it was
//! generated (`CTIFLOW_DIFFERENTIAL_RECORD=140,128 cargo test --test differential -- --ignored
//! record` writes them) and runs in every test, whatever the generator becomes.

mod common;
#[path = "differential/generator.rs"]
mod generator;
#[path = "differential/scenario.rs"]
mod scenario;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use serde_json::Value;

use common::{Crate, Include};
use generator::GeneratedFlow;
use scenario::Scenario;

/// Flows per nested crate.
const CHUNK: usize = 500;

fn flow_count() -> usize {
    std::env::var("CTIFLOW_DIFFERENTIAL")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

fn module(seed: u64) -> String {
    format!("f{seed}")
}

fn trigger_words(flow: &GeneratedFlow) -> (String, String) {
    let source = format!("{:?}", flow.trigger.source.name());
    let event = match flow.trigger.event {
        Some(e) => format!("Some({:?})", e.name()),
        None => "None".to_owned(),
    };
    (source, event)
}

/// The generator's declarations, in the nested crate.
const BLOCKS_FILE: &str = "blocks.toml";

/// The sandbox as the backend of a compiled flow's declared blocks: each method of its
/// `Extensions` trait forwards to the sandbox's JSON `Extension`, as the interpreter calls it.
/// Empty for a flow whose compiled blocks include no declared one (it has no such trait).
fn extensions_impl(flow: &GeneratedFlow) -> String {
    use ctiflow_codegen::extensions::{args_struct, method, result_type};
    let options = generator::options(flow);
    let analysis = ctiflow_codegen::analyze(&flow.json, &options);
    let program = match (&analysis.flow, &analysis.graph) {
        (Some(f), Some(g)) => ctiflow_codegen::ir::lower(f, g, options.trigger),
        _ => None,
    };
    let mut blocks: Vec<&ctiflow_codegen::catalog::Block> = Vec::new();
    for node in program.iter().flat_map(|p| &p.nodes) {
        if node.block.extension().is_some()
            && !blocks.iter().any(|b| b.type_id == node.block.type_id)
        {
            blocks.push(node.block);
        }
    }
    if blocks.is_empty() {
        return String::new();
    }
    let m = module(flow.seed);
    let mut text = format!("impl {m}::Extensions for ctiflow::sandbox::Sandbox {{\n");
    for block in blocks {
        let result = result_type(block).map_or("()".to_owned(), |r| format!("{m}::{r}"));
        let _ = writeln!(
            text,
            "    async fn {}(&self, args: {m}::{}) -> ctiflow::BlockResult<{result}> {{ \
             ctiflow::extension::call_json(self, {:?}, &args).await }}",
            method(block),
            args_struct(block),
            block.type_id
        );
    }
    text.push_str("}\n");
    text
}

/// The nested crate's `main.rs`: every flow in every scenario, one JSON line per run.
fn main_rs(flows: &[GeneratedFlow], left_out: &std::collections::BTreeSet<String>) -> String {
    let scenario_rs =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/scenario.rs");
    let header = format!(
        "#![allow(warnings)]\n#[path = {:?}]\nmod scenario;\n",
        scenario_rs.to_string_lossy()
    );
    let includes: Vec<Include> = flows
        .iter()
        .map(|f| Include {
            module: module(f.seed),
            file: format!("flows/{}.json", module(f.seed)),
            trigger: f.trigger,
            allow: generator::allowed_lints(f),
            enabled: !left_out.contains(&module(f.seed)),
            blocks: Some(BLOCKS_FILE.to_owned()),
        })
        .collect();
    let (mut text, _) = common::include_lines(&header, &includes);
    for f in flows.iter().filter(|f| !left_out.contains(&module(f.seed))) {
        text.push_str(&extensions_impl(f));
    }
    text.push_str(
        "\nmacro_rules! case {\n    ($m:ident, $seed:expr, $source:expr, $event:expr) => {\n        \
         for &s in scenario::Scenario::ALL {\n            \
         let sandbox = scenario::sandbox(s, $seed);\n            \
         let ctx = scenario::context($source, $event, $seed);\n            \
         let limits = scenario::limits(s);\n            \
         let run = pollster::block_on($m::run_with(&sandbox, &ctx, &limits)).erase();\n            \
         let line = serde_json::json!({\"flow\": stringify!($m), \"scenario\": s.name(), \
         \"observed\": scenario::observe(run, &sandbox)});\n            \
         println!(\"{line}\");\n        }\n    };\n}\n\nfn main() {\n",
    );
    for f in flows.iter().filter(|f| !left_out.contains(&module(f.seed))) {
        let (source, event) = trigger_words(f);
        let _ = writeln!(
            text,
            "    case!({}, {}, {source}, {event});",
            module(f.seed),
            f.seed
        );
    }
    text.push_str("}\n");
    text
}

/// Compiles `flows` in crate `name` and runs them: flow → scenario → what the run did.
fn compiled(name: &str, flows: &[GeneratedFlow]) -> BTreeMap<(String, String), Value> {
    let krate = Crate::new(name, &["serde_json = \"1\"", "pollster = \"0.4\""]);
    krate.write(BLOCKS_FILE, generator::DECLARATIONS);
    let sources: Vec<(String, String)> = flows
        .iter()
        .map(|f| (module(f.seed), f.json.clone()))
        .collect();
    let built = common::compile_until_clean(&krate, "build", "src/main.rs", &sources, |out| {
        let text = main_rs(flows, out);
        let lines = text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let start = line.find("name = ")? + "name = ".len();
                let end = start + line[start..].find(',')?;
                Some((i + 1, line[start..end].to_owned()))
            })
            .collect();
        (text, lines)
    });
    let mut problems = String::new();
    for (module, messages) in &built.failing {
        let _ = writeln!(problems, "{module} does not compile:");
        for m in messages {
            let _ = writeln!(problems, "{}", m.rendered);
        }
    }
    for m in &built.unattributed {
        let _ = writeln!(problems, "{}", m.rendered);
    }
    let last = built.builds.last().expect("one build at least");
    assert!(
        built.failing.is_empty() && last.success,
        "generated flows that check must compile:\n{problems}{}",
        last.stderr
    );
    let out = std::process::Command::new(krate.binary())
        .output()
        .expect("run the compiled flows");
    assert!(
        out.status.success(),
        "the compiled flows' runs must not fail: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("one JSON line per run");
            let key = (
                v["flow"].as_str().unwrap_or_default().to_owned(),
                v["scenario"].as_str().unwrap_or_default().to_owned(),
            );
            (key, v["observed"].clone())
        })
        .collect()
}

/// The same flow loaded by the interpreter, in `scenario`.
fn interpreted(flow: &DynamicFlow, generated: &GeneratedFlow, s: Scenario) -> Value {
    let sandbox = scenario::sandbox(s, generated.seed);
    let source = generated.trigger.source.name();
    let event = generated.trigger.event.map(|e| e.name());
    let ctx = scenario::context(source, event, generated.seed);
    let limits = scenario::limits(s);
    let run = pollster::block_on(flow.run(&sandbox, &ctx, &limits));
    scenario::observe(run, &sandbox)
}

/// The first place where `a` and `b` differ, as a JSON pointer with both values.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (p, q) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                first_difference(p, q, &format!("{at}/{k}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: compiled {a}, interpreted {b}")),
    }
}

fn regressions_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/regressions")
}

/// The kept flows: `seed-N.json` holds seed N's flow text, trigger and `maybe_unset`.
fn regressions() -> Vec<GeneratedFlow> {
    let mut files: Vec<_> = std::fs::read_dir(regressions_dir())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|file| {
            let kept: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            GeneratedFlow {
                json: kept["flow"].as_str().expect("flow").to_owned(),
                trigger: ctiflow_codegen::Trigger::parse(
                    kept["source"].as_str().expect("source"),
                    kept["event"].as_str(),
                )
                .expect("a trigger"),
                allow_maybe_unset: kept["allow_maybe_unset"] == true,
                seed: kept["seed"].as_u64().expect("seed"),
            }
        })
        .collect()
}

/// Keeps the flows of the seeds in `CTIFLOW_DIFFERENTIAL_RECORD` as regression cases.
#[test]
#[ignore = "a tool: writes regression cases"]
fn record() {
    let seeds = std::env::var("CTIFLOW_DIFFERENTIAL_RECORD").unwrap_or_default();
    std::fs::create_dir_all(regressions_dir()).unwrap();
    for seed in seeds
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
    {
        let flow = generator::flow(seed);
        let kept = serde_json::json!({
            "seed": seed,
            "source": flow.trigger.source.name(),
            "event": flow.trigger.event.map(|e| e.name()),
            "allow_maybe_unset": flow.allow_maybe_unset,
            "flow": flow.json,
        });
        let text = serde_json::to_string_pretty(&kept).unwrap() + "\n";
        std::fs::write(regressions_dir().join(format!("seed-{seed}.json")), text).unwrap();
    }
}

#[test]
fn compiled_and_interpreted_runs_agree() {
    let started = Instant::now();
    let n = flow_count();
    let generated: Vec<GeneratedFlow> = (0..n as u64).map(generator::flow).collect();
    let kept = regressions();
    let mut chunks: Vec<(String, &[GeneratedFlow])> = generated
        .chunks(CHUNK)
        .enumerate()
        .map(|(i, chunk)| (format!("differential-{i}"), chunk))
        .collect();
    chunks.push(("differential-regressions".to_owned(), &kept));
    let mut report = String::new();
    let mut divergences = Vec::new();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut runs = 0;
    for (name, chunk) in chunks {
        eprintln!(
            "{name}: {} flows; {runs} runs so far, {} divergences, {:.0?}",
            chunk.len(),
            divergences.len(),
            started.elapsed()
        );
        let compiled = compiled(&name, chunk);
        for generated in chunk {
            let options = LoadOptions::from(generator::options(generated));
            let flow = DynamicFlow::load(&generated.json, &options)
                .unwrap_or_else(|e| panic!("seed {}: the flow does not load: {e}", generated.seed));
            for &s in Scenario::ALL {
                let key = (module(generated.seed), s.name().to_owned());
                let expected = compiled
                    .get(&key)
                    .unwrap_or_else(|| panic!("no compiled run of {key:?}"));
                let actual = interpreted(&flow, generated, s);
                runs += 1;
                let outcome = expected["outcome"]["outcome"].as_str().unwrap_or("?");
                *outcomes.entry(outcome.to_owned()).or_default() += 1;
                if let Some(difference) = first_difference(expected, &actual, "") {
                    divergences.push(format!(
                        "seed {} ({}), scenario {}: {difference}",
                        generated.seed,
                        generated.trigger,
                        s.name()
                    ));
                }
            }
        }
    }
    let _ = writeln!(
        report,
        "{n} flows and {} kept ones x {} scenarios = {runs} runs in {:.0?}; outcomes: \
         {outcomes:?}; {} divergences",
        kept.len(),
        Scenario::ALL.len(),
        started.elapsed(),
        divergences.len()
    );
    for d in divergences.iter().take(50) {
        let _ = writeln!(report, "  {d}");
    }
    let _ = std::fs::create_dir_all(common::nested_dir());
    let _ = std::fs::write(
        common::nested_dir().join("differential-report.txt"),
        &report,
    );
    eprintln!("{report}");
    assert!(divergences.is_empty(), "{report}");
    assert_eq!(runs, (n + kept.len()) * Scenario::ALL.len());
}
