//! The lowered program (`ctiflow_front::ir`), owned and resolved for execution: each block's
//! runtime function, each argument with its conversion, each reference a slot and a path, each
//! port the index of the block it leads to. Built once when a flow is loaded; the interpreter
//! parses nothing at run time.

use std::collections::BTreeSet;
use std::sync::Arc;

use ctiflow_front::catalog::{Argument, Capability, Field, Implementation, Port, Results, Ty};
use ctiflow_front::ir::{self, Expr, Program, Read, ReadRoot};
use ctiflow_front::model::Blank;
use ctiflow_front::parse::{self, Kind};
use ctiflow_front::reference::Segment;
use ctiflow_front::trigger::{Payload, Trigger};
use ctiflow_runtime::convert;
use ctiflow_runtime::extension::{DeclaredField, FieldType};
use ctiflow_runtime::run::BlockInfo;
use serde_json::Value;

/// A flow ready to run.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The flow's `name`.
    pub name: Option<Arc<str>>,
    /// The trigger it was checked against.
    pub trigger: Option<Trigger>,
    /// What `$.payload` is.
    pub payload: Payload,
    /// The reachable blocks, in file order.
    pub nodes: Vec<Node>,
    /// The Start node.
    pub start: usize,
    /// The capabilities its blocks and references use.
    pub capabilities: BTreeSet<Capability>,
}

/// One reachable block.
#[derive(Debug)]
pub(crate) struct Node {
    /// Its id, type and title, for the driver.
    pub info: BlockInfo,
    /// What runs it.
    pub call: Call,
    /// Whether its results are kept (the block type has results).
    pub has_results: bool,
    /// Whether it reads `$.contact`, `$.agent`, `$.payload`.
    pub reads: Reads,
    /// Its arguments, in the order of its type's controls.
    pub args: Vec<Arg>,
    /// Where its ports lead.
    pub leave: Leave,
    /// The capabilities it uses (its block's, and those its references read through).
    pub capabilities: BTreeSet<Capability>,
}

/// What runs a block.
#[derive(Clone, Debug)]
pub(crate) enum Call {
    /// Its function in `ctiflow_runtime::blocks`.
    Runtime(&'static str),
    /// The backend's `Extension`, for a declared block: its type id, and the fields its
    /// answer must have.
    Extension(&'static str, Box<[DeclaredField]>),
}

/// A declared result field, as the runtime checks answers against it.
fn declared_field(field: &Field) -> DeclaredField {
    DeclaredField {
        name: field.name,
        ty: match field.ty {
            Ty::Text => FieldType::Text,
            Ty::Number => FieldType::Number,
            Ty::Bool => FieldType::Bool,
            Ty::Object(_) | Ty::Map => FieldType::Object,
            Ty::List => FieldType::Array,
            Ty::Any => FieldType::Any,
        },
        optional: field.optional,
    }
}

/// Which roots a block reads besides results.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Reads {
    pub contact: bool,
    pub agent: bool,
    pub payload: bool,
}

/// One argument.
#[derive(Debug)]
pub(crate) struct Arg {
    /// The control's name: for error messages, and the key of a declared block's argument.
    pub control: &'static str,
    /// Its field in the block's argument struct.
    pub field: Box<str>,
    /// How the value reaches the block.
    pub argument: Argument,
    /// For an enum control: its word.
    pub word: &'static str,
    /// The value.
    pub value: Val,
}

/// A value, resolved.
#[derive(Debug)]
pub(crate) enum Val {
    /// `null`, `""`, `{}` or absent: what "not given" means depends on the argument.
    NotGiven(Option<Blank>),
    /// A literal, already the JavaScript value it denotes.
    Literal(Value),
    /// A reference.
    Read(Path),
    /// A map: key → value.
    Map(Vec<(Box<str>, Val)>),
}

/// A reference: where it starts and the steps below.
#[derive(Debug)]
pub(crate) struct Path {
    pub root: ReadRoot,
    pub steps: Vec<Step>,
}

/// One step of a path.
#[derive(Debug)]
pub(crate) enum Step {
    Key(Box<str>),
    Index(usize),
}

/// Where a block's ports lead (`None`: not connected).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Leave {
    /// `true` / `false`.
    Branch(Option<usize>, Option<usize>),
    /// `success` / `failure`.
    Call(Option<usize>, Option<usize>),
    /// `done`.
    Done(Option<usize>),
    /// No ports: End.
    End,
}

impl Leave {
    /// The names of its connected ports.
    pub fn ports(self) -> Vec<&'static str> {
        let named = match self {
            Leave::Branch(t, f) => [("true", t), ("false", f)],
            Leave::Call(s, f) => [("success", s), ("failure", f)],
            Leave::Done(next) => [("done", next), ("", None)],
            Leave::End => [("", None), ("", None)],
        };
        named
            .into_iter()
            .filter_map(|(port, to)| to.map(|_| port))
            .collect()
    }
}

