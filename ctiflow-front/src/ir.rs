//! Stage 5: a checked flow → the program that the code generator emits and the interpreter
//! runs: the reachable blocks, each a state
//! of the run loop with its ports resolved to states, each argument a typed read of a result
//! slot (set where the checker proved it available), the event, the contact or the agent.

use std::collections::BTreeSet;

use crate::catalog::{self, Block, Capability, Control, Port, Results, Ty};
use crate::check::Graph;
use crate::model::{Action, Blank, ControlValue, Flow};
use crate::parse;
use crate::reference::{Reference, Root, Segment};
use crate::trigger::{Context, Payload, Trigger};

/// A flow ready to emit.
#[derive(Debug)]
pub struct Program<'f> {
    /// The flow's `name`.
    pub name: Option<&'f str>,
    /// The trigger it was checked against.
    pub trigger: Option<Trigger>,
    /// What `$.payload` is.
    pub payload: Payload,
    /// The reachable blocks, in file order.
    pub nodes: Vec<Node<'f>>,
    /// The Start node.
    pub start: usize,
    /// The capabilities its blocks and references use, ordered.
    pub capabilities: BTreeSet<Capability>,
}

/// One reachable block.
#[derive(Debug)]
pub struct Node<'f> {
    /// The block.
    pub action: &'f Action,
    /// Its type.
    pub block: &'static Block,
    /// Its arguments, one per control of its type.
    pub args: Vec<Arg<'f>>,
    /// Whether it reads `$.contact`.
    pub reads_contact: bool,
    /// Whether it reads `$.agent`.
    pub reads_agent: bool,
    /// Every port of its type, with the node it leads to (`None`: unconnected).
    pub exits: Vec<(Port, Option<usize>)>,
}

impl Node<'_> {
    /// Whether the block has results to record.
    pub fn has_results(&self) -> bool {
        self.block.results != Results::None
    }
}

/// One argument: a control and its value.
#[derive(Debug)]
pub struct Arg<'f> {
    /// The control.
    pub control: &'static Control,
    /// Its value.
    pub value: Expr<'f>,
}

/// A value in a flow.
#[derive(Debug)]
pub enum Expr<'f> {
    /// `null`, `""`, `{}` or absent.
    NotGiven(Option<Blank>),
    /// A string literal.
    Text(&'f str),
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(f64),
    /// An array literal.
    Json(&'f parse::Value),
    /// A reference.
    Read(Read),
    /// A map: key → value.
    Map(Vec<(&'f str, Expr<'f>)>),
}

impl Expr<'_> {
    /// The word an enum control's value names: its literal, else the control's default. The
    /// checker accepts only the kind's words, so the result is always one of them.
    pub fn word(&self, control: &'static Control) -> &'static str {
        let words = match control.kind {
            catalog::ControlKind::Enum(words) => words,
            _ => &[],
        };
        let given = match self {
            Expr::Text(text) => words.iter().copied().find(|w| w == text),
            _ => None,
        };
        given.or(control.default).unwrap_or("")
    }
}

/// A reference, lowered: a root, typed field steps, then steps into untyped JSON.
#[derive(Debug)]
pub struct Read {
    /// Where it starts.
    pub root: ReadRoot,
    /// Fields of typed records: (name in the flow, whether it may be absent).
    pub fields: Vec<(String, bool)>,
    /// Steps below the typed part, resolved at run time.
    pub rest: Vec<Segment>,
}

/// Where a read starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRoot {
    /// A producer's result slot: set where the checker proved it available, and possibly
    /// unset (`undefined`) where `maybe_unset` was allowed.
    Slot(usize),
    /// A producer that never runs: always `undefined`.
    Undefined,
    /// `$.contact`.
    Contact,
    /// `$.agent`.
    Agent,
    /// `$.payload`.
    Payload,
}

