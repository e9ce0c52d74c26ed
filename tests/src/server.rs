//! A local server that speaks the IVS Chat API (and SQS `SendMessage`).
//!
//! It implements `POST /SendEvent`, `/DisconnectUser`, `/DeleteMessage`,
//! `/CreateChatToken` and `/ListRooms` as the API reference describes them: SigV4 with signing name
//! `ivschat`, camelCase JSON bodies, the documented limits (answered with a
//! `ValidationException` naming the field), `ResourceNotFoundException` for
//! rooms it does not know. `POST /` with `X-Amz-Target: AmazonSQS.SendMessage`
//! or `AmazonSQS.SendMessageBatch` (signing name `sqs`) stands in for the
//! moderation queue.
//!
//! Every request is recorded ([`Call`]) before faults are applied, so tests can
//! assert exactly what was attempted. [`Fault`]s answer `ThrottlingException`
//! (429), an HTTP 500, or a slow response, for chosen operations and rooms,
//! a number of times or for every n-th matching request. A token-bucket
//! [`RateLimit`] per operation answers `ThrottlingException` like the real
//! service's quota (100 requests/s per action, account and region).

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http::{read_message, Message};
use crate::sigv4;

/// The access key the server accepts.
pub const ACCESS_KEY: &str = "AKIDE2ETESTKEY";
/// The secret key the server verifies signatures with.
pub const SECRET_KEY: &str = "e2e/secret/key/for/the/local/ivs/chat/server";

/// One request the server received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// `SendEvent`, `DisconnectUser`, `DeleteMessage`, `ListRooms` or
    /// `SQS.SendMessage` (or the raw path of anything else).
    pub operation: String,
    /// The JSON body (`Null` if it was not JSON).
    pub body: Value,
    /// The status the server answered (0 for a slow answer never written).
    pub status: u16,
    /// Why the signature was refused, if it was.
    pub auth_error: Option<String>,
    /// The SDK's attempt number and maximum, from its `amz-sdk-request`
    /// header (`attempt=2; max=3`), if it sent one.
    pub attempt: Option<(u32, u32)>,
    /// When the request arrived.
    pub at: Instant,
}

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 `ThrottlingException`.
    Throttle,
    /// HTTP 500.
    ServerError,
    /// Wait this long, then answer normally.
    Slow(Duration),
}

/// A fault for requests matching an operation and/or room.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Only this operation (`None`: any).
    pub operation: Option<String>,
    /// Only requests for this room (`None`: any).
    pub room: Option<String>,
    /// How many more times it applies (`None`: always).
    pub remaining: Option<usize>,
    /// It applies to every `every`-th matching request (1: each one).
    pub every: usize,
    /// Matching requests seen so far.
    pub seen: usize,
    /// What it does.
    pub kind: FaultKind,
}

/// A token bucket per operation: each IVS Chat operation may start `per_second`
/// requests per second, with bursts of up to `burst`; a request finding the
/// bucket empty is answered 429 `ThrottlingException`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    /// Tokens added per second.
    pub per_second: f64,
    /// The bucket's capacity (it starts full).
    pub burst: f64,
    buckets: BTreeMap<String, (f64, Instant)>,
}

impl RateLimit {
    /// `per_second` requests per second for each operation, bursts of `burst`.
    pub fn new(per_second: u32, burst: u32) -> RateLimit {
        RateLimit {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: BTreeMap::new(),
        }
    }

