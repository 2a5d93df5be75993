//! Sandbox scenarios for the differential test: the backends, event and limits a generated flow
//! runs against, and a deterministic JSON view of what a run did.
//!
//! This file depends only on the `ctiflow` facade and `serde_json`: it is compiled by the tests
//! of this repository (`#[path = "differential/scenario.rs"] mod scenario;`) and also inside
//! the nested crate that compiles the generated flows, so that both sides of the comparison
//! build the very same sandboxes.
//!
//! Everything is a function of `(scenario, seed)` or `(trigger, seed)`: no clocks, no hash
//! maps, no global state. Time limits use [`InstantTimer`], so a hanging backend call times
//! out the moment it waits, and nothing else ever does.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use ctiflow::context::{ChatMessage, ClickToDial, HvsWorkStart};
use ctiflow::sandbox::{Call, Effect, Org, Sandbox};
use ctiflow::timer::{Sleep, Timer};
use ctiflow::types::{AgentInfo, ContactProperties};
use ctiflow::{BlockError, Event, EventContext, Limits, Payload, Run, Source, Store, Trigger};
use serde_json::{Map, Value, json};

/// What the backends hold and how they behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// Nothing in the org matches the caller's number or the names flows search for: searches
    /// find no record, phone look-ups and Screenpop Search fail with "not found".
    NoMatch,
    /// Exactly one record matches each search (the caller's Contact, the Account "Acme"...).
    OneMatch,
    /// Several records match each search: Search And Screenpop pops a search page.
    SeveralMatches,
    /// As [`Scenario::OneMatch`], but the event has no contact: meaningful for triggers whose
    /// contact is "maybe" (Salesforce UI, CTI Action), where contact blocks then fail.
    NoContact,
    /// Backend calls chosen by the seed (at least one) fail with a backend error.
    Failing,
    /// Backend calls chosen by the seed (at least one) never complete: the first block that
    /// makes one times out.
    Hanging,
    /// As [`Scenario::OneMatch`], with a step limit of [`LOW_STEP_LIMIT`] blocks.
    StepLimit,
}

impl Scenario {
    /// Every scenario.
    pub const ALL: &[Scenario] = &[
        Scenario::NoMatch,
        Scenario::OneMatch,
        Scenario::SeveralMatches,
        Scenario::NoContact,
        Scenario::Failing,
        Scenario::Hanging,
        Scenario::StepLimit,
    ];

    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            Scenario::NoMatch => "no_match",
            Scenario::OneMatch => "one_match",
            Scenario::SeveralMatches => "several_matches",
            Scenario::NoContact => "no_contact",
            Scenario::Failing => "failing",
            Scenario::Hanging => "hanging",
            Scenario::StepLimit => "step_limit",
        }
    }
}

/// The step limit of every scenario but [`Scenario::StepLimit`]: generous for acyclic flows of
/// 25 blocks, and small enough that cycles end quickly.
pub const STEP_LIMIT: usize = 100;
/// The step limit of [`Scenario::StepLimit`].
pub const LOW_STEP_LIMIT: usize = 3;

/// Keys of Set/Get Property the generator uses; some are preset, all are observed.
pub const PROPERTY_KEYS: &[&str] = &["lastCaller", "hvsWorkId", "counter", "日本語キー", "k"];

/// The sObjects of the first records of every org, in insertion order: record `n` has the id
/// `Org` gives the `n`th record, which the generator writes as literal record ids.
pub const ORG_ORDER: &[&str] = &["Contact", "Account", "Case", "Lead"];

/// sObjects whose records [`observe`] reports (besides any a run created).
pub const SOBJECTS: &[&str] = &[
    "Account",
    "Case",
    "Contact",
    "Custom__c",
    "Lead",
    "Opportunity",
    "Task",
];

/// The caller's number, as the contact's endpoint and payloads give it.
pub const CALLER: &str = "+15551234567";

