//! Scenario files: the event, contact, agent, org, store, injected failures and limits a flow
//! runs against, and what the run must (and must not) do. The CLI (`ctiflow run`) reads them,
//! and Rust tests load the same files.
//!
//! ```json
//! {"cases": [{
//!   "name": "a caller with one open Case",
//!   "trigger": {"source": "VoiceContact", "event": "onConnecting"},
//!   "contact": {"channel": "voice", "phone": "+15550100002", "queue": "Support"},
//!   "org": {"Case": [{"Id": "5005g00000000001AAA", "SuppliedPhone": "(555) 010-0002"}]},
//!   "expect": {
//!     "outcome": "completed",
//!     "visited": ["task"],
//!     "effects": [{"effect": "screen_pop", "pop": "record", "id": "5005g00000000001AAA"}],
//!     "never": [{"effect": "dialed"}]
//!   }
//! }]}
//! ```
//!
//! Expected effects are patterns: each must match an effect of the run, in order, where a
//! pattern matches when every key it has is in the effect with a matching value (objects are
//! matched the same way, recursively; other values must be equal). The effects are written as
//! the run's JSON shows them ([`Effect`]).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::context::{EventContext, Payload};
use crate::error::BlockError;
use crate::run::{Limits, Outcome, Run};
use crate::sandbox::{Call, Effect, Org, Sandbox};
use crate::trigger::{Context, Record, Trigger};
use crate::types::{AgentInfo, ContactProperties};

/// A scenario file: named cases, and the flow they test.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenarios {
    /// The file's JSON Schema, for editors (`ctiflow schema scenario > scenario.schema.json`).
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
    /// The flow file the cases run, relative to the scenario file (`ctiflow test` reads it).
    #[serde(default)]
    pub flow: Option<String>,
    /// The flow's (source, event): the trigger it is checked against, and that of every case
    /// that gives none.
    #[serde(default)]
    pub trigger: Option<TriggerSpec>,
    /// The cases, each run on its own sandbox.
    pub cases: Vec<Case>,
}

/// One case: what the flow runs against, and what it must do. The default case is an event
/// with nothing: no contact, an empty org and store, the default limits, no expectations.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Case {
    /// Its name, unique in the file.
    pub name: String,
    /// The event's (source, event); the flow's own trigger when absent.
    #[serde(default)]
    pub trigger: Option<TriggerSpec>,
    /// The contact the event is about; none when absent.
    #[serde(default)]
    pub contact: Option<ContactSpec>,
    /// The logged-in agent; the sandbox's default agent when absent.
    #[serde(default)]
    pub agent: Option<AgentInfo>,
    /// The event's payload (typed payloads are checked against their trigger).
    #[serde(default)]
    pub payload: Option<Value>,
    /// The org's records by sObject; a record's `Id` is kept, else one is made.
    #[serde(default)]
    pub org: BTreeMap<String, Vec<Map<String, Value>>>,
    /// The agent-local store before the run.
    #[serde(default)]
    pub store: BTreeMap<String, Value>,
    /// Backend calls that fail, with the error message.
    #[serde(default)]
    pub failing: BTreeMap<Call, String>,
    /// Backend calls that never complete (the run times out at their block).
    #[serde(default)]
    pub hanging: Vec<Call>,
    /// What each declared block answers, by type id (its result fields as an object).
    #[serde(default)]
    pub extensions: BTreeMap<String, Value>,
    /// Limits; the defaults (60 s, 10,000 steps) when absent.
    #[serde(default)]
    pub limits: Option<LimitsSpec>,
    /// What the run must do.
    #[serde(default)]
    pub expect: Expect,
}

/// A (source, event), by the names `ctiflow check` takes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerSpec {
    /// `VoiceContact`, or the designer's label.
    pub source: String,
    /// `onConnecting`; absent for CTI Actions.
    #[serde(default)]
    pub event: Option<String>,
}

/// The kind of contact.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A voice call.
    Voice,
    /// A queued callback.
    Callback,
    /// A chat.
    Chat,
    /// A task.
    Task,
}

/// A contact, described as its channel, number and queue.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContactSpec {
    /// Voice, callback, chat or task.
    pub channel: Channel,
    /// Its id (`contact-1` when absent).
    #[serde(default)]
    pub contact_id: Option<String>,
    /// The customer's number (voice and callbacks).
    #[serde(default)]
    pub phone: Option<String>,
    /// The country the number is read in (`US` when absent).
    #[serde(default)]
    pub country: Option<String>,
    /// The queue's name.
    #[serde(default)]
    pub queue: Option<String>,
    /// Contact attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Milliseconds in the current state.
    #[serde(default)]
    pub status_duration: Option<f64>,
}

