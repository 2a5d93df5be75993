//! `ctiflow.toml`: commands given no file read the project found from the current directory
//! upward; a missing or broken project file is a usage error that says why.

mod common;

use std::path::{Path, PathBuf};

use common::ctiflow_in;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ctiflow-project-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_without_files_checks_every_flow_of_the_project() {
    let out = ctiflow_in(&examples(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let summaries: Vec<&str> = stderr.lines().collect();
    assert_eq!(summaries.len(), 8, "{stderr}");
    assert_eq!(
        summaries[0],
        "flows/incoming-call.json: 0 errors, 0 warnings"
    );
    assert_eq!(
        summaries[6],
        "flows/callback-account.json: 0 errors, 0 warnings"
    );
    // Its extension blocks come from the project's `blocks`.
    assert_eq!(
        summaries[7],
        "flows/after-call-work.json: 0 errors, 0 warnings"
    );
    // Options belong to the files given on the command line.
    let out = ctiflow_in(&examples(), &["check", "--source", "VoiceContact"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn test_without_files_runs_the_projects_scenarios_from_below_it() {
    let out = ctiflow_in(&examples().join("scenarios"), &["test"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("test ../scenarios/incoming-call.json :: a failed search is logged ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("../flows/incoming-call.json: 14/14 edges\n"),
        "{stdout}"
    );
}

#[test]
fn a_project_flow_runs_with_the_projects_trigger() {
    let out = ctiflow_in(&examples(), &["run", "flows/missed-call.json"]);
    // The project binds it to VoiceContact.onMissed; without a contact it fails at its first
    // contact block.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("failed at `"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn no_project_and_broken_projects_are_usage_errors() {
    let empty = scratch("none");
    let out = ctiflow_in(&empty, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no ctiflow.toml in "),
        "{}",
        text(&out.stderr)
    );

    let typo = scratch("typo");
    std::fs::write(
        typo.join("ctiflow.toml"),
        "[[flow]]\nfile = \"x.json\"\nsorce = \"VoiceContact\"\n",
    )
    .unwrap();
    let out = ctiflow_in(&typo, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ctiflow.toml: TOML parse error at line 3, column 1"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `sorce`"), "{stderr}");

    let bad_trigger = scratch("trigger");
    std::fs::write(
        bad_trigger.join("ctiflow.toml"),
        "[[flow]]\nfile = \"x.json\"\nsource = \"VoiceContact\"\nevent = \"onClickToDial\"\n",
    )
    .unwrap();
    let out = ctiflow_in(&bad_trigger, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "ctiflow.toml: flow 1 (x.json): `onClickToDial` is not an event of source VoiceContact"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn blocks_are_declared_per_project_or_on_the_command_line() {
    let flow = [
        "--source",
        "Agent",
        "--event",
        "onAfterCallWork",
        "flows/after-call-work.json",
    ];
    let out = ctiflow_in(&examples(), &[&["check"][..], &flow[..]].concat());
    assert_eq!(
        out.status.code(),
        Some(1),
        "without declarations the blocks are unknown"
    );
    assert!(text(&out.stderr).contains("error[unknown_type]: unknown block type `SE_Delay`"));
    let declared = [&["check", "--blocks", "blocks.toml"][..], &flow[..]].concat();
    let out = ctiflow_in(&examples(), &declared);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let dir = scratch("bad-blocks");
    std::fs::write(
        dir.join("blocks.toml"),
        "[[block]]\ntype = \"SE_Log\"\nname = \"Mine\"\nports = [\"done\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ctiflow.toml"),
        "blocks = \"blocks.toml\"\n\n[[flow]]\nfile = \"x.json\"\n",
    )
    .unwrap();
    let out = ctiflow_in(&dir, &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[shadows_builtin]: `SE_Log` is the built-in block Log to Console"),
        "{stderr}"
    );
    assert!(stderr.contains("blocks.toml:2:8"), "{stderr}");
}
