//! Just enough HTTP/1.1 for the tests: read a request or response with a
//! `Content-Length` or chunked body, and POST a JSON document.
//!
//! Hand-written because the needs are tiny (localhost, no TLS, small JSON
//! bodies) and an HTTP stack would add more build time than these lines.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A parsed request or response head and body.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// The first line (`POST /SendEvent HTTP/1.1` or `HTTP/1.1 200 OK`).
    pub start_line: String,
    /// Header names lower-cased, values trimmed, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Message {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Headers grouped by name, values joined with `,` (for SigV4).
    pub fn header_map(&self) -> BTreeMap<String, String> {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in &self.headers {
            map.entry(k.clone())
                .and_modify(|e| {
                    e.push(',');
                    e.push_str(v)
                })
                .or_insert_with(|| v.clone());
        }
        map
    }
}

/// Reads one message; `Ok(None)` on a cleanly closed connection.
pub fn read_message<R: BufRead>(reader: &mut R) -> io::Result<Option<Message>> {
    let mut start_line = String::new();
    if reader.read_line(&mut start_line)? == 0 {
        return Ok(None);
    }
    let mut msg = Message {
        start_line: start_line.trim_end().to_string(),
        ..Default::default()
    };
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "eof in headers",
            ));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            msg.headers
                .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    if msg
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            msg.body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(len) = msg.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        msg.body = vec![0; len];
        reader.read_exact(&mut msg.body)?;
    } else if msg.start_line.starts_with("HTTP/") {
        reader.read_to_end(&mut msg.body)?;
    }
    Ok(Some(msg))
}

/// POSTs `body` as JSON to `http://{addr}{path}` and answers the status and body.
pub fn post_json(
    addr: &str,
    path: &str,
    body: &[u8],
    timeout: Duration,
) -> io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(timeout))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut reader = BufReader::new(stream);
    let msg = read_message(&mut reader)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "no response"))?;
    let status = msg
        .start_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, msg.body))
}