impl Plan {
    /// The plan of a lowered program.
    pub fn new(program: &Program<'_>) -> Plan {
        let nodes = program.nodes.iter().map(node).collect();
        Plan {
            name: program.name.map(Arc::from),
            trigger: program.trigger,
            payload: program.payload,
            nodes,
            start: program.start,
            capabilities: program.capabilities.clone(),
        }
    }
}

fn node(node: &ir::Node<'_>) -> Node {
    let action = node.action;
    let block = node.block;
    let info = BlockInfo {
        id: Arc::<str>::from(action.id.as_str()).into(),
        type_id: block.type_id.into(),
        title: action.title.as_deref().map(|t| Arc::<str>::from(t).into()),
    };
    let args = node
        .args
        .iter()
        .map(|arg| Arg {
            control: arg.control.name,
            field: arg.control.field().into(),
            argument: arg.control.argument(),
            word: arg.value.word(arg.control),
            value: val(&arg.value),
        })
        .collect();
    let exit = |port: Port| {
        node.exits
            .iter()
            .find(|(p, _)| *p == port)
            .and_then(|&(_, to)| to)
    };
    let leave = if block.ports.contains(&Port::True) {
        Leave::Branch(exit(Port::True), exit(Port::False))
    } else if block.ports.contains(&Port::Success) {
        Leave::Call(exit(Port::Success), exit(Port::Failure))
    } else if block.ports.contains(&Port::Done) {
        Leave::Done(exit(Port::Done))
    } else {
        Leave::End
    };
    let mut capabilities: BTreeSet<Capability> = block.capability.into_iter().collect();
    if node.reads_contact {
        capabilities.insert(Capability::Contact);
    }
    if node.reads_agent {
        capabilities.insert(Capability::Agent);
    }
    Node {
        info,
        call: match (block.implementation, block.results) {
            (Implementation::Runtime(runtime), _) => Call::Runtime(runtime.function),
            (Implementation::Extension(_), Results::Fields(fields)) => {
                Call::Extension(block.type_id, fields.iter().map(declared_field).collect())
            }
            (Implementation::Extension(_), _) => Call::Extension(block.type_id, Box::new([])),
        },
        has_results: node.has_results(),
        reads: Reads {
            contact: node.reads_contact,
            agent: node.reads_agent,
            payload: node.args.iter().any(|a| reads_payload(&a.value)),
        },
        args,
        leave,
        capabilities,
    }
}

fn reads_payload(expr: &Expr<'_>) -> bool {
    match expr {
        Expr::Read(read) => read.root == ReadRoot::Payload,
        Expr::Map(entries) => entries.iter().any(|(_, v)| reads_payload(v)),
        _ => false,
    }
}

fn val(expr: &Expr<'_>) -> Val {
    match expr {
        Expr::NotGiven(blank) => Val::NotGiven(*blank),
        Expr::Text(text) => Val::Literal(convert::string(text)),
        Expr::Bool(b) => Val::Literal(Value::Bool(*b)),
        Expr::Number(x) => Val::Literal(convert::number(*x)),
        Expr::Json(value) => Val::Literal(json(value)),
        Expr::Read(read) => Val::Read(path(read)),
        Expr::Map(entries) => {
            Val::Map(entries.iter().map(|(k, v)| ((*k).into(), val(v))).collect())
        }
    }
}

/// A reference's steps: its typed fields, then the steps into untyped JSON. Typed fields are
/// keys of the record's JavaScript value, which is what the field's value is.
fn path(read: &Read) -> Path {
    let fields = read
        .fields
        .iter()
        .map(|(name, _)| Step::Key(name.as_str().into()));
    let rest = read.rest.iter().map(|segment| match segment {
        Segment::Key(key) => Step::Key(key.as_str().into()),
        // As generated code writes it: an index beyond `usize` reads nothing either way.
        Segment::Index(i) => Step::Index(usize::try_from(*i).unwrap_or(usize::MAX)),
    });
    Path {
        root: read.root,
        steps: fields.chain(rest).collect(),
    }
}

/// A JSON literal as generated code builds it: numbers as JavaScript reads them, objects
/// through the same constructor.
fn json(value: &parse::Value) -> Value {
    match &value.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) => convert::number(n.value),
        Kind::String(s) => convert::string(s),
        Kind::Array(items) => convert::array(items.iter().map(json)),
        Kind::Object(members) => convert::object(
            members
                .iter()
                .map(|m| (m.key.as_str(), Some(json(&m.value)))),
        ),
    }
}
