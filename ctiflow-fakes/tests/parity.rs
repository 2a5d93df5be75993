//! Parity: the example project's scenarios and the seminar scenario, run against the real
//! backends (`ctiflow-salesforce`, `ctiflow-connect`) talking to the stateful fakes on
//! 127.0.0.1, end the same way and leave the same effects (records created with the same
//! fields, pops published, attributes updated, numbers dialled, properties set) as against the
//! in-memory sandbox, compiled and loaded alike.
//!
//! Cases that inject failures or hangs into the sandbox (`failing`, `hanging`) are sandbox
//! devices with no fake counterpart here; the backends' own tests cover every error path.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ctiflow::capability::Offered;
use ctiflow::sandbox::{Effect, Sandbox};
use ctiflow::scenario::{Case, Scenarios};
use ctiflow::{
    Agent, BlockResult, Console, Contact, Dispatched, EventContext, Host, Limits, Outcome,
    Salesforce, Store, phone,
};
use ctiflow_connect::aws_sdk_connect;
use ctiflow_connect::{Connect, ConnectConfig, StatusClock};
use ctiflow_dynamic::{DynamicRegistry, FlowSet, FlowSource};
use ctiflow_fakes::Journal;
use ctiflow_fakes::connect::{FakeConnect, FakeUser, INSTANCE_ID, parse_rfc3339};
use ctiflow_fakes::salesforce::FakeSalesforce;
use ctiflow_salesforce::{Client, Config, ConsoleConfig, Credentials, EventConsole, SalesforceApi};
use serde_json::{Value, json};

// The example project's flows, compiled (`examples/contact_center/flows.rs` registers the same
// ones; its paths are relative to the facade's manifest, these to this crate's).
ctiflow::include_flow!(
    "../examples/flows/incoming-call.json",
    source = VoiceContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "../examples/flows/missed-call.json",
    source = VoiceContact,
    event = onMissed
);
ctiflow::include_flow!(
    "../examples/flows/click-to-dial.json",
    source = SalesforceUi,
    event = onClickToDial
);
ctiflow::include_flow!(
    "../examples/flows/hvs-work.json",
    source = SalesforceUi,
    event = onHvsWorkStart
);
ctiflow::include_flow!(
    "../examples/flows/chat-pop-by-email.json",
    source = ChatContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "../examples/flows/case-by-attribute.json",
    source = TaskContact,
    event = onConnecting
);
ctiflow::include_flow!(
    "../examples/flows/callback-account.json",
    source = QueueCallbackContact,
    event = onConnecting
);

ctiflow::registry! {
    /// The example project's flows, one per (source, event).
    struct ContactCenter {
        incoming_call, missed_call, click_to_dial, hvs_work, chat_pop_by_email,
        case_by_attribute, callback_account,
    }
}

/// The agent-local store of a server-side host: here a map, journalled with the fakes' effects
/// so that their order is compared too.
#[derive(Clone)]
struct JournaledStore {
    values: Arc<Mutex<BTreeMap<String, Value>>>,
    journal: Journal,
}

impl Store for JournaledStore {
    async fn get_property(&self, key: &str) -> BlockResult<Option<Value>> {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(values.get(key).cloned())
    }

    async fn set_property(&self, key: &str, value: Option<Value>) -> BlockResult<()> {
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        match &value {
            Some(v) => values.insert(key.to_owned(), v.clone()),
            None => values.remove(key),
        };
        self.journal.push(Effect::PropertySet {
            key: key.to_owned(),
            value,
        });
        Ok(())
    }
}

const AGENT: &str = "agent-1";

/// When a contact has been `statusDuration` in its state.
fn status_moment(contact: Option<&ctiflow::types::ContactProperties>) -> SystemTime {
    let Some(contact) = contact else {
        return UNIX_EPOCH;
    };
    let since = parse_rfc3339(&contact.status.timestamp).unwrap_or_default();
    UNIX_EPOCH
        + Duration::from_secs_f64(since)
        + Duration::from_millis(contact.status_duration as u64)
}

/// Both fakes seeded with what `sandbox` holds, and the real backends pointed at them.
struct Backends {
    salesforce_fake: FakeSalesforce,
    _connect_fake: FakeConnect,
    journal: Journal,
    data: SalesforceApi,
    console: EventConsole,
    session: ctiflow_connect::ConnectSession,
    store: JournaledStore,
}

