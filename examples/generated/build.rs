//! Generates the example flows into `OUT_DIR` as readable Rust.

fn main() {
    let generated = ctiflow_codegen::build::Builder::new()
        // The extension blocks the flows may use (`after_call_work` uses two).
        .blocks("../blocks.toml")
        .flow("../flows/incoming-call.json", |f| {
            f.source("VoiceContact").event("onConnecting")
        })
        .flow("../flows/chat-pop-by-email.json", |f| {
            f.source("ChatContact")
                .event("onConnecting")
                .name("chat_pop")
        })
        // Titles and ids that would be Markdown, HTML, doctests or links in doc comments: the
        // generated docs must show them as text (`cargo doc -D warnings`, `cargo test --doc`).
        .flow("flows/hostile-titles.json", |f| {
            f.source("VoiceContact").event("onConnecting")
        })
        .flow("../flows/after-call-work.json", |f| {
            f.source("Agent").event("onAfterCallWork")
        })
        .generate();
    if let Err(errors) = generated {
        eprintln!("{errors}");
        std::process::exit(1);
    }
}