    /// Takes a token for `operation` at `now`; `false` when there is none.
    pub fn admit(&mut self, operation: &str, now: Instant) -> bool {
        let (per_second, burst) = (self.per_second, self.burst);
        let (tokens, last) = self
            .buckets
            .entry(operation.to_string())
            .or_insert((burst, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * per_second).min(burst);
        *last = now.max(*last);
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A room the server knows.
#[derive(Debug, Clone)]
pub struct Room {
    /// The room ARN.
    pub arn: String,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
}

/// The rooms the sample events in `events/` name, and more for their tags:
/// `abcdABCDefgh` (named), `ijklIJKLmnop` (named and tagged `show=nightly`),
/// `qrstQRSTuvwx` (`show=nightly`, `lang=en`) and `yzYZ01234567`
/// (`show=weekly`), all in `us-west-2` of account `123456789012`.
pub fn sample_rooms() -> Vec<Room> {
    let room = |id: &str, tags: &[(&str, &str)]| Room {
        arn: format!("arn:aws:ivschat:us-west-2:123456789012:room/{id}"),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    vec![
        room("abcdABCDefgh", &[]),
        room("ijklIJKLmnop", &[("show", "nightly")]),
        room("qrstQRSTuvwx", &[("show", "nightly"), ("lang", "en")]),
        room("yzYZ01234567", &[("show", "weekly")]),
    ]
}

#[derive(Debug, Default)]
struct State {
    calls: Vec<Call>,
    faults: Vec<Fault>,
    rooms: Vec<Room>,
    page_size: usize,
    next_id: u64,
    rate_limit: Option<RateLimit>,
}

/// The running server. It stops when the test process ends.
#[derive(Debug, Clone)]
pub struct FakeIvsChat {
    addr: String,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeIvsChat {
    /// Starts a server on a free local port, knowing `rooms`, listing them
    /// `page_size` at a time.
    pub fn start(rooms: Vec<Room>, page_size: usize) -> std::io::Result<FakeIvsChat> {
        FakeIvsChat::start_on("127.0.0.1:0", rooms, page_size)
    }

    /// Starts a server listening on `address` (`host:port`, port 0 for a
    /// free one), knowing `rooms`, listing them `page_size` at a time.
    pub fn start_on(
        address: &str,
        rooms: Vec<Room>,
        page_size: usize,
    ) -> std::io::Result<FakeIvsChat> {
        let listener = TcpListener::bind(address)?;
        let addr = listener.local_addr()?.to_string();
        let state = Arc::new(Mutex::new(State {
            rooms,
            page_size: page_size.max(1),
            ..Default::default()
        }));
        let shared = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                thread::spawn(move || serve(stream, &state));
            }
        });
        Ok(FakeIvsChat { addr, state })
    }

    /// `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_*`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a fault.
    pub fn inject(
        &self,
        operation: Option<&str>,
        room: Option<&str>,
        remaining: Option<usize>,
        kind: FaultKind,
    ) {
        lock(&self.state).faults.push(Fault {
            operation: operation.map(str::to_string),
            room: room.map(str::to_string),
            remaining,
            every: 1,
            seen: 0,
            kind,
        });
    }

    /// Adds a fault applying to every `every`-th request matching `operation`
    /// and `room` (the `every`-th, the `2 * every`-th, ...), forever.
    pub fn inject_every(
        &self,
        operation: Option<&str>,
        room: Option<&str>,
        every: usize,
        kind: FaultKind,
    ) {
        lock(&self.state).faults.push(Fault {
            operation: operation.map(str::to_string),
            room: room.map(str::to_string),
            remaining: None,
            every: every.max(1),
            seen: 0,
            kind,
        });
    }

    /// Enforces `per_second` requests per second (bursts of `burst`) for each
    /// IVS Chat operation separately, as the service's quota does; requests
    /// over it are answered 429 `ThrottlingException`. SQS is not limited.
    pub fn rate_limit(&self, per_second: u32, burst: u32) {
        lock(&self.state).rate_limit = Some(RateLimit::new(per_second, burst));
    }

    /// Every call so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    /// Forgets the calls so far.
    pub fn clear_calls(&self) {
        lock(&self.state).calls.clear();
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Ok(Some(request)) = read_message(&mut reader) {
        let (status, headers, body) = respond(&request, state);
        if status == 0 {
            return; // a slow answer nobody waits for any more
        }
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            if status == 200 { "OK" } else { "Error" },
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if writer
            .write_all(head.as_bytes())
            .and_then(|_| writer.write_all(&body))
            .is_err()
        {
            return;
        }
    }
}

type Response = (u16, Vec<(String, String)>, Vec<u8>);

fn error(status: u16, error_type: &str, body: Value) -> Response {
    (
        status,
        vec![("x-amzn-ErrorType".to_string(), error_type.to_string())],
        body.to_string().into_bytes(),
    )
}

fn ok(body: Value) -> Response {
    (200, vec![], body.to_string().into_bytes())
}

fn respond(request: &Message, state: &Mutex<State>) -> Response {
    let mut parts = request.start_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let headers = request.header_map();
    let (operation, service) = match (method.as_str(), path, request.header("x-amz-target")) {
        ("POST", "/", Some("AmazonSQS.SendMessage")) => ("SQS.SendMessage".to_string(), "sqs"),
        ("POST", "/", Some("AmazonSQS.SendMessageBatch")) => {
            ("SQS.SendMessageBatch".to_string(), "sqs")
        }
        (
            "POST",
            "/SendEvent" | "/DisconnectUser" | "/DeleteMessage" | "/ListRooms" | "/CreateChatToken",
            _,
        ) => (path.trim_start_matches('/').to_string(), "ivschat"),
        _ => (format!("{method} {target}"), "unknown"),
    };
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let attempt = request.header("amz-sdk-request").and_then(parse_attempt);
    let auth = sigv4::verify(
        &method,
        path,
        query,
        &headers,
        &request.body,
        SECRET_KEY,
        service,
    )
    .and_then(|a| {
        if a.access_key == ACCESS_KEY {
            Ok(a)
        } else {
            Err(format!("unknown access key {}", a.access_key))
        }
    });
    let index = {
        let mut s = lock(state);
        s.calls.push(Call {
            operation: operation.clone(),
            body: body.clone(),
            status: 0,
            auth_error: auth.as_ref().err().cloned(),
            attempt,
            at: Instant::now(),
        });
        s.calls.len() - 1
    };
    let response = answer(&operation, service, &body, auth.err(), state);
    lock(state).calls[index].status = response.0;
    response
}

/// `attempt=2; max=3` (the AWS SDKs' `amz-sdk-request` header).
fn parse_attempt(value: &str) -> Option<(u32, u32)> {
    let mut attempt = None;
    let mut max = None;
    for part in value.split(';') {
        match part.trim().split_once('=') {
            Some(("attempt", n)) => attempt = n.parse().ok(),
            Some(("max", n)) => max = n.parse().ok(),
            _ => {}
        }
    }
    Some((attempt?, max?))
}

fn answer(
    operation: &str,
    service: &str,
    body: &Value,
    auth_error: Option<String>,
    state: &Mutex<State>,
) -> Response {
    if let Some(e) = auth_error {
        return error(403, "InvalidSignatureException", json!({"message": e}));
    }
    let room = body
        .get("roomIdentifier")
        .and_then(Value::as_str)
        .map(str::to_string);
    // The quota and faults first, as a real service under load answers
    // before validating.
    let fault = {
        let mut s = lock(state);
        let admitted = match (&mut s.rate_limit, service) {
            (Some(limit), "ivschat") => limit.admit(operation, Instant::now()),
            _ => true,
        };
        if admitted {
            s.faults
                .iter_mut()
                .filter(|f| {
                    f.remaining != Some(0)
                        && f.operation.as_deref().is_none_or(|o| o == operation)
                        && f.room.as_ref().is_none_or(|r| Some(r) == room.as_ref())
                })
                .find_map(|f| {
                    f.seen += 1;
                    if f.seen % f.every != 0 {
                        return None;
                    }
                    if let Some(n) = f.remaining.as_mut() {
                        *n -= 1;
                    }
                    Some(f.kind)
                })
        } else {
            Some(FaultKind::Throttle)
        }
    };
    match fault {
        Some(FaultKind::Throttle) => {
            return error(
                429,
                "ThrottlingException",
                json!({"message": "Request rate exceeded", "resourceId": room.unwrap_or_default(), "resourceType": "ROOM", "limit": 100}),
            )
        }
        Some(FaultKind::ServerError) => {
            return error(
                500,
                "InternalServerException",
                json!({"message": "injected server error"}),
            )
        }
        Some(FaultKind::Slow(d)) => thread::sleep(d),
        None => {}
    }
    if operation == "SQS.SendMessage" {
        if body.get("QueueUrl").and_then(Value::as_str).is_none()
            || body.get("MessageBody").and_then(Value::as_str).is_none()
        {
            return error(
                400,
                "InvalidParameterValue",
                json!({"__type": "InvalidParameterValue", "message": "QueueUrl and MessageBody are required"}),
            );
        }
        let id = next_id(state);
        return (
            200,
            vec![],
            json!({"MessageId": format!("00000000-0000-0000-0000-{id:012}")})
                .to_string()
                .into_bytes(),
        );
    }
    if operation == "SQS.SendMessageBatch" {
        return send_message_batch(body, state);
    }
    if let Err((fields, message)) = validate(operation, body) {
        return error(
            400,
            "ValidationException",
            json!({"message": message, "reason": "FIELD_VALIDATION_FAILED", "fieldList": fields.iter().map(|f| json!({"name": f, "message": message})).collect::<Vec<_>>()}),
        );
    }
    if operation == "ListRooms" {
        return list_rooms(body, state);
    }
    let room = room.unwrap_or_default();
    if !lock(state).rooms.iter().any(|r| r.arn == room) {
        return error(
            404,
            "ResourceNotFoundException",
            json!({"message": "Room not found", "resourceId": room, "resourceType": "ROOM"}),
        );
    }
    match operation {
        "SendEvent" => ok(json!({"id": format!("EvEnT{:07}", next_id(state))})),
        "DisconnectUser" => ok(json!({})),
        "CreateChatToken" => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let minutes = body
                .get("sessionDurationInMinutes")
                .and_then(Value::as_u64)
                .unwrap_or(60);
            ok(json!({
                "token": format!("v1:e2e-token-{}", next_id(state)),
                "tokenExpirationTime": rfc3339(now + 60),
                "sessionExpirationTime": rfc3339(now + minutes * 60),
            }))
        }
        "DeleteMessage" => ok(json!({"id": body["id"].clone()})),
        _ => error(
            404,
            "UnknownOperationException",
            json!({"message": operation}),
        ),
    }
}

/// `SendMessageBatch`: 1..=10 entries with distinct ids, each with a body.
fn send_message_batch(body: &Value, state: &Mutex<State>) -> Response {
    let invalid = |message: &str| {
        error(
            400,
            "InvalidParameterValue",
            json!({"__type": "InvalidParameterValue", "message": message}),
        )
    };
    if body.get("QueueUrl").and_then(Value::as_str).is_none() {
        return invalid("QueueUrl is required");
    }
    let Some(entries) = body.get("Entries").and_then(Value::as_array) else {
        return invalid("Entries is required");
    };
    if entries.is_empty() || entries.len() > 10 {
        return invalid("a batch holds 1 to 10 entries");
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut successful = Vec::new();
    for entry in entries {
        let (Some(id), Some(_)) = (
            entry.get("Id").and_then(Value::as_str),
            entry.get("MessageBody").and_then(Value::as_str),
        ) else {
            return invalid("every entry needs an Id and a MessageBody");
        };
        if !ids.insert(id.to_string()) {
            return invalid("entry ids must be distinct");
        }
        let message_id = format!("00000000-0000-0000-0000-{:012}", next_id(state));
        successful.push(json!({"Id": id, "MessageId": message_id}));
    }
    (
        200,
        vec![],
        json!({"Successful": successful, "Failed": []})
            .to_string()
            .into_bytes(),
    )
}

fn next_id(state: &Mutex<State>) -> u64 {
    let mut s = lock(state);
    s.next_id += 1;
    s.next_id
}

fn list_rooms(body: &Value, state: &Mutex<State>) -> Response {
    let s = lock(state);
    let start: usize = match body.get("nextToken").and_then(Value::as_str) {
        None => 0,
        Some(t) => match t.strip_prefix("page-").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => {
                return error(
                    400,
                    "ValidationException",
                    json!({"message": "bad nextToken", "reason": "FIELD_VALIDATION_FAILED"}),
                )
            }
        },
    };
    let size = body
        .get("maxResults")
        .and_then(Value::as_u64)
        .map_or(s.page_size, |m| (m as usize).min(s.page_size));
    let end = (start + size).min(s.rooms.len());
    let rooms: Vec<Value> = s.rooms[start.min(end)..end]
        .iter()
        .map(|r| {
            let id = r.arn.rsplit('/').next().unwrap_or_default();
            json!({"arn": r.arn, "id": id, "name": id, "tags": r.tags, "loggingConfigurationIdentifiers": [],
                   "createTime": "2026-11-01T00:00:00Z", "updateTime": "2026-11-01T00:00:00Z"})
        })
        .collect();
    let mut out = json!({"rooms": rooms});
    if end < s.rooms.len() {
        out["nextToken"] = json!(format!("page-{end}"));
    }
    ok(out)
}

/// Seconds since the epoch as RFC 3339 UTC (what the API answers times in).
fn rfc3339(epoch: u64) -> String {
    let days = i64::try_from(epoch / 86_400).unwrap_or(0);
    let rem = epoch % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

// ------------------------------------------------------------------ limits
// Written from the API reference, independently of the ivs-chat crate.

fn chars(v: &Value) -> Option<usize> {
    v.as_str().map(|s| s.chars().count())
}

fn room_arn_ok(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("arn:aws:ivschat:") else {
        return false;
    };
    let parts: Vec<&str> = rest.splitn(3, ':').collect();
    let [region, account, resource] = parts[..] else {
        return false;
    };
    let Some(id) = resource.strip_prefix("room/") else {
        return false;
    };
    !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !account.is_empty()
        && account.chars().all(|c| c.is_ascii_digit())
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn validate(operation: &str, body: &Value) -> Result<(), (Vec<&'static str>, String)> {
    let Some(map) = body.as_object() else {
        return Err((vec![], "body must be a JSON object".into()));
    };
    let allowed: &[&str] = match operation {
        "SendEvent" => &["roomIdentifier", "eventName", "attributes"],
        "DisconnectUser" => &["roomIdentifier", "userId", "reason"],
        "DeleteMessage" => &["roomIdentifier", "id", "reason"],
        "CreateChatToken" => &[
            "roomIdentifier",
            "userId",
            "attributes",
            "capabilities",
            "sessionDurationInMinutes",
        ],
        "ListRooms" => &[
            "maxResults",
            "nextToken",
            "name",
            "loggingConfigurationIdentifier",
            "messageReviewHandlerUri",
        ],
        _ => &[],
    };
    if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err((vec![], format!("unexpected field {k}")));
    }
    let fail = |field: &'static str, msg: &str| Err((vec![field], format!("{field}: {msg}")));
    if operation == "ListRooms" {
        if let Some(m) = map.get("maxResults") {
            if !m.as_u64().is_some_and(|m| (1..=50).contains(&m)) {
                return fail("maxResults", "must be 1..50");
            }
        }
        return Ok(());
    }
    let room = map
        .get("roomIdentifier")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !(1..=128).contains(&room.chars().count()) || !room_arn_ok(room) {
        return fail("roomIdentifier", "must be a room ARN of 1..128 characters");
    }
    if let Some(reason) = map.get("reason") {
        if !chars(reason).is_some_and(|n| (1..=256).contains(&n)) {
            return fail("reason", "must be 1..256 characters");
        }
    }
    match operation {
        "SendEvent" => {
            if !map
                .get("eventName")
                .and_then(chars)
                .is_some_and(|n| (1..=100).contains(&n))
            {
                return fail("eventName", "must be 1..100 characters");
            }
            if let Some(attrs) = map.get("attributes") {
                let Some(attrs) = attrs.as_object() else {
                    return fail("attributes", "must be a map");
                };
                let mut total = 0;
                for (k, v) in attrs {
                    let Some(v) = v.as_str() else {
                        return fail("attributes", "values must be strings");
                    };
                    total += k.len() + v.len();
                }
                if total > 1024 {
                    return fail("attributes", "must total at most 1 KB");
                }
            }
        }
        "CreateChatToken" => {
            if !map
                .get("userId")
                .and_then(chars)
                .is_some_and(|n| (1..=128).contains(&n))
            {
                return fail("userId", "must be 1..128 characters");
            }
            if let Some(attrs) = map.get("attributes") {
                let Some(attrs) = attrs.as_object() else {
                    return fail("attributes", "must be a map");
                };
                let total: usize = attrs
                    .iter()
                    .map(|(k, v)| k.len() + v.as_str().map_or(usize::MAX / 2, str::len))
                    .sum();
                if total > 1024 {
                    return fail("attributes", "must total at most 1 KB of strings");
                }
            }
            if let Some(caps) = map.get("capabilities") {
                let known = ["SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"];
                let ok = caps.as_array().is_some_and(|caps| {
                    caps.iter()
                        .all(|c| c.as_str().is_some_and(|c| known.contains(&c)))
                });
                if !ok {
                    return fail(
                        "capabilities",
                        "must be SEND_MESSAGE, DISCONNECT_USER or DELETE_MESSAGE",
                    );
                }
            }
            if let Some(m) = map.get("sessionDurationInMinutes") {
                if !m.as_u64().is_some_and(|m| (1..=180).contains(&m)) {
                    return fail("sessionDurationInMinutes", "must be 1..180");
                }
            }
        }
        "DisconnectUser"
            if !map
                .get("userId")
                .and_then(chars)
                .is_some_and(|n| (1..=128).contains(&n)) =>
        {
            return fail("userId", "must be 1..128 characters");
        }
        "DeleteMessage" => {
            let id = map.get("id").and_then(Value::as_str).unwrap_or_default();
            if id.len() != 12 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
                return fail("id", "must be 12 characters [a-zA-Z0-9]");
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    #[test]
    fn the_rate_limit_is_a_token_bucket_per_operation() {
        let start = Instant::now();
        let mut limit = RateLimit::new(100, 3);
        // A full bucket admits a burst, then refuses.
        let burst: Vec<bool> = (0..4).map(|_| limit.admit("SendEvent", start)).collect();
        assert_eq!(burst, [true, true, true, false]);
        // Another operation has its own bucket.
        assert!(limit.admit("DeleteMessage", start));
        // 10 ms at 100/s refill one token, and only one.
        let later = start + Duration::from_millis(10);
        assert!(limit.admit("SendEvent", later));
        assert!(!limit.admit("SendEvent", later));
        // Refilling stops at the burst size.
        let much_later = start + Duration::from_secs(60);
        let burst: Vec<bool> = (0..4)
            .map(|_| limit.admit("SendEvent", much_later))
            .collect();
        assert_eq!(burst, [true, true, true, false]);
    }

    #[test]
    fn sdk_attempt_headers_are_read() {
        assert_eq!(parse_attempt("attempt=2; max=3"), Some((2, 3)));
        assert_eq!(
            parse_attempt("ttl=20261122T031000Z; attempt=1; max=5"),
            Some((1, 5))
        );
        assert_eq!(parse_attempt("attempt=1"), None);
    }

    #[test]
    fn limits_match_the_api_reference() {
        assert!(validate(
            "SendEvent",
            &json!({"roomIdentifier": ROOM, "eventName": "e"})
        )
        .is_ok());
        assert!(validate(
            "SendEvent",
            &json!({"roomIdentifier": ROOM, "eventName": "e".repeat(101)})
        )
        .is_err());
        assert!(validate("SendEvent", &json!({"roomIdentifier": ROOM, "eventName": "e", "attributes": {"k": "v".repeat(1024)}})).is_err());
        assert!(validate(
            "SendEvent",
            &json!({"roomIdentifier": "room/x", "eventName": "e"})
        )
        .is_err());
        assert!(validate(
            "DisconnectUser",
            &json!({"roomIdentifier": ROOM, "userId": "u".repeat(128), "reason": "r".repeat(256)})
        )
        .is_ok());
        assert!(validate(
            "DisconnectUser",
            &json!({"roomIdentifier": ROOM, "userId": "u".repeat(129)})
        )
        .is_err());
        assert!(validate(
            "DisconnectUser",
            &json!({"roomIdentifier": ROOM, "userId": "u", "reason": ""})
        )
        .is_err());
        assert!(validate(
            "DeleteMessage",
            &json!({"roomIdentifier": ROOM, "id": "AbCdEf123456"})
        )
        .is_ok());
        assert!(validate(
            "DeleteMessage",
            &json!({"roomIdentifier": ROOM, "id": "AbCdEf12345!"})
        )
        .is_err());
        assert!(validate(
            "DeleteMessage",
            &json!({"roomIdentifier": ROOM, "id": "AbCdEf123456", "userId": "x"})
        )
        .is_err());
        assert!(validate("ListRooms", &json!({"maxResults": 51})).is_err());
        assert!(validate(
            "CreateChatToken",
            &json!({"roomIdentifier": ROOM, "userId": "u", "capabilities": ["SEND_MESSAGE"], "sessionDurationInMinutes": 180})
        )
        .is_ok());
        for bad in [
            json!({"roomIdentifier": ROOM, "userId": ""}),
            json!({"roomIdentifier": ROOM, "userId": "u", "capabilities": ["READ"]}),
            json!({"roomIdentifier": ROOM, "userId": "u", "sessionDurationInMinutes": 181}),
            json!({"roomIdentifier": ROOM, "userId": "u", "attributes": {"k": "v".repeat(1024)}}),
        ] {
            assert!(validate("CreateChatToken", &bad).is_err(), "{bad}");
        }
        assert_eq!(rfc3339(1_796_115_600), "2026-12-01T09:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
