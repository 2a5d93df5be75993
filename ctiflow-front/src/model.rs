//! Stage 2: the spanned JSON tree → a [`Flow`]: blocks with typed control values and parsed
//! references. Structural problems (`json`) and ignored top-level keys are reported here; every
//! other check lives in [`crate::check`].

use crate::diagnostic::{Code, Diagnostic};
use crate::parse::{Kind, Member, Number, Value};
use crate::reference::{Malformed, Reference, looks_like_reference};
use crate::span::Span;

/// A flow document.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// The optional `name`.
    pub name: Option<String>,
    /// The blocks, in file order.
    pub actions: Vec<Action>,
    /// The `actions` array (or the whole document when it is missing).
    pub actions_span: Span,
    /// How many entries of `actions` could not be read as blocks (no `id`; already reported).
    pub unread: usize,
}

/// One block.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The opaque id.
    pub id: String,
    /// Where the id is.
    pub id_span: Span,
    /// The block type id; `None` when missing (already reported).
    pub type_id: Option<String>,
    /// Where the type is (the id when missing).
    pub type_span: Span,
    /// The canvas label, `meta.title`.
    pub title: Option<String>,
    /// The controls, in file order.
    pub controls: Vec<ControlEntry>,
    /// The `controls` object, or the block when absent.
    pub controls_span: Span,
    /// The connected ports.
    pub ports: Vec<PortEntry>,
    /// The whole block.
    pub span: Span,
}

/// One `key: value` of `controls` or of a map control.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlEntry {
    /// The key.
    pub key: String,
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub value: ControlValue,
    /// Where the value is.
    pub span: Span,
}

/// A control value, classified.
#[derive(Clone, Debug, PartialEq)]
pub enum ControlValue {
    /// `null`, `""` or `{}`: "not given" for text, bool and map controls; kept as written for
    /// `any` controls, where `""` is the empty string.
    NotGiven(Blank),
    /// A string that is not a reference.
    Text(String),
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(Number),
    /// A reference.
    Reference(Reference),
    /// A string starting with `$` that is not a reference (the raw string and why).
    Malformed(String, String),
    /// A non-empty object.
    Map(Vec<ControlEntry>),
    /// An array, kept as JSON.
    Array(Value),
}

/// How a "not given" value was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blank {
    /// `null`
    Null,
    /// `""`
    EmptyText,
    /// `{}`
    EmptyObject,
}

impl ControlValue {
    /// Whether the value counts as given (not `null`, `""` or `{}`).
    pub fn is_given(&self) -> bool {
        !matches!(self, ControlValue::NotGiven(_))
    }

    fn classify(value: &Value) -> ControlValue {
        match &value.kind {
            Kind::Null => ControlValue::NotGiven(Blank::Null),
            Kind::String(s) if s.is_empty() => ControlValue::NotGiven(Blank::EmptyText),
            Kind::String(s) if looks_like_reference(s) => match Reference::parse(s) {
                Ok(r) => ControlValue::Reference(r),
                Err(Malformed(why)) => ControlValue::Malformed(s.clone(), why),
            },
            Kind::String(s) => ControlValue::Text(s.clone()),
            Kind::Bool(b) => ControlValue::Bool(*b),
            Kind::Number(n) => ControlValue::Number(n.clone()),
            Kind::Object(members) if members.is_empty() => {
                ControlValue::NotGiven(Blank::EmptyObject)
            }
            Kind::Object(members) => ControlValue::Map(entries(members)),
            Kind::Array(_) => ControlValue::Array(value.clone()),
        }
    }

    /// Every string leaf meant as a reference (parsed or malformed), at any depth of maps,
    /// with its span.
    pub fn references<'a>(&'a self, span: Span, out: &mut Vec<(&'a ControlValue, Span)>) {
        match self {
            ControlValue::Reference(_) | ControlValue::Malformed(..) => out.push((self, span)),
            ControlValue::Map(entries) => {
                for e in entries {
                    e.value.references(e.span, out);
                }
            }
            _ => {}
        }
    }
}

fn entries(members: &[Member]) -> Vec<ControlEntry> {
    members
        .iter()
        .map(|m| ControlEntry {
            key: m.key.clone(),
            key_span: m.key_span,
            value: ControlValue::classify(&m.value),
            span: m.value.span,
        })
        .collect()
}

/// One connected port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortEntry {
    /// The port name as written.
    pub name: String,
    /// Where the name is.
    pub name_span: Span,
    /// The id of the block it leads to.
    pub target: String,
    /// Where the target is.
    pub target_span: Span,
}

impl Action {
    /// The control named `key` (the last one, if repeated).
    pub fn control(&self, key: &str) -> Option<&ControlEntry> {
        self.controls.iter().rev().find(|c| c.key == key)
    }
}