/// Every backend call, for injecting failures and hangs.
const CALLS: &[Call] = &[
    Call::Properties,
    Call::Attribute,
    Call::UpdateAttributes,
    Call::AgentInfo,
    Call::Dial,
    Call::SaveRecord,
    Call::CreateTask,
    Call::Retrieve,
    Call::ContactIdByPhone,
    Call::LeadIdByPhone,
    Call::SearchAndScreenpop,
    Call::ScreenpopObject,
    Call::ScreenpopSearch,
    Call::ScreenpopNewRecord,
    Call::CompleteHvsWork,
    Call::GetProperty,
    Call::SetProperty,
    Call::Extension,
];

/// The backends of `scenario`; `seed` varies the contact, the agent, preset properties and
/// which calls fail or hang.
pub fn sandbox(scenario: Scenario, seed: u64) -> Sandbox {
    let mut rng = Rng::new(seed ^ (scenario as u64).wrapping_mul(0x9E37_79B9));
    let matches = match scenario {
        Scenario::NoMatch => Matches::None,
        Scenario::SeveralMatches => Matches::Several,
        Scenario::Failing | Scenario::Hanging => {
            *rng.pick(&[Matches::None, Matches::One, Matches::Several])
        }
        _ => Matches::One,
    };
    let mut sandbox = Sandbox::new()
        .with_org(org(matches))
        .with_agent(agent(&mut rng));
    if scenario != Scenario::NoContact {
        sandbox = sandbox.with_contact(contact(&mut rng));
    }
    let presets = [
        ("lastCaller", json!(CALLER)),
        ("counter", json!(3)),
        ("日本語キー", json!({"a": [1, "two"]})),
        ("k", json!(false)),
    ];
    for (key, value) in presets {
        if rng.chance(0.4) {
            now(Store::set_property(&sandbox, key, Some(value)))
                .expect("the sandbox stores properties");
        }
    }
    // The presets are the state before the run, not its effects.
    sandbox.take_effects();
    for (type_id, answer) in extension_answers(&mut rng) {
        sandbox = sandbox.with_extension(type_id, answer);
    }
    let chosen = |rng: &mut Rng, p: f64| -> Vec<Call> {
        let mut calls: Vec<Call> = CALLS.iter().copied().filter(|_| rng.chance(p)).collect();
        if calls.is_empty() {
            calls.push(*rng.pick(CALLS));
        }
        calls
    };
    match scenario {
        Scenario::Failing => {
            for call in chosen(&mut rng, 0.4) {
                let error = BlockError::backend(format!("injected failure of {call:?}"));
                sandbox = sandbox.failing(call, error);
            }
        }
        Scenario::Hanging => {
            for call in chosen(&mut rng, 0.3) {
                sandbox = sandbox.hanging(call);
            }
        }
        _ => {}
    }
    sandbox
}

/// What the declared blocks of the generator answer: valid answers of every shape (optional
/// fields present, absent or `null`), answers that break the declaration, and sometimes no
/// answer (the block fails).
fn extension_answers(rng: &mut Rng) -> Vec<(&'static str, Value)> {
    let mut answers = Vec::new();
    if rng.chance(0.9) {
        let mut compute = serde_json::Map::new();
        compute.insert("text".into(), json!(*rng.pick(&["", "done", CALLER, "0"])));
        compute.insert("flag".into(), json!(rng.chance(0.5)));
        compute.insert(
            "raw".into(),
            rng.pick(&[
                json!(null),
                json!(0),
                json!("x"),
                json!({"a": [1, "two"]}),
                json!([]),
            ])
            .clone(),
        );
        if rng.chance(0.7) {
            compute.insert(
                "number".into(),
                json!(*rng.pick(&[0.0, 1.5, -2.0, 1e21, 3.0])),
            );
        } else if rng.chance(0.5) {
            compute.insert("number".into(), Value::Null);
        }
        if rng.chance(0.6) {
            compute.insert("list".into(), json!([1, "a", null]));
        }
        if rng.chance(0.6) {
            compute.insert("object".into(), json!({"Id": "001", "n": 2}));
        }
        if rng.chance(0.3) {
            compute.insert("undeclared".into(), json!(true));
        }
        // Answers that break the declaration fail the block alike, compiled or loaded.
        let compute = match rng.below(10) {
            0 => {
                compute.remove("text");
                Value::Object(compute)
            }
            1 => {
                compute.insert("flag".into(), json!("yes"));
                Value::Object(compute)
            }
            2 => json!(["not", "an", "object"]),
            _ => Value::Object(compute),
        };
        answers.push(("X_Compute", compute));
    }
    if rng.chance(0.85) {
        let call = match rng.below(7) {
            0 => json!({}),
            1 => json!({"id": null}),
            2 => json!({"id": 5}),
            _ => json!({"id": "a0B000000000001"}),
        };
        answers.push(("X_Call", call));
    }
    if rng.chance(0.85) {
        answers.push(("X_Notify", json!({})));
    }
    answers
}