/// Limits of a case.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitsSpec {
    /// The most blocks the run executes.
    #[serde(default)]
    pub steps: Option<usize>,
    /// The time limit, in milliseconds.
    #[serde(default)]
    pub time_ms: Option<u64>,
}

/// How a run must end.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedOutcome {
    /// It completed.
    Completed,
    /// It failed.
    Failed,
    /// It timed out.
    TimedOut,
    /// It hit the step limit.
    StepLimit,
}

/// What a run must (and must not) do. Everything is optional.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expect {
    /// How it ends.
    #[serde(default)]
    pub outcome: Option<ExpectedOutcome>,
    /// The block it ends at.
    #[serde(default)]
    pub at: Option<String>,
    /// Blocks it runs.
    #[serde(default)]
    pub visited: Vec<String>,
    /// Blocks it never runs.
    #[serde(default)]
    pub not_visited: Vec<String>,
    /// Ports taken: block → a port it leaves through at least once.
    #[serde(default)]
    pub ports: BTreeMap<String, String>,
    /// Effects that happen, in this order (patterns; others may happen in between).
    #[serde(default)]
    pub effects: Vec<Value>,
    /// Effects that never happen (patterns).
    #[serde(default)]
    pub never: Vec<Value>,
}

/// A scenario file that cannot be used: where (a JSON pointer, or the line and column for
/// syntax and type errors) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The JSON pointer of the offending value (`/cases/0/trigger/event`), when known.
    pub pointer: Option<String>,
    /// Line and column (1-based), when serde reported them.
    pub line_column: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.line_column, &self.pointer) {
            (Some((line, column)), _) => write!(f, "{line}:{column}: {}", self.message),
            (None, Some(pointer)) => write!(f, "at {pointer}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

fn at(pointer: String, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        pointer: Some(pointer),
        line_column: None,
        message: message.into(),
    }
}

impl Scenarios {
    /// Reads a scenario file, checking it whole: unknown keys, wrong types, duplicate case
    /// names, unknown triggers, duplicate or malformed record ids, a payload of the wrong shape.
    pub fn parse(text: &str) -> Result<Scenarios, ScenarioError> {
        let scenarios: Scenarios = serde_json::from_str(text).map_err(|e| ScenarioError {
            pointer: None,
            line_column: (e.line() > 0).then(|| (e.line(), e.column())),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        })?;
        if let Some(spec) = &scenarios.trigger {
            spec.trigger().map_err(|e| at("/trigger".to_owned(), e))?;
        }
        let mut names = BTreeMap::new();
        for (i, case) in scenarios.cases.iter().enumerate() {
            if let Some(first) = names.insert(case.name.as_str(), i) {
                return Err(at(
                    format!("/cases/{i}/name"),
                    format!(
                        "case `{}` is also case {first}; names must be unique",
                        case.name
                    ),
                ));
            }
            case.validate(&format!("/cases/{i}"))?;
        }
        Ok(scenarios)
    }

    /// The case named `name`.
    pub fn case(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.name == name)
    }

    /// The file's trigger, if it gives one.
    pub fn trigger(&self) -> Option<Trigger> {
        self.trigger.as_ref().and_then(|t| t.trigger().ok())
    }
}

impl TriggerSpec {
    /// The trigger it names.
    pub fn trigger(&self) -> Result<Trigger, String> {
        Trigger::parse(&self.source, self.event.as_deref()).map_err(|e| e.to_string())
    }
}

