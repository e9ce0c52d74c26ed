//! The Amazon IVS Chat contract, in types.
//!
//! This crate is the one place where the project writes down what IVS Chat
//! sends, what it accepts and what its API allows. Functions never build JSON
//! for IVS Chat by hand: they use these types, so a mistake in the contract is
//! fixed once.
//!
//! * [`review`]: the event IVS Chat sends to a message review handler and the
//!   response it expects back.
//! * [`chat_log`]: the records of IVS Chat's chat logging (CloudWatch Logs,
//!   S3, Firehose), read without copying the message text.
//! * [`limits`]: every limit of the room operations and of the review
//!   response, in one module.
//! * [`command`]: validated `SendEvent`, `DisconnectUser` and `DeleteMessage`
//!   commands and their JSON wire format.
//! * [`token`]: validated `CreateChatToken` requests and the [`TokenIssuer`]
//!   trait the chat-token function calls.
//! * [`client`]: the [`RoomClient`] trait the functions call, with errors
//!   classified as transient or permanent.
//! * `fake` (feature `fake`): an in-memory [`RoomClient`] for handler tests.
//! * [`env`]: configuration from environment variables, failing by name,
//!   with the one boolean grammar of every function.
//! * `logging` (feature `logging`): the JSON-lines logging set-up and exit
//!   path every function's `main.rs` uses.
//! * [`sdk`] and [`pace`] (feature `sdk`): the `aws-sdk-ivschat`
//!   implementation, request pacing and bounded concurrency.

pub mod chat_log;
pub mod client;
pub mod command;
pub mod env;
#[cfg(feature = "fake")]
pub mod fake;
pub mod limits;
#[cfg(feature = "logging")]
pub mod logging;
#[cfg(feature = "sdk")]
pub mod pace;
pub mod review;
#[cfg(feature = "sdk")]
pub mod sdk;
pub mod token;

pub use client::{
    execute, rooms_tagged, CommandOutput, ErrorClass, ErrorKind, RoomClient, RoomError, RoomPage,
    RoomSummary,
};
pub use command::{Command, DeleteMessage, DisconnectUser, RoomArn, SendEvent, ValidationError};
pub use review::{ReviewEvent, ReviewResponse, ReviewResult, Sender};
pub use token::{Capability, ChatToken, ChatTokenRequest, TokenIssuer};