impl Backends {
    async fn start(sandbox: &Sandbox, case: &Case) -> Backends {
        let journal = Journal::new();
        let salesforce_fake = FakeSalesforce::start(journal.clone()).await;
        salesforce_fake.seed(sandbox.org().clone());
        let client = Arc::new(
            Client::new(Config::new(Credentials::Token {
                instance_url: salesforce_fake.uri(),
                access_token: salesforce_fake.issue_token(),
            }))
            .expect("a client"),
        );
        let connect_fake = FakeConnect::start(journal.clone()).await;
        let contact = case.contact.as_ref().map(|spec| spec.properties());
        if let Some(contact) = &contact {
            connect_fake.seed_contact_with_agent(contact, AGENT);
        }
        let agent = case
            .agent
            .clone()
            .unwrap_or_else(|| Sandbox::new().agent().clone());
        connect_fake.add_user(FakeUser::softphone(AGENT, &agent.name));
        let sdk = aws_sdk_connect::Client::from_conf(
            aws_sdk_connect::Config::builder()
                .behavior_version(aws_sdk_connect::config::BehaviorVersion::latest())
                .region(aws_sdk_connect::config::Region::new("us-east-1"))
                .credentials_provider(aws_sdk_connect::config::Credentials::new(
                    "AKIDTEST", "secret", None, None, "test",
                ))
                .endpoint_url(connect_fake.uri())
                .build(),
        );
        let config = ConnectConfig {
            dialable_countries: agent
                .dialable_countries
                .iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect(),
            outbound_contact_flow_id: Some("flow-outbound".into()),
            source_phone_number: Some("+15550100100".into()),
            // Measured to the moment the sandbox's contact says: its status's timestamp plus
            // its duration in that state.
            status_clock: StatusClock::At(status_moment(contact.as_ref())),
            ..ConnectConfig::new(INSTANCE_ID)
        };
        let session = Connect::new(sdk, config)
            .session(contact.map(|c| c.contact_id), Some(AGENT.to_owned()));
        Backends {
            data: SalesforceApi::new(client.clone()),
            console: EventConsole::new(client, ConsoleConfig::default()),
            session,
            store: JournaledStore {
                values: Arc::new(Mutex::new(case.store.clone().into_iter().collect())),
                journal: journal.clone(),
            },
            salesforce_fake,
            _connect_fake: connect_fake,
            journal,
        }
    }

    /// The backends as compiled flows take them: a capability missing here would be a type
    /// error.
    fn host(&self) -> impl Contact + Agent + Salesforce + Console + Store {
        Host::new()
            .with_contact(self.session.clone())
            .with_agent(self.session.clone())
            .with_salesforce(self.data.clone())
            .with_console(self.console.clone())
            .with_store(self.store.clone())
    }

    /// The backends as loaded flows take them.
    fn offered(&self) -> Offered<'_> {
        Offered::new()
            .salesforce(&self.data)
            .console(&self.console)
            .contact(&self.session)
            .agent(&self.session)
            .store(&self.store)
    }
}

/// The example flows loaded at run time, named like the compiled ones.
fn loaded(backend: &Offered<'_>) -> DynamicRegistry {
    let sources = ContactCenter::FLOWS.iter().map(|(module, trigger)| {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/flows")
            .join(format!("{}.json", module.replace('_', "-")));
        FlowSource {
            name: (*module).to_owned(),
            text: std::fs::read_to_string(&file).unwrap(),
            options: ctiflow_codegen::Options {
                trigger: Some(*trigger),
                ..ctiflow_codegen::Options::default()
            },
        }
    });
    DynamicRegistry::new(FlowSet::load(sources, backend).unwrap_or_else(|e| panic!("{e:?}")))
}

/// A run as compared: how it ended, its results, and the blocks it went through with their
/// ports; a failure by its block and kind (timings and the backends' error messages differ
/// between any two backends).
fn shape(dispatched: &Dispatched) -> Value {
    let trace: Vec<Value> = dispatched
        .run
        .trace
        .iter()
        .map(|step| {
            json!([
                step.block.to_string(),
                step.port.as_ref().map(|p| p.to_string())
            ])
        })
        .collect();
    let outcome = match &dispatched.run.outcome {
        Outcome::Failed { block, error } => {
            json!({"failed": block.to_string(), "kind": error.kind})
        }
        other => json!(other.to_string()),
    };
    json!({
        "outcome": outcome,
        "results": dispatched.run.results,
        "trace": trace,
    })
}

