#!/usr/bin/env python3
"""A crate outside the workspace, with only `ctiflow` as dependency, compiles every corpus flow
the manifest expects to compile through `include_flow!`; example-08 fails with `maybe_unset`
unless allowed. With `--time`, also compares `cargo check` of a crate with 20 flows against the
same crate without them."""
import json, os, pathlib, re, shutil, subprocess, sys, tempfile, time

repo = pathlib.Path(__file__).resolve().parent.parent
corpus = (repo / ".." / "shared" / "corpus" / "cti-adapter").resolve()
target = os.environ.get("CARGO_TARGET_DIR", str(repo / "target"))
flows = json.load(open(corpus / "manifest.json"))["flows"]


def module(name):
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", name[:-5].lower())).strip("_").replace("example_", "ex_")


def invocation(name, want, allow=True):
    args = [json.dumps(str(corpus / name)), f'source = {json.dumps(want["source"])}']
    if want["event"]:
        args.append(f'event = {want["event"]}')
    if allow and want.get("allow"):
        args.append(f'allow({", ".join(want["allow"])})')
    args.append(f"name = {module(name)}")
    return f'ctiflow::include_flow!({", ".join(args)});\n'


def crate(directory, body):
    (directory / "src").mkdir(parents=True, exist_ok=True)
    (directory / "Cargo.toml").write_text(
        f'[package]\nname = "{directory.name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[dependencies]\nctiflow = {{ path = {json.dumps(str(repo))} }}\n\n[workspace]\n'
    )
    (directory / "src" / "lib.rs").write_text(body)


def check(directory):
    started = time.monotonic()
    run = subprocess.run(
        ["cargo", "check", "--quiet", "--manifest-path", str(directory / "Cargo.toml")],
        env={**os.environ, "CARGO_TARGET_DIR": target},
        capture_output=True,
        text=True,
    )
    return run, time.monotonic() - started


compiling = {
    n: w
    for n, w in flows.items()
    if not (w["with_allow"]["errors"] if w.get("allow") else w["errors"])
}
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    outside = tmp / "outside_flows"
    crate(outside, "//! Every corpus flow that compiles.\n" + "".join(invocation(n, w) for n, w in compiling.items()))
    run, _ = check(outside)
    if run.returncode != 0:
        sys.exit(f"the corpus flows do not compile outside the workspace:\n{run.stderr}")
    print(f"outside crate: {len(compiling)} corpus flows compile through include_flow!")

    strict = tmp / "outside_strict"
    crate(strict, invocation("example-08-create-task.json", flows["example-08-create-task.json"], allow=False))
    run, _ = check(strict)
    if run.returncode == 0 or "[maybe_unset]" not in run.stderr or "example-08-create-task.json:" not in run.stderr:
        sys.exit(f"example-08 without allow(maybe_unset) must fail with maybe_unset:\n{run.stderr}")
    print("outside crate: example-08-create-task.json fails with maybe_unset unless allowed")

    if "--time" in sys.argv:
        examples = [("incoming-call", "VoiceContact", "onConnecting"), ("missed-call", "VoiceContact", "onMissed"),
                    ("case-by-attribute", "TaskContact", "onConnecting")]
        twenty = "".join(invocation(n, w) for n, w in compiling.items()) + "".join(
            f'ctiflow::include_flow!({json.dumps(str(repo / "examples" / "flows" / (n + ".json")))}, source = {s}, event = {e});\n'
            for n, s, e in examples
        )
        timed = tmp / "timed_flows"
        crate(timed, "pub fn nothing() {}\n")
        check(timed)  # dependencies, once
        samples = {"without": [], "with 20 flows": []}
        for _ in range(3):
            for label, body in (("without", "pub fn nothing() {}\n"), ("with 20 flows", twenty)):
                (timed / "src" / "lib.rs").write_text(body + f"// {time.time()}\n")
                run, seconds = check(timed)
                if run.returncode != 0:
                    sys.exit(run.stderr)
                samples[label].append(seconds)
        best = {k: min(v) for k, v in samples.items()}
        print(f"cargo check of the crate: without flows {best['without']:.2f} s, with 20 flows "
              f"{best['with 20 flows']:.2f} s, ratio {best['with 20 flows'] / best['without']:.2f}x (best of 3)")
