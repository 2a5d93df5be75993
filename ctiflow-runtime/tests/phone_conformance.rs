//! The phone blocks against node: Format Phone Number and Format Phone Number (E164) compute
//! what the CTI adapter computes in the browser with libphonenumber-js, pinned in
//! `conformance/phone` (see its `phone.mjs`).
//!
//! Two node processes: the first writes a seeded sample of cases (libphonenumber's example
//! numbers written in many styles, with many default countries) with the adapter's answers;
//! `ctiflow_runtime::phone::format` answers each; the second judges our answers (agreement, and
//! whether an answer that differs is a valid number other than the input's).
//!
//! - `CTIFLOW_CONFORMANCE=full`: every case (over 200,000) instead of 10,000.
//! - `CTIFLOW_CONFORMANCE_CASES=N`, `CTIFLOW_CONFORMANCE_SEED=N`: another sample.
//!
//! Without node or `conformance/phone/node_modules` the test is skipped, except under `CI`,
//! where it fails: run `npm ci --prefix conformance/phone` first.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ctiflow_runtime::phone::{self, Format};
use serde_json::{Value, json};

/// E.164 agreement with libphonenumber-js the suite requires.
const E164_AGREEMENT: f64 = 0.995;
const DEFAULT_CASES: usize = 10_000;
const DEFAULT_SEED: u32 = 15;

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/phone")
}

/// Why the suite cannot run here, if it cannot.
fn missing(dir: &Path) -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .map(|out| out.status.success())
        .unwrap_or(false);
    if !node {
        return Some("node is not installed".into());
    }
    if !dir
        .join("node_modules/libphonenumber-js/package.json")
        .exists()
    {
        return Some("conformance/phone/node_modules is missing".into());
    }
    None
}

fn node(dir: &Path, args: &[&str], input: Option<String>) -> String {
    let mut child = Command::new("node")
        .arg("phone.mjs")
        .args(args)
        .current_dir(dir)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let writer = input.map(|input| {
        let mut stdin = child.stdin.take().expect("piped stdin");
        std::thread::spawn(move || stdin.write_all(input.as_bytes()))
    });
    let out = child.wait_with_output().expect("node runs");
    if let Some(writer) = writer {
        writer
            .join()
            .expect("writer")
            .expect("node reads its input");
    }
    assert!(out.status.success(), "node phone.mjs {args:?} failed");
    String::from_utf8(out.stdout).expect("node writes UTF-8")
}

fn lines(text: &str) -> impl Iterator<Item = Value> + '_ {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

/// Cases, agreeing National and E.164 answers, and wrong numbers, in one group.
#[derive(Default)]
struct Tally {
    cases: usize,
    national: usize,
    e164: usize,
    wrong: usize,
}

impl Tally {
    fn add(&mut self, verdict: &Value) {
        self.cases += 1;
        self.national += usize::from(verdict["national_agrees"] == true);
        self.e164 += usize::from(verdict["e164_agrees"] == true);
        self.wrong += usize::from(!verdict["national_wrong"].is_null())
            + usize::from(!verdict["e164_wrong"].is_null());
    }

    fn rate(&self, n: usize) -> f64 {
        if self.cases == 0 {
            1.0
        } else {
            n as f64 / self.cases as f64
        }
    }

    fn row(&self, name: &str) -> String {
        format!(
            "{name:<32} {:>7} {:>9.2}% {:>9.2}% {:>6}",
            self.cases,
            100.0 * self.rate(self.national),
            100.0 * self.rate(self.e164),
            self.wrong
        )
    }
}

#[test]
fn phone_blocks_agree_with_libphonenumber_js() {
    let dir = harness();
    if let Some(why) = missing(&dir) {
        let message = format!(
            "phone conformance: {why}; run `npm ci --prefix conformance/phone` (Node.js 20)"
        );
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        return;
    }
    let full = std::env::var("CTIFLOW_CONFORMANCE").is_ok_and(|v| v == "full");
    let count = match std::env::var("CTIFLOW_CONFORMANCE_CASES") {
        Ok(n) => n,
        Err(_) if full => "all".into(),
        Err(_) => DEFAULT_CASES.to_string(),
    };
    let seed = std::env::var("CTIFLOW_CONFORMANCE_SEED").unwrap_or(DEFAULT_SEED.to_string());

    let cases: Vec<Value> = lines(&node(
        &dir,
        &["cases", "--seed", &seed, "--count", &count],
        None,
    ))
    .collect();
    assert!(
        count == "all" || cases.len() >= count.parse::<usize>().unwrap_or(0).min(200_000),
        "node gave {} cases for {count}",
        cases.len()
    );
    let mut answered = String::new();
    let mut by_id = BTreeMap::new();
    for mut case in cases {
        let (input, country) = (text(&case, "input"), text(&case, "country"));
        case["ours"] = json!({
            "national": phone::format(input, country, Format::National),
            "e164": phone::format(input, country, Format::E164),
        });
        answered.push_str(&case.to_string());
        answered.push('\n');
        by_id.insert(case["id"].as_u64().expect("an id"), case);
    }

    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut differences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for verdict in lines(&node(&dir, &["judge"], Some(answered))) {
        let case = &by_id[&verdict["id"].as_u64().expect("an id")];
        let class = text(&verdict, "class");
        let style = text(&verdict, "style");
        let country = text(&verdict, "country");
        groups.entry(class.into()).or_default().add(&verdict);
        if class == "agreement" {
            if matches!(country, "US" | "CA") {
                for group in ["US or CA", country] {
                    groups
                        .entry(format!("agreement, default {group}"))
                        .or_default()
                        .add(&verdict);
                }
            }
        } else {
            groups
                .entry(format!("{class} {style}"))
                .or_default()
                .add(&verdict);
        }
        let show = || {
            format!(
                "{:?} {:<4} adapter [{} | {}], ours [{} | {}]",
                text(case, "input"),
                if country.is_empty() { "-" } else { country },
                text(case, "national"),
                text(case, "e164"),
                text(&case["ours"], "national"),
                text(&case["ours"], "e164"),
            )
        };
        for mode in ["national", "e164"] {
            if let Some(number) = verdict[format!("{mode}_wrong")].as_str() {
                wrong.push(format!("{mode} gives {number}: {}", show()));
            }
        }
        if verdict["national_agrees"] != true || verdict["e164_agrees"] != true {
            let list = differences.entry(format!("{class} {style}")).or_default();
            if list.len() < 3 {
                list.push(show());
            }
        }
    }

    let agreement = groups.remove("agreement").unwrap_or_default();
    println!("phone conformance, seed {seed}, {count} cases: libphonenumber-js agreement");
    println!(
        "{:<32} {:>7} {:>10} {:>10} {:>6}",
        "group", "cases", "National", "E.164", "wrong"
    );
    println!("{}", agreement.row("all (agreement)"));
    for (name, tally) in &groups {
        if tally.cases > 0 {
            println!("{}", tally.row(name));
        }
    }
    for (group, examples) in &differences {
        println!("differences in {group}:");
        for example in examples {
            println!("  {example}");
        }
    }

    assert!(agreement.cases > 0, "no cases ran");
    assert!(
        wrong.is_empty(),
        "{} answers are valid numbers other than the input's:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let e164 = agreement.rate(agreement.e164);
    assert!(
        e164 >= E164_AGREEMENT,
        "E.164 agreement {:.3}% is below {:.1}%",
        100.0 * e164,
        100.0 * E164_AGREEMENT
    );
}
