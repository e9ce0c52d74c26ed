//! A chat message filter that reads disguised words and spares innocent ones.
//!
//! `chat-filter` decides, for one chat message at a time, whether to allow
//! it, mask parts of it or deny it. It is built for the synchronous review
//! hook of Amazon IVS Chat (a 200 ms deadline per message) but knows nothing
//! of AWS: it is pure, synchronous code with no I/O.
//!
//! A review runs three stages:
//!
//! 1. The normaliser reads the message as its writer meant it ([`Normalized`]):
//!    look-alike characters, leetspeak, repeated letters, spelled-out words
//!    and self-censoring all become plain lowercase words, each byte
//!    remembering where in the original it came from.
//! 2. The matcher finds every block-list and allow-list term in one
//!    Aho-Corasick pass, honouring Discord-style wildcards (`word`, `word*`,
//!    `*word`, `*word*`); an allowed term cancels the block matches it
//!    overlaps ("Scunthorpe"). [`RegexRule`]s run beside it.
//! 3. The [`Policy`] turns each match's [`Severity`] into an [`Action`]; the
//!    strongest wins, and a [`mask`] keeps every other character byte for
//!    byte.
//!
//! ```
//! use chat_filter::{Action, Filter};
//!
//! let filter = Filter::with_defaults().unwrap();
//! assert_eq!(filter.review("grab a cocktail in Essex").action, Action::Allow);
//!
//! let verdict = filter.review("this sh1t is broken");
//! assert_eq!(verdict.action, Action::Mask);
//! assert_eq!(verdict.masked.as_deref(), Some("this **** is broken"));
//! ```
//!
//! Everything expensive happens in [`FilterBuilder::build`]; build once and
//! share the [`Filter`].

mod builtins;
mod cache;
pub mod error;
pub mod eval;
mod filter;
mod lines;
pub mod list;
mod matcher;
mod normalize;
mod policy;
mod rules;

pub use cache::{CacheStats, ReviewCache, MAX_REMEMBERED_BYTES};
pub use error::{BuildError, ListError, ListErrorKind, ListLine};
pub use filter::{
    mask, Filter, FilterBuilder, FilterStats, Match, Rule, Verdict, DEFAULT_ALLOW_LIST,
    DEFAULT_BLOCK_LIST, DEFAULT_MASK, MAX_MESSAGE_CHARS,
};
pub use lines::content_lines;
pub use list::{Entry, Position, Severity, WordList};
pub use normalize::{fold, Fold, Normalized};
pub use policy::{Action, Policy};
pub use rules::{RegexRule, MAX_COMPILED_SIZE, MAX_PATTERN_LEN};
