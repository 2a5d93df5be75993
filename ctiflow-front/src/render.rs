//! Rendering diagnostics like rustc: `error[code]: message`, `--> file:line:col`, the JSON
//! snippet with the offending value underlined, notes and help. Built on codespan-reporting.
//!
//! Output stays proportional to what is wrong, not to the file: a line longer than
//! [`LONG_LINE`] characters (a minified export is one line) is shown as an excerpt around the
//! span, `…` on the sides it was cut; and the human form prints at most [`PER_CODE`]
//! diagnostics of one code, then how many more there are.

use std::collections::HashMap;
use std::io::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{self, Files, SimpleFile};
use codespan_reporting::term::{self, Chars, Config};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::span::{LineCol, LineIndex, Span};

/// Lines longer than this many bytes are shown as excerpts.
pub const LONG_LINE: usize = 240;
/// Bytes of context shown on each side of a span in an excerpt, and the most of a span shown.
const CONTEXT: usize = 60;
/// The most diagnostics of one code the human form prints.
pub const PER_CODE: usize = 50;

/// A flow's text, indexed once for every diagnostic about it.
pub struct Source<'a> {
    name: &'a str,
    text: &'a str,
    index: LineIndex<'a>,
    file: SimpleFile<&'a str, &'a str>,
}

impl<'a> Source<'a> {
    /// The flow `text`, shown as `name`.
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        Source {
            name,
            text,
            index: LineIndex::new(text),
            file: SimpleFile::new(name, text),
        }
    }

    /// The line and column of `span`'s start.
    pub fn position(&self, span: Span) -> LineCol {
        self.index.line_col(span.start)
    }

    fn clamp(&self, span: Span) -> Range<usize> {
        let start = span.start.min(self.text.len());
        start..span.end.clamp(start, self.text.len())
    }

    /// The byte range of the line holding byte `offset`, without its line break.
    fn line_of(&self, offset: usize) -> Range<usize> {
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        start..end
    }

    /// Writes one diagnostic in codespan's style; falls back to the one-line form.
    fn emit(&self, buffer: &mut termcolor::Buffer, config: &Config, d: &Diagnostic) {
        let long = d.span.is_some_and(|s| {
            let line = self.line_of(self.clamp(s).start);
            line.len() > LONG_LINE
        });
        let written = if long {
            let (excerpt, report) = self.excerpt(d);
            term::emit_to_write_style(buffer, config, &excerpt, &report)
        } else {
            let report = report(self, d, |s| Some(self.clamp(s)));
            term::emit_to_write_style(buffer, config, &self.file, &report)
        };
        // Rendering fails only for spans outside the file, which the parser never produces.
        if written.is_err() {
            let _ = writeln!(buffer, "{}", one_line(self, d));
        }
    }

    /// `d` over an excerpt of its primary span's line: labels elsewhere become notes with
    /// their position.
    fn excerpt(&self, d: &Diagnostic) -> (Excerpt<'_>, Report<()>) {
        let primary = self.clamp(d.span.unwrap_or_default());
        let line = self.line_of(primary.start);
        let shown_end = floor_boundary(self.text, primary.end.min(primary.start + CONTEXT));
        let start = floor_boundary(
            self.text,
            primary.start.saturating_sub(CONTEXT).max(line.start),
        );
        let end = floor_boundary(
            self.text,
            (shown_end + CONTEXT).min(line.end).max(shown_end),
        );
        let before = if start > line.start { "…" } else { "" };
        let after = if end < line.end { "…" } else { "" };
        let excerpt = Excerpt {
            name: self.name,
            text: format!("{before}{}{after}", &self.text[start..end]),
            start,
            prefix: before.len(),
            source: self,
            line_start: line.start,
        };
        let report = report(self, d, |s| {
            let s = self.clamp(s);
            (s.start >= start && s.start <= end).then(|| {
                let from = s.start - start + before.len();
                from..(s.end.min(end) - start + before.len()).max(from)
            })
        });
        (excerpt, report)
    }
}

/// The largest char boundary of `text` at or below `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One line of a flow, cut around a diagnostic, as codespan's only file: line and column
/// numbers are those of the whole text.
struct Excerpt<'a> {
    name: &'a str,
    text: String,
    /// Where the excerpt starts in the whole text.
    start: usize,
    /// Bytes of `…` before it.
    prefix: usize,
    source: &'a Source<'a>,
    line_start: usize,
}

impl<'f> Files<'f> for Excerpt<'_> {
    type FileId = ();
    type Name = &'f str;
    type Source = &'f str;

    fn name(&'f self, (): ()) -> Result<&'f str, files::Error> {
        Ok(self.name)
    }

    fn source(&'f self, (): ()) -> Result<&'f str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'f self, (): (), _: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'f self, (): (), _: usize) -> Result<usize, files::Error> {
        Ok(self.source.index.line_col(self.line_start).line)
    }

    fn column_number(&'f self, (): (), _: usize, byte: usize) -> Result<usize, files::Error> {
        let offset = self.start + byte.saturating_sub(self.prefix);
        let offset = floor_boundary(self.source.text, offset);
        Ok(self.source.index.line_col(offset).column)
    }

    fn line_range(&'f self, (): (), _: usize) -> Result<Range<usize>, files::Error> {
        Ok(0..self.text.len())
    }
}

