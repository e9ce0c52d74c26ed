//! [`RoomClient`] on `aws-sdk-ivschat`.
//!
//! The client is built once, at init, from `aws-config` defaults, so the
//! standard variables work unchanged: credentials and region from the Lambda
//! environment, `AWS_ENDPOINT_URL_IVSCHAT` / `AWS_ENDPOINT_URL` to point at
//! another endpoint (the end-to-end tests' local server), `AWS_MAX_ATTEMPTS` /
//! `AWS_RETRY_MODE` for retries. The SDK retries throttling, 5xx and timeouts
//! with backoff; what is left is classified by [`classify`] into the
//! [`ErrorKind`]s of [`crate::client`]. A service variable set but blank
//! (`AWS_ENDPOINT_URL_IVSCHAT=""`, what an empty template value or a
//! `--env-vars` file gives) reads as unset: the SDK itself would take the
//! empty string for an endpoint and panic on the first call. One variable is
//! this project's own:
//! [`ATTEMPT_TIMEOUT_VAR`], the time allowed for one attempt, because the SDK
//! sets no attempt timeout and a hung connection would otherwise hold a
//! Lambda invocation until its own timeout.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ivschat::config::http::HttpResponse;
use aws_sdk_ivschat::error::{ProvideErrorMetadata, SdkError};
use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

use crate::client::{ErrorKind, RoomClient, RoomError, RoomPage, RoomSummary};
use crate::command::{DeleteMessage, DisconnectUser, SendEvent};
use crate::env::{self, ConfigError};
use crate::limits::LIST_ROOMS_MAX_RESULTS;
use crate::token::{ChatToken, ChatTokenRequest, TokenIssuer};

/// Milliseconds allowed for one attempt of an AWS call (default
/// [`DEFAULT_ATTEMPT_TIMEOUT_MS`], 100..=60000). A timed-out attempt is
/// retried like any transient failure.
pub const ATTEMPT_TIMEOUT_VAR: &str = "AWS_ATTEMPT_TIMEOUT_MS";

/// The default of [`ATTEMPT_TIMEOUT_VAR`].
pub const DEFAULT_ATTEMPT_TIMEOUT_MS: u64 = 3000;

/// Reads [`ATTEMPT_TIMEOUT_VAR`].
pub fn attempt_timeout(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Duration, ConfigError> {
    env::number(
        lookup,
        ATTEMPT_TIMEOUT_VAR,
        DEFAULT_ATTEMPT_TIMEOUT_MS,
        100..=60_000,
    )
    .map(Duration::from_millis)
}

/// Loads the shared AWS configuration (`aws-config` defaults) with an
/// attempt timeout, blank service settings read as unset, and checks that
/// its credentials resolve ([`require_credentials`]). Call once at init and
/// build every client from it.
pub async fn load_aws_config(
    attempt_timeout: Duration,
) -> Result<SdkConfig, CredentialsUnavailable> {
    let loaded = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(attempt_timeout)
                .build(),
        )
        .load()
        .await;
    let config = blank_settings_unset(loaded);
    require_credentials(&config).await?;
    Ok(config)
}

/// `config` with every blank service setting (`AWS_ENDPOINT_URL_<SERVICE>`
/// and the like, from the environment or a profile) read as unset, so the
/// client falls back to `AWS_ENDPOINT_URL` or the service's own endpoint.
pub fn blank_settings_unset(config: SdkConfig) -> SdkConfig {
    if config.service_config().is_none() {
        return config;
    }
    config
        .to_builder()
        .service_config(BlankIsUnset(config))
        .build()
}

/// Service settings of an inner configuration, with blank values dropped.
#[derive(Debug)]
struct BlankIsUnset(SdkConfig);

impl LoadServiceConfig for BlankIsUnset {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        self.0
            .service_config()?
            .load_config(key)
            .filter(|value| !value.trim().is_empty())
    }
}

/// The IVS Chat room client on the AWS SDK.
#[derive(Debug, Clone)]
pub struct SdkRoomClient {
    client: aws_sdk_ivschat::Client,
}