/// The event for a flow bound to `source` (a short name such as `VoiceContact`, or the
/// designer's label) and `event` (`onConnecting`; `None` for CTI Actions), with a payload of
/// the trigger's kind: typed where the trigger's payload is typed, varied JSON where it is
/// untyped, none where it has none. Panics on names that are not a trigger's.
pub fn context(source: &str, event: Option<&str>, seed: u64) -> EventContext {
    let trigger = trigger(source, event);
    let mut rng = Rng::new(seed ^ 0x00C0_FFEE_0000_0001);
    let payload = match (trigger.source, trigger.event) {
        (Source::SalesforceUi, Some(Event::OnClickToDial)) => {
            let ids = record_ids();
            Payload::ClickToDial(ClickToDial {
                number: (*rng.pick(&[CALLER, "(555) 123-4567", "555-0100", "", "abc"])).to_owned(),
                record_id: if rng.chance(0.8) {
                    rng.pick(&ids).clone()
                } else {
                    "001000000000000AAA".to_owned()
                },
                record_name: (*rng.pick(&["Acme", "Ann Lee", ""])).to_owned(),
                object_type: (*rng.pick(&["Account", "Contact", "Case"])).to_owned(),
                person_account: rng.chance(0.3),
            })
        }
        (Source::SalesforceUi, Some(Event::OnHvsWorkStart)) => {
            Payload::HvsWorkStart(HvsWorkStart {
                work_id: (*rng.pick(&["0Bz5g0000000001AAA", "work-1", ""])).to_owned(),
                complete_work_when: (*rng.pick(&["onTaskSaved", "onCallEnd"])).to_owned(),
            })
        }
        (Source::ChatContact, Some(Event::OnMessageReceived | Event::OnMessageSent)) => {
            Payload::ChatMessage(ChatMessage {
                contact_id: "chat-1".to_owned(),
                initial_contact_id: "chat-0".to_owned(),
                display_name: (*rng.pick(&["Ann", "山田", ""])).to_owned(),
                participant_role: (*rng.pick(&["CUSTOMER", "AGENT", "SYSTEM"])).to_owned(),
                participant_id: "p-1".to_owned(),
                content: (*rng.pick(&["hello", CALLER, "Acme", "", "日本語"])).to_owned(),
            })
        }
        (Source::SalesforceUi | Source::SalesforceAgent | Source::CtiAction, _) => {
            Payload::Json(untyped_payload(&mut rng))
        }
        _ => Payload::None,
    };
    EventContext::new(trigger).with_payload(payload)
}

/// The limits of `scenario`: [`STEP_LIMIT`] steps ([`LOW_STEP_LIMIT`] for
/// [`Scenario::StepLimit`]), the [`InstantTimer`], and a time limit that only a hanging call
/// reaches (it is long, so that a slow machine never times out a run that does not hang).
pub fn limits(scenario: Scenario) -> Limits {
    let steps = match scenario {
        Scenario::StepLimit => LOW_STEP_LIMIT,
        _ => STEP_LIMIT,
    };
    Limits::default()
        .with_timer(Arc::new(InstantTimer))
        .with_time(Duration::from_secs(60))
        .with_steps(steps)
}

