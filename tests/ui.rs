//! Compile-fail and pass cases of the macros (trybuild). trybuild builds the cases in a crate of
//! its own under the target directory, whose `CARGO_MANIFEST_DIR` is where `include_flow!`
//! paths resolve, so the file fixtures are copied there first.

use std::path::{Path, PathBuf};

fn trybuild_crate_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`; trybuild's crate is `<target>/tests/trybuild/<pkg>`.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("..")
        .join("tests")
        .join("trybuild")
        .join(env!("CARGO_PKG_NAME"))
}

#[test]
fn ui() {
    let flows = trybuild_crate_dir().join("flows");
    std::fs::create_dir_all(&flows).expect("create the fixture directory");
    for entry in std::fs::read_dir("tests/ui/flows").expect("tests/ui/flows") {
        let path = entry.expect("a fixture").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, flows.join(name)).expect("copy a fixture");
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
