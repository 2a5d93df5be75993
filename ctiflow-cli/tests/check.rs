//! `ctiflow check`: rendering, JSON output and exit statuses.

mod common;

use common::{ctiflow, fixture};

#[test]
fn a_clean_flow_exits_zero() {
    let out = ctiflow(&[
        "check",
        "--source",
        "Amazon Connect Voice Contact",
        "--event",
        "onConnecting",
        &fixture("pop-caller.json"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with("pop-caller.json: 0 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn errors_render_like_rustc_and_exit_one() {
    let file = fixture("broken.json");
    let out = ctiflow(&[
        "check",
        "--source",
        "VoiceContact",
        "--event",
        "onConnecting",
        &file,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = format!(
        "error[maybe_unset]: `$.actions.prop.results.contactId` may be unset when block `pop` runs\n  \
         ┌─ {file}:7:33\n"
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    let value = "\"$.actions.prop.results.contactId\"";
    assert!(
        stderr.contains(&format!("{} in block `pop`", "^".repeat(value.len()))),
        "{stderr}"
    );
    assert!(
        stderr.contains("= note: `prop` does not run on this path: start (done) → pop"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: make every path to `pop`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[unreachable]: block `prop` is never reached from Start"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken.json: 1 error, 1 warning"),
        "{stderr}"
    );
}

#[test]
fn lints_can_be_allowed_and_denied() {
    let file = fixture("broken.json");
    let out = ctiflow(&[
        "check",
        "--allow",
        "maybe_unset",
        "--deny",
        "unreachable",
        &file,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[unreachable]"), "{stderr}");
    assert!(!stderr.contains("maybe_unset"), "{stderr}");
    let out = ctiflow(&[
        "check",
        "--allow",
        "maybe_unset",
        "--allow",
        "unreachable",
        &file,
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn json_format_is_machine_readable() {
    let file = fixture("broken.json");
    let out = ctiflow(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(v["files"][0]["file"], file.as_str());
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "maybe_unset");
    assert_eq!(d["block"], "pop");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(33))
    );
}

#[test]
fn usage_and_io_problems_exit_two() {
    let missing = ctiflow(&["check", "no/such/flow.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no/such/flow.json"));
    let bad_source = ctiflow(&["check", "--source", "Voice", &fixture("broken.json")]);
    assert_eq!(bad_source.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_source.stderr).contains("unknown source `Voice`"));
    let bad_event = ctiflow(&[
        "check",
        "--source",
        "Agent",
        "--event",
        "onClickToDial",
        &fixture("broken.json"),
    ]);
    assert_eq!(bad_event.status.code(), Some(2));
    let bad_lint = ctiflow(&["check", "--allow", "json", &fixture("broken.json")]);
    assert_eq!(bad_lint.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_lint.stderr).contains("not a lint"));
    assert_eq!(ctiflow(&["check"]).status.code(), Some(2));
    assert_eq!(ctiflow(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn json_reports_unreadable_files_as_diagnostics_and_keeps_going() {
    let out = ctiflow(&[
        "check",
        "--format",
        "json",
        "no/such/flow.json",
        &fixture("broken.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], "no/such/flow.json");
    let d = &files[0]["diagnostics"][0];
    assert_eq!(d["code"], "io");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read no/such/flow.json")
    );
    assert!(!files[1]["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = std::env::temp_dir().join(format!("ctiflow-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bom.json");
    std::fs::write(
        &file,
        "\u{feff}{\"actions\": [{\"id\": \"s\", \"type\": \"SE_Start\", \"ports\": {\"done\": \"e\"}}, {\"id\": \"e\", \"type\": \"SE_End\"}]}",
    )
    .unwrap();
    let out = ctiflow(&["check", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_has_a_rule_per_code_and_results_located_in_the_file() {
    let broken = fixture("broken.json");
    let out = ctiflow(&["check", "--format", "sarif", &broken, "missing.json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable file is a usage error"
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ctiflow_codegen::Code::ALL.len());
    let maybe_unset = rules.iter().find(|r| r["id"] == "maybe_unset").unwrap();
    assert_eq!(maybe_unset["defaultConfiguration"]["level"], "error");
    assert_eq!(
        maybe_unset["shortDescription"]["text"],
        "A reference whose value is not definitely available where it is used."
    );
    assert!(
        maybe_unset["help"]["text"]
            .as_str()
            .unwrap()
            .contains("--allow maybe_unset")
    );
    let results = run["results"].as_array().unwrap();
    let first = &results[0];
    assert_eq!(first["ruleId"], "maybe_unset");
    assert_eq!(first["level"], "error");
    assert_eq!(
        rules[first["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "maybe_unset"
    );
    let place = &first["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], broken.as_str());
    assert_eq!(place["region"]["startLine"], 7);
    assert_eq!(place["region"]["startColumn"], 33);
    assert!(
        first["message"]["text"]
            .as_str()
            .unwrap()
            .contains("\nhelp: ")
    );
    let unreadable = results.last().unwrap();
    assert_eq!(unreadable["ruleId"], "io");
    assert_eq!(
        unreadable["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.json"
    );
}
