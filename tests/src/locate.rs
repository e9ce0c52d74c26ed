//! Where the end-to-end suite finds AWS's Lambda Runtime Interface Emulator
//! and the functions' built binaries.
//!
//! Shared, through `#[path]`, by the build script, which marks the suite's
//! tests ignored (with the reason in the test list) when something is
//! missing, and by [`crate::lambda`], which finds them at run time; so what
//! `cargo test` reports as ignored is exactly what would not run.

use std::path::{Path, PathBuf};

/// Every binary the suite runs.
pub const BINARIES: [&str; 3] = ["message-review", "scheduled-events", "moderation-actions"];

/// `E2E_RIE`, or the emulator shipped in `aws-sam-cli` in `<root>/.venv`.
pub fn rie(workspace_root: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("E2E_RIE") {
        return Some(PathBuf::from(p));
    }
    let lib = workspace_root.join(".venv/lib");
    std::fs::read_dir(lib).ok()?.flatten().find_map(|python| {
        let p = python
            .path()
            .join("site-packages/samcli/local/rapid/aws-lambda-rie-x86_64");
        p.is_file().then_some(p)
    })
}

/// The emulator and the binaries directory, or what is missing.
pub fn find(workspace_root: &Path, binaries: &[&str]) -> Result<(PathBuf, PathBuf), String> {
    match (rie(workspace_root), std::env::var_os("E2E_BIN_DIR")) {
        (None, _) => Err("the Lambda Runtime Interface Emulator was not found (set E2E_RIE, or pip install aws-sam-cli into .venv)".to_string()),
        (Some(_), None) => Err("E2E_BIN_DIR is not set (build the functions with cargo build and point it at the binaries)".to_string()),
        (Some(rie), Some(dir)) => {
            let dir = PathBuf::from(dir);
            match binaries.iter().find(|b| !dir.join(b).is_file()) {
                Some(missing) => Err(format!("{} does not exist", dir.join(missing).display())),
                None if !rie.is_file() => Err(format!("{} does not exist", rie.display())),
                None => Ok((rie, dir)),
            }
        }
    }
}

/// Whether `E2E_REQUIRED=1`: a missing piece is then a failure, not a skip.
pub fn required() -> bool {
    std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1")
}
