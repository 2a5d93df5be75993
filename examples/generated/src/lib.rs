//! Flows compiled by `build.rs` (see `ctiflow_codegen::build`): the generated files are in
//! `OUT_DIR`, readable, and included here.

ctiflow::include_generated!("incoming_call");
ctiflow::include_generated!("chat_pop");
ctiflow::include_generated!("hostile_titles");

#[cfg(test)]
mod tests {
    use ctiflow::sandbox::{Effect, Org, Pop, Sandbox};
    use ctiflow::types::ContactProperties;
    use ctiflow::{EventContext, Outcome};

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
