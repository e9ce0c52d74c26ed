//! Running a function's `bootstrap` under the Lambda Runtime Interface
//! Emulator and invoking it.
//!
//! The emulator ships with the `aws-sam-cli` Python package
//! (`samcli/local/rapid/aws-lambda-rie-x86_64`) and runs a real bootstrap
//! without Docker. Tests find it through `E2E_RIE` (or a `.venv` in the
//! workspace) and the freshly built binaries through `E2E_BIN_DIR`. When
//! either is missing the suite's tests are ignored (the build script marks
//! them, so `cargo test` lists them as ignored with the reason), unless
//! `E2E_REQUIRED=1`, which turns a skip into a failure (the CI script sets
//! it, so nothing is skipped there).

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::post_json;
use crate::server::{ACCESS_KEY, SECRET_KEY};

/// Where the emulator and the binaries are.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The emulator binary.
    pub rie: PathBuf,
    /// The directory holding the functions' binaries.
    pub bin_dir: PathBuf,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The paths, or `None` (after saying why) when the suite must skip.
///
/// The build script marks the tests ignored when something is missing
/// ([`crate::locate`]), so this skip is only reached when a piece went
/// missing after the build, or a test needs fewer binaries than the suite.
///
/// # Panics
/// When something is missing and `E2E_REQUIRED=1`.
pub fn paths(binaries: &[&str]) -> Option<Paths> {
    match crate::locate::find(&workspace_root(), binaries) {
        Ok((rie, bin_dir)) => Some(Paths { rie, bin_dir }),
        Err(problem) => {
            assert!(!crate::locate::required(), "E2E_REQUIRED=1 but {problem}");
            eprintln!("skipping end-to-end test: {problem}");
            None
        }
    }
}

/// Two distinct free ports, chosen while both are held so that they cannot
/// be the same port (another process may still take one before the
/// emulator binds it: [`Emulator::start`] then tries again).
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("no free port: {e}"));
    let port = |l: &TcpListener| {
        l.local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free port: {e}"))
    };
    let (first, second) = (bind(), bind());
    (port(&first), port(&second))
}

/// A bootstrap running under the emulator. Killed on drop.
#[derive(Debug)]
pub struct Emulator {
    child: Child,
    addr: String,
    log_path: PathBuf,
}

impl Emulator {
    /// Starts `binary` from the binaries directory with exactly `env` (plus
    /// `PATH` and the function name), logging to a file.
    pub fn start(paths: &Paths, binary: &str, env: &[(&str, String)]) -> Emulator {
        let mut last_logs = String::new();
        // Tests start emulators in parallel: a port chosen here can be taken
        // by another before this emulator binds it, and the emulator then
        // exits. Try again with new ports rather than fail the test.
        for _ in 0..3 {
            let (api_port, rie_port) = free_ports();
            let addr = format!("127.0.0.1:{rie_port}");
            let log_path = std::env::temp_dir().join(format!("e2e-{binary}-{rie_port}.log"));
            let log =
                File::create(&log_path).unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
            let log_err = log.try_clone().unwrap_or_else(|e| panic!("log file: {e}"));
            let mut child = Command::new(&paths.rie)
                .args([
                    "--runtime-interface-emulator-address",
                    &addr,
                    "--runtime-api-address",
                    &format!("127.0.0.1:{api_port}"),
                ])
                .arg(paths.bin_dir.join(binary))
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("AWS_LAMBDA_FUNCTION_NAME", binary)
                .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                .stdout(Stdio::from(log))
                .stderr(Stdio::from(log_err))
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", paths.rie.display()));
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if TcpStream::connect(&addr).is_ok() {
                    return Emulator {
                        child,
                        addr,
                        log_path,
                    };
                }
                let exited = matches!(child.try_wait(), Ok(Some(_)));
                if exited || Instant::now() >= deadline {
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
            last_logs = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        panic!("the emulator did not start listening in 3 attempts; its last log:\n{last_logs}");
    }

    /// Invokes the function with `payload` and answers its JSON response
    /// (for a function error: `{"errorType", "errorMessage"}`).
    pub fn invoke(&self, payload: &Value) -> Value {
        let (status, body) = self.invoke_raw(payload);
        serde_json::from_str(&body).unwrap_or_else(|e| {
            panic!(
                "status {status}, response is not JSON ({e}): {body}\nlogs:\n{}",
                self.logs()
            )
        })
    }

    /// Invokes with `payload` and answers the HTTP status and raw body:
    /// for a function that failed to start, whose answer is not the
    /// function's.
    pub fn invoke_raw(&self, payload: &Value) -> (u16, String) {
        let (status, body) = post_json(
            &self.addr,
            "/2015-03-31/functions/function/invocations",
            payload.to_string().as_bytes(),
            Duration::from_secs(120),
        )
        .unwrap_or_else(|e| panic!("invoke failed: {e}\nlogs:\n{}", self.logs()));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Invokes with the JSON file at `path` (relative to the workspace root).
    pub fn invoke_file(&self, path: &str) -> Value {
        self.invoke(&sample(path))
    }

    /// Everything the emulator and the function wrote so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The function's JSON log lines (other lines are skipped).
    pub fn json_logs(&self) -> Vec<Value> {
        self.logs()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(Value::is_object)
            .collect()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment of a function under test: the AWS SDK pointed at the
/// local server at `server_url` with its dummy credentials, three attempts
/// per call with a generous attempt timeout (so that a loaded machine never
/// turns a slow answer into an extra attempt), `RUST_LOG=info`; then
/// `overrides`, each replacing a variable of the same name or adding one.
pub fn function_env(
    server_url: &str,
    overrides: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    let mut env: Vec<(&'static str, String)> = vec![
        ("AWS_REGION", "us-west-2".to_string()),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_string()),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_string()),
        ("AWS_ENDPOINT_URL_IVSCHAT", server_url.to_string()),
        ("AWS_ENDPOINT_URL_SQS", server_url.to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        ("AWS_MAX_ATTEMPTS", "3".to_string()),
        ("AWS_ATTEMPT_TIMEOUT_MS", "30000".to_string()),
        ("RUST_LOG", "info".to_string()),
    ];
    for (name, value) in overrides {
        env.retain(|(existing, _)| existing != name);
        env.push((name, value.to_string()));
    }
    env
}

/// Reads a sample event (path relative to the workspace root).
pub fn sample(path: &str) -> Value {
    let full = workspace_root().join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The files of `events/<function>/` ending in `.json`, sorted.
pub fn samples(function: &str) -> Vec<String> {
    let dir = workspace_root().join("events").join(function);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| format!("events/{function}/{n}"))
        .collect();
    names.sort();
    names
}
