//! Loading: the checker's verdicts on the corpus, `missing_capability`, runs refused on a
//! backend without a capability, every catalog block reachable by name; the dynamic registry:
//! dispatch, `duplicate_trigger` and flows without triggers at load, and replacement while a
//! run is in flight.

use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ctiflow_dynamic::{
    DynamicFlow, DynamicRegistry, FlowSet, FlowSource, LoadOptions, RegistryError,
};
use ctiflow_front::catalog::BLOCKS;
use ctiflow_front::{Code, Level, Options, Trigger, analyze};
use ctiflow_runtime::blocks::Arguments;
use ctiflow_runtime::sandbox::{Call, Sandbox};
use ctiflow_runtime::{
    BlockError, Dynamic, ErrorKind, EventContext, Limits, Offered, Outcome, dispatch,
};

fn voice() -> Trigger {
    Trigger::parse("VoiceContact", Some("onConnecting")).unwrap()
}

/// A flow that pops the caller's Contact found by phone.
const POP: &str = r#"{
  "name": "pop",
  "actions": [
    {"id": "start", "type": "SE_Start", "ports": {"done": "props"}},
    {"id": "props", "type": "SE_ContactProperties", "ports": {"done": "find"}},
    {"id": "find", "type": "SE_SFGetContactId",
     "controls": {"formattedPhoneNumber": "$.actions.props.results.formattedPhoneNumber"},
     "ports": {"success": "pop", "failure": "end"}},
    {"id": "pop", "type": "SE_SFScreenpopObject",
     "controls": {"recordId": "$.actions.find.results.sfContactId"},
     "ports": {"success": "end"}},
    {"id": "end", "type": "SE_End"}
  ]
}"#;

#[test]
fn corpus_flows_load_exactly_when_the_checker_accepts_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cti-adapter");
    let Ok(manifest) = std::fs::read_to_string(dir.join("manifest.json")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus must be there in CI"
        );
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let mut loaded = 0;
    for (file, verdict) in manifest["flows"].as_object().unwrap() {
        let trigger = Trigger::parse(
            verdict["source"].as_str().unwrap(),
            verdict["event"].as_str(),
        )
        .unwrap();
        let options = Options {
            trigger: Some(trigger),
            ..Options::default()
        };
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let checked = analyze(&text, &options);
        match DynamicFlow::load(&text, &LoadOptions::from(options)) {
            Ok(flow) => {
                assert!(!checked.has_errors(), "{file}");
                assert_eq!(flow.diagnostics(), checked.diagnostics, "{file}");
                loaded += 1;
            }
            Err(error) => {
                assert!(checked.has_errors(), "{file}");
                assert_eq!(error.diagnostics, checked.diagnostics, "{file}");
            }
        }
        assert_eq!(
            verdict["errors"].as_array().unwrap().is_empty(),
            !checked.has_errors(),
            "{file}"
        );
    }
    assert_eq!(loaded, 16, "corpus flows that load without allowing a lint");
}

#[test]
fn a_backend_without_a_capability_is_an_error_at_load_naming_the_blocks() {
    let sandbox = Sandbox::new();
    // Connect only: no Salesforce, no Console.
    let connect = Offered::new().contact(&sandbox).agent(&sandbox);
    let options = LoadOptions::for_trigger(voice()).offered_by(&connect);
    let error = DynamicFlow::load(POP, &options).unwrap_err();
    let found: Vec<_> = error
        .diagnostics
        .iter()
        .map(|d| (d.code, d.block.as_deref(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Code::MissingCapability,
                Some("find"),
                "block `find` (Get Salesforce Contact Id) needs the Salesforce capability, \
                 which the backend does not offer"
            ),
            (
                Code::MissingCapability,
                Some("pop"),
                "block `pop` (Screenpop Object) needs the Console capability, which the \
                 backend does not offer"
            ),
        ]
    );
    let shown = error.render("pop.json", false);
    assert!(shown.contains("error[missing_capability]"), "{shown}");
    assert!(shown.contains("pop.json:6:28"), "{shown}");
    // The sandbox offers everything.
    let everything = LoadOptions::for_trigger(voice()).offered_by(&sandbox);
    assert!(DynamicFlow::load(POP, &everything).is_ok());
}

#[test]
fn a_run_on_a_backend_without_a_capability_fails_before_its_first_block() {
    let flow = DynamicFlow::load(POP, &LoadOptions::for_trigger(voice())).unwrap();
    let sandbox = Sandbox::new();
    let connect = Offered::new().contact(&sandbox);
    let run =
        pollster::block_on(flow.run(&connect, &EventContext::new(voice()), &Limits::default()));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            block: "start".into(),
            error: BlockError::new(
                ErrorKind::Backend,
                "the backend does not offer Salesforce, Console, which this flow uses"
            ),
        }
    );
    assert!(run.trace.is_empty());
    assert!(sandbox.effects().is_empty());
}

#[test]
fn every_catalog_block_runs_by_name() {
    let sandbox = Sandbox::new();
    for block in BLOCKS {
        let runtime = block.runtime().expect("a built-in block");
        let result = pollster::block_on(dispatch::call(
            runtime.function,
            &Dynamic(&sandbox),
            Arguments::default(),
        ));
        if let Err(e) = result {
            assert!(
                !e.message.contains("no block function"),
                "{}: {e}",
                block.type_id
            );
        }
    }
}