impl Case {
    fn validate(&self, pointer: &str) -> Result<(), ScenarioError> {
        if let Some(spec) = &self.trigger {
            let trigger = spec
                .trigger()
                .map_err(|e| at(format!("{pointer}/trigger"), e))?;
            self.payload(trigger)
                .map_err(|e| at(format!("{pointer}/payload"), e))?;
        }
        let mut ids = BTreeMap::new();
        for (sobject, records) in &self.org {
            if crate::blocks::check_name("sObject", sobject).is_err() {
                return Err(at(
                    format!("{pointer}/org/{sobject}"),
                    format!("`{sobject}` is not an sObject name"),
                ));
            }
            for (i, record) in records.iter().enumerate() {
                let here = format!("{pointer}/org/{sobject}/{i}/Id");
                match record.get("Id") {
                    None => {}
                    Some(Value::String(id)) if is_record_id(id) && ids.contains_key(id) => {
                        return Err(at(here, format!("record id `{id}` is given twice")));
                    }
                    Some(Value::String(id)) if is_record_id(id) => {
                        ids.insert(id.clone(), here);
                    }
                    Some(other) => {
                        return Err(at(
                            here,
                            format!("{other} is not a Salesforce id (15 or 18 letters and digits)"),
                        ));
                    }
                }
            }
        }
        if let Some(LimitsSpec { steps: Some(0), .. }) = self.limits {
            return Err(at(
                format!("{pointer}/limits/steps"),
                "a run needs at least one step",
            ));
        }
        for (i, pattern) in self
            .expect
            .effects
            .iter()
            .chain(&self.expect.never)
            .enumerate()
        {
            let list = if i < self.expect.effects.len() {
                "effects"
            } else {
                "never"
            };
            let index = if i < self.expect.effects.len() {
                i
            } else {
                i - self.expect.effects.len()
            };
            let here = format!("{pointer}/expect/{list}/{index}");
            let Some(kind) = pattern.get("effect").and_then(Value::as_str) else {
                return Err(at(
                    here,
                    "an effect pattern needs an `effect`: screen_pop, dialed, attributes_updated, \
                     record_created, record_updated, hvs_work_completed, property_set or \
                     extension",
                ));
            };
            if !EFFECTS.contains(&kind) {
                return Err(at(
                    here,
                    format!(
                        "`{kind}` is not an effect; expected one of {}",
                        EFFECTS.join(", ")
                    ),
                ));
            }
            // A pop of a record the org does not hold can never happen: name it now.
            if let (Some("screen_pop"), Some("record"), Some(Value::String(id))) = (
                Some(kind),
                pattern.get("pop").and_then(Value::as_str),
                pattern.get("id"),
            ) && !ids.contains_key(id)
            {
                return Err(at(
                    format!("{here}/id"),
                    format!("record `{id}` is not in the case's org; give it an `Id` there"),
                ));
            }
        }
        Ok(())
    }

    /// The trigger the case runs with: its own, else `default` (the flow's).
    pub fn trigger_or(&self, default: Option<Trigger>) -> Result<Trigger, String> {
        match (&self.trigger, default) {
            (Some(spec), _) => spec.trigger(),
            (None, Some(trigger)) => Ok(trigger),
            (None, None) => Err(format!(
                "case `{}` has no trigger, and the flow has none: give it a `trigger`",
                self.name
            )),
        }
    }

    /// The event's payload for `trigger`.
    pub fn payload(&self, trigger: Trigger) -> Result<Payload, String> {
        let Some(value) = &self.payload else {
            return Ok(Payload::None);
        };
        let typed = |e: serde_json::Error| format!("not the payload of {trigger}: {e}");
        Ok(match Context::of(Some(trigger)).payload.record() {
            Some(Record::ClickToDial) => {
                Payload::ClickToDial(serde_json::from_value(value.clone()).map_err(typed)?)
            }
            Some(Record::HvsWorkStart) => {
                Payload::HvsWorkStart(serde_json::from_value(value.clone()).map_err(typed)?)
            }
            Some(Record::ChatMessage) => {
                Payload::ChatMessage(serde_json::from_value(value.clone()).map_err(typed)?)
            }
            None => Payload::Json(value.clone()),
        })
    }

    /// The sandbox the case describes.
    pub fn sandbox(&self) -> Sandbox {
        let mut org = Org::new();
        for (sobject, records) in &self.org {
            for record in records {
                org.insert(sobject, Value::Object(record.clone()));
            }
        }
        let mut sandbox = Sandbox::new().with_org(org);
        if let Some(contact) = &self.contact {
            sandbox = sandbox.with_contact(contact.properties());
        }
        if let Some(agent) = &self.agent {
            sandbox = sandbox.with_agent(agent.clone());
        }
        for (key, value) in &self.store {
            sandbox = sandbox.with_property(key, value.clone());
        }
        for (call, message) in &self.failing {
            sandbox = sandbox.failing(*call, BlockError::backend(message.clone()));
        }
        for call in &self.hanging {
            sandbox = sandbox.hanging(*call);
        }
        for (type_id, answer) in &self.extensions {
            sandbox = sandbox.with_extension(type_id, answer.clone());
        }
        sandbox
    }

    /// The event, for `trigger`.
    pub fn event(&self, trigger: Trigger) -> Result<EventContext, String> {
        Ok(EventContext::new(trigger).with_payload(self.payload(trigger)?))
    }

    /// The limits of the case.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(spec) = self.limits {
            if let Some(steps) = spec.steps {
                limits = limits.with_steps(steps);
            }
            if let Some(ms) = spec.time_ms {
                limits = limits.with_time(Duration::from_millis(ms));
            }
        }
        limits
    }
}

