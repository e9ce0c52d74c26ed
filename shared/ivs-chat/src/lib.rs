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
//! * [`limits`]: every limit of the room operations, in one module.
//! * [`command`]: validated `SendEvent`, `DisconnectUser` and `DeleteMessage`
//!   commands and their JSON wire format.
//! * [`client`]: the [`RoomClient`] trait the functions call, with errors
//!   classified as transient or permanent.
//! * `fake` (feature `fake`): an in-memory [`RoomClient`] for handler tests.
//! * [`env`]: configuration from environment variables, failing by name.
//! * [`sdk`] and [`pace`] (feature `sdk`): the `aws-sdk-ivschat`
//!   implementation, request pacing and bounded concurrency.

pub mod chat_log;
pub mod client;
pub mod command;
pub mod env;
#[cfg(feature = "fake")]
pub mod fake;
pub mod limits;
#[cfg(feature = "sdk")]
pub mod pace;
pub mod review;
#[cfg(feature = "sdk")]
pub mod sdk;

pub use client::{
    execute, rooms_tagged, CommandOutput, ErrorClass, ErrorKind, RoomClient, RoomError, RoomPage,
    RoomSummary,
};
pub use command::{Command, DeleteMessage, DisconnectUser, RoomArn, SendEvent, ValidationError};
pub use review::{ReviewEvent, ReviewResponse, ReviewResult, Sender};
