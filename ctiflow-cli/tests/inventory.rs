//! `ctiflow inventory`: the Open CTI retirement audit of the example project and of the corpus,
//! in each format; user text cannot add markup or spreadsheet formulas.

mod common;

use std::path::{Path, PathBuf};

use common::{ctiflow, ctiflow_in};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

#[test]
fn the_example_project_in_markdown() {
    let out = ctiflow_in(&examples(), &["inventory"]);
    let md = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        md.starts_with("# Open CTI inventory\n\n## flows/incoming-call.json\n\n"),
        "{md}"
    );
    assert!(md.contains(
        "Trigger VoiceContact.onConnecting; server-side signal: approximate: contact event \
         QUEUED / INITIATED (EventBridge).\n"
    ));
    assert!(
        md.contains("| search | Search And Screenpop | browser only | yes |\n"),
        "{md}"
    );
    assert!(md.contains("| dial | Dial Number | changes meaning off the browser | yes |\n"));
    assert!(
        md.contains("Open CTI calls: saveLog ×1, searchAndScreenPop ×1.\n"),
        "{md}"
    );
    assert!(md.contains(
        "Writes Task: CallObject, CallType, IsClosed, Priority, Status, Subject, TaskSubtype, \
         Type, WhatId.\n"
    ));
    assert!(md.contains("Trigger SalesforceUi.onClickToDial; server-side signal: none.\n"));
    assert!(md.contains("| browser only | 6 |\n"), "{md}");
    assert!(md.contains("Flows that need the agent's browser (5 of 8): flows/incoming-call.json,"));
    // Declared blocks are audited by their declared class.
    assert!(md.contains("| wait | Delay | pure | yes |\n"), "{md}");
    assert!(
        md.contains("| available | Set Agent Status | server: Connect API | yes |\n"),
        "{md}"
    );
}

#[test]
fn json_and_csv_carry_the_same_audit() {
    let out = ctiflow_in(&examples(), &["inventory", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let summary = &report["summary"];
    assert_eq!(summary["flows"], 8);
    assert_eq!(summary["open_cti"]["saveLog"], 4);
    assert_eq!(summary["open_cti"]["onClickToDial"], 1);
    assert_eq!(
        summary["writes"]["Case"],
        serde_json::json!(["Origin", "Status", "Subject"])
    );
    let incoming = &report["flows"][0]["inventory"];
    assert_eq!(incoming["server_signal"]["fidelity"], "approximate");
    assert_eq!(incoming["blocks"][3]["portability"], "browser only");

    let out = ctiflow_in(&examples(), &["inventory", "--format", "csv"]);
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("file,trigger,block,type,name,portability,reachable")
    );
    assert_eq!(
        lines.nth(3),
        Some(
            "flows/incoming-call.json,VoiceContact.onConnecting,search,SE_SFSearchAndScreenpop,\
             Search And Screenpop,browser only,true"
        )
    );
}

#[test]
fn flow_text_cannot_add_markup_or_formulas() {
    let dir = std::env::temp_dir().join(format!("ctiflow-inventory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flow = dir.join("hostile.json");
    std::fs::write(
        &flow,
        r#"{"actions": [
            {"id": "=HYPERLINK(\"x\")", "type": "SE_Start", "ports": {"done": "a|b<script>"}},
            {"id": "a|b<script>", "type": "SE_Mystery", "ports": {"done": "e"}},
            {"id": "e", "type": "SE_End"}]}"#,
    )
    .unwrap();
    let path = flow.display().to_string();
    let md = text(&ctiflow(&["inventory", &path]).stdout);
    assert!(
        md.contains("| a\\|b\\<script\\> | SE\\_Mystery | unknown type | yes |\n"),
        "{md}"
    );
    assert!(md.contains("Unknown block types: SE\\_Mystery.\n"), "{md}");
    let csv = text(&ctiflow(&["inventory", "--format", "csv", &path]).stdout);
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"x\"\")\",SE_Start,"),
        "{csv}"
    );
}

#[test]
fn every_corpus_flow_is_audited() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut pops = 0;
    for (file, path, _, trigger) in &corpus {
        let mut args = vec!["inventory", "--format", "json", path.as_str()];
        args.extend(trigger.iter().map(String::as_str));
        let out = ctiflow(&args);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let calls = &report["summary"]["open_cti"];
        if calls
            .as_object()
            .unwrap()
            .keys()
            .any(|c| c.starts_with("screenPop") || c == "searchAndScreenPop")
        {
            pops += 1;
        }
    }
    // The public flows pop in most of them (user-needs §4.3 counts 13 of 17).
    assert!(pops >= 13, "{pops} corpus flows pop");
}
