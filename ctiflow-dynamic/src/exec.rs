//! Running a [`Plan`]: the runtime's driver around each block, its function found by name,
//! its arguments converted by the runtime's `convert`, its results kept as JavaScript values.

use std::pin::pin;

use ctiflow_front::catalog::Argument as Conversion;
use ctiflow_front::ir::ReadRoot;
use ctiflow_front::model::Blank;
use ctiflow_front::trigger::Payload;
use ctiflow_runtime::blocks::{Argument, Arguments};
use ctiflow_runtime::capability::{Agent, Contact, Dynamic, Extension};
use ctiflow_runtime::run::{Driver, End, Exit, Ports, Stepped};
use ctiflow_runtime::types::Fields;
use ctiflow_runtime::value::{self, Js, Segment};
use ctiflow_runtime::{BlockError, BlockResult, EventContext, Limits, Name, Run, dispatch};
use ctiflow_runtime::{convert, extension};
use serde_json::{Map, Value};

use crate::plan::{Arg, Call, Leave, Node, Path, Plan, Step, Val};

/// Runs `plan` on `rt` for `ctx` within `limits`.
pub(crate) async fn run(
    plan: &Plan,
    rt: Dynamic<'_>,
    ctx: &EventContext,
    limits: &Limits,
) -> Run<Value> {
    let mut driver = Driver::new(limits);
    let mut slots: Vec<Option<Value>> = vec![None; plan.nodes.len()];
    let mut at = plan.start;
    let end = loop {
        let Some(node) = plan.nodes.get(at) else {
            // The plan's ports lead to its own nodes; this is never reached.
            let error = BlockError::invalid("the loaded flow leads to a block it does not have");
            break End::Fail(Name::from_static(""), error);
        };
        let stepped = {
            let body = pin!(step(plan, node, rt, ctx, &slots));
            driver.step(&node.info, body).await
        };
        let exit = match node.leave {
            Leave::Branch(on_true, on_false) => {
                let stepped = match stepped {
                    Stepped::Ok(Some(Value::Bool(b))) => Stepped::Ok(b),
                    Stepped::Ok(_) => {
                        Stepped::Err(BlockError::invalid("a decision gave no boolean"))
                    }
                    Stepped::Err(e) => Stepped::Err(e),
                    Stepped::Stop => Stepped::Stop,
                };
                let mut decided = None;
                let exit = driver.branch(&node.info, stepped, &mut decided, on_true, on_false);
                // A slot is written when its block succeeds, and keeps its value otherwise.
                if let Some(decided) = decided {
                    slots[at] = Some(Value::Bool(decided));
                }
                exit
            }
            leave => {
                let ports = match leave {
                    Leave::Call(success, failure) => Ports::Call(success, failure),
                    Leave::Done(next) => Ports::Done(next),
                    _ => Ports::End,
                };
                let mut result = None;
                let exit = driver.go(&node.info, stepped, &mut result, ports);
                if let Some(result) = result {
                    slots[at] = result;
                }
                exit
            }
        };
        match exit {
            Exit::Next(next) => at = next,
            Exit::End(end) => break end,
        }
    };
    // As a compiled flow's `Results`: the blocks with results that produced them, in file order.
    let results = convert::object(
        plan.nodes
            .iter()
            .zip(slots)
            .filter(|(node, _)| node.has_results)
            .map(|(node, slot)| (node.info.id.as_str(), slot)),
    );
    driver.end(end, results)
}

/// What a block reads besides results, fetched before its arguments as generated code does.
struct Roots {
    contact: Option<Value>,
    agent: Option<Value>,
    payload: Option<Value>,
}

