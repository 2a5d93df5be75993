//! Conformance on the real exported flows in `../shared/corpus/cti-adapter`: exactly the
//! expected errors (code and block id), at least the expected warnings, and the verdict with
//! the manifest's allowances.
//!
//! The corpus lives beside the repository, not in it. Without it the test is skipped, except in
//! CI (`CI` set), where its absence is a failure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ctiflow_codegen::{Level, Options, Severity, Trigger, check_source};
use serde_json::Value;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cti-adapter");
    if dir.join("manifest.json").is_file() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("the corpus is missing at {}", dir.display());
    } else {
        eprintln!("skipped: no corpus at {}", dir.display());
        None
    }
}

type Verdict = BTreeMap<(String, String), usize>;

fn expected(list: &Value) -> Verdict {
    let mut out = Verdict::new();
    for pair in list.as_array().expect("a list of [code, block]") {
        let code = pair[0].as_str().unwrap().to_owned();
        let block = pair[1].as_str().unwrap().to_owned();
        *out.entry((code, block)).or_default() += 1;
    }
    out
}

fn found(text: &str, options: &Options) -> (Verdict, Verdict) {
    let (mut errors, mut warnings) = (Verdict::new(), Verdict::new());
    for d in check_source(text, options) {
        let key = (
            d.code.as_str().to_owned(),
            d.block.clone().unwrap_or_default(),
        );
        let map = match d.severity {
            Severity::Error => &mut errors,
            Severity::Warning => &mut warnings,
        };
        *map.entry(key).or_default() += 1;
    }
    (errors, warnings)
}

fn compare(file: &str, label: &str, want: &Value, got: &(Verdict, Verdict)) -> Vec<String> {
    let mut failures = Vec::new();
    let want_errors = expected(&want["errors"]);
    if want_errors != got.0 {
        failures.push(format!(
            "{file} ({label}): errors {:?}, expected {:?}",
            got.0, want_errors
        ));
    }
    for (key, n) in expected(&want["warnings"]) {
        if got.1.get(&key).copied().unwrap_or(0) < n {
            failures.push(format!(
                "{file} ({label}): missing warning {key:?}; got {:?}",
                got.1
            ));
        }
    }
    failures
}

#[test]
fn every_corpus_flow_gets_its_verdict() {
    let Some(dir) = corpus_dir() else { return };
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let flows = manifest["flows"].as_object().unwrap();
    assert_eq!(flows.len(), 20);
    let mut failures = Vec::new();
    for (file, want) in flows {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let trigger = Trigger::parse(want["source"].as_str().unwrap(), want["event"].as_str())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut options = Options {
            trigger: Some(trigger),
            ..Options::default()
        };
        failures.extend(compare(file, "as is", want, &found(&text, &options)));
        if let Some(with_allow) = want.get("with_allow") {
            for lint in want["allow"].as_array().unwrap() {
                options
                    .lints
                    .set(lint.as_str().unwrap(), Level::Allow)
                    .unwrap();
            }
            failures.extend(compare(
                file,
                "with allow",
                with_allow,
                &found(&text, &options),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
