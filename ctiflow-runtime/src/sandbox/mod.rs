//! In-memory backends for every capability: an org, a contact and an agent described in code,
//! an agent-local store, and a log of effects to assert on. Tests and examples run flows
//! against a [`Sandbox`] instead of a live call.

mod org;

pub use org::{Org, Record, key_prefix};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::capability::{Agent, Console, Contact, Extension, Salesforce, Store};
use crate::error::{BlockError, BlockResult};
use crate::types::{
    AgentInfo, ContactProperties, DialRequest, Fields, HvsCompletion, RetrieveRequest, SaveRequest,
    ScreenpopResult, SearchRequest, TaskRequest,
};

/// A backend method, for injecting failures and hangs (named like its variant in scenario
/// files: `"CreateTask"`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Call {
    /// [`Contact::properties`]
    Properties,
    /// [`Contact::attribute`]
    Attribute,
    /// [`Contact::update_attributes`]
    UpdateAttributes,
    /// [`Agent::info`]
    AgentInfo,
    /// [`Agent::dial`]
    Dial,
    /// [`Salesforce::save_record`]
    SaveRecord,
    /// [`Salesforce::create_task`]
    CreateTask,
    /// [`Salesforce::retrieve`]
    Retrieve,
    /// [`Salesforce::contact_id_by_phone`]
    ContactIdByPhone,
    /// [`Salesforce::lead_id_by_phone`]
    LeadIdByPhone,
    /// [`Console::search_and_screenpop`]
    SearchAndScreenpop,
    /// [`Console::screenpop_object`]
    ScreenpopObject,
    /// [`Console::screenpop_search`]
    ScreenpopSearch,
    /// [`Console::screenpop_new_record`]
    ScreenpopNewRecord,
    /// [`Console::complete_hvs_work`]
    CompleteHvsWork,
    /// [`Store::get_property`]
    GetProperty,
    /// [`Store::set_property`]
    SetProperty,
    /// [`Extension::call`]: every declared block.
    Extension,
}

/// What the agent saw pop.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "pop", rename_all = "snake_case")]
pub enum Pop {
    /// A record.
    Record {
        /// Its id.
        id: String,
    },
    /// A search page.
    Search {
        /// The search text.
        search: String,
        /// How many records matched.
        matches: usize,
    },
    /// A new-record form.
    NewRecord {
        /// The sObject.
        entity: String,
        /// Its default field values.
        defaults: Fields,
    },
}

/// Something a flow did that outlives the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// The agent's console popped something.
    ScreenPop(Pop),
    /// The softphone dialled.
    Dialed {
        /// The number.
        number: String,
        /// The outbound queue.
        queue_arn: Option<String>,
    },
    /// Contact attributes were updated.
    AttributesUpdated {
        /// The new values.
        attributes: Fields,
    },
    /// A record was created (Tasks included).
    RecordCreated {
        /// Its sObject.
        sobject: String,
        /// Its id.
        id: String,
        /// The fields written.
        fields: Map<String, Value>,
    },
    /// A record was updated.
    RecordUpdated {
        /// Its id.
        id: String,
        /// The fields written.
        fields: Map<String, Value>,
    },
    /// High Velocity Sales work was completed.
    HvsWorkCompleted {
        /// The work item.
        work_id: String,
        /// Its disposition.
        disposition: Option<String>,
        /// The Task saved.
        task_id: String,
    },
    /// An agent-local property was set (`None`: removed).
    PropertySet {
        /// The key.
        key: String,
        /// The value.
        value: Option<Value>,
    },
    /// A declared block ran.
    Extension {
        /// Its type id.
        type_id: String,
        /// Its arguments, as `Extension::call` receives them.
        args: Value,
    },
}

