//! Every diagnostic code on a small flow: code, severity, block id and line:column.

use ctiflow_codegen::{Level, LineIndex, Options, Severity, Trigger, check_source};

/// (code, block, line, column) of every diagnostic, errors and warnings alike.
fn diags(text: &str, options: &Options) -> Vec<(&'static str, String, usize, usize)> {
    let index = LineIndex::new(text);
    check_source(text, options)
        .into_iter()
        .map(|d| {
            assert!(d.help.is_some(), "every diagnostic says what to do: {d:?}");
            let p = index.line_col(d.span.expect("every diagnostic has a span").start);
            (
                d.code.as_str(),
                d.block.unwrap_or_default(),
                p.line,
                p.column,
            )
        })
        .collect()
}

fn any(text: &str) -> Vec<(&'static str, String, usize, usize)> {
    diags(text, &Options::default())
}

fn on(source: &str, event: Option<&str>, text: &str) -> Vec<(&'static str, String, usize, usize)> {
    let options = Options {
        trigger: Some(Trigger::parse(source, event).unwrap()),
        ..Options::default()
    };
    diags(text, &options)
}

fn d(
    code: &'static str,
    block: &str,
    line: usize,
    column: usize,
) -> (&'static str, String, usize, usize) {
    (code, block.to_owned(), line, column)
}

/// A flow of the given actions, one per line, starting on line 2.
fn flow(actions: &[&str]) -> String {
    format!("{{\"actions\": [\n{}\n]}}", actions.join(",\n"))
}

const START: &str = r#"{"id": "s", "type": "SE_Start", "ports": {"done": "e"}}"#;
const END: &str = r#"{"id": "e", "type": "SE_End"}"#;

#[test]
fn a_clean_flow_has_no_diagnostics() {
    assert_eq!(any(&flow(&[START, END])), []);
}

#[test]
fn json() {
    assert_eq!(any("{\"actions\": [\n  {\"id\": }"), [d("json", "", 2, 10)]);
    assert_eq!(any("[]"), [d("json", "", 1, 1)]);
    assert_eq!(any("{\"name\": \"x\"}"), [d("json", "", 1, 1)]);
    assert_eq!(any("{\"actions\": {}}"), [d("json", "", 1, 13)]);
    let text = flow(&[START, END, r#"{"type": "SE_End"}"#, r#"{"id": "x"}"#]);
    assert_eq!(any(&text), [d("json", "", 4, 1), d("json", "x", 5, 8),]);
}

#[test]
fn unknown_top_level_keys_are_warned_about() {
    let text = "{\"actions\": [\n  {\"id\": \"s\", \"type\": \"SE_Start\"}\n], \"version\": 2}";
    assert_eq!(any(text), [d("unknown_key", "", 3, 4)]);
}

#[test]
fn duplicate_id() {
    assert_eq!(
        any(&flow(&[START, END, r#"{"id": "e", "type": "SE_End"}"#])),
        [d("duplicate_id", "e", 4, 8)]
    );
}

#[test]
fn start() {
    assert_eq!(any(&flow(&[END])), [d("start", "", 1, 13)]);
    let second = r#"{"id": "t", "type": "SE_Start", "ports": {"done": "e"}}"#;
    assert_eq!(any(&flow(&[START, END, second])), [d("start", "t", 4, 21)]);
}

#[test]
fn dangling_and_unknown_ports() {
    let start = r#"{"id": "s", "type": "SE_Start", "ports": {"done": "f", "success": "e"}}"#;
    assert_eq!(
        any(&flow(&[start, END])),
        [
            d("dangling_port", "s", 2, 51),
            d("unknown_port", "s", 2, 56),
        ]
    );
}

#[test]
fn unknown_type_suggests_a_close_one() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "l"}}"#,
        r#"{"id": "l", "type": "SE_Logg", "ports": {"done": "e"}}"#,
        END,
    ]);
    let all = check_source(&text, &Options::default());
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].code.as_str(), "unknown_type");
    assert_eq!(all[0].help.as_deref(), Some("did you mean `SE_Log`?"));
    assert_eq!(any(&text), [d("unknown_type", "l", 3, 21)]);
}

