//! Running the binary on fixtures. Each test file uses some of these.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The path of a fixture.
pub fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs `ctiflow` with `args`, without colours.
pub fn ctiflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ctiflow"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Runs `ctiflow` with `args` in `dir`, without colours.
pub fn ctiflow_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ctiflow"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// A corpus flow: its file name, its path, the manifest's verdict, and its `--source`/`--event`
/// arguments.
pub type CorpusFlow = (String, String, serde_json::Value, Vec<String>);

/// The corpus flows; `None` when the corpus is not beside the checkout (never in CI).
pub fn corpus() -> Option<Vec<CorpusFlow>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/cti-adapter");
    let Ok(manifest) = std::fs::read_to_string(dir.join("manifest.json")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus must be there in CI"
        );
        return None;
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("the manifest");
    let flows = manifest["flows"].as_object().expect("flows");
    Some(
        flows
            .iter()
            .map(|(file, verdict)| {
                let mut trigger = vec![
                    "--source".to_owned(),
                    verdict["source"].as_str().unwrap_or_default().to_owned(),
                ];
                if let Some(event) = verdict["event"].as_str() {
                    trigger.extend(["--event".to_owned(), event.to_owned()]);
                }
                let path = dir.join(file).display().to_string();
                (file.clone(), path, verdict.clone(), trigger)
            })
            .collect(),
    )
}
