//! `ctiflow gen`: print the Rust a flow compiles to.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use ctiflow_codegen::{Target, generate, names, pretty, render};

use crate::options::FlowOptions;
use crate::{FLOW_ERRORS, OK, USAGE};

/// Arguments of `ctiflow gen`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(flatten)]
    flow: FlowOptions,
    /// The module name (default: the file name in snake case).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The exported flow.
    file: PathBuf,
}

/// Prints the generated module on stdout; diagnostics on stderr; exit 1 on flow errors.
pub fn run(args: &Args) -> u8 {
    let options = match args.flow.to_options() {
        Ok(options) => options,
        Err(message) => {
            errln!("error: {message}");
            return USAGE;
        }
    };
    let shown = args.file.display().to_string();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => {
            errln!("error: cannot read `{shown}`: {e}");
            return USAGE;
        }
    };
    let module = args
        .name
        .clone()
        .unwrap_or_else(|| names::module_for(&args.file));
    if let Err(message) = names::check_module(&module) {
        errln!("error: {message}");
        return USAGE;
    }
    let mut target = Target::new(module);
    target.file = args
        .file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned());
    let generated = generate(&text, &options, &target);
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    err!(
        "{}",
        render::render(
            &render::Source::new(&shown, &text),
            &generated.diagnostics,
            color
        )
    );
    if generated.has_errors() {
        return FLOW_ERRORS;
    }
    match pretty::file(generated.tokens, target.file.as_deref().unwrap_or(&shown)) {
        Some(code) => {
            out!("{code}");
            OK
        }
        None => {
            errln!("error: internal: the generated code does not parse; please report it");
            FLOW_ERRORS
        }
    }
}
