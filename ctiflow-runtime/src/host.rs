//! [`Host`]: one backend for compiled flows made of several, each capability from its own
//! (Salesforce from the REST API, the contact and agent from Amazon Connect, a store of the
//! host's own). A capability left [`Missing`] is not implemented, so a compiled flow that
//! needs it does not compile against the host: its `Backend` bound names the missing trait.
//! [`Offered`](crate::capability::Offered) is the counterpart for flows loaded at run time.

use std::future::Future;

use serde_json::{Map, Value};

use crate::capability::{Agent, Console, Contact, Salesforce, Store};
use crate::error::BlockResult;
use crate::types::{
    AgentInfo, ContactProperties, DialRequest, Fields, HvsCompletion, RetrieveRequest, SaveRequest,
    ScreenpopResult, SearchRequest, TaskRequest,
};

/// A capability a [`Host`] does not offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Missing;

/// Capabilities gathered from several backends, for compiled flows:
/// `Host::new().with_salesforce(api).with_console(events)` offers [`Salesforce`] and
/// [`Console`], and a flow that also reads the contact is a type error naming [`Contact`].
#[derive(Clone, Debug, Default)]
pub struct Host<C = Missing, A = Missing, S = Missing, K = Missing, P = Missing> {
    /// The [`Contact`].
    pub contact: C,
    /// The [`Agent`].
    pub agent: A,
    /// The [`Salesforce`] data.
    pub salesforce: S,
    /// The agent's [`Console`].
    pub console: K,
    /// The agent-local [`Store`].
    pub store: P,
}

impl Host {
    /// A host offering nothing yet.
    pub fn new() -> Host {
        Host::default()
    }
}

impl<C, A, S, K, P> Host<C, A, S, K, P> {
    /// The same host, with `contact` as its [`Contact`].
    pub fn with_contact<T: Contact>(self, contact: T) -> Host<T, A, S, K, P> {
        let Host {
            agent,
            salesforce,
            console,
            store,
            ..
        } = self;
        Host {
            contact,
            agent,
            salesforce,
            console,
            store,
        }
    }

    /// The same host, with `agent` as its [`Agent`].
    pub fn with_agent<T: Agent>(self, agent: T) -> Host<C, T, S, K, P> {
        let Host {
            contact,
            salesforce,
            console,
            store,
            ..
        } = self;
        Host {
            contact,
            agent,
            salesforce,
            console,
            store,
        }
    }

    /// The same host, with `salesforce` as its [`Salesforce`].
    pub fn with_salesforce<T: Salesforce>(self, salesforce: T) -> Host<C, A, T, K, P> {
        let Host {
            contact,
            agent,
            console,
            store,
            ..
        } = self;
        Host {
            contact,
            agent,
            salesforce,
            console,
            store,
        }
    }

    /// The same host, with `console` as its [`Console`].
    pub fn with_console<T: Console>(self, console: T) -> Host<C, A, S, T, P> {
        let Host {
            contact,
            agent,
            salesforce,
            store,
            ..
        } = self;
        Host {
            contact,
            agent,
            salesforce,
            console,
            store,
        }
    }

    /// The same host, with `store` as its [`Store`].
    pub fn with_store<T: Store>(self, store: T) -> Host<C, A, S, K, T> {
        let Host {
            contact,
            agent,
            salesforce,
            console,
            ..
        } = self;
        Host {
            contact,
            agent,
            salesforce,
            console,
            store,
        }
    }
}

// Each trait is forwarded to its field by hand: the methods' elided lifetimes cannot be named
// by a macro that writes one lifetime for every borrow.

impl<C: Contact, A: Sync, S: Sync, K: Sync, P: Sync> Contact for Host<C, A, S, K, P> {
    fn properties(&self) -> impl Future<Output = BlockResult<ContactProperties>> + Send {
        self.contact.properties()
    }

    fn attribute(&self, name: &str) -> impl Future<Output = BlockResult<Option<String>>> + Send {
        self.contact.attribute(name)
    }

