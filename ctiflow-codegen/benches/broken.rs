//! Flows with errors in bulk, shared by the checker benchmark and the robustness tests.

/// A flow with errors in bulk, on one line as a minified export is: `n` blocks whose
/// references name blocks that do not exist (`unknown_block`, each with a "did you mean"
/// search), or `n` blocks that repeat one id (`duplicate_id`).
#[derive(Clone, Copy, Debug)]
pub enum Broken {
    /// `n` references to missing blocks.
    DanglingReferences,
    /// `n` blocks with the id `e`.
    DuplicateIds,
}

/// A one-line flow of `n` broken blocks.
pub fn broken(kind: Broken, n: usize) -> String {
    let mut actions =
        vec![r#"{"id": "s", "type": "SE_Start", "ports": {"done": "l0"}}"#.to_owned()];
    for i in 0..n {
        actions.push(match kind {
            Broken::DanglingReferences => format!(
                r#"{{"id": "l{i}", "type": "SE_Log", "controls": {{"message": "$.actions.x{i}.results.value"}}, "ports": {{"done": "l{}"}}}}"#,
                i + 1
            ),
            Broken::DuplicateIds => r#"{"id": "e", "type": "SE_End"}"#.to_owned(),
        });
    }
    actions.push(format!(r#"{{"id": "l{n}", "type": "SE_End"}}"#));
    format!("{{\"actions\": [{}]}}", actions.join(", "))
}