/// One block: its roots, its arguments in control order (the first failure fails the block),
/// then its function.
async fn step(
    plan: &Plan,
    node: &Node,
    rt: Dynamic<'_>,
    ctx: &EventContext,
    slots: &[Option<Value>],
) -> BlockResult<Option<Value>> {
    let contact = match node.reads.contact {
        true => rt.properties().await?.js(),
        false => None,
    };
    let agent = match node.reads.agent {
        true => rt.info().await?.js(),
        false => None,
    };
    let payload = match (node.reads.payload, plan.payload) {
        (true, Payload::Typed(record)) => ctx.payload.record(record)?,
        (true, Payload::Untyped) => ctx.payload.json(),
        _ => None,
    };
    let roots = Roots {
        contact,
        agent,
        payload,
    };
    let read = Reader {
        slots,
        roots: &roots,
    };
    match &node.call {
        Call::Runtime(function) => {
            let mut args = Arguments::with_capacity(node.args.len());
            for arg in &node.args {
                args.push(&arg.field, read.argument(arg)?);
            }
            dispatch::call(function, &rt, args).await
        }
        Call::Extension(type_id, fields) => {
            let mut args = Map::with_capacity(node.args.len());
            for arg in &node.args {
                if let Some(value) = read.argument(arg)?.into_json() {
                    args.insert(arg.control.to_owned(), value);
                }
            }
            let answer = rt.call(type_id, Value::Object(args)).await?;
            extension::checked_answer(type_id, fields, answer)
        }
    }
}

/// Evaluates values where a block runs.
struct Reader<'a> {
    slots: &'a [Option<Value>],
    roots: &'a Roots,
}

impl Reader<'_> {
    /// An argument, converted as generated code converts it (`emit::control_value`).
    fn argument(&self, arg: &Arg) -> BlockResult<Argument> {
        let control = arg.control;
        Ok(match (arg.argument, &arg.value) {
            (Conversion::Word, _) => Argument::Word(arg.word),
            (Conversion::Text, Val::NotGiven(_)) => Argument::Text(String::new()),
            (Conversion::OptionalText, Val::NotGiven(_)) => Argument::OptionalText(None),
            (Conversion::Bool, Val::NotGiven(_)) => Argument::Bool(false),
            (Conversion::Fields, Val::NotGiven(_)) => Argument::Fields(Fields::new()),
            (Conversion::Text, v) => Argument::Text(convert::required_text(control, &self.any(v))?),
            (Conversion::OptionalText, v) => {
                Argument::OptionalText(convert::text(control, &self.any(v))?)
            }
            (Conversion::Bool, v) => Argument::Bool(convert::boolean(&self.any(v))),
            (Conversion::Fields, Val::Map(entries)) => Argument::Fields(convert::fields(
                control,
                entries.iter().map(|(k, v)| (&**k, self.any(v))),
            )?),
            (Conversion::Fields, v) => Argument::Fields(convert::fields_of(control, &self.any(v))?),
            (Conversion::Any, v) => Argument::Any(self.any(v)),
        })
    }

    /// A value as JavaScript sees it (`None` = `undefined`).
    fn any(&self, value: &Val) -> Option<Value> {
        match value {
            Val::NotGiven(None) => None,
            Val::NotGiven(Some(blank)) => Some(match blank {
                Blank::Null => Value::Null,
                Blank::EmptyText => convert::string(""),
                Blank::EmptyObject => Value::Object(Default::default()),
            }),
            Val::Literal(v) => Some(v.clone()),
            Val::Read(path) => self.read(path),
            Val::Map(entries) => Some(convert::object(
                entries.iter().map(|(k, v)| (&**k, self.any(v))),
            )),
        }
    }

    fn read(&self, path: &Path) -> Option<Value> {
        let root = match path.root {
            ReadRoot::Slot(n) => self.slots.get(n)?.clone(),
            ReadRoot::Undefined => None,
            ReadRoot::Contact => self.roots.contact.clone(),
            ReadRoot::Agent => self.roots.agent.clone(),
            ReadRoot::Payload => self.roots.payload.clone(),
        };
        let steps: Vec<Segment<'_>> = path
            .steps
            .iter()
            .map(|step| match step {
                Step::Key(key) => Segment::Key(key),
                Step::Index(i) => Segment::Index(*i),
            })
            .collect();
        value::at(root, &steps)
    }
}

/// A run refused before its first block: the backend lacks `missing`.
pub(crate) fn refuse(plan: &Plan, missing: &[&str], limits: &Limits) -> Run<Value> {
    let start = plan
        .nodes
        .get(plan.start)
        .map_or(Name::from_static(""), |n| n.info.id.clone());
    let error = BlockError::backend(format!(
        "the backend does not offer {}, which this flow uses",
        missing.join(", ")
    ));
    Driver::new(limits).end(End::Fail(start, error), Value::Object(Default::default()))
}