#[test]
fn missing_control() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "p"}}"#,
        r#"{"id": "p", "type": "SE_SFScreenpopObject", "controls": {"recordId": ""}, "ports": {"success": "q"}}"#,
        r#"{"id": "q", "type": "SE_SFSaveLog", "controls": {"recordId": "null"}, "ports": {"success": "e"}}"#,
        END,
    ]);
    assert_eq!(
        any(&text),
        [
            d("missing_control", "p", 3, 70),
            d("missing_control", "q", 4, 49)
        ]
    );
}

#[test]
fn string_template_placeholders_need_variables() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "t"}}"#,
        r#"{"id": "t", "type": "SE_TextStringTemplate", "controls": {"template": "Hi ${name} ${nme}", "variables": {"name": "x"}}, "ports": {"done": "e"}}"#,
        END,
    ]);
    assert_eq!(any(&text), [d("missing_control", "t", 3, 71)]);
}

#[test]
fn control_kind() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "c"}}"#,
        r#"{"id": "c", "type": "SE_ContactProperties", "ports": {"done": "t"}}"#,
        r#"{"id": "t", "type": "SE_SFCreateTask", "controls": {"Type": {"a": "b"}, "Status": "x", "Priority": "y", "IsClosed": "no", "CallType": "in", "CallDurationInSeconds": "1.5", "WhoId": "$.actions.c.results.status"}, "ports": {"success": "e"}}"#,
        END,
    ]);
    assert_eq!(
        any(&text),
        [
            d("control_kind", "t", 4, 61),
            d("control_kind", "t", 4, 117),
            d("control_kind", "t", 4, 135),
            d("control_kind", "t", 4, 166),
            d("control_kind", "t", 4, 182),
        ]
    );
}

#[test]
fn references_to_blocks_and_fields() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "c"}}"#,
        r#"{"id": "c", "type": "SE_ContactProperties", "ports": {"done": "l"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "m"}, "controls": {"message": "$.actions.cc.results.type"}}"#,
        r#"{"id": "m", "type": "SE_Log", "ports": {"done": "n"}, "controls": {"message": "$.actions.c.results.queue"}}"#,
        r#"{"id": "n", "type": "SE_Log", "ports": {"done": "o"}, "controls": {"message": "$.actions.c.results.type.x"}}"#,
        r#"{"id": "o", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$.actions.l.results"}}"#,
        END,
    ]);
    assert_eq!(
        any(&text),
        [
            d("unknown_block", "l", 4, 79),
            d("unknown_field", "m", 5, 79),
            d("unknown_field", "n", 6, 79),
            d("unknown_field", "o", 7, 79),
        ]
    );
}

#[test]
fn malformed_reference_suggests_the_block() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "uid-12"}}"#,
        r#"{"id": "uid-12", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$12.results.type"}}"#,
        END,
    ]);
    let all = check_source(&text, &Options::default());
    assert_eq!(
        all[0].help.as_deref(),
        Some("did you mean `$.actions.uid-12.results…`?")
    );
    assert_eq!(any(&text), [d("malformed_reference", "uid-12", 3, 84)]);
}

const MAYBE: &[&str] = &[
    r#"{"id": "s", "type": "SE_Start", "ports": {"done": "g"}}"#,
    r#"{"id": "g", "type": "SE_SFGetLeadId", "controls": {"formattedPhoneNumber": "+1"}, "ports": {"success": "l", "failure": "l"}}"#,
    r#"{"id": "l", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$.actions.g.results.sfLeadId"}}"#,
    END,
];

#[test]
fn maybe_unset_shows_a_path_and_can_be_allowed() {
    let text = flow(MAYBE);
    assert_eq!(any(&text), [d("maybe_unset", "l", 4, 79)]);
    let all = check_source(&text, &Options::default());
    assert_eq!(
        all[0].notes[0].message,
        "`g` takes `failure` on this path: s (done) → g (failure) → l"
    );
    let mut options = Options::default();
    options.lints.set("maybe_unset", Level::Allow).unwrap();
    assert_eq!(diags(&text, &options), []);
}

