//! Moderation that follows the offender: strikes, timeouts and bans.
//!
//! The review handler judges one message at a time; this crate is what
//! turns its judgements into consequences for the person behind them. The
//! pieces, in the order data flows through them:
//!
//! * [`record`]: the versioned decision record the review handler writes as
//!   its log line for every DENY or mask. It is the only interface between
//!   the review handler and everything below, so it is plain serde and has no
//!   AWS dependency (the review handler links this crate without features).
//! * [`period`]: the `10m` / `24h` / `7d` durations the policy and the
//!   commands are written in, and the UTC timestamps sanctions are shown in.
//! * [`policy`]: the escalation policy (`3 strikes in 10m: timeout 10m; 2
//!   timeouts in 24h: ban 7d`), parsed once at init with errors that give the
//!   position, and the pure decision "given these strikes and these past
//!   sanctions, what now".
//! * [`command`]: moderators' own sanctions (`timeoutUser`, `banUser`,
//!   `liftSanction`), validated like the room commands of `ivs-chat`.
//! * [`store`] and [`enforce`] (feature `dynamodb`): strikes and sanctions in
//!   DynamoDB, written idempotently, and the enforcer that disconnects the
//!   user and announces the sanction exactly once. The strike tracker and
//!   moderation-actions both go through [`enforce::Enforcer`], so a
//!   moderator's ban and an automatic one are the same code.

pub mod command;
#[cfg(feature = "dynamodb")]
pub mod enforce;
pub mod period;
pub mod policy;
pub mod record;
pub mod sanction;
#[cfg(feature = "dynamodb")]
pub mod store;

pub use command::SanctionCommand;
pub use policy::{EscalationPolicy, PolicyError};
pub use record::{DecisionAction, DecisionRecord};
pub use sanction::{Sanction, SanctionKind, UserKey};
