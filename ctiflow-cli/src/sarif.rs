//! `ctiflow check --format sarif`: SARIF 2.1.0 for code-scanning services. One rule per
//! diagnostic code, with its meaning and default level; each diagnostic a result located in
//! its JSON file (lines and columns in Unicode code points, as the other formats count them).

use ctiflow_codegen::{Code, Diagnostic, LineIndex, Severity};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    SCHEMA_URL, Sarif, Tool, ToolComponent,
};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The rules: every diagnostic code.
fn rules() -> Vec<ReportingDescriptor> {
    Code::ALL
        .iter()
        .map(|code| {
            let what = if code.is_lint() {
                format!("{} It is a lint: `--allow {}` or `--deny {}` in `ctiflow check`, or `allow`/`deny` in ctiflow.toml.", code.description(), code.as_str(), code.as_str())
            } else {
                code.description().to_owned()
            };
            ReportingDescriptor::builder()
                .id(code.as_str())
                .short_description(MultiformatMessageString::builder().text(code.description()).build())
                .help(MultiformatMessageString::builder().text(what).build())
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(code.default_severity())))
                        .build(),
                )
                .build()
        })
        .collect()
}

/// The results of one file's diagnostics.
pub fn results(file: &str, text: &str, diagnostics: &[Diagnostic]) -> Vec<SarifResult> {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            for note in &d.notes {
                message.push_str(&format!("\nnote: {}", note.message));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let mut location = PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(file).build())
                .build();
            if let Some(span) = d.span {
                let (start, end) = (index.line_col(span.start), index.line_col(span.end));
                let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
                location.region = Some(
                    Region::builder()
                        .start_line(number(start.line))
                        .start_column(number(start.column))
                        .end_line(number(end.line))
                        .end_column(number(end.column))
                        .byte_offset(number(span.start))
                        .byte_length(number(span.end.saturating_sub(span.start)))
                        .build(),
                );
            }
            let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            SarifResult::builder()
                .rule_id(d.code.as_str())
                .rule_index(i64::try_from(rule_index).unwrap_or(0))
                .level(match d.severity {
                    Severity::Error => ResultLevel::Error,
                    Severity::Warning => ResultLevel::Warning,
                })
                .message(Message::builder().text(message).build())
                .locations(vec![
                    Location::builder().physical_location(location).build(),
                ])
                .build()
        })
        .collect()
}

/// The result for a file that cannot be read (rule `io`, not a diagnostic code).
pub fn unreadable(file: &str, message: &str) -> SarifResult {
    SarifResult::builder()
        .rule_id("io")
        .level(ResultLevel::Error)
        .message(Message::builder().text(message).build())
        .locations(vec![
            Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(file).build())
                        .build(),
                )
                .build(),
        ])
        .build()
}

/// The SARIF log of one run of `ctiflow check`.
pub fn log(results: Vec<SarifResult>) -> String {
    let driver = ToolComponent::builder()
        .name("ctiflow")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(json!("unicodeCodePoints"))
        .results(results)
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&sarif).unwrap_or_default()
}
