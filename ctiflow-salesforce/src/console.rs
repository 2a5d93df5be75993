//! The [`Console`] capability for flows that run away from the agent's browser: searches run
//! on the REST API, and each screen pop (and High Velocity Sales completion) is published as a
//! Platform Event for a small Lightning component in the agent's console to act on.
//!
//! The event (API name configurable, `CTI_Screen_Pop__e` by default) has these text fields,
//! empty ones left out:
//!
//! | field | set for | value |
//! |---|---|---|
//! | `Kind__c` | all | `record`, `search`, `new_record` or `hvs_complete` |
//! | `Agent__c` | all, when configured | whose console should act (a user id or username) |
//! | `Record_Id__c` | `record` | the record to open |
//! | `Search__c` | `search` | the search text |
//! | `Matches__c` | `search` | how many records matched (a number field) |
//! | `Entity__c` | `new_record` | the sObject of the new-record form |
//! | `Defaults__c` | `new_record` | its default field values, a JSON object as text |
//! | `Work_Id__c`, `Disposition__c`, `Task_Id__c` | `hvs_complete` | the work item, its disposition, the Task saved |
//!
//! A host that offers no `Console` cannot run a flow that pops: a compiled flow's `Backend`
//! bound then does not hold (a type error), and a loaded flow fails to load
//! (`missing_capability`).

use std::sync::Arc;

use ctiflow_runtime::types::{Fields, HvsCompletion, ScreenpopResult, SearchRequest};
use ctiflow_runtime::{BlockError, BlockResult, Console};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::data::field_ignoring_case;
use crate::escape::{self, soql_literal, sosl_phrase};

/// An object of the softphone layout: searched by Search And Screenpop, and shown by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutObject {
    /// Its API name.
    pub sobject: String,
    /// The field shown as its name (`CaseNumber` for Cases).
    pub name_field: String,
}

impl LayoutObject {
    /// `sobject`, shown by `name_field`.
    pub fn new(sobject: &str, name_field: &str) -> LayoutObject {
        LayoutObject {
            sobject: sobject.to_owned(),
            name_field: name_field.to_owned(),
        }
    }
}

/// What the console searches and where it publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleConfig {
    /// The Platform Event's API name.
    pub event: String,
    /// The softphone layout's objects, in order; the first is the new-record form's object
    /// when nothing matches.
    pub layout: Vec<LayoutObject>,
    /// The objects Screenpop Search searches.
    pub search_objects: Vec<LayoutObject>,
    /// Whose console should act, written to every event's `Agent__c`.
    pub agent: Option<String>,
}

impl Default for ConsoleConfig {
    /// The adapter's default softphone layout: Contacts, Leads, Accounts, Cases; Screenpop
    /// Search over those and Opportunities.
    fn default() -> ConsoleConfig {
        let layout = vec![
            LayoutObject::new("Contact", "Name"),
            LayoutObject::new("Lead", "Name"),
            LayoutObject::new("Account", "Name"),
            LayoutObject::new("Case", "CaseNumber"),
        ];
        let mut search_objects = layout.clone();
        search_objects.push(LayoutObject::new("Opportunity", "Name"));
        ConsoleConfig {
            event: "CTI_Screen_Pop__e".to_owned(),
            layout,
            search_objects,
            agent: None,
        }
    }
}

/// The agent's console, reached through Platform Events.
#[derive(Clone, Debug)]
pub struct EventConsole {
    client: Arc<Client>,
    config: ConsoleConfig,
}

impl EventConsole {
    /// A console searching and publishing through `client`.
    pub fn new(client: Arc<Client>, config: ConsoleConfig) -> EventConsole {
        EventConsole { client, config }
    }

    /// The records of `objects` a SOSL search for `text` finds, with their name field.
    async fn search(
        &self,
        objects: &[LayoutObject],
        text: &str,
    ) -> BlockResult<Vec<Map<String, Value>>> {
        // SOSL needs two characters; nothing shorter is searched (or matched).
        if text.trim().chars().count() < 2 || objects.is_empty() {
            return Ok(Vec::new());
        }
        let mut returning = Vec::with_capacity(objects.len());
        for object in objects {
            let sobject = escape::name("sObject", &object.sobject)?;
            let name = escape::name("field", &object.name_field)?;
            returning.push(if name == "Id" {
                format!("{sobject}(Id)")
            } else {
                format!("{sobject}(Id, {name})")
            });
        }
        let sosl = format!(
            "FIND {} IN ALL FIELDS RETURNING {}",
            sosl_phrase(text.trim()),
            returning.join(", ")
        );
        Ok(self.client.search(&sosl).await?)
    }

