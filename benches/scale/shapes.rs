//! The flows the scaling benchmark measures, one generator per shape. Every flow binds to a
//! trigger with a contact and checks without a single diagnostic (the benchmark asserts it),
//! and runs to `Completed` on a sandbox with a voice contact.

use serde_json::{Map, Value, json};

/// A shape of flow, and what its size counts.
pub struct Shape {
    /// The name on the command line.
    pub name: &'static str,
    /// What `n` counts.
    pub unit: &'static str,
    /// What the flows look like.
    pub about: &'static str,
    /// The sizes measured by default.
    pub sizes: &'static [usize],
    /// The largest size the shape can be built at.
    pub max: usize,
    /// Whether the crate dispatches through a `registry!` of its flows.
    pub registry: bool,
    build: fn(usize) -> Vec<FlowFile>,
}

impl Shape {
    /// The flows of size `n`.
    pub fn flows(&self, n: usize) -> Vec<FlowFile> {
        (self.build)(n)
    }
}

/// One flow file of a generated crate.
pub struct FlowFile {
    /// The module `include_flow!` generates (also the file's stem).
    pub module: String,
    /// The trigger, by name, as the macros take it.
    pub source: &'static str,
    /// `None` for CTI Actions.
    pub event: Option<&'static str>,
    /// Lints the flow allows (in the checker's options and in the macro).
    pub allow: &'static [&'static str],
    /// Its blocks.
    pub blocks: usize,
    /// The JSON.
    pub json: String,
}

/// Every shape.
pub const SHAPES: &[Shape] = &[
    Shape {
        name: "mixed-chain",
        unit: "blocks",
        about: "Start, then Get Contact Properties, Get Contact Attribute, Search And Screenpop, \
                If-else, Create a Task, String Template, Save a Record, repeated, then End; \
                the If-else skips the Task on `false`, each block reads the latest earlier \
                results (contact, attribute, search, template, the previous group's record)",
        sizes: &[35, 70, 140, 280, 560, 1_120],
        max: usize::MAX,
        registry: false,
        build: |n| vec![voice("flow", &[], n, mixed_chain(n))],
    },
    Shape {
        name: "decision-ladder",
        unit: "decisions",
        about: "contact, search, then rungs of two nested If-else (outer: `false` to a \
                template, `true` to the inner one; inner: `true` to an attribute read, `false` \
                to the join) joining at a String Template that reads the outer decision, the \
                previous join, the join four rungs back and the contact; a Save after the last \
                rung reads the first and the last join",
        sizes: &[100, 200, 400, 800],
        max: usize::MAX,
        registry: false,
        build: |n| {
            let (blocks, json) = decision_ladder(n);
            vec![voice("flow", &[], blocks, json)]
        },
    },
    Shape {
        name: "fan-out",
        unit: "branches",
        about: "contact, search, then a cascade of If-else on the search's record count, each \
                `true` to its own block (attribute, task, template or save, reading the contact \
                and the search), all joining at one String Template, then a Save",
        sizes: &[16, 32, 64, 128, 256],
        max: usize::MAX,
        registry: false,
        build: |n| {
            let (blocks, json) = fan_out(n);
            vec![voice("flow", &[], blocks, json)]
        },
    },
    Shape {
        name: "cycles",
        unit: "blocks",
        about: "contact, then loops of five blocks run three times each: Get Property, String \
                Template appending to it, Set Property, Get Contact Attribute (defaulting to \
                the previous loop's), If-else back to the loop's start (allow(cycle))",
        sizes: &[35, 70, 140, 280, 560],
        max: usize::MAX,
        registry: false,
        build: |n| {
            let (blocks, json) = cycles(n);
            vec![voice("flow", &["cycle"], blocks, json)]
        },
    },
    Shape {
        name: "registry",
        unit: "flows",
        about: "n mixed chains of 35 blocks, one per (source, event) with a contact, in one \
                `registry!`; the run dispatches the last one's event",
        sizes: &[5, 10, 20, 40],
        max: TRIGGERS.len(),
        registry: true,
        build: |n| {
            TRIGGERS
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, &(source, event))| FlowFile {
                    module: format!("flow_{i:02}"),
                    source,
                    event,
                    allow: &[],
                    blocks: 35,
                    json: mixed_chain(35),
                })
                .collect()
        },
    },
];

