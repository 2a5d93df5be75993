#![deny(warnings)]
// A flow with declared blocks compiles against the flow's `Extensions` trait, which the
// backend implements with typed arguments and results, and runs: the results reach later
// blocks by the names the declaration gives.

ctiflow::ctiflow! {
    name = acw, source = Agent, event = onAfterCallWork, blocks = "flows/blocks.toml",
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "wait" } },
        { "id": "wait", "type": "X_Wait", "controls": { "ms": "250" }, "ports": { "done": "set" } },
        { "id": "set", "type": "X_SetStatus", "controls": { "status": "Available", "reason": "acw" },
          "ports": { "success": "keep", "failure": "e" } },
        { "id": "keep", "type": "SE_SetProperty",
          "controls": { "key": "previous", "value": "$.actions.set.results.previous" }, "ports": { "done": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

use std::sync::Mutex;

use ctiflow::sandbox::Sandbox;
use ctiflow::{BlockError, BlockResult, Store};

struct Desk {
    sandbox: Sandbox,
    calls: Mutex<Vec<String>>,
}

impl Store for Desk {
    async fn get_property(&self, key: &str) -> BlockResult<Option<serde_json::Value>> {
        self.sandbox.get_property(key).await
    }
    async fn set_property(&self, key: &str, value: Option<serde_json::Value>) -> BlockResult<()> {
        self.sandbox.set_property(key, value).await
    }
}

impl acw::Extensions for Desk {
    async fn wait(&self, args: acw::WaitArgs) -> BlockResult<()> {
        self.calls.lock().unwrap().push(format!("wait {}", args.ms));
        Ok(())
    }
    async fn set_agent_status(&self, args: acw::SetAgentStatusArgs) -> Result<acw::SetAgentStatusResult, BlockError> {
        self.calls.lock().unwrap().push(format!("status {} ({})", args.status, args.reason));
        Ok(acw::SetAgentStatusResult { previous: Some("AfterCallWork".into()), changed: true })
    }
}

fn main() {
    let desk = Desk { sandbox: Sandbox::new(), calls: Mutex::new(Vec::new()) };
    let run = pollster::block_on(acw::run(&desk, &ctiflow::EventContext::new(acw::TRIGGER)));
    assert_eq!(run.outcome, ctiflow::Outcome::Completed { block: "e".into() });
    assert_eq!(*desk.calls.lock().unwrap(), ["wait 250", "status Available (acw)"]);
    assert_eq!(desk.sandbox.property("previous"), Some(serde_json::json!("AfterCallWork")));
    let results = run.results.set.expect("set ran");
    assert!(results.changed);
}