/// `d` as codespan's report; `place` maps a span to the excerpt's range, `None` when it lies
/// outside what is shown (its note then says where it is).
fn report(
    source: &Source<'_>,
    d: &Diagnostic,
    place: impl Fn(Span) -> Option<Range<usize>>,
) -> Report<()> {
    let severity = match d.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(range) = d.span.and_then(&place) {
        let label = Label::primary((), range);
        labels.push(match &d.block {
            Some(id) => label.with_message(format!("in block `{id}`")),
            None => label,
        });
    }
    let mut notes = Vec::new();
    for n in &d.notes {
        match n.span.map(|s| (s, place(s))) {
            Some((_, Some(range))) => {
                labels.push(Label::secondary((), range).with_message(&n.message))
            }
            Some((s, None)) => {
                let p = source.position(s);
                notes.push(format!("note: {} (at {}:{})", n.message, p.line, p.column))
            }
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

/// Renders `diagnostics` about `source`, with ANSI colours when `color` is set: at most
/// [`PER_CODE`] of each code, then a line saying how many more there are.
pub fn render(source: &Source<'_>, diagnostics: &[Diagnostic], color: bool) -> String {
    let config = Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let mut shown: HashMap<Code, usize> = HashMap::new();
    for d in diagnostics {
        let count = shown.entry(d.code).or_default();
        *count += 1;
        if *count <= PER_CODE {
            source.emit(&mut buffer, &config, d);
        }
    }
    let mut more: Vec<(Code, usize)> = shown
        .into_iter()
        .filter(|&(_, n)| n > PER_CODE)
        .map(|(code, n)| (code, n - PER_CODE))
        .collect();
    more.sort();
    for (code, n) in more {
        let _ = writeln!(
            buffer,
            "... and {n} more `{code}` diagnostic{} not shown\n",
            if n == 1 { "" } else { "s" }
        );
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One diagnostic as a macro reports it (inside `compile_error!` or a warning, which add their
/// own `error:`/`warning:`): `[code] message`, then `--> file:line:col` and the snippet in
/// plain ASCII.
pub fn for_macro(source: &Source<'_>, d: &Diagnostic) -> String {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut buffer = termcolor::Buffer::no_color();
    source.emit(&mut buffer, &config, d);
    let rendered = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let body = rendered
        .split_once('[')
        .map_or(rendered.as_str(), |(_, rest)| rest);
    format!("[{}", body.trim_end().replacen("]: ", "] ", 1))
}

/// `error[code]: message --> file:line:col`, for one-line outputs.
pub fn one_line(source: &Source<'_>, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut line = format!("{severity}[{}]: {}", d.code, d.message);
    if let Some(p) = d.span.map(|s| source.position(s)) {
        line.push_str(&format!(" --> {}:{}:{}", source.name, p.line, p.column));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dup(at: usize) -> Diagnostic {
        Diagnostic::new(Code::DuplicateId, "two blocks have the id `e`")
            .block("e")
            .span(Span::new(at, at + 3))
            .help("give every block a unique id")
    }

    #[test]
    fn long_lines_are_excerpts_with_true_positions() {
        let text = format!(
            "{{\"a\": \"{}\", \"id\": \"e\", \"b\": \"{}\"}}",
            "x".repeat(5_000),
            "y".repeat(5_000)
        );
        let at = text.find("\"e\"").unwrap();
        let out = render(&Source::new("f.json", &text), &[dup(at)], false);
        assert!(out.contains(&format!("f.json:1:{}", at + 1)), "{out}");
        assert!(out.contains("…"), "{out}");
        assert!(out.len() < 1_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains("^^^ in block `e`"), "{out}");
    }

    #[test]
    fn each_code_is_shown_at_most_per_code_times() {
        let text = "{\"id\": \"e\"}\n".repeat(200);
        let diagnostics: Vec<_> = (0..200).map(|i| dup(i * 12 + 7)).collect();
        let out = render(&Source::new("f.json", &text), &diagnostics, false);
        assert_eq!(out.matches("error[duplicate_id]").count(), PER_CODE);
        assert!(
            out.contains("... and 150 more `duplicate_id` diagnostics not shown"),
            "{out}"
        );
    }

    #[test]
    fn short_lines_render_as_before() {
        let text = "{\n  \"id\": \"e\"\n}";
        let out = render(&Source::new("f.json", text), &[dup(10)], false);
        assert!(out.contains("┌─ f.json:2:9"), "{out}");
        assert!(out.contains("\"id\": \"e\""), "{out}");
    }
}