#[test]
fn dominance_makes_results_available_after_joins() {
    // Both branches of the decision pass `g`'s success port before the join at `l`.
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "g"}}"#,
        r#"{"id": "g", "type": "SE_SFGetLeadId", "controls": {"formattedPhoneNumber": "+1"}, "ports": {"success": "t"}}"#,
        r#"{"id": "t", "type": "SE_CoreTruthy", "controls": {"value": "$.actions.g.results.sfLeadId"}, "ports": {"true": "l", "false": "l"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$.actions.g.results.sfLeadId"}}"#,
        END,
    ]);
    assert_eq!(any(&text), []);
}

#[test]
fn contact_and_payload_depend_on_the_trigger() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "c"}}"#,
        r#"{"id": "c", "type": "SE_ContactProperties", "ports": {"done": "l"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "m"}, "controls": {"message": "$.contact.queueName"}}"#,
        r#"{"id": "m", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$.payload.numbr"}}"#,
        END,
    ]);
    assert_eq!(
        on("Agent", Some("onRoutable"), &text),
        [
            d("no_contact", "c", 3, 21),
            d("no_contact", "l", 4, 79),
            d("no_payload", "m", 5, 79),
        ]
    );
    assert_eq!(
        on("SalesforceUi", Some("onClickToDial"), &text),
        [d("unknown_payload_field", "m", 5, 79)]
    );
    assert_eq!(on("CtiAction", None, &text), []);
}

#[test]
fn deprecated_path() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "l"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"message": "$.contact.parsedNumber.phone"}}"#,
        END,
    ]);
    assert_eq!(
        on("VoiceContact", Some("onConnecting"), &text),
        [d("deprecated_path", "l", 3, 79)]
    );
}

#[test]
fn unknown_control_and_legacy_spellings() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "l"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "e"}, "controls": {"mesage": "x"}}"#,
        END,
    ]);
    let all = check_source(&text, &Options::default());
    assert_eq!(all[0].severity, Severity::Warning);
    assert_eq!(all[0].help.as_deref(), Some("did you mean `message`?"));
    assert_eq!(any(&text), [d("unknown_control", "l", 3, 68)]);
}

#[test]
fn unreachable_cycle_and_constant_condition() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "t"}}"#,
        r#"{"id": "t", "type": "SE_CoreTruthy", "controls": {"value": ""}, "ports": {"true": "l", "false": "e"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "t"}}"#,
        r#"{"id": "x", "type": "SE_Log", "ports": {"done": "e"}}"#,
        END,
    ]);
    assert_eq!(
        any(&text),
        [
            d("cycle", "t", 3, 8),
            d("constant_condition", "t", 3, 60),
            d("unreachable", "x", 5, 8),
        ]
    );
    let mut options = Options::default();
    options.lints.set("cycle", Level::Deny).unwrap();
    options.lints.set("unreachable", Level::Allow).unwrap();
    let all = check_source(&text, &options);
    let got: Vec<_> = all.iter().map(|d| (d.code.as_str(), d.severity)).collect();
    assert_eq!(
        got,
        [
            ("cycle", Severity::Error),
            ("constant_condition", Severity::Warning)
        ]
    );
}

#[test]
fn a_decision_between_two_literals_is_constant() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "d"}}"#,
        r#"{"id": "d", "type": "SE_Decision", "controls": {"operandA": "1", "comparator": ">", "operandB": 2, "evaluateAs": "number"}, "ports": {"true": "e", "false": "e"}}"#,
        END,
    ]);
    assert_eq!(any(&text), [d("constant_condition", "d", 3, 61)]);
    let uses_a_reference = text.replace("\"1\"", "\"$.agent.name\"");
    assert_eq!(any(&uses_a_reference), []);
}

#[test]
fn all_diagnostics_are_reported_together() {
    let text = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "x"}}"#,
        r#"{"id": "a", "type": "SE_Nope"}"#,
        r#"{"id": "b", "type": "SE_SFGetLeadId", "ports": {"success": "e"}}"#,
        r#"{"id": "a", "type": "SE_End"}"#,
    ]);
    let codes: Vec<_> = any(&text).into_iter().map(|d| d.0).collect();
    assert_eq!(
        codes,
        [
            "dangling_port",
            "unknown_type",
            "missing_control",
            "dangling_port",
            "duplicate_id",
        ]
    );
}