/// What a run did, as deterministic JSON (object keys sorted, no timings): its `outcome`; its
/// `trace` (per step: `block`, `type`, `title`, `port`, `result`, `error`); its `results`; the
/// sandbox's `effects` in order; the `records` of the org by sObject (the initial ones and those
/// the run created or updated); and the agent-local `properties` that are set.
pub fn observe(run: Run<Value>, sandbox: &Sandbox) -> Value {
    let trace: Vec<Value> = run
        .trace
        .iter()
        .map(|step| {
            json!({
                "block": step.block,
                "type": step.type_id,
                "title": step.title,
                "port": step.port,
                "result": step.result,
                "error": step.error,
            })
        })
        .collect();
    let effects = sandbox.effects();
    let mut sobjects: BTreeSet<String> = SOBJECTS.iter().map(|s| (*s).to_owned()).collect();
    let mut keys: BTreeSet<String> = PROPERTY_KEYS.iter().map(|k| (*k).to_owned()).collect();
    for effect in &effects {
        match effect {
            Effect::RecordCreated { sobject, .. } => {
                sobjects.insert(sobject.clone());
            }
            Effect::PropertySet { key, .. } => {
                keys.insert(key.clone());
            }
            _ => {}
        }
    }
    let mut records = Map::new();
    {
        let org = sandbox.org();
        for sobject in &sobjects {
            let all: Vec<Value> = org
                .all(sobject)
                .map(|r| Value::Object(r.fields.clone()))
                .collect();
            if !all.is_empty() {
                records.insert(sobject.clone(), Value::Array(all));
            }
        }
    }
    let properties: Map<String, Value> = keys
        .into_iter()
        .filter_map(|k| sandbox.property(&k).map(|v| (k, v)))
        .collect();
    canonical(json!({
        "outcome": serde_json::to_value(&run.outcome).expect("an outcome serialises"),
        "trace": trace,
        "results": run.results,
        "effects": serde_json::to_value(&effects).expect("effects serialise"),
        "records": records,
        "properties": properties,
    }))
}

/// The trigger named by `source` and `event` (short names or designer labels, any case).
pub fn trigger(source: &str, event: Option<&str>) -> Trigger {
    Trigger::parse(source, event).unwrap_or_else(|e| panic!("{e}"))
}

/// A timer whose sleeps end at once: a block that waits (only a hanging sandbox call does)
/// times out the moment it waits, whatever the time limit, and no run ever waits for real.
#[derive(Clone, Copy, Debug, Default)]
pub struct InstantTimer;

impl Timer for InstantTimer {
    fn sleep(&self, _: Duration) -> Sleep {
        Box::pin(std::future::ready(()))
    }
}

