//! `ctiflow run`: loads a flow (as `ctiflow-dynamic` does) and runs it on the sandbox a
//! scenario case describes, printing each step and the effects.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use ctiflow_codegen::LineIndex;
use ctiflow_codegen::parse::{self, Kind};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::Trigger;
use ctiflow_runtime::run::{Outcome, Run};
use ctiflow_runtime::sandbox::Effect;
use ctiflow_runtime::scenario::{Case, ScenarioError, Scenarios};
use serde_json::{Value, json};

use crate::options::FlowOptions;
use crate::project::Project;
use crate::{FLOW_ERRORS, OK, USAGE};

/// Arguments of `ctiflow run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    flow: FlowOptions,
    /// A scenario file: the event, contact, org and store the flow runs against. Without one,
    /// the flow runs on an empty sandbox for its trigger (`--source`/`--event`).
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// The case of the scenario file to run (required when it has several).
    #[arg(long, value_name = "NAME", requires = "scenario")]
    case: Option<String>,
    /// How to print the run.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The exported flow file.
    #[arg(value_name = "FLOW")]
    file: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Each step on a line, then the outcome and the effects.
    Human,
    /// The run as one JSON document: outcome, trace, results, effects.
    Json,
}

/// Reads the case to run (the one named, or the file's only one) and the file's trigger.
fn case(args: &Args) -> Result<(Option<Case>, Option<Trigger>), String> {
    let Some(path) = &args.scenario else {
        return Ok((None, None));
    };
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let scenarios = Scenarios::parse(&text).map_err(|e| located(&name.to_string(), &text, &e))?;
    let names = || {
        let names: Vec<&str> = scenarios.cases.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    };
    let case = match &args.case {
        Some(wanted) => scenarios
            .case(wanted)
            .cloned()
            .ok_or_else(|| format!("{name} has no case `{wanted}`; its cases: {}", names()))?,
        None if scenarios.cases.len() == 1 => scenarios.cases[0].clone(),
        None => {
            return Err(format!(
                "{name} has {} cases; choose one with --case: {}",
                scenarios.cases.len(),
                names()
            ));
        }
    };
    Ok((Some(case), scenarios.trigger()))
}

/// A scenario error as `file:line:column: message`: serde's position, or the place of the JSON
/// pointer the check named, found with the front end's spanned parser.
pub fn located(name: &str, text: &str, error: &ScenarioError) -> String {
    let place = error.line_column.or_else(|| {
        let pointer = error.pointer.as_deref()?;
        let document = parse::parse(text).ok()?;
        let span = pointer
            .split('/')
            .skip(1)
            .try_fold(&document, |value, step| match &value.kind {
                Kind::Object(members) => members.iter().find(|m| m.key == step).map(|m| &m.value),
                Kind::Array(items) => items.get(step.parse::<usize>().ok()?),
                _ => None,
            })?
            .span;
        let at = LineIndex::new(text).line_col(span.start);
        Some((at.line, at.column))
    });
    match place {
        Some((line, column)) => format!("{name}:{line}:{column}: {}", error.message),
        None => format!("{name}: {error}"),
    }
}

pub fn run(args: &Args) -> u8 {
    match prepare_and_run(args) {
        Ok(status) => status,
        Err(message) => {
            errln!("error: {message}");
            USAGE
        }
    }
}

fn prepare_and_run(args: &Args) -> Result<u8, String> {
    let mut options = args.flow.to_options()?;
    // A flow of the project is checked as the project says, unless options are given.
    let project_file = std::env::current_dir()
        .ok()
        .and_then(|dir| Project::find(&dir));
    if let (false, Some(file)) = (args.flow.is_given(), project_file) {
        let project = Project::read(&file)?;
        if let Some(flow) = project.flow(&args.file) {
            options = flow.options.clone();
        }
    }
    let (case, file_trigger) = case(args)?;
    let case = case.unwrap_or_else(|| Case {
        name: "default".to_owned(),
        ..Case::default()
    });
    // The flow is checked against its trigger: the one given, else the scenario file's, else
    // the case's.
    if options.trigger.is_none() {
        options.trigger = match file_trigger {
            Some(trigger) => Some(trigger),
            None => case.trigger.as_ref().map(|t| t.trigger()).transpose()?,
        };
    }
    let trigger = case.trigger_or(options.trigger)?;
    let event = case.event(trigger)?;
    let name = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let sandbox = case.sandbox();
    let flow = match DynamicFlow::load(&text, &LoadOptions::from(options).offered_by(&sandbox)) {
        Ok(flow) => flow,
        Err(error) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            err!("{}", error.render(&name, color));
            return Ok(USAGE);
        }
    };
    let run = pollster::block_on(flow.run(&sandbox, &event, &case.limits()));
    let effects = sandbox.effects();
    match args.format {
        Format::Human => out!("{}", human(&run, &effects)),
        Format::Json => {
            let document = json!({
                "flow": name,
                "case": case.name,
                "trigger": trigger.to_string(),
                "outcome": run.outcome,
                "trace": run.trace,
                "results": run.results,
                "effects": effects,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
    }
    Ok(match run.outcome {
        Outcome::Completed { .. } => OK,
        _ => FLOW_ERRORS,
    })
}

/// The run as people read it: a step per line (id, type, title, port, result or error), the
/// outcome, then the effects.
fn human(run: &Run<Value>, effects: &[Effect]) -> String {
    let width = run
        .trace
        .iter()
        .map(|s| s.block.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for step in &run.trace {
        let title = step
            .title
            .as_ref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let port = step
            .port
            .map_or("(ends here)".to_owned(), |p| format!("→ {p}"));
        let detail = match (&step.result, &step.error) {
            (_, Some(error)) => format!("  ✗ {}", error.message),
            (Some(result), None) => format!("  {result}"),
            (None, None) => String::new(),
        };
        out.push_str(&format!(
            "{:<width$}  {}{title} {port}{detail}\n",
            step.block, step.type_id
        ));
    }
    out.push_str(&format!("{}\n", run.outcome));
    for effect in effects {
        out.push_str(&format!(
            "effect: {}\n",
            serde_json::to_value(effect).unwrap_or_default()
        ));
    }
    out
}