/// The effects a pattern can name, as [`Effect`] serialises them.
pub const EFFECTS: &[&str] = &[
    "screen_pop",
    "dialed",
    "attributes_updated",
    "record_created",
    "record_updated",
    "hvs_work_completed",
    "property_set",
    "extension",
];

/// Salesforce record ids: 15 or 18 ASCII letters and digits.
fn is_record_id(id: &str) -> bool {
    matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl ContactSpec {
    /// The contact's properties.
    pub fn properties(&self) -> ContactProperties {
        let id = self.contact_id.as_deref().unwrap_or("contact-1");
        let queue = self.queue.as_deref().unwrap_or("");
        let phone = self.phone.as_deref().unwrap_or("");
        let country = self.country.as_deref().unwrap_or("US");
        let mut contact = match self.channel {
            Channel::Voice => ContactProperties::voice(id, phone, country, queue),
            Channel::Callback => ContactProperties::callback(id, phone, country, queue),
            Channel::Chat => ContactProperties::chat(id, queue),
            Channel::Task => ContactProperties::task(id, queue),
        };
        for (name, value) in &self.attributes {
            contact = contact.with_attribute(name, value);
        }
        if let Some(duration) = self.status_duration {
            contact.status_duration = duration;
        }
        contact
    }
}

/// An expectation a run did not meet: which, what happened instead, and where the run was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The expectation (`outcome`, `visited[1]`, `effects[0]`...).
    pub expectation: String,
    /// What it asked for and what happened instead.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.expectation, self.message)
    }
}

impl Expect {
    /// Every expectation `run` (and the `effects` it left) does not meet.
    pub fn check<R>(&self, run: &Run<R>, effects: &[Effect]) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let mut miss = |expectation: String, message: String| {
            out.push(Mismatch {
                expectation,
                message,
            })
        };
        let ended = &run.outcome;
        if let Some(want) = self.outcome {
            let got = match run.outcome {
                Outcome::Completed { .. } => ExpectedOutcome::Completed,
                Outcome::Failed { .. } => ExpectedOutcome::Failed,
                Outcome::TimedOut { .. } => ExpectedOutcome::TimedOut,
                Outcome::StepLimit { .. } => ExpectedOutcome::StepLimit,
            };
            if got != want {
                miss(
                    "outcome".into(),
                    format!("expected {want:?}, but the run {ended}"),
                );
            }
        }
        if let Some(block) = &self.at
            && run.outcome.block() != block
        {
            miss(
                "at".into(),
                format!("expected the run to end at `{block}`, but it {ended}"),
            );
        }
        let visited = |id: &str| run.trace.iter().any(|s| s.block == id);
        for (i, block) in self.visited.iter().enumerate() {
            if !visited(block) {
                miss(
                    format!("visited[{i}]"),
                    format!(
                        "block `{block}` never ran; the run took {} and {ended}",
                        path(run)
                    ),
                );
            }
        }
        for (i, block) in self.not_visited.iter().enumerate() {
            if let Some(step) = run.trace.iter().position(|s| s.block == block.as_str()) {
                miss(
                    format!("notVisited[{i}]"),
                    format!("block `{block}` ran (step {})", step + 1),
                );
            }
        }
        for (block, port) in &self.ports {
            let taken: Vec<&str> = run
                .trace
                .iter()
                .filter(|s| s.block == block.as_str())
                .filter_map(|s| s.port)
                .collect();
            if !taken.contains(&port.as_str()) {
                let instead = if taken.is_empty() {
                    "it never left through a port".to_owned()
                } else {
                    format!("it took {}", taken.join(", "))
                };
                miss(
                    format!("ports.{block}"),
                    format!("expected `{block}` to take `{port}`, but {instead}"),
                );
            }
        }
        let actual: Vec<Value> = effects
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
            .collect();
        let mut from = 0;
        for (i, pattern) in self.effects.iter().enumerate() {
            match actual[from..].iter().position(|e| matches(pattern, e)) {
                Some(found) => from += found + 1,
                None => miss(
                    format!("effects[{i}]"),
                    format!(
                        "{pattern} did not happen{}; the run {ended}; its effects: {}",
                        if from > 0 {
                            " after the effects matched before it"
                        } else {
                            ""
                        },
                        list(&actual)
                    ),
                ),
            }
        }
        for (i, pattern) in self.never.iter().enumerate() {
            if let Some(effect) = actual.iter().find(|e| matches(pattern, e)) {
                miss(
                    format!("never[{i}]"),
                    format!("{effect} happened; the run {ended}"),
                );
            }
        }
        out
    }
}

/// The JSON Schema of scenario files, for editors (`ctiflow schema scenario`).
#[cfg(feature = "schema")]
pub fn schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Scenarios)).unwrap_or(Value::Null)
}