/// In-memory backends for every capability.
#[derive(Debug)]
pub struct Sandbox {
    org: Mutex<Org>,
    contact: Mutex<Option<ContactProperties>>,
    agent: AgentInfo,
    store: Mutex<BTreeMap<String, Value>>,
    effects: Mutex<Vec<Effect>>,
    failing: BTreeMap<Call, BlockError>,
    hanging: BTreeSet<Call>,
    layout: Vec<String>,
    extensions: BTreeMap<String, Value>,
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

/// A sandbox in the same state: the same org (ids to come included), contact, agent, store,
/// effects so far, and injected failures and hangs. Running one flow on both gives the same
/// effects: how a compiled and a loaded run of a flow are compared.
impl Clone for Sandbox {
    fn clone(&self) -> Sandbox {
        Sandbox {
            org: Mutex::new(lock(&self.org).clone()),
            contact: Mutex::new(lock(&self.contact).clone()),
            agent: self.agent.clone(),
            store: Mutex::new(lock(&self.store).clone()),
            effects: Mutex::new(lock(&self.effects).clone()),
            failing: self.failing.clone(),
            hanging: self.hanging.clone(),
            layout: self.layout.clone(),
            extensions: self.extensions.clone(),
        }
    }
}

/// Sandboxes in the same state: org, contact, agent, store, effects, injections and layout.
impl PartialEq for Sandbox {
    fn eq(&self, other: &Sandbox) -> bool {
        *lock(&self.org) == *lock(&other.org)
            && *lock(&self.contact) == *lock(&other.contact)
            && self.agent == other.agent
            && *lock(&self.store) == *lock(&other.store)
            && *lock(&self.effects) == *lock(&other.effects)
            && self.failing == other.failing
            && self.hanging == other.hanging
            && self.layout == other.layout
            && self.extensions == other.extensions
    }
}

/// Locks `m`; a panic elsewhere while holding it leaves plain data, still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn text_fields(fields: &Fields) -> Map<String, Value> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

impl Sandbox {
    /// An empty org, no contact, an agent named "Agent", and the softphone layout searching
    /// Contacts, Leads, Accounts and Cases.
    pub fn new() -> Sandbox {
        Sandbox {
            org: Mutex::new(Org::new()),
            contact: Mutex::new(None),
            agent: AgentInfo {
                name: "Agent".into(),
                extension: "1000".into(),
                dialable_countries: vec![Value::String("US".into())],
            },
            store: Mutex::new(BTreeMap::new()),
            effects: Mutex::new(Vec::new()),
            failing: BTreeMap::new(),
            hanging: BTreeSet::new(),
            layout: ["Contact", "Lead", "Account", "Case"]
                .map(String::from)
                .to_vec(),
            extensions: BTreeMap::new(),
        }
    }

    /// With `org`.
    pub fn with_org(self, org: Org) -> Sandbox {
        *lock(&self.org) = org;
        self
    }

    /// With a contact.
    pub fn with_contact(self, contact: ContactProperties) -> Sandbox {
        self.set_contact(Some(contact));
        self
    }

    /// With `agent`.
    pub fn with_agent(self, agent: AgentInfo) -> Sandbox {
        Sandbox { agent, ..self }
    }

    /// With the softphone layout searching `sobjects` (Search And Screenpop).
    pub fn with_layout(self, sobjects: &[&str]) -> Sandbox {
        Sandbox {
            layout: sobjects.iter().map(|s| (*s).to_owned()).collect(),
            ..self
        }
    }

    /// With the agent-local property `key` set to `value` before any run (no effect recorded).
    pub fn with_property(self, key: &str, value: Value) -> Sandbox {
        lock(&self.store).insert(key.to_owned(), value);
        self
    }

    /// With `answer` as the result of every run of the declared block `type_id`.
    pub fn with_extension(mut self, type_id: &str, answer: Value) -> Sandbox {
        self.extensions.insert(type_id.to_owned(), answer);
        self
    }

    /// With `call` failing with `error`.
    pub fn failing(mut self, call: Call, error: BlockError) -> Sandbox {
        self.failing.insert(call, error);
        self
    }

    /// With `call` never completing (for time limits).
    pub fn hanging(mut self, call: Call) -> Sandbox {
        self.hanging.insert(call);
        self
    }

    /// Replaces the contact the next events are about.
    pub fn set_contact(&self, contact: Option<ContactProperties>) {
        *lock(&self.contact) = contact;
    }

    /// The effects so far, in order.
    pub fn effects(&self) -> Vec<Effect> {
        lock(&self.effects).clone()
    }

    /// The effects so far, leaving none.
    pub fn take_effects(&self) -> Vec<Effect> {
        std::mem::take(&mut *lock(&self.effects))
    }

    /// The fields of every record of `sobject` created so far, in order.
    pub fn created(&self, sobject: &str) -> Vec<Map<String, Value>> {
        lock(&self.effects)
            .iter()
            .filter_map(|e| match e {
                Effect::RecordCreated {
                    sobject: s, fields, ..
                } if s == sobject => Some(fields.clone()),
                _ => None,
            })
            .collect()
    }

