// A block type that is neither built in nor declared stays `unknown_type`; the help is the
// declaration to write, prefilled with the controls and ports the flow uses and the result
// fields other blocks read.
ctiflow::include_flow!(
    "flows/undeclared.json",
    source = VoiceContact,
    event = onConnected,
    blocks = "flows/blocks.toml",
    name = record
);

fn main() {}
