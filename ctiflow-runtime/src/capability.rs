//! The capability traits generated flows call: a flow's `run` is generic over exactly the ones
//! its blocks use. Methods are native `async fn`s whose futures are `Send`, so runs can be
//! spawned on a multi-threaded executor.

use std::future::Future;

use serde_json::{Map, Value};

use crate::error::BlockResult;
use crate::types::{
    AgentInfo, ContactProperties, DialRequest, Fields, HvsCompletion, RetrieveRequest, SaveRequest,
    ScreenpopResult, SearchRequest, TaskRequest,
};

/// The Connect contact the event is about.
pub trait Contact: Sync {
    /// Its properties (Get Contact Properties, `$.contact`); [`crate::BlockError::no_contact`]
    /// when the event has none.
    fn properties(&self) -> impl Future<Output = BlockResult<ContactProperties>> + Send;

    /// One attribute, `None` when unset.
    fn attribute(&self, name: &str) -> impl Future<Output = BlockResult<Option<String>>> + Send;

    /// Updates attributes.
    fn update_attributes(&self, attributes: Fields)
    -> impl Future<Output = BlockResult<()>> + Send;
}

/// The logged-in Connect agent.
pub trait Agent: Sync {
    /// `$.agent`.
    fn info(&self) -> impl Future<Output = BlockResult<AgentInfo>> + Send;

    /// Dials a number from the agent's softphone.
    fn dial(&self, request: DialRequest) -> impl Future<Output = BlockResult<()>> + Send;
}

/// Salesforce data. Implementations escape SOQL/SOSL input; names reach them checked.
pub trait Salesforce: Sync {
    /// Creates (`record_id` `None`) or updates a record; returns its id.
    fn save_record(&self, request: SaveRequest)
    -> impl Future<Output = BlockResult<String>> + Send;

    /// Creates a Task; returns its id.
    fn create_task(&self, request: TaskRequest)
    -> impl Future<Output = BlockResult<String>> + Send;

    /// Reads the named fields of one record.
    fn retrieve(
        &self,
        request: RetrieveRequest,
    ) -> impl Future<Output = BlockResult<Map<String, Value>>> + Send;

    /// The Contact whose `field` (`Phone` by default) matches `phone`, if any.
    fn contact_id_by_phone(
        &self,
        phone: &str,
        field: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send;

    /// The Lead whose phone matches `phone`, if any.
    fn lead_id_by_phone(
        &self,
        phone: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send;
}

/// The agent's Salesforce console: what the agent sees.
pub trait Console: Sync {
    /// Searches per the softphone layout and pops the result (0 → new record, 1 → the record,
    /// n → the search page).
    fn search_and_screenpop(
        &self,
        request: SearchRequest,
    ) -> impl Future<Output = BlockResult<ScreenpopResult>> + Send;

    /// Pops a record.
    fn screenpop_object(&self, record_id: &str) -> impl Future<Output = BlockResult<()>> + Send;

    /// Pops a search over all objects; [`crate::BlockError::not_found`] when nothing matches.
    fn screenpop_search(&self, search: &str) -> impl Future<Output = BlockResult<()>> + Send;

    /// Pops a new-record form.
    fn screenpop_new_record(
        &self,
        entity: &str,
        defaults: Fields,
    ) -> impl Future<Output = BlockResult<()>> + Send;

    /// Completes High Velocity Sales work.
    fn complete_hvs_work(
        &self,
        request: HvsCompletion,
    ) -> impl Future<Output = BlockResult<()>> + Send;

    /// Whether `record_id` names a record the console can pop (Screenpop Object's
    /// `noPopOnEmpty`).
    fn record_exists(&self, record_id: &str) -> impl Future<Output = BlockResult<bool>> + Send;
}

/// The agent-local property store, kept across runs.
pub trait Store: Sync {
    /// A property, `None` when unset.
    fn get_property(&self, key: &str) -> impl Future<Output = BlockResult<Option<Value>>> + Send;

    /// Sets a property; `None` (`undefined`) removes it.
    fn set_property(
        &self,
        key: &str,
        value: Option<Value>,
    ) -> impl Future<Output = BlockResult<()>> + Send;
}
