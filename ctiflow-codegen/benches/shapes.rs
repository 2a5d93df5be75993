//! Generated flows of a given size, in the shapes that stress the checker: long chains, wide
//! diamonds and deeply nested branches. Shared by the benchmark and the tests.

/// A flow shape.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Start → lookup → log → lookup → log → … → End; each log reads the lookup before it.
    Chain,
    /// One lookup, then a cascade of tests each branching to its own block, all joining at one
    /// log (a join with `n / 2` predecessors) that reads the lookup.
    WideDiamond,
    /// Tests nested `n / 2` deep, each `false` port leading to its own join, joins chained back
    /// out; every join reads the lookup made before the nest.
    Nested,
}

fn action(id: &str, ty: &str, controls: &str, ports: &str) -> String {
    format!(
        "    {{\"id\": \"{id}\", \"type\": \"{ty}\", \"controls\": {{{controls}}}, \"ports\": {{{ports}}}}}"
    )
}

fn lookup(id: &str, next: &str) -> String {
    action(
        id,
        "SE_SFGetLeadId",
        r#""formattedPhoneNumber": "+15551234567""#,
        &format!(r#""success": "{next}", "failure": "end""#),
    )
}

fn log(id: &str, reads: &str, next: &str) -> String {
    action(
        id,
        "SE_Log",
        &format!(r#""message": "$.actions.{reads}.results.sfLeadId""#),
        &format!(r#""done": "{next}""#),
    )
}

fn test(id: &str, yes: &str, no: &str) -> String {
    action(
        id,
        "SE_CoreTruthy",
        r#""value": "$.actions.g.results.sfLeadId""#,
        &format!(r#""true": "{yes}", "false": "{no}""#),
    )
}

/// A flow of about `n` blocks of `shape`, which checks without errors.
pub fn flow(shape: Shape, n: usize) -> String {
    let mut actions = vec![
        action("start", "SE_Start", "", r#""done": "g""#),
        action("end", "SE_End", "", ""),
    ];
    match shape {
        Shape::Chain => {
            let pairs = n.saturating_sub(2) / 2;
            let mut next = "end".to_owned();
            for i in (0..pairs).rev() {
                let g = if i == 0 {
                    "g".to_owned()
                } else {
                    format!("g{i}")
                };
                actions.push(log(&format!("l{i}"), &g, &next));
                actions.push(lookup(&g, &format!("l{i}")));
                next = g;
            }
        }
        Shape::WideDiamond => {
            let width = n.saturating_sub(4) / 2;
            actions.push(lookup("g", "t0"));
            actions.push(log("join", "g", "end"));
            for i in 0..width {
                let no = if i + 1 < width {
                    format!("t{}", i + 1)
                } else {
                    "join".to_owned()
                };
                actions.push(test(&format!("t{i}"), &format!("b{i}"), &no));
                actions.push(log(&format!("b{i}"), "g", "join"));
            }
            if width == 0 {
                actions.push(test("t0", "join", "join"));
            }
        }
        Shape::Nested => {
            let depth = n.saturating_sub(4) / 2;
            actions.push(lookup("g", "t0"));
            for i in 0..depth {
                let yes = if i + 1 < depth {
                    format!("t{}", i + 1)
                } else {
                    format!("j{i}")
                };
                let out = if i == 0 {
                    "end".to_owned()
                } else {
                    format!("j{}", i - 1)
                };
                actions.push(test(&format!("t{i}"), &yes, &format!("j{i}")));
                actions.push(log(&format!("j{i}"), "g", &out));
            }
            if depth == 0 {
                actions.push(test("t0", "end", "end"));
            }
        }
    }
    format!("{{\"actions\": [\n{}\n]}}", actions.join(",\n"))
}
