//! Rendering diagnostics like rustc: `error[code]: message`, `--> file:line:col`, the JSON
//! snippet with the offending value underlined, notes and help. Built on codespan-reporting.

use std::io::Write as _;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::LineIndex;

/// Renders `diagnostics` about the flow `text` (named `file_name` in the output), with ANSI
/// colours when `color` is set.
pub fn render(file_name: &str, text: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    let file = SimpleFile::new(file_name, text);
    let config = Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        // Rendering only fails for spans outside the file, which the parser never produces;
        // fall back to the one-line form rather than lose the diagnostic.
        if term::emit_to_write_style(&mut buffer, &config, &file, &report(d, text)).is_err() {
            let _ = writeln!(buffer, "{}", one_line(file_name, text, d));
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn report(d: &Diagnostic, text: &str) -> Report<()> {
    let severity = match d.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let clamp = |s: crate::span::Span| {
        let start = s.start.min(text.len());
        start..s.end.clamp(start, text.len())
    };
    let mut labels = Vec::new();
    if let Some(span) = d.span {
        let label = Label::primary((), clamp(span));
        labels.push(match &d.block {
            Some(id) => label.with_message(format!("in block `{id}`")),
            None => label,
        });
    }
    let mut notes = Vec::new();
    for n in &d.notes {
        match n.span {
            Some(s) => labels.push(Label::secondary((), clamp(s)).with_message(&n.message)),
            None => notes.push(format!("note: {}", n.message)),
        }
    }
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// One diagnostic as a macro reports it (inside `compile_error!` or a warning, which add their
/// own `error:`/`warning:`): `[code] message`, then `--> file:line:col` and the snippet in
/// plain ASCII.
pub fn for_macro(file_name: &str, text: &str, d: &Diagnostic) -> String {
    let file = SimpleFile::new(file_name, text);
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut buffer = termcolor::Buffer::no_color();
    if term::emit_to_write_style(&mut buffer, &config, &file, &report(d, text)).is_err() {
        return one_line(file_name, text, d);
    }
    let rendered = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let body = rendered
        .split_once('[')
        .map_or(rendered.as_str(), |(_, rest)| rest);
    format!("[{}", body.trim_end().replacen("]: ", "] ", 1))
}

/// `error[code]: message (block `id`) --> file:line:col`, for one-line outputs.
pub fn one_line(file_name: &str, text: &str, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut line = format!("{severity}[{}]: {}", d.code, d.message);
    if let Some(p) = d.span.map(|s| LineIndex::new(text).line_col(s.start)) {
        line.push_str(&format!(" --> {file_name}:{}:{}", p.line, p.column));
    }
    line
}