impl SdkRoomClient {
    /// A room client from shared AWS configuration.
    pub fn new(config: &SdkConfig) -> Self {
        SdkRoomClient::from_client(aws_sdk_ivschat::Client::new(config))
    }

    /// A room client around an existing SDK client.
    pub fn from_client(client: aws_sdk_ivschat::Client) -> Self {
        SdkRoomClient { client }
    }
}

/// Classifies a failed SDK call.
///
/// Modeled errors map by their variant or code (`ThrottlingException`,
/// `ValidationException`, `AccessDeniedException`, `PendingVerification`,
/// `ResourceNotFoundException`); unmodeled ones by HTTP status (429 is
/// throttling, 5xx a server error); missing credentials are a permanent
/// configuration error, said in one line; timeouts and connection failures
/// are transient; anything else is permanent.
pub fn classify<E>(err: SdkError<E, HttpResponse>) -> RoomError
where
    E: ModeledError + ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(problem) = credentials_problem(&err) {
        return RoomError::new(ErrorKind::Credentials, problem);
    }
    let detail = aws_sdk_ivschat::error::DisplayErrorContext(&err).to_string();
    match &err {
        SdkError::TimeoutError(_) => RoomError::new(ErrorKind::Timeout, detail),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            RoomError::new(ErrorKind::Timeout, detail)
        }
        SdkError::DispatchFailure(d) if d.is_io() || d.is_other() => {
            RoomError::new(ErrorKind::Network, detail)
        }
        SdkError::DispatchFailure(_) => RoomError::new(ErrorKind::Other, detail),
        SdkError::ResponseError(_) => RoomError::new(ErrorKind::Network, detail),
        SdkError::ServiceError(service) => {
            let status = err.raw_response().map(|r| r.status().as_u16());
            let e = service.err();
            let message = match e.message() {
                Some(m) if !m.is_empty() => m.to_string(),
                _ => e.to_string(),
            };
            let kind = e.modeled_kind().unwrap_or(match e.code() {
                Some("ThrottlingException") => ErrorKind::Throttling,
                Some("ValidationException") => ErrorKind::Validation,
                Some("AccessDeniedException") => ErrorKind::AccessDenied,
                Some("PendingVerification") => ErrorKind::PendingVerification,
                Some("ResourceNotFoundException") => ErrorKind::NotFound,
                _ => match status {
                    Some(429) => ErrorKind::Throttling,
                    Some(s) if s >= 500 => ErrorKind::ServerError,
                    Some(404) => ErrorKind::NotFound,
                    Some(403) => ErrorKind::AccessDenied,
                    Some(400) => ErrorKind::Validation,
                    _ => ErrorKind::Other,
                },
            });
            RoomError::new(kind, message)
        }
        _ => RoomError::new(ErrorKind::Other, detail),
    }
}

/// What is wrong with the credentials, when the call failed for want of
/// them: the SDK reports that as a dispatch failure, like a network error,
/// with a debug dump of every provider it tried.
fn credentials_problem(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut source = err.source();
    while let Some(e) = source {
        if let Some(credentials) = e.downcast_ref::<CredentialsError>() {
            return Some(describe_credentials_error(credentials));
        }
        source = e.source();
    }
    None
}

/// One line saying what is wrong with the credentials and what to set.
fn describe_credentials_error(error: &CredentialsError) -> String {
    let what = match error {
        CredentialsError::CredentialsNotLoaded(_) => "no AWS credentials were found",
        CredentialsError::ProviderTimedOut(_) => "the AWS credentials provider timed out",
        CredentialsError::InvalidConfiguration(_) => "the AWS credentials configuration is invalid",
        _ => "the AWS credentials could not be loaded",
    };
    format!(
        "{what}: give the function credentials (AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY, a profile, or its execution role)"
    )
}

/// The credentials of `config` could not be resolved at init.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialsUnavailable(String);