/// Lowers a flow the checker passed without errors. `None` when it cannot run (no single
/// Start): the checker reports that as an error, so callers never lower such flows.
pub fn lower<'f>(flow: &'f Flow, graph: &Graph, trigger: Option<Trigger>) -> Option<Program<'f>> {
    let start_action = graph.start()?;
    let reachable: Vec<usize> = (0..flow.actions.len())
        .filter(|&i| graph.is_reachable(i))
        .filter(|&i| graph.index.get(&flow.actions[i].id) == Some(&i))
        .collect();
    let mut node_of = vec![None; flow.actions.len()];
    for (n, &i) in reachable.iter().enumerate() {
        node_of[i] = Some(n);
    }
    let mut capabilities = BTreeSet::new();
    let mut nodes = Vec::with_capacity(reachable.len());
    for &i in &reachable {
        let action = &flow.actions[i];
        let block = graph.blocks[i]?;
        let mut cx = Lowering {
            graph,
            node_of: &node_of,
            reads_contact: false,
            reads_agent: false,
            payload: Context::of(trigger).payload,
        };
        let args = block
            .controls
            .iter()
            .map(|control| Arg {
                control,
                value: cx.control(action, control),
            })
            .collect();
        let exits = block
            .ports
            .iter()
            .map(|&port| {
                let to = graph.edges[i]
                    .iter()
                    .find(|e| e.port == port)
                    .and_then(|e| node_of[e.to]);
                (port, to)
            })
            .collect();
        capabilities.extend(block.capability);
        if cx.reads_contact {
            capabilities.insert(Capability::Contact);
        }
        if cx.reads_agent {
            capabilities.insert(Capability::Agent);
        }
        nodes.push(Node {
            action,
            block,
            args,
            reads_contact: cx.reads_contact,
            reads_agent: cx.reads_agent,
            exits,
        });
    }
    let start = node_of[start_action]?;
    Some(Program {
        name: flow.name.as_deref(),
        trigger,
        payload: Context::of(trigger).payload,
        nodes,
        start,
        capabilities,
    })
}

struct Lowering<'a> {
    graph: &'a Graph,
    node_of: &'a [Option<usize>],
    reads_contact: bool,
    reads_agent: bool,
    payload: Payload,
}

impl<'f> Lowering<'_> {
    fn control(&mut self, action: &'f Action, control: &'static Control) -> Expr<'f> {
        let entry = action
            .control(control.name)
            .filter(|e| e.value.is_given())
            .or_else(|| control.legacy.and_then(|l| action.control(l)))
            .or_else(|| action.control(control.name));
        match entry {
            Some(e) => self.value(&e.value),
            None => Expr::NotGiven(None),
        }
    }

    fn value(&mut self, value: &'f ControlValue) -> Expr<'f> {
        match value {
            ControlValue::NotGiven(blank) => Expr::NotGiven(Some(*blank)),
            ControlValue::Text(s) => Expr::Text(s),
            ControlValue::Bool(b) => Expr::Bool(*b),
            ControlValue::Number(n) => Expr::Number(n.value),
            ControlValue::Reference(r) => Expr::Read(self.read(r)),
            // Reported as `malformed_reference`; never lowered.
            ControlValue::Malformed(raw, _) => Expr::Text(raw),
            ControlValue::Map(entries) => Expr::Map(
                entries
                    .iter()
                    .map(|e| (e.key.as_str(), self.value(&e.value)))
                    .collect(),
            ),
            ControlValue::Array(v) => Expr::Json(v),
        }
    }

    fn read(&mut self, reference: &Reference) -> Read {
        let (root, ty) = match &reference.root {
            Root::Action(id) => {
                let producer = self.graph.index.get(id).copied();
                let node = producer.and_then(|p| self.node_of[p]);
                // A declared block's results are read from their JSON: their Rust field
                // names are the code generator's.
                let ty = producer
                    .and_then(|p| self.graph.blocks[p])
                    .filter(|b| b.extension().is_none())
                    .map_or(Ty::Any, |b| match b.results {
                        Results::Fields(fields) => Ty::Object(fields),
                        Results::Value(ty) => ty,
                        Results::None => Ty::Any,
                    });
                let root = node.map_or(ReadRoot::Undefined, ReadRoot::Slot);
                (root, ty)
            }
            Root::Contact => {
                self.reads_contact = true;
                (ReadRoot::Contact, Ty::Object(catalog::CONTACT_PROPERTIES))
            }
            Root::Agent => {
                self.reads_agent = true;
                (ReadRoot::Agent, Ty::Object(catalog::AGENT))
            }
            Root::Payload => (ReadRoot::Payload, Ty::Any),
        };
        let mut fields = Vec::new();
        let mut ty = match (root, self.payload.record()) {
            (ReadRoot::Payload, Some(record)) => Ty::Object(catalog::payload_fields(record)),
            _ => ty,
        };
        let mut path = reference.path.iter().peekable();
        while let (Ty::Object(known), Some(Segment::Key(key))) = (ty, path.peek()) {
            let Some(field) = known.iter().find(|f| f.name == key) else {
                break;
            };
            fields.push((field.name.to_owned(), field.optional));
            ty = field.ty;
            path.next();
        }
        Read {
            root,
            fields,
            rest: path.cloned().collect(),
        }
    }
}
