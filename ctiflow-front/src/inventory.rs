//! The Open CTI retirement audit of one flow: where each block can run without the agent's
//! browser (the catalog's `portability` column), the Open CTI calls the flow implies (its
//! blocks' and its trigger's), the sObjects and fields it writes, whether its trigger has a
//! server-side signal, and the block types ctiflow does not know.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::catalog::SObject;
use crate::check::Graph;
use crate::model::{Action, ControlValue, Flow};
use crate::trigger::{ServerSignal, Trigger};

/// What a flow needs from the browser, and what it writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// The trigger it was audited for (`VoiceContact.onConnecting`).
    pub trigger: Option<String>,
    /// What a server can observe of the trigger.
    pub server_signal: Option<Signal>,
    /// Every block, in file order.
    pub blocks: Vec<BlockEntry>,
    /// Open CTI call → how many times the flow implies it (blocks a run can reach, and the
    /// trigger).
    pub open_cti: BTreeMap<&'static str, usize>,
    /// sObject → the fields written to it, by blocks a run can reach. An sObject or field a
    /// reference names is written `(from a reference)`.
    pub writes: BTreeMap<String, BTreeSet<String>>,
    /// Block types that are not in the catalog.
    pub unknown_types: BTreeSet<String>,
}

/// A trigger's server-side signal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Signal {
    /// `good`, `approximate` or `none`.
    pub fidelity: &'static str,
    /// The server-side event, if any.
    pub event: Option<&'static str>,
}

/// One block of the audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockEntry {
    /// Its id.
    pub id: String,
    /// Its type id.
    pub type_id: String,
    /// Its type's name, when the catalog knows it.
    pub name: Option<&'static str>,
    /// Where it can run, when the catalog knows it.
    pub portability: Option<&'static str>,
    /// Whether a run can reach it.
    pub reachable: bool,
}

/// What a value names when it is a literal; references and blanks name nothing yet.
const FROM_A_REFERENCE: &str = "(from a reference)";

/// The audit of `flow` (checked into `graph`) for `trigger`.
pub fn inventory(flow: &Flow, graph: &Graph, trigger: Option<Trigger>) -> Inventory {
    let mut open_cti: BTreeMap<&'static str, usize> = BTreeMap::new();
    for call in trigger.map_or(&[][..], Trigger::open_cti) {
        *open_cti.entry(call).or_default() += 1;
    }
    let mut writes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unknown_types = BTreeSet::new();
    let mut blocks = Vec::with_capacity(flow.actions.len());
    for (i, action) in flow.actions.iter().enumerate() {
        let type_id = action.type_id.clone().unwrap_or_default();
        let block = graph.blocks[i];
        let reachable = graph.is_reachable(i);
        match block {
            None if !type_id.is_empty() => {
                unknown_types.insert(type_id.clone());
            }
            Some(block) if reachable => {
                for call in block.open_cti {
                    *open_cti.entry(call).or_default() += 1;
                }
                if let Some(w) = &block.writes {
                    let sobject = match w.sobject {
                        SObject::Fixed(name) => name.to_owned(),
                        SObject::Control(control) => literal(action, control),
                    };
                    let fields = writes.entry(sobject).or_default();
                    for field in w.fields {
                        let given = action.control(field).is_some_and(|c| c.value.is_given());
                        if given || block.control(field).is_none() {
                            fields.insert((*field).to_owned());
                        }
                    }
                    for map in w.field_maps {
                        match action.control(map).map(|c| &c.value) {
                            Some(ControlValue::Map(entries)) => {
                                fields.extend(entries.iter().map(|e| e.key.clone()));
                            }
                            Some(ControlValue::Reference(_)) => {
                                fields.insert(FROM_A_REFERENCE.to_owned());
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        blocks.push(BlockEntry {
            id: action.id.clone(),
            type_id,
            name: block.map(|b| b.display_name),
            portability: block.map(|b| b.portability.name()),
            reachable,
        });
    }
    Inventory {
        trigger: trigger.map(|t| t.to_string()),
        server_signal: trigger.map(|t| match t.server_signal() {
            ServerSignal::Good(event) => Signal {
                fidelity: "good",
                event: Some(event),
            },
            ServerSignal::Approximate(event) => Signal {
                fidelity: "approximate",
                event: Some(event),
            },
            ServerSignal::None => Signal {
                fidelity: "none",
                event: None,
            },
        }),
        blocks,
        open_cti,
        writes,
        unknown_types,
    }
}

/// The literal text of `control`, or `(from a reference)`.
fn literal(action: &Action, control: &str) -> String {
    match action.control(control).map(|c| &c.value) {
        Some(ControlValue::Text(text)) => text.clone(),
        _ => FROM_A_REFERENCE.to_owned(),
    }
}
