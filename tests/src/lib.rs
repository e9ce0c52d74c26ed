//! End-to-end test support: the functions' real `bootstrap` binaries, run by
//! AWS's Lambda Runtime Interface Emulator, against a local server that
//! speaks the IVS Chat API.
//!
//! No IVS Chat emulator exists, so [`server::FakeIvsChat`] implements the four
//! operations the functions call (plus SQS `SendMessage` for the recovery
//! queue) from the published API contract: it checks each request's SigV4
//! signature ([`sigv4`]), path and JSON body against the API's limits, records
//! every call, answers with throttling, server errors or slowly on demand, and
//! can enforce the service's per-action quota with a token bucket. The limits
//! are written out here independently of the `ivs-chat` crate on purpose: a
//! mistake there must not be mirrored by the server that tests it.
//!
//! [`lambda::Emulator`] starts a bootstrap under the emulator with a clean
//! environment pointing the SDK at the server, and invokes it. Everything is
//! blocking std code: the tests need no async runtime.

pub mod dynamodb;
pub mod http;
pub mod lambda;
pub mod locate;
pub mod server;
pub mod sigv4;
