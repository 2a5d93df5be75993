//! An hour of a contact center, played through ctiflow: the flows in `examples/flows/` are
//! compiled by `include_flow!`, registered one per (source, event), and each event of the
//! script is dispatched to its flow and run against the in-memory sandbox. Every run's trace
//! and effects are printed.
//!
//! With `--loaded`, the same files are loaded at run time into a `DynamicRegistry` instead
//! (as a service that runs the flows owners export would), and the hour plays the same.
//!
//! ```text
//! cargo run --example contact_center
//! cargo run --example contact_center -- --loaded
//! ```

mod flows;
mod scenes;

use ctiflow::sandbox::{Effect, Sandbox};
use ctiflow::types::AgentInfo;
use ctiflow::{Dispatched, EventContext, Limits};
use ctiflow_dynamic::{DynamicRegistry, FlowSet, FlowSource, Options};
use flows::ContactCenter;
use scenes::{org, scenes};
use serde_json::json;

/// The same flows, loaded from their files at run time with the triggers they are compiled
/// with, into a registry that could be replaced while it serves.
fn loaded(sandbox: &Sandbox) -> DynamicRegistry {
    let sources = ContactCenter::FLOWS.iter().map(|(module, trigger)| {
        let file = format!(
            "{}/examples/flows/{}.json",
            env!("CARGO_MANIFEST_DIR"),
            module.replace('_', "-")
        );
        let options = Options {
            trigger: Some(*trigger),
            ..Options::default()
        };
        // Named like the compiled flow, so the hour reads the same.
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        FlowSource {
            name: (*module).to_owned(),
            text,
            options,
        }
    });
    match FlowSet::load(sources, sandbox) {
        Ok(flows) => DynamicRegistry::new(flows),
        Err(errors) => {
            for error in errors {
                eprintln!("{error}");
            }
            std::process::exit(1);
        }
    }
}

fn print_run(dispatched: &Dispatched, effects: &[Effect]) {
    println!("  flow `{}`", dispatched.flow);
    for step in &dispatched.run.trace {
        let title = step
            .title
            .as_ref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let port = step
            .port
            .map_or("(ends here)".to_owned(), |p| format!("→ {p}"));
        let detail = match (&step.result, &step.error) {
            (_, Some(error)) => format!("  ✗ {}", error.message),
            (Some(result), None) => format!("  {}", compact(result)),
            (None, None) => String::new(),
        };
        println!(
            "    {:<14} {}{title} {port}{detail}",
            step.block, step.type_id
        );
    }
    println!("  {}", dispatched.run.outcome);
    for effect in effects {
        println!(
            "  effect: {}",
            compact(&serde_json::to_value(effect).unwrap_or_default())
        );
    }
}

fn compact(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 110 {
        format!("{}…", text.chars().take(110).collect::<String>())
    } else {
        text
    }
}

fn main() {
    let org = org();
    let account_id = org
        .all("Account")
        .next()
        .and_then(|a| a.text("Id"))
        .unwrap_or_default()
        .to_owned();
    let sandbox = Sandbox::new().with_org(org).with_agent(AgentInfo {
        name: "Mia".into(),
        extension: "2041".into(),
        dialable_countries: vec![json!("US")],
    });
    let loaded = std::env::args()
        .any(|a| a == "--loaded")
        .then(|| loaded(&sandbox));
    let how = if loaded.is_some() {
        "loaded"
    } else {
        "compiled"
    };
    println!(
        "ctiflow contact center: {} flows registered ({how})",
        ContactCenter::FLOWS.len()
    );
    for (name, trigger) in ContactCenter::FLOWS {
        println!("  {name:<18} {trigger}");
    }
    let limits = Limits::default();
    for scene in scenes(&account_id) {
        println!("\n{}  {} ({})", scene.time, scene.what, scene.trigger);
        sandbox.set_contact(scene.contact);
        let event = EventContext::new(scene.trigger).with_payload(scene.payload);
        let dispatched = match &loaded {
            Some(registry) => pollster::block_on(registry.dispatch(&sandbox, &event, &limits)),
            None => pollster::block_on(ContactCenter::dispatch(&sandbox, &event, &limits)),
        };
        match dispatched {
            Some(dispatched) => print_run(&dispatched, &sandbox.take_effects()),
            None => println!("  no flow is registered for this event"),
        }
    }
    let tasks = sandbox.org().all("Task").count();
    println!(
        "\nAt 10:00 the org holds {tasks} new Tasks; the agent store: taskId = {:?}, lastDialledRecord = {:?}",
        sandbox.property("taskId"),
        sandbox.property("lastDialledRecord")
    );
}
