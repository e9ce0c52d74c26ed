//! The room operations the functions need, behind a small trait.
//!
//! Handlers take any [`RoomClient`], so they are unit-tested with an
//! in-memory fake and run in Lambda with the `aws-sdk-ivschat`
//! implementation ([`crate::sdk::SdkRoomClient`], feature `sdk`). The trait
//! speaks in validated commands ([`crate::command`]) and answers a
//! [`RoomError`] whose [`ErrorClass`] tells a caller whether trying again
//! later can help (throttling, 5xx, timeouts, network) or never will
//! (validation, access denied, not found).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;

use crate::command::{Command, DeleteMessage, DisconnectUser, SendEvent};

/// Whether a failed call may succeed if tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Throttling, server errors, timeouts, network failures: retry later.
    Transient,
    /// Validation, access denied, not found: retrying cannot help.
    Permanent,
}

impl ErrorClass {
    /// `"transient"` or `"permanent"`, as written in logs and responses.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Transient => "transient",
            ErrorClass::Permanent => "permanent",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong with a call, as precisely as the API says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `ThrottlingException` (HTTP 429): over the 100 requests/s quota.
    Throttling,
    /// An HTTP 5xx answer.
    ServerError,
    /// No answer within the attempt or operation timeout.
    Timeout,
    /// The request could not be sent or the answer could not be read.
    Network,
    /// `ValidationException` (HTTP 400).
    Validation,
    /// `AccessDeniedException` (HTTP 403).
    AccessDenied,
    /// `PendingVerification` (HTTP 403): the account is not verified yet.
    PendingVerification,
    /// `ResourceNotFoundException` (HTTP 404): no such room.
    NotFound,
    /// The call was never sent: the function has no usable AWS credentials.
    /// A configuration error, so retrying cannot help.
    Credentials,
    /// Any other failure (an unknown 4xx, a request that could not be built).
    Other,
}

impl ErrorKind {
    /// Whether retrying can help.
    pub fn class(self) -> ErrorClass {
        match self {
            ErrorKind::Throttling
            | ErrorKind::ServerError
            | ErrorKind::Timeout
            | ErrorKind::Network => ErrorClass::Transient,
            ErrorKind::Validation
            | ErrorKind::AccessDenied
            | ErrorKind::PendingVerification
            | ErrorKind::NotFound
            | ErrorKind::Credentials
            | ErrorKind::Other => ErrorClass::Permanent,
        }
    }

    /// The error type as logged and reported (the API's exception name
    /// where there is one).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Throttling => "ThrottlingException",
            ErrorKind::ServerError => "InternalServerError",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Network => "NetworkError",
            ErrorKind::Validation => "ValidationException",
            ErrorKind::AccessDenied => "AccessDeniedException",
            ErrorKind::PendingVerification => "PendingVerification",
            ErrorKind::NotFound => "ResourceNotFoundException",
            ErrorKind::Credentials => "CredentialsError",
            ErrorKind::Other => "UnclassifiedError",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed room operation.
///
/// ```
/// use ivs_chat::{ErrorClass, ErrorKind, RoomError};
/// let err = RoomError::new(ErrorKind::Throttling, "Rate exceeded");
/// assert_eq!(err.class(), ErrorClass::Transient);
/// assert_eq!(err.to_string(), "ThrottlingException (transient): Rate exceeded");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} ({}): {message}", kind.class())]
pub struct RoomError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The service's message, or a description of the failure.
    pub message: String,
}

impl RoomError {
    /// A room error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        RoomError {
            kind,
            message: message.into(),
        }
    }

    /// Whether retrying can help.
    pub fn class(&self) -> ErrorClass {
        self.kind.class()
    }
}

/// A room as `ListRooms` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomSummary {
    /// The room's ARN.
    pub arn: String,
    /// The room's tags.
    pub tags: BTreeMap<String, String>,
}

/// One page of `ListRooms`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomPage {
    /// The rooms on this page.
    pub rooms: Vec<RoomSummary>,
    /// The token for the next page; `None` on the last one.
    pub next_token: Option<String>,
}

/// What a successful command returned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    /// The id IVS Chat gave the event (`SendEvent`) or the deleted message
    /// (`DeleteMessage`); `None` for `DisconnectUser`.
    pub id: Option<String>,
}

/// The room operations the functions call.
///
/// Implementations retry transient failures themselves as they see fit (the
/// SDK does, with backoff) and report what is left as a [`RoomError`].
pub trait RoomClient: Send + Sync {
    /// `SendEvent`; answers the event's id.
    fn send_event(
        &self,
        command: &SendEvent,
    ) -> impl Future<Output = Result<String, RoomError>> + Send;
    /// `DisconnectUser`.
    fn disconnect_user(
        &self,
        command: &DisconnectUser,
    ) -> impl Future<Output = Result<(), RoomError>> + Send;
    /// `DeleteMessage`; answers the deleted message's id.
    fn delete_message(
        &self,
        command: &DeleteMessage,
    ) -> impl Future<Output = Result<String, RoomError>> + Send;
    /// One page of `ListRooms`, starting at `next_token`.
    fn list_rooms(
        &self,
        next_token: Option<String>,
    ) -> impl Future<Output = Result<RoomPage, RoomError>> + Send;
}