/// Resolves the credentials of `config` once, at init.
///
/// Missing credentials are a configuration error, not a failure of one call:
/// found at init, they stop the function with one line that says what to set
/// (reported to the Runtime API like any init error), instead of failing
/// every call of every batch. In Lambda and under `sam local` the
/// credentials are environment variables, so this costs no request; the
/// SDK caches what its own calls resolve separately.
pub async fn require_credentials(config: &SdkConfig) -> Result<(), CredentialsUnavailable> {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = config.credentials_provider() else {
        return Err(CredentialsUnavailable(describe_credentials_error(
            &CredentialsError::not_loaded("no credentials provider is configured"),
        )));
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(error) => Err(CredentialsUnavailable(describe_credentials_error(&error))),
    }
}

/// An operation error whose modeled variants map to an [`ErrorKind`].
pub trait ModeledError {
    /// The kind of a modeled error; `None` for an unmodeled one.
    fn modeled_kind(&self) -> Option<ErrorKind>;
}

macro_rules! room_action_errors {
    ($($t:ty),*) => {$(
        impl ModeledError for $t {
            fn modeled_kind(&self) -> Option<ErrorKind> {
                if self.is_throttling_exception() {
                    Some(ErrorKind::Throttling)
                } else if self.is_validation_exception() {
                    Some(ErrorKind::Validation)
                } else if self.is_access_denied_exception() {
                    Some(ErrorKind::AccessDenied)
                } else if self.is_pending_verification() {
                    Some(ErrorKind::PendingVerification)
                } else if self.is_resource_not_found_exception() {
                    Some(ErrorKind::NotFound)
                } else {
                    None
                }
            }
        }
    )*};
}

room_action_errors!(
    aws_sdk_ivschat::operation::send_event::SendEventError,
    aws_sdk_ivschat::operation::disconnect_user::DisconnectUserError,
    aws_sdk_ivschat::operation::delete_message::DeleteMessageError
);

impl ModeledError for aws_sdk_ivschat::operation::list_rooms::ListRoomsError {
    fn modeled_kind(&self) -> Option<ErrorKind> {
        if self.is_validation_exception() {
            Some(ErrorKind::Validation)
        } else if self.is_access_denied_exception() {
            Some(ErrorKind::AccessDenied)
        } else if self.is_resource_not_found_exception() {
            Some(ErrorKind::NotFound)
        } else {
            None
        }
    }
}

impl ModeledError for aws_sdk_ivschat::operation::create_chat_token::CreateChatTokenError {
    fn modeled_kind(&self) -> Option<ErrorKind> {
        if self.is_validation_exception() {
            Some(ErrorKind::Validation)
        } else if self.is_access_denied_exception() {
            Some(ErrorKind::AccessDenied)
        } else if self.is_pending_verification() {
            Some(ErrorKind::PendingVerification)
        } else if self.is_resource_not_found_exception() {
            Some(ErrorKind::NotFound)
        } else {
            None
        }
    }
}

fn rfc3339(time: Option<aws_sdk_ivschat::primitives::DateTime>) -> String {
    time.and_then(|t| {
        t.fmt(aws_sdk_ivschat::primitives::DateTimeFormat::DateTime)
            .ok()
    })
    .unwrap_or_default()
}

impl TokenIssuer for SdkRoomClient {
    async fn create_chat_token(&self, request: &ChatTokenRequest) -> Result<ChatToken, RoomError> {
        let attributes = (!request.attributes().is_empty()).then(|| {
            request
                .attributes()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        });
        let capabilities = request
            .capabilities()
            .iter()
            .map(|c| aws_sdk_ivschat::types::ChatTokenCapability::from(c.as_str()))
            .collect();
        let out = self
            .client
            .create_chat_token()
            .room_identifier(request.room().as_str())
            .user_id(request.user_id())
            .set_attributes(attributes)
            .set_capabilities(Some(capabilities))
            .set_session_duration_in_minutes(
                request
                    .session_duration_minutes()
                    .and_then(|m| i32::try_from(m).ok()),
            )
            .send()
            .await
            .map_err(classify)?;
        Ok(ChatToken {
            token: out.token.unwrap_or_default(),
            token_expiration_time: rfc3339(out.token_expiration_time),
            session_expiration_time: rfc3339(out.session_expiration_time),
        })
    }
}