/// One root cause, one error: what follows from an error already reported is not reported again.
#[test]
fn one_root_cause_one_error() {
    // A Start that cannot be read is not also "no Start"; nor is a block of unknown type.
    let unread_start = flow(&[r#"{"type": "SE_Start", "ports": {"done": "e"}}"#, END]);
    assert_eq!(any(&unread_start), [d("json", "", 2, 1)]);
    let typeless_start = flow(&[r#"{"id": "s", "ports": {"done": "e"}}"#, END]);
    assert_eq!(any(&typeless_start), [d("json", "s", 2, 8)]);
    let misspelt_start = flow(&[
        r#"{"id": "s", "type": "SE_Strat", "ports": {"done": "e"}}"#,
        END,
    ]);
    assert_eq!(any(&misspelt_start), [d("unknown_type", "s", 2, 21)]);
    // Blocks cut off by a dangling port are not also unreachable.
    let cut = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "nowhere"}}"#,
        r#"{"id": "l", "type": "SE_Log", "ports": {"done": "e"}}"#,
        END,
    ]);
    assert_eq!(any(&cut), [d("dangling_port", "s", 2, 51)]);
    // Without errors, unreachable blocks are still reported.
    let unreachable = flow(&[START, END, r#"{"id": "l", "type": "SE_Log"}"#]);
    assert_eq!(any(&unreachable), [d("unreachable", "l", 4, 8)]);
}

/// (code, block, help) of every diagnostic of `text` under `trigger`.
fn helps(trigger: Option<(&str, Option<&str>)>, text: &str) -> Vec<(&'static str, String, String)> {
    let options = Options {
        trigger: trigger.map(|(s, e)| Trigger::parse(s, e).unwrap()),
        ..Options::default()
    };
    check_source(text, &options)
        .into_iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.block.unwrap_or_default(),
                d.help.unwrap_or_default(),
            )
        })
        .collect()
}

fn h(code: &'static str, block: &str, help: &str) -> (&'static str, String, String) {
    (code, block.to_owned(), help.to_owned())
}