/// The triggers with a contact (or maybe one): where contact blocks compile.
const TRIGGERS: &[(&str, Option<&str>)] = &{
    const VOICE: [&str; 9] = [
        "onIncoming",
        "onConnecting",
        "onConnected",
        "onAccepted",
        "onPending",
        "onMissed",
        "onEnded",
        "onRefresh",
        "onDestroy",
    ];
    const CHAT: [&str; 11] = [
        "onConnecting",
        "onConnected",
        "onAccepted",
        "onPending",
        "onMissed",
        "onEnded",
        "onRefresh",
        "onDestroy",
        "onMessageReceived",
        "onMessageSent",
        "onViewContact",
    ];
    const TASK: [&str; 5] = [
        "onTransferInitiated",
        "onTransferSucceeded",
        "onTransferFailed",
        "onTaskExpiring",
        "onTaskExpired",
    ];
    const UI: [&str; 3] = ["onClickToDial", "onNavigationChange", "onHvsWorkStart"];
    let mut all = [("", None); 47];
    let mut i = 0;
    let mut j = 0;
    while j < VOICE.len() {
        all[i] = ("VoiceContact", Some(VOICE[j]));
        all[i + 1] = ("QueueCallbackContact", Some(VOICE[j]));
        all[i + 2] = ("TaskContact", Some(VOICE[j]));
        i += 3;
        j += 1;
    }
    j = 0;
    while j < CHAT.len() {
        all[i] = ("ChatContact", Some(CHAT[j]));
        i += 1;
        j += 1;
    }
    j = 0;
    while j < TASK.len() {
        all[i] = ("TaskContact", Some(TASK[j]));
        i += 1;
        j += 1;
    }
    j = 0;
    while j < UI.len() {
        all[i] = ("SalesforceUi", Some(UI[j]));
        i += 1;
        j += 1;
    }
    all[i] = ("CtiAction", None);
    all
};

fn voice(module: &str, allow: &'static [&'static str], blocks: usize, json: String) -> FlowFile {
    FlowFile {
        module: module.to_owned(),
        source: "VoiceContact",
        event: Some("onConnecting"),
        allow,
        blocks,
        json,
    }
}

/// The actions of a flow under construction.
#[derive(Default)]
struct Actions(Vec<Value>);

impl Actions {
    fn push(&mut self, id: &str, ty: &str, controls: Value, ports: Value) {
        let mut action = Map::new();
        action.insert("id".into(), id.into());
        action.insert("type".into(), ty.into());
        if controls.as_object().is_some_and(|c| !c.is_empty()) {
            action.insert("controls".into(), controls);
        }
        if ports.as_object().is_some_and(|p| !p.is_empty()) {
            action.insert("ports".into(), ports);
        }
        self.0.push(Value::Object(action));
    }

    fn start(&mut self, next: &str) {
        self.push("start", "SE_Start", json!({}), json!({ "done": next }));
    }