impl RoomClient for SdkRoomClient {
    async fn send_event(&self, command: &SendEvent) -> Result<String, RoomError> {
        let attributes = (!command.attributes().is_empty()).then(|| {
            command
                .attributes()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        });
        let out = self
            .client
            .send_event()
            .room_identifier(command.room().as_str())
            .event_name(command.event_name())
            .set_attributes(attributes)
            .send()
            .await
            .map_err(classify)?;
        Ok(out.id.unwrap_or_default())
    }

    async fn disconnect_user(&self, command: &DisconnectUser) -> Result<(), RoomError> {
        self.client
            .disconnect_user()
            .room_identifier(command.room().as_str())
            .user_id(command.user_id())
            .set_reason(command.reason().map(str::to_string))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    async fn delete_message(&self, command: &DeleteMessage) -> Result<String, RoomError> {
        let out = self
            .client
            .delete_message()
            .room_identifier(command.room().as_str())
            .id(command.message_id())
            .set_reason(command.reason().map(str::to_string))
            .send()
            .await
            .map_err(classify)?;
        Ok(out.id.unwrap_or_default())
    }

    async fn list_rooms(&self, next_token: Option<String>) -> Result<RoomPage, RoomError> {
        let out = self
            .client
            .list_rooms()
            .max_results(LIST_ROOMS_MAX_RESULTS)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(classify)?;
        Ok(RoomPage {
            rooms: out
                .rooms
                .into_iter()
                .map(|room| RoomSummary {
                    arn: room.arn.unwrap_or_default(),
                    tags: room.tags.unwrap_or_default().into_iter().collect(),
                })
                .collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::RoomArn;
    use aws_sdk_ivschat::operation::delete_message::DeleteMessageError;
    use aws_sdk_ivschat::operation::list_rooms::ListRoomsOutput;
    use aws_sdk_ivschat::operation::send_event::{SendEventError, SendEventOutput};
    use aws_sdk_ivschat::types::error::{
        AccessDeniedException, ResourceNotFoundException, ThrottlingException, ValidationException,
    };
    use aws_sdk_ivschat::types::{RoomSummary as SdkRoom, ValidationExceptionReason};
    use aws_sdk_ivschat::Client;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};
    use std::collections::BTreeMap;

    const ROOM: &str = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCDefgh";

    fn throttling(message: &str) -> ThrottlingException {
        ThrottlingException::builder()
            .message(message)
            .resource_id("abcdABCDefgh")
            .resource_type(aws_sdk_ivschat::types::ResourceType::Room)
            .limit(100)
            .build()
            .unwrap()
    }

    fn send() -> SendEvent {
        let attrs: BTreeMap<String, String> = [("k".to_string(), "v".to_string())].into();
        SendEvent::new(RoomArn::parse("roomArn", ROOM).unwrap(), "app:X", attrs).unwrap()
    }

    #[tokio::test]
    async fn send_event_passes_every_field_and_returns_the_id() {
        let rule = mock!(Client::send_event)
            .match_requests(|r| {
                r.room_identifier() == Some(ROOM)
                    && r.event_name() == Some("app:X")
                    && r.attributes().and_then(|a| a.get("k")).map(String::as_str) == Some("v")
            })
            .then_output(|| SendEventOutput::builder().id("ev1").build());
        let client = SdkRoomClient::from_client(mock_client!(aws_sdk_ivschat, [&rule]));
        assert_eq!(client.send_event(&send()).await.unwrap(), "ev1");
        assert_eq!(rule.num_calls(), 1);
    }

    #[tokio::test]
    async fn modeled_errors_are_classified() {
        let cases: Vec<(SendEventError, ErrorKind)> = vec![
            (
                SendEventError::ThrottlingException(throttling("slow down")),
                ErrorKind::Throttling,
            ),
            (
                SendEventError::ValidationException(
                    ValidationException::builder()
                        .message("bad")
                        .reason(ValidationExceptionReason::FieldValidationFailed)
                        .build()
                        .unwrap(),
                ),
                ErrorKind::Validation,
            ),
            (
                SendEventError::AccessDeniedException(
                    AccessDeniedException::builder()
                        .message("no")
                        .build()
                        .unwrap(),
                ),
                ErrorKind::AccessDenied,
            ),
            (
                SendEventError::ResourceNotFoundException(
                    ResourceNotFoundException::builder()
                        .message("gone")
                        .resource_id("abc")
                        .resource_type(aws_sdk_ivschat::types::ResourceType::Room)
                        .build()
                        .unwrap(),
                ),
                ErrorKind::NotFound,
            ),
        ];
        for (error, kind) in cases {
            let message = match &error {
                SendEventError::ThrottlingException(_) => "slow down",
                SendEventError::ValidationException(_) => "bad",
                SendEventError::AccessDeniedException(_) => "no",
                _ => "gone",
            };
            let rule = mock!(Client::send_event).then_error(move || match &error {
                SendEventError::ThrottlingException(e) => {
                    SendEventError::ThrottlingException(e.clone())
                }
                SendEventError::ValidationException(e) => {
                    SendEventError::ValidationException(e.clone())
                }
                SendEventError::AccessDeniedException(e) => {
                    SendEventError::AccessDeniedException(e.clone())
                }
                SendEventError::ResourceNotFoundException(e) => {
                    SendEventError::ResourceNotFoundException(e.clone())
                }
                _ => unreachable!("only the cases above"),
            });
            let client = SdkRoomClient::from_client(mock_client!(aws_sdk_ivschat, [&rule]));
            let err = client.send_event(&send()).await.unwrap_err();
            assert_eq!(err.kind, kind, "{err}");
            assert!(err.message.contains(message), "{err}");
        }
    }

    #[tokio::test]
    async fn http_statuses_are_classified() {
        for (status, kind) in [
            (429, ErrorKind::Throttling),
            (500, ErrorKind::ServerError),
            (503, ErrorKind::ServerError),
            (404, ErrorKind::NotFound),
            (403, ErrorKind::AccessDenied),
            (418, ErrorKind::Other),
        ] {
            let rule = mock!(Client::disconnect_user)
                .sequence()
                .http_status(status, None)
                .repeatedly()
                .build();
            let client = SdkRoomClient::from_client(mock_client!(aws_sdk_ivschat, [&rule]));
            let command =
                DisconnectUser::new(RoomArn::parse("r", ROOM).unwrap(), "u1", None).unwrap();
            let err = client.disconnect_user(&command).await.unwrap_err();
            assert_eq!(err.kind, kind, "{status}: {err}");
        }
        // A modeled error on another operation goes the same way.
        let rule = mock!(Client::delete_message)
            .then_error(|| DeleteMessageError::ThrottlingException(throttling("m")));
        let client = SdkRoomClient::from_client(mock_client!(aws_sdk_ivschat, [&rule]));
        let command = DeleteMessage::new(
            RoomArn::parse("r", ROOM).unwrap(),
            "AbCdEf123456",
            Some("x".into()),
        )
        .unwrap();
        assert_eq!(
            client.delete_message(&command).await.unwrap_err().kind,
            ErrorKind::Throttling
        );
    }

    #[tokio::test]
    async fn list_rooms_maps_pages() {
        let first = mock!(Client::list_rooms)
            .match_requests(|r| r.next_token().is_none() && r.max_results() == Some(50))
            .then_output(|| {
                ListRoomsOutput::builder()
                    .rooms(SdkRoom::builder().arn(ROOM).tags("show", "x").build())
                    .next_token("t1")
                    .build()
                    .unwrap()
            });
        let second = mock!(Client::list_rooms)
            .match_requests(|r| r.next_token() == Some("t1"))
            .then_output(|| {
                ListRoomsOutput::builder()
                    .set_rooms(Some(vec![]))
                    .build()
                    .unwrap()
            });
        let client = SdkRoomClient::from_client(mock_client!(
            aws_sdk_ivschat,
            RuleMode::Sequential,
            [&first, &second]
        ));
        let tags = [("show".to_string(), "x".to_string())].into();
        let rooms = crate::client::rooms_tagged(&client, &tags).await.unwrap();
        assert_eq!(rooms, vec![ROOM]);
        assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    }

    /// A one-request HTTP server answering `body`; the request line arrives
    /// on the channel.
    fn one_answer(body: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            reader.read_exact(&mut vec![0; length]).unwrap();
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            tx.send(line.trim().to_string()).unwrap();
        });
        (url, rx)
    }

    /// Service settings as a template's empty value gives them.
    #[derive(Debug)]
    struct BlankEndpoints;

    impl LoadServiceConfig for BlankEndpoints {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            (key.env() == "AWS_ENDPOINT_URL").then(String::new)
        }
    }