/// A chain Start → the given blocks → End, each block's every port (from the catalog) leading
/// to the next.
fn chain(blocks: &[(&str, &str, &str)]) -> String {
    let mut actions = vec![format!(
        r#"{{"id": "s", "type": "SE_Start", "ports": {{"done": "{}"}}}}"#,
        blocks.first().map_or("e", |b| b.0)
    )];
    for (i, (id, ty, controls)) in blocks.iter().enumerate() {
        let next = blocks.get(i + 1).map_or("e", |b| b.0);
        let ports: Vec<String> = ctiflow_codegen::catalog::lookup(ty)
            .expect("a catalog type")
            .ports
            .iter()
            .map(|p| format!(r#""{}": "{next}""#, p.name()))
            .collect();
        actions.push(format!(
            r#"{{"id": "{id}", "type": "{ty}", "controls": {controls}, "ports": {{{}}}}}"#,
            ports.join(", ")
        ));
    }
    actions.push(END.to_owned());
    format!("{{\"actions\": [\n{}\n]}}", actions.join(",\n"))
}

#[test]
fn map_values_must_be_text() {
    let voice = Some(("VoiceContact", Some("onConnecting")));
    let text = chain(&[
        ("p", "SE_ContactProperties", "{}"),
        (
            "u",
            "SE_ContactUpdateAttributes",
            r#"{"attributes": {"status": "$.actions.p.results.status", "attrs": "$.contact.attributes", "countries": "$.agent.dialableCountries", "queue": "$.actions.p.results.queueName", "n": "$.contact.statusDuration"}}"#,
        ),
        (
            "w",
            "SE_ContactUpdateAttributes",
            r#"{"attributes": "$.contact"}"#,
        ),
        (
            "x",
            "SE_ContactUpdateAttributes",
            r#"{"attributes": "$.contact.status"}"#,
        ),
    ]);
    let found: Vec<_> = helps(voice, &text).into_iter().collect();
    assert_eq!(
        found,
        [
            h(
                "control_kind",
                "u",
                "an object is not text: pick a part of it, e.g. `$.actions.p.results.status.type`"
            ),
            h(
                "control_kind",
                "u",
                "an object is not text: pick a part of it, e.g. `$.contact.attributes.<key>`"
            ),
            h(
                "control_kind",
                "u",
                "an array is not text: pick a part of it, e.g. `$.agent.dialableCountries[0]`"
            ),
            h(
                "control_kind",
                "w",
                "map values are text: write the entries one by one, each a reference to a text field"
            ),
        ]
    );
}

#[test]
fn literals_the_runtime_would_reject_are_errors() {
    let voice = Some(("VoiceContact", Some("onConnecting")));
    let task = |duration: &str| {
        chain(&[(
            "t",
            "SE_SFCreateTask",
            &format!(
                r#"{{"Type": "Call", "Status": "Completed", "Priority": "Normal", "CallType": "inbound", "CallDurationInSeconds": {duration}}}"#
            ),
        )])
    };
    let codes = |text: &str| -> Vec<&str> { helps(voice, text).into_iter().map(|d| d.0).collect() };
    for bad in [
        "\"-5\"", "\"1.5\"", "\"ten\"", "-5", "1.5", "1e21", "-0.5", "true",
    ] {
        assert_eq!(codes(&task(bad)), ["control_kind"], "{bad}");
    }
    for good in ["\"60\"", "\" 60 \"", "60", "0", "-0", "\"\""] {
        assert_eq!(codes(&task(good)), Vec::<&str>::new(), "{good}");
    }
    let names = chain(&[
        (
            "n",
            "SE_SFScreenpopNewRecord",
            r#"{"entityName": "My Case"}"#,
        ),
        (
            "r",
            "SE_SFRetrieve",
            r#"{"type": "Account", "id": "001", "fields": "Name, Bad-Field, Phone"}"#,
        ),
        (
            "v",
            "SE_SFSaveLog",
            r#"{"entityType": "Case__c", "fieldValues": {"Subject": "x", "1st": "y"}}"#,
        ),
        (
            "c",
            "SE_SFGetContactId",
            r#"{"formattedPhoneNumber": "+15550100001", "fieldName": "Mobile Phone"}"#,
        ),
        ("d", "SE_AgentDialNumber", r#"{"phoneNumber": "   "}"#),
        ("m", "SE_SFScreenpopNewRecord", r#"{"entityName": 0}"#),
        (
            "k",
            "SE_SFCreateTask",
            r#"{"Type": "Call", "Status": "Completed", "Priority": "Normal", "CallType": "inbound", "otherTaskFields": {"Custom__c": "x", "": "y"}}"#,
        ),
    ]);
    let found: Vec<_> = helps(voice, &names)
        .into_iter()
        .map(|d| (d.0, d.1))
        .collect();
    let expected: Vec<_> = ["n", "r", "v", "c", "d", "m", "k"]
        .into_iter()
        .map(|b| ("control_kind", b.to_owned()))
        .collect();
    assert_eq!(found, expected);
    // A boolean's text is never a whole number.
    let boolean_duration = chain(&[
        ("t", "SE_CoreTruthy", r#"{"value": "$.agent.name"}"#),
        (
            "k",
            "SE_SFCreateTask",
            r#"{"Type": "Call", "Status": "Completed", "Priority": "Normal", "CallType": "inbound", "CallDurationInSeconds": "$.actions.t.results"}"#,
        ),
    ]);
    assert_eq!(codes(&boolean_duration), ["control_kind"]);
    // Other references are judged at run time.
    let referenced = chain(&[
        ("p", "SE_ContactProperties", "{}"),
        (
            "n",
            "SE_SFScreenpopNewRecord",
            r#"{"entityName": "$.actions.p.results.queueName"}"#,
        ),
    ]);
    assert_eq!(codes(&referenced), Vec::<&str>::new());
}

#[test]
fn paths_past_a_scalar_are_unknown_fields_for_every_root() {
    let log =
        |reference: &str| chain(&[("l", "SE_Log", &format!(r#"{{"message": "{reference}"}}"#))]);
    let cases = [
        (
            Some(("VoiceContact", Some("onConnecting"))),
            "$.agent.name.first",
            "unknown_field",
        ),
        (
            Some(("VoiceContact", Some("onConnecting"))),
            "$.contact.queueName.x",
            "unknown_field",
        ),
        (
            Some(("VoiceContact", Some("onConnecting"))),
            "$.contact.isInbound[0]",
            "unknown_field",
        ),
        (
            Some(("VoiceContact", Some("onConnecting"))),
            "$.contact.statusDuration.x",
            "unknown_field",
        ),
        (
            Some(("VoiceContact", Some("onConnecting"))),
            "$.contact.status.type.x",
            "unknown_field",
        ),
        (
            Some(("SalesforceUi", Some("onClickToDial"))),
            "$.payload.number.x",
            "unknown_payload_field",
        ),
        (
            Some(("SalesforceUi", Some("onClickToDial"))),
            "$.payload.personAccount.x",
            "unknown_payload_field",
        ),
        (
            Some(("ChatContact", Some("onMessageSent"))),
            "$.payload.content[0]",
            "unknown_payload_field",
        ),
    ];
    for (trigger, reference, code) in cases {
        let found: Vec<_> = helps(trigger, &log(reference))
            .into_iter()
            .map(|d| d.0)
            .collect();
        assert_eq!(found, [code], "{reference}");
    }
    let truthy = chain(&[
        ("t", "SE_CoreTruthy", r#"{"value": "$.agent.name"}"#),
        ("l", "SE_Log", r#"{"message": "$.actions.t.results.x"}"#),
    ]);
    let found: Vec<_> = helps(None, &truthy)
        .into_iter()
        .map(|d| (d.0, d.1))
        .collect();
    assert_eq!(found, [("unknown_field", "l".to_owned())]);
}

#[test]
fn helps_fit_what_was_meant() {
    let decision = |comparator: &str| {
        chain(&[(
            "d",
            "SE_Decision",
            &format!(
                r#"{{"operandA": "$.agent.name", "comparator": "{comparator}", "operandB": "x"}}"#
            ),
        )])
    };
    let help = |text: &str| {
        helps(None, text)
            .into_iter()
            .map(|d| d.2)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        help(&decision("==")),
        ["If-else compares strictly: write `===` for equality (`!==` or `!=` for inequality)"]
    );
    assert_eq!(help(&decision("=>")), ["did you mean `>=`?"]);
    assert_eq!(help(&decision("<==")), ["did you mean `<=`?"]);
    // Examples fit the control.
    let dial = chain(&[("d", "SE_AgentDialNumber", "{}")]);
    assert_eq!(
        help(&dial),
        ["give `phoneNumber` a value, e.g. \"+15550100001\""]
    );
    let pop = chain(&[("p", "SE_SFScreenpopObject", "{}")]);
    assert_eq!(
        help(&pop),
        ["give `recordId` a value, e.g. \"$.actions.<id>.results.sfContactId\""]
    );
    // A dangling port without a close id lists the ids beside it.
    let dangling = flow(&[
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "uid-999-missing"}}"#,
        r#"{"id": "uid-1", "type": "SE_End"}"#,
        r#"{"id": "uid-2", "type": "SE_End"}"#,
        END,
    ]);
    assert_eq!(
        help(&dangling),
        ["connect it to an existing block, e.g. `s`, `uid-1`, `uid-2`"]
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", flow(&[START, END]));
    assert_eq!(any(&text), []);
}

#[test]
fn long_witness_paths_are_shortened() {
    // s → g (lookup) → 30 logs → l reads g; g's failure port skips to the logs.
    let mut actions = vec![
        r#"{"id": "s", "type": "SE_Start", "ports": {"done": "g"}}"#.to_owned(),
        r#"{"id": "g", "type": "SE_SFGetLeadId", "controls": {"formattedPhoneNumber": "+15550100001"}, "ports": {"success": "n0", "failure": "n0"}}"#.to_owned(),
    ];
    for i in 0..30 {
        actions.push(format!(
            r#"{{"id": "n{i}", "type": "SE_Log", "ports": {{"done": "n{}"}}}}"#,
            i + 1
        ));
    }
    actions.push(r#"{"id": "n30", "type": "SE_Log", "controls": {"message": "$.actions.g.results.sfLeadId"}, "ports": {"done": "e"}}"#.to_owned());
    actions.push(END.to_owned());
    let text = format!("{{\"actions\": [\n{}\n]}}", actions.join(",\n"));
    let found = check_source(&text, &Options::default());
    let note = &found[0].notes[0].message;
    assert_eq!(
        note,
        "`g` takes `failure` on this path: s (done) → g (failure) → n0 (done) → n1 (done) → … (25 blocks) … → n27 (done) → n28 (done) → n29 (done) → n30"
    );
}