    /// Publishes one event of `kind` with `fields`.
    async fn publish(&self, kind: &str, fields: Vec<(&str, Value)>) -> BlockResult<()> {
        let mut event = Map::new();
        event.insert("Kind__c".to_owned(), json!(kind));
        if let Some(agent) = &self.config.agent {
            event.insert("Agent__c".to_owned(), json!(agent));
        }
        for (name, value) in fields {
            event.insert(name.to_owned(), value);
        }
        let name = escape::name("Platform Event", &self.config.event)?;
        self.client.create(name, &event).await?;
        Ok(())
    }
}

/// A record's type, from `attributes.type`.
fn record_type(record: &Map<String, Value>) -> Option<String> {
    let attributes = record.get("attributes")?;
    attributes.get("type")?.as_str().map(str::to_owned)
}

fn text(record: &Map<String, Value>, field: &str) -> Option<String> {
    field_ignoring_case(record, field)?
        .as_str()
        .map(str::to_owned)
}

impl Console for EventConsole {
    async fn search_and_screenpop(&self, request: SearchRequest) -> BlockResult<ScreenpopResult> {
        let found = self
            .search(&self.config.layout, &request.search_params)
            .await?;
        let (kind, fields, result) = match found.as_slice() {
            [] => {
                let entity = self
                    .config
                    .layout
                    .first()
                    .map(|o| o.sobject.clone())
                    .unwrap_or_default();
                let defaults = serde_json::to_string(&request.default_field_values)
                    .map_err(|e| BlockError::invalid(e.to_string()))?;
                (
                    "new_record",
                    vec![
                        ("Entity__c", json!(entity)),
                        ("Defaults__c", json!(defaults)),
                    ],
                    ScreenpopResult::default(),
                )
            }
            [one] => {
                let id = text(one, "Id").unwrap_or_default();
                let sobject = record_type(one);
                let name_field = self
                    .config
                    .layout
                    .iter()
                    .find(|o| Some(&o.sobject) == sobject.as_ref())
                    .map_or("Name", |o| o.name_field.as_str());
                (
                    "record",
                    vec![("Record_Id__c", json!(id))],
                    ScreenpopResult {
                        id: Some(id),
                        name: text(one, name_field),
                        record_type: sobject,
                        exact_match: true,
                        record_count: 1.0,
                    },
                )
            }
            many => (
                "search",
                vec![
                    ("Search__c", json!(request.search_params)),
                    ("Matches__c", json!(many.len())),
                ],
                ScreenpopResult {
                    record_count: many.len() as f64,
                    ..ScreenpopResult::default()
                },
            ),
        };
        if !request.deferred {
            self.publish(kind, fields).await?;
        }
        Ok(result)
    }

    async fn screenpop_object(&self, record_id: &str) -> BlockResult<()> {
        self.publish("record", vec![("Record_Id__c", json!(record_id))])
            .await
    }

    async fn screenpop_search(&self, search: &str) -> BlockResult<()> {
        let matches = self
            .search(&self.config.search_objects, search)
            .await?
            .len();
        if matches == 0 {
            return Err(BlockError::not_found(format!("nothing matches `{search}`")));
        }
        self.publish(
            "search",
            vec![("Search__c", json!(search)), ("Matches__c", json!(matches))],
        )
        .await
    }

    async fn screenpop_new_record(&self, entity: &str, defaults: Fields) -> BlockResult<()> {
        let defaults =
            serde_json::to_string(&defaults).map_err(|e| BlockError::invalid(e.to_string()))?;
        self.publish(
            "new_record",
            vec![
                ("Entity__c", json!(entity)),
                ("Defaults__c", json!(defaults)),
            ],
        )
        .await
    }

    async fn complete_hvs_work(&self, request: HvsCompletion) -> BlockResult<()> {
        let mut fields = vec![
            ("Work_Id__c", json!(request.work_id)),
            ("Task_Id__c", json!(request.task_id)),
        ];
        if let Some(disposition) = request.disposition {
            fields.push(("Disposition__c", json!(disposition)));
        }
        self.publish("hvs_complete", fields).await
    }

    async fn record_exists(&self, record_id: &str) -> BlockResult<bool> {
        if !escape::is_record_id(record_id) {
            return Ok(false);
        }
        let Some(sobject) = self.client.sobject_of(record_id).await? else {
            return Ok(false);
        };
        let soql = format!(
            "SELECT Id FROM {} WHERE Id = {} LIMIT 1",
            escape::name("sObject", &sobject)?,
            soql_literal(record_id)
        );
        Ok(!self.client.query(&soql, 1).await?.is_empty())
    }
}

ctiflow_runtime::offer!(EventConsole: Console);
