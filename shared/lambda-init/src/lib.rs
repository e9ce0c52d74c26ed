//! Reporting a failed initialisation to the Lambda Runtime API.
//!
//! A function that cannot start (a variable with an unusable value) must say
//! why to whoever invoked it, not only in its own log. Lambda, AWS's Runtime
//! Interface Emulator (under `sam local`) and `cargo lambda watch` all take
//! that report at `POST /2018-06-01/runtime/init/error` and answer the
//! pending invocation with it; a runtime that just exits leaves
//! `cargo lambda invoke` waiting and the emulator saying only that the
//! process exited. `lambda_runtime` reports only its own SnapStart failures
//! there, so the functions call [`init_failed`] on every error of their init.
//!
//! The report is one small request on the local Runtime API, made with the
//! standard library's blocking socket: init has failed, nothing else is
//! running, and this keeps the crate free of an HTTP stack of its own.

use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The Runtime API address Lambda gives the runtime (`host:port`).
pub const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";

/// `Lambda-Runtime-Function-Error-Type` of the report: one of the values
/// the Runtime API documents, for a configuration the function cannot use.
pub const ERROR_TYPE: &str = "Runtime.ConfigInvalid";

/// How long the report may take: the Runtime API is on the same host.
const TIMEOUT: Duration = Duration::from_secs(2);

/// An init failure, already reported. Its text is the original error's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitError(String);

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InitError {}

/// Reports `error` to the Runtime API named by `AWS_LAMBDA_RUNTIME_API` and
/// answers it as an [`InitError`], for `map_err` on every init step:
///
/// ```no_run
/// # fn config() -> Result<u32, std::num::ParseIntError> { "1".parse() }
/// let config = config().map_err(lambda_init::init_failed)?;
/// # Ok::<(), lambda_init::InitError>(())
/// ```
///
/// Outside a Lambda environment (the variable unset) there is nothing to
/// report to. A report that cannot be delivered is said on stderr: the
/// function stops either way.
pub fn init_failed(error: impl fmt::Display) -> InitError {
    let message = error.to_string();
    if let Some(api) = std::env::var(RUNTIME_API_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        if let Err(problem) = report(&api, &message) {
            eprintln!(
                "could not report the init error to the Lambda Runtime API at {api}: {problem}"
            );
        }
    }
    InitError(message)
}

/// Posts the init error to the Runtime API at `api` and answers the status
/// line when it is not a success.
///
/// `api` is what Lambda and the emulator give, `host:port`, or what
/// `cargo lambda watch` gives, a URL with a path prefix
/// (`http://127.0.0.1:9000/.rt/message-review`).
pub fn report(api: &str, message: &str) -> Result<(), String> {
    let (authority, prefix) = split_api(api);
    let body = serde_json::json!({"errorMessage": message, "errorType": ERROR_TYPE}).to_string();
    let mut stream = TcpStream::connect(authority).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "POST {prefix}/2018-06-01/runtime/init/error HTTP/1.1\r\nHost: {authority}\r\n\
         Lambda-Runtime-Function-Error-Type: {ERROR_TYPE}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    // The status line is all that matters; a server that keeps the
    // connection open is read until the timeout.
    let mut chunk = [0; 512];
    while !answer.contains(&b'\n') {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(e.to_string()),
        }
    }
    let status_line = String::from_utf8_lossy(&answer);
    let status_line = status_line.lines().next().unwrap_or_default();
    match status_line.split_whitespace().nth(1) {
        Some(status) if status.starts_with('2') => Ok(()),
        _ => Err(format!("the Runtime API answered {status_line:?}")),
    }
}

/// `host:port` and the path prefix (empty, or `/...` without a trailing
/// slash) of a Runtime API address.
fn split_api(api: &str) -> (&str, &str) {
    let rest = api.trim().strip_prefix("http://").unwrap_or(api.trim());
    match rest.find('/') {
        Some(slash) => (&rest[..slash], rest[slash..].trim_end_matches('/')),
        None => (rest, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    /// A Runtime API that answers `status` and hands back what it received.
    fn runtime_api(status: &'static str) -> (String, std::thread::JoinHandle<(String, String)>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap();
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let mut stream = stream;
            write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").unwrap();
            (head, String::from_utf8(body).unwrap())
        });
        (addr, server)
    }

    #[test]
    fn the_report_is_what_the_runtime_api_expects() {
        let (addr, server) = runtime_api("202 Accepted");
        report(
            &addr,
            "MAX_CONCURRENCY: must be a whole number in 1..=100, got \"0\"",
        )
        .unwrap();
        let (head, body) = server.join().unwrap();
        assert!(
            head.starts_with("POST /2018-06-01/runtime/init/error HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.contains("Lambda-Runtime-Function-Error-Type: Runtime.ConfigInvalid\r\n"),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "errorMessage": "MAX_CONCURRENCY: must be a whole number in 1..=100, got \"0\"",
                "errorType": "Runtime.ConfigInvalid"
            })
        );
    }

    #[test]
    fn a_url_with_a_path_prefix_is_followed() {
        // What `cargo lambda watch` gives each function.
        let (addr, server) = runtime_api("202 Accepted");
        report(
            &format!("http://{addr}/.rt/message-review/"),
            "REVIEW_POLICY: bad",
        )
        .unwrap();
        let (head, _) = server.join().unwrap();
        assert!(
            head.starts_with("POST /.rt/message-review/2018-06-01/runtime/init/error HTTP/1.1\r\n"),
            "{head}"
        );
        assert_eq!(split_api("127.0.0.1:9001"), ("127.0.0.1:9001", ""));
    }

    #[test]
    fn a_refused_report_says_what_the_api_answered() {
        let (addr, server) = runtime_api("403 Forbidden");
        let err = report(&addr, "x").unwrap_err();
        assert_eq!(err, "the Runtime API answered \"HTTP/1.1 403 Forbidden\"");
        server.join().unwrap();
    }

    #[test]
    fn an_unreachable_api_is_an_error_not_a_hang() {
        let addr = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().to_string()
        };
        assert!(report(&addr, "x").is_err());
    }

    #[test]
    fn the_error_keeps_the_message() {
        assert_eq!(
            init_failed("REVIEW_POLICY: bad").to_string(),
            "REVIEW_POLICY: bad"
        );
    }
}
