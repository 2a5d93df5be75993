//! Stateful fakes of the two services the real backends speak to, served by wiremock on
//! 127.0.0.1: [`salesforce`] (OAuth token endpoint, sObjects, SOQL, SOSL, Platform Events) and
//! [`connect`] (the Amazon Connect rest-json operations the `Contact` and `Agent` capabilities
//! call). Their responses follow the shapes Salesforce and AWS publish, and each module says
//! where a shape comes from.
//!
//! Both write what a flow did into one [`Journal`] of sandbox [`Effect`]s, in the order the
//! requests arrived, so a run against the fakes is compared with a run against the sandbox by
//! comparing two lists.

pub mod connect;
pub mod salesforce;

use std::sync::{Arc, Mutex, PoisonError};

use ctiflow_runtime::sandbox::Effect;

/// The effects the fakes saw, in order; cheap to clone, every clone the same journal.
#[derive(Clone, Debug, Default)]
pub struct Journal(Arc<Mutex<Vec<Effect>>>);

impl Journal {
    /// An empty journal.
    pub fn new() -> Journal {
        Journal::default()
    }

    /// Records `effect`.
    pub fn push(&self, effect: Effect) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(effect);
    }

    /// The effects so far, in order.
    pub fn effects(&self) -> Vec<Effect> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
