//! The real DynamoDB-API server the sanction tests run against, and a proxy
//! in front of it that fails chosen operations.
//!
//! The server is moto in server mode (`moto_server`, from PyPI), started by
//! the CI script, which exports its address as `E2E_DYNAMODB_URL`. moto
//! rather than dynalite because the functions rely on what dynalite does not
//! implement: `TransactWriteItems` (lifting a sanction) and the TTL settings
//! (`UpdateTimeToLive`), beside conditional writes, which both have. Each test
//! creates its own table, so tests share one server without seeing each
//! other's items.
//!
//! [`FaultProxy`] forwards requests to the server and answers chosen
//! operations (`Query`, `PutItem`, ...) with HTTP 500 `InternalServerError`
//! a number of times: the DynamoDB failures the functions must survive.

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use crate::http::read_message;

/// The server's address, or `None` (after saying why) when tests must skip.
///
/// # Panics
/// When it is missing and `E2E_REQUIRED=1`.
pub fn server_url() -> Option<String> {
    match std::env::var("E2E_DYNAMODB_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "E2E_REQUIRED=1 but E2E_DYNAMODB_URL is not set (start moto_server and export its URL)"
            );
            eprintln!("skipping: E2E_DYNAMODB_URL is not set (no DynamoDB-API server)");
            None
        }
    }
}

fn host_of(url: &str) -> &str {
    url.trim_start_matches("http://").trim_end_matches('/')
}

/// One DynamoDB API call (`operation` as in `X-Amz-Target`), answering the
/// status and JSON body.
pub fn call(url: &str, operation: &str, body: &Value) -> (u16, Value) {
    let host = host_of(url);
    let payload = body.to_string();
    let mut stream =
        TcpStream::connect(host).unwrap_or_else(|e| panic!("DynamoDB server at {url}: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         X-Amz-Target: DynamoDB_20120810.{operation}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIDE2ETESTKEY/20261201/us-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{operation}: {e}"));
    let message = read_message(&mut BufReader::new(stream))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{operation}: no answer"));
    let status = message
        .start_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (
        status,
        serde_json::from_slice(&message.body).unwrap_or(Value::Null),
    )
}

/// Creates the sanctions table as the template does (`pk`/`sk` strings,
/// on-demand, TTL on `expires_at`) and answers its name.
pub fn create_table(url: &str, name: &str) -> String {
    let (status, body) = call(
        url,
        "CreateTable",
        &json!({
            "TableName": name,
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"}
            ],
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"}
            ],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    );
    assert_eq!(status, 200, "CreateTable: {body}");
    let (status, body) = call(
        url,
        "UpdateTimeToLive",
        &json!({"TableName": name, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires_at"}}),
    );
    assert_eq!(status, 200, "UpdateTimeToLive: {body}");
    name.to_string()
}

/// Every item of `table`, as `sk -> item` for the partition of `room|user`.
pub fn items(url: &str, table: &str, room: &str, user: &str) -> BTreeMap<String, Value> {
    let (status, body) = call(
        url,
        "Query",
        &json!({
            "TableName": table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": format!("{room}|{user}")}},
            "ConsistentRead": true
        }),
    );
    assert_eq!(status, 200, "Query: {body}");
    body["Items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            (
                item["sk"]["S"].as_str().unwrap_or_default().to_string(),
                item,
            )
        })
        .collect()
}

#[derive(Debug, Default)]
struct Faults {
    /// operation -> failures left
    remaining: BTreeMap<String, usize>,
    /// operations seen, in order
    seen: Vec<String>,
}

/// A proxy in front of the DynamoDB server that fails chosen operations.
#[derive(Debug, Clone)]
pub struct FaultProxy {
    addr: String,
    faults: Arc<Mutex<Faults>>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` on a free local port.
    pub fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let faults = Arc::new(Mutex::new(Faults::default()));
        let shared = Arc::clone(&faults);
        let upstream = host_of(upstream).to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let faults = Arc::clone(&shared);
                let upstream = upstream.clone();
                thread::spawn(move || serve(stream, &upstream, &faults));
            }
        });
        FaultProxy { addr, faults }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Fails the next `times` requests of `operation` with a 500.
    pub fn fail(&self, operation: &str, times: usize) {
        if let Ok(mut f) = self.faults.lock() {
            f.remaining.insert(operation.to_string(), times);
        }
    }

    /// The operations seen so far.
    pub fn seen(&self) -> Vec<String> {
        self.faults
            .lock()
            .map(|f| f.seen.clone())
            .unwrap_or_default()
    }
}

fn serve(stream: TcpStream, upstream: &str, faults: &Mutex<Faults>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Ok(Some(request)) = read_message(&mut reader) {
        let operation = request
            .header("x-amz-target")
            .and_then(|t| t.split('.').nth(1))
            .unwrap_or_default()
            .to_string();
        let fail = faults.lock().is_ok_and(|mut f| {
            f.seen.push(operation.clone());
            match f.remaining.get_mut(&operation) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            }
        });
        let (status, body) = if fail {
            (
                500,
                json!({"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError", "message": "injected failure"})
                    .to_string()
                    .into_bytes(),
            )
        } else {
            match forward(upstream, &request) {
                Some(answer) => answer,
                None => return,
            }
        };
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n",
            if status == 200 { "OK" } else { "Error" },
            body.len()
        );
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.write_all(&body))
            .is_err()
        {
            return;
        }
    }
}

fn forward(upstream: &str, request: &crate::http::Message) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(upstream).ok()?;
    let mut head = format!("{}\r\n", request.start_line);
    for (k, v) in request.header_map() {
        if k.eq_ignore_ascii_case("connection") || k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        request.body.len()
    ));
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&request.body).ok()?;
    let answer = read_message(&mut BufReader::new(stream)).ok()??;
    let status = answer
        .start_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    Some((status, answer.body))
}