    fn config_with(
        credentials: impl aws_credential_types::provider::ProvideCredentials + 'static,
        endpoint: &str,
    ) -> aws_types::sdk_config::Builder {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-west-2"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(credentials),
            )
            .endpoint_url(endpoint)
    }

    #[tokio::test]
    async fn a_blank_service_endpoint_reads_as_unset() {
        let (url, requests) = one_answer(r#"{"id":"ev1"}"#);
        let credentials =
            aws_credential_types::Credentials::new("AKIDTEST", "secret", None, None, "test");
        let config = config_with(credentials, &url)
            .service_config(BlankEndpoints)
            .build();
        // Without the filter the SDK takes "" for the endpoint and panics.
        let client = SdkRoomClient::new(&blank_settings_unset(config));
        assert_eq!(client.send_event(&send()).await.unwrap(), "ev1");
        assert_eq!(requests.recv().unwrap(), "POST /SendEvent HTTP/1.1");
    }

    #[derive(Debug)]
    struct NoCredentials;

    impl aws_credential_types::provider::ProvideCredentials for NoCredentials {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_credential_types::provider::future::ProvideCredentials::ready(Err(
                CredentialsError::not_loaded("no providers in chain provided credentials"),
            ))
        }
    }

    #[tokio::test]
    async fn missing_credentials_are_a_permanent_one_line_error() {
        // Nothing listens there: the call must fail before it is sent.
        let config = config_with(NoCredentials, "http://127.0.0.1:9").build();
        let client = SdkRoomClient::new(&config);
        let err = client.send_event(&send()).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Credentials, "{err}");
        assert_eq!(err.class(), crate::client::ErrorClass::Permanent);
        assert!(!err.message.contains('\n'), "{err}");
        assert!(err.message.contains("AWS_ACCESS_KEY_ID"), "{err}");
        assert_eq!(
            err.to_string(),
            "CredentialsError (permanent): no AWS credentials were found: give the function \
             credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or its \
             execution role)"
        );
    }

    #[tokio::test]
    async fn credentials_are_required_at_init_in_one_line() {
        let config = config_with(NoCredentials, "http://127.0.0.1:9").build();
        let err = require_credentials(&config).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "no AWS credentials were found: give the function credentials \
             (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or its execution role)"
        );
        let without_provider = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .build();
        assert!(require_credentials(&without_provider).await.is_err());
        let credentials =
            aws_credential_types::Credentials::new("AKIDTEST", "secret", None, None, "test");
        let config = config_with(credentials, "http://127.0.0.1:9").build();
        assert_eq!(require_credentials(&config).await, Ok(()));
    }

    #[test]
    fn attempt_timeout_reads_its_variable() {
        assert_eq!(
            attempt_timeout(&|_| None).unwrap(),
            Duration::from_millis(3000)
        );
        let lookup = |n: &str| (n == ATTEMPT_TIMEOUT_VAR).then(|| "250".to_string());
        assert_eq!(
            attempt_timeout(&lookup).unwrap(),
            Duration::from_millis(250)
        );
        let lookup = |n: &str| (n == ATTEMPT_TIMEOUT_VAR).then(|| "5".to_string());
        assert_eq!(
            attempt_timeout(&lookup).unwrap_err().name,
            ATTEMPT_TIMEOUT_VAR
        );
    }
}
