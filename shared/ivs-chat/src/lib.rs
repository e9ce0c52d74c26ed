//! The Amazon IVS Chat contract, in types.
//!
//! This crate is the one place where the project writes down what IVS Chat
//! sends, what it accepts and what its API allows. Functions never build JSON
//! for IVS Chat by hand: they use these types, so a mistake in the contract is
//! fixed once.
//!
//! * [`review`]: the event IVS Chat sends to a message review handler and the
//!   response it expects back.

pub mod review;

pub use review::{ReviewEvent, ReviewResponse, ReviewResult, Sender};