/// Builds the flow, reporting structural problems into `diagnostics`. Returns `None` only when
/// there is no `actions` array to work with.
pub fn build(document: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Flow> {
    let Some(members) = document.as_object() else {
        diagnostics.push(
            Diagnostic::new(
                Code::Json,
                format!(
                    "a flow must be a JSON object, found {}",
                    document.kind_name()
                ),
            )
            .span(document.span)
            .help("export the flow from the CTI Flows tab: `{ \"actions\": [ ... ] }`"),
        );
        return None;
    };
    for m in members {
        if m.key != "name" && m.key != "actions" {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownKey,
                    format!(
                        "top-level key `{}` is not part of a flow and is ignored",
                        m.key
                    ),
                )
                .span(m.key_span)
                .help("a flow has only `name` and `actions`; remove the key"),
            );
        }
    }
    let name = document
        .get("name")
        .and_then(|m| m.value.as_str())
        .map(str::to_owned);
    let actions = match document.get("actions") {
        Some(Member {
            value:
                Value {
                    kind: Kind::Array(items),
                    span,
                },
            ..
        }) => (items, *span),
        Some(m) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::Json,
                    format!("`actions` must be an array, found {}", m.value.kind_name()),
                )
                .span(m.value.span)
                .help("a flow is `{ \"actions\": [ ... ] }`"),
            );
            return None;
        }
        None => {
            diagnostics.push(
                Diagnostic::new(Code::Json, "the flow has no `actions` array")
                    .span(document.span)
                    .help("a flow is `{ \"actions\": [ ... ] }`"),
            );
            return None;
        }
    };
    let read: Vec<Action> = actions
        .0
        .iter()
        .filter_map(|a| action(a, diagnostics))
        .collect();
    let flow = Flow {
        name,
        unread: actions.0.len() - read.len(),
        actions: read,
        actions_span: actions.1,
    };
    Some(flow)
}

fn action(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Action> {
    const ID_HELP: &str = "give every block a unique text id, e.g. \"uid-1\"";
    let mut error = |message: String, span: Span, help: &str| {
        diagnostics.push(Diagnostic::new(Code::Json, message).span(span).help(help));
    };
    if value.as_object().is_none() {
        error(
            format!("an action must be an object, found {}", value.kind_name()),
            value.span,
            "each entry of `actions` is a block: `{\"id\": \"uid-1\", \"type\": \"SE_Log\", ...}`",
        );
        return None;
    }
    let (id, id_span) = match value.get("id") {
        Some(m) => match &m.value.kind {
            Kind::String(s) if !s.is_empty() => (s.clone(), m.value.span),
            Kind::Number(n) => (n.raw.clone(), m.value.span),
            _ => {
                error(
                    format!(
                        "an action's `id` must be a non-empty string, found {}",
                        m.value.kind_name()
                    ),
                    m.value.span,
                    ID_HELP,
                );
                return None;
            }
        },
        None => {
            error("an action has no `id`".to_owned(), value.span, ID_HELP);
            return None;
        }
    };
    let block = |d: Diagnostic| d.block(id.clone());
    let (type_id, type_span) = match value.get("type") {
        Some(m) => match m.value.as_str() {
            Some(s) => (Some(s.to_owned()), m.value.span),
            None => {
                diagnostics.push(block(
                    Diagnostic::new(
                        Code::Json,
                        format!(
                            "block `{id}`'s `type` must be a string, found {}",
                            m.value.kind_name()
                        ),
                    )
                    .span(m.value.span)
                    .help("write the block type as text, e.g. \"SE_Log\""),
                ));
                (None, m.value.span)
            }
        },
        None => {
            diagnostics.push(block(
                Diagnostic::new(Code::Json, format!("block `{id}` has no `type`"))
                    .span(id_span)
                    .help("give the block a `type`, e.g. \"SE_Log\""),
            ));
            (None, id_span)
        }
    };
    let title = value
        .get("meta")
        .and_then(|m| m.value.get("title"))
        .and_then(|t| t.value.as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let (controls, controls_span) = match value.get("controls") {
        None => (Vec::new(), value.span),
        Some(m) => match &m.value.kind {
            Kind::Null => (Vec::new(), m.value.span),
            Kind::Object(members) => (entries(members), m.value.span),
            _ => {
                diagnostics.push(block(
                    Diagnostic::new(
                        Code::Json,
                        format!(
                            "block `{id}`'s `controls` must be an object, found {}",
                            m.value.kind_name()
                        ),
                    )
                    .span(m.value.span)
                    .help("write controls as an object, `{\"message\": \"...\"}`, or remove them"),
                ));
                (Vec::new(), m.value.span)
            }
        },
    };
    let mut ports = Vec::new();
    match value.get("ports").map(|m| &m.value) {
        None
        | Some(Value {
            kind: Kind::Null, ..
        }) => {}
        Some(Value {
            kind: Kind::Object(members),
            ..
        }) => {
            for m in members {
                match &m.value.kind {
                    // An unconnected port may also be written as null or "".
                    Kind::Null => {}
                    Kind::String(s) if s.is_empty() => {}
                    Kind::String(s) => ports.push(PortEntry {
                        name: m.key.clone(),
                        name_span: m.key_span,
                        target: s.clone(),
                        target_span: m.value.span,
                    }),
                    _ => diagnostics.push(block(
                        Diagnostic::new(
                            Code::Json,
                            format!(
                                "port `{}` of block `{id}` must name a block id, found {}",
                                m.key,
                                m.value.kind_name()
                            ),
                        )
                        .span(m.value.span)
                        .help("write the id of the next block as text, or remove the port"),
                    )),
                }
            }
        }
        Some(other) => diagnostics.push(block(
            Diagnostic::new(
                Code::Json,
                format!(
                    "block `{id}`'s `ports` must be an object, found {}",
                    other.kind_name()
                ),
            )
            .span(other.span)
            .help("write ports as an object, `{\"done\": \"<next block id>\"}`"),
        )),
    }
    Some(Action {
        id,
        id_span,
        type_id,
        type_span,
        title,
        controls,
        controls_span,
        ports,
        span: value.span,
    })
}
