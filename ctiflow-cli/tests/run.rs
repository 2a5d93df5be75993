//! `ctiflow run` and `ctiflow test` end to end: output and exit status, on the project's
//! example flow and its scenarios, on scenarios that expect the wrong thing, and on bad
//! scenario files.

mod common;

use std::path::PathBuf;

use common::{ctiflow, fixture};

fn example(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(path)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ONE_CASE: &str = "one matching Case gets a completed call Task";

#[test]
fn run_prints_each_step_the_outcome_and_the_effects() {
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--scenario",
        &example("scenarios/incoming-call.json"),
        "--case",
        ONE_CASE,
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "start      SE_Start → done");
    assert!(
        lines[3].starts_with(
            "search     SE_SFSearchAndScreenpop \"Search Salesforce and pop\" → success  {\"ExactMatch\":true,\"Id\":\"5005g0000000001AAA\""
        ),
        "{}",
        lines[3]
    );
    assert_eq!(lines[8], "end        SE_End (ends here)");
    assert_eq!(lines[9], "completed at `end`");
    assert_eq!(
        lines[10],
        "effect: {\"effect\":\"screen_pop\",\"id\":\"5005g0000000001AAA\",\"pop\":\"record\"}"
    );
    assert!(lines[11].starts_with("effect: {\"effect\":\"record_created\""));
}

#[test]
fn run_as_json_is_the_trace_as_data() {
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--scenario",
        &example("scenarios/incoming-call.json"),
        "--case",
        "a failed search is logged",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(run["outcome"]["outcome"], "completed");
    assert_eq!(run["trigger"], "VoiceContact.onConnecting");
    let ports: Vec<(&str, &str)> = run["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["block"].as_str().unwrap(),
                s["port"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        ports,
        [
            ("start", "done"),
            ("caller", "done"),
            ("e164", "done"),
            ("search", "failure"),
            ("search-failed", "done"),
            ("end", "")
        ]
    );
    assert_eq!(
        run["trace"][3]["error"]["message"],
        "Salesforce is unavailable"
    );
}

#[test]
fn a_run_that_fails_exits_with_1() {
    // No scenario: no contact, so the first contact block fails the run.
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--source",
        "VoiceContact",
        "--event",
        "onConnecting",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("failed at `caller`: the event has no contact"),
        "{stdout}"
    );
}