fn source(name: &str, text: &str, trigger: Option<Trigger>) -> FlowSource {
    FlowSource {
        name: name.to_owned(),
        text: text.to_owned(),
        options: Options {
            trigger,
            ..Options::default()
        },
    }
}

#[test]
fn the_registry_dispatches_by_trigger_and_reports_every_problem_at_load() {
    let sandbox = Sandbox::new();
    let set = FlowSet::load([source("pop.json", POP, Some(voice()))], &sandbox).unwrap();
    let registry = DynamicRegistry::new(set);
    let limits = Limits::default();
    let missed = EventContext::new(Trigger::parse("VoiceContact", Some("onMissed")).unwrap());
    assert!(pollster::block_on(registry.dispatch(&sandbox, &missed, &limits)).is_none());
    let event = EventContext::new(voice());
    let done = pollster::block_on(registry.dispatch(&sandbox, &event, &limits)).unwrap();
    assert_eq!(done.flow, "pop.json");
    // No contact: the first Contact block fails the run.
    assert!(matches!(&done.run.outcome, Outcome::Failed { block, .. } if block == "props"));

    let errors = FlowSet::load(
        [
            source("a.json", POP, Some(voice())),
            source("b.json", POP, Some(voice())),
            source("c.json", POP, None),
            source("d.json", "{", Some(voice())),
        ],
        &sandbox,
    )
    .unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert!(
        shown[0].starts_with("b.json: ")
            && shown[0].contains(
                "flows `a.json` and `b.json` are bound to the same (source, event) \
                 VoiceContact.onConnecting"
            ),
        "{}",
        shown[0]
    );
    assert!(matches!(
        &errors[0],
        RegistryError::Load { error, .. } if error.diagnostics[0].code == Code::DuplicateTrigger
    ));
    assert_eq!(
        shown[1],
        "flow `c.json` has no trigger, so a registry cannot dispatch to it; give it a source \
         (and an event)"
    );
    assert!(matches!(
        &errors[2],
        RegistryError::Load { error, .. } if error.diagnostics[0].code == Code::Json
    ));
}

/// A flow whose Contact block hangs until the time limit on a hanging sandbox.
fn hanging(version: &str) -> String {
    format!(
        r#"{{"actions": [
        {{"id": "start-{version}", "type": "SE_Start", "ports": {{"done": "props-{version}"}}}},
        {{"id": "props-{version}", "type": "SE_ContactProperties", "ports": {{"done": "end-{version}"}}}},
        {{"id": "end-{version}", "type": "SE_End"}}
    ]}}"#
    )
}

#[test]
fn replacing_the_flows_leaves_runs_in_flight_on_the_flow_they_started_with() {
    let sandbox = Arc::new(Sandbox::new().hanging(Call::Properties));
    let load = |version: &str| {
        let flows = [source("flow.json", &hanging(version), Some(voice()))];
        FlowSet::load(flows, &*sandbox).unwrap()
    };
    let registry = Arc::new(DynamicRegistry::new(load("v1")));
    let in_flight = {
        let (registry, sandbox) = (Arc::clone(&registry), Arc::clone(&sandbox));
        thread::spawn(move || {
            let limits = Limits::default().with_time(Duration::from_millis(400));
            let event = EventContext::new(voice());
            pollster::block_on(registry.dispatch(&*sandbox, &event, &limits))
        })
    };
    thread::sleep(Duration::from_millis(100));
    let old = registry.replace(load("v2"));
    assert_eq!(old.len(), 1);
    let first = in_flight.join().unwrap().unwrap();
    assert_eq!(
        first.run.outcome,
        Outcome::TimedOut {
            block: "props-v1".into()
        }
    );
    let limits = Limits::default().with_time(Duration::from_millis(50));
    let event = EventContext::new(voice());
    let second = pollster::block_on(registry.dispatch(&*sandbox, &event, &limits)).unwrap();
    assert_eq!(
        second.run.outcome,
        Outcome::TimedOut {
            block: "props-v2".into()
        }
    );
}

#[test]
fn lint_levels_apply_at_load() {
    let cyclic = r#"{"actions": [
        {"id": "s", "type": "SE_Start", "ports": {"done": "t"}},
        {"id": "t", "type": "SE_CoreTruthy", "controls": {"value": false},
         "ports": {"true": "e", "false": "t"}},
        {"id": "e", "type": "SE_End"}
    ]}"#;
    let mut options = Options {
        trigger: Some(voice()),
        ..Options::default()
    };
    let flow = DynamicFlow::load(cyclic, &LoadOptions::from(options.clone())).unwrap();
    let codes: Vec<_> = flow.diagnostics().iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::Cycle), "{codes:?}");
    options.lints.set("cycle", Level::Deny).unwrap();
    let error = DynamicFlow::load(cyclic, &LoadOptions::from(options)).unwrap_err();
    assert!(error.errors().any(|d| d.code == Code::Cycle));
    // Within a step limit, the cycle ends where the compiled flow's would.
    let limits = Limits::default().with_steps(5);
    let run = pollster::block_on(flow.run(&Sandbox::new(), &EventContext::new(voice()), &limits));
    assert_eq!(
        run.outcome,
        Outcome::StepLimit {
            block: "t".into(),
            steps: 5
        }
    );
}
