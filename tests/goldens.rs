//! Golden files: the generated code of every corpus flow the manifest expects to compile,
//! straight from the codegen library, reviewed in diffs. `CTIFLOW_BLESS=1 cargo test --test
//! goldens` rewrites them. `tests/corpus_runs.rs` compiles them (`#![deny(warnings)]`) and runs
//! them against the sandbox.

use std::path::{Path, PathBuf};

use ctiflow_codegen::{Level, Options, Target, Trigger, generate, names, pretty};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cti-adapter");
    if dir.join("manifest.json").exists() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus must be at ../shared/corpus/cti-adapter in CI"
        );
        None
    }
}

#[test]
fn goldens_match_the_generator() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: no corpus at ../shared");
        return;
    };
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let bless = std::env::var_os("CTIFLOW_BLESS").is_some();
    let goldens = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens");
    let mut expected_files = Vec::new();
    let mut mismatched = Vec::new();
    for (file, verdict) in manifest["flows"].as_object().unwrap() {
        let allow: Vec<&str> = verdict["allow"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let errors = if allow.is_empty() {
            &verdict["errors"]
        } else {
            &verdict["with_allow"]["errors"]
        };
        if !errors.as_array().unwrap().is_empty() {
            continue;
        }
        let trigger = Trigger::parse(
            verdict["source"].as_str().unwrap(),
            verdict["event"].as_str(),
        )
        .unwrap();
        let mut options = Options {
            trigger: Some(trigger),
            ..Options::default()
        };
        for lint in allow {
            options.lints.set(lint, Level::Allow).unwrap();
        }
        let module = names::module_for(Path::new(file));
        let mut target = Target::new(&module);
        target.file = Some(file.clone());
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let generated = generate(&text, &options, &target);
        assert!(
            !generated.has_errors(),
            "{file}: {:?}",
            generated.diagnostics
        );
        let code = pretty::file(generated.tokens, file).expect("the emitter's tokens parse");
        let path = goldens.join(format!("{module}.rs"));
        expected_files.push(format!("{module}.rs"));
        if bless {
            std::fs::write(&path, &code).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            mismatched.push(path.display().to_string());
        }
    }
    assert_eq!(expected_files.len(), 17, "corpus flows expected to compile");
    assert!(
        mismatched.is_empty(),
        "goldens differ from the generator (CTIFLOW_BLESS=1 to accept): {mismatched:?}"
    );
    let mut present: Vec<String> = std::fs::read_dir(&goldens)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    expected_files.sort();
    assert_eq!(present, expected_files, "stale or missing goldens");
}