    fn end(&mut self) {
        self.push("end", "SE_End", json!({}), json!({}));
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn into_json(self) -> String {
        let flow = json!({ "name": "generated by benches/scale", "actions": self.0 });
        serde_json::to_string_pretty(&flow).unwrap_or_default()
    }
}

/// `$.actions.<id>.results<path>`.
fn r(id: &str, path: &str) -> String {
    format!("$.actions.{id}.results{path}")
}

/// A reference to `id`'s results at `path`, or `fallback` before there is such a block.
fn r_or(id: Option<&str>, path: &str, fallback: &str) -> String {
    id.map_or_else(|| fallback.to_owned(), |id| r(id, path))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Props,
    Attr,
    Search,
    Decision,
    Task,
    Template,
    Save,
}

const CYCLE: [Kind; 7] = [
    Kind::Props,
    Kind::Attr,
    Kind::Search,
    Kind::Decision,
    Kind::Task,
    Kind::Template,
    Kind::Save,
];

/// The latest block of each kind whose results are definitely available.
#[derive(Default)]
struct Latest {
    props: Option<String>,
    attr: Option<String>,
    search: Option<String>,
    decision: Option<String>,
    template: Option<String>,
    save: Option<String>,
}

fn task(props: Option<&str>, attr: Option<&str>, search: Option<&str>) -> Value {
    let mut controls = json!({
        "Type": "Call", "Status": "Completed", "Priority": "Normal", "IsClosed": true,
        "TaskSubtype": "Call", "CallType": "inbound",
        "subject1": r_or(props, ".contactId", "$.contact.contactId"),
        "subject2": r_or(attr, ".value", "$.contact.queueName"),
        "CallObject": r_or(props, ".contactId", "$.contact.contactId"),
    });
    if let Some(search) = search {
        controls["WhatId"] = r(search, ".Id").into();
    }
    controls
}

fn save(subject: String, origin: String, description: String) -> Value {
    json!({
        "recordId": "null", "entityType": "Case",
        "fieldValues": { "Subject": subject, "Origin": origin, "Description": description },
    })
}

/// Start, `n - 2` blocks of [`CYCLE`] in order, End.
pub fn mixed_chain(n: usize) -> String {
    let body = n.saturating_sub(2);
    let kinds: Vec<Kind> = (0..body).map(|i| CYCLE[i % CYCLE.len()]).collect();
    let id = |i: usize| -> String {
        match kinds.get(i) {
            None => "end".to_owned(),
            Some(kind) => {
                let name = match kind {
                    Kind::Props => "props",
                    Kind::Attr => "attr",
                    Kind::Search => "search",
                    Kind::Decision => "decision",
                    Kind::Task => "task",
                    Kind::Template => "template",
                    Kind::Save => "save",
                };
                format!("{name}-{i}")
            }
        }
    };
    let mut actions = Actions::default();
    actions.start(&id(0));
    let mut latest = Latest::default();
    for (i, kind) in kinds.iter().enumerate() {
        let me = id(i);
        let next = id(i + 1);
        let props = latest.props.as_deref();
        let attr = latest.attr.as_deref();
        let search = latest.search.as_deref();
        let contact_id = r_or(props, ".contactId", "$.contact.contactId");
        match kind {
            Kind::Props => {
                actions.push(
                    &me,
                    "SE_ContactProperties",
                    json!({}),
                    json!({ "done": next }),
                );
                latest.props = Some(me);
            }
            Kind::Attr => {
                let default = match (&latest.template, props) {
                    (Some(t), _) => r(t, ".value"),
                    (None, p) => r_or(p, ".queueName", "none"),
                };
                actions.push(
                    &me,
                    "SE_ContactGetAttributeValue",
                    json!({ "attributeName": "segment", "defaultValue": default }),
                    json!({ "done": next }),
                );
                latest.attr = Some(me);
            }
            Kind::Search => {
                actions.push(
                    &me,
                    "SE_SFSearchAndScreenpop",
                    json!({
                        "searchParams": r_or(attr, ".value", "Support"),
                        "callType": "inbound",
                        "defaultFieldValues": { "Subject": contact_id },
                    }),
                    json!({ "success": next, "failure": "end" }),
                );
                latest.search = Some(me);
            }
            Kind::Decision => {
                let skip = if kinds.get(i + 1) == Some(&Kind::Task) {
                    id(i + 2)
                } else {
                    next.clone()
                };
                actions.push(
                    &me,
                    "SE_Decision",
                    json!({
                        "operandA": r_or(search, ".recordCount", "$.contact.statusDuration"),
                        "comparator": ">=", "operandB": "0", "evaluateAs": "number",
                    }),
                    json!({ "true": next, "false": skip }),
                );
                latest.decision = Some(me);
            }
            Kind::Task => actions.push(
                &me,
                "SE_SFCreateTask",
                task(props, attr, search),
                json!({ "success": next, "failure": "end" }),
            ),
            Kind::Template => {
                let variables = json!({
                    "who": contact_id,
                    "queue": r_or(attr, ".value", "$.contact.queueName"),
                    "count": r_or(search, ".recordCount", "0"),
                    "matched": r_or(latest.decision.as_deref(), "", "true"),
                    "previous": r_or(latest.save.as_deref(), ".id", "none"),
                });
                actions.push(
                    &me,
                    "SE_TextStringTemplate",
                    json!({
                        "template": "${who} in ${queue}: ${count} (${matched}, after ${previous})",
                        "variables": variables,
                    }),
                    json!({ "done": next }),
                );
                latest.template = Some(me);
            }
            Kind::Save => {
                let controls = save(
                    r_or(latest.template.as_deref(), ".value", "generated"),
                    r_or(attr, ".value", "Phone"),
                    r_or(props, ".queueName", "$.contact.queueName"),
                );
                actions.push(
                    &me,
                    "SE_SFSaveLog",
                    controls,
                    json!({ "success": next, "failure": "end" }),
                );
                latest.save = Some(me);
            }
        }
    }
    actions.end();
    actions.into_json()
}

/// Contact, search, `n` decisions in rungs of two, a Save, End. Returns the number of blocks
/// and the JSON.
pub fn decision_ladder(n: usize) -> (usize, String) {
    let rungs = n.div_ceil(2);
    let join = |k: usize| format!("join-{k}");
    let mut actions = Actions::default();
    actions.start("props");
    actions.push(
        "props",
        "SE_ContactProperties",
        json!({}),
        json!({ "done": "search" }),
    );
    let first = if rungs == 0 { "last" } else { "outer-0" };
    actions.push(
        "search",
        "SE_SFSearchAndScreenpop",
        json!({ "searchParams": r("props", ".queueName"), "callType": "inbound" }),
        json!({ "success": first, "failure": "end" }),
    );
    for k in 0..rungs {
        let (outer, inner, x, y, j) = (
            format!("outer-{k}"),
            format!("inner-{k}"),
            format!("attr-{k}"),
            format!("template-{k}"),
            join(k),
        );
        let previous = if k == 0 {
            r("props", ".contactId")
        } else {
            r(&join(k - 1), ".value")
        };
        let has_inner = 2 * k + 1 < n;
        actions.push(
            &outer,
            "SE_Decision",
            json!({ "operandA": previous, "comparator": "!==", "operandB": format!("rung {k}") }),
            json!({ "true": if has_inner { &inner } else { &x }, "false": y }),
        );
        if has_inner {
            actions.push(
                &inner,
                "SE_Decision",
                json!({
                    "operandA": r("search", ".recordCount"), "comparator": ">=",
                    "operandB": (k % 3).to_string(), "evaluateAs": "number",
                }),
                json!({ "true": x, "false": j }),
            );
        }
        actions.push(
            &x,
            "SE_ContactGetAttributeValue",
            json!({ "attributeName": format!("rung{k}"), "defaultValue": previous }),
            json!({ "done": j }),
        );
        actions.push(
            &y,
            "SE_TextStringTemplate",
            json!({ "template": "no ${p}", "variables": { "p": previous } }),
            json!({ "done": j }),
        );
        let far = if k >= 4 {
            r(&join(k - 4), ".value")
        } else {
            r("search", ".recordCount")
        };
        let next = if k + 1 < rungs {
            format!("outer-{}", k + 1)
        } else {
            "last".to_owned()
        };
        actions.push(
            &j,
            "SE_TextStringTemplate",
            json!({
                // The earlier joins are read (and converted) but not pasted in: pasting them
                // would make each join's text contain the last ones, growing exponentially.
                "template": "${d}/${who}",
                "variables": {
                    "d": r(&outer, ""), "p": previous, "far": far, "who": r("props", ".contactId"),
                },
            }),
            json!({ "done": next }),
        );
    }
    let (first_join, last_join) = if rungs == 0 {
        (r("props", ".contactId"), r("props", ".queueName"))
    } else {
        (r(&join(0), ".value"), r(&join(rungs - 1), ".value"))
    };
    actions.push(
        "last",
        "SE_SFSaveLog",
        save(last_join, r("search", ".recordCount"), first_join),
        json!({ "success": "end", "failure": "end" }),
    );
    actions.end();
    (actions.len(), actions.into_json())
}

/// Contact, search, `n` tests each with its own branch block, one join, a Save, End.
pub fn fan_out(n: usize) -> (usize, String) {
    let test = |k: usize| {
        if k < n {
            format!("test-{k}")
        } else {
            "join".to_owned()
        }
    };
    let mut actions = Actions::default();
    actions.start("props");
    actions.push(
        "props",
        "SE_ContactProperties",
        json!({}),
        json!({ "done": "search" }),
    );
    actions.push(
        "search",
        "SE_SFSearchAndScreenpop",
        json!({ "searchParams": r("props", ".queueName"), "callType": "inbound" }),
        json!({ "success": test(0), "failure": "end" }),
    );
    let who = r("props", ".contactId");
    let count = r("search", ".recordCount");
    for k in 0..n {
        let branch = format!("branch-{k}");
        actions.push(
            &test(k),
            "SE_Decision",
            json!({
                "operandA": count, "comparator": "===", "operandB": k.to_string(),
                "evaluateAs": "number",
            }),
            json!({ "true": branch, "false": test(k + 1) }),
        );
        let call = json!({ "success": "join", "failure": "end" });
        let done = json!({ "done": "join" });
        match k % 4 {
            0 => actions.push(
                &branch,
                "SE_ContactGetAttributeValue",
                json!({ "attributeName": format!("branch{k}"), "defaultValue": who }),
                done,
            ),
            1 => actions.push(
                &branch,
                "SE_SFCreateTask",
                task(Some("props"), None, Some("search")),
                call,
            ),
            2 => actions.push(
                &branch,
                "SE_TextStringTemplate",
                json!({ "template": "${w} ${c}", "variables": { "w": who, "c": count } }),
                done,
            ),
            _ => actions.push(
                &branch,
                "SE_SFSaveLog",
                save(who.clone(), format!("branch {k}"), count.clone()),
                call,
            ),
        }
    }
    actions.push(
        "join",
        "SE_TextStringTemplate",
        json!({ "template": "${w}: ${c} records", "variables": { "w": who, "c": count } }),
        json!({ "done": "last" }),
    );
    actions.push(
        "last",
        "SE_SFSaveLog",
        save(r("join", ".value"), r("props", ".queueName"), who.clone()),
        json!({ "success": "end", "failure": "end" }),
    );
    actions.end();
    (actions.len(), actions.into_json())
}

/// Contact, then `(n - 3) / 5` loops of five blocks, End.
pub fn cycles(n: usize) -> (usize, String) {
    let loops = n.saturating_sub(3) / 5;
    let entry = |k: usize| {
        if k < loops {
            format!("get-{k}")
        } else {
            "end".to_owned()
        }
    };
    let mut actions = Actions::default();
    actions.start("props");
    actions.push(
        "props",
        "SE_ContactProperties",
        json!({}),
        json!({ "done": entry(0) }),
    );
    for k in 0..loops {
        let (get, template, set, attr, test) = (
            entry(k),
            format!("append-{k}"),
            format!("set-{k}"),
            format!("attr-{k}"),
            format!("again-{k}"),
        );
        let key = format!("loop{k}");
        actions.push(
            &get,
            "SE_GetProperty",
            json!({ "key": key, "defaultValue": "" }),
            json!({ "done": template }),
        );
        actions.push(
            &template,
            "SE_TextStringTemplate",
            json!({ "template": "${v}x", "variables": { "v": r(&get, ".value") } }),
            json!({ "done": set }),
        );
        actions.push(
            &set,
            "SE_SetProperty",
            json!({ "key": key, "value": r(&template, ".value") }),
            json!({ "done": attr }),
        );
        let default = if k == 0 {
            r("props", ".queueName")
        } else {
            r(&format!("attr-{}", k - 1), ".value")
        };
        actions.push(
            &attr,
            "SE_ContactGetAttributeValue",
            json!({ "attributeName": key, "defaultValue": default }),
            json!({ "done": test }),
        );
        actions.push(
            &test,
            "SE_Decision",
            json!({ "operandA": r(&template, ".value"), "comparator": "!==", "operandB": "xxx" }),
            json!({ "true": get, "false": entry(k + 1) }),
        );
    }
    actions.end();
    (actions.len(), actions.into_json())
}
