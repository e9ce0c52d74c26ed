//! An in-memory [`RoomClient`] for testing handlers.
//!
//! Handlers are generic over [`RoomClient`]; their unit tests run them against
//! this fake, which records every call in order, lists a configurable set of
//! rooms in pages, and fails calls to chosen rooms with chosen errors (for a
//! number of calls or for ever). It is compiled only with the `fake` feature,
//! which the functions enable for their tests alone.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::client::{ErrorKind, RoomClient, RoomError, RoomPage, RoomSummary};
use crate::command::{DeleteMessage, DisconnectUser, SendEvent};
use crate::token::{ChatToken, ChatTokenRequest, TokenIssuer};

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `SendEvent`.
    SendEvent {
        /// Room ARN.
        room: String,
        /// Event name.
        event_name: String,
        /// Attributes.
        attributes: BTreeMap<String, String>,
    },
    /// `DisconnectUser`.
    DisconnectUser {
        /// Room ARN.
        room: String,
        /// User id.
        user_id: String,
        /// Reason.
        reason: Option<String>,
    },
    /// `DeleteMessage`.
    DeleteMessage {
        /// Room ARN.
        room: String,
        /// Message id.
        message_id: String,
        /// Reason.
        reason: Option<String>,
    },
    /// `CreateChatToken`.
    CreateChatToken {
        /// Room ARN.
        room: String,
        /// User id.
        user_id: String,
        /// Capabilities, as the API names them.
        capabilities: Vec<String>,
        /// Session duration asked for.
        session_duration_minutes: Option<u32>,
    },
    /// `ListRooms`.
    ListRooms {
        /// The page token asked for.
        next_token: Option<String>,
    },
}

impl Call {
    /// The room a room action was sent to (`None` for `ListRooms`).
    pub fn room(&self) -> Option<&str> {
        match self {
            Call::SendEvent { room, .. }
            | Call::DisconnectUser { room, .. }
            | Call::DeleteMessage { room, .. }
            | Call::CreateChatToken { room, .. } => Some(room),
            Call::ListRooms { .. } => None,
        }
    }
}

#[derive(Debug)]
struct Failure {
    room: Option<String>,
    kind: ErrorKind,
    remaining: Option<usize>,
}

/// The fake client.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use ivs_chat::fake::FakeRoomClient;
/// use ivs_chat::{ErrorKind, RoomArn, RoomClient, SendEvent};
/// let room = "arn:aws:ivschat:us-west-2:123456789012:room/abc";
/// let fake = FakeRoomClient::new().fail_room(room, ErrorKind::NotFound, None);
/// let event = SendEvent::new(RoomArn::parse("roomArn", room).unwrap(), "app:X", Default::default()).unwrap();
/// assert_eq!(fake.send_event(&event).await.unwrap_err().kind, ErrorKind::NotFound);
/// assert_eq!(fake.calls().len(), 1);
/// # });
/// ```
#[derive(Debug, Default)]
pub struct FakeRoomClient {
    calls: Mutex<Vec<Call>>,
    failures: Mutex<Vec<Failure>>,
    rooms: Vec<RoomSummary>,
    page_size: usize,
}

impl FakeRoomClient {
    /// A fake with no rooms that accepts every call.
    pub fn new() -> Self {
        FakeRoomClient {
            page_size: 50,
            ..Default::default()
        }
    }

    /// Lists `rooms` (ARN and tags) in pages of `page_size`.
    pub fn with_rooms(mut self, rooms: Vec<RoomSummary>, page_size: usize) -> Self {
        self.rooms = rooms;
        self.page_size = page_size.max(1);
        self
    }

    /// Fails calls to `room` with `kind`: the next `times` calls, or all
    /// with `None`. Earlier rules are consulted first.
    pub fn fail_room(self, room: &str, kind: ErrorKind, times: Option<usize>) -> Self {
        self.push_failure(Some(room.to_string()), kind, times);
        self
    }

    /// Fails `ListRooms` with `kind`, for ever.
    pub fn fail_list_rooms(self, kind: ErrorKind) -> Self {
        self.push_failure(None, kind, None);
        self
    }

    fn push_failure(&self, room: Option<String>, kind: ErrorKind, remaining: Option<usize>) {
        if let Ok(mut f) = self.failures.lock() {
            f.push(Failure {
                room,
                kind,
                remaining,
            });
        }
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn record(&self, call: Call) -> Result<(), RoomError> {
        let room = call.room().map(str::to_string);
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
        let mut failures = match self.failures.lock() {
            Ok(f) => f,
            Err(_) => return Ok(()),
        };
        for failure in failures.iter_mut() {
            if failure.room != room || failure.remaining == Some(0) {
                continue;
            }
            if let Some(n) = failure.remaining.as_mut() {
                *n -= 1;
            }
            return Err(RoomError::new(failure.kind, "injected by the fake"));
        }
        Ok(())
    }
}

impl RoomClient for FakeRoomClient {
    async fn send_event(&self, c: &SendEvent) -> Result<String, RoomError> {
        self.record(Call::SendEvent {
            room: c.room().to_string(),
            event_name: c.event_name().to_string(),
            attributes: c.attributes().clone(),
        })?;
        Ok(format!(
            "ev-{}",
            c.room().as_str().rsplit('/').next().unwrap_or_default()
        ))
    }

    async fn disconnect_user(&self, c: &DisconnectUser) -> Result<(), RoomError> {
        self.record(Call::DisconnectUser {
            room: c.room().to_string(),
            user_id: c.user_id().to_string(),
            reason: c.reason().map(str::to_string),
        })
    }

    async fn delete_message(&self, c: &DeleteMessage) -> Result<String, RoomError> {
        self.record(Call::DeleteMessage {
            room: c.room().to_string(),
            message_id: c.message_id().to_string(),
            reason: c.reason().map(str::to_string),
        })?;
        Ok(c.message_id().to_string())
    }

    async fn list_rooms(&self, next_token: Option<String>) -> Result<RoomPage, RoomError> {
        self.record(Call::ListRooms {
            next_token: next_token.clone(),
        })?;
        let start: usize = next_token.as_deref().unwrap_or("0").parse().unwrap_or(0);
        let end = (start + self.page_size).min(self.rooms.len());
        Ok(RoomPage {
            rooms: self.rooms.get(start..end).unwrap_or_default().to_vec(),
            next_token: (end < self.rooms.len()).then(|| end.to_string()),
        })
    }
}

impl TokenIssuer for FakeRoomClient {
    async fn create_chat_token(&self, request: &ChatTokenRequest) -> Result<ChatToken, RoomError> {
        self.record(Call::CreateChatToken {
            room: request.room().to_string(),
            user_id: request.user_id().to_string(),
            capabilities: request
                .capabilities()
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            session_duration_minutes: request.session_duration_minutes(),
        })?;
        Ok(ChatToken {
            token: format!("fake-token-for-{}", request.user_id()),
            token_expiration_time: String::new(),
            session_expiration_time: String::new(),
        })
    }
}
