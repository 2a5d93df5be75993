//! `ctiflow test`: runs every case of scenario files against the flows they name, checks what
//! each case expects, prints results the way `cargo test` does, and reports the edges of each
//! flow the cases took and never took.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ctiflow_codegen::Options;
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::scenario::{Mismatch, Scenarios};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::project::Project;
use crate::{FLOW_ERRORS, OK, USAGE};

/// Arguments of `ctiflow test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Scenario files; each names its flow (`"flow"`, relative to the file) and trigger.
    /// Without any, the scenarios of the project's flows (`ctiflow.toml`), run against their
    /// flow with its trigger and lint levels.
    #[arg(value_name = "SCENARIO")]
    files: Vec<PathBuf>,
}

/// What the cases of one flow did.
#[derive(Default)]
struct Flow {
    /// Every edge, (block, port), in file order.
    edges: Vec<(String, &'static str)>,
    /// The edges some case took.
    taken: BTreeSet<(String, &'static str)>,
}

/// A flow file and the options it is checked with, as a project gives them.
type ProjectFlow = (PathBuf, Options);

/// The scenario files to run, each with its flow and options when the project gives them.
fn targets(args: &Args) -> Result<Vec<(PathBuf, Option<ProjectFlow>)>, String> {
    if !args.files.is_empty() {
        return Ok(args.files.iter().map(|f| (f.clone(), None)).collect());
    }
    let project = Project::current()?;
    Ok(project
        .flows
        .into_iter()
        .flat_map(|flow| {
            let (file, options) = (flow.file, flow.options);
            flow.scenarios
                .into_iter()
                .map(move |s| (s, Some((file.clone(), options.clone()))))
        })
        .collect())
}

pub fn run(args: &Args) -> u8 {
    let targets = match targets(args) {
        Ok(targets) => targets,
        Err(e) => {
            errln!("error: {e}");
            return USAGE;
        }
    };
    let mut report = Report::new("ctiflow");
    let (mut passed, mut failed) = (0, 0);
    let mut flows: BTreeMap<String, Flow> = BTreeMap::new();
    for (file, flow) in &targets {
        let name = file.display().to_string();
        let mut suite = TestSuite::new(name.as_str());
        let loaded = load(file, flow.as_ref());
        let (scenarios, flow, flow_name) = match loaded {
            Ok(loaded) => loaded,
            Err(message) => {
                errln!("error: {message}");
                return USAGE;
            }
        };
        let coverage = flows.entry(flow_name.clone()).or_default();
        coverage.edges = flow
            .edges()
            .into_iter()
            .map(|(b, p)| (b.to_owned(), p))
            .collect();
        for case in &scenarios.cases {
            let result = run_case(&flow, &scenarios, case, coverage);
            let label = format!("{name} :: {}", case.name);
            let mut test = match &result {
                Ok(()) => {
                    outln!("test {label} ... ok");
                    passed += 1;
                    TestCase::new(case.name.as_str(), TestCaseStatus::success())
                }
                Err(mismatches) => {
                    outln!("test {label} ... FAILED");
                    for m in mismatches {
                        outln!("    {m}");
                    }
                    failed += 1;
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(
                        mismatches
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    );
                    status.set_description(
                        mismatches
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                    TestCase::new(case.name.as_str(), status)
                }
            };
            test.set_classname(flow_name.as_str());
            suite.add_test_case(test);
        }
        report.add_test_suite(suite);
    }
    outln!();
    for (name, flow) in &flows {
        let never: Vec<String> = flow
            .edges
            .iter()
            .filter(|edge| !flow.taken.contains(*edge))
            .map(|(block, port)| format!("{block}→{port}"))
            .collect();
        let covered = flow.edges.len() - never.len();
        if never.is_empty() {
            outln!("{name}: {covered}/{} edges", flow.edges.len());
        } else {
            outln!(
                "{name}: {covered}/{} edges; never: {}",
                flow.edges.len(),
                never.join(", ")
            );
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    outln!("\ntest result: {verdict}. {passed} passed; {failed} failed");
    if let Some(path) = &args.junit {
        let written = report
            .to_string()
            .map_err(|e| e.to_string())
            .and_then(|xml| std::fs::write(path, xml).map_err(|e| e.to_string()));
        if let Err(e) = written {
            errln!("error: cannot write {}: {e}", path.display());
            return USAGE;
        }
    }
    if failed == 0 { OK } else { FLOW_ERRORS }
}

/// A scenario file, its flow loaded (the project's, else the one the file names), and the
/// flow's name as the report shows it.
fn load(
    file: &Path,
    project: Option<&ProjectFlow>,
) -> Result<(Scenarios, DynamicFlow, String), String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let scenarios = Scenarios::parse(&text).map_err(|e| crate::run::located(&name, &text, &e))?;
    let (flow_path, options) = match (project, &scenarios.flow) {
        (Some((path, options)), _) => (path.clone(), options.clone()),
        (None, Some(flow)) => {
            let options = Options {
                trigger: scenarios.trigger(),
                ..Options::default()
            };
            let path = lexical(&file.parent().unwrap_or(Path::new(".")).join(flow));
            (path, options)
        }
        (None, None) => {
            return Err(format!(
                "{name} names no flow: give it a \"flow\" (relative to the file), or list it \
                 under its flow's `scenarios` in ctiflow.toml"
            ));
        }
    };
    let flow_name = flow_path.display().to_string();
    let flow_text = std::fs::read_to_string(&flow_path)
        .map_err(|e| format!("{name}: cannot read its flow {flow_name}: {e}"))?;
    let flow = DynamicFlow::load(&flow_text, &LoadOptions::from(options)).map_err(|e| {
        format!(
            "{flow_name} does not load:\n{}",
            e.render(&flow_name, false)
        )
    })?;
    Ok((scenarios, flow, flow_name))
}

/// Runs one case; its mismatches, or the reason it could not run.
fn run_case(
    flow: &DynamicFlow,
    scenarios: &Scenarios,
    case: &ctiflow_runtime::scenario::Case,
    coverage: &mut Flow,
) -> Result<(), Vec<Mismatch>> {
    let cannot = |message: String| {
        vec![Mismatch {
            expectation: "case".to_owned(),
            message,
        }]
    };
    let trigger = case
        .trigger_or(scenarios.trigger().or(flow.trigger()))
        .map_err(cannot)?;
    let event = case.event(trigger).map_err(cannot)?;
    let sandbox = case.sandbox();
    let run = pollster::block_on(flow.run(&sandbox, &event, &case.limits()));
    for step in &run.trace {
        if let Some(port) = step.port {
            coverage.taken.insert((step.block.to_string(), port));
        }
    }
    let mismatches = case.expect.check(&run, &sandbox.effects());
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(mismatches)
    }
}

/// `path` with `a/..` pairs removed, as people write it (`examples/flows/x.json`, not
/// `examples/scenarios/../flows/x.json`); links are not followed.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