/// A shared reference to a client is a client, so one client can serve a
/// handler and the sanctions enforcer it builds.
impl<C: RoomClient> RoomClient for &C {
    fn send_event(
        &self,
        command: &SendEvent,
    ) -> impl Future<Output = Result<String, RoomError>> + Send {
        (**self).send_event(command)
    }
    fn disconnect_user(
        &self,
        command: &DisconnectUser,
    ) -> impl Future<Output = Result<(), RoomError>> + Send {
        (**self).disconnect_user(command)
    }
    fn delete_message(
        &self,
        command: &DeleteMessage,
    ) -> impl Future<Output = Result<String, RoomError>> + Send {
        (**self).delete_message(command)
    }
    fn list_rooms(
        &self,
        next_token: Option<String>,
    ) -> impl Future<Output = Result<RoomPage, RoomError>> + Send {
        (**self).list_rooms(next_token)
    }
}

/// Runs one command against `client`.
pub async fn execute<C: RoomClient>(
    client: &C,
    command: &Command,
) -> Result<CommandOutput, RoomError> {
    match command {
        Command::SendEvent(c) => client
            .send_event(c)
            .await
            .map(|id| CommandOutput { id: Some(id) }),
        Command::DisconnectUser(c) => client
            .disconnect_user(c)
            .await
            .map(|()| CommandOutput { id: None }),
        Command::DeleteMessage(c) => client
            .delete_message(c)
            .await
            .map(|id| CommandOutput { id: Some(id) }),
    }
}

/// The ARNs of every room (all `ListRooms` pages) whose tags include every
/// `key = value` pair of `tags`, in listing order.
///
/// A page token seen twice ends the listing with an error instead of a loop.
pub async fn rooms_tagged<C: RoomClient>(
    client: &C,
    tags: &BTreeMap<String, String>,
) -> Result<Vec<String>, RoomError> {
    let mut arns = Vec::new();
    let mut token: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = client.list_rooms(token.take()).await?;
        arns.extend(
            page.rooms
                .into_iter()
                .filter(|room| tags.iter().all(|(k, v)| room.tags.get(k) == Some(v)))
                .map(|room| room.arn),
        );
        match page.next_token {
            None => return Ok(arns),
            Some(next) if !seen.insert(next.clone()) => {
                return Err(RoomError::new(
                    ErrorKind::Other,
                    format!("ListRooms returned the page token {next:?} twice"),
                ))
            }
            Some(next) => token = Some(next),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Pages(Mutex<Vec<RoomPage>>, Mutex<Vec<Option<String>>>);

    impl RoomClient for Pages {
        async fn send_event(&self, _: &SendEvent) -> Result<String, RoomError> {
            unreachable!("not used")
        }
        async fn disconnect_user(&self, _: &DisconnectUser) -> Result<(), RoomError> {
            unreachable!("not used")
        }
        async fn delete_message(&self, _: &DeleteMessage) -> Result<String, RoomError> {
            unreachable!("not used")
        }
        async fn list_rooms(&self, token: Option<String>) -> Result<RoomPage, RoomError> {
            self.1.lock().unwrap().push(token);
            let mut pages = self.0.lock().unwrap();
            if pages.is_empty() {
                return Err(RoomError::new(ErrorKind::ServerError, "no more pages"));
            }
            Ok(pages.remove(0))
        }
    }

    fn room(arn: &str, tags: &[(&str, &str)]) -> RoomSummary {
        RoomSummary {
            arn: arn.into(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn classes() {
        assert_eq!(ErrorKind::Timeout.class(), ErrorClass::Transient);
        assert_eq!(ErrorKind::Network.class(), ErrorClass::Transient);
        assert_eq!(ErrorKind::ServerError.class(), ErrorClass::Transient);
        assert_eq!(ErrorKind::NotFound.class(), ErrorClass::Permanent);
        assert_eq!(ErrorKind::AccessDenied.class(), ErrorClass::Permanent);
        assert_eq!(
            ErrorKind::PendingVerification.class(),
            ErrorClass::Permanent
        );
        assert_eq!(ErrorKind::Validation.class(), ErrorClass::Permanent);
    }

    #[test]
    fn tagged_rooms_follow_every_page_and_match_all_tags() {
        let client = Pages(
            Mutex::new(vec![
                RoomPage {
                    rooms: vec![
                        room("a", &[("show", "x"), ("env", "prod")]),
                        room("b", &[("show", "x")]),
                    ],
                    next_token: Some("t1".into()),
                },
                RoomPage {
                    rooms: vec![room("c", &[("show", "x"), ("env", "prod"), ("z", "1")])],
                    next_token: None,
                },
            ]),
            Mutex::new(vec![]),
        );
        let tags = [
            ("show".to_string(), "x".to_string()),
            ("env".to_string(), "prod".to_string()),
        ]
        .into();
        assert_eq!(
            block_on(rooms_tagged(&client, &tags)).unwrap(),
            vec!["a", "c"]
        );
        assert_eq!(
            *client.1.lock().unwrap(),
            vec![None, Some("t1".to_string())]
        );
    }

    #[test]
    fn a_repeated_page_token_is_an_error_not_a_loop() {
        let page = RoomPage {
            rooms: vec![],
            next_token: Some("same".into()),
        };
        let client = Pages(
            Mutex::new(vec![page.clone(), page.clone(), page]),
            Mutex::new(vec![]),
        );
        let err = block_on(rooms_tagged(&client, &BTreeMap::new())).unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
    }
}
