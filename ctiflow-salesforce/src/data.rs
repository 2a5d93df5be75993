//! The [`Salesforce`] capability on the REST API: records, Tasks, retrieval and the lookups by
//! phone of Get Salesforce Contact Id and Get Salesforce Lead Id.

use std::sync::Arc;

use ctiflow_runtime::phone::same_number;
use ctiflow_runtime::types::{RetrieveRequest, SaveRequest, TaskRequest};
use ctiflow_runtime::{BlockError, BlockResult, Salesforce};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::escape::{self, sosl_phrase};

/// Salesforce data through the REST API: what the [`Salesforce`] capability asks of an org.
#[derive(Clone, Debug)]
pub struct SalesforceApi {
    client: Arc<Client>,
}

impl SalesforceApi {
    /// Data of the org `client` reaches.
    pub fn new(client: Arc<Client>) -> SalesforceApi {
        SalesforceApi { client }
    }

    /// The client, for its [`Client::api_usage`].
    pub fn client(&self) -> &Arc<Client> {
        &self.client
    }

    /// The id of the first record of `sobject` that a phone search for `phone` finds whose
    /// field in `fields` (tried in order) holds that number.
    async fn by_phone(
        &self,
        sobject: &str,
        fields: &[&str],
        phone: &str,
    ) -> BlockResult<Option<String>> {
        // Fewer than seven digits matches nothing (the sandbox's rule), and SOSL refuses
        // terms of one character: no request.
        if phone.chars().filter(char::is_ascii_digit).nth(6).is_none() {
            return Ok(None);
        }
        let mut returned = vec!["Id"];
        returned.extend(fields.iter().filter(|f| **f != "Id"));
        let sosl = format!(
            "FIND {} IN PHONE FIELDS RETURNING {sobject}({})",
            sosl_phrase(phone),
            returned.join(", ")
        );
        let found = self.client.search(&sosl).await?;
        // SOSL matches any phone field; the block asks for one (or, for Leads, two in
        // order), so the records are filtered here as the sandbox filters them.
        Ok(fields.iter().find_map(|field| {
            found.iter().find_map(|record| {
                let value = field_ignoring_case(record, field)?.as_str()?;
                same_number(value, phone)
                    .then(|| record.get("Id")?.as_str().map(str::to_owned))
                    .flatten()
            })
        }))
    }
}

/// A record's field: Salesforce answers with the field's own case, which the flow may not
/// have used.
pub(crate) fn field_ignoring_case<'a>(
    record: &'a Map<String, Value>,
    field: &str,
) -> Option<&'a Value> {
    record.get(field).or_else(|| {
        record
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(field))
            .map(|(_, value)| value)
    })
}

fn text_fields(fields: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    fields
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

/// The fields a Task is created with. `IsClosed` is not among them: Salesforce derives it
/// from `Status` and refuses it on insert (`INVALID_FIELD_FOR_INSERT_UPDATE`), so the block's
/// `isClosed` takes effect through the status the flow sets.
pub fn task_fields(request: TaskRequest) -> BlockResult<Map<String, Value>> {
    for field in request.other_fields.keys() {
        escape::name("field", field)?;
    }
    let mut fields = text_fields(request.other_fields);
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            fields.insert(key.to_owned(), value);
        }
    };
    put("Subject", Some(Value::String(request.subject)));
    put("CallObject", request.call_object.map(Value::String));
    put("Type", Some(Value::String(request.r#type)));
    put("Status", Some(Value::String(request.status)));
    put("Priority", Some(Value::String(request.priority)));
    put("TaskSubtype", request.task_subtype.map(Value::String));
    put("WhoId", request.who_id.map(Value::String));
    put("WhatId", request.what_id.map(Value::String));
    put(
        "CallDisposition",
        request.call_disposition.map(Value::String),
    );
    // An integer field: a JSON number, never text.
    put(
        "CallDurationInSeconds",
        request.call_duration_in_seconds.map(Value::from),
    );
    put("ActivityDate", request.activity_date.map(Value::String));
    put(
        "CallType",
        Some(Value::String(request.call_type.picklist().to_owned())),
    );
    Ok(fields)
}

impl Salesforce for SalesforceApi {
    async fn save_record(&self, request: SaveRequest) -> BlockResult<String> {
        for field in request.field_values.keys() {
            escape::name("field", field)?;
        }
        let fields = text_fields(request.field_values);
        match (request.record_id, request.entity_type) {
            (Some(id), entity) => {
                escape::record_id(&id)?;
                let sobject = match entity {
                    Some(entity) => entity,
                    None => self.client.sobject_of(&id).await?.ok_or_else(|| {
                        BlockError::not_found(format!("no sObject has ids like `{id}`"))
                            .with_code("NOT_FOUND")
                    })?,
                };
                self.client
                    .update(escape::name("sObject", &sobject)?, &id, &fields)
                    .await?;
                Ok(id)
            }
            (None, Some(entity)) => Ok(self
                .client
                .create(escape::name("sObject", &entity)?, &fields)
                .await?),
            (None, None) => Err(BlockError::invalid("creating a record needs an sObject")),
        }
    }

    async fn create_task(&self, request: TaskRequest) -> BlockResult<String> {
        let fields = task_fields(request)?;
        Ok(self.client.create("Task", &fields).await?)
    }

    async fn retrieve(&self, request: RetrieveRequest) -> BlockResult<Map<String, Value>> {
        let sobject = escape::name("sObject", &request.sobject)?;
        let id = escape::record_id(&request.id)?;
        let fields = request
            .fields
            .iter()
            .map(|f| escape::name("field", f))
            .collect::<Result<Vec<_>, _>>()?;
        let record = self.client.get(sobject, id, &fields).await?;
        Ok(request
            .fields
            .iter()
            .map(|f| {
                let value = field_ignoring_case(&record, f).cloned();
                (f.clone(), value.unwrap_or(Value::Null))
            })
            .collect())
    }

    async fn contact_id_by_phone(&self, phone: &str, field: &str) -> BlockResult<Option<String>> {
        self.by_phone("Contact", &[escape::name("field", field)?], phone)
            .await
    }

    async fn lead_id_by_phone(&self, phone: &str) -> BlockResult<Option<String>> {
        self.by_phone("Lead", &["Phone", "MobilePhone"], phone)
            .await
    }
}

ctiflow_runtime::offer!(SalesforceApi: Salesforce);