    fn update_attributes(
        &self,
        attributes: Fields,
    ) -> impl Future<Output = BlockResult<()>> + Send {
        self.contact.update_attributes(attributes)
    }
}

impl<C: Sync, A: Agent, S: Sync, K: Sync, P: Sync> Agent for Host<C, A, S, K, P> {
    fn info(&self) -> impl Future<Output = BlockResult<AgentInfo>> + Send {
        self.agent.info()
    }

    fn dial(&self, request: DialRequest) -> impl Future<Output = BlockResult<()>> + Send {
        self.agent.dial(request)
    }
}

impl<C: Sync, A: Sync, S: Salesforce, K: Sync, P: Sync> Salesforce for Host<C, A, S, K, P> {
    fn save_record(
        &self,
        request: SaveRequest,
    ) -> impl Future<Output = BlockResult<String>> + Send {
        self.salesforce.save_record(request)
    }

    fn create_task(
        &self,
        request: TaskRequest,
    ) -> impl Future<Output = BlockResult<String>> + Send {
        self.salesforce.create_task(request)
    }

    fn retrieve(
        &self,
        request: RetrieveRequest,
    ) -> impl Future<Output = BlockResult<Map<String, Value>>> + Send {
        self.salesforce.retrieve(request)
    }

    fn contact_id_by_phone(
        &self,
        phone: &str,
        field: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send {
        self.salesforce.contact_id_by_phone(phone, field)
    }

    fn lead_id_by_phone(
        &self,
        phone: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send {
        self.salesforce.lead_id_by_phone(phone)
    }
}

impl<C: Sync, A: Sync, S: Sync, K: Console, P: Sync> Console for Host<C, A, S, K, P> {
    fn search_and_screenpop(
        &self,
        request: SearchRequest,
    ) -> impl Future<Output = BlockResult<ScreenpopResult>> + Send {
        self.console.search_and_screenpop(request)
    }

    fn screenpop_object(&self, record_id: &str) -> impl Future<Output = BlockResult<()>> + Send {
        self.console.screenpop_object(record_id)
    }

    fn screenpop_search(&self, search: &str) -> impl Future<Output = BlockResult<()>> + Send {
        self.console.screenpop_search(search)
    }

    fn screenpop_new_record(
        &self,
        entity: &str,
        defaults: Fields,
    ) -> impl Future<Output = BlockResult<()>> + Send {
        self.console.screenpop_new_record(entity, defaults)
    }

    fn complete_hvs_work(
        &self,
        request: HvsCompletion,
    ) -> impl Future<Output = BlockResult<()>> + Send {
        self.console.complete_hvs_work(request)
    }

    fn record_exists(&self, record_id: &str) -> impl Future<Output = BlockResult<bool>> + Send {
        self.console.record_exists(record_id)
    }
}

impl<C: Sync, A: Sync, S: Sync, K: Sync, P: Store> Store for Host<C, A, S, K, P> {
    fn get_property(&self, key: &str) -> impl Future<Output = BlockResult<Option<Value>>> + Send {
        self.store.get_property(key)
    }

    fn set_property(
        &self,
        key: &str,
        value: Option<Value>,
    ) -> impl Future<Output = BlockResult<()>> + Send {
        self.store.set_property(key, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::{Effect, Sandbox};

    #[test]
    fn forwards_each_capability_to_its_backend() {
        let host = Host::new()
            .with_salesforce(Sandbox::new())
            .with_store(Sandbox::new());
        let created = pollster::block_on(host.save_record(SaveRequest {
            record_id: None,
            entity_type: Some("Case".into()),
            field_values: Fields::new(),
        }))
        .unwrap();
        pollster::block_on(host.set_property("k", Some(Value::Bool(true)))).unwrap();
        assert!(host.salesforce.org().get(&created).is_some());
        assert!(
            host.store.org().get(&created).is_none(),
            "each its own backend"
        );
        assert_eq!(
            host.store.effects(),
            [Effect::PropertySet {
                key: "k".into(),
                value: Some(Value::Bool(true))
            }]
        );
    }
}
