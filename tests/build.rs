//! Marks the end-to-end tests ignored (`cfg(e2e_ready)` unset) when the
//! emulator or the binaries are missing, so `cargo test` lists them as
//! ignored, with a warning saying why, instead of passing tests that ran
//! nothing. With `E2E_REQUIRED=1` they always run, and fail naming what is
//! missing.

#[path = "src/locate.rs"]
mod locate;

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(e2e_ready)");
    println!("cargo::rerun-if-changed=src/locate.rs");
    for var in ["E2E_RIE", "E2E_BIN_DIR", "E2E_REQUIRED"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match locate::find(&root, &locate::BINARIES) {
        Ok((rie, dir)) => {
            println!("cargo::rerun-if-changed={}", rie.display());
            for binary in locate::BINARIES {
                println!("cargo::rerun-if-changed={}", dir.join(binary).display());
            }
            println!("cargo::rustc-cfg=e2e_ready");
        }
        Err(_) if locate::required() => println!("cargo::rustc-cfg=e2e_ready"),
        Err(problem) => {
            // A path that does not exist makes Cargo run this script on
            // every build, so the tests stop being ignored as soon as the
            // missing piece is there.
            println!(
                "cargo::rerun-if-changed={}",
                root.join("target/e2e-not-ready").display()
            );
            println!(
                "cargo::warning=the end-to-end and load tests are ignored: {problem} (see docs/functions.md, End-to-end tests)"
            );
        }
    }
}