/// Runs `case` on the sandbox, then compiled and loaded on fresh backends, and compares.
async fn parity(name: &str, case: &Case, scenarios: &Scenarios, module: &str) -> usize {
    // Scenario files may leave the trigger to the project's `ctiflow.toml`; the compiled
    // registry knows the same one.
    let registered = ContactCenter::FLOWS
        .iter()
        .find(|(flow, _)| *flow == module)
        .map(|(_, trigger)| *trigger);
    let trigger = case.trigger_or(scenarios.trigger().or(registered)).unwrap();
    let event: EventContext = case.event(trigger).unwrap();
    let limits: Limits = case.limits();
    let sandbox = case.sandbox();
    let before = sandbox.clone();
    let expected = ContactCenter::dispatch(&sandbox, &event, &limits)
        .await
        .unwrap_or_else(|| panic!("{name}: no flow for {trigger}"));
    // The Connect API dials E.164 only: the backend reads the flow's number in the instance's
    // country first, which the sandbox has no reason to do.
    let expected_effects: Vec<Effect> = sandbox
        .effects()
        .into_iter()
        .map(|effect| match effect {
            Effect::Dialed { number, queue_arn } => Effect::Dialed {
                number: phone::format(&number, "US", phone::Format::E164),
                queue_arn,
            },
            other => other,
        })
        .collect();

    let compiled = Backends::start(&before, case).await;
    let got = ContactCenter::dispatch(&compiled.host(), &event, &limits)
        .await
        .unwrap();
    assert_eq!(
        shape(&got),
        shape(&expected),
        "{name}: compiled, against the fakes"
    );
    assert_eq!(
        compiled.journal.effects(),
        expected_effects,
        "{name}: compiled, effects"
    );
    assert_eq!(
        compiled.salesforce_fake.org(),
        *sandbox.org(),
        "{name}: compiled, the org afterwards"
    );

    let loaded_backends = Backends::start(&before, case).await;
    let offered = loaded_backends.offered();
    let registry = loaded(&offered);
    let got = registry.dispatch(&offered, &event, &limits).await.unwrap();
    assert_eq!(
        shape(&got),
        shape(&expected),
        "{name}: loaded, against the fakes"
    );
    assert_eq!(
        loaded_backends.journal.effects(),
        expected_effects,
        "{name}: loaded, effects"
    );
    expected_effects.len()
}

#[tokio::test]
async fn example_scenarios_match_the_sandbox_against_the_real_backends() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.ends_with("scenario.schema.json"))
        .collect();
    files.sort();
    let (mut cases, mut effects) = (0, 0);
    for file in files {
        let scenarios = Scenarios::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in &scenarios.cases {
            // Declared blocks are the user's code, on every backend: there is no real one to
            // compare with the sandbox's answers.
            if !case.failing.is_empty() || !case.hanging.is_empty() || !case.extensions.is_empty() {
                continue;
            }
            let stem = file
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('-', "_");
            let name = format!("{}: {}", file.file_name().unwrap().display(), case.name);
            effects += parity(&name, case, &scenarios, &stem).await;
            cases += 1;
        }
    }
    // The scenarios that need no injected fault, and what they do: a test that compared
    // nothing would pass too.
    assert!(cases >= 14, "{cases} cases");
    assert!(effects >= 15, "{effects} effects");
}

/// The seminar scenario (the facade's `tests/examples.rs`): a caller with one open Case gets it popped and
/// a completed call Task on it.
#[tokio::test]
async fn seminar_scenario_against_the_real_backends() {
    let scenarios = Scenarios::parse(
        &json!({
            "trigger": {"source": "VoiceContact", "event": "onConnecting"},
            "cases": [{
                "name": "one matching Case",
                "contact": {"channel": "voice", "phone": "+15550100002", "queue": "Support"},
                "org": {"Case": [{"CaseNumber": "00001026", "SuppliedPhone": "(555) 010-0002"}]},
            }],
        })
        .to_string(),
    )
    .unwrap();
    let effects = parity("seminar", &scenarios.cases[0], &scenarios, "incoming_call").await;
    assert!(effects >= 2, "a pop and a Task");
}