/// The ids of the first records of every org, in [`ORG_ORDER`].
pub fn record_ids() -> Vec<String> {
    let mut org = Org::new();
    ORG_ORDER
        .iter()
        .map(|s| org.insert(s, Value::Null))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The pieces

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Matches {
    None,
    One,
    Several,
}

/// The org: a Contact, an Account, a Case and a Lead first (in [`ORG_ORDER`]), whose phones,
/// names and e-mails match the caller and the generator's searches once, never, or (with more
/// records) several times.
fn org(matches: Matches) -> Org {
    let (caller, acme, email, broken) = match matches {
        Matches::None => ("+81 3-9999-0000", "Globex", "zed@example.org", "Resolved"),
        _ => ("(555) 123-4567", "Acme", "ann@example.com", "Broken"),
    };
    let several = matches == Matches::Several;
    let other = |several: bool, phone: &'static str| if several { CALLER } else { phone };
    let org = Org::new()
        .with(
            "Contact",
            json!({"FirstName": "Ann", "LastName": "Lee", "Phone": caller,
                   "MobilePhone": "+1 555 000 2222", "Email": email}),
        )
        .with(
            "Account",
            json!({"Name": acme, "Phone": "+1 555 000 1111", "Industry": "Retail"}),
        )
        .with(
            "Case",
            json!({"Subject": broken, "Status": "New",
                   "SuppliedPhone": other(several, "+44 20 7946 0000")}),
        )
        .with(
            "Lead",
            json!({"LastName": "Kim", "Company": "Kim Inc",
                   "Phone": other(several, "+61 2 9999 0000")}),
        );
    if several {
        org.with(
            "Contact",
            json!({"FirstName": "Bo", "LastName": "Lee", "Phone": "555-123-4567",
                   "Email": "ann@example.com"}),
        )
        .with(
            "Account",
            json!({"Name": "ACME", "Phone": "+1 555 000 3333"}),
        )
        .with("Case", json!({"Subject": "Broken", "Status": "Escalated"}))
    } else {
        org
    }
}

fn agent(rng: &mut Rng) -> AgentInfo {
    match rng.below(3) {
        0 => AgentInfo {
            name: "Agent".to_owned(),
            extension: "1000".to_owned(),
            dialable_countries: vec![json!("US")],
        },
        1 => AgentInfo {
            name: "山田 太郎".to_owned(),
            extension: "".to_owned(),
            dialable_countries: vec![json!("JP"), json!("US")],
        },
        _ => AgentInfo {
            name: "".to_owned(),
            extension: "0".to_owned(),
            dialable_countries: Vec::new(),
        },
    }
}

fn contact(rng: &mut Rng) -> ContactProperties {
    let id = format!("contact-{}", rng.below(100));
    let queue = *rng.pick(&["Support", "Sales", "日本 Queue"]);
    let (endpoint, country) = *rng.pick(&[
        (CALLER, "US"),
        (CALLER, "US"),
        ("sip:+15551234567@example.com", "US"),
        ("+81312345678", "JP"),
        ("12345", "US"),
    ]);
    let mut contact = match rng.weighted(&[45, 15, 25, 15]) {
        0 => ContactProperties::voice(&id, endpoint, country, queue),
        1 => ContactProperties::callback(&id, endpoint, country, queue),
        2 => ContactProperties::chat(&id, queue),
        _ => ContactProperties::task(&id, queue),
    };
    if rng.chance(0.6) {
        contact = contact.with_attribute("customerId", "42");
    }
    if rng.chance(0.4) {
        let value = *rng.pick(&["value", "", "0", "false"]);
        contact = contact.with_attribute("key", value);
    }
    if rng.chance(0.3) {
        contact = contact.with_attribute("日本", "値");
    }
    contact
}

/// JSON for untyped payloads: mostly an object with the keys the generator's paths step into
/// (`key`, `Name`, `items[0].key`, `nested.key`, `a.b`, `list`...), values of every kind.
fn untyped_payload(rng: &mut Rng) -> Value {
    let value = |rng: &mut Rng| -> Value {
        match rng.below(9) {
            0 => json!({"deep": 1, "key": "k"}),
            1 => json!([1, 2]),
            2 => json!(7),
            3 => json!(-2.5),
            4 => Value::Null,
            5 => json!(rng.chance(0.5)),
            6 => json!(""),
            _ => json!(*rng.pick(&["Acme", CALLER, "hello", "0"])),
        }
    };
    match rng.below(12) {
        0 => json!("just text"),
        1 => json!([{"key": "first", "Id": "x"}, "second"]),
        2 => Value::Null,
        _ => {
            let mut m = Map::new();
            let keys = [
                "key",
                "Name",
                "Id",
                "Phone",
                "recordId",
                "customerId",
                "0",
                "a b",
                "日本",
                "flag",
                "count",
                "empty",
                "nil",
            ];
            for key in keys {
                if rng.chance(0.6) {
                    m.insert(key.to_owned(), value(rng));
                }
            }
            m.insert(
                "number".to_owned(),
                json!(*rng.pick(&[CALLER, "555-0100", ""])),
            );
            if rng.chance(0.7) {
                m.insert("items".into(), json!([{"key": value(rng)}, value(rng)]));
            }
            if rng.chance(0.7) {
                m.insert("nested".into(), json!({"key": value(rng)}));
            }
            if rng.chance(0.5) {
                m.insert("a".into(), json!({"b": value(rng)}));
            }
            if rng.chance(0.5) {
                m.insert("list".into(), json!(["x", value(rng), {"k": 1}]));
            }
            Value::Object(m)
        }
    }
}

/// `value` with every object's keys in order, whatever map serde_json was built with.
fn canonical(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canonical(v)))
                    .collect(),
            )
        }
        other => other,
    }
}

/// Runs a sandbox call to completion: they complete at once unless made to hang.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("a sandbox call did not complete at once"),
    }
}

/// SplitMix64: a seeded generator without dependencies, deterministic on every platform
/// (the generator of flows uses it too).
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// `items` in a random order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}
