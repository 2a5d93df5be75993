//! Flows compiled by `build.rs` (see `ctiflow_codegen::build`): the generated files are in
//! `OUT_DIR`, readable, and included here.

ctiflow::include_generated!("incoming_call");
ctiflow::include_generated!("chat_pop");
ctiflow::include_generated!("hostile_titles");
ctiflow::include_generated!("after_call_work");

/// The sandbox serves the declared blocks of `after_call_work` through its JSON `Extension`
/// (the answers a test gives it): each typed method forwards with `call_json`, so one
/// implementation serves compiled and loaded flows.
impl after_call_work::Extensions for ctiflow::sandbox::Sandbox {
    async fn delay(&self, args: after_call_work::DelayArgs) -> ctiflow::BlockResult<()> {
        ctiflow::extension::call_json(self, "SE_Delay", &args).await
    }

    async fn set_agent_status(
        &self,
        args: after_call_work::SetAgentStatusArgs,
    ) -> ctiflow::BlockResult<after_call_work::SetAgentStatusResult> {
        ctiflow::extension::call_json(self, "SE_AgentSetStatus", &args).await
    }
}

#[cfg(test)]
mod tests {
    use ctiflow::sandbox::{Effect, Org, Pop, Sandbox};
    use ctiflow::types::ContactProperties;
    use ctiflow::{EventContext, Outcome};

    #[test]
    fn declared_blocks_run_through_the_extensions_trait() {
        use serde_json::json;
        let sandbox = Sandbox::new()
            .with_property("acwMilliseconds", json!("5"))
            .with_extension("SE_Delay", json!({}))
            .with_extension("SE_AgentSetStatus", json!({"previous": "AfterCallWork"}));
        let run = pollster::block_on(super::after_call_work::run(
            &sandbox,
            &EventContext::new(super::after_call_work::TRIGGER),
        ));
        assert_eq!(
            run.outcome,
            Outcome::Completed {
                block: "end".into()
            }
        );
        let previous = run.results.available.and_then(|r| r.previous);
        assert_eq!(previous.as_deref(), Some("AfterCallWork"));
        assert_eq!(
            sandbox.effects(),
            [
                Effect::Extension {
                    type_id: "SE_Delay".into(),
                    args: json!({"delay": "5"})
                },
                Effect::Extension {
                    type_id: "SE_AgentSetStatus".into(),
                    args: json!({"status": "Available"})
                }
            ]
        );
        // An answer that breaks the declaration fails the block, which takes `failure`.
        let wrong = Sandbox::new()
            .with_extension("SE_Delay", json!({}))
            .with_extension("SE_AgentSetStatus", json!({"previous": 7}));
        let run = pollster::block_on(super::after_call_work::run(
            &wrong,
            &EventContext::new(super::after_call_work::TRIGGER),
        ));
        let failed = run.trace.iter().find(|s| s.block.as_str() == "available");
        assert_eq!(failed.and_then(|s| s.port), Some("failure"));
        let error = failed
            .and_then(|s| s.error.as_ref())
            .map(|e| e.message.as_str());
        assert_eq!(
            error,
            Some(
                "extension block `SE_AgentSetStatus` answered a number for `previous`, which is \
                 declared text"
            )
        );
    }

    #[test]
    fn generated_flows_run() {
        let org = Org::new().with("Contact", serde_json::json!({"Email": "ann@example.com"}));
        let chat =
            ContactProperties::chat("chat-1", "Web").with_attribute("email", "ann@example.com");
        let sandbox = Sandbox::new().with_org(org).with_contact(chat);
        let run = pollster::block_on(super::chat_pop::run(
            &sandbox,
            &EventContext::new(super::chat_pop::TRIGGER),
        ));
        assert_eq!(
            run.outcome,
            Outcome::Completed {
                block: "end".into()
            }
        );
        assert_eq!(
            sandbox.effects(),
            [Effect::ScreenPop(Pop::Search {
                search: "ann@example.com".into(),
                matches: 1
            })]
        );
        let voice = ContactProperties::voice("c-1", "+15550100002", "US", "Support");
        let run = pollster::block_on(super::incoming_call::run(
            &sandbox.with_contact(voice),
            &EventContext::new(super::incoming_call::TRIGGER),
        ));
        assert_eq!(
            run.outcome,
            Outcome::Completed {
                block: "end".into()
            }
        );
    }

    #[test]
    fn hostile_titles_run_and_keep_their_text() {
        let voice = ContactProperties::voice("c-1", "+15550100002", "US", "Support");
        let run = pollster::block_on(super::hostile_titles::run(
            &Sandbox::new().with_contact(voice),
            &EventContext::new(super::hostile_titles::TRIGGER),
        ));
        assert_eq!(
            run.outcome,
            Outcome::Completed {
                block: "end".into()
            }
        );
        assert_eq!(
            run.trace[0].title.as_deref(),
            Some("```rust\npanic!(\"doctest\")\n```")
        );
        assert_eq!(run.results.tab.map(|t| t.value).as_deref(), Some("Support"));
    }
}
