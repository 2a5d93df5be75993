// Mistakes in a declarations file are reported at their line and column in the file, with
// their codes; the flow is not checked against a catalog it cannot trust.
ctiflow::include_flow!("flows/undeclared.json", blocks = "flows/bad-blocks.toml", name = record);

fn main() {}