#[test]
fn bad_scenario_files_are_usage_errors_with_their_position() {
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--scenario",
        &fixture("scenarios/unknown-key.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with(
            "unknown-key.json:3:60: unknown field `phnoe`, expected one of `channel`, \
             `contactId`, `phone`, `country`, `queue`, `attributes`, `statusDuration`\n"
        ),
        "{stderr}"
    );
    // A record id that is not one, found at its place in the file.
    let dir = std::env::temp_dir().join(format!("ctiflow-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad-id.json");
    std::fs::write(
        &bad,
        "{\"cases\": [{\"name\": \"x\",\n  \"org\": {\"Case\": [{\"Id\": \"nope\"}]}}]}",
    )
    .unwrap();
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--scenario",
        &bad.display().to_string(),
        "--source",
        "VoiceContact",
        "--event",
        "onConnecting",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).ends_with(
            "bad-id.json:2:27: \"nope\" is not a Salesforce id (15 or 18 letters and digits)\n"
        ),
        "{}",
        text(&out.stderr)
    );
    // Several cases and none chosen.
    let out = ctiflow(&[
        "run",
        &example("flows/incoming-call.json"),
        "--scenario",
        &example("scenarios/incoming-call.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("has 5 cases; choose one with --case: one matching Case"));
}

#[test]
fn test_runs_every_case_and_reaches_full_edge_coverage_of_the_example() {
    let junit = std::env::temp_dir().join(format!("ctiflow-junit-{}.xml", std::process::id()));
    let out = ctiflow(&[
        "test",
        &example("scenarios/incoming-call.json"),
        "--junit",
        &junit.display().to_string(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.matches(" ... ok\n").count(), 5, "{stdout}");
    assert!(
        stdout.contains("incoming-call.json: 14/14 edges\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\ntest result: ok. 5 passed; 0 failed\n"),
        "{stdout}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(
            "<testsuites name=\"ctiflow\" tests=\"5\" skipped=\"0\" failures=\"0\" errors=\"0\">"
        ),
        "{xml}"
    );
}

#[test]
fn a_case_that_expects_the_wrong_thing_says_which_expectation_and_what_happened() {
    let out = ctiflow(&["test", &fixture("scenarios/wrong.json")]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(":: expects the wrong branch ... FAILED\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    notVisited[0]: block `task` ran (step 8)\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("    ports.is-case: expected `is-case` to take `false`, but it took true\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "    effects[0]: {\"effect\":\"screen_pop\",\"pop\":\"search\"} did not happen; the run completed at `end`; its effects: {\"effect\":\"screen_pop\",\"id\":\"5005g0000000001AAA\",\"pop\":\"record\"}"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    never[0]: {\"effect\":\"record_created\""),
        "{stdout}"
    );
    assert!(
        stdout.contains(":: expects what happens ... ok\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "examples/flows/incoming-call.json: 9/14 edges; never: search→failure, \
             is-case→false, task→failure, search-failed→done, task-failed→done\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\ntest result: FAILED. 1 passed; 1 failed\n"),
        "{stdout}"
    );
}

#[test]
fn the_scenario_schema_describes_the_format() {
    let out = ctiflow(&["schema", "scenario"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "Scenarios");
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["properties"]["cases"].is_object(), "{schema}");
    // The example project's copy, which its scenario files name, is this schema.
    let kept = std::fs::read_to_string(example("scenarios/scenario.schema.json")).unwrap();
    assert_eq!(
        kept,
        text(&out.stdout),
        "examples/scenarios/scenario.schema.json is stale: ctiflow schema scenario > it"
    );
    let case = &schema["$defs"]["Case"];
    assert_eq!(case["additionalProperties"], false);
    for key in [
        "contact", "org", "store", "failing", "hanging", "limits", "expect",
    ] {
        assert!(case["properties"][key].is_object(), "{key}: {case}");
    }
}

#[test]
fn a_closed_output_ends_the_command_without_a_panic() {
    use std::process::{Command, Stdio};
    // A cycle run to the step limit prints far more than a pipe holds.
    let dir = std::env::temp_dir().join(format!("ctiflow-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flow = dir.join("spin.json");
    std::fs::write(
        &flow,
        r#"{"actions": [
            {"id": "s", "type": "SE_Start", "ports": {"done": "t"}},
            {"id": "t", "type": "SE_CoreTruthy", "controls": {"value": false},
             "ports": {"true": "e", "false": "t"}},
            {"id": "e", "type": "SE_End"}]}"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctiflow"))
        .args(["run", &flow.display().to_string(), "--source", "CtiAction"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "the run hit the step limit");
}

#[test]
fn graph_draws_blocks_ports_unreachable_blocks_errors_and_a_path() {
    let out = ctiflow(&["graph", &fixture("broken.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "flowchart TD
    n0[\"Start<br>start\"]
    n1[\"Screenpop Object<br>pop\"]
    n2[\"Get Contact Properties<br>prop\"]
    n3[\"End<br>end\"]
    n0 -->|done| n1
    n1 -->|success| n3
    n2 -->|done| n3
    classDef unreachable fill:#eeeeee,color:#888888,stroke-dasharray:4 3
    classDef error stroke:#cc0000,stroke-width:3px
    classDef taken fill:#ddf5dd
    class n2 unreachable
    class n1 error
"
    );
    let out = ctiflow(&[
        "graph",
        &example("flows/incoming-call.json"),
        "--scenario",
        &example("scenarios/incoming-call.json"),
        "--case",
        "a failed search is logged",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("    n4[\"Is Truthy?<br>one-match\"]\n"),
        "{stdout}"
    );
    assert!(stdout.contains("    n3 -.->|failure| n8\n"), "{stdout}");
    assert!(
        stdout.contains("    class n0,n1,n2,n3,n8,n10 taken\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("    linkStyle 0,1,2,4,12 stroke:#2a8f2a,stroke-width:3px\n"),
        "{stdout}"
    );
}

/// Every corpus flow: `graph` draws a node per block (Mermaid and SVG), `check --format sarif`
/// reports errors exactly where the manifest expects them, and `run` (on an empty sandbox for
/// the manifest's trigger) loads exactly the flows the manifest expects to check, and runs them
/// to an outcome.
#[test]
fn every_corpus_flow_is_drawn_and_run() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for (file, path, verdict, trigger) in &corpus {
        let trigger: Vec<&str> = trigger.iter().map(String::as_str).collect();
        let path = path.as_str();
        let mut args = vec!["graph", path];
        args.extend(&trigger);
        let out = ctiflow(&args);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        let picture = text(&out.stdout);
        let flow: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let blocks = flow["actions"].as_array().map_or(0, Vec::len);
        assert_eq!(picture.matches("[\"").count(), blocks, "{file}: {picture}");
        let out = ctiflow(&["graph", "--format", "svg", path]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert!(
            roxmltree::Document::parse(&text(&out.stdout)).is_ok(),
            "{file}"
        );

        let errors = !verdict["errors"].as_array().unwrap().is_empty();
        let mut args = vec!["check", "--format", "sarif", path];
        args.extend(&trigger);
        let out = ctiflow(&args);
        assert_eq!(out.status.code(), Some(i32::from(errors)), "{file}");
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(
            results.iter().any(|r| r["level"] == "error"),
            errors,
            "{file}: {results:?}"
        );

        let mut args = vec!["run", path];
        args.extend(&trigger);
        let out = ctiflow(&args);
        let expected: &[i32] = if errors { &[2] } else { &[0, 1] };
        assert!(
            expected.contains(&out.status.code().unwrap_or(-1)),
            "{file}: exit {:?}: {}",
            out.status.code(),
            text(&out.stderr)
        );
        if !errors {
            let stdout = text(&out.stdout);
            let last = stdout.lines().rev().find(|l| !l.starts_with("effect: "));
            assert!(
                last.is_some_and(|l| [
                    "completed at",
                    "failed at",
                    "timed out at",
                    "stopped before"
                ]
                .iter()
                .any(|o| l.starts_with(o))),
                "{file}: {last:?}"
            );
        }
    }
}

/// The SVG of every example flow (and of the flow of hostile titles) is well-formed XML whose
/// text names every block; the README's picture is the current drawing.
#[test]
fn svg_pictures_are_well_formed_and_name_every_block() {
    let mut flows: Vec<PathBuf> = std::fs::read_dir(example("flows"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    flows.push(PathBuf::from(example(
        "generated/flows/hostile-titles.json",
    )));
    flows.sort();
    for flow in &flows {
        let path = flow.display().to_string();
        let out = ctiflow(&["graph", "--format", "svg", &path]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stderr));
        let svg = text(&out.stdout);
        let document = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{path}: not well-formed XML: {e}"));
        let shown: Vec<&str> = document
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(flow).unwrap()).unwrap();
        for action in json["actions"].as_array().unwrap() {
            let id = action["id"].as_str().unwrap();
            let plain: String = id
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            assert!(
                shown.contains(&plain.as_str()),
                "{path}: block `{id}` is not named"
            );
        }
    }
    // A flow without blocks is an empty picture, not a failure of the layout.
    let empty = std::env::temp_dir().join(format!("ctiflow-empty-{}.json", std::process::id()));
    std::fs::write(&empty, r#"{"actions": []}"#).unwrap();
    let out = ctiflow(&["graph", "--format", "svg", &empty.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(roxmltree::Document::parse(&text(&out.stdout)).is_ok());
    let out = ctiflow(&[
        "graph",
        "--format",
        "svg",
        &example("flows/incoming-call.json"),
        "--scenario",
        &example("scenarios/incoming-call.json"),
        "--case",
        ONE_CASE,
    ]);
    let kept = std::fs::read_to_string(example("incoming-call.svg")).unwrap();
    assert_eq!(
        kept,
        text(&out.stdout),
        "examples/incoming-call.svg is stale: regenerate it with the command in the README"
    );
}

#[test]
fn dot_is_graphviz_that_parses_and_keeps_flow_text_in_its_labels() {
    let out = ctiflow(&["graph", "--format", "dot", &fixture("broken.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        r##"digraph flow {
    node [shape=box, style="rounded,filled", fillcolor=white];
    n0 [label="Start\nstart"];
    n1 [label="Screenpop Object\npop", color="#cc0000", penwidth=3];
    n2 [label="Get Contact Properties\nprop", fillcolor="#eeeeee", fontcolor="#888888", style="rounded,filled,dashed"];
    n3 [label="End\nend"];
    n0 -> n1 [label="done"];
    n1 -> n3 [label="success"];
    n2 -> n3 [label="done"];
}
"##
    );
    let hostile = example("generated/flows/hostile-titles.json");
    let out = ctiflow(&["graph", "--format", "dot", &hostile]);
    let dot = text(&out.stdout);
    let mut parser = layout::gv::DotParser::new(&dot);
    assert!(parser.process().is_ok(), "{dot}");
    let flow: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&hostile).unwrap()).unwrap();
    let nodes = dot
        .lines()
        .filter(|l| l.contains(" [label=") && !l.contains(" -> "))
        .count();
    assert_eq!(nodes, flow["actions"].as_array().unwrap().len(), "{dot}");
}
