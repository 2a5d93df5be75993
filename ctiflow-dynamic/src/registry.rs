//! [`DynamicRegistry`]: flows loaded at run time, one per (source, event), dispatched like
//! `registry!` and replaced as a whole while runs are in flight.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use ctiflow_front::{Code, Diagnostic, Options, Trigger};
use ctiflow_runtime::{Capabilities, Dispatched, EventContext, Limits, Name};

use crate::flow::{DynamicFlow, LoadError, LoadOptions};

/// A flow to load into a [`FlowSet`]: its name, its text and how to check it.
#[derive(Clone, Debug)]
pub struct FlowSource {
    /// The name runs report ([`Dispatched::flow`]), usually its file.
    pub name: String,
    /// The exported JSON.
    pub text: String,
    /// Its trigger (required) and lint levels.
    pub options: Options,
}

impl FlowSource {
    /// The flow in the file at `path`, named by its path.
    pub fn read(path: impl Into<PathBuf>, options: Options) -> Result<FlowSource, RegistryError> {
        let path = path.into();
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(FlowSource {
                name,
                text,
                options,
            }),
            Err(e) => Err(RegistryError::Read {
                flow: name,
                message: e.to_string(),
            }),
        }
    }
}

/// Why a set of flows did not load.
#[derive(Debug)]
pub enum RegistryError {
    /// A flow's file could not be read.
    Read {
        /// The flow.
        flow: String,
        /// Why.
        message: String,
    },
    /// A flow has no trigger, so nothing could dispatch to it.
    NoTrigger {
        /// The flow.
        flow: String,
    },
    /// A flow did not load: its diagnostics, `duplicate_trigger` among them when an earlier
    /// flow of the list has its trigger.
    Load {
        /// The flow.
        flow: String,
        /// Its diagnostics.
        error: LoadError,
    },
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::Read { flow, message } => write!(f, "cannot read {flow}: {message}"),
            RegistryError::NoTrigger { flow } => write!(
                f,
                "flow `{flow}` has no trigger, so a registry cannot dispatch to it; give it a \
                 source (and an event)"
            ),
            RegistryError::Load { flow, error } => write!(f, "{flow}: {error}"),
        }
    }
}

impl std::error::Error for RegistryError {}

/// One loaded flow of a set.
#[derive(Debug)]
struct Entry {
    name: Name,
    flow: DynamicFlow,
}

/// Loaded flows, one per (source, event).
#[derive(Debug, Default)]
pub struct FlowSet {
    flows: BTreeMap<Trigger, Arc<Entry>>,
}

impl FlowSet {
    /// Loads every flow of `sources` for a backend offering `backend`'s capabilities. Every
    /// flow is loaded and every problem reported: a flow that does not check, a flow without a
    /// trigger, and `duplicate_trigger` for a flow whose trigger an earlier one has.
    pub fn load(
        sources: impl IntoIterator<Item = FlowSource>,
        backend: &dyn Capabilities,
    ) -> Result<FlowSet, Vec<RegistryError>> {
        let mut flows: BTreeMap<Trigger, Arc<Entry>> = BTreeMap::new();
        let mut errors = Vec::new();
        for source in sources {
            let Some(trigger) = source.options.trigger else {
                errors.push(RegistryError::NoTrigger { flow: source.name });
                continue;
            };
            let options = LoadOptions::from(source.options).offered_by(backend);
            let flow = match DynamicFlow::load(&source.text, &options) {
                Ok(flow) => flow,
                Err(error) => {
                    errors.push(RegistryError::Load {
                        flow: source.name,
                        error,
                    });
                    continue;
                }
            };
            if let Some(first) = flows.get(&trigger) {
                let diagnostic = Diagnostic::new(
                    Code::DuplicateTrigger,
                    format!(
                        "flows `{}` and `{}` are bound to the same (source, event) {trigger}",
                        first.name, source.name
                    ),
                )
                .help(
                    "register only one of them: a registry dispatches each (source, event) to \
                     exactly one flow, as the adapter runs one active flow per (source, event)",
                );
                errors.push(RegistryError::Load {
                    flow: source.name,
                    error: LoadError::new(vec![diagnostic], &source.text),
                });
                continue;
            }
            let entry = Entry {
                name: Name::from(source.name),
                flow,
            };
            flows.insert(trigger, Arc::new(entry));
        }
        if errors.is_empty() {
            Ok(FlowSet { flows })
        } else {
            Err(errors)
        }
    }

    /// The flows, by trigger: (trigger, name, flow).
    pub fn flows(&self) -> impl Iterator<Item = (Trigger, &str, &DynamicFlow)> {
        self.flows
            .iter()
            .map(|(trigger, entry)| (*trigger, entry.name.as_str(), &entry.flow))
    }

    /// How many flows it has.
    pub fn len(&self) -> usize {
        self.flows.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }
}

/// Dispatches events to the flows of a [`FlowSet`], which can be replaced at any time: a run
/// keeps the flow it started with, and the next dispatch sees the new set.
#[derive(Debug, Default)]
pub struct DynamicRegistry {
    current: RwLock<Arc<FlowSet>>,
}

impl DynamicRegistry {
    /// A registry of `flows`.
    pub fn new(flows: FlowSet) -> DynamicRegistry {
        DynamicRegistry {
            current: RwLock::new(Arc::new(flows)),
        }
    }

    /// The current set.
    pub fn flows(&self) -> Arc<FlowSet> {
        // A set is replaced whole, so a poisoned lock still holds a whole set.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the whole set at once; returns the previous one. Runs in flight finish with
    /// the flows they started with.
    pub fn replace(&self, flows: FlowSet) -> Arc<FlowSet> {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *current, Arc::new(flows))
    }

    /// Runs the flow bound to `event`'s trigger, if one is loaded.
    pub async fn dispatch(
        &self,
        backend: &dyn Capabilities,
        event: &EventContext,
        limits: &Limits,
    ) -> Option<Dispatched> {
        let entry = Arc::clone(self.flows().flows.get(&event.trigger)?);
        let run = entry.flow.run(backend, event, limits).await;
        Some(Dispatched {
            flow: entry.name.clone(),
            run,
        })
    }
}