    /// What the agent's console popped so far, in order.
    pub fn pops(&self) -> Vec<Pop> {
        lock(&self.effects)
            .iter()
            .filter_map(|e| match e {
                Effect::ScreenPop(p) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    /// The logged-in agent.
    pub fn agent(&self) -> &AgentInfo {
        &self.agent
    }

    /// The org, to look at records.
    pub fn org(&self) -> MutexGuard<'_, Org> {
        lock(&self.org)
    }

    /// The agent-local property `key`.
    pub fn property(&self, key: &str) -> Option<Value> {
        lock(&self.store).get(key).cloned()
    }

    fn record(&self, effect: Effect) {
        lock(&self.effects).push(effect);
    }

    async fn enter(&self, call: Call) -> BlockResult<()> {
        if self.hanging.contains(&call) {
            std::future::pending::<()>().await;
        }
        match self.failing.get(&call) {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn contact(&self) -> BlockResult<ContactProperties> {
        lock(&self.contact)
            .clone()
            .ok_or_else(BlockError::no_contact)
    }

    fn create(&self, sobject: &str, fields: Map<String, Value>) -> String {
        let id = lock(&self.org).insert(sobject, Value::Object(fields.clone()));
        self.record(Effect::RecordCreated {
            sobject: sobject.to_owned(),
            id: id.clone(),
            fields,
        });
        id
    }
}

impl Contact for Sandbox {
    async fn properties(&self) -> BlockResult<ContactProperties> {
        self.enter(Call::Properties).await?;
        self.contact()
    }

    async fn attribute(&self, name: &str) -> BlockResult<Option<String>> {
        self.enter(Call::Attribute).await?;
        let contact = self.contact()?;
        Ok(contact.attributes.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
    }

    async fn update_attributes(&self, attributes: Fields) -> BlockResult<()> {
        self.enter(Call::UpdateAttributes).await?;
        let mut guard = lock(&self.contact);
        let contact = guard.as_mut().ok_or_else(BlockError::no_contact)?;
        contact.attributes.extend(text_fields(&attributes));
        drop(guard);
        self.record(Effect::AttributesUpdated { attributes });
        Ok(())
    }
}

impl Agent for Sandbox {
    async fn info(&self) -> BlockResult<AgentInfo> {
        self.enter(Call::AgentInfo).await?;
        Ok(self.agent.clone())
    }

    async fn dial(&self, request: DialRequest) -> BlockResult<()> {
        self.enter(Call::Dial).await?;
        self.record(Effect::Dialed {
            number: request.phone_number,
            queue_arn: request.queue_arn,
        });
        Ok(())
    }
}

impl Salesforce for Sandbox {
    async fn save_record(&self, request: SaveRequest) -> BlockResult<String> {
        self.enter(Call::SaveRecord).await?;
        let fields = text_fields(&request.field_values);
        match (request.record_id, request.entity_type) {
            (Some(id), _) => {
                if !lock(&self.org).update(&id, fields.clone()) {
                    // As Salesforce answers a PATCH to an unknown id.
                    return Err(BlockError::not_found(format!("no record `{id}` to update"))
                        .with_code("NOT_FOUND"));
                }
                self.record(Effect::RecordUpdated {
                    id: id.clone(),
                    fields,
                });
                Ok(id)
            }
            (None, Some(entity)) => Ok(self.create(&entity, fields)),
            (None, None) => Err(BlockError::invalid("creating a record needs an sObject")),
        }
    }

    async fn create_task(&self, request: TaskRequest) -> BlockResult<String> {
        self.enter(Call::CreateTask).await?;
        let mut fields = text_fields(&request.other_fields);
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                fields.insert(key.to_owned(), v);
            }
        };
        let text = |s: Option<String>| s.map(Value::String);
        put("Subject", text(Some(request.subject)));
        put("CallObject", text(request.call_object));
        put("Type", text(Some(request.r#type)));
        put("Status", text(Some(request.status)));
        put("Priority", text(Some(request.priority)));
        put("IsClosed", Some(Value::Bool(request.is_closed)));
        put("TaskSubtype", text(request.task_subtype));
        put("WhoId", text(request.who_id));
        put("WhatId", text(request.what_id));
        put("CallDisposition", text(request.call_disposition));
        put(
            "CallDurationInSeconds",
            request.call_duration_in_seconds.map(Value::from),
        );
        put("ActivityDate", text(request.activity_date));
        put(
            "CallType",
            Some(Value::String(request.call_type.picklist().to_owned())),
        );
        Ok(self.create("Task", fields))
    }

    async fn retrieve(&self, request: RetrieveRequest) -> BlockResult<Map<String, Value>> {
        self.enter(Call::Retrieve).await?;
        let org = lock(&self.org);
        let record = org
            .get(&request.id)
            .filter(|r| r.sobject == request.sobject)
            .ok_or_else(|| {
                BlockError::not_found(format!("no {} `{}`", request.sobject, request.id))
            })?;
        Ok(request
            .fields
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    record.fields.get(f).cloned().unwrap_or(Value::Null),
                )
            })
            .collect())
    }

    async fn contact_id_by_phone(&self, phone: &str, field: &str) -> BlockResult<Option<String>> {
        self.enter(Call::ContactIdByPhone).await?;
        let org = lock(&self.org);
        Ok(org
            .find_by_phone("Contact", field, phone)
            .and_then(|r| r.text("Id"))
            .map(str::to_owned))
    }

    async fn lead_id_by_phone(&self, phone: &str) -> BlockResult<Option<String>> {
        self.enter(Call::LeadIdByPhone).await?;
        let org = lock(&self.org);
        let lead = ["Phone", "MobilePhone"]
            .iter()
            .find_map(|field| org.find_by_phone("Lead", field, phone));
        Ok(lead.and_then(|r| r.text("Id")).map(str::to_owned))
    }
}

impl Console for Sandbox {
    async fn search_and_screenpop(&self, request: SearchRequest) -> BlockResult<ScreenpopResult> {
        self.enter(Call::SearchAndScreenpop).await?;
        let (pop, result) = {
            let org = lock(&self.org);
            let matches = org.search(&self.layout, &request.search_params);
            match matches.as_slice() {
                [] => (
                    Pop::NewRecord {
                        entity: self.layout.first().cloned().unwrap_or_default(),
                        defaults: request.default_field_values,
                    },
                    ScreenpopResult::default(),
                ),
                [one] => {
                    let id = one.text("Id").unwrap_or_default().to_owned();
                    (
                        Pop::Record { id: id.clone() },
                        ScreenpopResult {
                            id: Some(id),
                            name: one.name(),
                            record_type: Some(one.sobject.clone()),
                            exact_match: true,
                            record_count: 1.0,
                        },
                    )
                }
                many => (
                    Pop::Search {
                        search: request.search_params.clone(),
                        matches: many.len(),
                    },
                    ScreenpopResult {
                        record_count: many.len() as f64,
                        ..ScreenpopResult::default()
                    },
                ),
            }
        };
        if !request.deferred {
            self.record(Effect::ScreenPop(pop));
        }
        Ok(result)
    }

    async fn screenpop_object(&self, record_id: &str) -> BlockResult<()> {
        self.enter(Call::ScreenpopObject).await?;
        self.record(Effect::ScreenPop(Pop::Record {
            id: record_id.to_owned(),
        }));
        Ok(())
    }

    async fn screenpop_search(&self, search: &str) -> BlockResult<()> {
        self.enter(Call::ScreenpopSearch).await?;
        let all: Vec<String> = ["Contact", "Lead", "Account", "Case", "Opportunity"]
            .map(String::from)
            .to_vec();
        let matches = lock(&self.org).search(&all, search).len();
        if matches == 0 {
            return Err(BlockError::not_found(format!("nothing matches `{search}`")));
        }
        self.record(Effect::ScreenPop(Pop::Search {
            search: search.to_owned(),
            matches,
        }));
        Ok(())
    }

    async fn screenpop_new_record(&self, entity: &str, defaults: Fields) -> BlockResult<()> {
        self.enter(Call::ScreenpopNewRecord).await?;
        self.record(Effect::ScreenPop(Pop::NewRecord {
            entity: entity.to_owned(),
            defaults,
        }));
        Ok(())
    }

    async fn complete_hvs_work(&self, request: HvsCompletion) -> BlockResult<()> {
        self.enter(Call::CompleteHvsWork).await?;
        self.record(Effect::HvsWorkCompleted {
            work_id: request.work_id,
            disposition: request.disposition,
            task_id: request.task_id,
        });
        Ok(())
    }

    async fn record_exists(&self, record_id: &str) -> BlockResult<bool> {
        Ok(lock(&self.org).get(record_id).is_some())
    }
}

impl Store for Sandbox {
    async fn get_property(&self, key: &str) -> BlockResult<Option<Value>> {
        self.enter(Call::GetProperty).await?;
        Ok(lock(&self.store).get(key).cloned())
    }

    async fn set_property(&self, key: &str, value: Option<Value>) -> BlockResult<()> {
        self.enter(Call::SetProperty).await?;
        {
            let mut store = lock(&self.store);
            match &value {
                Some(v) => store.insert(key.to_owned(), v.clone()),
                None => store.remove(key),
            };
        }
        self.record(Effect::PropertySet {
            key: key.to_owned(),
            value,
        });
        Ok(())
    }
}

/// Declared blocks answer what the sandbox was given for their type id
/// ([`Sandbox::with_extension`], a scenario's `extensions`), and record their arguments.
impl Extension for Sandbox {
    async fn call(&self, type_id: &str, args: Value) -> BlockResult<Value> {
        self.enter(Call::Extension).await?;
        let answer = self.extensions.get(type_id).cloned().ok_or_else(|| {
            BlockError::backend(format!(
                "the sandbox has no answer for the declared block `{type_id}`: give one in the \
                 scenario's `extensions` (type id → result)"
            ))
        })?;
        self.record(Effect::Extension {
            type_id: type_id.to_owned(),
            args,
        });
        Ok(answer)
    }
}

// The sandbox offers every capability to flows loaded at run time too.
crate::offer!(Sandbox: Contact, Agent, Salesforce, Console, Store, Extension);