/// Whether `actual` has every key of `pattern` with a matching value.
pub fn matches(pattern: &Value, actual: &Value) -> bool {
    match (pattern, actual) {
        (Value::Object(want), Value::Object(got)) => want
            .iter()
            .all(|(k, v)| got.get(k).is_some_and(|g| matches(v, g))),
        _ => pattern == actual,
    }
}

fn path<R>(run: &Run<R>) -> String {
    let steps: Vec<String> = run
        .trace
        .iter()
        .map(|s| match s.port {
            Some(port) => format!("{}→{port}", s.block),
            None => s.block.to_string(),
        })
        .collect();
    if steps.is_empty() {
        "no step".to_owned()
    } else {
        steps.join(" ")
    }
}

fn list(effects: &[Value]) -> String {
    if effects.is_empty() {
        "none".to_owned()
    } else {
        effects
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(text: &str) -> String {
        Scenarios::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn patterns_match_subsets_recursively() {
        let effect = json!({"effect": "record_created", "sobject": "Task",
                            "fields": {"Subject": "s", "Status": "Completed"}});
        assert!(matches(&json!({"effect": "record_created"}), &effect));
        assert!(matches(&json!({"fields": {"Subject": "s"}}), &effect));
        assert!(!matches(&json!({"fields": {"Subject": "t"}}), &effect));
        assert!(!matches(&json!({"owner": "x"}), &effect));
    }

    #[test]
    fn bad_files_say_where_and_why() {
        assert_eq!(
            error(r#"{"cases": [{"name": "a"}, {"name": "a"}]}"#),
            "at /cases/1/name: case `a` is also case 0; names must be unique"
        );
        assert_eq!(
            error(r#"{"cases": [{"name": "a", "trigger": {"source": "Voice"}}]}"#)
                .split(';')
                .next()
                .unwrap(),
            "at /cases/0/trigger: unknown source `Voice`"
        );
        assert_eq!(
            error(r#"{"cases": [{"name": "a", "expect": {"never": [{"effect": "popped"}]}}]}"#)
                .split(';')
                .next()
                .unwrap(),
            "at /cases/0/expect/never/0: `popped` is not an effect"
        );
        assert_eq!(
            error(
                r#"{"cases": [{"name": "a", "expect": {"effects": [
                {"effect": "screen_pop", "pop": "record", "id": "5005g0000000001AAA"}]}}]}"#
            ),
            "at /cases/0/expect/effects/0/id: record `5005g0000000001AAA` is not in the case's \
             org; give it an `Id` there"
        );
        assert_eq!(
            error(r#"{"cases": [{"name": "a", "hanging": ["Sleep"]}]}"#),
            "1:44: unknown variant `Sleep`, expected one of `Properties`, `Attribute`, \
             `UpdateAttributes`, `AgentInfo`, `Dial`, `SaveRecord`, `CreateTask`, `Retrieve`, \
             `ContactIdByPhone`, `LeadIdByPhone`, `SearchAndScreenpop`, `ScreenpopObject`, \
             `ScreenpopSearch`, `ScreenpopNewRecord`, `CompleteHvsWork`, `GetProperty`, \
             `SetProperty`, `Extension`"
        );
    }

    #[test]
    fn a_case_builds_its_sandbox_and_event() {
        let scenarios = Scenarios::parse(
            r#"{"cases": [{"name": "click",
                "trigger": {"source": "SalesforceUi", "event": "onClickToDial"},
                "payload": {"number": "555", "recordId": "001", "recordName": "A",
                            "objectType": "Account", "personAccount": false},
                "org": {"Account": [{"Id": "0015g0000000001AAA", "Name": "Acme"}]},
                "store": {"k": 1},
                "limits": {"steps": 7}}]}"#,
        )
        .unwrap();
        let case = &scenarios.cases[0];
        let trigger = case.trigger_or(None).unwrap();
        assert!(case.event(trigger).unwrap().payload.click_to_dial().is_ok());
        let sandbox = case.sandbox();
        assert!(sandbox.org().get("0015g0000000001AAA").is_some());
        assert_eq!(sandbox.property("k"), Some(json!(1)));
        assert!(sandbox.effects().is_empty());
        assert_eq!(case.limits().steps, 7);
        let wrong = Scenarios::parse(
            r#"{"cases": [{"name": "x",
                "trigger": {"source": "SalesforceUi", "event": "onClickToDial"},
                "payload": {"number": 5}}]}"#,
        )
        .unwrap_err();
        assert_eq!(wrong.pointer.as_deref(), Some("/cases/0/payload"));
    }
}
